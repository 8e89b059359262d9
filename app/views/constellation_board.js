// The constellation on the console and the projector: the room seen from above, one SVG.
// `data` is one JSON string per delivery (app/views/constellation.py: board_data), shared by
// console and projector. Circles are keyed by participant and glide to their new place (a CSS
// transition on transform), so 500 dots and their drags update in place, never rebuilt.
// Participant and agenda text is only ever interpolated ({{ }}), never parsed as HTML.

const W = 1600; // a line's width in SVG units (1D)
const ROW = 250; // one line's height: dots above it, the histogram behind them (one line)
const ROW2 = 190; // each of two lines (before and after)
const AXIS = 64; // below the line: the ends' words and the median's label
const FW = 1600; // the field (2D): as wide as the screen allows, people stand in a room, not a square
const FIELD_H = 760;
const FH = FIELD_H + 100; // the field and the x axis' words under it
const INSET = 24;

function bucketLayout(dots, avail) {
  // a dot plot: dots stacked upwards in buckets as wide as a dot; the dot shrinks until the
  // highest stack fits the row (500 people on one spot are still all visible)
  let d = 30;
  let placed = [];
  for (let tries = 0; tries < 30; tries += 1) {
    const stacks = {};
    let highest = 0;
    placed = dots.map((dot) => {
      const bucket = Math.round((dot[1] * (W - 2 * INSET)) / d);
      const k = stacks[bucket] || 0;
      stacks[bucket] = k + 1;
      highest = Math.max(highest, k + 1);
      return { id: dot[0], moving: dot[3] === 1, x: INSET + bucket * d, k: k };
    });
    if (highest * d <= avail || d <= 4) break;
    d = Math.max(4, d * 0.85);
  }
  return { d: d, placed: placed };
}

export default {
  props: { data: String },
  template: `
    <div class="w-full flex flex-col gap-1" data-koffer="board">
      <template v-if="b">
        <div v-if="b.dims === 1" class="w-full flex flex-col items-center">
          <svg :viewBox="'0 0 ' + W + ' ' + height1d" class="w-full" :style="{ maxHeight: fit + 'px', display: 'block' }"
               preserveAspectRatio="xMidYMid meet" role="img" :aria-label="b.axis.label">
            <g v-for="(row, r) in rows" :key="row.kind" :transform="'translate(0,' + r * (row.h + AXIS) + ')'">
              <text v-if="row.title" x="0" y="30" font-size="30" font-weight="600" fill="#1F2933">{{ row.title }}</text>
              <rect v-for="(bar, k) in row.bars" :key="'h' + k" :x="bar.x" :y="row.h - bar.h" :width="bar.w" :height="bar.h"
                    fill="#E4E9EE" />
              <text v-for="(bar, k) in row.bars" :key="'c' + k" :x="bar.x + bar.w / 2" :y="row.h - row.room + 26" font-size="26"
                    text-anchor="middle" fill="#5F6B7A">{{ bar.n || "" }}</text>
              <rect v-if="row.iqr" :x="row.iqr[0]" :y="row.h - 9" :width="Math.max(4, row.iqr[1] - row.iqr[0])" height="18" fill="#9CC3E6" />
              <line :x1="INSET" :x2="W - INSET" :y1="row.h" :y2="row.h" stroke="#253858" stroke-width="5" />
              <line v-for="k in 5" :key="'t' + k" :x1="tick(k)" :x2="tick(k)" :y1="row.h - (k === 3 ? 22 : 12)" :y2="row.h + 12"
                    stroke="#253858" stroke-width="3" />
              <circle v-for="p in row.spots" :key="row.kind + p.id" :data-participant="p.id"
                      :style="{ transform: 'translate(' + p.x + 'px,' + p.y + 'px)', transition: 'transform .35s ease-out' }"
                      :r="row.d * 0.45" :fill="row.kind === 'before' ? '#FFFFFF' : '#1d4f91'"
                      :stroke="p.moving ? '#D97706' : row.kind === 'before' ? '#5F6B7A' : '#FFFFFF'"
                      :stroke-width="p.moving ? 4 : 2" :fill-opacity="p.moving ? 0.6 : 1" />
              <g v-for="m in row.marks" :key="'m' + m.id">
                <circle :cx="m.x" :cy="m.y" :r="Math.max(16, row.d * 0.7)" fill="none" stroke="#C0392B" stroke-width="6" />
                <text :x="Math.min(W - 120, Math.max(120, m.x))" :y="Math.max(34, m.y - Math.max(16, row.d * 0.7) - 10)"
                      font-size="32" font-weight="700" text-anchor="middle" fill="#C0392B" data-koffer="mark">{{ m.text }}</text>
              </g>
              <g v-if="row.median !== null">
                <line :x1="row.median" :x2="row.median" :y1="row.h - row.room" :y2="row.h + 20" stroke="#111827"
                      stroke-width="4" stroke-dasharray="10 6" />
                <text :x="row.median" :y="row.medianY" font-size="30" font-weight="700" text-anchor="middle"
                      fill="#111827" data-koffer="median">{{ b.texts.median }}</text>
              </g>
              <text :x="INSET" :y="row.h + 48" font-size="34" font-weight="600" fill="#1F2933" data-koffer="end-low">← {{ b.axis.low }}</text>
              <text :x="W - INSET" :y="row.h + 48" font-size="34" font-weight="600" text-anchor="end" fill="#1F2933"
                    data-koffer="end-high">{{ b.axis.high }} →</text>
              <text v-if="!row.spots.length" :x="W / 2" :y="row.h / 2" font-size="34" text-anchor="middle" fill="#5F6B7A">{{ b.texts.empty }}</text>
            </g>
          </svg>
        </div>
        <div v-else class="w-full flex flex-col items-center gap-1">
          <div v-if="b.layers.length > 1" class="flex flex-row justify-center gap-8 text-xl text-gray-800" data-koffer="legend">
            <div v-for="layer in b.layers" :key="'k' + layer.kind" class="flex items-center gap-2">
              <svg width="28" height="28" viewBox="0 0 28 28"><circle cx="14" cy="14" r="10" :fill="layer.kind === 'before' ? '#FFFFFF' : '#1d4f91'"
                   :stroke="layer.kind === 'before' ? '#5F6B7A' : '#FFFFFF'" stroke-width="3" /></svg>
              <span>{{ layer.title }}</span>
            </div>
          </div>
          <svg :viewBox="'0 0 ' + FW + ' ' + FH" class="w-full" :style="{ maxHeight: fit + 'px', display: 'block' }"
               preserveAspectRatio="xMidYMid meet" role="img" :aria-label="b.axis.label + ' × ' + b.yaxis.label">
            <rect :x="INSET" y="6" :width="FW - 2 * INSET" :height="FIELD_H" fill="#FFFFFF" stroke="#253858" stroke-width="5" />
            <line :x1="FW / 2" :x2="FW / 2" y1="6" :y2="6 + FIELD_H" stroke="#9AA5B1" stroke-width="3" />
            <line :x1="INSET" :x2="FW - INSET" :y1="6 + FIELD_H / 2" :y2="6 + FIELD_H / 2" stroke="#9AA5B1" stroke-width="3" />
            <text :x="INSET + 16" y="76" font-size="68" font-weight="600" fill="#5F6B7A" data-koffer="y-high">↑ {{ b.yaxis.high }}</text>
            <text :x="INSET + 16" :y="FIELD_H - 12" font-size="68" font-weight="600" fill="#5F6B7A" data-koffer="y-low">↓ {{ b.yaxis.low }}</text>
            <text v-for="q in quads" :key="q.k" :x="q.x" :y="q.y" font-size="64" font-weight="700" :text-anchor="q.a"
                  fill="#9AA5B1" data-koffer="quadrant">{{ q.n }}</text>
            <line v-for="l in links" :key="'l' + l.id" :x1="l.x1" :y1="l.y1" :x2="l.x2" :y2="l.y2" stroke="#8E99A4" stroke-width="2" />
            <template v-for="layer in fieldLayers" :key="layer.kind">
              <circle v-for="p in layer.spots" :key="layer.kind + p.id" :data-participant="p.id"
                      :style="{ transform: 'translate(' + p.x + 'px,' + p.y + 'px)', transition: 'transform .35s ease-out' }"
                      :r="dotR" :fill="layer.kind === 'before' ? '#FFFFFF' : '#1d4f91'"
                      :stroke="p.moving ? '#D97706' : layer.kind === 'before' ? '#5F6B7A' : '#FFFFFF'"
                      :stroke-width="p.moving ? 4 : 2" :fill-opacity="p.moving ? 0.6 : 1" />
            </template>
            <g v-for="m in fieldMarks" :key="'m' + m.id">
              <circle :cx="m.x" :cy="m.y" :r="dotR + 12" fill="none" stroke="#C0392B" stroke-width="6" />
              <text :x="Math.min(FW - 200, Math.max(200, m.x))" :y="m.y < 120 ? m.y + dotR + 56 : m.y - dotR - 20" font-size="68"
                    font-weight="700" text-anchor="middle" fill="#C0392B" data-koffer="mark">{{ m.text }}</text>
            </g>
            <g v-if="center">
              <line :x1="center[0] - 40" :x2="center[0] + 40" :y1="center[1]" :y2="center[1]" stroke="#111827" stroke-width="7" />
              <line :x1="center[0]" :x2="center[0]" :y1="center[1] - 40" :y2="center[1] + 40" stroke="#111827" stroke-width="7" />
            </g>
            <text v-if="!fieldLayers.some((l) => l.spots.length)" :x="FW / 2" :y="FIELD_H / 2 - 30" font-size="56"
                  text-anchor="middle" fill="#5F6B7A">{{ b.texts.empty }}</text>
            <text :x="INSET" :y="FH - 14" font-size="70" font-weight="600" fill="#1F2933" data-koffer="end-low">← {{ b.axis.low }}</text>
            <text :x="FW - INSET" :y="FH - 14" font-size="70" font-weight="600" text-anchor="end" fill="#1F2933"
                  data-koffer="end-high">{{ b.axis.high }} →</text>
          </svg>
        </div>
      </template>
    </div>`,
  data() {
    return { W: W, AXIS: AXIS, FW: FW, FH: FH, FIELD_H: FIELD_H, INSET: INSET, fit: 400 };
  },
  mounted() {
    // measured again whenever the page around it changes (a statement that wraps, the QR corner,
    // the footer's buttons), one frame later: the board always ends above the lines under it
    this.pending = false;
    this.resize = () => {
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => { this.pending = false; this.measure(); });
    };
    window.addEventListener("resize", this.resize);
    this.observer = new ResizeObserver(this.resize);
    this.observer.observe(document.body);
    this.measure();
  },
  updated() {
    this.resize();
  },
  unmounted() {
    window.removeEventListener("resize", this.resize);
    this.observer.disconnect();
  },
  computed: {
    b() {
      return this.data ? JSON.parse(this.data) : null;
    },
    rows() {
      if (!this.b || this.b.dims !== 1) return [];
      const span = W - 2 * INSET;
      const h = this.b.layers.length > 1 ? ROW2 : ROW;
      const room = h - 50;  // above the line: the title's line stays free
      return this.b.layers.map((layer) => {
        const sorted = [...layer.dots].sort((a, b) => a[1] - b[1]);
        const { d, placed } = bucketLayout(sorted, room - 44);
        const spots = placed.map((p) => ({ id: p.id, moving: p.moving, x: p.x, y: h - 8 - (p.k + 0.5) * d }));
        const at = {};
        for (const p of spots) at[p.id] = p;
        const marks = Object.entries(this.b.marks).filter(([id]) => at[id] && layer.kind !== "before")
          .map(([id, text]) => ({ id: id, text: text, x: at[id].x, y: at[id].y }));
        const hist = layer.hist || [];
        const top = Math.max(1, ...hist);
        const bars = hist.map((n, k) => ({ n: n, x: INSET + (k * span) / hist.length + 2, w: span / hist.length - 4,
                                          h: ((room - 44) * n) / top }));
        const median = layer.median ? INSET + layer.median[0] * span : null;
        // the median's label under the line, unless an end's words are there: then above it
        const nearEnd = median !== null && (median < INSET + 420 || median > W - INSET - 420);
        return {
          kind: layer.kind, title: layer.title, spots: spots, d: d, marks: marks, bars: bars, h: h, room: room,
          median: median, medianY: nearEnd ? h - room - 4 : h + 48,
          iqr: layer.q1 ? [INSET + layer.q1[0] * span, INSET + layer.q3[0] * span] : null,
        };
      });
    },
    height1d() {
      const h = this.b && this.b.layers.length > 1 ? ROW2 : ROW;
      return Math.max(1, this.rows.length) * (h + AXIS);
    },
    fieldLayers() {
      if (!this.b || this.b.dims !== 2) return [];
      const span = FW - 2 * INSET;
      return this.b.layers.map((layer) => ({
        kind: layer.kind,
        spots: layer.dots.map((dot) => ({ id: dot[0], moving: dot[3] === 1, x: INSET + dot[1] * span,
                                         y: 6 + FIELD_H - (dot[2] === null ? 0.5 : dot[2]) * FIELD_H })),
      }));
    },
    dotR() {
      const n = Math.max(1, ...this.fieldLayers.map((l) => l.spots.length));
      return n > 300 ? 9 : n > 100 ? 12 : 17;
    },
    links() {
      if (this.fieldLayers.length < 2) return [];
      const first = {};
      for (const p of this.fieldLayers[0].spots) first[p.id] = p;
      return this.fieldLayers[this.fieldLayers.length - 1].spots.filter((p) => first[p.id])
        .map((p) => ({ id: p.id, x1: first[p.id].x, y1: first[p.id].y, x2: p.x, y2: p.y }));
    },
    fieldMarks() {
      const last = this.fieldLayers[this.fieldLayers.length - 1];
      if (!last) return [];
      const at = {};
      for (const p of last.spots) at[p.id] = p;
      return Object.entries(this.b.marks).filter(([id]) => at[id])
        .map(([id, text]) => ({ id: id, text: text, x: at[id].x, y: at[id].y }));
    },
    quads() {
      const layer = this.b && this.b.dims === 2 ? this.b.layers[this.b.layers.length - 1] : null;
      if (!layer || !layer.quad) return [];
      const q = layer.quad;
      const mid = FW / 2;
      return [
        { k: "tl", n: q.top_left, x: mid - 24, y: 72, a: "end" }, { k: "tr", n: q.top_right, x: mid + 24, y: 72, a: "start" },
        { k: "bl", n: q.bottom_left, x: mid - 24, y: FIELD_H - 10, a: "end" },
        { k: "br", n: q.bottom_right, x: mid + 24, y: FIELD_H - 10, a: "start" },
      ];
    },
    center() {
      const layer = this.b && this.b.dims === 2 ? this.b.layers[this.b.layers.length - 1] : null;
      if (!layer || !layer.median) return null;
      return [INSET + layer.median[0] * (FW - 2 * INSET), 6 + FIELD_H - layer.median[1] * FIELD_H];
    },
  },
  methods: {
    measure() {
      // the height left on the screen: from the board's top to the bottom of the window, minus
      // what the page shows under the board (its numbers, the console's footer): nothing is cut
      // off at any resolution, whatever wraps above or below
      const box = this.$el.getBoundingClientRect();
      const content = this.$el.closest(".nicegui-content") || document.body;
      const pad = parseFloat(getComputedStyle(content).paddingBottom) || 0;
      const footer = document.querySelector(".q-footer");
      const under = content.getBoundingClientRect().bottom - box.bottom + pad + (footer ? footer.offsetHeight : 0);
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      const fit = Math.max(10 * rem, Math.floor(window.innerHeight - box.top - under - 4));
      if (Math.abs(fit - this.fit) > 2) this.fit = fit;
    },
    tick(k) {
      return INSET + ((k - 1) * (W - 2 * INSET)) / 4;
    },
  },
};
