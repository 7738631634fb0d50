import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss, exactBceEntry } from './define-masked-loss';
import { MaskLike, missingLabelArguments, numberOption } from './validate';
import { pow } from '../math';

const FN = 'partialBinaryCrossEntropy';

export interface PartialBceOptions {
  /** g(q) = alpha q^gamma + beta, with q the share of a row's labels that are known. Default -4.45. */
  alpha?: number;
  /** Default 5.45 (so that g(1) = 1). */
  beta?: number;
  /** Default 1. */
  gamma?: number;
}

interface Attrs {
  alpha: number;
  beta: number;
  gamma: number;
}

const partialBceOp = defineMaskedLoss<Attrs>({
  name: FN,
  weigh([z, y, m], { alpha, beta, gamma }, { pos, neg }) {
    const [rows, classes] = z.shape;
    for (let r = 0; r < rows; r++) {
      let known = 0;
      for (let i = r * classes; i < (r + 1) * classes; i++) if (m.data[i] !== 0) known++;
      if (known === 0) continue;
      const weight = (alpha * pow(known / classes, gamma) + beta) / classes;
      for (let i = r * classes; i < (r + 1) * classes; i++) {
        if (m.data[i] === 0) continue;
        pos[i] = weight * y.data[i];
        neg[i] = weight * (1 - y.data[i]);
      }
    }
    return rows;
  },
  entry: exactBceEntry,
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0], requiresGrad: false },
        { shape: [3, 4], values: [1, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1], requiresGrad: false },
      ],
      attrs: { alpha: -4.45, beta: 5.45, gamma: 1 },
      note: 'one row with nothing known',
    },
  ],
});

/**
 * Partial binary cross-entropy (Durand et al., CVPR 2019): each row's loss is the exact
 * binary cross-entropy from logits summed over its known entries, times `g(q) / C`, where
 * q is the share of the row's C labels that are known and g(q) = alpha q^gamma + beta
 * (with the defaults, g(1) = 1 and g grows as labels go missing); the mean over the B rows.
 * A row with nothing known adds 0. Uses the logits and targets where the mask is 1 only.
 */
export function partialBinaryCrossEntropy(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: PartialBceOptions = {},
): Tensor {
  checkOptions(FN, options, ['alpha', 'beta', 'gamma']);
  const attrs: Attrs = {
    alpha: numberOption(FN, options, 'alpha', -4.45, 'finite'),
    beta: numberOption(FN, options, 'beta', 5.45, 'finite'),
    gamma: numberOption(FN, options, 'gamma', 1, 'finite'),
  };
  const args = missingLabelArguments(FN, logits, targets, mask);
  return partialBceOp([args.logits, args.targets, args.mask], attrs);
}
