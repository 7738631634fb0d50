import { Tensor, TensorLike } from '../tensor';
import { defineOp } from './define';

// Elementwise selection with broadcasting. Gradients are routed by selection, never
// by multiplying with a 0/1 mask: an entry that was not selected gets exactly 0,
// even when the upstream gradient is Infinity or NaN.

const maximumOp = defineOp({
  name: 'maximum',
  broadcast: true,
  forward([a, b]) {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) {
      const x = a.data[i];
      const y = b.data[i];
      out[i] = x > y || Number.isNaN(x) ? x : y; // NaN propagates
    }
    return { data: out, shape: a.shape.slice() };
  },
  // The larger input gets the gradient; on a tie each gets half (as in PyTorch).
  backward(g, { inputs: [a, b], needsGrad }) {
    return splitBetween(g, a.data, b.data, needsGrad, 1);
  },
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

const minimumOp = defineOp({
  name: 'minimum',
  broadcast: true,
  forward([a, b]) {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) {
      const x = a.data[i];
      const y = b.data[i];
      out[i] = x < y || Number.isNaN(x) ? x : y; // NaN propagates
    }
    return { data: out, shape: a.shape.slice() };
  },
  // The smaller input gets the gradient; on a tie each gets half (as in PyTorch).
  backward(g, { inputs: [a, b], needsGrad }) {
    return splitBetween(g, a.data, b.data, needsGrad, -1);
  },
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
 * Gradients of maximum (sign 1) or minimum (sign -1): the winner gets g, the loser 0,
 * a tie g/2 each. Where a comparison is false both ways (NaN), both get g, as in PyTorch.
 */
function splitBetween(
  g: Float64Array,
  a: Float64Array,
  b: Float64Array,
  needsGrad: readonly boolean[],
  sign: 1 | -1,
): [Float64Array | null, Float64Array | null] {
  let ga: Float64Array | null = null;
  let gb: Float64Array | null = null;
  if (needsGrad[0]) {
    ga = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const d = sign * (a[i] - b[i]);
      ga[i] = a[i] === b[i] ? g[i] / 2 : d < 0 ? 0 : g[i];
    }
  }
  if (needsGrad[1]) {
    gb = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const d = sign * (b[i] - a[i]);
      gb[i] = a[i] === b[i] ? g[i] / 2 : d < 0 ? 0 : g[i];
    }
  }
  return [ga, gb];
}

const whereOp = defineOp({
  name: 'where',
  broadcast: true,
  nonDifferentiable: [0],
  forward([cond, a, b]) {
    const out = new Float64Array(cond.data.length);
    for (let i = 0; i < out.length; i++) out[i] = cond.data[i] !== 0 ? a.data[i] : b.data[i];
    return { data: out, shape: cond.shape.slice() };
  },
  // a gets g where cond is nonzero and exactly 0 elsewhere; b the other way round.
  backward(g, { inputs: [cond], needsGrad }) {
    let ga: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (needsGrad[1]) {
      ga = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) if (cond.data[i] !== 0) ga[i] = g[i];
    }
    if (needsGrad[2]) {
      gb = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) if (cond.data[i] === 0) gb[i] = g[i];
    }
    return [null, ga, gb];
  },
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

/** The larger of a and b elementwise, with broadcasting; the gradient goes to the larger, split evenly on ties. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return maximumOp([a, b], {});
}
/** The smaller of a and b elementwise, with broadcasting; the gradient goes to the smaller, split evenly on ties. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return minimumOp([a, b], {});
}
/**
 * a where cond is nonzero, else b, with all three broadcast together. The gradient
 * goes to the selected branch only (exactly 0 for the other); cond gets none.
 *
 * ```ts
 * where(mask, loss, 0); // masked entries are selected out, so NaN there cannot leak
 * ```
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  return whereOp([cond, a, b], {});
}

declare module '../tensor' {
  interface Tensor {
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    /** `a.where(cond, b)` is `where(cond, a, b)`, as in PyTorch. */
    where(cond: TensorLike, other: TensorLike): Tensor;
  }
}
Tensor.prototype.maximum = function (other) {
  return maximum(this, other);
};
Tensor.prototype.minimum = function (other) {
  return minimum(this, other);
};
Tensor.prototype.where = function (cond, other) {
  return where(cond, this, other);
};
