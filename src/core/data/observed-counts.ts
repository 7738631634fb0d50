import type { ObservedCounts } from '../model/model-file';
import { checkDataset, type MultiLabelDataset } from './dataset';

/**
 * Each label's known positive, known negative and unknown entries over the rows of
 * `dataset` (a known entry has mask 1; it is positive when its target is 1).
 */
export function observedCounts(dataset: MultiLabelDataset): ObservedCounts {
  const [N, , C] = checkDataset(dataset, 'observedCounts');
  const counts: ObservedCounts = {
    positive: new Array<number>(C).fill(0),
    negative: new Array<number>(C).fill(0),
    unknown: new Array<number>(C).fill(0),
  };
  const { y, mask } = dataset;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < C; j++) {
      const k = i * C + j;
      if (mask.data[k] === 0) counts.unknown[j]++;
      else if (y.data[k] === 1) counts.positive[j]++;
      else counts.negative[j]++;
    }
  }
  return counts;
}
