// tanh after Sun's fdlibm: from expm1, in the form that keeps accuracy on each range.
import { highWord } from './bits';
import { expm1 } from './exp';

const TINY = 1e-300;
const HUGE = 1e300;

/** The hyperbolic tangent, as fdlibm computes it (Node 20's Math.tanh). */
export function tanh(x: number): number {
  const jx = highWord(x);
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) return jx >= 0 ? 1 / x + 1 : 1 / x - 1; // +-1 at +-Infinity, NaN
  let z: number;
  if (ix < 0x40360000) {
    // |x| < 22
    if (ix < 0x3e300000 && HUGE + x > 1) return x; // |x| < 2^-28: tanh(x) rounds to x
    if (ix >= 0x3ff00000) {
      // |x| >= 1
      const t = expm1(2 * Math.abs(x));
      z = 1 - 2 / (t + 2);
    } else {
      const t = expm1(-2 * Math.abs(x));
      z = -t / (t + 2);
    }
  } else {
    z = 1 - TINY; // |x| >= 22: +-1
  }
  return jx >= 0 ? z : -z;
}
