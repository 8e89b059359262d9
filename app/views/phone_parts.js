// What every method's phone component shares (see app/views/base.py for the protocol): the props,
// the waiting screen between steps, the heading, the closed notice, the revealed result, and the
// reset when another step or round arrives. A method's component spreads `phoneParts`, fills
// `reset()` and puts its own input between `HEAD` and `END`.
// Participant and agenda text is only ever interpolated ({{ }} / :label), never parsed as HTML.

export const HEAD = `
    <div class="w-full">
    <div v-if="!view" class="w-full flex flex-col gap-4">
      <div v-if="heading" class="text-sm uppercase tracking-wide text-gray-500" data-koffer="step-title">{{ heading }}</div>
      <div class="text-2xl koffer-waiting" data-koffer="notice">{{ notice }}</div>
    </div>
    <div v-else class="w-full flex flex-col gap-4">
      <div class="text-sm uppercase tracking-wide text-gray-500" data-koffer="step-title">{{ v.title }}</div>
      <div v-if="v.round_text" class="text-base font-semibold text-primary" data-koffer="round">{{ v.round_text }}</div>
      <div v-if="v.question" class="text-2xl font-semibold leading-tight" data-koffer="question">{{ v.question }}</div>`;

export const OUTCOME = `
      <div v-if="closed" class="text-lg font-semibold text-red-800" data-koffer="closed">{{ v.texts.closed }}</div>
      <div v-if="r" class="w-full flex flex-col gap-2" data-koffer="result">
        <div class="text-xl font-semibold">{{ v.texts.results }}</div>
        <div v-if="r.decision" class="text-lg font-semibold leading-snug">{{ r.decision }}</div>
        <div v-for="row in r.rows" :key="row.id" class="w-full">
          <div class="text-base">{{ row.label }} — {{ row.text }}</div>
          <q-linear-progress :value="row.frac" size="14px" rounded color="primary" />
        </div>
      </div>`;

export const END = `
    </div>
    </div>`;

// view and result arrive as JSON: a string in a full element update (the page, a reconnect), an
// object in a patch (base.py: PhoneView._flush sends only what changed, see `patched`)
function parsed(value, empty) {
  if (typeof value === "string") return value ? JSON.parse(value) : empty;
  return value ?? empty;
}

export const phoneParts = {
  props: {
    view: [String, Object], mine: String, open: Boolean, closed: Boolean, result: [String, Object],
    notice: String, heading: String, texts: [String, Object],
  },
  watch: {
    // another step or round (or a reload of this one): start from what the server has stored
    view() {
      this.reset();
    },
    mine() {
      this.reset();
    },
  },
  computed: {
    // the server shares one JSON text among all phones; the texts that never change with the
    // step come once per method (`texts`: a string in the page, an object in a patch), a view
    // may add its own
    v() {
      const view = parsed(this.view, null);
      if (!view) return {};  // between steps: only the notice is shown
      return { ...view, texts: { ...parsed(this.texts, {}), ...(view.texts || {}) } };
    },
    r() {
      return parsed(this.result, null);
    },
  },
};

export function stored(mine, empty) {
  return JSON.parse(mine || "null") || empty;
}
