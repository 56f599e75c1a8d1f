// Line and bar charts drawn as SVG: a few dozen points per chart do not need a library.

const NS = "http://www.w3.org/2000/svg";
const WIDTH = 520;
const HEIGHT = 240;
const PAD = { left: 48, right: 16, top: 28, bottom: 42 };
export const COLORS = ["#2f6fde", "#e67e22", "#1f8a4c", "#8e44ad", "#c0392b", "#16a085"];

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Round axis ticks: 0, 20, 40... for a maximum of 93. */
export function niceTicks(min, max, count = 5) {
  if (!(max > min)) max = min + 1;
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) || raw;
  const ticks = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 0.001; v += step) ticks.push(+v.toFixed(10));
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

function frame(title, yTicks, yScale, yLabel) {
  const root = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": title });
  root.append(svg("text", { x: PAD.left, y: 16, class: "title" }, title));
  for (const tick of yTicks) {
    const y = yScale(tick);
    root.append(svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y, class: "grid" }));
    root.append(svg("text", { x: PAD.left - 6, y: y + 4, "text-anchor": "end" }, formatTick(tick)));
  }
  root.append(svg("line", { x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: HEIGHT - PAD.bottom, class: "axis" }));
  root.append(
    svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: HEIGHT - PAD.bottom, y2: HEIGHT - PAD.bottom, class: "axis" }),
  );
  if (yLabel) {
    root.append(svg("text", { x: 12, y: PAD.top + (HEIGHT - PAD.top - PAD.bottom) / 2, transform: `rotate(-90 12 ${PAD.top + (HEIGHT - PAD.top - PAD.bottom) / 2})`, "text-anchor": "middle" }, yLabel));
  }
  return root;
}

function formatTick(value) {
  if (Math.abs(value) >= 1000) return `${(value / 1000).toFixed(value % 1000 ? 1 : 0)}k`;
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, "");
}

/**
 * series: [{name, points: [[x, y], ...]}]; x numeric (seconds, index). Options: title, xLabel,
 * yLabel, yMin, yMax, band: [low, high] (a shaded target range), xFormat.
 */
export function lineChart(container, series, options = {}) {
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).concat(options.band || []);
  const xMin = options.xMin ?? Math.min(...xs, 0);
  const xMax = options.xMax ?? Math.max(...xs, xMin + 1);
  const yTicks = niceTicks(options.yMin ?? Math.min(0, ...ys), options.yMax ?? Math.max(...ys, 1));
  const [y0, y1] = [yTicks[0], yTicks[yTicks.length - 1]];
  const x = (v) => PAD.left + ((v - xMin) / (xMax - xMin || 1)) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - ((v - y0) / (y1 - y0 || 1)) * (HEIGHT - PAD.top - PAD.bottom);
  const root = frame(options.title || "", yTicks, y, options.yLabel);
  if (options.band) {
    const [low, high] = options.band;
    root.append(svg("rect", { x: PAD.left, width: WIDTH - PAD.left - PAD.right, y: y(high), height: Math.max(0, y(low) - y(high)), fill: "#e3f4ea" }));
  }
  const xFormat = options.xFormat || formatTick;
  for (const tick of niceTicks(xMin, xMax, 6)) {
    if (tick > xMax) break;
    root.append(svg("text", { x: x(tick), y: HEIGHT - PAD.bottom + 15, "text-anchor": "middle" }, xFormat(tick)));
  }
  if (options.xLabel) {
    root.append(svg("text", { x: WIDTH - PAD.right, y: HEIGHT - 5, "text-anchor": "end" }, options.xLabel));
  }
  series.forEach((s, index) => {
    const color = s.color || COLORS[index % COLORS.length];
    const valid = (p) => p[1] !== null && p[1] !== undefined && !Number.isNaN(p[1]);
    const points = s.points.filter(valid);
    if (!points.length) return;
    if (s.dots !== false && points.length < 60) {
      for (const [px, py] of points) root.append(svg("circle", { cx: x(px), cy: y(py), r: 3, fill: color }));
    }
    // A missing value (unvoiced, no data) breaks the line instead of bridging the gap.
    let move = true;
    const d = s.points
      .map((p) => {
        if (!valid(p)) {
          move = true;
          return "";
        }
        const step = `${move ? "M" : "L"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`;
        move = false;
        return step;
      })
      .join(" ");
    root.append(svg("path", { d, class: "line", stroke: color }));
    if (series.length > 1 || s.name) {
      const lx = PAD.left + 8 + index * 170;
      root.append(svg("rect", { x: lx, y: HEIGHT - 14, width: 10, height: 10, fill: color }));
      root.append(svg("text", { x: lx + 14, y: HEIGHT - 5, class: "legend" }, s.name || ""));
    }
  });
  container.replaceChildren(root);
  container.classList.add("chart");
  return root;
}

/** bars: [{label, value, color?}]. Options: title, yLabel, yMax, format. */
export function barChart(container, bars, options = {}) {
  const yTicks = niceTicks(0, options.yMax ?? Math.max(...bars.map((b) => b.value || 0), 1));
  const y1 = yTicks[yTicks.length - 1];
  const y = (v) => HEIGHT - PAD.bottom - (v / (y1 || 1)) * (HEIGHT - PAD.top - PAD.bottom);
  const root = frame(options.title || "", yTicks, y, options.yLabel);
  const slot = (WIDTH - PAD.left - PAD.right) / Math.max(bars.length, 1);
  const format = options.format || ((v) => formatTick(+Number(v).toFixed(2)));
  bars.forEach((bar, index) => {
    const value = bar.value || 0;
    const bx = PAD.left + index * slot + slot * 0.18;
    const width = slot * 0.64;
    const color = bar.color || COLORS[index % COLORS.length];
    root.append(svg("rect", { x: bx, y: y(value), width, height: Math.max(0, y(0) - y(value)), fill: color, rx: 2 }));
    root.append(svg("text", { x: bx + width / 2, y: y(value) - 4, "text-anchor": "middle" }, format(value)));
    root.append(svg("text", { x: bx + width / 2, y: HEIGHT - PAD.bottom + 15, "text-anchor": "middle" }, bar.label));
  });
  container.replaceChildren(root);
  container.classList.add("chart");
  return root;
}
