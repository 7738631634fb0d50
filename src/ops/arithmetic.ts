import { Tensor, TensorLike } from '../tensor';
import { defineOp } from './define';

// Elementwise add, sub, mul, div with NumPy broadcasting. The engine broadcasts the
// inputs before forward and sums each gradient back to its input's shape after
// backward, so these kernels only ever see two arrays of one shape.

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
];

const addOp = defineOp({
  name: 'add',
  broadcast: true,
  forward([a, b]) {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = a.data[i] + b.data[i];
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
  forward([a, b]) {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = a.data[i] - b.data[i];
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

const mulOp = defineOp({
  name: 'mul',
  broadcast: true,
  forward([a, b]) {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = a.data[i] * b.data[i];
    return { data: out, shape: a.shape.slice() };
  },
  // d(ab)/da = b, d(ab)/db = a.
  backward(g, { inputs: [a, b], needsGrad }) {
    let ga: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (needsGrad[0]) {
      ga = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) ga[i] = g[i] * b.data[i];
    }
    if (needsGrad[1]) {
      gb = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) gb[i] = g[i] * a.data[i];
    }
    return [ga, gb];
  },
  samples: broadcastSamples,
});

const divOp = defineOp({
  name: 'div',
  broadcast: true,
  forward([a, b]) {
    const out = new Float64Array(a.data.length);
    for (let i = 0; i < out.length; i++) out[i] = a.data[i] / b.data[i];
    return { data: out, shape: a.shape.slice() };
  },
  // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2.
  backward(g, { inputs: [a, b], needsGrad }) {
    let ga: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (needsGrad[0]) {
      ga = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) ga[i] = g[i] / b.data[i];
    }
    if (needsGrad[1]) {
      gb = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) gb[i] = (-g[i] * a.data[i]) / (b.data[i] * b.data[i]);
    }
    return [ga, gb];
  },
  samples: [
    { inputs: [[2, 3], { shape: [2, 3], low: 0.5, high: 2 }] },
    { inputs: [[2, 3], { shape: [3], low: 0.5, high: 2 }], note: 'broadcast divisor' },
    { inputs: [[4, 1], { shape: [1, 3], low: -2, high: -0.5 }], note: 'both broadcast' },
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
