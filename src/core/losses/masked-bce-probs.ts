import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss } from './define-masked-loss';
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
import * as math from '../math';

const FN = 'maskedBinaryCrossEntropy';
/** PyTorch's BCELoss clamps each log at -100 so that p = 0 or 1 gives a finite loss. */
const LOG_FLOOR = -100;
/** PyTorch's BCELoss backward divides by max(p (1 - p), 1e-12). */
const GRAD_EPS = 1e-12;

interface Attrs {
  reduction: Reduction;
  hasMask: boolean;
}

/**
 * On the shared skeleton, with the probabilities q in the logits' place: an observed
 * entry has weights y and 1 - y (they add up to 1, which the kernel's derivative uses).
 */
const maskedBceProbsOp = defineMaskedLoss<Attrs>({
  name: FN,
  weigh([q, y, m], { reduction, hasMask }, { pos, neg }) {
    checkObservedTargets(FN, y.data, hasMask ? m.data : null, q.shape);
    let count = 0;
    for (let i = 0; i < q.data.length; i++) {
      if (m.data[i] === 0) continue;
      const qi = q.data[i];
      if (!(qi >= 0 && qi <= 1)) {
        throw new MaskgradError(
          `${FN}: probabilities must lie in [0, 1] where observed; found ${qi} at ${formatIndex(i, q.shape)}`,
        );
      }
      pos[i] = y.data[i];
      neg[i] = 1 - y.data[i];
      count++;
    }
    return reduction === 'mean' ? count : 1;
  },
  // -(y log q + (1 - y) log(1 - q)), each log clamped at -100; the derivative
  // (q - y) / max(q (1 - q), 1e-12), as PyTorch's BCELoss.
  entry(q, y, notY, _attrs, out) {
    out[0] = -(y * Math.max(math.log(q), LOG_FLOOR) + notY * Math.max(math.log1p(-q), LOG_FLOOR));
    out[1] = (q - y) / Math.max(q * (1 - q), GRAD_EPS);
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
