// npm run bench:math [-- --baseline=<git revision>]
//
// What maskgrad's own elementary functions (src/math) cost against the engine's Math.*:
// times, in one run, this tree and a baseline revision (default: the last commit whose
// library used Math.*), each in its own child process, taking turns (3 repetitions, the
// median reported): an epoch of the playground's training on yeast (its default settings:
// two strategies, hidden 16-16, ReLU, Adam, batch 32), an MLP training step (103-256-256-14,
// ReLU, batch 64, masked BCE from logits, Adam: exp and log1p in the loss, pow in Adam), and
// elementwise ops over 10^6 values. Both use the TypeScript gemm kernel (MASKGRAD_KERNEL=ts).
import { execSync, fork } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

type Timings = Record<string, number>;
const childArg = process.argv.find((a) => a.startsWith('--child='));

/** In a child: times the tasks with the library under `root`/src; ms per step or ns per value. */
function measure(root: string): Timings {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mg = require(join(root, 'src'));
  const rng = new mg.Random(1);
  const timed = (fn: () => void, minMs: number, per: number): number => {
    fn();
    let calls = 0;
    const start = performance.now();
    do {
      fn();
      calls++;
    } while (performance.now() - start < minMs);
    return (performance.now() - start) / calls / per;
  };
  const out: Timings = {};
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const core = require(join(root, 'web', 'src', 'train-core'));
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { DEFAULT_CONFIG } = require(join(root, 'web', 'src', 'config'));
  const config = { ...DEFAULT_CONFIG, dataset: 'yeast', labels: 14 };
  const arff = readFileSync(join(root, 'examples', 'data', 'yeast-train.arff'), 'utf8');
  const data = core.prepareData(core.parseDataFile('yeast-train.arff', arff, 14), config);
  // Training continues from epoch to epoch: each call times one epoch of steps.
  const trainer = new core.PlaygroundTrainer(data, config);
  out['playground epoch, yeast (ms)'] = timed(
    () => {
      for (let s = 0; s < trainer.batchesPerEpoch; s++) trainer.trainStep();
    },
    1500,
    1,
  );
  out['playground start: 2 MLPs, mAP (ms)'] = timed(
    () => new core.PlaygroundTrainer(data, config),
    300,
    1,
  );
  const model = new mg.MLP([103, 256, 256, 14], { seed: 3 });
  const optimizer = new mg.Adam(model.parameters(), { lr: 1e-3 });
  const x = mg.randn([64, 103], { seed: 4 });
  const labels = new Float64Array(64 * 14).map(() => (rng.uniform() < 0.3 ? 1 : 0));
  const mask = new Float64Array(64 * 14).map(() => (rng.uniform() < 0.5 ? 1 : 0));
  const y = new mg.Tensor(labels, [64, 14]);
  const m = new mg.Tensor(mask, [64, 14]);
  out['MLP step, Adam (ms)'] = timed(
    () => {
      optimizer.zeroGrad();
      const loss = mg.maskedBinaryCrossEntropyWithLogits(model.forward(x), y, m);
      loss.backward();
      optimizer.step();
    },
    600,
    1,
  );
  const n = 1_000_000;
  const v = mg.tensor(Array.from({ length: n }, () => rng.uniform(-4, 4)));
  const p = mg.tensor(Array.from({ length: n }, () => rng.uniform(0.01, 4)));
  const ns = 1e6; // ms per call -> ns per value
  out['exp (ns/value)'] = timed(() => v.exp(), 300, n / ns);
  out['log (ns/value)'] = timed(() => p.log(), 300, n / ns);
  out['tanh (ns/value)'] = timed(() => v.tanh(), 300, n / ns);
  out['sigmoid (ns/value)'] = timed(() => v.sigmoid(), 300, n / ns);
  out['pow(x, 1.5) (ns/value)'] = timed(() => p.pow(1.5), 300, n / ns);
  out['normal sample (ns)'] = timed(
    () => {
      for (let i = 0; i < 100_000; i++) rng.normal();
    },
    300,
    100_000 / ns,
  );
  return out;
}

if (childArg) {
  process.send!(measure(childArg.slice('--child='.length)));
} else {
  const rootDir = join(__dirname, '..');
  const rev = process.argv.find((a) => a.startsWith('--baseline='))?.slice(11) ?? '54bf6ef';
  const baseDir = mkdtempSync(join(tmpdir(), 'maskgrad-math-baseline-'));
  execSync(
    `git archive ${rev} tsconfig.json src web/src examples/data/yeast-train.arff | tar -x -C ${baseDir}`,
    { cwd: rootDir },
  );
  symlinkSync(join(rootDir, 'node_modules'), join(baseDir, 'node_modules'));
  const run = (root: string) =>
    new Promise<Timings>((resolve, reject) => {
      const child = fork(__filename, [`--child=${root}`], {
        execArgv: ['-r', 'ts-node/register/transpile-only'],
        cwd: root,
        env: { ...process.env, MASKGRAD_KERNEL: 'ts' },
      });
      child.once('message', (m) => resolve(m as Timings));
      child.once('error', reject);
      child.once('exit', (code) => code && reject(new Error(`child exited with ${code}`)));
    });
  (async () => {
    const reps: { ours: Timings[]; base: Timings[] } = { ours: [], base: [] };
    for (let r = 0; r < 3; r++) {
      // Taking turns, the order reversed every repetition.
      if (r % 2 === 0) {
        reps.ours.push(await run(rootDir));
        reps.base.push(await run(baseDir));
      } else {
        reps.base.push(await run(baseDir));
        reps.ours.push(await run(rootDir));
      }
      process.stderr.write(`repetition ${r + 1}/3 done\n`);
    }
    rmSync(baseDir, { recursive: true, force: true });
    const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`| task | Math.* (${rev}) | maskgrad math | ratio |`);
    console.log('|---|---:|---:|---:|');
    for (const key of Object.keys(reps.ours[0])) {
      const base = median(reps.base.map((t) => t[key]));
      const ours = median(reps.ours.map((t) => t[key]));
      console.log(
        `| ${key} | ${base.toFixed(2)} | ${ours.toFixed(2)} | ${(ours / base).toFixed(2)} |`,
      );
    }
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
