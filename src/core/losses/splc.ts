import { stableSigmoid as sigmoid } from '../ops/activations';
import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss, softplus } from './define-masked-loss';
import { focalPositive } from './hill';
import { choiceOption, MaskLike, missingLabelArguments, numberOption } from './validate';
import * as math from '../math';

const FN = 'splcLoss';

export interface SplcLossOptions {
  /** The training epoch, counted from 0 as the authors' loop does. Required. */
  epoch?: number;
  /** The first epoch that takes confident unknowns as positives. Default 1. */
  changeEpoch?: number;
  /** An unknown entry with sigmoid(z) > tau becomes a positive. Default 0.6. */
  tau?: number;
  /** Logit margin of the observed positives. Default 1. */
  margin?: number;
  /** Focusing exponent, >= 0. Default 2. */
  gamma?: number;
  /** 'sum' (default, the authors' code) or 'mean' (over the B C entries). */
  reduction?: 'sum' | 'mean';
}

interface Attrs {
  /** Whether this epoch corrects (epoch >= changeEpoch). */
  correcting: boolean;
  tau: number;
  margin: number;
  gamma: number;
  divisor: number;
}

const splcOp = defineMaskedLoss<Attrs>({
  name: FN,
  // A pseudo-positive is an unknown entry chosen by its logit: a selection, no gradient.
  weigh([z, y, m], { correcting, tau, divisor }, { pos, neg, unknownPos }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] !== 0) {
        pos[i] = y.data[i];
        neg[i] = 1 - y.data[i];
      } else if (correcting && sigmoid(z.data[i]) > tau) {
        unknownPos[i] = 1;
      } else {
        neg[i] = 1;
      }
    }
    return divisor;
  },
  // positive: the focal term at z - margin; negative: p^gamma softplus(z), derivative
  // p^gamma (gamma q softplus(z) + p).
  entry(z, pos, neg, { margin, gamma }, out) {
    out[0] = 0;
    out[1] = 0;
    if (pos !== 0) focalPositive(z - margin, pos, gamma, out);
    if (neg !== 0) {
      const sp = softplus(z);
      const focal = math.exp(-gamma * softplus(-z)); // p^gamma
      out[0] += neg * focal * sp;
      out[1] += neg * focal * (gamma * sigmoid(-z) * sp + sigmoid(z));
    }
  },
  // a pseudo-positive: the focal term at z itself, without the margin.
  unknownEntry(z, weight, _neg, { gamma }, out) {
    out[0] = 0;
    out[1] = 0;
    focalPositive(z, weight, gamma, out);
  },
  samples: [
    {
      inputs: [
        { shape: [3, 4], values: [2, -1, 0.8, 3, -2, 1.5, -0.5, 0.2, 1, 2.5, -3, 0.6] },
        { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0], requiresGrad: false },
        { shape: [4], values: [1, 0, 1, 0], requiresGrad: false },
      ],
      attrs: { correcting: true, tau: 0.6, margin: 1, gamma: 2, divisor: 1 },
      note: 'a per-class mask [C], broadcast; unknowns above and below tau',
    },
    {
      inputs: [
        { shape: [2, 3], values: [-3, 2.5, 0.4, 4, -1.2, 0.1] },
        { shape: [2, 3], values: [1, 0.3, 0, 1, 1, 0], requiresGrad: false },
        { shape: [2, 3], values: [1, 1, 0, 1, 0, 1], requiresGrad: false },
      ],
      attrs: { correcting: false, tau: 0.6, margin: 0.5, gamma: 1, divisor: 6 },
      note: 'before the change epoch, mean, a soft target',
    },
  ],
});

/**
 * SPLC, self-paced loss correction (Zhang et al., 2021, as their code): an observed positive
 * costs `sigmoid(-x)^gamma * (-log sigmoid(x))` at `x = z - margin`; from epoch `changeEpoch`
 * on, an unknown entry with `sigmoid(z) > tau` is taken as a positive, at z itself (no
 * margin); every other entry costs the focal negative `p^gamma * (-log(1 - p))`. Summed
 * (`'sum'`) or divided by B C (`'mean'`). Only unknowns are corrected; observed negatives
 * stay negative. Uses every logit, and the targets where the mask is 1.
 */
export function splcLoss(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: SplcLossOptions = {},
): Tensor {
  checkOptions(FN, options, ['epoch', 'changeEpoch', 'tau', 'margin', 'gamma', 'reduction']);
  const epoch = numberOption(FN, options, 'epoch', undefined, 'nonNegative', ', counted from 0');
  const changeEpoch = numberOption(FN, options, 'changeEpoch', 1, 'nonNegative');
  const tau = numberOption(FN, options, 'tau', 0.6, 'unit');
  const margin = numberOption(FN, options, 'margin', 1, 'finite');
  const gamma = numberOption(FN, options, 'gamma', 2, 'nonNegative');
  const reduction = choiceOption(FN, options, 'reduction', ['sum', 'mean'] as const);
  const args = missingLabelArguments(FN, logits, targets, mask);
  const divisor = reduction === 'sum' ? 1 : args.rows * args.classes;
  return splcOp([args.logits, args.targets, args.mask], {
    correcting: epoch >= changeEpoch,
    tau,
    margin,
    gamma,
    divisor,
  });
}
