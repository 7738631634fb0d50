import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { Tensor } from '../tensor';
import { checkMetricInputs } from './inputs';

export interface F1Options {
  /** A score >= threshold predicts positive (default 0.5). */
  threshold?: number;
  /** 'micro': one F1 from the counts of all observed entries; 'macro': the mean of per-class F1. */
  average: 'micro' | 'macro';
  /** 0 where an entry is unknown and must be ignored. */
  mask?: Tensor;
}

export interface HammingLossOptions {
  /** A score >= threshold predicts positive (default 0.5). */
  threshold?: number;
  /** 0 where an entry is unknown and must be ignored. */
  mask?: Tensor;
}

function checkThreshold(where: string, threshold: number): void {
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new MaskgradError(
      `${where}: threshold must be a number, got ${describeValue(threshold)}`,
    );
  }
}

/** F1 from counts as scikit-learn 1.2 computes it, with zero_division = 0. */
function f1FromCounts(tp: number, fp: number, fn: number): number {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/**
 * F1 score of thresholded predictions over the observed entries (scikit-learn's f1_score,
 * average 'micro' or 'macro', zero_division = 0: a class with no true and no predicted positive
 * scores 0). Macro averages over classes with at least one observed entry; NaN if there are none.
 */
export function f1(scores: Tensor, targets: Tensor, options: F1Options): number {
  if (!options || (options.average !== 'micro' && options.average !== 'macro')) {
    throw new MaskgradError(
      `f1: options.average must be 'micro' or 'macro', got ${options ? String(options.average) : 'no options'}`,
    );
  }
  checkOptions('f1', options, ['average', 'threshold', 'mask']);
  const threshold = options.threshold ?? 0.5;
  checkThreshold('f1', threshold);
  const { rows, classes, s, t, m } = checkMetricInputs('f1', scores, targets, options.mask);
  const tp = new Float64Array(classes);
  const fp = new Float64Array(classes);
  const fn = new Float64Array(classes);
  const observed = new Float64Array(classes);
  for (let i = 0; i < rows; i++) {
    const row = i * classes;
    for (let c = 0; c < classes; c++) {
      const k = row + c;
      if (m !== null && m[k] === 0) continue;
      observed[c]++;
      const predicted = s[k] >= threshold;
      if (t[k] === 1) {
        if (predicted) tp[c]++;
        else fn[c]++;
      } else if (predicted) fp[c]++;
    }
  }
  if (options.average === 'micro') {
    let TP = 0;
    let FP = 0;
    let FN = 0;
    for (let c = 0; c < classes; c++) {
      TP += tp[c];
      FP += fp[c];
      FN += fn[c];
    }
    return f1FromCounts(TP, FP, FN);
  }
  let sum = 0;
  let used = 0;
  for (let c = 0; c < classes; c++) {
    if (observed[c] === 0) continue;
    sum += f1FromCounts(tp[c], fp[c], fn[c]);
    used++;
  }
  return used > 0 ? sum / used : NaN;
}

/**
 * Hamming loss: the fraction of observed entries whose thresholded prediction (score >=
 * threshold) differs from the target; NaN when no entry is observed.
 */
export function hammingLoss(
  scores: Tensor,
  targets: Tensor,
  options: HammingLossOptions = {},
): number {
  checkOptions('hammingLoss', options, ['threshold', 'mask']);
  const threshold = options.threshold ?? 0.5;
  checkThreshold('hammingLoss', threshold);
  const { s, t, m } = checkMetricInputs('hammingLoss', scores, targets, options.mask);
  let wrong = 0;
  let observed = 0;
  for (let k = 0; k < s.length; k++) {
    if (m !== null && m[k] === 0) continue;
    observed++;
    if (s[k] >= threshold !== (t[k] === 1)) wrong++;
  }
  return observed > 0 ? wrong / observed : NaN;
}
