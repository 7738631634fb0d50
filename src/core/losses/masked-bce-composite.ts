import { add, mul, sub } from '../ops/arithmetic';
import { softplus } from '../ops/activations';
import { where } from '../ops/compare';
import { defineComposite } from '../ops/define';
import { sum } from '../ops/reduce';
import { NestedArray, Tensor } from '../tensor';
import { MaskedBceOptions } from './masked-bce';
import { checkObservedTargets, expandMask, MaskLike, maskedBceArguments } from './validate';

const FN = 'maskedBinaryCrossEntropyWithLogitsComposite';

/**
 * The masked loss built from primitive ops, for reading. The masked entries are
 * selected away (where) *before* any exp or log, so a NaN or Infinity there never
 * enters the arithmetic; selecting only at the end would let it in through the
 * gradient (0 * NaN is NaN).
 */
const compositeOp = defineComposite<{ reduction: 'mean' | 'sum' | 'none' }>({
  name: FN,
  kind: 'loss',
  compute([logits, targets, mask, posWeight], { reduction }) {
    const z = where(mask, logits, 0);
    const y = where(mask, targets, 0);
    // l = (1 - y) z + (1 + (p - 1) y) softplus(-z), PyTorch's formula with pos_weight p.
    const weight = add(mul(sub(posWeight, 1), y), 1);
    const perEntry = add(mul(sub(1, y), z), mul(weight, softplus(z.neg())));
    const selected = where(mask, perEntry, 0);
    if (reduction === 'none') return selected;
    const total = sum(selected);
    if (reduction === 'sum') return total;
    const count = expandMask(mask, logits.shape).reduce((n, v) => n + v, 0);
    return total.div(Math.max(count, 1));
  },
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], low: 0, high: 1, requiresGrad: false },
        { shape: [3, 4], values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1], requiresGrad: false },
        { shape: [4], values: [1, 2, 0.5, 3], requiresGrad: false },
      ],
      attrs: { reduction: 'mean' },
      note: 'some entries masked, with posWeight',
    },
  ],
});

/**
 * Same value and gradients as maskedBinaryCrossEntropyWithLogits, composed from
 * where, softplus, mul, add and sum instead of one fused node. Slower; here to be read
 * and to check the fused node against (on finite logits: at an observed infinite logit
 * it follows PyTorch's formula, whose (1 - y) z is NaN at y = 1, where the fused node
 * gives the limit).
 */
export function maskedBinaryCrossEntropyWithLogitsComposite(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: MaskedBceOptions = {},
): Tensor {
  const args = maskedBceArguments(FN, logits, targets, mask, options);
  const m = args.mask ?? new Tensor(new Float64Array([1]), []);
  checkObservedTargets(
    FN,
    args.targets.data,
    args.mask && expandMask(args.mask, logits.shape),
    logits.shape,
  );
  return compositeOp([logits, args.targets, m, args.posWeight], { reduction: args.reduction });
}
