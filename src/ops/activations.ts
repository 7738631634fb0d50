import { Tensor, TensorLike } from '../tensor';
import { defineOp } from './define';

// Activation functions, elementwise. sigmoid and softplus are written so that no
// intermediate overflows: they are finite and exact in the tails (|x| = 1e4 and beyond).

const reluOp = defineOp({
  name: 'relu',
  forward([x]) {
    const xs = x.data;
    const out = new Float64Array(xs.length);
    for (let i = 0; i < out.length; i++) {
      const v = xs[i];
      out[i] = v > 0 || Number.isNaN(v) ? v : 0; // NaN propagates, as in PyTorch
    }
    return { data: out, shape: x.shape.slice() };
  },
  // d relu(x)/dx = 1 for x > 0, else 0 (0 at x = 0, as in PyTorch).
  backward(g, { inputs: [x] }) {
    const xs = x.data;
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = xs[i] > 0 ? g[i] : 0;
    return [gx];
  },
  samples: [
    { inputs: [{ shape: [2, 3], values: [-1.5, -0.2, -0.01, 0.02, 0.4, 2] }] },
    { inputs: [{ shape: [2, 2], low: -2, high: -0.1 }], note: 'all negative' },
    { inputs: [{ shape: [2, 2], low: 0.1, high: 2 }], note: 'all positive' },
  ],
});

/** sigmoid(v) for one number, without overflow for any v: exp only of a non-positive value. */
export function stableSigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

const sigmoidOp = defineOp({
  name: 'sigmoid',
  forward([x]) {
    const xs = x.data;
    const out = new Float64Array(xs.length);
    for (let i = 0; i < out.length; i++) {
      out[i] = stableSigmoid(xs[i]);
    }
    return { data: out, shape: x.shape.slice() };
  },
  // d sigmoid(x)/dx = s (1 - s), from the output s.
  backward(g, { output }) {
    const ys = output.data;
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const s = ys[i];
      gx[i] = g[i] * s * (1 - s);
    }
    return [gx];
  },
  samples: [
    { inputs: [[2, 3]] },
    { inputs: [{ shape: [5], values: [-40, -3, 0, 3, 40] }], note: 'tails' },
  ],
});

const tanhOp = defineOp({
  name: 'tanh',
  forward([x]) {
    const xs = x.data;
    const out = new Float64Array(xs.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.tanh(xs[i]);
    return { data: out, shape: x.shape.slice() };
  },
  // d tanh(x)/dx = 1 - tanh(x)^2, from the output.
  backward(g, { output }) {
    const ys = output.data;
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const t = ys[i];
      gx[i] = g[i] * (1 - t * t);
    }
    return [gx];
  },
  samples: [
    { inputs: [[2, 3]] },
    { inputs: [{ shape: [4], values: [-20, -0.5, 0.5, 20] }], note: 'tails' },
  ],
});

const softplusOp = defineOp({
  name: 'softplus',
  forward([x]) {
    const xs = x.data;
    const out = new Float64Array(xs.length);
    for (let i = 0; i < out.length; i++) {
      const v = xs[i];
      out[i] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }
    return { data: out, shape: x.shape.slice() };
  },
  // d softplus(x)/dx = sigmoid(x), computed without overflow.
  backward(g, { inputs: [x] }) {
    const xs = x.data;
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      gx[i] = g[i] * stableSigmoid(xs[i]);
    }
    return [gx];
  },
  samples: [
    { inputs: [[2, 3]] },
    { inputs: [{ shape: [5], values: [-40, -3, 0, 3, 40] }], note: 'tails' },
  ],
});

/** max(x, 0) elementwise; d/dx = 1 for x > 0, else 0 (0 at x = 0, as in PyTorch). */
export function relu(x: TensorLike): Tensor {
  return reluOp([x], {});
}
/** 1 / (1 + e^-x) elementwise, without overflow for any x; d/dx = s (1 - s). */
export function sigmoid(x: TensorLike): Tensor {
  return sigmoidOp([x], {});
}
/** Hyperbolic tangent elementwise; d/dx = 1 - tanh(x)^2. */
export function tanh(x: TensorLike): Tensor {
  return tanhOp([x], {});
}
/** log(1 + e^x) elementwise, computed as max(x, 0) + log1p(e^-|x|) so it never overflows; d/dx = sigmoid(x). */
export function softplus(x: TensorLike): Tensor {
  return softplusOp([x], {});
}

declare module '../tensor' {
  interface Tensor {
    relu(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    softplus(): Tensor;
  }
}
Tensor.prototype.relu = function () {
  return relu(this);
};
Tensor.prototype.sigmoid = function () {
  return sigmoid(this);
};
Tensor.prototype.tanh = function () {
  return tanh(this);
};
Tensor.prototype.softplus = function () {
  return softplus(this);
};
