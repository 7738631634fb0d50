// exp and expm1 after Sun's fdlibm (the algorithm V8 ported to C++ and Node 20 runs):
// reduce x = k ln2 + r with |r| <= ln2/2, where ln2 is split in a head with trailing zeros
// (k * head is exact) and a tail; approximate on the reduced range with a minimax polynomial
// in r^2; scale by 2^k through the exponent.
import { highWord, lowWord, twoTo } from './bits';

const LN2_HI = 6.9314718036912381649e-1; // 0x3fe62e42_fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef_35793c76
const INV_LN2 = 1.4426950408889634074; // 0x3ff71547_652b82fe
const EXP_OVERFLOW = 7.09782712893383973096e2; // above this exp(x) is Infinity
const EXP_UNDERFLOW = -7.4513321910194110842e2; // below this exp(x) is 0
const TWO_M1000 = 9.3326361850321887899e-302; // 2^-1000
const HUGE = 1e300;

// Remez coefficients of R(r^2) ~ r (e^r + 1) / (e^r - 1), |error| < 2^-59.
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;

/** e^x, as fdlibm computes it (the same bits as Node 20's Math.exp). */
export function exp(x: number): number {
  const word = highWord(x);
  const negative = word < 0;
  const hx = word & 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| >= 709.78: overflow, underflow, Infinity or NaN.
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x; // NaN
      return negative ? 0 : x;
    }
    if (x > EXP_OVERFLOW) return HUGE * HUGE;
    if (x < EXP_UNDERFLOW) return TWO_M1000 * TWO_M1000;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2 / 2
    if (hx < 0x3ff0a2b2) {
      // |x| < 1.5 ln2: k is +-1
      // V8 returns e itself for x = 1, where the formula below is one ulp above it.
      if (x === 1) return Math.E;
      if (negative) {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      } else {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      }
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI; // exact: LN2_HI has 32 trailing zero bits
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x; // |x| < 2^-28: e^x rounds to 1 + x
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) return k === 1024 ? y * 2 * twoTo(1023) : y * twoTo(k);
  return y * twoTo(k + 1000) * TWO_M1000; // a subnormal result: one rounding, at the end
}

// Remez coefficients for expm1's rational approximation in hxs = r^2 / 2.
const Q1 = -3.33333333333331316428e-2;
const Q2 = 1.58730158725481460165e-3;
const Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6;
const Q5 = -2.01099218183624371326e-7;
const TINY = 1e-300;

/** e^x - 1, accurate near 0, as fdlibm computes it (Node 20's Math.expm1). */
export function expm1(x: number): number {
  const word = highWord(x);
  const negative = word < 0;
  const hx = word & 0x7fffffff;
  if (hx >= 0x4043687a) {
    // |x| >= 56 ln2
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | lowWord(x)) !== 0) return x + x; // NaN
        return negative ? -1 : x;
      }
      if (x > EXP_OVERFLOW) return HUGE * HUGE;
    }
    if (negative && x + TINY < 0) return TINY - 1; // e^x is below half an ulp of 1
  }
  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) {
    let hi: number;
    let lo: number;
    if (hx < 0x3ff0a2b2) {
      if (negative) {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      } else {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      }
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = hi - x - lo; // what the subtraction lost
  } else if (hx < 0x3c900000) {
    return x; // |x| < 2^-54
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e);
  if (k <= -2 || k > 56) {
    // 1 is negligible against 2^k (or the reverse): form e^x, then subtract 1.
    let y = 1 - (e - x);
    y = k === 1024 ? y * 2 * twoTo(1023) : y * twoTo(k);
    return y - 1;
  }
  let y: number;
  if (k < 20) {
    t = 1 - twoTo(-k); // exact
    y = t - (e - x);
  } else {
    t = twoTo(-k);
    y = x - (e + t);
    y += 1;
  }
  return y * twoTo(k);
}
