// The hand-vote phone view, drawn in the browser (see app/views/base.py for the protocol).
// Participant and agenda text is only ever interpolated ({{ }} / :label), never parsed as HTML.
// A choice is highlighted as "yours" only after the server acknowledged its commit.
import { END, HEAD, OUTCOME, phoneParts, stored } from "phone_parts";

export default {
  ...phoneParts,
  template: `${HEAD}
${OUTCOME}
      <div class="w-full flex flex-col gap-3">
        <q-btn v-for="o in v.options" :key="o.id" unelevated no-caps size="lg" class="w-full text-xl py-4"
               :color="shown(o.id) ? 'primary' : 'grey-3'" :text-color="shown(o.id) ? 'white' : 'black'"
               :label="(shown(o.id) ? '✓ ' : '') + o.label" :disable="!open" :loading="waiting === o.id"
               :data-option="o.id" @click="tap(o.id)" />
      </div>
      <q-btn v-if="v.multiple" unelevated color="primary" class="w-full text-xl py-3" :label="v.texts.send"
             :disable="!open" :loading="waiting === '*'" data-koffer="send" @click="send" />
      <div class="text-lg font-medium text-center w-full" :class="tone" data-koffer="status">{{ status }}</div>
      <div v-if="open" class="text-sm text-gray-600">{{ v.texts.change_hint }}</div>
${END}`,
  data() {
    const mine = stored(this.mine, []);
    return { confirmed: mine, picked: [...mine], waiting: null, seq: 0, failed: false, timer: null };
  },
  computed: {
    ...phoneParts.computed,
    status() {
      if (this.waiting !== null) return this.v.texts.saving;
      if (this.failed) return this.v.texts.retry;
      return this.confirmed.length ? this.v.texts.saved : "";
    },
    tone() {
      return this.failed ? "text-red-800" : this.confirmed.length && this.waiting === null ? "text-green-800" : "text-gray-700";
    },
  },
  methods: {
    reset() {
      this.confirmed = stored(this.mine, []);
      this.picked = [...this.confirmed];
      this.waiting = null;
      this.failed = false;
    },
    shown(id) {
      return (this.v.multiple ? this.picked : this.confirmed).includes(id);
    },
    tap(id) {
      if (!this.open || this.waiting !== null) return;
      if (this.v.multiple) {
        this.picked = this.picked.includes(id) ? this.picked.filter((x) => x !== id) : [...this.picked, id];
        return;
      }
      this.emitSubmit(id, { option: id });
    },
    send() {
      if (!this.open || this.waiting !== null) return;
      const order = this.v.options.map((o) => o.id);
      this.emitSubmit("*", { options: order.filter((id) => this.picked.includes(id)) });
    },
    emitSubmit(what, payload) {
      this.seq += 1;
      this.waiting = what;
      this.failed = false;
      clearTimeout(this.timer);
      const seq = this.seq;
      // no answer (server gone for good): say so instead of spinning forever; a late ack still lands
      this.timer = setTimeout(() => { if (this.seq === seq && this.waiting !== null) { this.waiting = null; this.failed = true; } }, 20000);
      this.$emit("submit", { seq: seq, step: this.v.step, round: this.v.round, payload: payload });
    },
    ack(seq, ok, mine) {
      if (ok) {
        this.confirmed = mine || [];
        if (!this.v.multiple) this.picked = [...this.confirmed];
      }
      if (seq !== this.seq) return;  // an older answer: the newest tap is still on its way
      clearTimeout(this.timer);
      this.waiting = null;
      this.failed = false;  // a refusal is explained by the page's notification; the stored vote stands
      if (!ok && !this.v.multiple) this.picked = [...this.confirmed];
    },
  },
};
