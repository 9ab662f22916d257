// A small SVG line chart, hand-written so the pages need no library and no build step.
// lineChart({ points: [{ t: Date, v: number }], thresholds: [{ value, label, kind }], width, height, yLabel })
// returns an <svg class="chart"> element.
const SVG = "http://www.w3.org/2000/svg";

function el(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes ?? {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function format(value) {
  const magnitude = Math.abs(value);
  return magnitude >= 1000 ? value.toFixed(0) : magnitude >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function time(date) {
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}

export function lineChart({ points, thresholds = [], width = 640, height = 220, area = false }) {
  const pad = { left: 52, right: 84, top: 12, bottom: 26 };
  const svg = el("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img" });
  const values = points.map(p => p.v).concat(thresholds.map(t => t.value));
  let min = Math.min(...values, area ? 0 : Infinity), max = Math.max(...values);
  if (!Number.isFinite(min) || !Number.isFinite(max)) { min = 0; max = 1; }
  if (max === min) { max += 1; min -= area ? 0 : 1; }
  const span = max - min;
  max += span * 0.08; if (!area) min -= span * 0.08;
  const t0 = points.length ? points[0].t.getTime() : 0;
  const t1 = points.length ? points[points.length - 1].t.getTime() : 1;
  const x = t => pad.left + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (width - pad.left - pad.right);
  const y = v => pad.top + (1 - (v - min) / (max - min)) * (height - pad.top - pad.bottom);

  for (let i = 0; i <= 4; i++) {
    const v = min + (i / 4) * (max - min);
    svg.append(el("line", { class: "grid", x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }));
    svg.append(el("text", { x: pad.left - 6, y: y(v) + 4, "text-anchor": "end" }, format(v)));
  }
  svg.append(el("line", { class: "axis", x1: pad.left, x2: pad.left, y1: pad.top, y2: height - pad.bottom }));
  svg.append(el("line", { class: "axis", x1: pad.left, x2: width - pad.right, y1: height - pad.bottom, y2: height - pad.bottom }));
  if (points.length) {
    svg.append(el("text", { x: pad.left, y: height - 8 }, time(points[0].t)));
    svg.append(el("text", { x: width - pad.right, y: height - 8, "text-anchor": "end" }, time(points[points.length - 1].t)));
  }

  for (const threshold of thresholds) {
    const clear = threshold.kind === "clear" ? " clear" : "";
    svg.append(el("line", { class: `threshold${clear}`, x1: pad.left, x2: width - pad.right, y1: y(threshold.value), y2: y(threshold.value), "data-value": threshold.value }));
    svg.append(el("text", { class: `threshold-label${clear}`, x: width - pad.right + 4, y: y(threshold.value) + 4 }, `${threshold.label} ${format(threshold.value)}`));
    svg.lastChild.append(el("title", {}, threshold.title ?? threshold.label));
  }

  const coordinates = points.map(p => `${x(p.t.getTime()).toFixed(1)},${y(p.v).toFixed(1)}`);
  if (area && points.length) {
    const base = y(Math.max(min, 0)).toFixed(1);
    svg.append(el("polygon", { class: "area", points: `${x(t0).toFixed(1)},${base} ${coordinates.join(" ")} ${x(t1).toFixed(1)},${base}` }));
  }
  svg.append(el("polyline", { class: "series", points: coordinates.join(" "), "data-points": points.length }));
  return svg;
}
