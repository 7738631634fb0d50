import { expect } from 'chai';
import { gemm, gemmReference } from '../src/core/kernels';
import { Random } from '../src/core/random';

function randomArray(rng: Random, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

/**
 * Runs the fast kernel and the reference on the same random problem (inputs placed at
 * offsets inside larger arrays, C starting non-zero) and returns the largest difference
 * relative to the size of the terms summed: |fast - ref| / (|C0| + sum_p |A||B|).
 */
function compare(
  rng: Random,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
): number {
  const aOff = rng.int(5);
  const bOff = rng.int(5);
  const cOff = rng.int(5);
  const a = randomArray(rng, aOff + m * k + 3);
  const b = randomArray(rng, bOff + k * n + 3);
  const c0 = randomArray(rng, cOff + m * n + 3);
  const fast = c0.slice();
  const ref = c0.slice();
  gemm(transA, transB, m, n, k, a, aOff, b, bOff, fast, cOff);
  gemmReference(transA, transB, m, n, k, a, aOff, b, bOff, ref, cOff);
  const scale = c0.map(Math.abs);
  gemmReference(transA, transB, m, n, k, a.map(Math.abs), aOff, b.map(Math.abs), bOff, scale, cOff);
  let worst = 0;
  for (let i = 0; i < fast.length; i++) {
    const inside = i >= cOff && i < cOff + m * n;
    if (!inside) {
      // Nothing outside C's block is written.
      expect(fast[i], `entry ${i} outside C`).to.equal(c0[i]);
      continue;
    }
    worst = Math.max(worst, Math.abs(fast[i] - ref[i]) / scale[i]);
  }
  return worst;
}

const flagCases: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

describe('gemm (the fast matmul kernel)', () => {
  for (const [transA, transB] of flagCases) {
    const label = `${transA ? 'A^T' : 'A'} ${transB ? 'B^T' : 'B'}`;

    it(`agrees with gemmReference to 1e-12 on random and odd shapes, across every block size (${label})`, () => {
      const rng = new Random(`gemm ${label}`);
      const shapes: [number, number, number][] = [
        [4, 4, 4],
        [1, 1, 1],
        [3, 5, 7],
        [17, 13, 11],
        [64, 103, 256],
        [64, 14, 256],
        [256, 103, 64],
        [33, 65, 300],
        [5, 9, 513],
        [130, 3, 40],
        [3, 130, 40],
        [133, 6, 20],
        [6, 517, 21],
        [131, 519, 260],
      ];
      for (let t = 0; t < 25; t++) shapes.push([1 + rng.int(70), 1 + rng.int(70), 1 + rng.int(70)]);
      for (const [m, n, k] of shapes) {
        const worst = compare(rng, transA, transB, m, n, k);
        expect(worst, `m=${m} n=${n} k=${k}`).to.be.at.most(1e-12);
      }
    });
  }

  it('gives exactly the reference result when k fits one block and C starts at 0', () => {
    const rng = new Random('gemm exact');
    for (const [transA, transB] of flagCases) {
      const [m, n, k] = [37, 29, 103];
      const a = randomArray(rng, m * k);
      const b = randomArray(rng, k * n);
      const fast = new Float64Array(m * n);
      const ref = new Float64Array(m * n);
      gemm(transA, transB, m, n, k, a, 0, b, 0, fast, 0);
      gemmReference(transA, transB, m, n, k, a, 0, b, 0, ref, 0);
      expect(fast).to.deep.equal(ref);
    }
  });

  it('leaves C unchanged when k is 0, and does nothing when m or n is 0', () => {
    const c = Float64Array.from([1, 2, 3, 4]);
    gemm(false, false, 2, 2, 0, new Float64Array(0), 0, new Float64Array(0), 0, c, 0);
    gemm(false, false, 0, 2, 3, new Float64Array(0), 0, new Float64Array(6), 0, c, 0);
    expect(Array.from(c)).to.deep.equal([1, 2, 3, 4]);
  });

  it('gives a zero gradient row exactly 0 (a masked class stays put)', () => {
    // G^T X where column c of G is all +0: row c of the result must be exactly 0.
    const rng = new Random('gemm zero row');
    const [nBatch, classes, features] = [64, 14, 256];
    const g = randomArray(rng, nBatch * classes);
    for (let i = 0; i < nBatch; i++) g[i * classes + 5] = 0;
    const x = randomArray(rng, nBatch * features);
    const dw = new Float64Array(classes * features);
    gemm(true, false, classes, features, nBatch, g, 0, x, 0, dw, 0);
    for (let j = 0; j < features; j++) expect(Object.is(dw[5 * features + j], 0)).to.equal(true);
  });
});
