import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { defineOp } from '../ops/define';
import { NestedArray, Tensor } from '../tensor';
import {
  checkInputTensor,
  checkObservedTargets,
  checkReduction,
  formatIndex,
  MaskLike,
  maskTensor,
  Reduction,
  targetsTensor,
} from './validate';

const FN = 'maskedBinaryCrossEntropy';
/** PyTorch's BCELoss clamps each log at -100 so that p = 0 or 1 gives a finite loss. */
const LOG_FLOOR = -100;
/** PyTorch's BCELoss backward divides by max(p (1 - p), 1e-12). */
const GRAD_EPS = 1e-12;

interface Attrs {
  reduction: Reduction;
  hasMask: boolean;
}

const maskedBceProbsOp = defineOp<Attrs, { count: number }>({
  name: FN,
  kind: 'loss',
  broadcast: true,
  nonDifferentiable: [1, 2],
  forward([q, y, m], { reduction, hasMask }) {
    checkObservedTargets(FN, y.data, hasMask ? m.data : null, q.shape);
    const n = q.data.length;
    const perEntry = reduction === 'none' ? new Float64Array(n) : null;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (m.data[i] === 0) continue;
      const qi = q.data[i];
      if (!(qi >= 0 && qi <= 1)) {
        throw new MaskgradError(
          `${FN}: probabilities must lie in [0, 1] where observed; found ${qi} at ${formatIndex(i, q.shape)}`,
        );
      }
      const yi = y.data[i];
      const l = -(
        yi * Math.max(Math.log(qi), LOG_FLOOR) +
        (1 - yi) * Math.max(Math.log1p(-qi), LOG_FLOOR)
      );
      if (perEntry) perEntry[i] = l;
      sum += l;
      count++;
    }
    if (perEntry) return { data: perEntry, shape: q.shape.slice(), saved: { count } };
    const value = reduction === 'sum' ? sum : count === 0 ? 0 : sum / count;
    return { data: new Float64Array([value]), shape: [], saved: { count } };
  },
  // dl/dq = (q - y) / max(q (1 - q), 1e-12), as PyTorch's BCELoss; exactly 0 where masked.
  backward(g, { inputs: [q, y, m], attrs: { reduction }, saved: { count } }) {
    const n = q.data.length;
    const dq = new Float64Array(n);
    if (count === 0) return [dq, null, null];
    const scale = reduction === 'mean' ? g[0] / count : g[0];
    for (let i = 0; i < n; i++) {
      if (m.data[i] === 0) continue;
      const qi = q.data[i];
      const d = (qi - y.data[i]) / Math.max(qi * (1 - qi), GRAD_EPS);
      dq[i] = reduction === 'none' ? g[i] * d : scale * d;
    }
    return [dq, null, null];
  },
  samples: [
    {
      inputs: [
        { shape: [3, 4], low: 0.05, high: 0.95 },
        { shape: [3, 4], low: 0, high: 1, requiresGrad: false },
        { shape: [3, 4], values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1], requiresGrad: false },
      ],
      attrs: { reduction: 'mean', hasMask: true },
      note: 'some entries masked',
    },
    {
      inputs: [
        { shape: [2, 3], low: 0.05, high: 0.95 },
        { shape: [2, 3], values: [1, 0, 1, 0, 0, 1], requiresGrad: false },
        { shape: [3], values: [1, 1, 0], requiresGrad: false },
      ],
      attrs: { reduction: 'sum', hasMask: true },
      note: 'per-class mask',
    },
  ],
});

/**
 * Binary cross-entropy on probabilities q over the observed entries only (the numpy
 * function this project started from): -[y log q + (1 - y) log(1 - q)], each log
 * clamped at -100 like PyTorch's BCELoss, summed over m = 1 and divided by their number.
 * Prefer the logits version: it is stable where q rounds to 0 or 1.
 */
export function maskedBinaryCrossEntropy(
  probs: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: { reduction?: Reduction } = {},
): Tensor {
  checkInputTensor(FN, 'probs', probs);
  checkOptions(FN, options, ['reduction']);
  const reduction = checkReduction(FN, options.reduction ?? 'mean');
  const y = targetsTensor(FN, targets, probs.shape);
  const m = mask === undefined ? 1 : maskTensor(FN, mask, probs.shape);
  return maskedBceProbsOp([probs, y, m], { reduction, hasMask: mask !== undefined });
}
