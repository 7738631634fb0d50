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

/** Per class, the counts of observed entries: true and false positives and negatives. */
interface ClassCounts {
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
  tn: Float64Array;
}

/** Counts each class's observed entries; a score `>= thresholdOf(c)` predicts positive. */
function countClasses(
  rows: number,
  classes: number,
  s: Float64Array,
  t: Float64Array,
  m: Float64Array | null,
  thresholdOf: (c: number) => number,
): ClassCounts {
  const counts: ClassCounts = {
    tp: new Float64Array(classes),
    fp: new Float64Array(classes),
    fn: new Float64Array(classes),
    tn: new Float64Array(classes),
  };
  const { tp, fp, fn, tn } = counts;
  for (let c = 0; c < classes; c++) {
    const threshold = thresholdOf(c);
    for (let i = 0, k = c; i < rows; i++, k += classes) {
      if (m !== null && m[k] === 0) continue;
      const predicted = s[k] >= threshold;
      if (t[k] === 1) {
        if (predicted) tp[c]++;
        else fn[c]++;
      } else if (predicted) fp[c]++;
      else tn[c]++;
    }
  }
  return counts;
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
  const { tp, fp, fn, tn } = countClasses(rows, classes, s, t, m, () => threshold);
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
    if (tp[c] + fp[c] + fn[c] + tn[c] === 0) continue;
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
  const { rows, classes, s, t, m } = checkMetricInputs(
    'hammingLoss',
    scores,
    targets,
    options.mask,
  );
  const { tp, fp, fn, tn } = countClasses(rows, classes, s, t, m, () => threshold);
  let wrong = 0;
  let observed = 0;
  for (let c = 0; c < classes; c++) {
    wrong += fp[c] + fn[c];
    observed += tp[c] + fp[c] + fn[c] + tn[c];
  }
  return observed > 0 ? wrong / observed : NaN;
}

/** One class's counts of observed entries at its decision threshold. */
export interface ConfusionCounts {
  /** Positives predicted positive, negatives predicted positive, positives missed, negatives kept. */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface ConfusionCountsOptions {
  /** A score `>=` threshold predicts positive: one for every class, or one per class (default 0.5). */
  thresholds?: number | ArrayLike<number>;
  /** 0 where an entry is unknown and must be ignored. */
  mask?: Tensor;
}

/**
 * Per class, the true and false positives and negatives among its observed entries, a score
 * `>=` the class's threshold predicting positive (as applyThresholds decides): the counts
 * that f1 and hammingLoss are computed from.
 */
export function confusionCounts(
  scores: Tensor,
  targets: Tensor,
  options: ConfusionCountsOptions = {},
): ConfusionCounts[] {
  checkOptions('confusionCounts', options, ['thresholds', 'mask']);
  const given = options.thresholds ?? 0.5;
  const { rows, classes, s, t, m } = checkMetricInputs(
    'confusionCounts',
    scores,
    targets,
    options.mask,
  );
  let thresholdOf: (c: number) => number;
  if (typeof given === 'number') {
    checkThreshold('confusionCounts', given);
    thresholdOf = () => given;
  } else {
    const list = given !== null && typeof given === 'object' ? given : null;
    if (list === null || list.length !== classes) {
      throw new MaskgradError(
        `confusionCounts: thresholds must be a number or an array of ${classes} numbers (one per class), ` +
          `got ${describeValue(given)}`,
      );
    }
    for (let c = 0; c < classes; c++) {
      if (typeof list[c] !== 'number' || Number.isNaN(list[c])) {
        throw new MaskgradError(
          `confusionCounts: thresholds[${c}] must be a number, got ${describeValue(list[c])}`,
        );
      }
    }
    thresholdOf = (c) => list[c];
  }
  const { tp, fp, fn, tn } = countClasses(rows, classes, s, t, m, thresholdOf);
  return Array.from({ length: classes }, (_, c) => ({
    tp: tp[c],
    fp: fp[c],
    fn: fn[c],
    tn: tn[c],
  }));
}
