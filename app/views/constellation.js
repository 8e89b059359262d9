// The constellation phone view, drawn in the browser (see app/views/base.py for the protocol).
// The statement, then the line (1D) or field (2D) with the participant's own dot. Placing it
// never needs dragging (WCAG 2.2 SC 2.5.7): a tap places the dot, the nudge buttons and the
// arrow keys move it; dragging works too. While a finger moves, a `move` event (at most 4 a
// second) lets the room see the dot travel; nothing is stored until the finger lets go (or the
// nudging pauses): then one `submit`, and "Gespeichert ✓" only after its ack.
// Participant and agenda text is only ever interpolated ({{ }} / :label), never parsed as HTML.
import { END, HEAD, OUTCOME, phoneParts, stored } from "phone_parts";

const MOVE_GAP = 250; // ms between two `move` events: at most 4 a second while a finger moves
const SETTLE = 700; // ms after the last nudge or arrow key before the position is stored
const NUDGE = 0.05;
const KEY_STEP = 0.02;
const PAD = 1000; // stroke coordinates 0..PAD across and down the signature pad
const MAX_POINTS = 400;
const MAX_STROKES = 40;
const EMPTY = { positions: {}, signed: {}, name: "" };

function clamp(v) {
  return Math.min(1, Math.max(0, v));
}

function round4(v) {
  return Math.round(v * 10000) / 10000;
}

export default {
  ...phoneParts,
  props: { ...phoneParts.props, stage: [String, Object] },  // JSON text on the page, an object in a patch
  template: `${HEAD}
${OUTCOME}
      <div v-if="s && v.statements" class="w-full flex flex-col gap-3" data-koffer="constellation">
        <div v-if="v.numbers[s.current]" class="text-base text-gray-600" data-koffer="statement-number">{{ v.numbers[s.current] }}</div>
        <div class="text-xl leading-snug whitespace-pre-line overflow-y-auto" style="max-height: 32vh"
             data-koffer="statement">{{ v.statements[s.current] }}</div>
        <div v-if="s.frozen" class="text-lg font-semibold text-amber-900" data-koffer="frozen"><q-icon name="lock" class="mr-1" />{{ v.texts.frozen }}</div>
        <div v-if="v.dims === 2" class="w-full text-base text-gray-700 text-center" data-koffer="y-high">↑ {{ v.yaxis.high }}</div>
        <div ref="area" role="slider" tabindex="0" data-koffer="area" :aria-label="v.texts.slider"
             aria-valuemin="0" aria-valuemax="100" :aria-valuenow="pos ? Math.round(pos[0] * 100) : null"
             :aria-valuetext="valueText" :aria-disabled="!movable"
             class="relative w-full rounded-xl border-2 select-none outline-offset-2"
             :class="movable ? 'border-gray-400 bg-white' : 'border-gray-300 bg-gray-100'"
             :style="areaStyle"
             @pointerdown="down" @pointermove="drag" @pointerup="up" @pointercancel="cancel"
             @lostpointercapture="cancel" @keydown="key">
          <template v-if="v.dims === 1">
            <div class="absolute left-3 right-3" style="top: 50%; height: 4px; margin-top: -2px; background: #253858"></div>
            <div v-for="k in 5" :key="'t' + k" class="absolute"
                 :style="{ left: 'calc(12px + ' + ((k - 1) * 25) + '% - ' + ((k - 1) * 6) + 'px)', top: k === 3 ? '30%' : '38%',
                           height: k === 3 ? '40%' : '24%', width: '2px', background: '#253858' }"></div>
          </template>
          <template v-else>
            <div class="absolute top-0 bottom-0" style="left: 50%; width: 2px; background: #9AA5B1"></div>
            <div class="absolute left-0 right-0" style="top: 50%; height: 2px; background: #9AA5B1"></div>
          </template>
          <div v-for="(o, k) in others" :key="'o' + k" class="absolute rounded-full pointer-events-none"
               :style="spotStyle(o, 12, '#8E99A4', 0.55)"></div>
          <div v-if="pos" data-koffer="dot" class="absolute rounded-full pointer-events-none flex items-center justify-center text-base"
               :style="spotStyle(pos, 40, s.frozen ? '#6B7280' : '#1d4f91', 1)"><q-icon v-if="s.frozen" name="lock" size="18px" /></div>
        </div>
        <div class="w-full flex justify-between gap-4 text-base text-gray-800" data-koffer="ends">
          <span>{{ v.dims === 2 ? "" : "← " }}{{ v.dims === 2 ? v.yaxis.low + " ↓" : v.axis.low }}</span>
          <span class="text-right">{{ v.axis.high }} →</span>
        </div>
        <div v-if="v.dims === 2" class="w-full text-sm text-gray-600 text-center">{{ v.axis.label }}: {{ v.axis.low }} ← → {{ v.axis.high }}</div>
        <div v-if="others.length" class="text-sm text-gray-600">{{ v.texts.others }}</div>
        <div v-if="movable && pos" class="w-full flex justify-center gap-3" data-koffer="nudges">
          <q-btn outline round size="lg" icon="chevron_left" :aria-label="v.texts.nudge_left" data-koffer="nudge-left" @click="nudge(-1, 0)" />
          <q-btn v-if="v.dims === 2" outline round size="lg" icon="expand_more" :aria-label="v.texts.nudge_down" data-koffer="nudge-down" @click="nudge(0, -1)" />
          <q-btn v-if="v.dims === 2" outline round size="lg" icon="expand_less" :aria-label="v.texts.nudge_up" data-koffer="nudge-up" @click="nudge(0, 1)" />
          <q-btn outline round size="lg" icon="chevron_right" :aria-label="v.texts.nudge_right" data-koffer="nudge-right" @click="nudge(1, 0)" />
        </div>
        <div v-if="!pos && movable" class="text-lg font-semibold text-gray-900" data-koffer="unplaced">
          {{ v.dims === 2 ? v.texts.unplaced_field : v.texts.unplaced_line }}</div>
        <div v-else class="text-lg font-medium text-center w-full" :class="tone" style="min-height: 3.5rem"
             data-koffer="status">{{ status }}</div>
        <div v-if="open && s.signing !== null && s.signing !== undefined" class="w-full flex flex-col gap-3 border-t pt-3" data-koffer="signing">
          <div class="text-xl font-semibold">{{ signTitle }}</div>
          <div v-if="s.signing !== s.current" class="text-base text-gray-700 whitespace-pre-line">{{ v.statements[s.signing] }}</div>
          <template v-if="!signedHere || again">
            <label class="text-base text-gray-700" for="koffer-sign-name">{{ v.texts.sign_name }}</label>
            <input id="koffer-sign-name" v-model="signName" maxlength="80" autocomplete="name" enterkeyhint="done"
                   class="w-full border-2 border-gray-400 rounded-lg px-3 text-xl" style="min-height: 48px" data-koffer="sign-name" />
            <div class="text-base text-gray-700">{{ v.texts.sign_draw }}</div>
            <canvas ref="pad" class="w-full rounded-lg border-2 border-dashed border-gray-400 bg-white"
                    style="aspect-ratio: 3 / 1; touch-action: none" data-koffer="sign-pad"
                    @pointerdown="penDown" @pointermove="penMove" @pointerup="penUp" @pointercancel="penUp"></canvas>
            <div v-if="full" class="text-base text-amber-900">{{ v.texts.sign_full }}</div>
            <div class="w-full flex gap-3">
              <q-btn outline no-caps class="text-lg" style="min-height: 48px" :label="v.texts.sign_clear"
                     data-koffer="sign-clear" @click="clearPad" />
              <q-btn unelevated no-caps color="primary" class="grow text-lg" style="min-height: 48px"
                     :label="v.texts.sign_send" :disable="!signName.trim()" :loading="signing"
                     data-koffer="sign-send" @click="sign" />
            </div>
          </template>
          <template v-else>
            <div class="text-lg font-semibold text-green-800" data-koffer="signed">{{ signedText }}</div>
            <q-btn flat no-caps class="text-base" style="min-height: 48px" :label="v.texts.sign_again"
                   data-koffer="sign-again" @click="again = true" />
          </template>
        </div>
      </div>
${END}`,
  data() {
    return {
      m: stored(this.mine, EMPTY), pos: null, dragging: false, waiting: false, saved: false, failed: false,
      seq: 0, kinds: {}, lastMove: 0, settleTimer: null, failTimer: null,
      signName: "", strokes: [], stroke: null, full: false, signing: false, again: false,
    };
  },
  created() {
    this.reset();
  },
  watch: {
    ...phoneParts.watch,
    stage(now, before) {
      const old = typeof before === "string" ? (before ? JSON.parse(before) : null) : before || null;
      if (!old || !this.s || old.current !== this.s.current) this.placeFromStored(); // the next statement
      if (old && this.s && old.signing !== this.s.signing) { this.again = false; this.clearPad(); }
    },
  },
  computed: {
    ...phoneParts.computed,
    s() {
      if (typeof this.stage === "string") return this.stage ? JSON.parse(this.stage) : null;
      return this.stage || null;
    },
    movable() {
      return this.open && this.s && !this.s.frozen;
    },
    others() {
      return (this.s && this.s.others) || [];
    },
    areaStyle() {
      const base = { touchAction: "none", cursor: this.movable ? "pointer" : "default" };
      return this.v.dims === 2 ? { ...base, aspectRatio: "1 / 1" } : { ...base, height: "128px" };
    },
    valueText() {
      if (!this.pos) return this.v.dims === 2 ? this.v.texts.unplaced_field : this.v.texts.unplaced_line;
      const x = Math.round(this.pos[0] * 100) + " % → " + this.v.axis.high;
      return this.v.dims === 2 ? x + ", " + Math.round(this.pos[1] * 100) + " % ↑ " + this.v.yaxis.high : x;
    },
    status() {
      if (this.dragging) return this.v.texts.moving;
      if (this.waiting) return this.v.texts.saving;
      if (this.failed) return this.v.texts.retry;
      return this.saved && this.pos ? this.v.texts.saved : "";
    },
    tone() {
      return this.failed ? "text-red-800" : this.saved && !this.waiting && !this.dragging ? "text-green-800" : "text-gray-700";
    },
    signedHere() {
      return this.s && this.s.signing !== null && this.m.signed[String(this.s.signing)] !== undefined;
    },
    signedText() {
      return this.v.texts.signed.replace("{name}", this.m.signed[String(this.s.signing)] || "");
    },
    signTitle() {
      return this.v.texts.sign_title.replace("{n}", String((this.s.signing || 0) + 1));
    },
  },
  methods: {
    reset() {
      this.m = stored(this.mine, EMPTY);
      if (!this.signName) this.signName = this.m.name || "";
      this.waiting = false;
      this.failed = false;
      this.dragging = false;
      this.placeFromStored();
    },
    placeFromStored() {
      const here = this.s ? this.m.positions[String(this.s.current)] : null;
      this.pos = here ? [here[0], here.length > 1 ? here[1] : 0.5] : null;
      this.saved = !!here;
    },
    spotStyle(p, size, color, opacity) {
      const y = this.v.dims === 2 ? (1 - (p[1] === null ? 0.5 : p[1])) * 100 : 50;
      const x = this.v.dims === 2 ? p[0] * 100 : null;
      // on the line the ends sit 12 px inside the box, where the drawn line ends
      const left = this.v.dims === 2 ? x + "%" : "calc(12px + (100% - 24px) * " + p[0] + ")";
      return { left: left, top: y + "%", width: size + "px", height: size + "px", marginLeft: -size / 2 + "px",
               marginTop: -size / 2 + "px", background: color, opacity: opacity, color: "white",
               border: size > 20 ? "3px solid white" : "none", boxShadow: size > 20 ? "0 1px 4px rgba(0,0,0,.4)" : "none" };
    },
    at(e) {
      const box = this.$refs.area.getBoundingClientRect();
      if (this.v.dims === 2) {
        return [clamp((e.clientX - box.left) / box.width), clamp(1 - (e.clientY - box.top) / box.height)];
      }
      return [clamp((e.clientX - box.left - 12) / (box.width - 24)), 0.5];
    },
    payload(p) {
      const out = { statement: this.s.current, x: round4(p[0]) };
      if (this.v.dims === 2) out.y = round4(p[1]);
      return out;
    },
    down(e) {
      if (!this.movable || (e.button !== undefined && e.button > 0)) return;
      e.preventDefault();
      this.$refs.area.focus({ preventScroll: true });
      try { this.$refs.area.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic event */ }
      this.dragging = true;
      this.pos = this.at(e);
      this.lastMove = 0;
    },
    drag(e) {
      if (!this.dragging) return;
      this.pos = this.at(e);
      this.travel();
    },
    up(e) {
      if (!this.dragging) return;
      this.pos = this.at(e);
      this.dragging = false;
      this.store();
    },
    cancel() {
      if (!this.dragging) return;
      this.dragging = false;
      this.store(); // where the finger was last seen: the phone never keeps an unsaved dot
    },
    travel() {
      const now = Date.now();
      if (now - this.lastMove < MOVE_GAP) return;
      this.lastMove = now;
      this.$emit("move", { step: this.v.step, round: this.v.round, payload: this.payload(this.pos) });
    },
    nudge(dx, dy) {
      if (!this.movable) return;
      const p = this.pos || [0.5, 0.5];
      this.step(p, dx * NUDGE, dy * NUDGE);
    },
    key(e) {
      if (!this.movable) return;
      const size = e.shiftKey ? 0.1 : KEY_STEP;
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      let d = moves[e.key];
      if (!d) return;
      if (this.v.dims === 1) d = [d[0] || d[1], 0]; // on a line up/down move along it too
      e.preventDefault();
      this.step(this.pos || [0.5, 0.5], d[0] * size, d[1] * size);
    },
    step(p, dx, dy) {
      this.pos = [clamp(p[0] + dx), clamp(p[1] + dy)];
      this.travel();
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.store(), SETTLE);
    },
    store() {
      clearTimeout(this.settleTimer);
      if (!this.pos || !this.movable) return;
      this.send("pos", this.payload(this.pos));
    },
    send(kind, payload) {
      this.seq += 1;
      const seq = this.seq;
      this.kinds[seq] = kind;
      if (kind === "pos") { this.waiting = true; this.failed = false; } else { this.signing = true; }
      clearTimeout(this.failTimer);
      // no answer (server gone for good): say so instead of spinning forever; a late ack still lands
      this.failTimer = setTimeout(() => { if (this.seq === seq && (this.waiting || this.signing)) {
        this.waiting = false; this.signing = false; this.failed = true; } }, 20000);
      this.$emit("submit", { seq: seq, step: this.v.step, round: this.v.round, payload: payload });
    },
    ack(seq, ok, mine) {
      const kind = this.kinds[seq];
      delete this.kinds[seq];
      if (ok && mine) {
        this.m = mine;
        if (kind === "pos") this.saved = true;
        if (kind === "sign") { this.again = false; this.clearPad(); }
      }
      if (seq !== this.seq) return; // an older answer: the newest input is still on its way
      clearTimeout(this.failTimer);
      this.waiting = false;
      this.signing = false;
      this.failed = false; // a refusal is explained by the page's notification
      if (!ok && kind === "pos" && !this.dragging) this.placeFromStored(); // back to what is stored
    },
    // --- the signature pad: strokes as flat integer lists, drawn as they come ----------------
    penAt(e) {
      const box = this.$refs.pad.getBoundingClientRect();
      return [Math.round(clamp((e.clientX - box.left) / box.width) * PAD),
              Math.round(clamp((e.clientY - box.top) / box.height) * PAD)];
    },
    points() {
      return this.strokes.reduce((n, s) => n + s.length / 2, 0);
    },
    penDown(e) {
      if (this.strokes.length >= MAX_STROKES || this.points() >= MAX_POINTS) { this.full = true; return; }
      e.preventDefault();
      try { this.$refs.pad.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic event */ }
      this.stroke = this.penAt(e);
      this.strokes.push(this.stroke);
      this.draw();
    },
    penMove(e) {
      if (!this.stroke) return;
      const [x, y] = this.penAt(e);
      const n = this.stroke.length;
      if (Math.hypot(x - this.stroke[n - 2], y - this.stroke[n - 1]) < 8) return; // finer than ink
      if (this.points() >= MAX_POINTS) { this.full = true; this.stroke = null; return; }
      this.stroke.push(x, y);
      this.draw();
    },
    penUp() {
      this.stroke = null;
    },
    clearPad() {
      this.strokes = [];
      this.stroke = null;
      this.full = false;
      this.draw();
    },
    draw() {
      const pad = this.$refs.pad;
      if (!pad) return;
      const box = pad.getBoundingClientRect();
      if (pad.width !== Math.round(box.width)) { pad.width = Math.round(box.width); pad.height = Math.round(box.height); }
      const g = pad.getContext("2d");
      g.clearRect(0, 0, pad.width, pad.height);
      g.strokeStyle = "#1F2933";
      g.lineWidth = 2.5;
      g.lineCap = "round";
      g.lineJoin = "round";
      for (const s of this.strokes) {
        g.beginPath();
        g.moveTo(s[0] / PAD * pad.width, s[1] / PAD * pad.height);
        if (s.length === 2) g.lineTo(s[0] / PAD * pad.width + 0.5, s[1] / PAD * pad.height);
        for (let k = 2; k < s.length; k += 2) g.lineTo(s[k] / PAD * pad.width, s[k + 1] / PAD * pad.height);
        g.stroke();
      }
    },
    sign() {
      if (!this.open || this.signing || !this.signName.trim() || !this.s || this.s.signing === null) return;
      this.send("sign", { sign: { statement: this.s.signing, name: this.signName.trim(),
                                  strokes: this.strokes.map((s) => s.slice()) } });
    },
  },
};
