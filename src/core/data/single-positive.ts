import { randomFrom, type SeedOptions } from '../random';
import { checkDataset, type MultiLabelDataset, withLabels } from './dataset';

/**
 * The "single positive label" regime (Cole et al., CVPR 2021): a copy of `dataset` in which
 * each row keeps exactly one of its observed positive labels, chosen uniformly with the
 * seeded generator, and every other entry becomes unknown (mask 0, y 0). A row with no
 * observed positive keeps nothing. One number is drawn per row that has a positive.
 */
export function keepOnePositive(
  dataset: MultiLabelDataset,
  random: SeedOptions,
): MultiLabelDataset {
  const [N, , C] = checkDataset(dataset, 'keepOnePositive');
  const rng = randomFrom('keepOnePositive', random);
  const { y: yIn, mask: mIn } = dataset;
  const y = new Float64Array(N * C);
  const mask = new Float64Array(N * C);
  const positives = new Int32Array(C);
  for (let r = 0; r < N; r++) {
    let count = 0;
    for (let c = 0; c < C; c++) {
      const k = r * C + c;
      if (mIn.data[k] === 1 && yIn.data[k] === 1) positives[count++] = c;
    }
    if (count === 0) continue;
    const k = r * C + positives[rng.int(count)];
    y[k] = 1;
    mask[k] = 1;
  }
  return withLabels(dataset, y, mask);
}
