// Charts as inline SVG text, for a page that draws with no script: a line chart (curves per
// epoch, precision-recall steps) and a horizontal bar chart (a value per label). Every text in
// them is escaped by the caller's escapeHtml here.
import { escapeHtml } from './html';

/** Colors told apart by most readers, the colorblind included (Okabe and Ito's palette). */
export const PALETTE = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#d55e00',
  '#56b4e9',
  '#000000',
];

/** One line of a line chart. */
export interface Series {
  name: string;
  color: string;
  /** Dashed (e.g. a refit) or solid. */
  dashed?: boolean;
  points: [number, number][];
}

export interface LineChartOptions {
  width: number;
  height: number;
  xLabel: string;
  yLabel: string;
  /** Fixed axis ranges (default: the data's). */
  xRange?: [number, number];
  yRange?: [number, number];
  /** Draw each series as steps: a point's y holds from the previous point's x to its own. */
  steps?: boolean;
  /** Ticks on the x axis are whole numbers (epochs). */
  integerX?: boolean;
  /** An accessible name of the chart. */
  title: string;
}

/** About `count` round tick values covering [low, high]. */
export function ticks(low: number, high: number, count: number, integer = false): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  // The power of ten at or below `raw`, by exact steps (no engine-rounded Math.log10).
  let power = 1;
  while (power * 10 <= raw) power *= 10;
  while (power > raw) power /= 10;
  const step0 = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const step = integer ? Math.max(1, Math.round(step0)) : step0;
  const out: number[] = [];
  for (let v = Math.ceil(low / step - 1e-9) * step; v <= high + step * 1e-9; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return out;
}

/** A tick's label: as few decimals as its step needs. */
function tickText(value: number, all: number[]): string {
  const step = all.length > 1 ? Math.abs(all[1] - all[0]) : 1;
  let decimals = 0;
  for (let scaled = step; decimals < 6 && scaled < 1 - 1e-9; scaled *= 10) decimals++;
  return value.toFixed(decimals);
}

/** The [min, max] of the finite values, widened a little when they are all equal. */
function extent(values: number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (low === Infinity) return [0, 1];
  if (low === high) return [low - 0.5, high + 0.5];
  return [low, high];
}

const MARGIN = { left: 56, right: 14, top: 12, bottom: 42 };
/** Pixels to the nearest half: finer is not seen, and would only make the page larger. */
const round = (v: number) => Math.round(v * 2) / 2;

/** An SVG line chart of `series` with axes, ticks and axis labels. */
export function lineChart(series: Series[], options: LineChartOptions): string {
  const { width, height } = options;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const [x0, x1] = options.xRange ?? extent(xs);
  const [yLow, yHigh] = options.yRange ?? extent(ys);
  const xTicks = ticks(x0, x1, 6, options.integerX);
  const yTicks = ticks(yLow, yHigh, 5);
  // The y axis reaches the outer ticks, so that no line runs past the labelled range.
  const y0 = options.yRange ? yLow : Math.min(yLow, yTicks[0]);
  const y1 = options.yRange ? yHigh : Math.max(yHigh, yTicks[yTicks.length - 1]);
  const px = (x: number) =>
    round(MARGIN.left + (x1 === x0 ? plotW / 2 : ((x - x0) / (x1 - x0)) * plotW));
  const py = (y: number) =>
    round(MARGIN.top + plotH - (y1 === y0 ? plotH / 2 : ((y - y0) / (y1 - y0)) * plotH));
  const parts: string[] = [];
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" class="plot"/>`,
  );
  for (const t of yTicks) {
    if (t < y0 || t > y1) continue;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${py(t)}" y2="${py(t)}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${py(t) + 4}" text-anchor="end">${tickText(t, yTicks)}</text>`,
    );
  }
  for (const t of xTicks) {
    if (t < x0 || t > x1) continue;
    parts.push(
      `<line x1="${px(t)}" x2="${px(t)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" class="axis"/>`,
      `<text x="${px(t)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${tickText(t, xTicks)}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle" class="label">${escapeHtml(options.xLabel)}</text>`,
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle" class="label">${escapeHtml(options.yLabel)}</text>`,
  );
  for (const s of series) {
    const finite = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (finite.length === 0) continue;
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    const name = `<title>${escapeHtml(s.name)}</title>`;
    if (finite.length === 1 && !options.steps) {
      const [x, y] = finite[0];
      parts.push(`<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${s.color}">${name}</circle>`);
      continue;
    }
    const pixels: [number, number][] = [];
    if (options.steps) {
      let before = x0;
      for (const [x, y] of finite) {
        pixels.push([px(before), py(y)], [px(x), py(y)]);
        before = x;
      }
    } else {
      for (const [x, y] of finite) pixels.push([px(x), py(y)]);
    }
    const coordinates = simplified(pixels).map(([x, y]) => `${x},${y}`);
    parts.push(
      `<polyline points="${coordinates.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${dash}>${name}</polyline>`,
    );
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(options.title)}">` +
    `${parts.join('')}</svg>`
  );
}

/**
 * The same line with fewer points: a point equal to the one before it, or between its two
 * neighbours on a horizontal or vertical line through all three, is left out (a curve of a
 * thousand test rows draws the same with a few dozen points).
 */
export function simplified(points: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  const between = (a: number, b: number, c: number) => (a <= b && b <= c) || (a >= b && b >= c);
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    const before = out[out.length - 2];
    if (
      before &&
      ((before[0] === last[0] && last[0] === p[0] && between(before[1], last[1], p[1])) ||
        (before[1] === last[1] && last[1] === p[1] && between(before[0], last[0], p[0])))
    ) {
      out[out.length - 1] = p;
      continue;
    }
    out.push(p);
  }
  return out;
}

/** One group of bars: a label and one value per series (NaN: no bar, a note instead). */
export interface BarGroup {
  label: string;
  values: number[];
}

/** A horizontal bar chart of values in [0, 1]: a group per label, a bar per series. */
export function barChart(
  groups: BarGroup[],
  colors: string[],
  options: { width: number; title: string; missing: string },
): string {
  const bar = 14;
  const gap = 8;
  const labelWidth = 150;
  const right = 60;
  const plotW = options.width - labelWidth - right;
  const perGroup = Math.max(1, colors.length) * bar + gap;
  const top = 20;
  const height = top + groups.length * perGroup + 6;
  const parts: string[] = [];
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    const x = round(labelWidth + t * plotW);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${top - 4}" y2="${height - 6}" class="grid"/>`,
      `<text x="${x}" y="${top - 8}" text-anchor="middle">${t.toFixed(2)}</text>`,
    );
  }
  groups.forEach((group, g) => {
    const y = top + g * perGroup;
    const middle = y + (colors.length * bar) / 2 + 4;
    parts.push(
      `<text x="${labelWidth - 8}" y="${middle}" text-anchor="end" class="name">${escapeHtml(shorten(group.label, 22))}<title>${escapeHtml(group.label)}</title></text>`,
    );
    group.values.forEach((value, k) => {
      const by = y + k * bar;
      if (Number.isNaN(value)) {
        parts.push(
          `<text x="${labelWidth + 4}" y="${by + bar - 3}" class="note">${escapeHtml(options.missing)}</text>`,
        );
        return;
      }
      const w = round(Math.max(0, Math.min(1, value)) * plotW);
      parts.push(
        `<rect x="${labelWidth}" y="${by + 1}" width="${w}" height="${bar - 2}" fill="${colors[k]}"/>`,
        `<text x="${labelWidth + w + 4}" y="${by + bar - 3}">${value.toFixed(3)}</text>`,
      );
    });
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${options.width}" height="${height}" ` +
    `viewBox="0 0 ${options.width} ${height}" role="img" aria-label="${escapeHtml(options.title)}">` +
    `${parts.join('')}</svg>`
  );
}

/** `text` cut to `max` characters with an ellipsis (the full text is the element's title). */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
