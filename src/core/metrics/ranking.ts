import { Tensor } from '../tensor';
import { checkMetricInputs } from './inputs';

/**
 * Label ranking average precision (scikit-learn's label_ranking_average_precision_score):
 * for each sample, the mean over its positive labels l of (positive labels scored >= score(l))
 * / (labels scored >= score(l)), then the mean over samples. With a mask, only a sample's
 * observed labels are ranked; a sample with no observed label is left out of the mean; one whose
 * observed labels are all negative or all positive counts 1 (as in scikit-learn). NaN when no
 * sample has an observed label.
 */
export function labelRankingAveragePrecision(
  scores: Tensor,
  targets: Tensor,
  mask?: Tensor,
): number {
  const { rows, classes, s, t, m } = checkMetricInputs(
    'labelRankingAveragePrecision',
    scores,
    targets,
    mask,
  );
  let total = 0;
  let samples = 0;
  for (let i = 0; i < rows; i++) {
    const row = i * classes;
    let observed = 0;
    let positives = 0;
    for (let c = 0; c < classes; c++) {
      if (m !== null && m[row + c] === 0) continue;
      observed++;
      if (t[row + c] === 1) positives++;
    }
    if (observed === 0) continue;
    samples++;
    if (positives === 0 || positives === observed) {
      total += 1;
      continue;
    }
    let sum = 0;
    for (let l = 0; l < classes; l++) {
      if ((m !== null && m[row + l] === 0) || t[row + l] !== 1) continue;
      const score = s[row + l];
      let rank = 0;
      let positiveRank = 0;
      for (let c = 0; c < classes; c++) {
        if ((m !== null && m[row + c] === 0) || s[row + c] < score) continue;
        rank++;
        if (t[row + c] === 1) positiveRank++;
      }
      sum += positiveRank / rank;
    }
    total += sum / positives;
  }
  return samples > 0 ? total / samples : NaN;
}
