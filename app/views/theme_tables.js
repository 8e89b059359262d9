// The theme-tables phone view, drawn in the browser (see app/views/base.py for the protocol).
// My table (chosen, scanned from the table's QR code, or assigned by the plan), its question and
// prompts, a card in two taps (type, "Karte anheften"), the table's cards live, the host's summary
// of the round before, and on rotation where to go. A host also edits, merges, splits and moves the
// table's cards and writes the summary; the server checks every such action.
// Props: `view` (all tables, shared), `mine` (my seat, round, host role), `board` (my table's
// cards, shared by the phones at that table: the full board with the page or when I sit down);
// after that each new card, edit, merge or move arrives as `apply(delta)` with only what changed
// (app/views/theme_tables_deltas.py), merged into the cards held here. Participant text is only ever interpolated.
import { END, HEAD, OUTCOME, phoneParts, stored } from "phone_parts";
import { mergeCards } from "theme_tables_deltas";


// JSON text in a full element update, an object in a patch (see app/views/base.py)
function boardOf(board) {
  if (typeof board === "string") return board ? JSON.parse(board) : { cards: [] };
  return board ? { ...board } : { cards: [] };
}

const BTN = "w-full text-left rounded-lg border-2 px-4 py-3 text-lg font-semibold leading-snug";

export default {
  ...phoneParts,
  props: { ...phoneParts.props, board: [String, Object] },
  template: `${HEAD}
${OUTCOME}
      <div v-if="m.round" class="text-base font-semibold text-primary" data-koffer="round">{{ roundText }}</div>
      <div v-if="isHost" class="rounded-lg bg-amber-100 px-3 py-2 text-base font-semibold" data-koffer="host-banner">{{ v.texts.host_you }}</div>
      <div v-if="m.moved && table && !choosing" class="rounded-lg bg-blue-50 border-2 border-primary px-4 py-3" data-koffer="move-to">
        <div class="text-lg">{{ v.texts.go_to }}</div>
        <div class="text-2xl font-bold leading-tight">{{ table.title }}</div>
      </div>
      <div v-if="choosing" class="w-full flex flex-col gap-2" data-koffer="choose">
        <div class="text-xl font-semibold leading-snug">{{ m.table && m.choose ? v.texts.choose_new : v.texts.choose }}</div>
        <button v-for="t in v.tables" :key="t.id" type="button" :data-table="t.id" style="min-height: 56px"
                class="${BTN}" :class="m.table === t.id ? 'border-primary bg-blue-50' : 'border-gray-300 bg-white'"
                :disabled="waiting !== null || !open" @click="sit(t.id)">
          {{ t.title }} <span v-if="m.table === t.id" class="text-base font-normal text-gray-600">{{ v.texts.stay }}</span>
        </button>
      </div>
      <div v-else-if="!table && v.seating === 'round_robin' && open" class="text-xl" data-koffer="assigning">{{ v.texts.assigning }}</div>
      <template v-if="table && !choosing">
        <div class="w-full flex items-end justify-between gap-2" data-koffer="my-table">
          <div>
            <div class="text-sm uppercase tracking-wide text-gray-500">{{ v.texts.your_table }}</div>
            <div class="text-2xl font-bold leading-tight" data-koffer="table-title">{{ table.title }}</div>
          </div>
          <button v-if="v.seating !== 'round_robin' && !isHost && open" type="button" class="text-base text-primary underline px-2 shrink-0"
                  style="min-height: 44px" data-koffer="change-table" @click="changing = true">{{ v.texts.change_table }}</button>
        </div>
        <div v-if="table.question" class="text-xl font-semibold leading-snug" data-koffer="table-question">{{ table.question }}</div>
        <div v-if="b.summary" class="rounded-lg bg-gray-100 px-3 py-2" data-koffer="summary">
          <div class="text-sm font-semibold text-gray-700">{{ v.texts.summary_before }}</div>
          <div class="text-base whitespace-pre-line leading-snug">{{ b.summary }}</div>
        </div>
        <div v-if="open" class="w-full flex flex-col gap-2" data-koffer="add-card">
          <div v-if="table.prompts.length" class="flex flex-wrap gap-2" data-koffer="prompts">
            <button v-for="p in table.prompts" :key="p.id" type="button" :data-prompt="p.id" style="min-height: 44px"
                    class="rounded-full border-2 px-3 text-base" :class="prompt === p.id ? 'border-primary bg-primary text-white' : 'border-gray-300 bg-white'"
                    @click="prompt = prompt === p.id ? null : p.id">{{ p.label }}</button>
          </div>
          <textarea v-model="draft" :maxlength="v.max" rows="3" :placeholder="v.texts.card_placeholder" data-koffer="card-text"
                    class="w-full rounded-lg border-2 border-gray-300 p-3 text-lg leading-snug" style="min-height: 96px"></textarea>
          <div v-if="v.categories.length" class="flex flex-wrap gap-2 items-center" data-koffer="categories">
            <span class="text-sm text-gray-600">{{ v.texts.category }}:</span>
            <button v-for="c in v.categories" :key="c.id" type="button" :data-category="c.id" style="min-height: 44px"
                    class="rounded-full border-2 px-3 text-base" :class="category === c.id ? 'border-primary bg-primary text-white' : 'border-gray-300 bg-white'"
                    @click="category = category === c.id ? null : c.id">{{ c.label }}</button>
          </div>
          <div class="flex items-center gap-3">
            <q-btn unelevated color="primary" no-caps class="grow text-lg" style="min-height: 52px" :label="v.texts.pin"
                   :disable="!draft.trim() || waiting !== null" :loading="waiting === 'card'" data-koffer="pin" @click="pin" />
            <span class="text-sm text-gray-600 shrink-0" data-koffer="chars">{{ draft.length }}/{{ v.max }}</span>
          </div>
          <div class="text-lg font-medium text-center w-full" :class="tone" data-koffer="status">{{ status }}</div>
        </div>
        <div class="w-full flex flex-col gap-1" data-koffer="cards">
          <div class="text-lg font-semibold">{{ v.texts.cards_heading }} ({{ cards.length }})</div>
          <div v-if="!cards.length" class="text-base text-gray-600">{{ v.texts.cards_none }}</div>
          <div v-if="isHost && picking" class="text-base font-semibold text-primary">{{ v.texts.merge_pick }}</div>
          <template v-for="g in groups" :key="g.id">
            <div class="text-sm uppercase tracking-wide text-gray-600 mt-2">{{ g.label }}</div>
            <div v-for="c in g.cards" :key="c.id" :data-card="c.id" @click="pick(c.id)"
                 class="rounded-md px-3 py-2 shadow-sm text-base leading-snug whitespace-pre-line"
                 :class="[picked.includes(c.id) ? 'ring-4 ring-primary' : '', c.id.startsWith(minePrefix) ? 'bg-yellow-200' : 'bg-yellow-100']">
              <div>{{ c.text }}</div>
              <div class="text-sm text-gray-600">
                <span v-if="c.id.startsWith(minePrefix)">{{ v.texts.mine }}</span>
                <span v-if="c.merged"> · {{ mergedText(c.merged) }}</span>
              </div>
              <div v-if="isHost && editing === c.id" class="flex flex-col gap-2 mt-2" @click.stop>
                <textarea v-model="editText" :maxlength="v.max" rows="3" class="w-full rounded border-2 border-gray-300 p-2 text-base" data-koffer="edit-text"></textarea>
                <div class="flex gap-2">
                  <q-btn unelevated color="primary" no-caps style="min-height: 44px" :label="v.texts.save" data-koffer="edit-save" @click="saveEdit(c.id)" />
                  <q-btn flat no-caps style="min-height: 44px" :label="v.texts.cancel" @click="editing = null" />
                </div>
              </div>
              <div v-else-if="isHost && moving === c.id" class="flex flex-col gap-2 mt-2" @click.stop data-koffer="move-options">
                <div v-if="table.prompts.length" class="text-sm font-semibold">{{ v.texts.move_prompt }}</div>
                <div class="flex flex-wrap gap-2">
                  <button v-for="p in table.prompts" :key="p.id" type="button" style="min-height: 44px" class="rounded border-2 border-gray-300 bg-white px-3 text-base"
                          :data-move-prompt="p.id" @click="command('move', { card: c.id, prompt: p.id })">{{ p.label }}</button>
                </div>
                <div class="text-sm font-semibold">{{ v.texts.move_table }}</div>
                <div class="flex flex-wrap gap-2">
                  <button v-for="t in otherTables" :key="t.id" type="button" style="min-height: 44px" class="rounded border-2 border-gray-300 bg-white px-3 text-base"
                          :data-move-table="t.id" @click="command('move', { card: c.id, table: t.id })">{{ t.title }}</button>
                </div>
                <q-btn flat no-caps style="min-height: 44px" :label="v.texts.cancel" @click="moving = null" />
              </div>
              <div v-else-if="isHost && open && !picking" class="flex flex-wrap gap-1 mt-1" @click.stop>
                <q-btn flat dense no-caps style="min-height: 44px" :label="v.texts.edit" :data-edit="c.id" @click="startEdit(c)" />
                <q-btn flat dense no-caps style="min-height: 44px" :label="v.texts.move" :data-move="c.id" @click="moving = c.id" />
                <q-btn flat dense no-caps style="min-height: 44px" :label="v.texts.merge" :data-merge="c.id" @click="picking = true; picked = [c.id]" />
                <q-btn v-if="c.merged" flat dense no-caps style="min-height: 44px" :label="v.texts.split" :data-split="c.id" @click="command('split', { card: c.id })" />
              </div>
            </div>
          </template>
          <div v-if="isHost && picking" class="flex gap-2 mt-2 sticky bottom-0 bg-white py-2">
            <q-btn unelevated color="primary" no-caps class="grow" style="min-height: 48px" :label="v.texts.merge + ' (' + picked.length + ')'"
                   :disable="picked.length < 2 || waiting !== null" data-koffer="merge-confirm" @click="command('merge', { cards: picked })" />
            <q-btn flat no-caps style="min-height: 48px" :label="v.texts.cancel" @click="picking = false; picked = []" />
          </div>
        </div>
        <div v-if="isHost && open" class="w-full flex flex-col gap-2 border-t pt-3" data-koffer="host-summary">
          <div class="text-base font-semibold">{{ v.texts.summary_write }}</div>
          <textarea v-model="summary" :maxlength="v.max_summary" rows="4" class="w-full rounded-lg border-2 border-gray-300 p-3 text-base" data-koffer="summary-text"></textarea>
          <q-btn outline color="primary" no-caps style="min-height: 48px" :label="v.texts.summary_save" :loading="waiting === 'summary'"
                 :disable="waiting !== null" data-koffer="summary-save" @click="command('summary', { table: table.id, text: summary }, 'summary')" />
          <label class="w-full rounded-lg border-2 border-dashed border-gray-400 px-4 py-3 text-base text-center cursor-pointer" style="min-height: 48px" data-koffer="photo">
            {{ v.texts.photo }}
            <input type="file" accept="image/*" capture="environment" class="hidden" @change="photo" />
          </label>
        </div>
      </template>
${END}`,
  data() {
    return {
      m: stored(this.mine, {}), draft: "", prompt: null, category: null, waiting: null, saved: false, failed: false,
      seq: 0, timer: null, changing: false, pending: {}, editing: null, editText: "", moving: null, picking: false,
      picked: [], summary: "", summaryFor: null, sent: {}, b: boardOf(this.board),
    };
  },
  computed: {
    ...phoneParts.computed,
    table() {
      return (this.v.tables || []).find((t) => t.id === this.m.table) || null;
    },
    otherTables() {
      return (this.v.tables || []).filter((t) => t.id !== this.m.table);
    },
    isHost() {
      return !!this.m.host && this.m.host === this.m.table;
    },
    choosing() {
      return !!this.view && this.open && (this.changing || !!this.m.choose) && this.v.seating !== "round_robin";
    },
    cards() {
      return this.b.cards || [];
    },
    minePrefix() {
      return "c" + this.m.participant + "-";
    },
    groups() {
      const table = this.table;
      if (!table) return [];
      const out = table.prompts.map((p) => ({ id: p.id, label: p.label, cards: [] }));
      const rest = { id: "", label: this.v.texts.prompt_none, cards: [] };
      for (const c of this.cards) (out.find((g) => g.id === c.prompt) || rest).cards.push(c);
      return [...out, rest].filter((g) => g.cards.length);
    },
    roundText() {
      return this.v.texts.round_of.replace("{round}", this.m.round).replace("{rounds}", this.m.rounds);
    },
    status() {
      if (this.waiting === "card") return this.v.texts.saving;
      if (this.failed) return this.v.texts.retry;
      return this.saved ? this.v.texts.saved : "";
    },
    tone() {
      return this.failed ? "text-red-800" : this.saved ? "text-green-800" : "text-gray-700";
    },
  },
  watch: {
    ...phoneParts.watch,
    draft(text) {
      if (text) this.saved = false;  // "Gespeichert" belongs to the card before, not to this one
    },
    board() {
      this.b = boardOf(this.board);
      this.boardChanged();
    },
  },
  mounted() {
    this.arrive();
  },
  updated() {
    this.arrive();
  },
  methods: {
    // one delivery's change of my table: {id, summary?, summary_round?, current_summary?, cards?: delta, all?: cards}
    apply(delta) {
      if (delta.id !== this.b.id) return;  // not the table held here (the server then sends it whole)
      const b = this.b;
      for (const key of ["summary", "summary_round", "current_summary"]) if (key in delta) b[key] = delta[key];
      if (delta.all) b.cards = delta.all;
      else if (delta.cards) b.cards = mergeCards(b.cards || [], delta.cards);
      this.boardChanged();
    },
    boardChanged() {
      // the host's own summary of this round, once per round (never over what they are typing)
      const key = this.m.table + ":" + this.m.round;
      if (this.isHost && this.summaryFor !== key) {
        this.summaryFor = key;
        this.summary = this.b.current_summary || "";
      }
      const ids = this.cards.map((c) => c.id);
      this.picked = this.picked.filter((id) => ids.includes(id));
    },
    reset() {
      const before = this.m.table;
      this.m = stored(this.mine, {});
      if (this.m.table !== before) {
        this.prompt = null;
        this.changing = false;
        this.editing = null;
        this.moving = null;
        this.picking = false;
        this.picked = [];
      }
      this.arrive();
    },
    // what the phone does by itself on arrival: check in for the plan, take the scanned table,
    // claim a host link; each once per page (a reload starts from what the server stored)
    arrive() {
      if (!this.view || !this.open || !this.m.participant) return;
      const params = new URLSearchParams(window.location.search);
      const host = params.get("host");
      if (host && this.m.host !== host.split(".")[0] && !this.sent.claim) {
        this.sent.claim = true;
        this.$emit("claim", { step: this.v.step, round: this.v.round, host: host });
        return;
      }
      if (this.m.host) return;
      if (this.v.seating === "round_robin" && !this.m.table && !this.sent.checkin) {
        this.sent.checkin = true;
        this.submit({ seat: {} }, "seat");
        return;
      }
      const scanned = params.get("table");
      if (scanned && this.v.seating !== "round_robin" && !this.sent.scan && this.m.table !== scanned
          && (this.v.tables || []).some((t) => t.id === scanned)) {
        this.sent.scan = true;
        this.submit({ seat: { table: scanned } }, "seat");
      }
    },
    sit(id) {
      if (!this.open || this.waiting !== null) return;
      this.submit({ seat: { table: id } }, "seat");
    },
    pin() {
      const text = this.draft.trim();
      if (!this.open || this.waiting !== null || !text || !this.table) return;
      const card = { table: this.table.id, text: text };
      if (this.prompt) card.prompt = this.prompt;
      if (this.category) card.category = this.category;
      this.submit({ card: card }, "card");
    },
    submit(payload, kind) {
      this.seq += 1;
      const seq = this.seq;
      this.pending[seq] = kind;
      this.waiting = kind;
      this.failed = false;
      if (kind === "card") this.saved = false;
      clearTimeout(this.timer);
      // no answer (server gone for good): say so instead of spinning forever; a late ack still lands
      this.timer = setTimeout(() => { if (this.seq === seq && this.waiting !== null) { this.waiting = null; this.failed = true; } }, 20000);
      this.$emit("submit", { seq: seq, step: this.v.step, round: this.v.round, payload: payload });
    },
    ack(seq, ok, mine) {
      const kind = this.pending[seq];
      delete this.pending[seq];
      if (ok && mine) this.m = mine;
      if (ok && kind === "card") {
        this.draft = "";  // the card is on the board: the form is ready for the next one
        this.saved = true;
      }
      if (ok && kind === "seat") this.changing = false;
      if (seq !== this.seq) return;  // an older answer: the newest tap is still on its way
      clearTimeout(this.timer);
      this.waiting = null;
      this.failed = false;  // a refusal is explained by the page's notification; the draft stays
    },
    // a host's action: answered by done(seq, ok) once the server stored (or refused) it
    command(name, payload, kind) {
      if (this.waiting !== null) return;
      this.seq += 1;
      this.pending[this.seq] = name;
      this.waiting = kind || name;
      this.$emit("command", { seq: this.seq, step: this.v.step, round: this.v.round, name: name, payload: payload });
    },
    done(seq, ok) {
      const name = this.pending[seq];
      delete this.pending[seq];
      if (ok) {
        if (name === "merge") { this.picking = false; this.picked = []; }
        if (name === "edit") this.editing = null;
        if (name === "move") this.moving = null;
      }
      if (seq === this.seq) this.waiting = null;
    },
    pick(id) {
      if (!this.isHost || !this.picking) return;
      this.picked = this.picked.includes(id) ? this.picked.filter((x) => x !== id) : [...this.picked, id];
    },
    startEdit(c) {
      this.editing = c.id;
      this.editText = c.text;
    },
    saveEdit(id) {
      this.command("edit", { card: id, text: this.editText });
    },
    mergedText(n) {
      return this.v.texts.merged_from.replace("{n}", n);
    },
    // the tablecloth photo: made smaller in the browser (one socket message stays under 1 MB);
    // the server decodes, checks and re-encodes it like every upload
    photo(event) {
      const file = event.target.files && event.target.files[0];
      event.target.value = "";
      if (!file || !this.table) return;
      const image = new Image();
      const url = URL.createObjectURL(file);
      image.onload = () => {
        URL.revokeObjectURL(url);
        let data = "";
        for (const [side, quality] of [[1600, 0.8], [1200, 0.7], [900, 0.6]]) {
          const scale = Math.min(1, side / Math.max(image.width, image.height));
          const canvas = document.createElement("canvas");
          canvas.width = Math.round(image.width * scale);
          canvas.height = Math.round(image.height * scale);
          canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
          data = canvas.toDataURL("image/jpeg", quality);
          if (data.length < 900000) break;
        }
        this.seq += 1;
        this.pending[this.seq] = "photo";
        this.$emit("photo", { seq: this.seq, step: this.v.step, round: this.v.round, table: this.table.id, data: data });
      };
      image.src = url;
    },
  },
};
