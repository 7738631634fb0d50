// log and log1p after Sun's fdlibm (the algorithm V8 ported to C++ and Node 20 runs):
// write x = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2), then
// log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2)) with s = f / (2 + f) and R a minimax
// polynomial; add k ln2 with ln2 split in a head (k * head exact) and a tail.
import { highWord, lowWord, twoTo } from './bits';

const LN2_HI = 6.9314718036912381649e-1; // 0x3fe62e42_fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef_35793c76
const TWO54 = 1.8014398509481984e16; // 2^54

// Remez coefficients of R(z) ~ (log(1+f) - 2s - ...) in z = s^2, |error| < 2^-58.45.
const LG1 = 6.66666666666673513e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/**
 * The natural logarithm, as fdlibm computes it (the same bits as Node 20's Math.log). The
 * common case stays small enough for V8 to inline (see exp); the rest is in logOutside.
 */
export function log(x: number): number {
  const hx = highWord(x);
  return hx >= 0x00100000 && hx < 0x7ff00000 ? logScaled(x, hx, 0) : logOutside(x, hx);
}

/** log of x below 2^-1022 (zero, negative, subnormal), Infinity or NaN. */
function logOutside(x: number, hx: number): number {
  if (hx >= 0x7ff00000) return x + x; // Infinity or NaN
  if (((hx & 0x7fffffff) | lowWord(x)) === 0) return -Infinity;
  if (hx < 0) return NaN;
  x *= TWO54; // subnormal: scale up into the normal range
  return logScaled(x, highWord(x), -54);
}

/** log(x 2^k) for a normal, positive, finite x whose high word is hx. */
function logScaled(x: number, hx: number, k: number): number {
  const e = (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000; // set when the mantissa is above sqrt(2)
  // x or x/2 scaled into [sqrt(2)/2, sqrt(2)) by an exact product (as writing the exponent
  // into the bits costs more), and k the power of two taken out.
  x *= twoTo(-e - (i >> 20));
  k += e + (i >> 20);
  const f = x - 1;
  // fdlibm has a shortcut for k = 0 at each return; the general form gives the same bits there.
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20: three terms of the series do
    if (f === 0) return k * LN2_HI + k * LN2_LO;
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    return k * LN2_HI - (R - k * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const R = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    // f^2/2 is computed separately where that is more accurate
    const hfsq = 0.5 * f * f;
    return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
  }
  return k * LN2_HI - (s * (f - R) - k * LN2_LO - f);
}

/** log(1 + x), accurate near 0, as fdlibm computes it (Node 20's Math.log1p); kept inlinable. */
export function log1p(x: number): number {
  const hx = highWord(x);
  if (hx < 0x3fda827a) {
    // 1 + x < sqrt(2)
    const ax = hx & 0x7fffffff;
    if (ax >= 0x3ff00000 || ax < 0x3e200000) return log1pEdge(x, ax); // x <= -1 or |x| < 2^-29
    // sqrt(2)/2 <= 1 + x < sqrt(2): no reduction
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) return log1pReduced(x, 0, 0, 1);
  } else if (hx >= 0x7ff00000) {
    return x + x; // Infinity or NaN
  }
  // 1 + x = 2^k u with u in [sqrt(2)/2, sqrt(2)); c corrects for the rounding of 1 + x.
  let u = x;
  let c = 0;
  if (hx < 0x43400000) {
    u = 1 + x;
    c = u > 2 ? 1 - (u - x) : x - (u - 1); // the rounding error of 1 + x (u > 2: k > 0)
  }
  let hu = highWord(u);
  let k = (hu >> 20) - 1023;
  if (hx < 0x43400000) c /= u;
  hu &= 0x000fffff;
  if (hu >= 0x6a09e) {
    k += 1; // normalise u/2 into [sqrt(2)/2, 1)
    hu = (0x00100000 - hu) >> 2;
  }
  return log1pReduced(u * twoTo(-k) - 1, k, c, hu); // u 2^-k is exact
}

/** log1p for x <= -1 and for |x| < 2^-29 (ax: the high word of |x|). */
function log1pEdge(x: number, ax: number): number {
  if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN; // x <= -1
  if (ax < 0x3c900000) return x; // |x| < 2^-54
  return x - x * x * 0.5;
}

/** log(2^k (1 + f)) + c; hu is 0 when |f| < 2^-20. */
function log1pReduced(f: number, k: number, c: number, hu: number): number {
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + (c + k * LN2_LO);
    const R = hfsq * (1 - 0.66666666666666666 * f);
    if (k === 0) return f - R;
    return k * LN2_HI - (R - (k * LN2_LO + c) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  // For k = 0 fdlibm leaves c out (it is then below an ulp of the result).
  if (k === 0) return f - (hfsq - s * (hfsq + R));
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f);
}
