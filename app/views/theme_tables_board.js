// The theme-tables console: every table as a pinboard side by side, cards as sticky notes grouped
// by prompt (or category), counts per table; one table enlarged for the harvest. Props: `view`
// (tables, prompts, texts; per step), `boards` (every card per table, with the page), `controls`
// (the moderator's console: tap cards to select, then merge, split, edit or move them). After the
// page, each delivery calls `apply(delta)` with only what changed (app/views/theme_tables_deltas.py): the
// cards put or removed per table, keyed by id, and the counts that changed.
// New cards are patched into their column by Vue: nothing is rebuilt. A column that gets too full
// shrinks its type until everything fits (nothing cut off); the enlarged table is for reading.
// Quasar's .flex wraps: every column here says flex-nowrap, or a full column would wrap sideways
// out of sight instead of growing (and shrinking its type).
// Participant text is only ever interpolated ({{ }}), never parsed as HTML.
import { mergeCards } from "theme_tables_deltas";

function parsed(text) {
  return text ? JSON.parse(text) : { tables: [], focus: null };
}


export default {
  props: { view: String, boards: String, controls: Boolean },
  template: `
  <div class="w-full flex flex-col gap-2" data-koffer="tables">
    <div v-if="controls" class="w-full flex flex-wrap items-center gap-2" data-koffer="board-tools">
      <q-btn-toggle v-model="by" no-caps dense unelevated toggle-color="primary" color="grey-3" text-color="black"
                    :options="[{label: v.texts['board.by_prompt'], value: 'prompt'}, {label: v.texts['board.by_category'], value: 'category'}]"
                    data-koffer="group-by" />
      <template v-if="selected.length">
        <span class="text-lg font-semibold px-2" data-koffer="selected">{{ say('board.selected', {n: selected.length}) }}</span>
        <q-btn v-if="selected.length >= 2" unelevated color="primary" no-caps :label="v.texts.merge" data-koffer="merge" @click="open('merge')" />
        <q-btn v-if="selected.length === 1 && selectedCards[0].merged.length" outline color="primary" no-caps :label="v.texts.split" data-koffer="split"
               @click="run('split', {card: selected[0]})" />
        <q-btn v-if="selected.length === 1" outline color="primary" no-caps :label="v.texts.edit" data-koffer="edit" @click="open('edit')" />
        <q-btn outline color="primary" no-caps :label="v.texts.move" data-koffer="move" @click="open('move')" />
        <q-btn flat no-caps :label="v.texts.cancel" data-koffer="deselect" @click="clear" />
      </template>
    </div>
    <div v-if="controls && panel" class="w-full flex flex-wrap items-center gap-2 rounded bg-blue-50 px-3 py-2" data-koffer="panel">
      <template v-if="panel === 'merge' || panel === 'edit'">
        <input v-model="text" maxlength="280" class="grow rounded border-2 border-gray-300 px-3 py-2 text-lg" data-koffer="panel-text" />
        <q-btn unelevated color="primary" no-caps :label="panel === 'merge' ? v.texts.merge : v.texts.save" data-koffer="panel-ok"
               @click="panel === 'merge' ? run('merge', {cards: selected, text: text}) : run('edit', {card: selected[0], text: text})" />
      </template>
      <template v-else>
        <span class="text-base font-semibold">{{ v.texts.move_table }}:</span>
        <q-btn v-for="t in v.tables" :key="t.id" outline dense no-caps :label="t.title" :data-move-table="t.id" @click="moveAll({table: t.id})" />
        <template v-if="moveTable && moveTable.prompts.length">
          <span class="text-base font-semibold">{{ v.texts.move_prompt }}:</span>
          <q-btn v-for="p in moveTable.prompts" :key="p.id" outline dense no-caps :label="p.label" :data-move-prompt="p.id" @click="moveAll({prompt: p.id})" />
        </template>
        <template v-if="v.categories.length">
          <span class="text-base font-semibold">{{ v.texts.category }}:</span>
          <q-btn v-for="c in v.categories" :key="c.id" outline dense no-caps :label="c.label" :data-move-category="c.id" @click="moveAll({category: c.id})" />
        </template>
      </template>
      <q-btn flat no-caps :label="v.texts.cancel" @click="panel = null" />
    </div>
    <div ref="area" class="w-full grid gap-3" :style="areaStyle">
      <section v-for="t in shown" :key="t.id" ref="columns" :data-table="t.id"
               class="rounded-lg bg-stone-100 border border-stone-300 p-2 flex flex-col flex-nowrap gap-1 overflow-hidden min-w-0">
        <header class="flex flex-nowrap items-start justify-between gap-2 shrink-0" :class="controls ? 'cursor-pointer' : ''" @click="toggleFocus(t.id)"
                :data-koffer="'table-head-' + t.id">
          <div class="min-w-0">
            <div class="font-bold leading-tight" style="font-size: 1.15em" data-koffer="table-title">{{ t.title }}</div>
            <div class="text-gray-700" style="font-size: 0.95em" :data-koffer="'table-count-' + t.id">
              {{ say('board.cards', {n: t.cards.length}) }} · {{ say('board.people', {n: t.seated}) }}<span v-if="t.hosts"> · {{ v.texts['board.host'] }}</span>
            </div>
          </div>
          <q-btn v-if="controls" flat dense round :icon="focused ? 'close_fullscreen' : 'open_in_full'" class="shrink-0"
                 :aria-label="focused ? v.texts['board.overview'] : v.texts['board.enlarge']" />
        </header>
        <div v-if="focused && t.summary" class="rounded bg-white px-2 py-1 whitespace-pre-line" style="font-size: 0.9em">
          <b>{{ v.texts['board.summary'] }}:</b> {{ t.summary }}</div>
        <div v-if="!t.cards.length" class="text-gray-500 italic" style="font-size: 0.95em">{{ v.texts['board.empty'] }}</div>
        <div :class="focused ? 'grid gap-3' : 'flex flex-col flex-nowrap gap-1'" :style="focused ? {gridTemplateColumns: 'repeat(' + Math.min(4, groups(t).length || 1) + ', minmax(0, 1fr))'} : {}">
          <div v-for="g in groups(t)" :key="g.id" class="flex flex-col flex-nowrap gap-1 min-w-0" :data-group="g.id">
            <div class="font-semibold text-stone-700 leading-tight mt-1" style="font-size: 0.95em">{{ g.label }}</div>
            <div v-for="(c, i) in g.cards" :key="c.id" :data-card="c.id" @click="select(c.id)"
                 class="rounded-sm px-2 py-1 leading-snug shadow whitespace-pre-line break-words"
                 :class="[selected.includes(c.id) ? 'ring-4 ring-blue-600' : '', c.merged.length ? 'bg-amber-200' : 'bg-yellow-100', controls ? 'cursor-pointer' : '']"
                 :style="{transform: 'rotate(' + (i % 2 ? 0.4 : -0.4) + 'deg)'}">
              {{ c.text }}
              <span v-if="c.merged.length" class="text-stone-700 whitespace-nowrap" style="font-size: 0.8em"> · {{ say('merged_from', {n: c.merged.length}) }}</span>
              <div v-if="focused && c.merged.length" class="text-stone-700" style="font-size: 0.75em">
                <div v-for="(o, k) in c.merged" :key="k">– {{ o }}</div>
              </div>
            </div>
          </div>
        </div>
      </section>
    </div>
  </div>`,
  data() {
    return { by: null, selected: [], panel: null, text: "", height: 0, state: parsed(this.boards) };
  },
  computed: {
    v() {
      return this.view ? JSON.parse(this.view) : { tables: [], categories: [], texts: {} };
    },
    grouping() {
      return this.by || this.v.group_by || "prompt";
    },
    tables() {
      const live = {};
      for (const t of this.state.tables || []) live[t.id] = t;
      return this.v.tables.map((t) => ({ ...t, cards: [], seated: 0, hosts: 0, summary: "", ...(live[t.id] || {}) }));
    },
    focused() {
      return !!this.state.focus && this.tables.some((t) => t.id === this.state.focus);
    },
    shown() {
      return this.focused ? this.tables.filter((t) => t.id === this.state.focus) : this.tables;
    },
    areaStyle() {
      const n = this.shown.length || 1;
      return { gridTemplateColumns: "repeat(" + n + ", minmax(0, 1fr))", height: this.height ? this.height + "px" : "auto" };
    },
    cardsById() {
      const out = {};
      for (const t of this.tables) for (const c of t.cards) out[c.id] = { ...c, table: t.id };
      return out;
    },
    selectedCards() {
      return this.selected.map((id) => this.cardsById[id]).filter((c) => c);
    },
    moveTable() {
      const first = this.selectedCards[0];
      return first ? this.v.tables.find((t) => t.id === first.table) : null;
    },
  },
  watch: {
    boards() {
      this.state = parsed(this.boards);
      this.changed();
    },
  },
  mounted() {
    this.resize = () => this.measure();
    window.addEventListener("resize", this.resize);
    this.$nextTick(() => this.measure());
  },
  unmounted() {
    window.removeEventListener("resize", this.resize);
  },
  updated() {
    this.$nextTick(() => this.fit());
  },
  methods: {
    // one delivery's change: {round?, focus?, tables: [{id, seated?, hosts?, summary?, cards?: delta, all?: cards}]}
    apply(delta) {
      const data = this.state;
      if ("round" in delta) data.round = delta.round;
      if ("focus" in delta) data.focus = delta.focus;
      for (const t of delta.tables || []) {
        let held = data.tables.find((x) => x.id === t.id);
        if (!held) {
          held = { id: t.id, cards: [] };
          data.tables.push(held);
        }
        for (const key of ["seated", "hosts", "summary"]) if (key in t) held[key] = t[key];
        if (t.all) held.cards = t.all;
        else if (t.cards) held.cards = mergeCards(held.cards, t.cards);
      }
      this.changed();
    },
    changed() {
      this.selected = this.selected.filter((id) => this.cardsById[id]);  // merged away: no longer selectable
      if (!this.selected.length) this.panel = null;
    },
    say(key, params) {
      let text = this.v.texts[key] || key;
      for (const [k, value] of Object.entries(params || {})) {
        // "{n|Karte|Karten}": the word for one or for many (app/i18n.py: t does the same)
        text = text.replace(new RegExp("\\{" + k + "\\|([^|{}]*)\\|([^|{}]*)\\}", "g"), (_m, one, many) => (value === 1 ? one : many));
        text = text.replace("{" + k + "}", value);
      }
      return text;
    },
    groups(t) {
      if (this.grouping === "category" && this.v.categories.length) {
        const out = this.v.categories.map((c) => ({ id: c.id, label: c.label, cards: [] }));
        const rest = { id: "", label: this.v.texts["board.no_category"], cards: [] };
        for (const c of t.cards) (out.find((g) => g.id === c.category) || rest).cards.push(c);
        return [...out, rest].filter((g) => g.cards.length);
      }
      const out = t.prompts.map((p) => ({ id: p.id, label: p.label, cards: [] }));
      const rest = { id: "", label: this.v.texts["board.no_prompt"], cards: [] };
      for (const c of t.cards) (out.find((g) => g.id === c.prompt) || rest).cards.push(c);
      return [...out, rest].filter((g) => g.cards.length);
    },
    // the boards take the screen below them; a column that overflows shrinks its type
    measure() {
      const area = this.$refs.area;
      if (!area) return;
      const top = area.getBoundingClientRect().top + window.scrollY;
      const footer = this.controls ? 76 : 12;
      this.height = Math.max(240, window.innerHeight - top - footer);
      this.$nextTick(() => this.fit());
    },
    // the type of each column, from scratch every time (the same cards give the same size, so
    // this never feeds back into another render): the largest size that shows every card
    fit() {
      const base = this.focused ? 1.5 : 1.25;
      for (const column of this.$refs.columns || []) {
        const fits = (scale) => {
          column.style.fontSize = scale * base + "rem";
          return column.scrollHeight <= column.clientHeight + 1;
        };
        if (fits(1)) continue;
        let low = 0.3, high = 1;
        for (let i = 0; i < 7; i++) {
          const mid = (low + high) / 2;
          if (fits(mid)) low = mid; else high = mid;
        }
        fits(low);
      }
    },
    select(id) {
      if (!this.controls) return;
      this.selected = this.selected.includes(id) ? this.selected.filter((x) => x !== id) : [...this.selected, id];
      if (!this.selected.length) this.panel = null;
    },
    clear() {
      this.selected = [];
      this.panel = null;
    },
    open(panel) {
      this.panel = panel;
      this.text = this.selectedCards.length ? this.selectedCards[0].text : "";
    },
    run(name, payload) {
      this.$emit("command", { name: name, payload: payload });
      this.clear();
    },
    moveAll(change) {
      for (const id of this.selected) this.$emit("command", { name: "move", payload: { card: id, ...change } });
      this.clear();
    },
    toggleFocus(id) {
      if (!this.controls) return;
      this.$emit("command", { name: "focus", payload: { table: this.focused ? null : id } });
    },
  },
};
