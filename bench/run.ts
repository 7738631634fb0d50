// npm run bench [-- --quick] [-- --json] [-- --only=mlp,matmul,scaling,chain,heap] [-- --no-peers]
//                [-- --baseline=<git revision>] [-- --baseline-kernel=ts|wasm]
//
// Measures maskgrad against its peers, each library in its own child process, the
// libraries taking turns (the order reversed every repetition), after a warm-up, and
// reports medians and the ratio maskgrad/peer from this one run. maskgrad runs twice:
// with its WebAssembly gemm kernel ('maskgrad', MASKGRAD_KERNEL=wasm) and with its
// TypeScript kernel ('maskgrad-ts', MASKGRAD_KERNEL=ts). --baseline=<rev> also times the
// MLP step of an earlier commit (its src/ and bench/ worker, extracted with git archive),
// with its TypeScript kernel, or with --baseline-kernel=wasm its WebAssembly one (from
// the commits that have it), to measure what a change did to the step.
// The peers live in bench/package.json (installed here on first use), never in
// maskgrad's own install.
import { ChildProcess, execSync, fork, spawnSync } from 'child_process';
import { existsSync, rmSync, unlinkSync, writeFileSync } from 'fs';
import { cpus, tmpdir } from 'os';
import { join } from 'path';
import { MLP } from '../src/core/nn';
import { Random } from '../src/core/random';
import { extractRevision } from './revision';
import type { Fixture, Task } from './tasks';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const jsonOutput = argv.includes('--json');
/** --no-peers: maskgrad alone (its kernels, and the --baseline commit), no TF.js workers. */
const noPeers = argv.includes('--no-peers');
const onlyArg = argv.find((a) => a.startsWith('--only='));
const sections = new Set((onlyArg ? onlyArg.slice(7) : 'mlp,matmul,scaling,chain,heap').split(','));
const baselineArg = argv.find((a) => a.startsWith('--baseline='));
const baselineRev = baselineArg ? baselineArg.slice('--baseline='.length) : null;
const baselineKernelArg = argv.find((a) => a.startsWith('--baseline-kernel='));
const baselineKernel = baselineKernelArg
  ? baselineKernelArg.slice('--baseline-kernel='.length)
  : 'ts';
if (baselineKernel !== 'ts' && baselineKernel !== 'wasm') {
  process.stderr.write(`bench: --baseline-kernel must be ts or wasm, got '${baselineKernel}'\n`);
  process.exit(2);
}
const baselineKernelLabel = baselineKernel === 'ts' ? 'TS kernel' : 'wasm kernel';

const settings = quick
  ? {
      mlpReps: 3,
      mlpRepMs: 400,
      matmulReps: 2,
      matmulMinMs: 100,
      chainReps: 1,
      chainSizes: [100_000],
      scalingReps: 1,
      scalingRows: [1500, 15_000],
      scalingHidden: [128, 512],
    }
  : {
      mlpReps: 7,
      mlpRepMs: 1500,
      matmulReps: 7,
      matmulMinMs: 250,
      chainReps: 3,
      chainSizes: [100_000, 1_000_000],
      scalingReps: 3,
      scalingRows: [1500, 15_000, 150_000],
      scalingHidden: [128, 512, 2048],
    };

const JS_PYTORCH_NOTE =
  'js-pytorch 0.7.2 is not measured: `npm ci` fails on its dependency @eduardoleao052/gpu, ' +
  'whose `gl` package needs a native build (node-gyp) against X11 headers that are not installed here';

/** Progress goes to stderr, so that stdout holds only the table (or the JSON lines). */
function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// ---------------------------------------------------------------- workers

type Lib = 'maskgrad' | 'maskgrad-ts' | 'baseline' | 'plain' | 'tfjs-cpu' | 'tfjs-wasm';

/** The directory holding the --baseline revision's src/ and bench/ (set up by main). */
let baselineDir: string | null = null;

/** A worker process answering tasks over IPC, one at a time. */
class Worker {
  private readonly child: ChildProcess;
  private nextId = 0;
  private pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private exited: string | null = null;

  constructor(
    readonly lib: Lib,
    extraNodeOptions: string[] = [],
  ) {
    const tsNode = ['-r', 'ts-node/register/transpile-only'];
    const kernel = lib === 'maskgrad-ts' ? 'ts' : lib === 'baseline' ? baselineKernel : 'wasm';
    const env = { ...process.env, MASKGRAD_KERNEL: kernel };
    let [script, args, execArgv, cwd] = [
      join(__dirname, 'maskgrad-worker.ts'),
      [lib === 'plain' ? 'plain' : 'maskgrad'],
      [...tsNode, ...extraNodeOptions],
      join(__dirname, '..'),
    ];
    if (lib === 'tfjs-cpu' || lib === 'tfjs-wasm') {
      [script, args, execArgv, cwd] = [
        join(__dirname, 'peers', 'tfjs-worker.js'),
        [lib.slice(5)],
        extraNodeOptions,
        __dirname,
      ];
    } else if (lib === 'baseline') {
      [script, cwd] = [join(baselineDir!, 'bench', 'maskgrad-worker.ts'), baselineDir!];
    }
    this.child = fork(script, args, {
      cwd,
      env,
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    this.child.on('exit', (code, signal) => {
      this.exited = `the ${lib} worker exited (${signal ?? `code ${code}`})`;
      for (const p of this.pending.values()) p.reject(new Error(this.exited));
      this.pending.clear();
    });
  }

  request<T = any>(task: Task): Promise<T> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, task });
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
    this.child.kill();
  }
}

/** Runs one task in a fresh worker (for peak memory, which is per process), then ends it. */
async function inFreshWorker<T>(lib: Lib, task: Task, nodeOptions: string[] = []): Promise<T> {
  const w = new Worker(lib, nodeOptions);
  try {
    return await w.request<T>(task);
  } finally {
    w.close();
  }
}

/** Installs bench/node_modules from bench/package-lock.json if missing; false if that failed. */
function ensurePeers(): boolean {
  if (existsSync(join(__dirname, 'node_modules', '@tensorflow', 'tfjs', 'package.json'))) {
    return true;
  }
  log('bench: installing the peers (npm ci in bench/, first run only) ...');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], {
    cwd: __dirname,
    stdio: ['ignore', 2, 2],
  });
  if (r.status !== 0) {
    log('bench: npm ci in bench/ failed; measuring maskgrad alone');
    return false;
  }
  return true;
}

// ---------------------------------------------------------------- output

interface Row {
  section: string;
  [key: string]: unknown;
}
const rows: Row[] = [];
const notes: string[] = [];
const tables: string[] = [];

function emit(row: Row): void {
  rows.push(row);
  if (jsonOutput) process.stdout.write(`${JSON.stringify(row)}\n`);
}

function table(title: string, head: string[], body: (string | number)[][]): void {
  const lines = [
    `### ${title}`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
  ];
  for (const r of body) lines.push(`| ${r.join(' | ')} |`);
  tables.push(lines.join('\n'));
}

/** How a library is named in the tables. */
function libLabel(lib: Lib): string {
  if (lib === 'maskgrad') return 'maskgrad (wasm kernel)';
  if (lib === 'maskgrad-ts') return 'maskgrad (TS kernel)';
  if (lib === 'baseline') return `maskgrad at ${baselineRev} (${baselineKernelLabel})`;
  return lib;
}

/** Whether two loss sequences are the same numbers, bit for bit. */
const sameBits = (x: number[], y: number[]) =>
  x.length === y.length && x.every((v, i) => Object.is(v, y[i]));

const fmt = (v: number, digits = 3) =>
  v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(digits);

// ---------------------------------------------------------------- 1. the MLP step

/** The benchmark's data and initial weights: maskgrad's seeded generator and PyTorch's init. */
function writeFixture(): string {
  const sizes = [103, 256, 256, 14];
  const batch = 64;
  const rng = new Random('maskgrad bench');
  const model = new MLP(sizes, { seed: 'maskgrad bench weights' });
  const classes = sizes[sizes.length - 1];
  const fixture: Fixture = {
    sizes,
    batch,
    lr: 0.1,
    x: Array.from({ length: batch * sizes[0] }, () => rng.normal()),
    y: Array.from({ length: batch * classes }, () => (rng.uniform() < 0.5 ? 1 : 0)),
    mask: Array.from({ length: batch * classes }, () => (rng.uniform() < 0.5 ? 1 : 0)),
    layers: model.layers.map((l) => ({
      weight: Array.from(l.weight.data),
      bias: Array.from(l.bias.data),
    })),
  };
  // float32 peers get the same inputs rounded to float32; so does maskgrad, so that all
  // start from the very same numbers.
  const f32 = (a: number[]) => Array.from(Float32Array.from(a));
  fixture.x = f32(fixture.x);
  fixture.layers = fixture.layers.map((l) => ({ weight: f32(l.weight), bias: f32(l.bias) }));
  const path = join(tmpdir(), `maskgrad-bench-${process.pid}.json`);
  writeFileSync(path, JSON.stringify(fixture));
  return path;
}

/** Relative tolerance for "the same loss after 20 steps" between float64 and float32. */
/** What the targets table at the end reads (filled in by the sections that ran). */
const summary: {
  /** Per repetition, maskgrad (wasm) ms/step divided into each library's ms/step. */
  mlpRatios: Map<Lib, number[]>;
  mlpSameLosses: Map<Lib, boolean>;
  /** Per product: medians, per-repetition wasm/TS ratios, per-slice shares of the peak. */
  matmul: Map<string, { wasm: number; ts: number; ratios: number[]; shares: number[] }>;
  peaks: number[];
} = { mlpRatios: new Map(), mlpSameLosses: new Map(), matmul: new Map(), peaks: [] };

const LOSS_RTOL = 1e-6;
/** How many slices each repetition of the MLP step is cut into (see benchMlp). */
const MLP_SLICES = 5;
const CHECK_STEPS = 20;

async function benchMlp(workers: Worker[]): Promise<void> {
  const fixture = writeFixture();
  try {
    log('MLP step: checking that every library reaches the same loss after 20 steps ...');
    const losses = new Map<Lib, number[]>();
    for (const w of workers) {
      const r = await w.request<{ losses: number[] }>({
        kind: 'mlp-check',
        fixture,
        steps: CHECK_STEPS,
      });
      losses.set(w.lib, r.losses);
    }
    const reference = losses.get('maskgrad')!;
    const agreed: Worker[] = [];
    const check = new Map<Lib, number>();
    for (const w of workers) {
      const l = losses.get(w.lib)!;
      const rel =
        Math.abs(l[CHECK_STEPS - 1] - reference[CHECK_STEPS - 1]) / reference[CHECK_STEPS - 1];
      check.set(w.lib, rel);
      if (rel <= LOSS_RTOL) agreed.push(w);
      else
        log(
          `MLP step: ${w.lib} does not agree (relative difference ${rel.toExponential(2)}); not timed`,
        );
    }
    // Warm-up, and a number of steps per repetition that lasts about mlpRepMs.
    const steps = new Map<Lib, number>();
    for (const w of agreed) {
      const { msPerStep } = await w.request({ kind: 'mlp-time', steps: 3 });
      const n = Math.max(3, Math.round(settings.mlpRepMs / 3 / msPerStep));
      const warm = await w.request({ kind: 'mlp-time', steps: n });
      steps.set(w.lib, Math.max(3, Math.round(settings.mlpRepMs / warm.msPerStep)));
    }
    const times = new Map<Lib, number[]>(agreed.map((w) => [w.lib, []]));
    // A repetition runs each library's steps in MLP_SLICES slices, the libraries taking
    // turns slice by slice, so that all of them see the same changes in the machine's speed
    // within the repetition. The order rotates from slice to slice (and every other slice
    // runs backwards), so that each library follows each other one equally often: what a
    // library leaves running after its turn (TF.js's garbage collection, say) then slows
    // no one more than the others.
    for (let rep = 0; rep < settings.mlpReps; rep++) {
      const sum = new Map<Lib, number>(agreed.map((w) => [w.lib, 0]));
      for (let slice = 0; slice < MLP_SLICES; slice++) {
        const turn = rep * MLP_SLICES + slice;
        const shift = Math.floor(turn / 2) % agreed.length;
        const rotated = [...agreed.slice(shift), ...agreed.slice(0, shift)];
        const order = turn % 2 ? rotated.reverse() : rotated;
        for (const w of order) {
          const n = Math.max(1, Math.round(steps.get(w.lib)! / MLP_SLICES));
          const { msPerStep } = await w.request({ kind: 'mlp-time', steps: n });
          sum.set(w.lib, sum.get(w.lib)! + msPerStep);
        }
      }
      const thisRep = new Map<Lib, number>();
      for (const [lib, total] of sum) {
        times.get(lib)!.push(total / MLP_SLICES);
        thisRep.set(lib, total / MLP_SLICES);
      }
      // Ratios within one repetition: the libraries ran in turns, so a change in the
      // machine's load between repetitions cancels out of them.
      for (const [lib, ms] of thisRep) {
        if (!summary.mlpRatios.has(lib)) summary.mlpRatios.set(lib, []);
        summary.mlpRatios.get(lib)!.push(ms / thisRep.get('maskgrad')!);
      }
      log(`MLP step: repetition ${rep + 1}/${settings.mlpReps} done`);
    }
    for (const w of workers) {
      summary.mlpSameLosses.set(w.lib, sameBits(losses.get(w.lib)!, reference));
    }
    const ours = median(times.get('maskgrad')!);
    const body: (string | number)[][] = [];
    for (const w of workers) {
      const t = times.get(w.lib);
      const loss = losses.get(w.lib)![CHECK_STEPS - 1];
      const rel = check.get(w.lib)!;
      const identical = w.lib !== 'maskgrad' && sameBits(losses.get(w.lib)!, reference);
      const diff =
        w.lib === 'maskgrad' ? '—' : identical ? 'identical, all 20 losses' : rel.toExponential(1);
      if (!t) {
        emit({
          section: 'mlp',
          lib: w.lib,
          loss20: loss,
          lossRelDiff: rel,
          skipped: 'loss mismatch',
        });
        body.push([libLabel(w.lib), '—', '—', '—', loss.toPrecision(8), diff]);
        continue;
      }
      const ms = median(t);
      const speedup = ms / ours;
      emit({
        section: 'mlp',
        lib: w.lib,
        msPerStep: ms,
        stepsPerSecond: 1000 / ms,
        maskgradSpeedup: speedup,
        repetitionsMs: t,
        stepsPerRepetition: steps.get(w.lib),
        loss20: loss,
        lossRelDiff: rel,
        lossesBitIdentical: identical,
      });
      body.push([
        libLabel(w.lib),
        fmt(ms),
        fmt(1000 / ms),
        w.lib === 'maskgrad' ? '1' : `${fmt(speedup)}x`,
        loss.toPrecision(8),
        diff,
      ]);
    }
    body.push(['js-pytorch', 'not run', '', '', '', '']);
    table(
      `MLP training step: 103-256-256-14, ReLU, batch 64, masked BCE from logits, SGD lr 0.1 (median of ${settings.mlpReps})`,
      [
        'library',
        'ms/step',
        'steps/s',
        'maskgrad (wasm) speed / this speed',
        'loss after 20 steps',
        'rel. diff. to maskgrad (wasm)',
      ],
      body,
    );
  } finally {
    unlinkSync(fixture);
  }
}

// ---------------------------------------------------------------- 2. matmul

interface MatmulItem {
  label: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

function matmulItems(): MatmulItem[] {
  const items: MatmulItem[] = [];
  const variants: [boolean, boolean, string][] = [
    [false, false, 'A B'],
    [false, true, 'A B^T'],
    [true, false, 'A^T B'],
    [true, true, 'A^T B^T'],
  ];
  for (const s of quick ? [64, 256] : [64, 256, 1024]) {
    for (const [transA, transB, v] of variants) {
      items.push({ label: `${s}x${s}x${s} ${v}`, m: s, n: s, k: s, transA, transB });
    }
  }
  // The weight gradients of the MLP step, dW = G^T H (batch 64), and the same sizes untransposed.
  for (const [m, n, name] of [
    [256, 103, 'layer 1'],
    [256, 256, 'layer 2'],
    [14, 256, 'layer 3'],
  ] as const) {
    const k = 64;
    items.push({ label: `${name} dW: ${m}x${n}x${k} A B`, m, n, k, transA: false, transB: false });
    items.push({ label: `${name} dW: ${m}x${n}x${k} A^T B`, m, n, k, transA: true, transB: false });
  }
  return items;
}

async function benchMatmul(workers: Worker[]): Promise<void> {
  const items = matmulItems();
  const results = new Map<string, Map<Lib, number[]>>();
  const runs = (w: Worker, it: MatmulItem) =>
    !(w.lib === 'plain' && (it.transA || it.transB)) &&
    // TF.js cpu needs about 6 s for one 1024 product: only the untransposed one is timed.
    !(w.lib === 'tfjs-cpu' && it.m === 1024 && (it.transA || it.transB));
  // The machine's f64x2 peak, read at the start, the middle and the end of the section.
  const maskgradWorker = workers.find((w) => w.lib === 'maskgrad')!;
  const readPeak = async () => {
    const { gflops } = await maskgradWorker.request<{ gflops: number }>({ kind: 'simd-peak' });
    summary.peaks.push(gflops);
    log(`matmul: f64x2 multiply + add peak ${gflops.toFixed(1)} GFLOPS`);
  };
  await readPeak();
  for (const [index, it] of items.entries()) {
    if (index === items.length >> 1) await readPeak();
    const perLib = new Map<Lib, number[]>();
    results.set(it.label, perLib);
    const kernelRatios: number[] = [];
    const shares: number[] = [];
    const active = workers.filter((w) => runs(w, it));
    const task = { kind: 'matmul' as const, ...it, minMs: settings.matmulMinMs };
    for (const w of active) await w.request(task); // warm-up (the JIT), not counted
    // 1024 products are slow for the peers: three repetitions there.
    const reps = it.m === 1024 ? Math.min(3, settings.matmulReps) : settings.matmulReps;
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 ? [...active].reverse() : active;
      const thisRep = new Map<Lib, number>();
      for (const w of order) {
        // The wasm kernel's runs are sliced, with readings of the peak between the slices.
        const r = await w.request<{ gflops: number; shares?: number[] }>(
          w.lib === 'maskgrad' ? { ...task, withPeak: true } : task,
        );
        if (w.lib === 'maskgrad') shares.push(...r.shares!);
        if (!perLib.has(w.lib)) perLib.set(w.lib, []);
        perLib.get(w.lib)!.push(r.gflops);
        thisRep.set(w.lib, r.gflops);
      }
      kernelRatios.push(thisRep.get('maskgrad')! / thisRep.get('maskgrad-ts')!);
    }
    summary.matmul.set(it.label, {
      wasm: median(perLib.get('maskgrad')!),
      ts: median(perLib.get('maskgrad-ts')!),
      ratios: kernelRatios,
      shares,
    });
    log(`matmul ${it.label}: done`);
  }
  await readPeak();
  const peak = median(summary.peaks);
  const libs = workers.map((w) => w.lib);
  const body: (string | number)[][] = [];
  for (const it of items) {
    const perLib = results.get(it.label)!;
    const g = (lib: Lib) => (perLib.has(lib) ? median(perLib.get(lib)!) : NaN);
    const ours = g('maskgrad');
    const oursTs = g('maskgrad-ts');
    // The same sizes without transposes, for "transposed within 15% of plain".
    const plainLabel = it.label.replace(/ A(\^T)? B(\^T)?$/, ' A B');
    const oursUntransposed = median(results.get(plainLabel)!.get('maskgrad')!);
    const plainLoop = median(results.get(plainLabel)!.get('plain') ?? [NaN]);
    const row: Row = { section: 'matmul', shape: it.label, m: it.m, n: it.n, k: it.k };
    row.transA = it.transA;
    row.transB = it.transB;
    for (const lib of libs) row[`${lib}GFLOPS`] = perLib.has(lib) ? g(lib) : null;
    row.wasmOverTsKernel = ours / oursTs;
    const share = median(summary.matmul.get(it.label)!.shares);
    row.wasmShareOfSimdPeak = share;
    row.wasmOverMedianPeak = ours / peak;
    row.maskgradOverPlainLoop = ours / plainLoop;
    row.maskgradOverUntransposed = ours / oursUntransposed;
    for (const lib of libs.filter((l) => l.startsWith('tfjs'))) {
      row[`maskgradOver_${lib}`] = perLib.has(lib) ? ours / g(lib) : null;
    }
    emit(row);
    body.push([
      it.label,
      ...libs.map((lib) => (perLib.has(lib) ? fmt(g(lib)) : '—')),
      `${(100 * share).toFixed(0)}%`,
      `${fmt(ours / oursTs)}x`,
      `${fmt(ours / plainLoop)}x`,
      it.transA || it.transB ? `${(100 * (ours / oursUntransposed - 1)).toFixed(0)}%` : '',
    ]);
  }
  table(
    `matmul GFLOPS, float64 for maskgrad and the plain loop, float32 for TF.js (median of ${settings.matmulReps}, of ${Math.min(3, settings.matmulReps)} at 1024); this machine's f64x2 multiply + add peak from WebAssembly: ${fmt(peak)} GFLOPS (median of ${summary.peaks.length} readings, each the best of 5: ${summary.peaks.map((p) => fmt(p)).join(', ')}). The share of the peak is the median, over the wasm kernel's timed slices, of the slice's GFLOPS over the peak read just before and after it (the core's speed changes from one minute to the next on this shared host)`,
    [
      'C = op(A) op(B), m x n x k',
      ...libs.map((l) => (l === 'plain' ? 'plain i-k-j loop' : libLabel(l))),
      'wasm kernel, share of the f64x2 peak',
      'wasm kernel / TS kernel',
      'maskgrad (wasm) / plain loop (A B)',
      'maskgrad vs its own A B',
    ],
    body,
  );
}

// ---------------------------------------------------------------- 3. scaling

interface EpochResult {
  seconds: number;
  steps: number;
  meanLoss: number;
}

/** Multiply-adds x 2 of one epoch: forward and both backward products, no dX for the input. */
function epochGflop(rows: number, hidden: number): number {
  const sizes = [103, hidden, hidden, 14];
  let flop = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    flop += 2 * rows * sizes[l] * sizes[l + 1] * (l === 0 ? 2 : 3);
  }
  return flop / 1e9;
}

async function benchScaling(workers: Worker[]): Promise<void> {
  const batch = 64;
  const configs: { rows: number; hidden: number }[] = [];
  for (const rows of settings.scalingRows) configs.push({ rows, hidden: 256 });
  for (const hidden of settings.scalingHidden) configs.push({ rows: 1500, hidden });
  const body: (string | number)[][] = [];
  for (const { rows, hidden } of configs) {
    const results = new Map<Lib, EpochResult[]>(workers.map((w) => [w.lib, []]));
    const big = rows >= 100_000 || hidden >= 2048;
    const reps = big ? 1 : settings.scalingReps;
    for (let rep = 0; rep < reps; rep++) {
      for (const w of rep % 2 ? [...workers].reverse() : workers) {
        const r = await w.request<EpochResult>({ kind: 'epoch', rows, hidden, batch, warmup: 5 });
        results.get(w.lib)!.push(r);
      }
    }
    log(`scaling: ${rows} rows, hidden ${hidden}: done`);
    const seconds = (lib: Lib) => median(results.get(lib)!.map((r) => r.seconds));
    const wasmS = seconds('maskgrad');
    const tsS = seconds('maskgrad-ts');
    const first = results.get('maskgrad')![0];
    const sameLoss = Object.is(first.meanLoss, results.get('maskgrad-ts')![0].meanLoss);
    const gflop = epochGflop(rows, hidden);
    emit({
      section: 'scaling',
      rows,
      hidden,
      batch,
      steps: first.steps,
      gflopPerEpoch: gflop,
      wasmSecondsPerEpoch: wasmS,
      tsSecondsPerEpoch: tsS,
      wasmOverTs: tsS / wasmS,
      repetitions: reps,
      meanLoss: first.meanLoss,
      sameLossBothKernels: sameLoss,
    });
    body.push([
      rows.toLocaleString('en'),
      hidden,
      first.steps,
      fmt(gflop),
      fmt(wasmS),
      fmt(tsS),
      `${fmt(tsS / wasmS)}x`,
      fmt((wasmS * 1e6) / rows),
      fmt(gflop / wasmS),
      sameLoss ? 'identical' : 'DIFFERENT',
    ]);
  }
  table(
    `Time per epoch as the work grows: MLP 103-H-H-14 (ReLU, masked BCE, Adam), batch ${batch}, yeast's 1,500 training rows repeated with noise (median of ${settings.scalingReps}; 1 run at 150k rows and H = 2048)`,
    [
      'rows',
      'hidden H',
      'steps',
      'GFLOP (products)',
      'wasm kernel s/epoch',
      'TS kernel s/epoch',
      'wasm speedup',
      'wasm µs per row',
      'wasm GFLOPS (whole epoch)',
      'mean loss, both kernels',
    ],
    body,
  );
}

// ---------------------------------------------------------------- 4. chains

async function benchChains(peers: boolean): Promise<void> {
  const size = 100;
  const jobs: { lib: Lib; n: number }[] = [];
  for (const n of settings.chainSizes) {
    jobs.push({ lib: 'maskgrad', n });
    // One million TF.js ops would take minutes and gigabytes: TF.js runs the 100k chain only.
    if (peers && n <= 100_000) jobs.push({ lib: 'tfjs-cpu', n }, { lib: 'tfjs-wasm', n });
  }
  const results = new Map<string, any[]>();
  const errors = new Map<string, string>();
  for (let rep = 0; rep < settings.chainReps; rep++) {
    for (const job of rep % 2 ? [...jobs].reverse() : jobs) {
      const key = `${job.lib} ${job.n}`;
      if (errors.has(key)) continue;
      try {
        const r = await inFreshWorker(job.lib, { kind: 'chain', n: job.n, size });
        if (!results.has(key)) results.set(key, []);
        results.get(key)!.push(r);
      } catch (error) {
        errors.set(key, (error as Error).message.split('\n')[0]);
      }
      log(`chain ${key}: repetition ${rep + 1}/${settings.chainReps} done`);
    }
  }
  const body: (string | number)[][] = [];
  const oursTotal100k = results.has('maskgrad 100000')
    ? median(results.get('maskgrad 100000')!.map((r) => r.totalS))
    : NaN;
  for (const job of jobs) {
    const key = `${job.lib} ${job.n}`;
    const rs = results.get(key);
    if (!rs) {
      emit({ section: 'chain', lib: job.lib, ops: job.n, error: errors.get(key) });
      body.push([
        job.lib,
        job.n.toLocaleString('en'),
        `failed: ${errors.get(key)}`,
        '',
        '',
        '',
        '',
      ]);
      continue;
    }
    const m = (f: (r: any) => number) => median(rs.map(f));
    const total = m((r) => r.totalS);
    const row: Row = {
      section: 'chain',
      lib: job.lib,
      ops: job.n,
      vectorSize: size,
      totalS: total,
      forwardS: job.lib === 'maskgrad' ? m((r) => r.forwardS) : null,
      backwardS: job.lib === 'maskgrad' ? m((r) => r.backwardS) : null,
      peakRssMiB: m((r) => r.peakRssMiB),
      gradient: rs[0].gradient,
    };
    if (job.lib !== 'maskgrad') row.maskgradSpeedup = total / oursTotal100k;
    emit(row);
    body.push([
      job.lib,
      job.n.toLocaleString('en'),
      job.lib === 'maskgrad' ? fmt(row.forwardS as number) : '',
      job.lib === 'maskgrad' ? fmt(row.backwardS as number) : '',
      fmt(total),
      fmt(row.peakRssMiB as number),
      job.lib === 'maskgrad' ? '' : `${fmt(row.maskgradSpeedup as number)}x`,
    ]);
  }
  table(
    `Backward through a chain of elementwise ops (y*1.000001 and y+0.000001 in turn on a ${size}-vector, then sum; median of ${settings.chainReps}, one process per run)`,
    [
      'library',
      'ops',
      'forward s',
      'backward s',
      'total s (TF.js: tf.grad)',
      'peak RSS MiB',
      'maskgrad speed / peer speed (total)',
    ],
    body,
  );
}

// ---------------------------------------------------------------- 5. heap

async function benchHeap(): Promise<void> {
  const checkpoints = [100, 1000, 5000, 10_000];
  const r = await inFreshWorker<{
    readings: { step: number; heapUsedMiB: number; externalMiB: number }[];
  }>('maskgrad', { kind: 'heap', steps: 10_000, checkpoints }, ['--expose-gc']);
  const first = r.readings[0];
  const body: (string | number)[][] = [];
  for (const x of r.readings) {
    emit({ section: 'heap', ...x, heapGrowthMiB: x.heapUsedMiB - first.heapUsedMiB });
    body.push([
      x.step.toLocaleString('en'),
      x.heapUsedMiB.toFixed(2),
      x.externalMiB.toFixed(2),
      (x.heapUsedMiB - first.heapUsedMiB).toFixed(3),
    ]);
  }
  table(
    'Heap over 10,000 training steps (MLP 16-32-32-4, batch 32, masked BCE, SGD; after global.gc())',
    ['step', 'heap used MiB', 'external (typed arrays) MiB', 'growth since step 100 MiB'],
    body,
  );
}

// ---------------------------------------------------------------- targets

/** Issue 14's targets beside what this run measured (only those whose sections ran). */
function targetsTable(): void {
  const body: string[][] = [];
  const verdict = (ok: boolean) => (ok ? 'met' : 'not met');
  if (summary.matmul.size > 0) {
    const peak = median(summary.peaks);
    for (const size of [256, 1024]) {
      const m = summary.matmul.get(`${size}x${size}x${size} A B`);
      if (!m) continue;
      const share = median(m.shares);
      body.push([
        `matmul ${size}: GFLOPS including the copies in and out of wasm memory`,
        '>= 25 GFLOPS, over 75% of the f64x2 peak',
        `${fmt(m.wasm)} GFLOPS (this machine's peak: ${fmt(peak)}); ${(100 * share).toFixed(0)}% of the peak read around each slice (median of ${m.shares.length})`,
        `${verdict(m.wasm >= 25)} (25); ${verdict(share >= 0.75)} (75%)`,
      ]);
      const ratio = median(m.ratios);
      body.push([
        `matmul ${size}: wasm kernel / TypeScript kernel`,
        '>= 3.5x',
        `${fmt(ratio)}x (median of the per-repetition ratios)`,
        verdict(ratio >= 3.5),
      ]);
    }
  }
  const step = (lib: Lib, label: string, target: number) => {
    const ratios = summary.mlpRatios.get(lib);
    if (!ratios) return;
    const ratio = median(ratios);
    const same = summary.mlpSameLosses.get(lib)
      ? 'the same 20 losses bit for bit'
      : 'losses agree to 1e-6, not bit for bit';
    body.push([
      `MLP 103-256-256-14 step: ${label} / maskgrad (wasm)`,
      `>= ${target}x`,
      `${fmt(ratio)}x (median of the per-repetition ratios); ${same}`,
      verdict(ratio >= target),
    ]);
  };
  // Issue 14's 2.5x is against the TypeScript step from before the WebAssembly kernel.
  if (baselineKernel === 'ts')
    step('baseline', `maskgrad at ${baselineRev ?? ''} (TS kernel)`, 2.5);
  step('maskgrad-ts', 'maskgrad (TS kernel)', 2.5);
  step('tfjs-wasm', 'TF.js wasm', 4);
  if (body.length === 0) return;
  table("Issue 14's targets, from this run", ['target', 'wanted', 'measured', 'verdict'], body);
}

// ---------------------------------------------------------------- main

async function timed(section: string, run: () => Promise<void>): Promise<void> {
  const start = Date.now();
  await run();
  log(`bench: ${section} took ${((Date.now() - start) / 1000).toFixed(0)} s`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const peers =
    !noPeers && (sections.has('mlp') || sections.has('matmul') || sections.has('chain'))
      ? ensurePeers()
      : false;
  if (noPeers) notes.push('TF.js was not measured: --no-peers.');
  else if (!peers) notes.push('TF.js was not measured: its install in bench/ failed.');
  notes.push(JS_PYTORCH_NOTE + '.');
  if (baselineRev !== null) {
    // What the worker needs; bench/simd-peak.ts exists only from the commit that added it.
    baselineDir = extractRevision(
      baselineRev,
      ['tsconfig.json', 'src', 'bench/maskgrad-worker.ts', 'bench/tasks.ts'],
      ['bench/simd-peak.ts'],
    );
    const commit = execSync(`git rev-parse --short ${baselineRev}`, { cwd: join(__dirname, '..') })
      .toString()
      .trim();
    notes.push(
      `Baseline: the MLP step of commit ${commit} (${baselineRev}), ${baselineKernelLabel}.`,
    );
  }
  const ours: Lib[] = ['maskgrad', 'maskgrad-ts'];
  const libs: Lib[] = peers ? [...ours, 'tfjs-cpu', 'tfjs-wasm'] : ours;
  const mlpLibs: Lib[] = baselineRev === null ? libs : [...ours, 'baseline', ...libs.slice(2)];
  const workers = new Map<Lib, Worker>();
  const get = (lib: Lib) => {
    if (!workers.has(lib)) workers.set(lib, new Worker(lib));
    return workers.get(lib)!;
  };
  try {
    const infos = [];
    for (const lib of [...libs, 'plain' as Lib])
      infos.push({ ...(await get(lib).request({ kind: 'info' })), lib });
    const kernels = infos.filter((i) => i.kernel).map((i) => `${i.lib}: ${i.kernel}`);
    notes.push(`gemm kernels in use: ${kernels.join(', ')}.`);
    emit({ section: 'info', quick, node: process.version, cpu: cpus()[0]?.model, libs: infos });
    const wasm = infos.find((i) => i.lib === 'tfjs-wasm');
    if (wasm)
      notes.push(`TF.js wasm: SIMD ${wasm.simd ? 'on' : 'off'}, ${wasm.threads} thread(s).`);
    if (sections.has('mlp')) await timed('mlp', () => benchMlp(mlpLibs.map(get)));
    if (sections.has('matmul')) {
      await timed('matmul', () => benchMatmul([...libs, 'plain' as Lib].map(get)));
    }
    if (sections.has('scaling')) await timed('scaling', () => benchScaling(ours.map(get)));
  } finally {
    for (const w of workers.values()) w.close();
    if (baselineDir !== null) rmSync(baselineDir, { recursive: true, force: true });
  }
  if (sections.has('chain')) await timed('chain', () => benchChains(peers));
  if (sections.has('heap')) await timed('heap', () => benchHeap());
  targetsTable();
  const seconds = (Date.now() - started) / 1000;
  emit({ section: 'done', seconds });
  if (!jsonOutput) {
    const header = `maskgrad benchmark${quick ? ' (--quick)' : ''}: node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${new Date().toISOString()}`;
    process.stdout.write(`${header}\n\n${tables.join('\n\n')}\n\n`);
    for (const n of notes) process.stdout.write(`- ${n}\n`);
    process.stdout.write(`\nTotal time: ${seconds.toFixed(0)} s\n`);
  }
}

main().catch((error) => {
  log(error.stack ?? String(error));
  process.exit(1);
});
