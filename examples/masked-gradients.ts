// Watch the masked weights stand still.
//
// One batch of 8 samples and 4 classes. Class 2 is unknown for every sample; class 3 is
// unknown for half of them. For the masked loss and for "unknown = negative", this
// prints, per class, the gradient norm of the output layer's row (weight row and bias)
// and the largest change of that row after one plain SGD step.
//
//   npx ts-node examples/masked-gradients.ts
import { maskedBinaryCrossEntropyWithLogits, MLP, randn, SGD, tensor } from '../src';

const CLASSES = 4;
const x = randn([8, 5], { seed: 'demo-inputs' });
const targets = tensor([
  [1, 0, 1, 0],
  [0, 1, 0, 1],
  [1, 1, 0, 0],
  [0, 0, 1, 1],
  [1, 0, 0, 1],
  [0, 1, 1, 0],
  [1, 1, 1, 1],
  [0, 0, 0, 0],
]);
// 1 observed, 0 unknown: class 2 unknown everywhere, class 3 unknown in rows 0-3.
const mask = tensor([
  [1, 1, 0, 0],
  [1, 1, 0, 0],
  [1, 1, 0, 0],
  [1, 1, 0, 0],
  [1, 1, 0, 1],
  [1, 1, 0, 1],
  [1, 1, 0, 1],
  [1, 1, 0, 1],
]);

interface Row {
  gradNorm: number;
  maxChange: number;
  unchanged: boolean;
}

/** One forward, backward and SGD step from the same initial weights; per-class figures of the output row. */
function oneStep(strategy: 'masked' | 'negative'): Row[] {
  const model = new MLP([5, 16, CLASSES], { activation: 'relu', seed: 42 });
  const { weight, bias } = model.outputLayer;
  const before = { weight: weight.data.slice(), bias: bias.data.slice() };
  const logits = model.forward(x);
  // "Unknown = negative" fills the unknowns with 0 and uses every entry.
  const loss =
    strategy === 'masked'
      ? maskedBinaryCrossEntropyWithLogits(logits, targets, mask)
      : maskedBinaryCrossEntropyWithLogits(logits, targets.mul(mask));
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  optimizer.zeroGrad();
  loss.backward();
  const gw = weight.grad!;
  const gb = bias.grad!;
  optimizer.step();
  const inFeatures = weight.shape[1];
  return Array.from({ length: CLASSES }, (_, c) => {
    let sq = gb.data[c] ** 2;
    let maxChange = Math.abs(bias.data[c] - before.bias[c]);
    let unchanged = Object.is(bias.data[c], before.bias[c]);
    for (let j = 0; j < inFeatures; j++) {
      const k = c * inFeatures + j;
      sq += gw.data[k] ** 2;
      maxChange = Math.max(maxChange, Math.abs(weight.data[k] - before.weight[k]));
      unchanged &&= Object.is(weight.data[k], before.weight[k]);
    }
    return { gradNorm: Math.sqrt(sq), maxChange, unchanged };
  });
}

function observedShare(c: number): string {
  let n = 0;
  for (let i = 0; i < 8; i++) n += mask.data[i * CLASSES + c];
  return `${n}/8 known`;
}

const masked = oneStep('masked');
const negative = oneStep('negative');
const fmt = (v: number) => (v === 0 ? '0' : v.toExponential(3));
const header = [
  'class',
  'labels',
  'masked: |grad|',
  'masked: max change',
  'negative: |grad|',
  'negative: max change',
];
const rows = masked.map((m, c) => [
  String(c),
  observedShare(c),
  fmt(m.gradNorm),
  m.unchanged ? '0 (bit-identical)' : fmt(m.maxChange),
  fmt(negative[c].gradNorm),
  negative[c].unchanged ? '0 (bit-identical)' : fmt(negative[c].maxChange),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]) =>
  cells
    .map((s, i) => s.padEnd(widths[i]))
    .join('  ')
    .trimEnd();
console.log('Output layer rows after one SGD step (lr 0.1), MLP 5-16-4, batch of 8:\n');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(r));
console.log(
  '\nWith the masked loss, class 2 (never observed in this batch) gets exactly zero gradient,' +
    '\nso its weights stay bit-for-bit the same. "Unknown = negative" pushes it towards "no".' +
    '\nClass 3 still learns from its 4 known labels. (With momentum or weight decay a row' +
    '\nwith zero gradient still moves: momentum carries earlier steps, decay shrinks it.)',
);
if (!masked[2].unchanged) {
  console.error('error: the masked class moved; this should never happen');
  process.exitCode = 1;
}
