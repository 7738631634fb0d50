// npm run bench:ab -- <revision A> <revision B> [rounds]
//
// The MLP step of two commits (or the working tree, '.'), both in this one process: each
// revision's src/ is extracted with git archive and loaded twice (A, B, A', B'), and the
// four copies take turns, 40 steps each, for `rounds` rounds (default 30). It prints each
// copy's median ms/step and the median of its per-round ratio to A. Separate processes
// running the same code differ by up to 10% on this host (where their memory lands, which
// core they get); within one process the copies share all of that, so a change of a few
// percent shows, and A' against A is the control: how far apart two copies of the same code
// come out. The step is bench/run.ts's: MLP 103-256-256-14, batch 64, masked BCE, SGD lr
// 0.1, from the same seeded data; the losses of the four copies are checked to be equal.
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { extractRevision } from './revision';
const [revA, revB, roundsArg] = process.argv.slice(2);
if (!revA || !revB) {
  process.stderr.write('usage: npm run bench:ab -- <revision A> <revision B> [rounds]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 30);
const STEPS = 40;

/** One copy's training step, on the data and weights bench/run.ts uses. */
function stepOf(dir: string): () => number {
  // The package root: every revision exports these names there.
  const { maskedBinaryCrossEntropyWithLogits, MLP, SGD, Random, Tensor } = require(
    resolve(dir, 'src'),
  );
  const [sizes, batch] = [[103, 256, 256, 14], 64];
  const rng = new Random('maskgrad bench');
  const init = new MLP(sizes, { seed: 'maskgrad bench weights' });
  const f32 = (a: ArrayLike<number>) => Float64Array.from(Float32Array.from(a));
  const x = new Tensor(f32(Array.from({ length: batch * 103 }, () => rng.normal())), [batch, 103]);
  const labels = () =>
    Float64Array.from({ length: batch * 14 }, () => (rng.uniform() < 0.5 ? 1 : 0));
  const y = new Tensor(labels(), [batch, 14]);
  const mask = new Tensor(labels(), [batch, 14]);
  const model = new MLP(sizes, { seed: 0 });
  init.layers.forEach(
    (layer: { weight: { data: Float64Array }; bias: { data: Float64Array } }, i: number) => {
      model.layers[i].weight.data.set(f32(layer.weight.data));
      model.layers[i].bias.data.set(f32(layer.bias.data));
    },
  );
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  return () => {
    optimizer.zeroGrad();
    const loss = maskedBinaryCrossEntropyWithLogits(model.forward(x), y, mask);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function main(): void {
  const into = mkdtempSync(join(tmpdir(), 'maskgrad-ab-'));
  try {
    const labels = [revA, revB, `${revA}'`, `${revB}'`];
    const steps = [revA, revB, revA, revB].map((rev) =>
      stepOf(extractRevision(rev, ['src'], [], into)),
    );
    const losses = steps.map((step) => Array.from({ length: 20 }, () => step()));
    const same = losses.every((l) => l.every((v, i) => Object.is(v, losses[0][i])));
    for (const step of steps) for (let s = 0; s < 200; s++) step(); // V8's optimizing tiers
    const times = steps.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < steps.length; i++) {
        const k = r % 2 ? steps.length - 1 - i : i;
        const start = performance.now();
        for (let s = 0; s < STEPS; s++) steps[k]();
        times[k].push((performance.now() - start) / STEPS);
      }
    }
    process.stdout.write(
      `MLP step, ${rounds} rounds of ${STEPS} steps per copy; the first 20 losses ` +
        `${same ? 'are the same bits in all four copies' : 'DIFFER between the copies'}\n`,
    );
    for (let i = 0; i < steps.length; i++) {
      const ratio = median(times[i].map((t, r) => t / times[0][r]));
      process.stdout.write(
        `${labels[i].padEnd(12)} ${median(times[i]).toFixed(3)} ms/step, ` +
          `${ratio.toFixed(3)} of ${revA}'s time (median of the per-round ratios)\n`,
      );
    }
  } finally {
    rmSync(into, { recursive: true, force: true });
  }
}

main();
