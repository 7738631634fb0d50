import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { TensorLike } from '../tensor';
import { defineElementwise } from './elementwise';
import * as math from '../math';

// Elementwise math on one tensor, each op stated for one element. Where a derivative has
// a kink (abs at 0, clamp at its bounds) the choice follows PyTorch, and gradients are
// selected, never multiplied by a 0/1 step, so an infinite upstream gradient stays out
// of the entries that do not receive it.

const anySamples = [
  { inputs: [[2, 3]] },
  { inputs: [[]], note: 'scalar' },
  { inputs: [[2, 1, 2]] },
];

/** -x elementwise; d/dx = -1. */
export const neg = defineElementwise({
  name: 'neg',
  kind: 'unary',
  method: 'neg',
  forward: (x) => -x,
  backward: [(g) => -g],
  samples: anySamples,
});

/** e^x elementwise; d/dx = e^x, the output itself. */
export const exp = defineElementwise({
  name: 'exp',
  kind: 'unary',
  method: 'exp',
  forward: (x) => math.exp(x),
  backward: [(g, x, y) => g * y],
  samples: anySamples,
});

/** Natural logarithm elementwise; d/dx = 1/x. */
export const log = defineElementwise({
  name: 'log',
  kind: 'unary',
  method: 'log',
  forward: (x) => math.log(x),
  backward: [(g, x) => g / x],
  samples: [
    { inputs: [{ shape: [2, 3], low: 0.1, high: 3 }] },
    { inputs: [{ shape: [4], low: 1e-2, high: 0.5 }], note: 'near zero' },
  ],
});

/** log(1 + x) elementwise, accurate for tiny x; d/dx = 1/(1 + x). */
export const log1p = defineElementwise({
  name: 'log1p',
  kind: 'unary',
  method: 'log1p',
  forward: (x) => math.log1p(x),
  backward: [(g, x) => g / (1 + x)],
  samples: [
    { inputs: [{ shape: [2, 3], low: -0.9, high: 3 }] },
    { inputs: [{ shape: [3], values: [1e-10, -1e-8, 2e-5] }], note: 'tiny x' },
  ],
});

/** Square root elementwise; d/dx = 1/(2 sqrt x). */
export const sqrt = defineElementwise({
  name: 'sqrt',
  kind: 'unary',
  method: 'sqrt',
  forward: (x) => Math.sqrt(x),
  backward: [(g, x, y) => g / (2 * y)],
  samples: [{ inputs: [{ shape: [2, 3], low: 0.1, high: 4 }] }],
});

/** |x| elementwise; d/dx = sign(x), and 0 at x = 0 (as in PyTorch). */
export const abs = defineElementwise({
  name: 'abs',
  kind: 'unary',
  method: 'abs',
  forward: (x) => Math.abs(x),
  backward: [(g, x) => (x > 0 ? g : x < 0 ? -g : 0)],
  samples: [
    { inputs: [{ shape: [2, 3], values: [-2, -0.5, -0.01, 0.01, 0.7, 3] }] },
    { inputs: [{ shape: [2, 2], low: -2, high: -0.1 }], note: 'negative side' },
    { inputs: [{ shape: [2, 2], low: 0.1, high: 2 }], note: 'positive side' },
  ],
});

interface ClampAttrs {
  lo: number;
  hi: number;
}

/** The bounds of clamp, checked: at least one given, each a number. */
function clampBounds(min: number | undefined, max: number | undefined): ClampAttrs {
  if (min === undefined && max === undefined) {
    throw new MaskgradError('clamp: expected at least one of min and max, got neither');
  }
  for (const [name, bound] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (bound !== undefined && (typeof bound !== 'number' || Number.isNaN(bound))) {
      throw new MaskgradError(
        `clamp: ${name} must be a number or undefined, got ${describeValue(bound)}`,
      );
    }
  }
  return { lo: min ?? -Infinity, hi: max ?? Infinity };
}

/**
 * Limits x to [min, max]; either bound may be left out. d/dx = 1 where min <= x <= max
 * (the bounds included, as in PyTorch), else 0.
 *
 * ```ts
 * clamp(p, 1e-7, 1 - 1e-7); // keep probabilities away from 0 and 1
 * clamp(x, undefined, 0);   // min(x, 0)
 * ```
 */
export const clamp = defineElementwise({
  name: 'clamp',
  kind: 'unary',
  method: 'clamp',
  args: (x: TensorLike, min?: number, max?: number) => [[x], clampBounds(min, max)],
  forward: (x, { lo, hi }) => {
    const v = x < lo ? lo : x;
    return v > hi ? hi : v; // min > max gives max everywhere, as in PyTorch
  },
  backward: [(g, x, y, { lo, hi }) => (x >= lo && x <= hi ? g : 0)],
  samples: [
    {
      inputs: [{ shape: [2, 4], values: [-2, -0.7, -0.3, 0, 0.2, 0.45, 0.8, 3] }],
      attrs: { lo: -0.5, hi: 0.5 },
    },
    {
      inputs: [{ shape: [2, 3], values: [-1.5, -0.2, 0.3, 1, 1.2, 2] }],
      attrs: { lo: 0.1, hi: Infinity },
    },
    { inputs: [{ shape: [3], values: [-1, 0.5, 2] }], attrs: { lo: -Infinity, hi: 0 } },
  ],
});
