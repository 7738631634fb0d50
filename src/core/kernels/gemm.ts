/**
 * The matrix-multiply kernels: C += op(A) * op(B), where op(X) is X or its transpose.
 * A, B, C are row-major blocks inside larger arrays (at aOff, bOff, cOff).
 * op(A) is [m,k] and op(B) is [k,n]; A is stored as [m,k], or [k,m] when transposed,
 * and B as [k,n], or [n,k] when transposed. No transpose is ever materialised.
 *
 * `gemmReference` is the plain version, to read and to check against; `gemm` is the
 * fast TypeScript one. Both compute the same sums; they may differ in the last bits
 * because they add the products in a different order. The WebAssembly kernel
 * (wasm/kernels.wat) adds them in this file's `gemm` order, so the two fast kernels agree
 * bit for bit; src/kernels/index.ts chooses between them.
 */

/**
 * A gemm kernel: C[cOff..] += op(A[aOff..]) * op(B[bOff..]), with op(A) [m,k] and op(B) [k,n].
 * Every implementation (the reference loop, the packed TypeScript kernel, WebAssembly)
 * has this signature, so an op does not know which one runs. `cIsZero` (default false)
 * is the caller's promise that C's m x n values are all +0 (a new array): a kernel may
 * then skip reading them (the WebAssembly one does not copy them in). The result is the
 * same either way.
 */
export type GemmKernel = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  c: Float64Array,
  cOff: number,
  cIsZero?: boolean,
) => void;

/**
 * The plain kernel. Each case picks a loop order whose innermost loop walks memory
 * contiguously.
 */
export const gemmReference: GemmKernel = (transA, transB, m, n, k, a, aOff, b, bOff, c, cOff) => {
  if (!transA && !transB) {
    // i-p-j: row i of C gathers rows p of B scaled by A[i,p].
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * n;
      const ai = aOff + i * k;
      for (let p = 0; p < k; p++) {
        const aip = a[ai + p];
        const bp = bOff + p * n;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      }
    }
  } else if (!transA && transB) {
    // i-j-p: each C[i,j] is a dot product of two contiguous rows.
    for (let i = 0; i < m; i++) {
      const ai = aOff + i * k;
      const ci = cOff + i * n;
      for (let j = 0; j < n; j++) {
        const bj = bOff + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        c[ci + j] += s;
      }
    }
  } else if (transA && !transB) {
    // p-i-j: row p of A (a column of op(A)) times row p of B, added to every row i of C.
    for (let p = 0; p < k; p++) {
      const ap = aOff + p * m;
      const bp = bOff + p * n;
      for (let i = 0; i < m; i++) {
        const api = a[ap + i];
        const ci = cOff + i * n;
        for (let j = 0; j < n; j++) c[ci + j] += api * b[bp + j];
      }
    }
  } else {
    // Both transposed: C[i,j] = sum_p A[p,i] * B[j,p].
    for (let i = 0; i < m; i++) {
      const ci = cOff + i * n;
      for (let j = 0; j < n; j++) {
        const bj = bOff + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[aOff + p * m + i] * b[bj + p];
        c[ci + j] += s;
      }
    }
  }
};

/** Rows of op(A) and columns of op(B) per micro-kernel call: C is computed in 4x4 tiles. */
const MR = 4;
const NR = 4;
/** Depth of one block of k: a packed 4-row panel of A is 4 * 256 * 8 bytes = 8 KiB. */
const KC = 256;
/** Rows of op(A) packed at once (128 * 256 * 8 bytes = 256 KiB) and columns of op(B) (1 MiB). */
const MC = 128;
const NC = 512;
/** Below this many multiply-adds, packing costs more than it saves. */
const SMALL = 4096;

/**
 * Whether a product is small enough for `gemmReference`: then every fast kernel (this one
 * and the WebAssembly one) calls the reference loop, so that all give the same bits.
 */
export function isSmallProduct(m: number, n: number, k: number): boolean {
  return m * n * k < SMALL || m < MR || n < NR;
}

// The packing buffers have a fixed size and are module constants: the optimizing
// compiler then treats them as constants (no reload of their address and length in the
// inner loop), which measured about 15% faster than buffers passed as arguments.
// JavaScript runs one call at a time, so two calls never share them at once.
const packedA = new Float64Array(MC * KC);
const packedB = new Float64Array(NC * KC);
/** The 4x4 tile of an edge micro-kernel call, before its valid part is added to C. */
const edgeTile = new Float64Array(MR * NR);

/**
 * The fast kernel, same contract as `gemmReference`.
 *
 * Blocking: k is cut into blocks of KC, op(B) into blocks of NC columns and op(A) into
 * blocks of MC rows. Each block is copied ("packed") into panels of 4 rows of op(A) or
 * 4 columns of op(B), laid out in the order the micro-kernel reads them; the transpose
 * flags only change how the packing reads, so all four cases run the same inner loop.
 * The micro-kernel keeps a 4x4 tile of C in 16 local variables and, per step of k,
 * loads 4 values of A and 4 of B for 16 multiply-adds: each loaded value is used 4 times.
 */
export const gemm: GemmKernel = (transA, transB, m, n, k, a, aOff, b, bOff, c, cOff) => {
  if (m === 0 || n === 0 || k === 0) return;
  if (isSmallProduct(m, n, k)) {
    gemmReference(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    return;
  }
  // Where op(A)[i,p] and op(B)[p,j] are: offset + i * aRow + p * aCol, offset + p * bRow + j * bCol.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      // Columns jc.. of op(B), as panels: packedB[(j / 4 * kc + p) * 4 + j % 4].
      pack(b, bOff + pc * bRow + jc * bCol, bCol, bRow, nc, kc, NR, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        // Rows ic.. of op(A), as panels: packedA[(i / 4 * kc + p) * 4 + i % 4].
        pack(a, aOff + ic * aRow + pc * aCol, aRow, aCol, mc, kc, MR, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = Math.min(MR, mc - ir);
            const co = cOff + (ic + ir) * n + jc + jr;
            microKernel(kc, ir * kc, jr * kc, c, co, n, rows, cols);
          }
        }
      }
    }
  }
};

/**
 * Copies `count` lines of `depth` values (line r, step p at src[off + r * lineStride +
 * p * stepStride]) into panels of `width` lines: dst[(panel * depth + p) * width + r'],
 * with zeros past the last line.
 */
function pack(
  src: Float64Array,
  off: number,
  lineStride: number,
  stepStride: number,
  count: number,
  depth: number,
  width: number,
  dst: Float64Array,
): void {
  let o = 0;
  for (let r0 = 0; r0 < count; r0 += width) {
    const lines = Math.min(width, count - r0);
    const base = off + r0 * lineStride;
    for (let p = 0; p < depth; p++) {
      const s = base + p * stepStride;
      for (let r = 0; r < lines; r++) dst[o + r] = src[s + r * lineStride];
      for (let r = lines; r < width; r++) dst[o + r] = 0;
      o += width;
    }
  }
}

/**
 * C[0..rows, 0..cols] += (packed A panel at pa) x (packed B panel at pb), kc steps deep,
 * with C's tile at c[co], rows ldc apart. The `| 0` keep the index arithmetic in int32
 * (no overflow checks in the loop).
 */
// prettier-ignore
function microKernel(
  kc: number,
  pa: number,
  pb: number,
  c: Float64Array,
  co: number,
  ldc: number,
  rows: number,
  cols: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p = (p + 1) | 0) {
    const b0 = packedB[pb];
    const b1 = packedB[(pb + 1) | 0];
    const b2 = packedB[(pb + 2) | 0];
    const b3 = packedB[(pb + 3) | 0];
    let a = packedA[pa];
    c00 += a * b0; c01 += a * b1; c02 += a * b2; c03 += a * b3;
    a = packedA[(pa + 1) | 0];
    c10 += a * b0; c11 += a * b1; c12 += a * b2; c13 += a * b3;
    a = packedA[(pa + 2) | 0];
    c20 += a * b0; c21 += a * b1; c22 += a * b2; c23 += a * b3;
    a = packedA[(pa + 3) | 0];
    c30 += a * b0; c31 += a * b1; c32 += a * b2; c33 += a * b3;
    pa = (pa + MR) | 0;
    pb = (pb + NR) | 0;
  }
  if (rows === MR && cols === NR) {
    let o = co;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03;
    o += ldc;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13;
    o += ldc;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23;
    o += ldc;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    return;
  }
  // An edge tile: only its first `rows` x `cols` entries are inside C.
  const t = edgeTile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) c[co + i * ldc + j] += t[i * NR + j];
  }
}
