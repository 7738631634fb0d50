// The `math` namespace of 'maskgrad': the elementary functions of ./index, each checking that
// it is given numbers. Math.exp coerces whatever it is given (a string to a number, an array
// through its text, which overflows the stack for a deeply nested one); these refuse anything
// but a number with a MaskgradError naming the function. The ops call ./index directly, so the
// check costs nothing in their loops.
import { describeValue } from '../describe-value';
import { MaskgradError } from '../errors';
import * as kernels from './index';

function notNumber(name: string, what: string, value: unknown): never {
  throw new MaskgradError(`math.${name}: ${what} must be a number, got ${describeValue(value)}`);
}

/** One-argument function `name` of ./index, checking its argument. */
function checked(name: 'exp' | 'expm1' | 'log' | 'log1p' | 'tanh' | 'sin' | 'cos') {
  const f = kernels[name];
  return (x: number): number => {
    if (typeof x !== 'number') notNumber(name, 'x', x);
    return f(x);
  };
}

export const exp: (x: number) => number = checked('exp');
export const expm1: (x: number) => number = checked('expm1');
export const log: (x: number) => number = checked('log');
export const log1p: (x: number) => number = checked('log1p');
export const tanh: (x: number) => number = checked('tanh');
export const sin: (x: number) => number = checked('sin');
export const cos: (x: number) => number = checked('cos');
export const pow: (x: number, y: number) => number = (x, y) => {
  if (typeof x !== 'number') notNumber('pow', 'x', x);
  if (typeof y !== 'number') notNumber('pow', 'y', y);
  return kernels.pow(x, y);
};
