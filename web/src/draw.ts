// Canvas drawing helpers: colour maps that read for colour-blind people, curves, bars.
import type { Strategy } from '../../src/app';

/**
 * A colour (Okabe-Ito) and dash pattern for each strategy in the library's table; strategies
 * that share a colour differ in their dashes.
 */
export const STRATEGY_STYLE: Record<Strategy, { color: string; dash: number[] }> = {
  masked: { color: '#0072B2', dash: [] },
  negative: { color: '#D55E00', dash: [6, 4] },
  full: { color: '#009E73', dash: [2, 3] },
  'an-ls': { color: '#E69F00', dash: [] },
  wan: { color: '#56B4E9', dash: [6, 4] },
  epr: { color: '#CC79A7', dash: [] },
  role: { color: '#000000', dash: [] },
  'll-r': { color: '#E69F00', dash: [6, 4] },
  'll-ct': { color: '#56B4E9', dash: [2, 3] },
  'll-cp': { color: '#CC79A7', dash: [6, 4] },
  'partial-bce': { color: '#000000', dash: [6, 4] },
  asl: { color: '#D55E00', dash: [2, 3] },
  hill: { color: '#0072B2', dash: [2, 3] },
  splc: { color: '#CC79A7', dash: [2, 3] },
  em: { color: '#009E73', dash: [6, 4] },
  'em-apl': { color: '#E69F00', dash: [2, 3] },
  gr: { color: '#009E73', dash: [] },
  pw: { color: '#0072B2', dash: [6, 4] },
};

const VIRIDIS = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];

/** Viridis at t in [0, 1]. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** A diverging blue - light - orange map (colour-blind safe) at t in [-1, 1]. */
export function diverging(t: number): [number, number, number] {
  const neg = [33, 102, 172];
  const mid = [247, 247, 247];
  const pos = [179, 88, 6];
  const x = Math.min(1, Math.max(-1, t));
  const end = x < 0 ? neg : pos;
  const f = Math.abs(x);
  return [0, 1, 2].map((k) => Math.round(mid[k] + (end[k] - mid[k]) * f)) as [
    number,
    number,
    number,
  ];
}

/** The heatmap's image and off-screen canvas, reused while its size stays. */
let heatScratch: HTMLCanvasElement | undefined;
let heatImage: ImageData | undefined;

const ZERO_GREY: [number, number, number] = [224, 224, 224];
/** The hatch line over exactly-zero cells. */
const HATCH_GREY: [number, number, number] = [119, 119, 119];

/** An opaque colour as one RGBA pixel of a Uint32Array over ImageData (byte order R, G, B, A). */
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function packRgb([r, g, b]: [number, number, number]): number {
  return littleEndian
    ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

export const rgb = (c: [number, number, number]) => `rgb(${c[0]},${c[1]},${c[2]})`;

/** Sizes a canvas for the device's pixel ratio and returns its 2-D context in CSS pixels. */
export function prepareCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D {
  const ratio = Math.min(2, window.devicePixelRatio || 1);
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  return ctx;
}

/** Line chart of one series per strategy against the epoch. */
export function drawCurves(
  canvas: HTMLCanvasElement,
  series: { strategy: Strategy; values: number[] }[],
  options: { title: string; yMin?: number; yMax?: number; startAt?: number },
): void {
  const width = 340;
  const height = 200;
  const ctx = prepareCanvas(canvas, width, height);
  const left = 44;
  const right = 10;
  const top = 20;
  const bottom = 28;
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  let lo = options.yMin ?? (all.length ? Math.min(...all) : 0);
  let hi = options.yMax ?? (all.length ? Math.max(...all) : 1);
  if (hi - lo < 1e-9) {
    hi += 0.5;
    lo -= 0.5;
  }
  const n = Math.max(2, ...series.map((s) => s.values.length));
  const start = options.startAt ?? 0;
  const px = (i: number) => left + ((width - left - right) * i) / Math.max(1, n - 1);
  const py = (v: number) => top + ((height - top - bottom) * (hi - v)) / (hi - lo);
  ctx.fillStyle = '#222';
  ctx.fillText(options.title, left, 12);
  ctx.strokeStyle = '#999';
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, height - bottom);
  ctx.lineTo(width - right, height - bottom);
  ctx.stroke();
  ctx.textAlign = 'right';
  for (const v of [lo, (lo + hi) / 2, hi]) ctx.fillText(v.toFixed(3), left - 4, py(v) + 4);
  ctx.textAlign = 'center';
  ctx.fillText(`epoch ${start}`, left + 14, height - 10);
  ctx.fillText(String(start + n - 1), width - right - 8, height - 10);
  ctx.textAlign = 'left';
  ctx.lineWidth = 2;
  for (const s of series) {
    const style = STRATEGY_STYLE[s.strategy];
    ctx.strokeStyle = style.color;
    ctx.setLineDash(style.dash);
    ctx.beginPath();
    s.values.forEach((v, i) => (i === 0 ? ctx.moveTo(px(i), py(v)) : ctx.lineTo(px(i), py(v))));
    if (s.values.length === 1) ctx.arc(px(0), py(s.values[0]), 2, 0, 2 * Math.PI);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
}

/** Grouped horizontal bars: one group per class, one bar per strategy. */
export function drawBars(
  canvas: HTMLCanvasElement,
  classes: string[],
  series: { strategy: Strategy; values: number[]; labels?: string[] }[],
  options: { max: number; format: (v: number) => string },
): void {
  const barHeight = 10;
  const groupHeight = series.length * barHeight + 6;
  const left = 110;
  const width = 340;
  const height = 8 + classes.length * groupHeight;
  const ctx = prepareCanvas(canvas, width, height);
  const scale = (width - left - 70) / (options.max || 1);
  classes.forEach((name, c) => {
    const y0 = 4 + c * groupHeight;
    ctx.fillStyle = '#222';
    ctx.textAlign = 'right';
    ctx.fillText(
      name.length > 16 ? `${name.slice(0, 15)}…` : name,
      left - 6,
      y0 + groupHeight / 2 + 3,
    );
    ctx.textAlign = 'left';
    series.forEach((s, k) => {
      const v = s.values[c];
      const y = y0 + k * barHeight;
      ctx.fillStyle = STRATEGY_STYLE[s.strategy].color;
      const w = Number.isFinite(v) ? Math.max(0, v * scale) : 0;
      ctx.fillRect(left, y, w, barHeight - 1);
      ctx.fillStyle = '#222';
      ctx.font = '9px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      ctx.fillText(
        s.labels?.[c] ?? (Number.isFinite(v) ? options.format(v) : 'n/a'),
        left + w + 3,
        y + barHeight / 2,
      );
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'alphabetic';
    });
  });
}

/**
 * A class x hidden-unit heatmap of a gradient (rows: classes, columns: units). Exactly-zero
 * cells are drawn as light grey with a diagonal hatch, never as a colour of the map.
 */
export function drawGradient(
  canvas: HTMLCanvasElement,
  grad: Float64Array,
  rows: number,
  columns: number,
  rowLabels: string[],
  scale: number,
): void {
  const left = 110;
  const cell = Math.max(2, Math.min(14, Math.floor(220 / Math.max(1, columns))));
  const rowHeight = 14;
  const ctx = prepareCanvas(canvas, left + columns * cell + 50, rows * rowHeight + 4);
  // The cells as one image at CSS-pixel size, built in one pass: each cell its colour,
  // exactly-zero cells grey with a diagonal hatch line (bottom left to top right) baked in;
  // one drawImage then, however many cells (and zero cells) there are. Then the labels.
  const width = columns * cell;
  const height = rows * rowHeight;
  // The image and its canvas are kept from one drawing to the next (a fresh 2 MB image
  // each time costs the garbage collector).
  if (heatImage?.width !== width || heatImage.height !== height)
    heatImage = new ImageData(width, height);
  const image = heatImage;
  const pixels = new Uint32Array(image.data.buffer);
  const hatchAt = Array.from({ length: rowHeight }, (_, dy) =>
    Math.min(cell - 1, Math.floor((cell * (rowHeight - dy - 0.5)) / rowHeight)),
  );
  // One pixel row of a class's cells, copied down its rows with the hatch pixels set.
  const base = new Uint32Array(width);
  const zeroCells: number[] = [];
  const zeroColour = packRgb(ZERO_GREY);
  const hatchColour = packRgb(HATCH_GREY);
  const zeroRows: boolean[] = [];
  for (let r = 0; r < rows; r++) {
    zeroCells.length = 0;
    for (let j = 0; j < columns; j++) {
      const g = grad[r * columns + j];
      if (g === 0) zeroCells.push(j);
      base.fill(g === 0 ? zeroColour : packRgb(diverging(g / scale)), j * cell, (j + 1) * cell);
    }
    zeroRows.push(zeroCells.length === columns);
    for (let dy = 0; dy < rowHeight; dy++) {
      const line = (r * rowHeight + dy) * width;
      pixels.set(base, line);
      const hatch = line + hatchAt[dy];
      for (const j of zeroCells) pixels[hatch + j * cell] = hatchColour;
    }
  }
  const cells = (heatScratch ??= document.createElement('canvas'));
  if (cells.width !== width || cells.height !== height) {
    cells.width = width;
    cells.height = height;
  }
  cells.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(cells, left, 2, width, height);
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#fafafa';
  ctx.beginPath();
  for (let r = 1; r < rows; r++) {
    ctx.moveTo(left, 2 + r * rowHeight);
    ctx.lineTo(left + columns * cell, 2 + r * rowHeight);
  }
  ctx.stroke();
  ctx.fillStyle = '#222';
  for (let r = 0; r < rows; r++) {
    const y = 2 + r * rowHeight;
    ctx.textAlign = 'right';
    const label = rowLabels[r];
    ctx.fillText(label.length > 16 ? `${label.slice(0, 15)}…` : label, left - 6, y + 10);
    ctx.textAlign = 'left';
    if (zeroRows[r]) ctx.fillText('= 0', left + columns * cell + 4, y + 10);
  }
}
