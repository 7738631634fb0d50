// sin and cos after Sun's fdlibm (the algorithm V8 ported to C++ and Node 20 runs):
// reduce x = n pi/2 + y with |y| <= pi/4, y kept as a head y0 and a tail y1, then a
// minimax polynomial for sin or cos of y, chosen and signed by n mod 4.
import { highWord, lowWord, twoTo } from './bits';

// Remez coefficients: sin(y) ~ y + S1 y^3 + ... + S6 y^13 on [-pi/4, pi/4], |error| < 2^-58.
const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;
// cos(y) ~ 1 - y^2/2 + C1 y^4 + ... + C6 y^14 on [-pi/4, pi/4], |error| < 2^-58.
const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.0875723212981748279e-9;
const C6 = -1.13596475577881948265e-11;

/** sin(y0 + y1) for |y0 + y1| <= pi/4, y1 the tail of y0 (or 0 when there is none). */
function sinKernel(y0: number, y1: number, hasTail: boolean): number {
  const ix = highWord(y0) & 0x7fffffff;
  if (ix < 0x3e400000 && (y0 | 0) === 0) return y0; // |y0| < 2^-27
  const z = y0 * y0;
  const v = z * y0;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (!hasTail) return y0 + v * (S1 + z * r);
  return y0 - (z * (0.5 * y1 - v * r) - y1 - v * S1);
}

/** cos(y0 + y1) for |y0 + y1| <= pi/4. */
function cosKernel(y0: number, y1: number): number {
  const ix = highWord(y0) & 0x7fffffff;
  if (ix < 0x3e400000 && (y0 | 0) === 0) return 1; // |y0| < 2^-27
  const z = y0 * y0;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - y0 * y1)); // |y0| < 0.3
  // 1 - z/2 loses bits here: subtract a quarter of |y0| (or 0.28125) exactly first.
  // |y0| / 4 cut to the 21 bits of its high word, formed as (21-bit integer) 2^e.
  const qx = ix > 0x3fe90000 ? 0.28125 : ((ix & 0xfffff) | 0x100000) * twoTo((ix >> 20) - 1045);
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - y0 * y1));
}

// pi/2 in three pieces of 33 bits and their tails: n * piece is exact for n < 2^20.
const INV_PIO2 = 6.36619772367581382433e-1; // 2/pi
const PIO2_1 = 1.57079632673412561417; // first 33 bits of pi/2
const PIO2_1T = 6.07710050650619224932e-11; // pi/2 - PIO2_1
const PIO2_2 = 6.0771005063039659766e-11; // second 33 bits
const PIO2_2T = 2.02226624879595063154e-21; // pi/2 - (PIO2_1 + PIO2_2)
const PIO2_3 = 2.0222662487111664558e-21; // third 33 bits
const PIO2_3T = 8.47842766036889956997e-32; // pi/2 - (PIO2_1 + PIO2_2 + PIO2_3)

/** The high words of n pi/2 for n = 1..32: x near one of these needs a finer reduction. */
const NPIO2_HIGH = Array.from({ length: 32 }, (_, i) => highWord((i + 1) * 1.5707963267948966));

// The reduction's results: x = n pi/2 + reducedHead + reducedTail.
let reducedHead = 0;
let reducedTail = 0;

/** Reduces x modulo pi/2: returns n and sets reducedHead, reducedTail. */
function reduce(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) {
    // |x| < 3pi/4: n is +-1
    const n = hx > 0 ? 1 : -1;
    let z = x - n * PIO2_1;
    if (ix !== 0x3ff921fb) {
      reducedHead = z - n * PIO2_1T;
      reducedTail = z - reducedHead - n * PIO2_1T;
    } else {
      // x is near pi/2: 33 more bits of it
      z -= n * PIO2_2;
      reducedHead = z - n * PIO2_2T;
      reducedTail = z - reducedHead - n * PIO2_2T;
    }
    return n;
  }
  if (ix <= 0x413921fb) {
    // |x| <= 2^19 pi/2: Cody and Waite's reduction with pi/2 in pieces
    const t = Math.abs(x);
    const n = (t * INV_PIO2 + 0.5) | 0;
    let r = t - n * PIO2_1;
    let w = n * PIO2_1T;
    let y0 = r - w;
    if (n >= 32 || ix === NPIO2_HIGH[n - 1]) {
      // Many leading bits may cancel: continue with the next pieces of pi/2 as needed.
      const j = ix >> 20;
      if (j - ((highWord(y0) >> 20) & 0x7ff) > 16) {
        let u = r;
        w = n * PIO2_2;
        r = u - w;
        w = n * PIO2_2T - (u - r - w);
        y0 = r - w;
        if (j - ((highWord(y0) >> 20) & 0x7ff) > 49) {
          u = r;
          w = n * PIO2_3;
          r = u - w;
          w = n * PIO2_3T - (u - r - w);
          y0 = r - w;
        }
      }
    }
    const y1 = r - y0 - w;
    if (hx < 0) {
      reducedHead = -y0;
      reducedTail = -y1;
      return -n;
    }
    reducedHead = y0;
    reducedTail = y1;
    return n;
  }
  return reduceLarge(x, hx, ix);
}

// Beyond 2^19 pi/2 the reduction is done exactly, in integers (BigInt), with 2/pi to 1400
// bits computed once on first use. fdlibm does the same with a table of 2/pi and sums of
// doubles; its head y0 is the same, its tail may differ in the last bits (see README).
const FRACTION_BITS = 1400;
let twoOverPi: bigint | undefined;
let halfPi200: bigint | undefined; // pi/2 to 200 fraction bits

/** pi * 2^bits, from Machin's formula pi = 16 atan(1/5) - 4 atan(1/239), in integers. */
function piScaled(bits: number): bigint {
  const guard = 64n;
  const one = 1n << (BigInt(bits) + guard);
  const atanInverse = (k: bigint): bigint => {
    let term = one / k;
    let sum = 0n;
    const k2 = k * k;
    for (let i = 1n; term !== 0n; i += 2n) {
      sum += (i & 2n ? -term : term) / i;
      term /= k2;
    }
    return sum;
  };
  return (16n * atanInverse(5n) - 4n * atanInverse(239n)) >> guard;
}

function reduceLarge(x: number, hx: number, ix: number): number {
  if (ix >= 0x7ff00000) {
    reducedHead = reducedTail = x - x; // NaN
    return 0;
  }
  if (twoOverPi === undefined || halfPi200 === undefined) {
    const pi = piScaled(FRACTION_BITS + 64);
    twoOverPi = (1n << BigInt(2 * FRACTION_BITS + 64 + 1)) / pi;
    halfPi200 = piScaled(199);
  }
  // |x| = m 2^e with m an integer of 53 bits (x is normal and above 2^19 here).
  const e = (ix >> 20) - 1075;
  const m = (BigInt((ix & 0x000fffff) | 0x00100000) << 32n) | BigInt(lowWord(x) >>> 0);
  // |x| 2/pi = m twoOverPi 2^(e - FRACTION_BITS): an integer part q and a fraction.
  const shift = BigInt(FRACTION_BITS - e);
  const product = m * twoOverPi;
  let q = product >> shift;
  let fraction = product - (q << shift);
  if (fraction >= 1n << (shift - 1n)) {
    q += 1n; // round to the nearest multiple of pi/2
    fraction -= 1n << shift;
  }
  // y = fraction pi/2, to 400 fraction bits, as a head and a tail double
  const y = (fraction >> (shift - 200n)) * halfPi200;
  const scale = 2 ** -400;
  const head = Number(y) * scale;
  const tail = Number(y - BigInt(head / scale)) * scale;
  const n = Number(q & 7n);
  if (hx < 0) {
    reducedHead = -head;
    reducedTail = -tail;
    return -n;
  }
  reducedHead = head;
  reducedTail = tail;
  return n;
}

/** The sine, as fdlibm computes it (Node 20's Math.sin; see the note on huge arguments). */
export function sin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return sinKernel(x, 0, false); // |x| <= pi/4
  if (ix >= 0x7ff00000) return x - x; // NaN
  const n = reduce(x);
  switch (n & 3) {
    case 0:
      return sinKernel(reducedHead, reducedTail, true);
    case 1:
      return cosKernel(reducedHead, reducedTail);
    case 2:
      return -sinKernel(reducedHead, reducedTail, true);
    default:
      return -cosKernel(reducedHead, reducedTail);
  }
}

/** The cosine, as fdlibm computes it (Node 20's Math.cos; see the note on huge arguments). */
export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return cosKernel(x, 0); // |x| <= pi/4
  if (ix >= 0x7ff00000) return x - x; // NaN
  const n = reduce(x);
  switch (n & 3) {
    case 0:
      return cosKernel(reducedHead, reducedTail);
    case 1:
      return -sinKernel(reducedHead, reducedTail, true);
    case 2:
      return -cosKernel(reducedHead, reducedTail);
    default:
      return sinKernel(reducedHead, reducedTail, true);
  }
}
