import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss, softplus } from './define-masked-loss';
import { choiceOption, MaskLike, missingLabelArguments, numberOption } from './validate';
import * as math from '../math';

const FN = 'hillLoss';

export interface HillLossOptions {
  /** lambda of the negatives' Hill term (lambda - p) p^2. Default 1.5. */
  lambda?: number;
  /** Logit margin of the positives: their term is taken at z - margin. Default 1. */
  margin?: number;
  /** Focusing exponent of the positives, >= 0. Default 2. */
  gamma?: number;
  /** 'sum' (default, the authors' code) or 'mean' (over the B C entries). */
  reduction?: 'sum' | 'mean';
}

interface Attrs {
  lambda: number;
  margin: number;
  gamma: number;
}

/**
 * The focal positive term of Hill and SPLC at x (the logit, shifted by a margin or not):
 * `sigmoid(-x)^gamma * softplus(-x)`, the focal weight differentiated too, added to out
 * times `weight`. Its derivative: `-qs^gamma (gamma ps softplus(-x) + qs)`.
 */
export function focalPositive(x: number, weight: number, gamma: number, out: Float64Array): void {
  const e = math.exp(-Math.abs(x));
  const ps = x >= 0 ? 1 / (1 + e) : e / (1 + e);
  const qs = x >= 0 ? e / (1 + e) : 1 / (1 + e);
  const nlp = softplus(-x); // -log sigmoid(x)
  const focal = math.exp(-gamma * softplus(x)); // qs^gamma, from its log -softplus(x)
  out[0] += weight * focal * nlp;
  out[1] -= weight * focal * (gamma * ps * nlp + qs);
}

const hillOp = defineMaskedLoss<Attrs & { divisor: number }>({
  name: FN,
  weigh([z, y, m], { divisor }, { pos, neg }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] === 0) {
        neg[i] = 1;
      } else {
        pos[i] = y.data[i];
        neg[i] = 1 - y.data[i];
      }
    }
    return divisor;
  },
  // positive: focal BCE at z - margin; otherwise (lambda - p) p^2, derivative (2 lambda p - 3 p^2) p q.
  entry(z, pos, neg, { lambda, margin, gamma }, out) {
    out[0] = 0;
    out[1] = 0;
    if (pos !== 0) focalPositive(z - margin, pos, gamma, out);
    if (neg !== 0) {
      const e = math.exp(-Math.abs(z));
      const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      const q = z >= 0 ? e / (1 + e) : 1 / (1 + e);
      out[0] += neg * (lambda - p) * p * p;
      out[1] += neg * (2 * lambda * p - 3 * p * p) * p * q;
    }
  },
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0], requiresGrad: false },
        { shape: [4], values: [1, 0, 1, 1], requiresGrad: false },
      ],
      attrs: { lambda: 1.5, margin: 1, gamma: 2, divisor: 1 },
      note: 'a per-class mask [C], broadcast',
    },
    {
      inputs: [
        { shape: [2, 3], values: [-3, 2.5, 0.4, 4, -1.2, 0.1] },
        { shape: [2, 3], values: [1, 0.3, 0, 1, 1, 0], requiresGrad: false },
        { shape: [2, 3], values: [1, 1, 0, 1, 1, 1], requiresGrad: false },
      ],
      attrs: { lambda: 1, margin: 0.5, gamma: 1, divisor: 6 },
      note: 'mean, a soft target, gamma 1',
    },
  ],
});

/**
 * Hill loss (Zhang et al., 2021, as their code): an observed positive costs
 * `sigmoid(-x)^gamma * (-log sigmoid(x))` at `x = z - margin`, any other entry (an observed
 * negative or an unknown) `(lambda - p) p^2` with `p = sigmoid(z)`; summed (`'sum'`) or
 * divided by B C (`'mean'`). Uses every logit, and the targets where the mask is 1.
 */
export function hillLoss(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: HillLossOptions = {},
): Tensor {
  checkOptions(FN, options, ['lambda', 'margin', 'gamma', 'reduction']);
  const lambda = numberOption(FN, options, 'lambda', 1.5, 'finite');
  const margin = numberOption(FN, options, 'margin', 1, 'finite');
  const gamma = numberOption(FN, options, 'gamma', 2, 'nonNegative');
  const reduction = choiceOption(FN, options, 'reduction', ['sum', 'mean'] as const);
  const args = missingLabelArguments(FN, logits, targets, mask);
  const divisor = reduction === 'sum' ? 1 : args.rows * args.classes;
  return hillOp([args.logits, args.targets, args.mask], { lambda, margin, gamma, divisor });
}
