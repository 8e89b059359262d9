// The one element of a phone page (app/views/base.py: PhoneHost). It draws the method component
// named by `component` (app/views/<method>.js, a library in the page's import map, loaded the
// first time a step of that method comes) and hands it every other prop and listener as they
// are: the method's component never knows it is hosted. The server calls the component's
// methods through the host (`runMethod(host, "ack", ...)`); a call that arrives while the
// component is still loading waits for it.
import { markRaw } from "vue";

const loaded = {};  // import name -> component definition (a page has one host)

export default {
  inheritAttrs: false,
  props: { component: String },
  data() {
    return { def: null, shown: "", queue: [] };
  },
  template: `
    <component v-if="def" :is="def" :key="shown" ref="view" v-bind="bound()" @vue:mounted="flush" />
    <div v-else class="w-full flex flex-col gap-4">
      <div v-if="$attrs.heading" class="text-sm uppercase tracking-wide text-gray-500">{{ $attrs.heading }}</div>
      <div class="text-2xl koffer-waiting">{{ $attrs.notice }}</div>
    </div>`,
  watch: {
    // before the render that shows the new props: never hand one method's view to another's component
    component: {
      immediate: true,
      handler(name) {
        if (loaded[name]) {
          this.def = loaded[name];
          this.shown = name;
          return;
        }
        this.def = null;
        this.shown = "";
        if (name) this.load(name, 0);
      },
    },
  },
  methods: {
    // the room's Wi-Fi may drop the module's request: try again (after 1, 2, 4 … up to 8 s) as
    // long as the phone is still meant to draw this method
    load(name, attempt) {
      // a failed module fetch stays failed under its address: a retry asks under a fresh one
      const address = attempt ? `${import.meta.resolve(name)}?retry=${attempt}` : name;
      import(address).then((module) => {
        loaded[name] = markRaw(module.default);
        if (this.component === name) {
          this.def = loaded[name];
          this.shown = name;
        }
      }).catch(() => {
        if (this.component === name) setTimeout(() => this.component === name && this.load(name, attempt + 1), Math.min(1000 * 2 ** attempt, 8000));
      });
    },
    // the props the method's component declares, the listeners, class and style: a prop another
    // method left (a theme table's cards) never becomes an attribute of this one's markup
    bound() {
      const declared = (this.def && this.def.props) || {};
      const out = {};
      for (const [key, value] of Object.entries(this.$attrs)) {
        if (key in declared || key.startsWith("on") || key === "class" || key === "style") out[key] = value;
      }
      return out;
    },
    call(name, args) {
      const view = this.$refs.view;
      if (this.def && view && typeof view[name] === "function") return view[name](...args);
      this.queue.push([name, args]);
    },
    flush() {
      const waiting = this.queue;
      this.queue = [];
      for (const [name, args] of waiting) this.call(name, args);
    },
    ack(...args) {
      return this.call("ack", args);
    },
    apply(...args) {
      return this.call("apply", args);
    },
    done(...args) {
      return this.call("done", args);
    },
  },
};
