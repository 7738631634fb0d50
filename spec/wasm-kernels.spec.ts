import { expect } from 'chai';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { compileKernelsWat, MODULE_PATH, moduleFileText } from '../scripts/build-wasm';
import {
  activeGemmKernel,
  gemmKernel,
  gemmTypeScript,
  GemmKernel,
  isSmallProduct,
  reluKernels,
  useGemmKernel,
  wasmGemmMemoryBytes,
  wasmGemmUnavailable,
} from '../src/core/kernels';
import { createWasmKernels, WasmKernels } from '../src/core/kernels/wasm';
import { maskedBinaryCrossEntropyWithLogits } from '../src/core/losses';
import { MLP } from '../src/core/nn';
import { linear, matmul, relu } from '../src/core/ops';
import { Adam, SGD } from '../src/core/optim';
import { Random } from '../src/core/random';
import { Tensor } from '../src/core/tensor';

const flagCases: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/** 'A B', 'A^T B', ...: the product's transposes, for messages and seeds. */
const caseLabel = (transA: boolean, transB: boolean) =>
  `${transA ? 'A^T' : 'A'} ${transB ? 'B^T' : 'B'}`;

function randomArray(rng: Random, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}

/** The index of the first entry where two arrays differ in Object.is terms, or -1. */
function firstDifference(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return -1;
}

/**
 * Runs both kernels on the same problem (operands at offsets inside larger arrays, C
 * starting from `c0`) and expects the same bits everywhere, inside C and around it.
 */
function expectSameBits(
  wasm: GemmKernel,
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  c0: Float64Array,
  cOff: number,
): Float64Array {
  const fromTs = c0.slice();
  const fromWasm = c0.slice();
  gemmTypeScript(transA, transB, m, n, k, a, aOff, b, bOff, fromTs, cOff);
  wasm(transA, transB, m, n, k, a, aOff, b, bOff, fromWasm, cOff);
  const at = firstDifference(fromTs, fromWasm);
  expect(
    at,
    `${caseLabel(transA, transB)} m=${m} n=${n} k=${k}: entry ${at} is ` +
      `${fromTs[at]} in TypeScript, ${fromWasm[at]} in wasm`,
  ).to.equal(-1);
  return fromWasm;
}

function randomProblem(rng: Random, m: number, n: number, k: number) {
  const aOff = rng.int(5);
  const bOff = rng.int(5);
  const cOff = rng.int(5);
  return {
    a: randomArray(rng, aOff + m * k + 3),
    aOff,
    b: randomArray(rng, bOff + k * n + 3),
    bOff,
    c0: randomArray(rng, cOff + m * n + 3),
    cOff,
  };
}

describe('the WebAssembly gemm kernel', function () {
  let wasm: GemmKernel;

  before(function () {
    if (wasmGemmUnavailable() !== null) {
      // Node 20 has WebAssembly SIMD: here its absence is a failure, not a skip.
      throw new Error(`the wasm kernel cannot run: ${wasmGemmUnavailable()}`);
    }
    wasm = gemmKernel('wasm');
  });

  it('is embedded as exactly the bytes wasm/kernels.wat compiles to (npm run build:wasm)', async function () {
    const bytes = await compileKernelsWat();
    expect(readFileSync(MODULE_PATH, 'utf8')).to.equal(moduleFileText(bytes));
  });

  it('needs nothing from Node at runtime (it runs in browsers too): no imports of Node modules', function () {
    const dir = join(__dirname, '..', 'src', 'core', 'kernels');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      const sources = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const source of sources)
        expect(source, `${file} imports ${source}`).to.match(/^\.\.?\//);
      expect(text, `${file} reads process directly`).not.to.match(/(^|[^.\w])process\./m);
    }
  });

  it('runs by default in Node (WebAssembly SIMD validates)', function () {
    // The spec run sets no MASKGRAD_KERNEL, except in the child run of kernel-ts.spec.ts.
    if (process.env.MASKGRAD_KERNEL === 'ts') this.skip();
    expect(activeGemmKernel()).to.equal('wasm');
  });

  for (const [transA, transB] of flagCases) {
    const label = caseLabel(transA, transB);
    it(`gives the TypeScript kernel's bits on every shape, edge tile and block boundary (${label})`, function () {
      const rng = new Random(`wasm gemm ${label}`);
      const shapes: [number, number, number][] = [
        [1, 1, 1],
        [4, 4, 4],
        [4, 4, 256],
        [2, 8, 300],
        [5, 9, 3],
        [3, 5, 7],
        [17, 13, 11],
        [64, 103, 256],
        [64, 14, 256],
        [256, 103, 64],
        [14, 256, 64],
        [127, 9, 255],
        [128, 16, 256],
        [129, 17, 257],
        [7, 511, 40],
        [9, 512, 33],
        [5, 513, 12],
        [131, 519, 260],
        [6, 4, 513],
        [4, 6, 1],
        [1, 300, 20],
        [300, 1, 20],
      ];
      for (let t = 0; t < 30; t++) shapes.push([1 + rng.int(70), 1 + rng.int(70), 1 + rng.int(70)]);
      for (const [m, n, k] of shapes) {
        const p = randomProblem(rng, m, n, k);
        expectSameBits(wasm, transA, transB, m, n, k, p.a, p.aOff, p.b, p.bOff, p.c0, p.cOff);
      }
    });
  }

  for (const [transA, transB] of flagCases) {
    const label = caseLabel(transA, transB);
    it(`with cIsZero (a new C), gives the bits of C += op(A) op(B) on zeros, without reading C (${label})`, function () {
      const rng = new Random(`wasm fresh C ${label}`);
      const shapes: [number, number, number][] = [
        [4, 4, 256],
        [5, 9, 300],
        [64, 103, 256],
        [64, 14, 256],
        [256, 103, 64],
        [129, 17, 257],
        [131, 519, 260],
        [9, 512, 513],
      ];
      for (let t = 0; t < 12; t++)
        shapes.push([4 + rng.int(70), 4 + rng.int(70), 256 + rng.int(400)]);
      for (const [m, n, k] of shapes) {
        expect(isSmallProduct(m, n, k), `${m}x${n}x${k} goes to the wasm kernel`).to.equal(false);
        const p = randomProblem(rng, m, n, k);
        const zeros = new Float64Array(p.c0.length);
        const fromTs = zeros.slice();
        gemmTypeScript(transA, transB, m, n, k, p.a, p.aOff, p.b, p.bOff, fromTs, p.cOff);
        // C's range holds NaN: if the kernel read it, NaN would come out.
        const fromWasm = zeros.slice().fill(NaN, p.cOff, p.cOff + m * n);
        wasm(transA, transB, m, n, k, p.a, p.aOff, p.b, p.bOff, fromWasm, p.cOff, true);
        const at = firstDifference(fromTs, fromWasm);
        expect(
          at,
          `${m}x${n}x${k}: entry ${at} is ${fromTs[at]}, ${fromWasm[at]} in wasm`,
        ).to.equal(-1);
      }
    });
  }

  it('does nothing when m, n or k is 0 (C unchanged)', function () {
    const rng = new Random('wasm zero sizes');
    for (const [transA, transB] of flagCases) {
      for (const [m, n, k] of [
        [0, 5, 7],
        [5, 0, 7],
        [5, 7, 0],
        [0, 0, 0],
        [40, 40, 0],
      ]) {
        const p = randomProblem(rng, m, n, k);
        const out = expectSameBits(wasm, transA, transB, m, n, k, p.a, 0, p.b, 0, p.c0, 0);
        expect(firstDifference(out, p.c0)).to.equal(-1);
      }
    }
  });

  it('puts NaN and Infinity from the inputs in the same places, and keeps -0', function () {
    const rng = new Random('wasm special values');
    const specials = [NaN, Infinity, -Infinity, -0, 0];
    for (const [transA, transB] of flagCases) {
      const [m, n, k] = [37, 29, 300];
      const p = randomProblem(rng, m, n, k);
      for (let t = 0; t < 12; t++) {
        p.a[p.aOff + rng.int(m * k)] = specials[rng.int(specials.length)];
        p.b[p.bOff + rng.int(k * n)] = specials[rng.int(specials.length)];
      }
      // Rows of C that start at -0 and whose products are all zero stay -0 + (+0) = +0,
      // as in the TypeScript kernel.
      for (let j = 0; j < n; j++) p.c0[p.cOff + j] = -0;
      const out = expectSameBits(
        wasm,
        transA,
        transB,
        m,
        n,
        k,
        p.a,
        p.aOff,
        p.b,
        p.bOff,
        p.c0,
        p.cOff,
      );
      expect(out.some(Number.isNaN), 'some NaN reached C').to.equal(true);
    }
  });

  it('does not flush subnormal numbers to zero', function () {
    const [m, n, k] = [8, 16, 40];
    for (const [transA, transB] of flagCases) {
      // Products of 1e-160 and 1e-160 are 1e-320, below the smallest normal (2.2e-308).
      const a = new Float64Array(m * k).fill(1e-160);
      const b = new Float64Array(k * n).fill(1e-160);
      a[3] = 5e-324; // the smallest subnormal, times 1e-160, underflows to 0 in both
      const c0 = new Float64Array(m * n);
      c0[1] = 5e-324;
      const out = expectSameBits(wasm, transA, transB, m, n, k, a, 0, b, 0, c0, 0);
      const subnormal = (x: number) => x !== 0 && Math.abs(x) < 2.2250738585072014e-308;
      expect(out.filter(subnormal).length).to.be.greaterThan((m * n) / 2);
      // 1 * 5e-324 stays 5e-324 (a subnormal input, not flushed).
      const one = new Float64Array(m * k).fill(1);
      const tiny = new Float64Array(k * n).fill(5e-324);
      const sums = expectSameBits(wasm, transA, transB, m, n, k, one, 0, tiny, 0, c0, 0);
      expect(sums[0]).to.equal(k * 5e-324);
    }
  });

  it('grows its memory to the largest product, and stays right after growing', function () {
    const own = createWasmKernels() as WasmKernels;
    const rng = new Random('wasm growth');
    const before = own.memoryBytes();
    const small = randomProblem(rng, 20, 20, 20);
    expectSameBits(own.gemm, false, true, 20, 20, 20, small.a, 0, small.b, 0, small.c0, 0);
    const big = randomProblem(rng, 300, 310, 290);
    expectSameBits(own.gemm, true, false, 300, 310, 290, big.a, 1, big.b, 2, big.c0, 3);
    expect(own.memoryBytes()).to.be.greaterThan(before);
    const grown = own.memoryBytes();
    expectSameBits(own.gemm, false, true, 20, 20, 20, small.a, 0, small.b, 0, small.c0, 0);
    expect(own.memoryBytes()).to.equal(grown);
    expect(wasmGemmMemoryBytes()).to.be.greaterThan(0);
  });

  it('leaves products too large for its memory to the TypeScript kernel (same bits)', function () {
    const own = createWasmKernels(1_400_000) as WasmKernels;
    const before = own.memoryBytes();
    const rng = new Random('wasm too large');
    const p = randomProblem(rng, 100, 120, 90);
    expectSameBits(own.gemm, false, false, 100, 120, 90, p.a, 0, p.b, 0, p.c0, 0);
    expect(own.memoryBytes()).to.equal(before);
  });

  describe('with either kernel selected, the ops give the same bits', function () {
    let initial: ReturnType<typeof activeGemmKernel>;
    before(() => (initial = activeGemmKernel()));
    after(() => useGemmKernel(initial));

    /** Runs fn under each kernel and returns both results. */
    function underBoth<T>(fn: () => T): { ts: T; wasm: T } {
      useGemmKernel('ts');
      const ts = fn();
      useGemmKernel('wasm');
      return { ts, wasm: fn() };
    }

    it('useGemmKernel selects the kernel and rejects an unknown name', function () {
      expect(useGemmKernel('ts')).to.equal('ts');
      expect(activeGemmKernel()).to.equal('ts');
      expect(useGemmKernel('auto')).to.equal('wasm');
      expect(() => useGemmKernel('gpu' as 'ts')).to.throw(/expects 'wasm', 'ts' or 'auto'/);
    });

    it('batched matmul with broadcast batches, forward and both gradients', function () {
      for (const [transA, transB] of flagCases) {
        const run = () => {
          const rng = new Random(`wasm batched ${transA} ${transB}`);
          const [m, n, k] = [19, 23, 37];
          const a = new Tensor(
            randomArray(rng, 3 * 2 * m * k),
            [3, 2, ...(transA ? [k, m] : [m, k])],
            true,
          );
          const b = new Tensor(
            randomArray(rng, 2 * k * n),
            [2, ...(transB ? [n, k] : [k, n])],
            true,
          );
          const y = matmul(a, b, { transposeA: transA, transposeB: transB });
          y.mul(y).sum().backward();
          return [y.data, a.grad!.data, b.grad!.data];
        };
        const { ts, wasm: fromWasm } = underBoth(run);
        for (let i = 0; i < ts.length; i++)
          expect(firstDifference(ts[i], fromWasm[i])).to.equal(-1);
      }
    });

    it('linear, forward and its three gradients', function () {
      const run = () => {
        const rng = new Random('wasm linear');
        const x = new Tensor(randomArray(rng, 64 * 103), [64, 103], true);
        const w = new Tensor(randomArray(rng, 256 * 103), [256, 103], true);
        const b = new Tensor(randomArray(rng, 256), [256], true);
        const y = linear(x, w, b);
        y.mul(y).sum().backward();
        return [y.data, x.grad!.data, w.grad!.data, b.grad!.data];
      };
      const { ts, wasm: fromWasm } = underBoth(run);
      for (let i = 0; i < ts.length; i++) expect(firstDifference(ts[i], fromWasm[i])).to.equal(-1);
    });

    it('a training run (MLP 103-256-256-14, masked BCE, SGD then Adam) gives the same losses and weights', function () {
      const train = () => {
        const rng = new Random('wasm training data');
        const [batch, classes] = [64, 14];
        const x = new Tensor(randomArray(rng, batch * 103), [batch, 103]);
        const y = new Tensor(
          Float64Array.from({ length: batch * classes }, () => (rng.uniform() < 0.5 ? 1 : 0)),
          [batch, classes],
        );
        const mask = new Tensor(
          Float64Array.from({ length: batch * classes }, () => (rng.uniform() < 0.7 ? 1 : 0)),
          [batch, classes],
        );
        const model = new MLP([103, 256, 256, classes], { seed: 'wasm training weights' });
        const losses: number[] = [];
        for (const optimizer of [
          new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }),
          new Adam(model.parameters(), { lr: 1e-3 }),
        ]) {
          for (let step = 0; step < 10; step++) {
            optimizer.zeroGrad();
            const loss = maskedBinaryCrossEntropyWithLogits(model.forward(x), y, mask);
            loss.backward();
            optimizer.step();
            losses.push(loss.item());
          }
        }
        return { losses, weights: model.parameters().map((p) => p.data.slice()) };
      };
      const { ts, wasm: fromWasm } = underBoth(train);
      expect(fromWasm.losses).to.deep.equal(ts.losses);
      expect(ts.losses[19]).to.be.lessThan(ts.losses[0]);
      for (let i = 0; i < ts.weights.length; i++) {
        expect(firstDifference(ts.weights[i], fromWasm.weights[i]), `parameter ${i}`).to.equal(-1);
      }
    });
  });
});

describe("relu's WebAssembly array kernels", function () {
  // relu's formulas (src/ops/activations.ts), the reference the kernels must match.
  const reluOf = (x: number) => (x > 0 || Number.isNaN(x) ? x : 0);
  const reluGradOf = (g: number, x: number) => (x > 0 ? g : 0);

  /** Every kind of float64, each also among random values: the cases a lane mask can get wrong. */
  const specials = [
    NaN,
    -NaN,
    0,
    -0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    -2.2250738585072014e-308,
    1e-310,
    -1e-310,
    1,
    -1,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Infinity,
    -Infinity,
  ];

  function mixed(rng: Random, n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = rng.uniform() < 0.3 ? specials[rng.int(specials.length)] : rng.normal();
    }
    return out;
  }

  let kernels: WasmKernels;
  before(function () {
    const made = createWasmKernels();
    if ('unavailable' in made) throw new Error(`the wasm kernels cannot run: ${made.unavailable}`);
    kernels = made;
  });

  for (const n of [0, 1, 2, 3, 16, 17, 1000, 16_385]) {
    it(`give the formulas' bits on ${n} values, specials included (NaN, -0, subnormals, infinities)`, function () {
      const rng = new Random(`relu kernels ${n}`);
      const x = mixed(rng, n);
      if (n >= specials.length) x.set(specials, 0);
      const g = mixed(rng, n);
      if (n >= specials.length) g.set([...specials].reverse(), 0);
      const out = new Float64Array(n).fill(7);
      const gx = new Float64Array(n).fill(7);
      expect(kernels.relu.forward(x, out)).to.equal(true);
      expect(kernels.relu.backward(g, x, gx)).to.equal(true);
      for (let i = 0; i < n; i++) {
        expect(Object.is(out[i], reluOf(x[i])), `relu(${x[i]}) = ${out[i]}`).to.equal(true);
        expect(Object.is(gx[i], reluGradOf(g[i], x[i])), `grad at ${x[i]}, g ${g[i]}`).to.equal(
          true,
        );
      }
    });
  }

  it('give +0, not -0, for -0 and for negative inputs, and keep NaN', function () {
    const x = Float64Array.from([-0, -3, NaN, 2]);
    const out = new Float64Array(4);
    const gx = new Float64Array(4);
    kernels.relu.forward(x, out);
    kernels.relu.backward(Float64Array.from([-1, -1, -1, -1]), x, gx);
    expect([
      Object.is(out[0], 0),
      Object.is(out[1], 0),
      Number.isNaN(out[2]),
      out[3],
    ]).to.deep.equal([true, true, true, 2]);
    expect([Object.is(gx[0], 0), Object.is(gx[1], 0), Object.is(gx[2], 0), gx[3]]).to.deep.equal([
      true,
      true,
      true,
      -1,
    ]);
  });

  it('decline arrays that do not fit in the memory, writing nothing', function () {
    const small = createWasmKernels(1_400_000) as WasmKernels;
    const x = new Float64Array(20_000).fill(1);
    const out = new Float64Array(20_000);
    expect(small.relu.forward(x, out)).to.equal(false);
    expect(small.relu.backward(x, x, out)).to.equal(false);
    expect(out.every((v) => Object.is(v, 0))).to.equal(true);
    expect(small.relu.forward(x.subarray(0, 5), out.subarray(0, 5))).to.equal(true);
    expect(out[4]).to.equal(1);
  });

  it('stay right after the gemm grows the shared memory', function () {
    const own = createWasmKernels() as WasmKernels;
    const rng = new Random('relu after growth');
    const x = mixed(rng, 101);
    const before = new Float64Array(101);
    own.relu.forward(x, before);
    const big = randomProblem(rng, 300, 310, 290);
    const grown = own.memoryBytes();
    expectSameBits(own.gemm, false, false, 300, 310, 290, big.a, 0, big.b, 0, big.c0, 0);
    expect(own.memoryBytes()).to.be.greaterThan(grown);
    const after = new Float64Array(101);
    own.relu.forward(x, after);
    expect(firstDifference(before, after)).to.equal(-1);
  });

  it('are what the relu op runs with the WebAssembly kernel, and not with the TypeScript one; the op gives the same bits either way', function () {
    const initial = activeGemmKernel();
    try {
      const run = () => {
        const rng = new Random('relu op both kernels');
        const x = new Tensor(mixed(rng, 64 * 257), [64, 257], true);
        const y = relu(x);
        y.backward(new Tensor(mixed(rng, 64 * 257), [64, 257]));
        return { y: y.data.slice(), gx: x.grad!.data.slice() };
      };
      useGemmKernel('ts');
      expect(reluKernels()).to.equal(null);
      const ts = run();
      useGemmKernel('wasm');
      expect(reluKernels()).to.not.equal(null);
      const fromWasm = run();
      expect(firstDifference(ts.y, fromWasm.y)).to.equal(-1);
      expect(firstDifference(ts.gx, fromWasm.gx)).to.equal(-1);
    } finally {
      useGemmKernel(initial);
    }
  });
});
