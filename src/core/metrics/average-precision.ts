import { Tensor } from '../tensor';
import { checkMetricInputs } from './inputs';

/**
 * Walks one class's scores from the highest down, one step per distinct score (tied scores
 * enter together), and tells `visit` the threshold and the true and false positives at or
 * above it. Sorts `pos` and `neg` in place.
 */
function walkThresholds(
  pos: Float64Array,
  neg: Float64Array,
  visit: (threshold: number, tp: number, fp: number) => void,
): void {
  pos.sort();
  neg.sort();
  let p = pos.length - 1;
  let q = neg.length - 1;
  let tp = 0;
  let fp = 0;
  while (p >= 0) {
    // The next threshold is the largest score not yet entered; every score equal to it enters together.
    const threshold = q >= 0 && neg[q] > pos[p] ? neg[q] : pos[p];
    while (p >= 0 && pos[p] === threshold) {
      tp++;
      p--;
    }
    while (q >= 0 && neg[q] === threshold) {
      fp++;
      q--;
    }
    visit(threshold, tp, fp);
  }
}

/** The sum over the precision-recall points of (R_k - R_{k-1}) * P_k. */
function averagePrecisionOfClass(pos: Float64Array, neg: Float64Array): number {
  const nPos = pos.length;
  if (nPos === 0) return NaN;
  let ap = 0;
  let tpBefore = 0;
  walkThresholds(pos, neg, (_, tp, fp) => {
    if (tp > tpBefore) ap += (tp / nPos - tpBefore / nPos) * (tp / (tp + fp));
    tpBefore = tp;
  });
  return ap;
}

/**
 * Average precision of each class over its observed entries (scikit-learn's
 * average_precision_score: sum over distinct score thresholds of (R_k - R_{k-1}) * P_k, tied
 * scores entering together); NaN for a class with no observed positive.
 */
export function averagePrecision(scores: Tensor, targets: Tensor, mask?: Tensor): number[] {
  return perClassAveragePrecision('averagePrecision', scores, targets, mask);
}

/**
 * Calls `each(c, pos, neg)` for every class with the scores of its observed positives and
 * negatives (views of two buffers reused from class to class).
 */
function forEachClass(
  where: string,
  scores: Tensor,
  targets: Tensor,
  mask: Tensor | undefined,
  each: (c: number, pos: Float64Array, neg: Float64Array) => void,
): number {
  const { rows, classes, s, t, m } = checkMetricInputs(where, scores, targets, mask);
  const posBuffer = new Float64Array(rows);
  const negBuffer = new Float64Array(rows);
  for (let c = 0; c < classes; c++) {
    let nPos = 0;
    let nNeg = 0;
    for (let i = 0, k = c; i < rows; i++, k += classes) {
      if (m !== null && m[k] === 0) continue;
      if (t[k] === 1) posBuffer[nPos++] = s[k];
      else negBuffer[nNeg++] = s[k];
    }
    each(c, posBuffer.subarray(0, nPos), negBuffer.subarray(0, nNeg));
  }
  return classes;
}

function perClassAveragePrecision(
  where: string,
  scores: Tensor,
  targets: Tensor,
  mask?: Tensor,
): number[] {
  const out: number[] = [];
  forEachClass(where, scores, targets, mask, (c, pos, neg) => {
    out[c] = averagePrecisionOfClass(pos, neg);
  });
  return out;
}

/** One class's precision-recall curve: one point per distinct score, highest score first. */
export interface PrecisionRecallCurve {
  /** The scores, descending: a score `>=` threshold k is a predicted positive at point k. */
  thresholds: number[];
  /** Of the observed entries scored `>=` the threshold, the share that are positive. */
  precision: number[];
  /** Of the observed positives, the share scored `>=` the threshold (rises to 1). */
  recall: number[];
}

/**
 * The precision-recall curve of each class over its observed entries (scikit-learn's
 * precision_recall_curve, its points in the opposite order and without the final (recall 0,
 * precision 1) point): one point per distinct score among the class's observed entries, down
 * to its lowest positive. `averagePrecision` of a class is the sum over these points of
 * (R_k - R_{k-1}) * P_k, with R_0 = 0. null for a class with no observed positive (recall
 * is undefined).
 */
export function precisionRecallCurve(
  scores: Tensor,
  targets: Tensor,
  mask?: Tensor,
): (PrecisionRecallCurve | null)[] {
  const out: (PrecisionRecallCurve | null)[] = [];
  forEachClass('precisionRecallCurve', scores, targets, mask, (c, pos, neg) => {
    const nPos = pos.length;
    if (nPos === 0) {
      out[c] = null;
      return;
    }
    const curve: PrecisionRecallCurve = { thresholds: [], precision: [], recall: [] };
    walkThresholds(pos, neg, (threshold, tp, fp) => {
      curve.thresholds.push(threshold);
      curve.precision.push(tp / (tp + fp));
      curve.recall.push(tp / nPos);
    });
    out[c] = curve;
  });
  return out;
}

/** Macro mean average precision, and which classes it used. */
export interface MeanAveragePrecision {
  /** The mean of the per-class average precisions over `classesUsed` (NaN if none). */
  value: number;
  /** Indices of the classes with at least one observed positive. */
  classesUsed: number[];
  /** Indices of the classes with no observed positive (their AP is undefined). */
  classesLeftOut: number[];
}

/** Macro mean of per-class average precision over the classes with at least one observed positive. */
export function meanAveragePrecision(
  scores: Tensor,
  targets: Tensor,
  mask?: Tensor,
): MeanAveragePrecision {
  const perClass = perClassAveragePrecision('meanAveragePrecision', scores, targets, mask);
  const classesUsed: number[] = [];
  const classesLeftOut: number[] = [];
  let sum = 0;
  for (let c = 0; c < perClass.length; c++) {
    if (Number.isNaN(perClass[c])) classesLeftOut.push(c);
    else {
      classesUsed.push(c);
      sum += perClass[c];
    }
  }
  return {
    value: classesUsed.length > 0 ? sum / classesUsed.length : NaN,
    classesUsed,
    classesLeftOut,
  };
}
