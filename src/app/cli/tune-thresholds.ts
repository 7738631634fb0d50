// `train --thresholds tune`: per-class decision thresholds tuned for F1 on a run's
// validation rows, and the test F1 with them.
import type { MultiLabelDataset } from '../../core/data';
import { applyThresholds, f1, tuneThresholds } from '../../core/metrics';
import { Tensor } from '../../core/tensor';
import { predictProbabilities } from '../../core/training/fit';
import type { ExperimentResult } from '../experiment';
import { UsageError } from './io';

/** Per-class thresholds tuned on the validation rows, and the test F1 with them. */
export interface Tuned {
  thresholds: Float64Array;
  microF1: number;
  macroF1: number;
}

/**
 * Raw feature rows standardized with a run's statistics, `(x - mean) / std`, as predict does.
 * `standardize` computes the same in units of a power of two, which changes no rounding, so
 * the result is the same float64 bits (outside overflow and subnormal ranges).
 */
export function standardizedWith(
  statistics: ExperimentResult['standardization'],
  data: MultiLabelDataset,
): Tensor {
  const [n, d] = data.x.shape;
  const x = data.x.data;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const j = i % d;
    out[i] = (x[i] - statistics.mean[j]) / statistics.std[j];
  }
  return new Tensor(out, [n, d]);
}

/**
 * Thresholds tuned for F1 per class on the validation rows' known labels, with the probabilities
 * of the early-stopped model, which never trained on them (with refit, the kept model trained
 * on them too, so its scores there would flatter it); then the kept model's test F1 with them.
 */
export function tuneOn(result: ExperimentResult, test: MultiLabelDataset): Tuned {
  const validation = result.validation;
  if (validation === null) throw new UsageError('--thresholds tune needs --val > 0');
  const thresholds = tuneThresholds(
    predictProbabilities(result.fitted.model, validation.x),
    validation.y,
    validation.mask,
  );
  const probs = predictProbabilities(result.model, standardizedWith(result.standardization, test));
  const decided = applyThresholds(probs, thresholds);
  return {
    thresholds,
    microF1: f1(decided, test.y, { average: 'micro', mask: test.mask }),
    macroF1: f1(decided, test.y, { average: 'macro', mask: test.mask }),
  };
}
