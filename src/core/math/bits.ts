// The two 32-bit halves of a float64, as fdlibm's algorithms read them, and exact powers of two.
// One shared buffer, viewed as a double and as two int32 words; which word is the high one
// depends on the platform's byte order, found once here.

const buffer = new ArrayBuffer(8);
const f64 = new Float64Array(buffer);
const i32 = new Int32Array(buffer);
f64[0] = 1; // 0x3ff00000_00000000: the high word is the non-zero one
const HI = i32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;

/** The high 32 bits of x (sign, exponent, top 20 bits of the fraction), as a signed int. */
export function highWord(x: number): number {
  f64[0] = x;
  return i32[HI];
}

/** The low 32 bits of x (the bottom of the fraction), as a signed int. */
export function lowWord(x: number): number {
  f64[0] = x;
  return i32[LO];
}

/** The double whose high and low 32-bit words are `hi` and `lo`. */
function fromWords(hi: number, lo: number): number {
  i32[HI] = hi;
  i32[LO] = lo;
  return f64[0];
}

// 2^k for k from -1074 to 1023, all exact; a table, as forming the bits costs more.
const POWERS_OF_TWO = new Float64Array(1023 + 1075);
POWERS_OF_TWO[1074] = 1;
for (let k = 1; k <= 1074; k++) POWERS_OF_TWO[1074 - k] = POWERS_OF_TWO[1075 - k] / 2;
for (let k = 1; k <= 1023; k++) POWERS_OF_TWO[1074 + k] = POWERS_OF_TWO[1073 + k] * 2;

/** 2^k as a double, for an integer k from -1074 to 1023 (exact). */
export function twoTo(k: number): number {
  return POWERS_OF_TWO[k + 1074];
}

/**
 * The double whose high word is `hi` and low word 0, formed by an exact product (a 21-bit
 * integer times a power of two) for normal values: writing half of a double and reading it
 * whole stalls the processor's store forwarding, and costs far more than this.
 */
export function fromHighWord(hi: number): number {
  const e = (hi >> 20) & 0x7ff;
  if (e === 0 || e === 0x7ff) return fromWords(hi, 0);
  const m = ((hi & 0xfffff) | 0x100000) * POWERS_OF_TWO[e - 1043 + 1074];
  return hi < 0 ? -m : m;
}

/** x with its low word set to 0 (its top 21 fraction bits kept), as fromHighWord forms it. */
export function cutLowWord(x: number): number {
  f64[0] = x;
  return fromHighWord(i32[HI]);
}
