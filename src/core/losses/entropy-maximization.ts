import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss, epsilonBceEntry, EntryKernel, softplus } from './define-masked-loss';
import { epsilonOption, MaskLike, missingLabelArguments, numberOption } from './validate';
import * as math from '../math';

const FN = 'entropyMaximizationLoss';

export interface EntropyMaximizationOptions {
  /** Weight of the unknown entries' entropy, >= 0. Default 0.2 (the authors' pascal value). */
  alpha?: number;
  /** nl(x) = -log(x + epsilon) as the authors' code; 0 for the exact log. Default 1e-5. */
  epsilon?: number;
}

interface Attrs {
  epsilon: number;
}

/**
 * `-weight * H(p)` at an unknown entry, the entropy `H = p nl(p) + q nl(q)` with
 * `nl(x) = -log(x + epsilon)` (softplus forms at epsilon 0). Its derivative:
 * `weight p q (log(p + e) + p/(p + e) - log(q + e) - q/(q + e))`, or `weight p q z` at e = 0.
 */
export const negativeEntropyEntry: EntryKernel<{ epsilon: number }> = (
  z,
  weight,
  _neg,
  { epsilon },
  out,
) => {
  const e = math.exp(-Math.abs(z));
  const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
  const q = z >= 0 ? e / (1 + e) : 1 / (1 + e);
  if (epsilon === 0) {
    // p softplus(-z) -> 0 as p -> 0 (and likewise q): at an infinite logit 0 * Infinity is NaN.
    out[0] = -weight * ((p === 0 ? 0 : p * softplus(-z)) + (q === 0 ? 0 : q * softplus(z)));
    out[1] = p * q === 0 ? 0 : weight * p * q * z;
  } else {
    const logP = math.log(p + epsilon);
    const logQ = math.log(q + epsilon);
    out[0] = weight * (p * logP + q * logQ);
    out[1] = weight * p * q * (logP + p / (p + epsilon) - logQ - q / (q + epsilon));
  }
};

const entropyMaximizationOp = defineMaskedLoss<Attrs & { alpha: number }>({
  name: FN,
  weigh([z, y, m], { alpha }, { pos, neg, unknownPos }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] === 0) {
        unknownPos[i] = alpha;
      } else {
        pos[i] = y.data[i];
        neg[i] = 1 - y.data[i];
      }
    }
    return z.data.length;
  },
  entry: epsilonBceEntry,
  unknownEntry: negativeEntropyEntry,
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0], requiresGrad: false },
        { shape: [4], values: [1, 0, 1, 0], requiresGrad: false },
      ],
      attrs: { alpha: 0.2, epsilon: 1e-5 },
      note: 'a per-class mask [C], broadcast',
    },
    {
      inputs: [
        { shape: [2, 3], values: [-3, 2.5, 0.4, 4, -1.2, 0.1] },
        { shape: [2, 3], values: [1, 0.3, 0, 1, 1, 0], requiresGrad: false },
        { shape: [2, 3], values: [1, 1, 0, 0, 1, 0], requiresGrad: false },
      ],
      attrs: { alpha: 1, epsilon: 0 },
      note: 'exact log, a soft target',
    },
  ],
});

/**
 * Entropy maximization, EM (Zhou et al., ECCV 2022, as their code): with p = sigmoid(z) and
 * nl(x) = -log(x + epsilon), an observed positive costs nl(p), an observed negative nl(1 - p),
 * an unknown entry `-alpha H(p)`, minus alpha times its entropy
 * `H = p nl(p) + (1 - p) nl(1 - p)`; summed and divided by B C. Minimising it pushes the
 * unknowns' predictions away from certainty. Uses every logit, and the targets where the
 * mask is 1.
 */
export function entropyMaximizationLoss(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: EntropyMaximizationOptions = {},
): Tensor {
  checkOptions(FN, options, ['alpha', 'epsilon']);
  const alpha = numberOption(FN, options, 'alpha', 0.2, 'nonNegative');
  const epsilon = epsilonOption(FN, options);
  const args = missingLabelArguments(FN, logits, targets, mask);
  return entropyMaximizationOp([args.logits, args.targets, args.mask], { alpha, epsilon });
}
