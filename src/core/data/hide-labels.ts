import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { randomFrom, type SeedOptions } from '../random';
import { checkDataset, type MultiLabelDataset, withLabels } from './dataset';

/**
 * A copy of `dataset` in which each observed label entry independently becomes unknown
 * (mask 0, y 0) with probability `rate`; already-unknown entries stay unknown. One uniform
 * number is drawn per entry (observed or not), row by row, from `{ seed }` or `{ rng }`.
 */
export function hideLabels(
  dataset: MultiLabelDataset,
  rate: number,
  random: SeedOptions,
): MultiLabelDataset {
  checkDataset(dataset, 'hideLabels');
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new MaskgradError(
      `hideLabels: rate must be a number from 0 to 1, got ${describeValue(rate)}`,
    );
  }
  const rng = randomFrom('hideLabels', random);
  const y = dataset.y.data.slice();
  const mask = dataset.mask.data.slice();
  for (let i = 0; i < mask.length; i++) {
    if (rng.uniform() < rate) {
      mask[i] = 0;
      y[i] = 0;
    }
  }
  return withLabels(dataset, y, mask);
}
