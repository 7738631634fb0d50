// Watch the masked weights stand still.
//
// One batch of 8 samples and 4 classes. Class 2 is unknown for every sample; class 3 is
// unknown for half of them. For the masked loss and for "unknown = negative", this
// prints, per class, the gradient norm of the output layer's row (weight row and bias)
// and the largest change of that row after one plain SGD step.
//
//   npx ts-node examples/masked-gradients.ts
import { oneBatch, oneBatchStepTable } from './one-batch';

// The batch, the two strategies' steps and the per-class figures: examples/one-batch.ts.
const batch = oneBatch();
const { header, rows } = oneBatchStepTable(batch);
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
if (!batch.masked.unchanged[2]) {
  console.error('error: the masked class moved; this should never happen');
  process.exitCode = 1;
}
