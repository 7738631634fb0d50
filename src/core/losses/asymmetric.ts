import { stableSigmoid as sigmoid } from '../ops/activations';
import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss } from './define-masked-loss';
import { choiceOption, MaskLike, missingLabelArguments, numberOption } from './validate';
import * as math from '../math';

const FN = 'asymmetricLoss';

export interface AsymmetricLossOptions {
  /** Focusing exponent of the positives, >= 0. Default 0. */
  gammaPos?: number;
  /** Focusing exponent of the negatives, >= 0. Default 4. */
  gammaNeg?: number;
  /** Probability margin m of the negatives, in [0, 1]: pn = min(1 - p + m, 1). Default 0.05. */
  clip?: number;
  /** Floor of each probability before its log, in [0, 1). Default 1e-8. */
  eps?: number;
  /** 'ignore' (default): unknown entries add nothing; 'negative': they count as negatives. */
  unknown?: 'ignore' | 'negative';
}

interface Attrs {
  clip: number;
  eps: number;
}

/** pn = min(1 - p + clip, 1), the negatives' shifted probability (1 - p when clip is 0). */
function shiftedNegative(z: number, clip: number): number {
  const q = sigmoid(-z);
  return clip > 0 ? Math.min(q + clip, 1) : q;
}

/**
 * Input 3 is the focusing weight of each entry, computed by asymmetricLoss from the logits
 * as a constant; the op itself is `w (y l+(z) + (1 - y) l-(z))`, summed.
 */
const asymmetricOp = defineMaskedLoss<Attrs>({
  name: FN,
  weigh([z, y, m, w], _attrs, { pos, neg }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] === 0) continue;
      pos[i] = w.data[i] * y.data[i];
      neg[i] = w.data[i] * (1 - y.data[i]);
    }
    return 1;
  },
  // l+ = -log(max(p, eps)), l- = -log(max(pn, eps)); a clamped value has derivative 0.
  entry(z, pos, neg, { clip, eps }, out) {
    const p = sigmoid(z);
    const q = sigmoid(-z);
    let loss = 0;
    let slope = 0;
    if (pos !== 0) {
      loss -= pos * math.log(Math.max(p, eps));
      if (p >= eps) slope -= pos * q;
    }
    if (neg !== 0) {
      const pn = shiftedNegative(z, clip);
      loss -= neg * math.log(Math.max(pn, eps));
      if (pn >= eps && (clip === 0 || q + clip <= 1)) slope += (neg * p * q) / pn;
    }
    out[0] = loss;
    out[1] = slope;
  },
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0], requiresGrad: false },
        { shape: [3, 4], values: [1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1], requiresGrad: false },
        { shape: [3, 4], low: 0.2, high: 1, requiresGrad: false },
      ],
      attrs: { clip: 0.05, eps: 1e-8 },
      note: 'logits near 0, so no negative is clipped',
    },
    {
      inputs: [
        { shape: [2, 3], values: [-4, 2, 0.5, -3.5, 1, -0.3] },
        { shape: [2, 3], values: [0, 1, 0, 0, 0, 1], requiresGrad: false },
        { shape: [2, 3], values: [1, 1, 1, 1, 1, 1], requiresGrad: false },
        { shape: [2, 3], low: 0.2, high: 1, requiresGrad: false },
      ],
      attrs: { clip: 0.05, eps: 1e-8 },
      note: 'negatives at -4 and -3.5 clipped to pn = 1',
    },
  ],
});

/**
 * Asymmetric loss, ASL (Ridnik et al., ICCV 2021, as their code): with p = sigmoid(z) and
 * the shifted pn = min(1 - p + clip, 1), an entry costs
 * `-(y log(max(p, eps)) + (1 - y) log(max(pn, eps))) w`, where the focusing weight
 * `w = (1 - pt)^(gammaPos y + gammaNeg (1 - y))`, `pt = p y + pn (1 - y)`, is a constant
 * (no gradient flows through it); summed, not averaged. With `unknown: 'ignore'` it uses
 * the logits and targets where the mask is 1 only; with `'negative'` every logit, an
 * unknown entry counting as a negative.
 */
export function asymmetricLoss(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: AsymmetricLossOptions = {},
): Tensor {
  checkOptions(FN, options, ['gammaPos', 'gammaNeg', 'clip', 'eps', 'unknown']);
  const gammaPos = numberOption(FN, options, 'gammaPos', 0, 'nonNegative');
  const gammaNeg = numberOption(FN, options, 'gammaNeg', 4, 'nonNegative');
  const clip = numberOption(FN, options, 'clip', 0.05, 'unit');
  const eps = numberOption(FN, options, 'eps', 1e-8, 'belowOne');
  const unknown = choiceOption(FN, options, 'unknown', ['ignore', 'negative'] as const);
  const args = missingLabelArguments(FN, logits, targets, mask);
  const n = args.logits.size;
  const z = args.logits.data;
  const t = new Float64Array(n);
  const m = unknown === 'negative' ? new Float64Array(n).fill(1) : args.mask.data;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (m[i] === 0) continue;
    const y = args.mask.data[i] === 0 ? 0 : args.targets.data[i];
    const pt = sigmoid(z[i]) * y + shiftedNegative(z[i], clip) * (1 - y);
    t[i] = y;
    w[i] = math.pow(1 - pt, gammaPos * y + gammaNeg * (1 - y));
  }
  const shape = args.logits.shape;
  return asymmetricOp(
    [args.logits, new Tensor(t, shape), new Tensor(m, shape), new Tensor(w, shape)],
    { clip, eps },
  );
}
