// tanh after Sun's fdlibm: from expm1, in the form that keeps accuracy on each range.
import { expm1 } from './exp';

const TINY = 1e-300;
const TWO_M28 = 3.725290298461914e-9;

/** The hyperbolic tangent, as fdlibm computes it (Node 20's Math.tanh). */
export function tanh(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < Infinity)) return x !== x ? x + x : x > 0 ? 1 : -1; // NaN, +-Infinity
  let z: number;
  if (ax < 22) {
    if (ax < TWO_M28) return x; // tanh(x) rounds to x
    // One call of expm1 (so that V8 inlines it): of 2|x| for |x| >= 1, of -2|x| below.
    const t = expm1(ax >= 1 ? 2 * ax : -2 * ax);
    z = ax >= 1 ? 1 - 2 / (t + 2) : -t / (t + 2);
  } else {
    z = 1 - TINY; // |x| >= 22: +-1
  }
  return x > 0 ? z : -z;
}
