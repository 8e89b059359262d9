// The materiality phone view, drawn in the browser (see app/views/base.py for the protocol).
// One pair at a time: the axis question, two item cards stacked (each a full-width tap target
// with title and description) and "gleich / kann ich nicht sagen". `mine` is the participant's
// next task from the server (the axis and the pair's two item ids; the items' texts and each
// axis' question are in the step's view `v`) and `next`, the pair after it: a tap shows that
// pair at once, without waiting for the round trip, while the answer is saved; the ack of the
// answer ("saved" only after the commit) brings the pair after it in turn. Pairs this phone has
// answered are never shown again (an older ack may still name one).
// Participant and agenda text is only ever interpolated ({{ }} / :label), never parsed as HTML.
import { END, HEAD, OUTCOME, phoneParts, stored } from "phone_parts";

const GUARD_MS = 300;

export default {
  ...phoneParts,
  template: `${HEAD}
${OUTCOME}
      <div v-if="open && cur" :key="key(cur.task)" class="w-full flex flex-col gap-3 koffer-arrive" data-koffer="comparison">
        <div class="text-xl font-semibold leading-snug" data-koffer="axis-question">{{ (v.asks || {})[cur.task.axis] }}</div>
        <button v-for="id in cur.task.pair" :key="cur.task.axis + id" type="button" :data-item="id"
                class="w-full text-left rounded-lg border-2 px-4 py-3 flex flex-col gap-1"
                :class="waiting === id ? 'border-primary bg-blue-50' : 'border-gray-300 bg-white'"
                style="min-height: 64px" :disabled="waiting !== null" @click="choose(id)">
          <span class="text-lg font-semibold leading-snug">{{ item(id).title }}</span>
          <span v-if="item(id).description" class="text-base text-gray-700 leading-snug">{{ item(id).description }}</span>
        </button>
        <q-btn outline no-caps color="grey-8" class="w-full text-lg" style="min-height: 48px"
               :label="v.texts.equal" :disable="waiting !== null" :loading="waiting === '='"
               data-koffer="equal" @click="choose(null)" />
        <div class="text-base text-gray-600" data-koffer="progress">{{ cur.progress }}</div>
      </div>
      <div v-else-if="open" class="text-xl font-semibold text-green-800" data-koffer="done">{{ v.texts.done }}</div>
      <div class="text-lg font-medium text-center w-full" :class="tone" data-koffer="status">{{ status }}</div>
${END}`,
  data() {
    // cur: the pair on screen ({task, progress}); held: the pair after it; answered: the pairs
    // this phone sent in this step and round; inflight: seq -> the pair of an unacknowledged answer
    // since: when the pair on screen came (a second tap of a double tap must not answer it)
    // lost: seq -> pair of an answer given up on after 20 s without an ack (a late ack still counts)
    return { cur: null, held: null, at: null, answered: {}, inflight: {}, lost: {}, waiting: null, saved: false,
             seq: 0, failed: false, timer: null, since: 0 };
  },
  computed: {
    ...phoneParts.computed,
    unsaved() {
      return Object.keys(this.inflight).length;
    },
    status() {
      if (this.waiting !== null || this.unsaved) return this.v.texts.saving;
      if (this.failed) return this.v.texts.retry;
      return this.saved ? this.v.texts.saved : "";
    },
    tone() {
      return this.failed ? "text-red-800" : this.saved && !this.unsaved && this.waiting === null
        ? "text-green-800" : "text-gray-700";
    },
  },
  created() {
    this.reset();
  },
  methods: {
    key(task) {
      return task.axis + ":" + task.pair.slice().sort().join("\u001f");
    },
    reset() {  // another step or round, a reload or a reconnect: what the server has stored
      if (this.v.step === undefined) return;  // idle between steps: keep what this step's phone knows
      const at = this.v.step + "/" + this.v.round;
      if (at !== this.at) {
        this.at = at;
        this.answered = {};
        this.inflight = {};
        this.lost = {};
        this.cur = null;
        this.held = null;
        this.saved = false;
        this.waiting = null;
        this.failed = false;
      }
      this.adopt(stored(this.mine, {}));
    },
    // the server's next pair and the one after it: pairs answered here are skipped, and the pair
    // on screen stays (the person may be reading it) with the next one held behind it
    adopt(mine) {
      const offers = [mine.task ? { task: mine.task, progress: mine.progress } : null, mine.next || null]
        .filter((o) => o && o.task && !this.answered[this.key(o.task)]);
      if (!mine.task && !this.unsaved) {  // all comparisons done (also those of another tab)
        this.cur = null;
        this.held = null;
        this.waiting = null;
      } else if (this.cur && !this.answered[this.key(this.cur.task)]) {
        const shown = this.key(this.cur.task);
        this.held = offers.find((o) => this.key(o.task) !== shown) || null;
      } else if (offers.length) {
        this.show(offers[0]);
        this.held = offers[1] || null;
        this.waiting = null;
      }  // else: an older ack, every pair it names answered here; the newer one brings the next
    },
    show(pair) {
      this.cur = pair;
      this.since = performance.now();
    },
    item(id) {  // an item's texts from the step's view: the task names the pair by ids
      return (this.v.items || {})[id] || { title: id, description: "" };
    },
    choose(id) {
      const shown = this.cur;
      if (!this.open || this.waiting !== null || !shown) return;
      // the pair came less than a third of a second ago: nobody has read it yet, this is the
      // second tap of a double tap (or a tap meant for the pair before)
      if (performance.now() - this.since < GUARD_MS) return;
      const task = shown.task;
      this.seq += 1;
      const seq = this.seq;
      this.answered[this.key(task)] = true;
      this.inflight[seq] = this.key(task);
      this.failed = false;
      this.saved = false;
      if (this.held) {  // the next pair is here already: on at once, the answer saves meanwhile
        this.show(this.held);
        this.held = null;
      } else {
        this.waiting = id === null ? "=" : id;
      }
      clearTimeout(this.timer);
      // no answer (server gone for good): say so instead of spinning forever; the unsaved pairs
      // may be answered again (the server hands them again after a reload); a late ack still lands
      this.timer = setTimeout(() => {
        if (!this.unsaved) return;
        for (const k of Object.values(this.inflight)) delete this.answered[k];
        Object.assign(this.lost, this.inflight);
        this.inflight = {};
        this.waiting = null;
        this.failed = true;
      }, 20000);
      this.$emit("submit", { seq: seq, step: this.v.step, round: this.v.round,
                             payload: { axis: task.axis, pair: task.pair.slice(), choice: id } });
    },
    ack(seq, ok, mine) {
      const late = this.lost[seq];
      delete this.lost[seq];
      const sent = this.inflight[seq] || late;
      delete this.inflight[seq];
      if (!sent) return;  // an ack of another step's or round's answer
      if (ok && late) this.answered[late] = true;  // stored after all: never show it again
      if (ok) {
        this.saved = true;
        if (mine) this.adopt(mine);
      } else {  // refused (the page's notification says why): the pair is open again
        delete this.answered[sent];
        if (this.waiting !== null && this.cur && this.key(this.cur.task) === sent) this.waiting = null;
      }
      if (!this.unsaved) clearTimeout(this.timer);
      if (seq === this.seq) this.failed = false;
      if (this.waiting !== null && this.cur && !this.answered[this.key(this.cur.task)]) this.waiting = null;
      if (this.waiting !== null && !this.unsaved) {  // every ack in and nothing to show: say so, never hang
        this.waiting = null;
        this.failed = true;
      }
    },
  },
};
