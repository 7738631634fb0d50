/**
 * The matrix-multiply kernel: C += op(A) * op(B), where op(X) is X or its transpose.
 * A, B, C are row-major blocks inside larger arrays (at aOff, bOff, cOff).
 * op(A) is [m,k] and op(B) is [k,n]; A is stored as [m,k], or [k,m] when transposed,
 * and B as [k,n], or [n,k] when transposed. Each case picks a loop order whose
 * innermost loop walks memory contiguously, so no transpose is ever materialised.
 */
export function gemm(
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
): void {
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
}
