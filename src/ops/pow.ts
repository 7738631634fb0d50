import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { Tensor, TensorLike } from '../tensor';
import { defineOp } from './define';

interface PowAttrs {
  exponent: number;
}

const powOp = defineOp<PowAttrs>({
  name: 'pow',
  forward([x], { exponent }) {
    if (typeof exponent !== 'number') {
      throw new MaskgradError(`pow: the exponent must be a number, got ${describeValue(exponent)}`);
    }
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.pow(x.data[i], exponent);
    return { data: out, shape: x.shape.slice() };
  },
  // d(x^p)/dx = p * x^(p-1); exactly 0 for p = 0 (as in PyTorch), even at x = 0.
  backward(g, { inputs: [x], attrs: { exponent } }) {
    const gx = new Float64Array(g.length);
    if (exponent === 0) return [gx];
    const p1 = exponent - 1;
    for (let i = 0; i < g.length; i++) gx[i] = g[i] * exponent * Math.pow(x.data[i], p1);
    return [gx];
  },
  samples: [
    { inputs: [[2, 3]], attrs: { exponent: 2 } },
    { inputs: [[3]], attrs: { exponent: 3 } },
    { inputs: [{ shape: [2, 3], low: 0.5, high: 2 }], attrs: { exponent: 0.5 } },
    { inputs: [{ shape: [2, 2], low: 0.5, high: 2 }], attrs: { exponent: -1.5 } },
    { inputs: [[2, 2]], attrs: { exponent: 0 }, note: 'zero exponent: gradient 0' },
  ],
});

/** x^exponent elementwise; d/dx = exponent * x^(exponent-1) (0 when the exponent is 0). */
export function pow(x: TensorLike, exponent: number): Tensor {
  return powOp([x], { exponent });
}

declare module '../tensor' {
  interface Tensor {
    pow(exponent: number): Tensor;
  }
}
Tensor.prototype.pow = function (exponent) {
  return pow(this, exponent);
};
