// The dot-vote phone view, drawn in the browser (see app/views/base.py for the protocol).
// The items as a list, each with − / + (48 px, no dragging) and its dots; the dots left on top.
// Every tap sends the WHOLE allocation with its own sequence number, at once, also while earlier
// taps are still on their way: the server stores each allocation whole and checks budget and cap
// on each, so racing taps can never add up. The ack of the newest tap says what is stored
// ("Gespeichert" only then); a refused newest tap puts the list back to what is stored.
// A merged card counts the person's dots on all its originals, at most the cap (the engine's
// rule); the next tap stores them on the merged card itself.
// Participant and agenda text is only ever interpolated ({{ }} / :label), never parsed as HTML.
import { END, HEAD, OUTCOME, phoneParts, stored } from "phone_parts";

export default {
  ...phoneParts,
  template: `${HEAD}
${OUTCOME}
      <div class="w-full flex flex-col gap-2" data-koffer="dot-list" :lang="v.lang">
        <div v-if="open" class="sticky top-0 z-10 bg-white w-full flex items-center justify-between gap-2 py-2 border-b"
             data-koffer="dots-left">
          <div class="text-xl font-semibold" data-koffer="left">{{ leftText }}</div>
          <div class="text-base font-medium whitespace-nowrap" :class="tone" data-koffer="status">{{ status }}</div>
        </div>
        <div v-for="item in rows" :key="item.id" :data-item="item.id"
             class="w-full flex no-wrap items-center gap-2 rounded-lg border-2 px-3 py-2"
             :class="item.n ? 'border-primary bg-blue-50' : 'border-gray-300 bg-white'">
          <div class="grow min-w-0">
            <div class="text-lg font-semibold leading-snug" style="overflow-wrap: break-word; hyphens: auto">{{ item.label }}</div>
            <div v-if="item.description" class="text-base text-gray-700 leading-snug" style="overflow-wrap: break-word; hyphens: auto">{{ item.description }}</div>
            <div v-if="item.cards_text" class="text-sm text-gray-600">{{ item.cards_text }}</div>
            <div v-if="item.n" class="text-primary text-lg tracking-widest" data-koffer="dots">{{ "●".repeat(item.n) }}</div>
            <div v-if="open && item.n >= v.cap" class="text-sm text-gray-600">{{ v.texts.cap_reached }}</div>
          </div>
          <q-btn v-if="open" round unelevated no-caps color="grey-3" text-color="black" label="−" class="text-2xl"
                 style="width: 48px; height: 48px; min-width: 48px" :aria-label="v.texts.less + ': ' + item.label"
                 :disable="!open || item.n === 0" data-koffer="less" @click="tap(item, -1)" />
          <div class="text-2xl font-bold text-center" style="min-width: 2rem" data-koffer="count">{{ item.n }}</div>
          <q-btn v-if="open" round unelevated no-caps color="primary" label="+" class="text-2xl"
                 style="width: 48px; height: 48px; min-width: 48px" :aria-label="v.texts.more + ': ' + item.label"
                 :disable="!open || item.n >= v.cap || left <= 0" data-koffer="more" @click="tap(item, 1)" />
        </div>
      </div>
${END}`,
  data() {
    const mine = stored(this.mine, {});
    return { confirmed: mine, local: { ...mine }, seq: 0, waiting: false, saved: false, failed: false, timer: null };
  },
  computed: {
    ...phoneParts.computed,
    rows() {
      const cap = this.v.cap || 0;
      return (this.v.items || []).map((item) => {
        const given = (item.keys || [item.id]).reduce((sum, key) => sum + (this.local[key] || 0), 0);
        return { ...item, n: Math.min(cap, given) };
      });
    },
    used() {
      return this.rows.reduce((sum, row) => sum + row.n, 0);
    },
    left() {
      return Math.max(0, (this.v.budget || 0) - this.used);
    },
    leftText() {
      if (this.left === 0) return this.v.texts.left_none;
      if (this.left === 1) return this.v.texts.left_one;
      return this.v.texts.left_many.replace("{left}", String(this.left));
    },
    status() {
      if (this.waiting) return this.v.texts.saving;
      if (this.failed) return this.v.texts.retry;
      return this.saved ? this.v.texts.saved : "";
    },
    tone() {
      return this.failed ? "text-red-800" : this.saved && !this.waiting ? "text-green-800" : "text-gray-700";
    },
  },
  methods: {
    reset() {
      this.confirmed = stored(this.mine, {});
      this.local = { ...this.confirmed };
      this.waiting = false;
      this.failed = false;
    },
    tap(item, delta) {
      if (!this.open) return;
      const row = this.rows.find((r) => r.id === item.id);
      if (!row) return;
      if (delta > 0 && (row.n >= this.v.cap || this.left <= 0)) return;
      if (delta < 0 && row.n <= 0) return;
      // the whole allocation as the list shows it: one count per item (a merged card's dots on
      // its originals move onto the card itself)
      const next = {};
      for (const r of this.rows) {
        const n = r.id === item.id ? r.n + delta : r.n;
        if (n > 0) next[r.id] = n;
      }
      this.local = next;
      this.seq += 1;
      const seq = this.seq;
      this.waiting = true;
      this.failed = false;
      this.saved = false;
      clearTimeout(this.timer);
      // no answer (server gone for good): say so instead of spinning forever; a late ack still lands
      this.timer = setTimeout(() => { if (this.seq === seq && this.waiting) { this.waiting = false; this.failed = true; } }, 20000);
      this.$emit("submit", { seq: seq, step: this.v.step, round: this.v.round, payload: { dots: next } });
    },
    ack(seq, ok, mine) {
      if (ok) this.confirmed = mine || {};
      if (seq !== this.seq) return;  // an older tap: the newest is still on its way and decides
      clearTimeout(this.timer);
      this.waiting = false;
      this.failed = false;  // a refusal is explained by the page's notification
      this.saved = ok;
      this.local = { ...this.confirmed };  // what is stored now, exactly
    },
  },
};
