import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss, exactBceEntry } from './define-masked-loss';
import { checkObservedTargets, MaskLike, maskedBceArguments, Reduction } from './validate';

export interface MaskedBceOptions {
  /** 'mean' (default): sum over observed entries / their number. 'sum', or 'none' (masked entries 0). */
  reduction?: Reduction;
  /** Weight of positive targets, one per class (the last axis), as PyTorch's pos_weight. */
  posWeight?: Tensor | number[] | number;
}

interface Attrs {
  reduction: Reduction;
  hasMask: boolean;
}

const FN = 'maskedBinaryCrossEntropyWithLogits';

/**
 * The fused masked loss, on the shared skeleton. Inputs: logits z, targets y, mask m,
 * posWeight p, broadcast to the logits' shape. An observed entry charges
 * `p y softplus(-z) + (1 - y) softplus(z)` (PyTorch's formula rearranged), with
 * derivative `(1 - y) sigmoid(z) - p y sigmoid(-z)`; a masked entry gets weights 0 and 0,
 * so whatever z and y hold there (NaN, Infinity) reaches neither the loss nor a gradient.
 */
const maskedBceOp = defineMaskedLoss<Attrs>({
  name: FN,
  weigh([z, y, m, p], { reduction, hasMask }, { pos, neg }) {
    checkObservedTargets(FN, y.data, hasMask ? m.data : null, z.shape);
    let count = 0;
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] === 0) continue;
      const yi = y.data[i];
      pos[i] = p.data[i] * yi;
      neg[i] = 1 - yi;
      count++;
    }
    return reduction === 'mean' ? count : 1;
  },
  entry: exactBceEntry,
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], low: 0, high: 1, requiresGrad: false },
        { shape: [3, 4], values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1], requiresGrad: false },
        { shape: [], values: [1], requiresGrad: false },
      ],
      attrs: { reduction: 'mean', hasMask: true },
      note: 'some entries masked',
    },
    {
      inputs: [
        [2, 3],
        { shape: [2, 3], values: [1, 0, 1, 0, 0, 1], requiresGrad: false },
        { shape: [3], values: [1, 0, 1], requiresGrad: false },
        { shape: [3], values: [2, 0.5, 3], requiresGrad: false },
      ],
      attrs: { reduction: 'sum', hasMask: true },
      note: 'per-class mask and posWeight broadcast over rows',
    },
    {
      inputs: [
        [2, 3],
        { shape: [2, 3], low: 0, high: 1, requiresGrad: false },
        { shape: [2, 3], values: [0, 1, 1, 1, 1, 0], requiresGrad: false },
        { shape: [], values: [1], requiresGrad: false },
      ],
      attrs: { reduction: 'none', hasMask: true },
      note: "reduction 'none'",
    },
  ],
});

/**
 * Binary cross-entropy from logits over the observed entries only: with mask m
 * (1 observed, 0 unknown), loss = sum over m=1 of l(z, y) / (number of m=1), where
 * l = max(z,0) - z y + log(1 + exp(-|z|)). Unknown entries add nothing to the loss
 * and exactly 0 to every gradient: dL/dz = m (sigmoid(z) - y) / nObserved.
 * No observed entry at all gives loss 0 and zero gradients.
 *
 * The gradient is computed as `(1 - y) sigmoid(z) - y sigmoid(-z)`, which at y = 0 or 1
 * is one term, never a cancelling difference: at y = 1 and z = 40 it is -sigmoid(-40),
 * about -4.2e-18, not 0. An observed infinite logit gives the limit as z goes to
 * +-Infinity: where the prediction is right (z = +Infinity with y = 1, z = -Infinity with
 * y = 0) the entry's loss and gradient are 0 (PyTorch's formula gives NaN there); where it
 * is wrong, or y lies strictly between 0 and 1, the loss is Infinity and the gradient the
 * finite limit of `sigmoid(z) - y` (+1 or -1 at a 0/1 target). A NaN logit gives NaN.
 *
 * ```ts
 * const loss = maskedBinaryCrossEntropyWithLogits(logits, targets, mask);
 * loss.backward();
 * ```
 */
export function maskedBinaryCrossEntropyWithLogits(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: MaskedBceOptions = {},
): Tensor {
  const args = maskedBceArguments(FN, logits, targets, mask, options);
  return maskedBceOp([logits, args.targets, args.mask ?? 1, args.posWeight], {
    reduction: args.reduction,
    hasMask: args.mask !== null,
  });
}
