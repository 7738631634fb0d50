// exp and expm1 after Sun's fdlibm (the algorithm V8 ported to C++ and Node 20 runs):
// reduce x = k ln2 + r with |r| <= ln2/2, where ln2 is split in a head with trailing zeros
// (k * head is exact) and a tail; approximate on the reduced range with a minimax polynomial
// in r^2; scale by 2^k through the exponent.
import { twoTo } from './bits';

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

// fdlibm tests the high word of |x| against thresholds; a high word with a zero low word is
// a double, so the same tests are comparisons of |x| with these (faster than reading bits).
const ABOVE_709 = 709.7822265625; // 0x40862e42_00000000
const HALF_LN2_UP = 0.3465735912322998; // 0x3fd62e43_00000000: just above ln2 / 2
const ONE_AND_HALF_LN2 = 1.0397205352783203; // 0x3ff0a2b2_00000000
const TWO_M28 = 3.725290298461914e-9;
const ABOVE_56_LN2 = 38.81622314453125; // 0x4043687a_00000000
const TWO_M54 = 5.551115123125783e-17;

/**
 * e^x, as fdlibm computes it (the same bits as Node 20's Math.exp). Kept short enough for V8 to
 * inline it (460 bytes of bytecode) into the loops that call it: rare cases go elsewhere.
 */
export function exp(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < ABOVE_709)) {
    // |x| >= 709.78: overflow, underflow, Infinity or NaN.
    if (x !== x) return x + x; // NaN
    if (x > EXP_OVERFLOW) return HUGE * HUGE;
    if (x < EXP_UNDERFLOW) return TWO_M1000 * TWO_M1000;
  }
  if (ax < HALF_LN2_UP) {
    // |x| <= ln2 / 2: no reduction
    if (ax < TWO_M28) return 1 + x; // e^x rounds to 1 + x
    const t = x * x;
    const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    return 1 - ((x * c) / (c - 2) - x);
  }
  // V8 returns e itself for x = 1, where the formula below is one ulp above it.
  if (x === 1) return Math.E;
  // (fdlibm's separate case |x| < 1.5 ln2, k = +-1, computes the same as this.)
  const k = (INV_LN2 * x + (x < 0 ? -0.5 : 0.5)) | 0;
  const hi = x - k * LN2_HI; // exact: LN2_HI has 32 trailing zero bits
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return k >= -1021 && k < 1024 ? y * twoTo(k) : scaleFar(y, k);
}

/** y 2^k for k = 1024 (the result is finite) or k < -1021 (subnormal: one rounding, at the end). */
function scaleFar(y: number, k: number): number {
  return k > 0 ? y * 2 * twoTo(k - 1) : y * twoTo(k + 1000) * TWO_M1000;
}

// Remez coefficients for expm1's rational approximation in hxs = r^2 / 2.
const Q1 = -3.33333333333331316428e-2;
const Q2 = 1.58730158725481460165e-3;
const Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6;
const Q5 = -2.01099218183624371326e-7;
const TINY = 1e-300;

/** e^x - 1, accurate near 0, as fdlibm computes it (Node 20's Math.expm1); kept inlinable. */
export function expm1(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < ABOVE_56_LN2)) {
    // |x| >= 56 ln2, Infinity or NaN
    if (x !== x) return x + x; // NaN
    if (x > EXP_OVERFLOW) return HUGE * HUGE;
    if (x < 0 && x + TINY < 0) return TINY - 1; // e^x is below half an ulp of 1
  }
  let k = 0;
  let r = x;
  let c = 0;
  if (ax >= HALF_LN2_UP) {
    // x = k ln2 + r; fdlibm's separate case |x| < 1.5 ln2 (k = +-1) computes the same as this
    k = (INV_LN2 * x + (x < 0 ? -0.5 : 0.5)) | 0;
    const hi = x - k * LN2_HI;
    const lo = k * LN2_LO;
    r = hi - lo;
    c = hi - r - lo; // what the subtraction lost
  } else if (ax < TWO_M54) {
    return x;
  }
  const hfx = 0.5 * r;
  const hxs = r * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  const e = hxs * ((r1 - t) / (6 - r * t));
  if (k === 0) return r - (r * e - hxs);
  return expm1Scaled(r, r * (e - c) - c - hxs, k);
}

/** e^x - 1 for x = k ln2 + r (k not 0), with e the correction term of r's approximation. */
function expm1Scaled(r: number, e: number, k: number): number {
  if (k === -1) return 0.5 * (r - e) - 0.5;
  if (k === 1) return r < -0.25 ? -2 * (e - (r + 0.5)) : 1 + 2 * (r - e);
  if (k <= -2 || k > 56) {
    // 1 is negligible against 2^k (or the reverse): form e^x, then subtract 1.
    const y = 1 - (e - r);
    return (k === 1024 ? y * 2 * twoTo(1023) : y * twoTo(k)) - 1;
  }
  if (k < 20) return (1 - twoTo(-k) - (e - r)) * twoTo(k); // 1 - 2^-k is exact
  return (r - (e + twoTo(-k)) + 1) * twoTo(k);
}
