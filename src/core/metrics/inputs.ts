import { MaskgradError } from '../errors';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';

/** Scores, targets and mask of a metric call, checked: [N, C], and the flat arrays. */
export interface MetricInputs {
  rows: number;
  classes: number;
  /** The scores', targets' and mask's data; m is null when no mask was given (all observed). */
  s: Float64Array;
  t: Float64Array;
  m: Float64Array | null;
}

const shapeText = (t: Tensor) => formatShape(t.shape);

/**
 * Checks the shapes ([N, C], all equal) and, at observed entries, that targets are 0 or 1
 * and scores are not NaN; the mask must hold only 0 and 1. Masked entries may hold anything.
 */
export function checkMetricInputs(
  where: string,
  scores: Tensor,
  targets: Tensor,
  mask: Tensor | undefined | null,
): MetricInputs {
  if (!(scores instanceof Tensor) || !(targets instanceof Tensor)) {
    throw new MaskgradError(`${where}: scores and targets must be Tensors of shape [N,C]`);
  }
  if (scores.shape.length !== 2) {
    throw new MaskgradError(`${where}: scores must have shape [N,C], got ${shapeText(scores)}`);
  }
  if (
    targets.shape.length !== 2 ||
    targets.shape[0] !== scores.shape[0] ||
    targets.shape[1] !== scores.shape[1]
  ) {
    throw new MaskgradError(
      `${where}: scores ${shapeText(scores)} and targets ${shapeText(targets)} must have the same shape [N,C]`,
    );
  }
  if (mask !== undefined && mask !== null) {
    if (!(mask instanceof Tensor))
      throw new MaskgradError(`${where}: mask must be a Tensor of shape [N,C]`);
    if (
      mask.shape.length !== 2 ||
      mask.shape[0] !== scores.shape[0] ||
      mask.shape[1] !== scores.shape[1]
    ) {
      throw new MaskgradError(
        `${where}: mask ${shapeText(mask)} must have the shape of scores ${shapeText(scores)} and targets ${shapeText(targets)}`,
      );
    }
  }
  const [rows, classes] = scores.shape;
  const s = scores.data;
  const t = targets.data;
  const m = mask ? mask.data : null;
  for (let i = 0; i < s.length; i++) {
    if (m !== null) {
      const mi = m[i];
      if (mi === 0) continue;
      if (mi !== 1) {
        throw new MaskgradError(
          `${where}: mask[${Math.floor(i / classes)},${i % classes}] is ${mi}; expected 0 (ignore) or 1 (observed)`,
        );
      }
    }
    const ti = t[i];
    if (ti !== 0 && ti !== 1) {
      throw new MaskgradError(
        `${where}: targets[${Math.floor(i / classes)},${i % classes}] is ${ti}; expected 0 or 1 (mask out unknown entries)`,
      );
    }
    if (Number.isNaN(s[i])) {
      throw new MaskgradError(
        `${where}: scores[${Math.floor(i / classes)},${i % classes}] is NaN; expected a number`,
      );
    }
  }
  return { rows, classes, s, t, m };
}
