// The materiality phone view, drawn in the browser (see app/views/base.py for the protocol).
// One pair at a time: the axis question, two item cards stacked (each a full-width tap target
// with title and description) and "gleich / kann ich nicht sagen". `mine` is the participant's
// next task from the server (the axis and the pair's two item ids; the items' texts and each
// axis' question are in the step's view `v`); the ack of an answer carries the next pair.
// Participant and agenda text is only ever interpolated ({{ }} / :label), never parsed as HTML.
import { END, HEAD, OUTCOME, phoneParts, stored } from "phone_parts";

export default {
  ...phoneParts,
  template: `${HEAD}
${OUTCOME}
      <div v-if="open && m.task" class="w-full flex flex-col gap-3" data-koffer="comparison">
        <div class="text-xl font-semibold leading-snug" data-koffer="axis-question">{{ (v.asks || {})[m.task.axis] }}</div>
        <button v-for="id in m.task.pair" :key="id" type="button" :data-item="id"
                class="w-full text-left rounded-lg border-2 px-4 py-3 flex flex-col gap-1"
                :class="waiting === id ? 'border-primary bg-blue-50' : 'border-gray-300 bg-white'"
                style="min-height: 64px" :disabled="waiting !== null" @click="choose(id)">
          <span class="text-lg font-semibold leading-snug">{{ item(id).title }}</span>
          <span v-if="item(id).description" class="text-base text-gray-700 leading-snug">{{ item(id).description }}</span>
        </button>
        <q-btn outline no-caps color="grey-8" class="w-full text-lg" style="min-height: 48px"
               :label="v.texts.equal" :disable="waiting !== null" :loading="waiting === '='"
               data-koffer="equal" @click="choose(null)" />
        <div class="text-base text-gray-600" data-koffer="progress">{{ m.progress }}</div>
      </div>
      <div v-else-if="open" class="text-xl font-semibold text-green-800" data-koffer="done">{{ v.texts.done }}</div>
      <div class="text-lg font-medium text-center w-full" :class="tone" data-koffer="status">{{ status }}</div>
${END}`,
  data() {
    return { m: stored(this.mine, {}), waiting: null, saved: false, seq: 0, failed: false, timer: null };
  },
  computed: {
    ...phoneParts.computed,
    status() {
      if (this.waiting !== null) return this.v.texts.saving;
      if (this.failed) return this.v.texts.retry;
      return this.saved ? this.v.texts.saved : "";
    },
    tone() {
      return this.failed ? "text-red-800" : this.saved && this.waiting === null ? "text-green-800" : "text-gray-700";
    },
  },
  methods: {
    reset() {
      this.m = stored(this.mine, {});
      this.waiting = null;
      this.failed = false;
    },
    item(id) {  // an item's texts from the step's view: the task names the pair by ids
      return (this.v.items || {})[id] || { title: id, description: "" };
    },
    choose(id) {
      const task = this.m.task;
      if (!this.open || this.waiting !== null || !task) return;
      const pair = task.pair.slice();
      this.seq += 1;
      this.waiting = id === null ? "=" : id;
      this.failed = false;
      this.saved = false;
      clearTimeout(this.timer);
      const seq = this.seq;
      // no answer (server gone for good): say so instead of spinning forever; a late ack still lands
      this.timer = setTimeout(() => { if (this.seq === seq && this.waiting !== null) { this.waiting = null; this.failed = true; } }, 20000);
      this.$emit("submit", { seq: seq, step: this.v.step, round: this.v.round,
                             payload: { axis: task.axis, pair: pair, choice: id } });
    },
    ack(seq, ok, mine) {
      if (ok && mine) {
        this.m = mine;  // the next pair (or none: all comparisons done)
        this.saved = true;
      }
      if (seq !== this.seq) return;  // an older answer: the newest tap is still on its way
      clearTimeout(this.timer);
      this.waiting = null;
      this.failed = false;  // a refusal is explained by the page's notification; the pair stays
    },
  },
};
