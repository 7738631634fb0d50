// Profiles the benchmark's MLP training step (103-256-256-14, batch 64, masked BCE, SGD):
//   node --cpu-prof --cpu-prof-dir=/tmp/prof -r ts-node/register/transpile-only bench/profile-step.ts [steps]
// then open the .cpuprofile in Chrome DevTools, or read the summary this prints with
// `--summary <file.cpuprofile>`: self time per function, largest first.
import { readFileSync } from 'fs';
import { maskedBinaryCrossEntropyWithLogits } from '../src/core/losses';
import { MLP } from '../src/core/nn';
import { SGD } from '../src/core/optim';
import { Random } from '../src/core/random';
import { Tensor } from '../src/core/tensor';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

function summarize(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const total = profile.samples.length;
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  for (const [key, count] of rows) {
    process.stdout.write(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${key}\n`);
  }
}

function run(steps: number): void {
  const rng = new Random('profile step');
  const [batch, classes] = [64, 14];
  const x = new Tensor(
    Float64Array.from({ length: batch * 103 }, () => rng.normal()),
    [batch, 103],
  );
  const y = new Tensor(
    Float64Array.from({ length: batch * classes }, () => (rng.uniform() < 0.5 ? 1 : 0)),
    [batch, classes],
  );
  const mask = new Tensor(
    Float64Array.from({ length: batch * classes }, () => (rng.uniform() < 0.5 ? 1 : 0)),
    [batch, classes],
  );
  const model = new MLP([103, 256, 256, classes], { seed: 'profile weights' });
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  const step = () => {
    optimizer.zeroGrad();
    const loss = maskedBinaryCrossEntropyWithLogits(model.forward(x), y, mask);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
  for (let s = 0; s < 200; s++) step();
  const start = performance.now();
  for (let s = 0; s < steps; s++) step();
  const ms = (performance.now() - start) / steps;
  process.stdout.write(`${ms.toFixed(3)} ms/step over ${steps} steps\n`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--summary') summarize(argv[1]);
else run(Number(argv[0] ?? 2000));
