// The benchmark worker for TensorFlow.js 4.22 (plain JavaScript, so that the root
// TypeScript check never needs bench/node_modules). Argument: 'cpu' or 'wasm'.
// It answers the same tasks as bench/maskgrad-worker.ts (see bench/tasks.ts).
'use strict';
const { readFileSync } = require('fs');
const path = require('path');

const backend = process.argv[2];
// TF.js greets Node users on the console; keep stdout for the benchmark's own output.
console.log = console.error;
const tf = require('@tensorflow/tfjs');

async function init() {
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    // Load the .wasm files from node_modules (a file path prefix), never the network.
    const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/index.js'));
    wasm.setWasmPaths(dir + path.sep);
    wasm.setThreadsCount(1);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} failed to start`);
  await tf.ready();
  const info = { lib: `tfjs-${backend}`, version: tf.version.tfjs, backend: tf.getBackend() };
  if (backend === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.threads = require('@tensorflow/tfjs-backend-wasm').getThreadsCount();
  }
  return info;
}

/** Calls fn once untimed, then repeatedly for at least minMs; milliseconds per call. */
function timePerCall(fn, minMs) {
  fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return elapsed / calls;
}

/**
 * The benchmark MLP as a TF.js user writes it: kernels [in, out] (tf.layers' layout),
 * tf.fused.matMul with bias and ReLU (what tf.layers.dense runs), the masked loss as
 * sigmoidCrossEntropy weighted by the mask and reduced by the number of non-zero
 * weights (the observed entries), and tf.train.sgd.
 */
function mlpFromFixture(f) {
  const classes = f.sizes[f.sizes.length - 1];
  const layers = f.layers.map((layer, i) => {
    const [inputs, outputs] = [f.sizes[i], f.sizes[i + 1]];
    // PyTorch's weight [out, in] transposed to a TF.js kernel [in, out].
    const kernel = new Float32Array(inputs * outputs);
    for (let o = 0; o < outputs; o++) {
      for (let j = 0; j < inputs; j++) kernel[j * outputs + o] = layer.weight[o * inputs + j];
    }
    return {
      kernel: tf.variable(tf.tensor2d(kernel, [inputs, outputs])),
      bias: tf.variable(tf.tensor1d(layer.bias)),
    };
  });
  const x = tf.tensor2d(f.x, [f.batch, f.sizes[0]]);
  const y = tf.tensor2d(f.y, [f.batch, classes]);
  const mask = tf.tensor2d(f.mask, [f.batch, classes]);
  const optimizer = tf.train.sgd(f.lr);
  const lossFn = () => {
    let h = x;
    layers.forEach((layer, i) => {
      const last = i === layers.length - 1;
      h = tf.fused.matMul({
        a: h,
        b: layer.kernel,
        bias: layer.bias,
        activation: last ? 'linear' : 'relu',
      });
    });
    return tf.losses.sigmoidCrossEntropy(y, h, mask, 0, tf.Reduction.SUM_BY_NONZERO_WEIGHTS);
  };
  return () => {
    const cost = optimizer.minimize(lossFn, true);
    const value = cost.dataSync()[0];
    cost.dispose();
    return value;
  };
}

let step = null;

function chain(n, size) {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = i / size;
  const x = tf.tensor1d(values);
  const f = (input) => {
    let y = input;
    for (let i = 0; i < n; i++) y = i % 2 === 0 ? tf.mul(y, 1.000001) : tf.add(y, 0.000001);
    return tf.sum(y);
  };
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const g = tf.grad(f)(x);
  const gradient = g.dataSync()[0];
  const t1 = performance.now();
  return {
    totalS: (t1 - t0) / 1000,
    rssBeforeMiB: rssBefore / 2 ** 20,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    gradient,
  };
}

function randomNormal(count, seed) {
  // A small seeded generator (mulberry32 + Box-Muller): inputs only need to be the same
  // on every run, not the same numbers as maskgrad's.
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  }
  return out;
}

function handle(task) {
  switch (task.kind) {
    case 'mlp-check': {
      step = mlpFromFixture(JSON.parse(readFileSync(task.fixture, 'utf8')));
      const losses = [];
      for (let s = 0; s < task.steps; s++) losses.push(step());
      return { losses };
    }
    case 'mlp-time': {
      const start = performance.now();
      for (let s = 0; s < task.steps; s++) step();
      return {
        msPerStep: (performance.now() - start) / task.steps,
        tensors: tf.memory().numTensors,
      };
    }
    case 'matmul': {
      const { m, n, k, transA, transB, minMs } = task;
      const a = tf.tensor2d(randomNormal(m * k, 1), transA ? [k, m] : [m, k]);
      const b = tf.tensor2d(randomNormal(k * n, 2), transB ? [n, k] : [k, n]);
      // The cpu and wasm backends compute a kernel when it is called (no lazy queue).
      const ms = timePerCall(() => tf.matMul(a, b, transA, transB).dispose(), minMs);
      a.dispose();
      b.dispose();
      return { ms, gflops: (2 * m * n * k) / (ms * 1e6) };
    }
    case 'chain':
      return chain(task.n, task.size);
    default:
      return { skipped: `tfjs-${backend} does not run '${task.kind}'` };
  }
}

const ready = init();
process.on('message', async (message) => {
  let reply;
  try {
    const info = await ready;
    reply = { id: message.id, result: message.task.kind === 'info' ? info : handle(message.task) };
  } catch (error) {
    reply = { id: message.id, error: (error && error.stack) || String(error) };
  }
  process.send(reply);
});
