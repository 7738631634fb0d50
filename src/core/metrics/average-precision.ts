import { Tensor } from '../tensor';
import { checkMetricInputs } from './inputs';

/** Sorted-descending walk over positive and negative scores, summing (R_k - R_{k-1}) * P_k. */
function averagePrecisionOfClass(pos: Float64Array, neg: Float64Array): number {
  const nPos = pos.length;
  if (nPos === 0) return NaN;
  pos.sort();
  neg.sort();
  let p = nPos - 1;
  let q = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  while (p >= 0) {
    // The next threshold is the largest score not yet entered; every score equal to it enters together.
    const threshold = q >= 0 && neg[q] > pos[p] ? neg[q] : pos[p];
    const tpBefore = tp;
    while (p >= 0 && pos[p] === threshold) {
      tp++;
      p--;
    }
    while (q >= 0 && neg[q] === threshold) {
      fp++;
      q--;
    }
    if (tp > tpBefore) ap += (tp / nPos - tpBefore / nPos) * (tp / (tp + fp));
  }
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

function perClassAveragePrecision(
  where: string,
  scores: Tensor,
  targets: Tensor,
  mask?: Tensor,
): number[] {
  const { rows, classes, s, t, m } = checkMetricInputs(where, scores, targets, mask);
  const out: number[] = new Array(classes);
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
    out[c] = averagePrecisionOfClass(posBuffer.subarray(0, nPos), negBuffer.subarray(0, nNeg));
  }
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
