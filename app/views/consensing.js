// The systemic-consensing phone view, drawn in the browser (see app/views/base.py for the protocol).
// One card per proposal (and the passive solution) with the resistance scale as big tiles plus
// "Enthaltung". Every tap is sent at once as a one-option payload; the tile turns blue only after
// the server acknowledged the commit, so nothing shown as saved can be lost when the screen sleeps.
// Participant and agenda text is only interpolated ({{ }} / :label), never parsed as HTML.
import { END, HEAD, OUTCOME, phoneParts, stored } from "phone_parts";

export default {
  ...phoneParts,
  template: `${HEAD}
      <div class="text-base text-gray-700 -mt-2" data-koffer="hint">{{ hint }}</div>
      <div class="text-lg font-medium text-gray-800 sticky top-0 z-10 bg-white w-full py-1" data-koffer="progress">{{ progress }}</div>
${OUTCOME}
      <div v-for="o in v.options" :key="o.id" :data-card="o.id"
           class="w-full flex flex-col gap-2 p-3 rounded border border-gray-300" :class="o.passive ? 'bg-gray-100' : 'bg-white'">
        <div v-if="o.passive" class="text-xs uppercase tracking-wide text-gray-600">{{ v.texts.passive_tag }}</div>
        <div class="text-lg font-semibold leading-snug">{{ o.label }}</div>
        <div v-if="o.description" class="text-sm text-gray-600 leading-snug">{{ o.description }}</div>
        <div class="w-full" :style="grid">
          <q-btn v-for="c in choices" :key="String(c.value)" unelevated no-caps padding="none"
                 :size="c.value === v.abstain ? 'md' : 'lg'" :label="c.label" :disable="!open"
                 :loading="waiting[o.id] === c.value" :data-value="String(c.value)" square
                 :style="c.value === v.abstain ? 'grid-column: 1 / -1' : ''"
                 :color="confirmed[o.id] === c.value ? 'primary' : 'grey-3'"
                 :text-color="confirmed[o.id] === c.value ? 'white' : 'grey-10'"
                 @click="tap(o.id, c.value)" />
        </div>
        <div class="text-lg font-semibold" :class="tone(o.id)" :data-status="o.id">{{ line(o.id) }}</div>
      </div>
${END}`,
  data() {
    return { confirmed: stored(this.mine, {}), waiting: {}, failed: {}, seq: 0, sent: {} };
  },
  computed: {
    ...phoneParts.computed,
    // the texts came once with the page (`texts`); the step's view says only the scale
    hint() {
      return this.v.scale === 2 ? this.v.texts.scale_hint_hands : this.v.texts.scale_hint.replace("{max}", this.v.scale);
    },
    choices() {  // 0..scale, then abstain on a row of its own
      const out = [];
      for (let i = 0; i <= this.v.scale; i += 1) out.push({ value: i, label: String(i) });
      out.push({ value: this.v.abstain, label: this.v.texts.abstain });
      return out;
    },
    grid() {  // rows of at most six tiles: one-thumb reachable at 390 px
      const columns = this.v.scale > 5 ? 6 : this.v.scale + 1;
      return `display: grid; grid-template-columns: repeat(${columns}, minmax(0, 1fr)); grid-auto-rows: minmax(48px, auto); gap: 4px`;
    },
    progress() {
      const ids = this.v.options.map((o) => o.id);
      const n = ids.filter((id) => this.confirmed[id] !== undefined && this.confirmed[id] !== null).length;
      return this.v.texts.progress.replace("{n}", n).replace("{total}", ids.length);
    },
  },
  methods: {
    reset() {
      this.confirmed = stored(this.mine, {});
      this.waiting = {};
      this.failed = {};
      this.sent = {};
    },
    line(id) {
      if (this.waiting[id] !== undefined) return this.v.texts.saving;
      if (this.failed[id]) return this.v.texts.retry;
      const value = this.confirmed[id];
      if (value === undefined || value === null) return this.v.texts.value_none;
      const shown = value === this.v.abstain ? this.v.texts.value_abstain : this.v.texts.value.replace("{value}", value);
      return shown + " · " + this.v.texts.cons_saved;
    },
    tone(id) {
      if (this.failed[id]) return "text-red-800";
      const value = this.confirmed[id];
      return value === undefined || value === null || this.waiting[id] !== undefined ? "text-gray-700" : "text-green-900";
    },
    tap(id, value) {
      if (!this.open || this.waiting[id] !== undefined) return;
      if (this.confirmed[id] === value) return;  // already stored: nothing to send
      this.seq += 1;
      const seq = this.seq;
      this.sent[seq] = id;
      this.waiting = { ...this.waiting, [id]: value };
      this.failed = { ...this.failed, [id]: false };
      // no answer (server gone for good): say so instead of spinning forever; a late ack still lands
      setTimeout(() => {
        if (this.sent[seq] !== undefined && this.waiting[id] === value) {
          delete this.sent[seq];
          const { [id]: _, ...rest } = this.waiting;
          this.waiting = rest;
          this.failed = { ...this.failed, [id]: true };
        }
      }, 20000);
      this.$emit("submit", { seq: seq, step: this.v.step, round: this.v.round, payload: { ratings: { [id]: value } } });
    },
    ack(seq, ok, mine) {
      if (ok) this.confirmed = { ...(mine || {}) };
      const id = this.sent[seq];
      if (id === undefined) return;
      delete this.sent[seq];
      const { [id]: _, ...rest } = this.waiting;
      this.waiting = rest;
    },
  },
};
