import { describeValue } from '../describe-value';
import { MaskgradError } from '../errors';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { checkMetricInputs } from './inputs';

/** The threshold of a class that tuning cannot improve on (no known positive): the default. */
const DEFAULT_THRESHOLD = 0.5;

/**
 * Per class, the decision threshold t (a probability `>= t` is a positive) that maximizes F1
 * over the class's known labels (mask 1). F1 only changes where t passes a score, so the
 * best thresholds form intervals between consecutive distinct scores; the threshold returned
 * is the middle of the best interval (adjacent best intervals count as one), not its edge, so
 * a score a little off the training ones still lands on the same side. When several separate
 * intervals tie, the middle one of them is taken (the lower of the two middle ones for an
 * even count). Below the lowest score the interval reaches down to 0.
 *
 * A class with no known positive keeps 0.5: its F1 is 0 whatever the threshold.
 */
export function tuneThresholds(probs: Tensor, y: Tensor, mask?: Tensor | null): Float64Array {
  const {
    rows,
    classes,
    s: scores,
    t: targets,
    m,
  } = checkMetricInputs('tuneThresholds', probs, y, mask);
  const thresholds = new Float64Array(classes).fill(DEFAULT_THRESHOLD);
  for (let c = 0; c < classes; c++) {
    const s: number[] = [];
    const t: number[] = [];
    for (let i = 0; i < rows; i++) {
      const k = i * classes + c;
      if (m !== null && m[k] === 0) continue;
      s.push(scores[k]);
      t.push(targets[k]);
    }
    const best = bestThreshold(s, t);
    if (best !== null) thresholds[c] = best;
  }
  return thresholds;
}

/** The F1-best threshold of one class's known scores and 0/1 targets, or null with no positive. */
function bestThreshold(scores: number[], targets: number[]): number | null {
  const positives = targets.reduce((a, b) => a + b, 0);
  if (positives === 0) return null;
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  // Groups of equal scores, highest first; cut k predicts the first k groups positive.
  const groupScore: number[] = [];
  const tpAt: number[] = [0];
  const predictedAt: number[] = [0];
  for (let i = 0; i < order.length;) {
    const v = scores[order[i]];
    let tp = tpAt[tpAt.length - 1];
    let predicted = predictedAt[predictedAt.length - 1];
    while (i < order.length && scores[order[i]] === v) {
      tp += targets[order[i]];
      predicted++;
      i++;
    }
    groupScore.push(v);
    tpAt.push(tp);
    predictedAt.push(predicted);
  }
  // F1 = 2 TP / (positives + predicted); compared exactly by cross-multiplying integers.
  const better = (a: number, b: number) =>
    tpAt[a] * (positives + predictedAt[b]) - tpAt[b] * (positives + predictedAt[a]);
  const groups = groupScore.length;
  let bestCuts: number[] = [1];
  for (let k = 2; k <= groups; k++) {
    const d = better(k, bestCuts[0]);
    if (d > 0) bestCuts = [k];
    else if (d === 0) bestCuts.push(k);
  }
  // Runs of adjacent best cuts are one interval of thresholds.
  const runs: [number, number][] = [];
  for (const k of bestCuts) {
    const last = runs[runs.length - 1];
    if (last && last[1] === k - 1) last[1] = k;
    else runs.push([k, k]);
  }
  // Cuts a..b: thresholds in (score of group b+1, score of group a]; runs are in descending
  // threshold order, so the lower middle one is at index floor(runs / 2).
  const [a, b] = runs[Math.floor(runs.length / 2)];
  const upper = groupScore[a - 1];
  const lower = b < groups ? groupScore[b] : Math.min(0, upper);
  const middle = (upper + lower) / 2;
  return middle > lower || b === groups ? middle : upper;
}

/** 0/1 decisions [N, C]: 1 where `probs[i, c] >= thresholds[c]`. */
export function applyThresholds(probs: Tensor, thresholds: ArrayLike<number>): Tensor {
  if (!(probs instanceof Tensor) || probs.shape.length !== 2) {
    throw new MaskgradError(
      `applyThresholds: probs must be a Tensor of shape [N,C], got ${describeValue(probs)}`,
    );
  }
  const [rows, classes] = probs.shape;
  const list =
    thresholds !== null && typeof thresholds === 'object'
      ? (thresholds as ArrayLike<unknown>)
      : null;
  let bad = list === null || list.length !== classes ? -1 : 0;
  for (let c = 0; list !== null && bad === 0 && c < classes; c++) {
    if (typeof list[c] !== 'number' || Number.isNaN(list[c])) bad = c + 1;
  }
  if (bad !== 0) {
    throw new MaskgradError(
      `applyThresholds: thresholds must be an array of ${classes} numbers (one per class of probs ${formatShape(probs.shape)}), ` +
        (bad < 0
          ? `got ${describeValue(thresholds)}`
          : `got ${describeValue(list![bad - 1])} at index ${bad - 1}`),
    );
  }
  const out = new Float64Array(rows * classes);
  for (let i = 0; i < out.length; i++) out[i] = probs.data[i] >= thresholds[i % classes] ? 1 : 0;
  return new Tensor(out, [rows, classes]);
}
