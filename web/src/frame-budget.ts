// How much the page draws in one animation frame, whatever the data's size: the per-class
// pictures show at most MAX_CLASSES_DRAWN classes, the decision regions at most MAX_TOY_MAPS
// labels per strategy, and the regions are computed a slice of grid points per frame, at most
// TOY_WORK_PER_FRAME multiply-adds (plus one point's) each. Pure functions, no DOM: the
// node-side spec checks the bounds, the browser spec that the page keeps to them.
import type { StrategySnapshot } from './train-core';

/** Classes drawn in the per-class bars and the gradient heatmaps (the first ones). */
export const MAX_CLASSES_DRAWN = 40;
/** Labels per strategy with a decision-region map (the first ones). */
export const MAX_TOY_MAPS = 6;
/** Multiply-adds of the decision regions' forward passes in one frame (a few ms). */
export const TOY_WORK_PER_FRAME = 1_500_000;
/** Multiply-adds of one full set of decision regions, which picks the grid's resolution. */
export const TOY_WORK_PER_PICTURE = 24_000_000;
/** The decision regions' grid, points per side: at most this, at least TOY_GRID_MIN. */
export const TOY_GRID_MAX = 48;
export const TOY_GRID_MIN = 8;

/** The note under a capped picture, or '' when every class is drawn. */
export function classesNote(classes: number, shown = Math.min(classes, MAX_CLASSES_DRAWN)): string {
  return shown < classes ? `Showing the first ${shown} of ${classes} classes.` : '';
}

/**
 * Names joined with commas, at most MAX_CLASSES_DRAWN of them and then how many more: the
 * notes and labels that list classes (long text costs the page its layout and accessibility
 * tree at every redraw).
 */
export function namesList(names: string[], max = MAX_CLASSES_DRAWN): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

type Layers = StrategySnapshot['layers'];

/** Multiply-adds of one grid point's forward pass, computing `outputs` of the last layer. */
export function pointCost(layers: Layers, outputs: number): number {
  let cost = 0;
  for (let l = 0; l < layers.length; l++) {
    const [out, inn] = layers[l].shape;
    cost += (l === layers.length - 1 ? Math.min(out, outputs) : out) * inn;
  }
  return Math.max(1, cost);
}

/** Points per side of the regions' grid, so that one full set costs about TOY_WORK_PER_PICTURE. */
export function toyGridSize(layers: Layers, outputs: number, strategies: number): number {
  const perPoint = pointCost(layers, outputs) * Math.max(1, strategies);
  const side = Math.floor(Math.sqrt(TOY_WORK_PER_PICTURE / perPoint));
  return Math.max(TOY_GRID_MIN, Math.min(TOY_GRID_MAX, side));
}

/**
 * The decision regions of one snapshot, computed a slice at a time: for each strategy, the
 * probability of each shown label at each grid point, as RGBA pixels (viridis).
 */
export class ToyRegions {
  readonly grid: number;
  readonly shown: number;
  /** Per strategy, per shown label: grid x grid RGBA pixels. */
  readonly pixels: Uint8ClampedArray<ArrayBuffer>[][];
  /** Grid points done, over all strategies (strategy-major). */
  private done = 0;
  private readonly total: number;
  private readonly input = new Float64Array(2);
  private readonly hidden: Float64Array[][];
  private readonly output: Float64Array;
  /** Per strategy, one grid point's multiply-adds. */
  readonly costs: number[];

  constructor(
    private readonly strategies: { layers: Layers }[],
    labels: number,
    private readonly mean: ArrayLike<number>,
    private readonly std: ArrayLike<number>,
    private readonly colour: (t: number) => [number, number, number],
  ) {
    this.shown = Math.min(labels, MAX_TOY_MAPS);
    const layers = strategies[0]?.layers ?? [];
    this.grid = toyGridSize(layers, this.shown, strategies.length);
    this.total = strategies.length * this.grid * this.grid;
    this.pixels = strategies.map(() =>
      Array.from({ length: this.shown }, () => new Uint8ClampedArray(this.grid * this.grid * 4)),
    );
    this.hidden = strategies.map((s) =>
      s.layers.slice(0, -1).map((l) => new Float64Array(l.shape[0])),
    );
    this.output = new Float64Array(this.shown);
    this.costs = strategies.map((s) => pointCost(s.layers, this.shown));
  }

  get finished(): boolean {
    return this.done >= this.total;
  }

  /** Strategies whose maps are complete. */
  get strategiesDone(): number {
    return Math.floor(this.done / (this.grid * this.grid));
  }

  /**
   * Computes grid points until `budget` multiply-adds are spent (at least one point); returns
   * the multiply-adds spent.
   */
  advance(budget = TOY_WORK_PER_FRAME): number {
    const perStrategy = this.grid * this.grid;
    let spent = 0;
    while (!this.finished) {
      const k = Math.floor(this.done / perStrategy);
      // A point never starts past the budget, but the first of a slice always runs.
      if (spent > 0 && spent + this.costs[k] > budget) break;
      spent += this.forward(k, this.done % perStrategy);
      this.done++;
    }
    return spent;
  }

  /** The shown labels' probabilities at one grid point, into the pixels; returns its cost. */
  private forward(k: number, point: number): number {
    const { layers } = this.strategies[k];
    const grid = this.grid;
    const gx = point % grid;
    const gy = Math.floor(point / grid);
    this.input[0] = (-1 + (2 * (gx + 0.5)) / grid - this.mean[0]) / this.std[0];
    this.input[1] = (1 - (2 * (gy + 0.5)) / grid - this.mean[1]) / this.std[1];
    let h: Float64Array = this.input;
    let cost = 0;
    for (let l = 0; l < layers.length; l++) {
      const { weight, bias, shape } = layers[l];
      const last = l === layers.length - 1;
      const inn = shape[1];
      const out = last ? this.shown : shape[0];
      const next = last ? this.output : this.hidden[k][l];
      for (let o = 0; o < out; o++) {
        let s = bias[o];
        for (let i = 0; i < inn; i++) s += weight[o * inn + i] * h[i];
        next[o] = last ? 1 / (1 + Math.exp(-s)) : Math.max(0, s);
      }
      cost += out * inn;
      h = next;
    }
    for (let c = 0; c < this.shown; c++) {
      const [r, g, b] = this.colour(this.output[c]);
      const data = this.pixels[k][c];
      const at = point * 4;
      data[at] = r;
      data[at + 1] = g;
      data[at + 2] = b;
      data[at + 3] = 255;
    }
    return Math.max(1, cost);
  }
}
