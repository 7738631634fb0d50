// Trains a small MLP with the core alone (seeded data and weights, a masked loss, Adam) and
// prints each step's loss as the hex of its float64 bits, one line per step ("step bits").
// spec/runtimes.spec.ts runs it in Node, Bun, Deno and Chromium and expects the same lines:
// the core computes with its own math functions, so every engine gives the same bits.
//
//   npx ts-node --transpile-only scripts/runtime-bits.ts
import { Adam, createRandom, maskedBinaryCrossEntropyWithLogits, MLP, randn, Tensor } from '../src';

export const STEPS = 40;

/** The bits of a float64 as 16 hex digits: equal strings mean the same number, -0 and NaN included. */
export function float64Hex(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/** The losses of `steps` Adam steps on a seeded multi-label problem with missing labels. */
export function trainingLosses(steps: number): number[] {
  const rows = 32;
  const features = 6;
  const labels = 4;
  const x = randn([rows, features], { seed: 11 });
  const truth = randn([features, labels], { seed: 12 });
  const scores = x.matmul(truth).data;
  const rng = createRandom(13);
  const targets = new Float64Array(rows * labels);
  const mask = new Float64Array(rows * labels);
  for (let i = 0; i < targets.length; i++) {
    targets[i] = scores[i] > 0 ? 1 : 0;
    // About a third of the labels are missing.
    mask[i] = rng.uniform() < 0.35 ? 0 : 1;
  }
  const y = new Tensor(targets, [rows, labels]);
  const m = new Tensor(mask, [rows, labels]);
  const model = new MLP([features, 8, labels], { activation: 'tanh', seed: 14 });
  const optimizer = new Adam(model.parameters(), { lr: 0.05 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = maskedBinaryCrossEntropyWithLogits(model.forward(x), y, m);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  return losses;
}

console.log(
  trainingLosses(STEPS)
    .map((loss, step) => `${step} ${float64Hex(loss)}`)
    .join('\n'),
);
