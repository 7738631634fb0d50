import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { TensorLike } from '../tensor';
import { defineElementwise } from './elementwise';
import * as math from '../math';

/** x^exponent elementwise; d/dx = exponent * x^(exponent-1), exactly 0 for exponent 0 (as in PyTorch), even at x = 0. */
export const pow = defineElementwise({
  name: 'pow',
  kind: 'unary',
  method: 'pow',
  args: (x: TensorLike, exponent: number) => {
    if (typeof exponent !== 'number') {
      throw new MaskgradError(`pow: the exponent must be a number, got ${describeValue(exponent)}`);
    }
    return [[x], { exponent }];
  },
  forward: (x, { exponent }) => math.pow(x, exponent),
  backward: [
    (g, x, y, { exponent }) => (exponent === 0 ? 0 : g * exponent * math.pow(x, exponent - 1)),
  ],
  samples: [
    { inputs: [[2, 3]], attrs: { exponent: 2 } },
    { inputs: [[3]], attrs: { exponent: 3 } },
    { inputs: [{ shape: [2, 3], low: 0.5, high: 2 }], attrs: { exponent: 0.5 } },
    { inputs: [{ shape: [2, 2], low: 0.5, high: 2 }], attrs: { exponent: -1.5 } },
    { inputs: [[2, 2]], attrs: { exponent: 0 }, note: 'zero exponent: gradient 0' },
  ],
});
