// Watch the masked weights stand still.
//
// One batch of 8 samples and 4 classes. Class 2 is unknown for every sample; class 3 is
// unknown for half of them. For the masked loss and for "unknown = negative", this
// prints, per class, the gradient norm of the output layer's row (weight row and bias)
// and the largest change of that row after one plain SGD step.
//
//   npx ts-node examples/masked-gradients.ts
import { oneBatch, ONE_BATCH_CLASSES } from './one-batch';

// The batch, the two strategies' steps and the per-class figures: examples/one-batch.ts.
const batch = oneBatch();
const observedShare = (c: number) => `${batch.mask.filter((row) => row[c] === 1).length}/8 known`;
const perClass = (stage: typeof batch.masked) =>
  Array.from({ length: ONE_BATCH_CLASSES }, (_, c) => ({
    gradNorm: stage.gradNorm[c],
    maxChange: stage.maxChange[c],
    unchanged: stage.unchanged[c],
  }));
const masked = perClass(batch.masked);
const negative = perClass(batch.negative);
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
