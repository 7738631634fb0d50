import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { Tensor, TensorLike } from '../tensor';
import { defineOp } from './define';

// Elementwise math on one tensor. Where a derivative has a kink (abs at 0, clamp at
// its bounds) the choice follows PyTorch, and gradients are selected, never
// multiplied by a 0/1 step, so an infinite upstream gradient stays out of the
// entries that do not receive it.

const anySamples = [
  { inputs: [[2, 3]] },
  { inputs: [[]], note: 'scalar' },
  { inputs: [[2, 1, 2]] },
];

const negOp = defineOp({
  name: 'neg',
  forward([x]) {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = -x.data[i];
    return { data: out, shape: x.shape.slice() };
  },
  // d(-x)/dx = -1.
  backward(g) {
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = -g[i];
    return [gx];
  },
  samples: anySamples,
});

const expOp = defineOp({
  name: 'exp',
  forward([x]) {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.exp(x.data[i]);
    return { data: out, shape: x.shape.slice() };
  },
  // d(e^x)/dx = e^x, the output itself.
  backward(g, { output }) {
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = g[i] * output.data[i];
    return [gx];
  },
  samples: anySamples,
});

const logOp = defineOp({
  name: 'log',
  forward([x]) {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.log(x.data[i]);
    return { data: out, shape: x.shape.slice() };
  },
  // d(log x)/dx = 1/x.
  backward(g, { inputs: [x] }) {
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = g[i] / x.data[i];
    return [gx];
  },
  samples: [
    { inputs: [{ shape: [2, 3], low: 0.1, high: 3 }] },
    { inputs: [{ shape: [4], low: 1e-2, high: 0.5 }], note: 'near zero' },
  ],
});

const log1pOp = defineOp({
  name: 'log1p',
  forward([x]) {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.log1p(x.data[i]);
    return { data: out, shape: x.shape.slice() };
  },
  // d(log(1+x))/dx = 1/(1+x).
  backward(g, { inputs: [x] }) {
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = g[i] / (1 + x.data[i]);
    return [gx];
  },
  samples: [
    { inputs: [{ shape: [2, 3], low: -0.9, high: 3 }] },
    { inputs: [{ shape: [3], values: [1e-10, -1e-8, 2e-5] }], note: 'tiny x' },
  ],
});

const sqrtOp = defineOp({
  name: 'sqrt',
  forward([x]) {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(x.data[i]);
    return { data: out, shape: x.shape.slice() };
  },
  // d(sqrt x)/dx = 1/(2 sqrt x).
  backward(g, { output }) {
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = g[i] / (2 * output.data[i]);
    return [gx];
  },
  samples: [{ inputs: [{ shape: [2, 3], low: 0.1, high: 4 }] }],
});

const absOp = defineOp({
  name: 'abs',
  forward([x]) {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.abs(x.data[i]);
    return { data: out, shape: x.shape.slice() };
  },
  // d|x|/dx = sign(x), and 0 at x = 0 (as in PyTorch).
  backward(g, { inputs: [x] }) {
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const v = x.data[i];
      gx[i] = v > 0 ? g[i] : v < 0 ? -g[i] : 0;
    }
    return [gx];
  },
  samples: [
    { inputs: [{ shape: [2, 3], values: [-2, -0.5, -0.01, 0.01, 0.7, 3] }] },
    { inputs: [{ shape: [2, 2], low: -2, high: -0.1 }], note: 'negative side' },
    { inputs: [{ shape: [2, 2], low: 0.1, high: 2 }], note: 'positive side' },
  ],
});

interface ClampAttrs {
  min?: number;
  max?: number;
}

const clampOp = defineOp<ClampAttrs>({
  name: 'clamp',
  forward([x], { min, max }) {
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
    const lo = min ?? -Infinity;
    const hi = max ?? Infinity;
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) {
      let v = x.data[i];
      if (v < lo) v = lo;
      if (v > hi) v = hi;
      out[i] = v;
    }
    return { data: out, shape: x.shape.slice() };
  },
  // 1 where min <= x <= max (bounds included, as in PyTorch), else 0.
  backward(g, { inputs: [x], attrs: { min, max } }) {
    const lo = min ?? -Infinity;
    const hi = max ?? Infinity;
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const v = x.data[i];
      gx[i] = v >= lo && v <= hi ? g[i] : 0;
    }
    return [gx];
  },
  samples: [
    {
      inputs: [{ shape: [2, 4], values: [-2, -0.7, -0.3, 0, 0.2, 0.45, 0.8, 3] }],
      attrs: { min: -0.5, max: 0.5 },
    },
    { inputs: [{ shape: [2, 3], values: [-1.5, -0.2, 0.3, 1, 1.2, 2] }], attrs: { min: 0.1 } },
    { inputs: [{ shape: [3], values: [-1, 0.5, 2] }], attrs: { max: 0 } },
  ],
});

/** -x elementwise; d/dx = -1. */
export function neg(x: TensorLike): Tensor {
  return negOp([x], {});
}
/** e^x elementwise; d/dx = e^x. */
export function exp(x: TensorLike): Tensor {
  return expOp([x], {});
}
/** Natural logarithm elementwise; d/dx = 1/x. */
export function log(x: TensorLike): Tensor {
  return logOp([x], {});
}
/** log(1 + x) elementwise, accurate for tiny x; d/dx = 1/(1 + x). */
export function log1p(x: TensorLike): Tensor {
  return log1pOp([x], {});
}
/** Square root elementwise; d/dx = 1/(2 sqrt x). */
export function sqrt(x: TensorLike): Tensor {
  return sqrtOp([x], {});
}
/** |x| elementwise; d/dx = sign(x), 0 at x = 0. */
export function abs(x: TensorLike): Tensor {
  return absOp([x], {});
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
export function clamp(x: TensorLike, min?: number, max?: number): Tensor {
  return clampOp([x], { min, max });
}

declare module '../tensor' {
  interface Tensor {
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    clamp(min?: number, max?: number): Tensor;
  }
}
Tensor.prototype.neg = function () {
  return neg(this);
};
Tensor.prototype.exp = function () {
  return exp(this);
};
Tensor.prototype.log = function () {
  return log(this);
};
Tensor.prototype.log1p = function () {
  return log1p(this);
};
Tensor.prototype.sqrt = function () {
  return sqrt(this);
};
Tensor.prototype.abs = function () {
  return abs(this);
};
Tensor.prototype.clamp = function (min, max) {
  return clamp(this, min, max);
};
