// sin and cos after Sun's fdlibm (the algorithm V8 ported to C++ and Node 20 runs):
// reduce x = n pi/2 + y with |y| <= pi/4, y kept as a head y0 and a tail y1, then a
// minimax polynomial for sin or cos of y, chosen and signed by n mod 4.
import { highWord, twoTo } from './bits';

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

// Beyond 2^19 pi/2: Payne and Hanek's reduction as fdlibm does it. |x| is cut in up to three
// 24-bit integers; multiplied by the 24-bit pieces of 2/pi that matter at its scale (the
// leading ones only give multiples of 8, dropped), the pieces' sums give n mod 8 and the
// fraction, in 24-bit chunks; the fraction times pi/2 (in 24-bit pieces) is summed into
// a head and a tail.

/** pi 2^bits (rounded down), from Machin's pi = 16 atan(1/5) - 4 atan(1/239), in integers. */
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

const CHUNKS = 70; // 24-bit chunks of 2/pi: 1680 bits, enough for the largest double
let twoOverPiChunks: Int32Array | undefined;

/** The fraction of 2/pi in 24-bit integers, most significant first (0xa2f983, ...), made once. */
export function twoOverPi24(): Int32Array {
  if (twoOverPiChunks === undefined) {
    const bits = 24 * CHUNKS;
    const scaled = (1n << BigInt(2 * bits + 64 + 1)) / piScaled(bits + 64); // 2/pi 2^bits
    twoOverPiChunks = new Int32Array(CHUNKS);
    for (let i = 0; i < CHUNKS; i++) {
      twoOverPiChunks[i] = Number((scaled >> BigInt(bits - 24 * (i + 1))) & 0xffffffn);
    }
  }
  return twoOverPiChunks;
}

// pi/2 in pieces of 24 bits: PIO2_24[k] holds bits 24k to 24k + 23 of it.
const PIO2_24 = [
  1.57079625129699707031, 7.54978941586159635335e-8, 5.39030252995776476554e-15,
  3.28200341580791294123e-22, 1.27065575308067607349e-29, 1.22933308981111328932e-36,
  2.73370053816464559624e-44, 2.16741683877804819444e-51,
];
const TWO24 = 16777216;
const TWO_M24 = 5.9604644775390625e-8;
const TERMS = 4; // chunks of 2/pi beyond those the integer part needs (fdlibm's jk for a head and a tail)

// Scratch arrays of the large reduction.
const xPieces = new Float64Array(3);
const pieces = new Float64Array(20); // the chunks of 2/pi in use, as doubles
const sums = new Float64Array(20); // sums of products, then the fraction's chunks as doubles
const chunks = new Int32Array(20); // the fraction (in 24-bit integers)
const products = new Float64Array(20); // the fraction's chunks times pi/2's pieces

function reduceLarge(x: number, hx: number, ix: number): number {
  if (ix >= 0x7ff00000) {
    reducedHead = reducedTail = x - x; // NaN
    return 0;
  }
  const ipio2 = twoOverPi24();
  // |x| = (xPieces[0] + xPieces[1] 2^-24 + xPieces[2] 2^-48) 2^e0, each piece an integer < 2^24
  const e0 = (ix >> 20) - 1046;
  let z = Math.abs(x) * twoTo(-e0);
  for (let i = 0; i < 2; i++) {
    xPieces[i] = z | 0;
    z = (z - xPieces[i]) * TWO24;
  }
  xPieces[2] = z;
  let nx = 3;
  while (xPieces[nx - 1] === 0) nx--;

  const jx = nx - 1;
  const jv = Math.max(0, ((e0 - 3) / 24) | 0); // the first chunk of 2/pi that matters
  let q0 = e0 - 24 * (jv + 1); // the scale of the last chunk of the integer part
  for (let i = 0, j = jv - jx; i <= jx + TERMS; i++, j++) pieces[i] = j < 0 ? 0 : ipio2[j];
  for (let i = 0; i <= TERMS; i++) {
    let fw = 0;
    for (let j = 0; j <= jx; j++) fw += xPieces[j] * pieces[jx + i - j];
    sums[i] = fw;
  }

  let jz = TERMS;
  let n: number;
  let ih: number;
  for (;;) {
    // Carry the sums into 24-bit chunks, least significant first.
    z = sums[jz];
    for (let i = 0, j = jz; j > 0; i++, j--) {
      const fw = (TWO_M24 * z) | 0;
      chunks[i] = (z - TWO24 * fw) | 0;
      z = sums[j - 1] + fw;
    }
    // n: the integer part mod 8; z: the fraction's leading part
    z *= twoTo(q0);
    z -= 8 * Math.floor(z * 0.125);
    n = z | 0;
    z -= n;
    ih = 0; // 1 or 2 when the fraction is 1/2 or more
    if (q0 > 0) {
      const i = chunks[jz - 1] >> (24 - q0);
      n += i;
      chunks[jz - 1] -= i << (24 - q0);
      ih = chunks[jz - 1] >> (23 - q0);
    } else if (q0 === 0) {
      ih = chunks[jz - 1] >> 23;
    } else if (z >= 0.5) {
      ih = 2;
    }
    if (ih > 0) {
      // Round up: n + 1 and the fraction becomes (1 - fraction), negated at the end.
      n += 1;
      let carry = 0;
      for (let i = 0; i < jz; i++) {
        const j = chunks[i];
        if (carry === 0) {
          if (j !== 0) {
            carry = 1;
            chunks[i] = 0x1000000 - j;
          }
        } else {
          chunks[i] = 0xffffff - j;
        }
      }
      if (q0 === 1) chunks[jz - 1] &= 0x7fffff;
      else if (q0 === 2) chunks[jz - 1] &= 0x3fffff;
      if (ih === 2) {
        z = 1 - z;
        if (carry !== 0) z -= twoTo(q0);
      }
    }
    // All of the fraction cancelled: take more chunks of 2/pi and start again.
    if (z !== 0) break;
    let j = 0;
    for (let i = jz - 1; i >= TERMS; i--) j |= chunks[i];
    if (j !== 0) break;
    let k = 1;
    while (TERMS >= k && chunks[TERMS - k] === 0) k++;
    for (let i = jz + 1; i <= jz + k; i++) {
      pieces[jx + i] = ipio2[jv + i];
      let fw = 0;
      for (let jj = 0; jj <= jx; jj++) fw += xPieces[jj] * pieces[jx + i - jj];
      sums[i] = fw;
    }
    jz += k;
  }

  if (z === 0) {
    // Drop chunks that are zero.
    jz -= 1;
    q0 -= 24;
    while (chunks[jz] === 0) {
      jz--;
      q0 -= 24;
    }
  } else {
    z *= twoTo(-q0);
    if (z >= TWO24) {
      const fw = (TWO_M24 * z) | 0;
      chunks[jz] = (z - TWO24 * fw) | 0;
      jz += 1;
      q0 += 24;
      chunks[jz] = fw;
    } else {
      chunks[jz] = z | 0;
    }
  }
  // The fraction's chunks as doubles, then each sum of chunk times pi/2's pieces.
  let fw = twoTo(q0);
  for (let i = jz; i >= 0; i--) {
    sums[i] = fw * chunks[i];
    fw *= TWO_M24;
  }
  for (let i = jz; i >= 0; i--) {
    fw = 0;
    for (let k = 0; k <= TERMS && k <= jz - i; k++) fw += PIO2_24[k] * sums[i + k];
    products[jz - i] = fw;
  }
  // Head: the sum from the smallest; tail: what the head missed.
  fw = 0;
  for (let i = jz; i >= 0; i--) fw += products[i];
  let head = ih === 0 ? fw : -fw;
  fw = products[0] - fw;
  for (let i = 1; i <= jz; i++) fw += products[i];
  let tail = ih === 0 ? fw : -fw;
  n &= 7;
  if (hx < 0) {
    head = -head;
    tail = -tail;
    n = -n;
  }
  reducedHead = head;
  reducedTail = tail;
  return n;
}

/** The sine, as fdlibm computes it (Node 20's Math.sin). */
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

/** The cosine, as fdlibm computes it (Node 20's Math.cos). */
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
