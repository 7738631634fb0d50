import { TensorLike, Tensor } from '../tensor';
import { defineElementwise } from './elementwise';

// Elementwise selection with broadcasting. Gradients are routed by selection, never
// by multiplying with a 0/1 mask: an entry that was not selected gets exactly 0,
// even when the upstream gradient is Infinity or NaN.

/**
 * The larger of a and b elementwise, with broadcasting (NaN propagates). The gradient goes
 * to the larger; on a tie each gets half, and where a comparison fails both ways (NaN)
 * both get it, as in PyTorch.
 */
export const maximum = defineElementwise({
  name: 'maximum',
  kind: 'binary',
  method: 'maximum',
  forward: (a, b) => (a > b || Number.isNaN(a) ? a : b),
  backward: [
    (g, a, b) => (a === b ? g / 2 : a < b ? 0 : g),
    (g, a, b) => (a === b ? g / 2 : b < a ? 0 : g),
  ],
  samples: [
    {
      inputs: [
        { shape: [2, 3], values: [-1, 0.5, 2, 0.3, -0.4, 1.5] },
        { shape: [2, 3], values: [0.2, -0.5, 2.5, 0.1, 0.4, -1] },
      ],
    },
    {
      inputs: [
        { shape: [2, 3], values: [-1, 0.5, 2, 0.3, -0.4, 1.5] },
        { shape: [3], values: [0, 1, -2] },
      ],
      note: 'row broadcast',
    },
    {
      inputs: [
        { shape: [3, 1], values: [-1, 0.25, 2] },
        { shape: [], values: [0.5] },
      ],
      note: 'scalar',
    },
  ],
});

/** The smaller of a and b elementwise, with broadcasting; the gradient as for maximum. */
export const minimum = defineElementwise({
  name: 'minimum',
  kind: 'binary',
  method: 'minimum',
  forward: (a, b) => (a < b || Number.isNaN(a) ? a : b),
  backward: [
    (g, a, b) => (a === b ? g / 2 : a > b ? 0 : g),
    (g, a, b) => (a === b ? g / 2 : b > a ? 0 : g),
  ],
  samples: [
    {
      inputs: [
        { shape: [2, 3], values: [-1, 0.5, 2, 0.3, -0.4, 1.5] },
        { shape: [2, 3], values: [0.2, -0.5, 2.5, 0.1, 0.4, -1] },
      ],
    },
    {
      inputs: [
        { shape: [3, 1], values: [-1, 0.25, 2] },
        { shape: [1, 2], values: [0.5, -0.5] },
      ],
      note: 'both broadcast',
    },
  ],
});

/**
 * a where cond is nonzero, else b, with all three broadcast together. The gradient
 * goes to the selected branch only (exactly 0 for the other); cond gets none.
 * `a.where(cond, b)` is `where(cond, a, b)`, as in PyTorch.
 *
 * ```ts
 * where(mask, loss, 0); // masked entries are selected out, so NaN there cannot leak
 * ```
 */
export const where = defineElementwise({
  name: 'where',
  kind: 'select',
  method: 'where',
  methodArgs: (self: Tensor, cond: TensorLike, other: TensorLike) => [cond, self, other],
  forward: (c, a, b) => (c !== 0 ? a : b),
  backward: [null, (g, c) => (c !== 0 ? g : 0), (g, c) => (c !== 0 ? 0 : g)],
  samples: [
    {
      inputs: [{ shape: [2, 3], values: [1, 0, 1, 0, 0, 1], requiresGrad: false }, [2, 3], [2, 3]],
    },
    {
      inputs: [{ shape: [3], values: [0, 1, 1], requiresGrad: false }, [2, 3], []],
      note: 'row condition, scalar b',
    },
    {
      inputs: [{ shape: [2, 1], values: [1, 0], requiresGrad: false }, [1, 3], [2, 3]],
      note: 'all three broadcast',
    },
  ],
});
