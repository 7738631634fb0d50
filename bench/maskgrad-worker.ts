// One benchmark worker process for maskgrad (or, with the argument 'plain', for the plain
// triple loop). bench/run.ts forks it and sends it tasks over IPC, one at a time; every
// peer has a worker that answers the same tasks (bench/peers/tfjs-worker.js). The gemm
// kernel it runs (WebAssembly or TypeScript) is the one MASKGRAD_KERNEL names.
import { readFileSync } from 'fs';
import { join } from 'path';

import { activeGemmKernel } from '../src/core/kernels';
import { maskedBinaryCrossEntropyWithLogits } from '../src/core/losses';
import { MLP } from '../src/core/nn';
import { matmul } from '../src/core/ops';
import { Adam, SGD } from '../src/core/optim';
import { Random } from '../src/core/random';
import { Tensor } from '../src/core/tensor';
import { createSimdPeak, measureSimdPeak, SimdPeak } from './simd-peak';
import type { Fixture, Task } from './tasks';
import { loadDataset } from '../src/node';

const lib = process.argv[2] === 'plain' ? 'plain' : 'maskgrad';

/** Calls fn repeatedly for at least minMs; how many calls, in how many milliseconds. */
function callsFor(fn: () => void, minMs: number): { calls: number; elapsed: number } {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return { calls, elapsed };
}

/** Calls fn once untimed, then repeatedly for at least minMs; milliseconds per call. */
function timePerCall(fn: () => void, minMs: number): number {
  fn();
  const { calls, elapsed } = callsFor(fn, minMs);
  return elapsed / calls;
}

let peakReader: Promise<SimdPeak> | null = null;

/**
 * Times fn as timePerCall does, in `slices` runs of minMs / slices with a 15 ms reading of
 * the f64x2 peak before the first and after each (see Task 'matmul', withPeak): returns
 * milliseconds per call and, per slice, the calls' speed over the mean of the two readings
 * around it (`flop` is the work of one call).
 */
async function timeWithPeak(
  fn: () => void,
  minMs: number,
  flop: number,
  slices = 5,
): Promise<{ ms: number; shares: number[] }> {
  const read = await (peakReader ??= createSimdPeak());
  fn();
  read(15);
  let before = read(15);
  let [allCalls, allMs] = [0, 0];
  const shares: number[] = [];
  for (let s = 0; s < slices; s++) {
    const { calls, elapsed } = callsFor(fn, minMs / slices);
    const after = read(15);
    shares.push((flop * calls) / (elapsed * 1e6) / ((before + after) / 2));
    before = after;
    allCalls += calls;
    allMs += elapsed;
  }
  return { ms: allMs / allCalls, shares };
}

/** The baseline a reader would write: C = A B with the i-k-j loop over Float64Array. */
function plainMatmul(a: Float64Array, b: Float64Array, m: number, n: number, k: number) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += aip * b[p * n + j];
    }
  }
  return c;
}

/** The training step of the benchmark's MLP, set up from the shared fixture. */
class MlpStep {
  private readonly model: MLP;
  private readonly optimizer: SGD;
  private readonly x: Tensor;
  private readonly y: Tensor;
  private readonly mask: Tensor;

  constructor(f: Fixture) {
    this.model = new MLP(f.sizes, { seed: 0 });
    f.layers.forEach((layer, i) => {
      this.model.layers[i].weight.data.set(layer.weight);
      this.model.layers[i].bias.data.set(layer.bias);
    });
    this.optimizer = new SGD(this.model.parameters(), { lr: f.lr });
    const [inputs, classes] = [f.sizes[0], f.sizes[f.sizes.length - 1]];
    this.x = new Tensor(Float64Array.from(f.x), [f.batch, inputs]);
    this.y = new Tensor(Float64Array.from(f.y), [f.batch, classes]);
    this.mask = new Tensor(Float64Array.from(f.mask), [f.batch, classes]);
  }

  step(): number {
    this.optimizer.zeroGrad();
    const logits = this.model.forward(this.x);
    const loss = maskedBinaryCrossEntropyWithLogits(logits, this.y, this.mask);
    loss.backward();
    this.optimizer.step();
    return loss.item();
  }
}

let mlp: MlpStep | null = null;

/** A chain of n elementwise ops on a vector, alternating y * 1.000001 and y + 0.000001. */
function chain(n: number, size: number) {
  const x = new Tensor(
    Float64Array.from({ length: size }, (_, i) => i / size),
    [size],
    true,
  );
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let y = x;
  for (let i = 0; i < n; i++) y = i % 2 === 0 ? y.mul(1.000001) : y.add(0.000001);
  const loss = y.sum();
  const t1 = performance.now();
  loss.backward();
  const t2 = performance.now();
  return {
    forwardS: (t1 - t0) / 1000,
    backwardS: (t2 - t1) / 1000,
    totalS: (t2 - t0) / 1000,
    rssBeforeMiB: rssBefore / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    gradient: x.grad!.data[0],
  };
}

/** Heap in use after `steps` training steps of a small MLP, read at the checkpoints. */
function heap(steps: number, checkpoints: number[]) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('heap: run with --expose-gc');
  const rng = new Random('heap');
  const [batch, inputs, classes] = [32, 16, 4];
  const data = (n: number, draw: () => number) => Float64Array.from({ length: n }, draw);
  const x = new Tensor(
    data(batch * inputs, () => rng.normal()),
    [batch, inputs],
  );
  const y = new Tensor(
    data(batch * classes, () => (rng.uniform() < 0.5 ? 1 : 0)),
    [batch, classes],
  );
  const mask = new Tensor(
    data(batch * classes, () => (rng.uniform() < 0.7 ? 1 : 0)),
    [batch, classes],
  );
  const model = new MLP([inputs, 32, 32, classes], { seed: 'heap' });
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  const readings: { step: number; heapUsedMiB: number; externalMiB: number }[] = [];
  let loss = 0;
  for (let s = 1; s <= steps; s++) {
    optimizer.zeroGrad();
    const l = maskedBinaryCrossEntropyWithLogits(model.forward(x), y, mask);
    l.backward();
    optimizer.step();
    loss = l.item();
    if (checkpoints.includes(s)) {
      gc();
      gc();
      const mem = process.memoryUsage();
      readings.push({
        step: s,
        heapUsedMiB: mem.heapUsed / 2 ** 20,
        externalMiB: mem.external / 2 ** 20,
      });
    }
  }
  return { readings, loss };
}

/** Yeast's training rows (103 features, 14 labels, half of them unknown), `rows` of them. */
interface EpochData {
  x: Float64Array;
  y: Float64Array;
  mask: Float64Array;
  features: number;
  classes: number;
}
const epochData = new Map<number, EpochData>();

/**
 * yeast-train-missing50.arff repeated until there are `rows` rows, each copy after the
 * first with Gaussian noise (0.1 of each feature's standard deviation) on its features.
 */
function yeastRows(rows: number): EpochData {
  const cached = epochData.get(rows);
  if (cached) return cached;
  const path = join(__dirname, '..', 'examples', 'data', 'yeast-train-missing50.arff');
  const ds = loadDataset(path, { labels: 14 });
  const [n, features] = ds.x.shape;
  const classes = ds.y.shape[1];
  const std = new Float64Array(features);
  for (let j = 0; j < features; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = ds.x.data[i * features + j];
      s += v;
      s2 += v * v;
    }
    std[j] = Math.sqrt(Math.max(0, s2 / n - (s / n) ** 2));
  }
  const rng = new Random(`yeast x${rows}`);
  const x = new Float64Array(rows * features);
  const y = new Float64Array(rows * classes);
  const mask = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const src = r % n;
    const noisy = r >= n;
    for (let j = 0; j < features; j++) {
      const v = ds.x.data[src * features + j];
      x[r * features + j] = noisy ? v + 0.1 * std[j] * rng.normal() : v;
    }
    for (let c = 0; c < classes; c++) {
      y[r * classes + c] = ds.y.data[src * classes + c];
      mask[r * classes + c] = ds.mask.data[src * classes + c];
    }
  }
  const data = { x, y, mask, features, classes };
  epochData.set(rows, data);
  return data;
}

/**
 * One epoch of training an MLP [103, hidden, hidden, 14] (ReLU, masked BCE, Adam lr 1e-3,
 * batches of `batch` rows in a seeded shuffled order), after `warmup` untimed steps.
 */
function epoch(rows: number, hidden: number, batch: number, warmup: number) {
  const d = yeastRows(rows);
  const model = new MLP([d.features, hidden, hidden, d.classes], { seed: 'bench epoch' });
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const order = new Random('bench epoch order').permutation(rows);
  const xb = new Float64Array(batch * d.features);
  const yb = new Float64Array(batch * d.classes);
  const mb = new Float64Array(batch * d.classes);
  const step = (start: number): number => {
    const size = Math.min(batch, rows - start);
    for (let b = 0; b < size; b++) {
      const r = order[start + b];
      xb.set(d.x.subarray(r * d.features, (r + 1) * d.features), b * d.features);
      yb.set(d.y.subarray(r * d.classes, (r + 1) * d.classes), b * d.classes);
      mb.set(d.mask.subarray(r * d.classes, (r + 1) * d.classes), b * d.classes);
    }
    const x = new Tensor(xb.slice(0, size * d.features), [size, d.features]);
    const y = new Tensor(yb.slice(0, size * d.classes), [size, d.classes]);
    const mask = new Tensor(mb.slice(0, size * d.classes), [size, d.classes]);
    optimizer.zeroGrad();
    const loss = maskedBinaryCrossEntropyWithLogits(model.forward(x), y, mask);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
  for (let s = 0; s < warmup; s++) step((s * batch) % rows);
  const t0 = performance.now();
  let lossSum = 0;
  let steps = 0;
  for (let start = 0; start < rows; start += batch) {
    lossSum += step(start);
    steps++;
  }
  return { seconds: (performance.now() - t0) / 1000, steps, meanLoss: lossSum / steps };
}

async function handle(task: Task): Promise<unknown> {
  switch (task.kind) {
    case 'info':
      return {
        lib,
        node: process.version,
        kernel: lib === 'plain' ? null : activeGemmKernel(),
      };
    case 'mlp-check': {
      const fixture = JSON.parse(readFileSync(task.fixture, 'utf8')) as Fixture;
      mlp = new MlpStep(fixture);
      const losses: number[] = [];
      for (let s = 0; s < task.steps; s++) losses.push(mlp.step());
      return { losses };
    }
    case 'mlp-time': {
      const step = mlp!;
      const start = performance.now();
      for (let s = 0; s < task.steps; s++) step.step();
      return { msPerStep: (performance.now() - start) / task.steps };
    }
    case 'matmul': {
      const { m, n, k, transA, transB, minMs } = task;
      const rng = new Random(`matmul ${m} ${n} ${k}`);
      const a = Float64Array.from({ length: m * k }, () => rng.normal());
      const b = Float64Array.from({ length: k * n }, () => rng.normal());
      let ms: number;
      if (lib === 'plain') {
        if (transA || transB) return { skipped: 'the plain loop is measured without transposes' };
        ms = timePerCall(() => plainMatmul(a, b, m, n, k), minMs);
      } else {
        const ta = new Tensor(a, transA ? [k, m] : [m, k]);
        const tb = new Tensor(b, transB ? [n, k] : [k, n]);
        const options = { transposeA: transA, transposeB: transB };
        const product = () => matmul(ta, tb, options);
        if (task.withPeak) {
          const timed = await timeWithPeak(product, minMs, 2 * m * n * k);
          return { ms: timed.ms, gflops: (2 * m * n * k) / (timed.ms * 1e6), shares: timed.shares };
        }
        ms = timePerCall(product, minMs);
      }
      return { ms, gflops: (2 * m * n * k) / (ms * 1e6) };
    }
    case 'simd-peak':
      return measureSimdPeak().then((gflops) => ({ gflops }));
    case 'chain':
      return chain(task.n, task.size);
    case 'heap':
      return heap(task.steps, task.checkpoints);
    case 'epoch':
      return epoch(task.rows, task.hidden, task.batch, task.warmup);
    default:
      return { skipped: `unknown task` };
  }
}

process.on('message', async (message: { id: number; task: Task }) => {
  let reply: { id: number; result?: unknown; error?: string };
  try {
    reply = { id: message.id, result: await handle(message.task) };
  } catch (error) {
    reply = { id: message.id, error: (error as Error).stack ?? String(error) };
  }
  process.send!(reply);
});
