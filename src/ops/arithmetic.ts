import { shapeSize } from '../shape';
import { Tensor, TensorLike } from '../tensor';
import { defineOp } from './define';

// Elementwise add, sub, mul, div with NumPy broadcasting. The engine broadcasts the
// inputs before forward and sums each gradient back to its input's shape after
// backward, so these kernels see two arrays of one shape, with one exception
// (`scalarInputs`): a one-element input such as the 2 in `x.mul(2)` arrives as its
// single value, not copied out to the full shape, and the kernels read it as `s`.
// Its gradient is still returned at the full shape, for sumToShape to add up.

const broadcastSamples = [
  {
    inputs: [
      [2, 3],
      [2, 3],
    ],
  },
  { inputs: [[2, 3], [3]], note: 'row vector broadcast over rows' },
  {
    inputs: [
      [3, 1],
      [1, 4],
    ],
    note: 'both inputs broadcast',
  },
  { inputs: [[2, 3], []], note: 'scalar' },
  { inputs: [[], [2, 3]], note: 'scalar first' },
  {
    inputs: [
      [1, 1],
      [2, 3],
    ],
    note: 'one element of shape [1,1]',
  },
];

const addOp = defineOp({
  name: 'add',
  broadcast: true,
  scalarInputs: true,
  forward([a, b]) {
    const x = a.data;
    const y = b.data;
    const n = shapeSize(a.shape);
    const out = new Float64Array(n);
    if (x.length === y.length) {
      for (let i = 0; i < n; i++) out[i] = x[i] + y[i];
    } else if (y.length === 1) {
      const s = y[0];
      for (let i = 0; i < n; i++) out[i] = x[i] + s;
    } else {
      const s = x[0];
      for (let i = 0; i < n; i++) out[i] = s + y[i];
    }
    return { data: out, shape: a.shape.slice() };
  },
  // d(a+b)/da = 1, d(a+b)/db = 1.
  backward(g) {
    return [g, g];
  },
  samples: broadcastSamples,
});

const subOp = defineOp({
  name: 'sub',
  broadcast: true,
  scalarInputs: true,
  forward([a, b]) {
    const x = a.data;
    const y = b.data;
    const n = shapeSize(a.shape);
    const out = new Float64Array(n);
    if (x.length === y.length) {
      for (let i = 0; i < n; i++) out[i] = x[i] - y[i];
    } else if (y.length === 1) {
      const s = y[0];
      for (let i = 0; i < n; i++) out[i] = x[i] - s;
    } else {
      const s = x[0];
      for (let i = 0; i < n; i++) out[i] = s - y[i];
    }
    return { data: out, shape: a.shape.slice() };
  },
  // d(a-b)/da = 1, d(a-b)/db = -1.
  backward(g, { needsGrad }) {
    let gb: Float64Array | null = null;
    if (needsGrad[1]) {
      gb = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) gb[i] = -g[i];
    }
    return [g, gb];
  },
  samples: broadcastSamples,
});

/** g * v elementwise, where v has g's length or is one value. */
function scale(g: Float64Array, v: Float64Array): Float64Array {
  const out = new Float64Array(g.length);
  if (v.length === g.length) {
    for (let i = 0; i < g.length; i++) out[i] = g[i] * v[i];
  } else {
    const s = v[0];
    for (let i = 0; i < g.length; i++) out[i] = g[i] * s;
  }
  return out;
}

const mulOp = defineOp({
  name: 'mul',
  broadcast: true,
  scalarInputs: true,
  forward([a, b]) {
    const x = a.data;
    const y = b.data;
    const n = shapeSize(a.shape);
    const out = new Float64Array(n);
    if (x.length === y.length) {
      for (let i = 0; i < n; i++) out[i] = x[i] * y[i];
    } else if (y.length === 1) {
      const s = y[0];
      for (let i = 0; i < n; i++) out[i] = x[i] * s;
    } else {
      const s = x[0];
      for (let i = 0; i < n; i++) out[i] = s * y[i];
    }
    return { data: out, shape: a.shape.slice() };
  },
  // d(ab)/da = b, d(ab)/db = a.
  backward(g, { inputs: [a, b], needsGrad }) {
    return [needsGrad[0] ? scale(g, b.data) : null, needsGrad[1] ? scale(g, a.data) : null];
  },
  samples: broadcastSamples,
});

const divOp = defineOp({
  name: 'div',
  broadcast: true,
  scalarInputs: true,
  forward([a, b]) {
    const x = a.data;
    const y = b.data;
    const n = shapeSize(a.shape);
    const out = new Float64Array(n);
    if (x.length === y.length) {
      for (let i = 0; i < n; i++) out[i] = x[i] / y[i];
    } else if (y.length === 1) {
      const s = y[0];
      for (let i = 0; i < n; i++) out[i] = x[i] / s;
    } else {
      const s = x[0];
      for (let i = 0; i < n; i++) out[i] = s / y[i];
    }
    return { data: out, shape: a.shape.slice() };
  },
  // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2.
  backward(g, { inputs: [a, b], needsGrad }) {
    const x = a.data;
    const y = b.data;
    const n = g.length;
    let ga: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (needsGrad[0]) {
      ga = new Float64Array(n);
      if (y.length === n) {
        for (let i = 0; i < n; i++) ga[i] = g[i] / y[i];
      } else {
        const s = y[0];
        for (let i = 0; i < n; i++) ga[i] = g[i] / s;
      }
    }
    if (needsGrad[1]) {
      gb = new Float64Array(n);
      if (x.length === y.length) {
        for (let i = 0; i < n; i++) gb[i] = (-g[i] * x[i]) / (y[i] * y[i]);
      } else if (y.length === 1) {
        const s = y[0];
        for (let i = 0; i < n; i++) gb[i] = (-g[i] * x[i]) / (s * s);
      } else {
        const s = x[0];
        for (let i = 0; i < n; i++) gb[i] = (-g[i] * s) / (y[i] * y[i]);
      }
    }
    return [ga, gb];
  },
  samples: [
    { inputs: [[2, 3], { shape: [2, 3], low: 0.5, high: 2 }] },
    { inputs: [[2, 3], { shape: [3], low: 0.5, high: 2 }], note: 'broadcast divisor' },
    { inputs: [[4, 1], { shape: [1, 3], low: -2, high: -0.5 }], note: 'both broadcast' },
    { inputs: [[2, 3], { shape: [], low: 0.5, high: 2 }], note: 'scalar divisor' },
    { inputs: [[], { shape: [2, 3], low: 0.5, high: 2 }], note: 'scalar dividend' },
  ],
});

/** a + b, elementwise with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return addOp([a, b], {});
}
/** a - b, elementwise with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return subOp([a, b], {});
}
/** a * b, elementwise with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return mulOp([a, b], {});
}
/** a / b, elementwise with broadcasting. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return divOp([a, b], {});
}

declare module '../tensor' {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
  }
}
Tensor.prototype.add = function (other) {
  return add(this, other);
};
Tensor.prototype.sub = function (other) {
  return sub(this, other);
};
Tensor.prototype.mul = function (other) {
  return mul(this, other);
};
Tensor.prototype.div = function (other) {
  return div(this, other);
};
