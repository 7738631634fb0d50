// pow after Sun's fdlibm (V8's port of it is what Node 20 runs for Math.pow and **):
// compute log2|x| as t1 + t2 in extra precision (t1 with 29 trailing zero bits), multiply
// by y split the same way, so y log2|x| = n + z with |z| <= 1/2 is exact enough, and
// return 2^n 2^z, with 2^z = e^(z ln2) by exp's polynomial.
import { cutLowWord, fromHighWord, highWord, lowWord, twoTo } from './bits';

const BP = [1, 1.5];
const DP_H = [0, 5.84962487220764160156e-1]; // log2(1.5), head
const DP_L = [0, 1.35003920212974897128e-8]; // log2(1.5), tail
const TWO53 = 9007199254740992;
const HUGE = 1e300;
const TINY = 1e-300;
// Remez coefficients for (3/2)(log(x) - 2s - 2/3 s^3), s = (x - 1) / (x + 1).
const L1 = 5.99999999999994648725e-1;
const L2 = 4.28571428578550184252e-1;
const L3 = 3.33333329818377432918e-1;
const L4 = 2.72728123808534006489e-1;
const L5 = 2.30660745775561754067e-1;
const L6 = 2.06975017800338417784e-1;
// exp's polynomial (see exp.ts).
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const LG2 = 6.93147180559945286227e-1; // ln2
const LG2_H = 6.93147182464599609375e-1; // ln2, head (0x3fe62e43_00000000)
const LG2_L = -1.90465429995776804525e-9; // ln2, tail
const OVT = 8.0085662595372944372e-17; // -(1024 - log2(largest double + half an ulp))
const CP = 9.61796693925975554329e-1; // 2 / (3 ln2)
const CP_H = 9.61796700954437255859e-1; // its head (0x3feec709_e0000000)
const CP_L = -7.02846165095275826516e-9; // its tail
const IVLN2 = 1.4426950408889634074; // 1 / ln2
const IVLN2_H = 1.44269502162933349609; // its head, 24 bits
const IVLN2_L = 1.92596299112661746887e-8; // its tail

/** x to the power y, as fdlibm computes it (Node 20's Math.pow and **), JavaScript's special cases included. */
export function pow(x: number, y: number): number {
  const hx = highWord(x);
  const lx = lowWord(x) >>> 0;
  const hy = highWord(y);
  const ly = lowWord(y) >>> 0;
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;

  if ((iy | ly) === 0) return 1; // x ** 0 is 1, even for NaN
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0)) return NaN;
  if (iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0)) return NaN;

  // For x < 0: is y an odd integer (1), an even one (2) or not an integer (0)?
  let yIsInt = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) {
      yIsInt = 2; // |y| >= 2^53: even
    } else if (iy >= 0x3ff00000) {
      const e = (iy >> 20) - 0x3ff;
      if (e > 20) {
        const j = ly >>> (52 - e);
        if ((j << (52 - e)) >>> 0 === ly) yIsInt = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - e);
        if (j << (20 - e) === iy) yIsInt = 2 - (j & 1);
      }
    }
  }

  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y is +-Infinity
      if (((ix - 0x3ff00000) | lx) === 0) return NaN; // (+-1) ** +-Infinity
      if (ix >= 0x3ff00000) return hy >= 0 ? y : 0; // |x| > 1
      return hy < 0 ? -y : 0; // |x| < 1
    }
    if (iy === 0x3ff00000) return hy < 0 ? 1 / x : x; // y is +-1
    if (hy === 0x40000000) return x * x; // y is 2
    if (hy === 0x3fe00000 && hx >= 0) return Math.sqrt(x); // y is 1/2, x >= +0
  }

  const ax = Math.abs(x);
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    // x is +-0, +-Infinity or +-1
    let z = hy < 0 ? 1 / ax : ax;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yIsInt) === 0)
        z = NaN; // (-1) ** non-integer
      else if (yIsInt === 1) z = -z;
    }
    return z;
  }

  if (hx < 0 && yIsInt === 0) return NaN; // negative ** non-integer
  const sign = hx < 0 && yIsInt === 1 ? -1 : 1;

  let t1: number;
  let t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2^31
    if (iy > 0x43f00000) {
      // |y| > 2^64: certain overflow or underflow
      if (ix <= 0x3fefffff) return hy < 0 ? HUGE * HUGE : TINY * TINY;
      if (ix >= 0x3ff00000) return hy > 0 ? HUGE * HUGE : TINY * TINY;
    }
    if (ix < 0x3fefffff) return hy < 0 ? sign * HUGE * HUGE : sign * TINY * TINY;
    if (ix > 0x3ff00000) return hy > 0 ? sign * HUGE * HUGE : sign * TINY * TINY;
    // |1 - x| <= 2^-20: log(x) from x - x^2/2 + x^3/3 - x^4/4
    const t = ax - 1;
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    t1 = cutLowWord(u + v);
    t2 = v - (t1 - u);
  } else {
    let n = 0;
    let a = ax;
    if (ix < 0x00100000) {
      a *= TWO53; // subnormal x
      n -= 53;
      ix = highWord(a);
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    const e = (ix >> 20) - 0x3ff;
    ix = j | 0x3ff00000; // the mantissa, in [1, 2)
    let k: number;
    if (j <= 0x3988e) {
      k = 0; // below sqrt(3/2): around 1
    } else if (j < 0xbb67a) {
      k = 1; // below sqrt(3): around 1.5
    } else {
      k = 0; // above: around 2, so take half of it
      n += 1;
      ix -= 0x00100000;
    }
    a *= twoTo((ix >> 20) - 0x3ff - e); // give a the exponent of ix, by an exact product

    // ss = s_h + s_l = (a - bp) / (a + bp)
    let u = a - BP[k];
    let v = 1 / (a + BP[k]);
    const ss = u * v;
    const sH = cutLowWord(ss);
    let tH = fromHighWord(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18)); // a + bp, head
    let tL = a - (tH - BP[k]);
    const sL = v * (u - sH * tH - sH * tL);
    // log(a) in the form (2/(3 ln2)) (ss + ...)
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sL * (sH + ss);
    s2 = sH * sH;
    tH = cutLowWord(3 + s2 + r);
    tL = r - (tH - 3 - s2);
    u = sH * tH;
    v = sL * tH + tL * ss;
    const pH = cutLowWord(u + v);
    const pL = v - (pH - u);
    const zH = CP_H * pH;
    const zL = CP_L * pH + pL * CP + DP_L[k];
    // log2(ax) = n + dp_h + z_h + z_l
    const t = n;
    t1 = cutLowWord(zH + zL + DP_H[k] + t);
    t2 = zL - (t1 - t - DP_H[k] - zH);
  }

  // y log2|x| = (y1 + y2)(t1 + t2), y1 with 32 trailing zero bits
  const y1 = cutLowWord(y);
  const pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  let j = highWord(z);
  const i0 = lowWord(z);
  if (j >= 0x40900000) {
    // z >= 1024
    if (((j - 0x40900000) | i0) !== 0) return sign * HUGE * HUGE;
    if (pL + OVT > z - pH) return sign * HUGE * HUGE;
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z <= -1075
    if (((j - (0xc090cc00 | 0)) | i0) !== 0) return sign * TINY * TINY;
    if (pL <= z - pH) return sign * TINY * TINY;
  }

  // 2^(pH + pL): take out the nearest integer n
  const i = j & 0x7fffffff;
  let k = (i >> 20) - 0x3ff;
  let n = 0;
  if (i > 0x3fe00000) {
    // |z| > 1/2
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    const t = fromHighWord(n & ~(0x000fffff >> k));
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  const t = cutLowWord(pL + pH);
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LG2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const c = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const r = (z * c) / (c - 2 - (w + z * w));
  z = 1 - (r - z);
  j = highWord(z) + (n << 20);
  if (j >> 20 <= 0) return sign * scaleSubnormal(z, n);
  return sign * (n > 1023 ? z * 2 * twoTo(n - 1) : z * twoTo(n)); // exact
}

/** z 2^n for a result below the normal range, rounded once. */
function scaleSubnormal(z: number, n: number): number {
  // z is near 1 and n below -1000: z 2^(n + 64) is exact, the final product rounds.
  return z * twoTo(n + 64) * twoTo(-64);
}
