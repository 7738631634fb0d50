import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { randomFrom, type SeedOptions } from '../random';
import { checkDataset, type MultiLabelDataset, takeRows } from './dataset';

/**
 * A seeded random split: `val` holds Math.round(rate * N) rows and `train` the rest, each
 * keeping the rows' original order.
 */
export function splitRows(
  dataset: MultiLabelDataset,
  rate: number,
  random: SeedOptions,
): { train: MultiLabelDataset; val: MultiLabelDataset } {
  const [N] = checkDataset(dataset, 'splitRows');
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw new MaskgradError(
      `splitRows: rate must be a number from 0 to 1, got ${describeValue(rate)}`,
    );
  }
  const nVal = Math.round(rate * N);
  const order = randomFrom('splitRows', random).permutation(N);
  const val = order.slice(0, nVal).sort();
  const train = order.slice(nVal).sort();
  return { train: takeRows(dataset, train), val: takeRows(dataset, val) };
}
