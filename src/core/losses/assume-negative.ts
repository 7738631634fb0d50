import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss, epsilonBceEntry } from './define-masked-loss';
import { epsilonOption, MaskLike, missingLabelArguments, numberOption } from './validate';

const FN = 'assumeNegativeLoss';

export interface AssumeNegativeOptions {
  /** Label smoothing ls in [0, 1]: a target 1 counts as 1 - ls, a 0 as ls. Default 0 (AN-LS: 0.1). */
  labelSmoothing?: number;
  /** Weight of the unknown entries, >= 0. Default 1 (WAN: 1 / (C - 1)). */
  unknownWeight?: number;
  /** nl(x) = -log(x + epsilon) as Cole et al.'s code; 0 for the exact log. Default 1e-5. */
  epsilon?: number;
}

interface Attrs {
  labelSmoothing: number;
  unknownWeight: number;
  epsilon: number;
}

const assumeNegativeOp = defineMaskedLoss<Attrs>({
  name: FN,
  weigh([z, y, m], { labelSmoothing: ls, unknownWeight }, { pos, neg }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] === 0) {
        pos[i] = unknownWeight * ls;
        neg[i] = unknownWeight * (1 - ls);
      } else {
        const t = y.data[i];
        pos[i] = (1 - ls) * t + ls * (1 - t);
        neg[i] = (1 - ls) * (1 - t) + ls * t;
      }
    }
    return z.data.length;
  },
  entry: epsilonBceEntry,
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0], requiresGrad: false },
        { shape: [3, 4], values: [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0], requiresGrad: false },
      ],
      attrs: { labelSmoothing: 0.1, unknownWeight: 1 / 3, epsilon: 1e-5 },
      note: 'AN-LS and WAN at once',
    },
    {
      inputs: [
        [2, 3],
        { shape: [2, 3], values: [1, 0, 0, 0, 1, 0], requiresGrad: false },
        { shape: [2, 3], values: [1, 0, 0, 0, 1, 0], requiresGrad: false },
      ],
      attrs: { labelSmoothing: 0, unknownWeight: 1, epsilon: 0 },
      note: 'AN, exact log',
    },
  ],
});

/**
 * Assume negative (Cole et al., CVPR 2021): every unknown label is taken as a negative.
 * Entry loss, with p = sigmoid(z), nl(x) = -log(x + epsilon) and ls the label smoothing:
 * `(1 - ls) nl(p) + ls nl(1 - p)` at an observed positive, `(1 - ls) nl(1 - p) + ls nl(p)`
 * at an observed negative and, times `unknownWeight`, at an unknown entry; summed and
 * divided by B C. AN is the default, AN-LS `labelSmoothing: 0.1`, WAN
 * `unknownWeight: 1 / (C - 1)`. Uses every logit, and the targets where the mask is 1.
 */
export function assumeNegativeLoss(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: AssumeNegativeOptions = {},
): Tensor {
  checkOptions(FN, options, ['labelSmoothing', 'unknownWeight', 'epsilon']);
  const attrs: Attrs = {
    labelSmoothing: numberOption(FN, options, 'labelSmoothing', 0, 'unit'),
    unknownWeight: numberOption(FN, options, 'unknownWeight', 1, 'nonNegative'),
    epsilon: epsilonOption(FN, options),
  };
  const args = missingLabelArguments(FN, logits, targets, mask);
  return assumeNegativeOp([args.logits, args.targets, args.mask], attrs);
}
