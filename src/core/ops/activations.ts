import { defineElementwise } from './elementwise';
import * as math from '../math';
import { reluKernels } from '../kernels';

// Activation functions, elementwise. sigmoid and softplus are written so that no
// intermediate overflows: they are finite and exact in the tails (|x| = 1e4 and beyond).

/** max(x, 0) elementwise; d/dx = 1 for x > 0, else 0 (0 at x = 0, as in PyTorch). */
export const relu = defineElementwise({
  name: 'relu',
  kind: 'unary',
  method: 'relu',
  forward: (x) => (x > 0 || Number.isNaN(x) ? x : 0), // NaN propagates, as in PyTorch
  backward: [(g, x) => (x > 0 ? g : 0)],
  // WebAssembly kernels of these two formulas, branch-free (wasm/kernels.wat).
  arrayKernels: reluKernels,
  samples: [
    { inputs: [{ shape: [2, 3], values: [-1.5, -0.2, -0.01, 0.02, 0.4, 2] }] },
    { inputs: [{ shape: [2, 2], low: -2, high: -0.1 }], note: 'all negative' },
    { inputs: [{ shape: [2, 2], low: 0.1, high: 2 }], note: 'all positive' },
  ],
});

/** sigmoid(v) for one number, without overflow for any v: exp only of a non-positive value. */
export function stableSigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + math.exp(-v));
  const e = math.exp(v);
  return e / (1 + e);
}

/** 1 / (1 + e^-x) elementwise, without overflow for any x; d/dx = s (1 - s), from the output s. */
export const sigmoid = defineElementwise({
  name: 'sigmoid',
  kind: 'unary',
  method: 'sigmoid',
  forward: stableSigmoid,
  backward: [(g, x, s) => g * s * (1 - s)],
  samples: [
    { inputs: [[2, 3]] },
    { inputs: [{ shape: [5], values: [-40, -3, 0, 3, 40] }], note: 'tails' },
  ],
});

/** Hyperbolic tangent elementwise; d/dx = 1 - tanh(x)^2, from the output. */
export const tanh = defineElementwise({
  name: 'tanh',
  kind: 'unary',
  method: 'tanh',
  forward: (x) => math.tanh(x),
  backward: [(g, x, t) => g * (1 - t * t)],
  samples: [
    { inputs: [[2, 3]] },
    { inputs: [{ shape: [4], values: [-20, -0.5, 0.5, 20] }], note: 'tails' },
  ],
});

/**
 * log(1 + e^x) elementwise, computed as max(x, 0) + log1p(e^-|x|) so it never overflows;
 * d/dx = sigmoid(x).
 */
export const softplus = defineElementwise({
  name: 'softplus',
  kind: 'unary',
  method: 'softplus',
  forward: (x) => (x > 0 ? x : 0) + math.log1p(math.exp(-Math.abs(x))),
  backward: [(g, x) => g * stableSigmoid(x)],
  samples: [
    { inputs: [[2, 3]] },
    { inputs: [{ shape: [5], values: [-40, -3, 0, 3, 40] }], note: 'tails' },
  ],
});
