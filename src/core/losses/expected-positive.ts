import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss, epsilonBceEntry, expectedPositivePenalty } from './define-masked-loss';
import { asTensor, epsilonOption, MaskLike, missingLabelArguments, numberOption } from './validate';

const FN = 'expectedPositiveLoss';

export interface ExpectedPositiveOptions {
  /** k, the expected number of positive labels per row: finite, >= 0. Required. */
  expectedPositives?: number;
  /** nl(x) = -log(x + epsilon) as Cole et al.'s code; 0 for the exact log. Default 1e-5. */
  epsilon?: number;
}

interface Attrs {
  expectedPositives: number;
  epsilon: number;
}

const expectedPositiveOp = defineMaskedLoss<Attrs>({
  name: FN,
  weigh([z, y, m], _attrs, { pos, neg }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] === 0) continue;
      pos[i] = y.data[i];
      neg[i] = 1 - y.data[i];
    }
    return z.data.length;
  },
  entry: epsilonBceEntry,
  extra: (z, { expectedPositives }, slope) =>
    expectedPositivePenalty(z, expectedPositives, 1, slope),
  samples: [
    {
      inputs: [
        [4, 3],
        { shape: [4, 3], values: [1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1], requiresGrad: false },
        { shape: [4, 3], values: [1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1], requiresGrad: false },
      ],
      attrs: { expectedPositives: 1.3, epsilon: 1e-5 },
    },
  ],
});

/**
 * Expected positive regularization, EPR (Cole et al., CVPR 2021): binary cross-entropy at
 * the observed entries (nl(p) at a positive, nl(1 - p) at a negative, with
 * nl(x) = -log(x + epsilon)), summed and divided by B C, plus
 * `((1/B) sum_n sum_c p_nc - k)^2 / C^2`, which pulls the predicted number of positives
 * per row towards k = `expectedPositives`. Uses every logit (the penalty does), and the
 * targets where the mask is 1.
 */
export function expectedPositiveLoss(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: ExpectedPositiveOptions = {},
): Tensor {
  checkOptions(FN, options, ['expectedPositives', 'epsilon']);
  const attrs: Attrs = {
    expectedPositives: expectedPositivesOption(FN, options),
    epsilon: epsilonOption(FN, options),
  };
  const args = missingLabelArguments(FN, logits, targets, mask);
  return expectedPositiveOp([args.logits, args.targets, args.mask], attrs);
}

/** The required `expectedPositives` option of EPR and ROLE: a finite number >= 0. */
export function expectedPositivesOption(fn: string, options: object): number {
  return numberOption(
    fn,
    options,
    'expectedPositives',
    undefined,
    'nonNegative',
    ', the expected positive labels per row',
  );
}

/**
 * An estimate of the expected number of positive labels per row from partly observed
 * labels: for each row with at least one known label, its known positives divided by
 * the share of its labels that are known; the mean over those rows. Right when labels go
 * missing at random; when only positives are observed (one known positive per row) it
 * returns C, so there take the mean from fully labelled data instead.
 */
export function estimateExpectedPositives(
  targets: Tensor | NestedArray,
  mask: Tensor | NestedArray,
): number {
  const where = 'estimateExpectedPositives';
  const y = asTensor(where, 'targets', targets);
  const m = asTensor(where, 'mask', mask);
  if (y.shape.length !== 2 || m.shape.join() !== y.shape.join()) {
    throw new MaskgradError(
      `${where}: targets and mask must both have shape [N, C], got [${y.shape}] and [${m.shape}]`,
      { code: 'ERR_SHAPE' },
    );
  }
  const [rows, classes] = y.shape;
  let total = 0;
  let counted = 0;
  for (let r = 0; r < rows; r++) {
    let known = 0;
    let positives = 0;
    for (let c = r * classes; c < (r + 1) * classes; c++) {
      if (m.data[c] === 0) continue;
      known++;
      positives += y.data[c];
    }
    if (known === 0) continue;
    total += (positives * classes) / known;
    counted++;
  }
  if (counted === 0) {
    throw new MaskgradError(
      `${where}: no row has a known label, so there is nothing to estimate from`,
    );
  }
  return total / counted;
}
