import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss, exactBceEntry } from './define-masked-loss';
import { choiceOption, MaskLike, missingLabelArguments, numberOption } from './validate';
import * as math from '../math';

const FN = 'propensityWeightedBce';

export type PropensityEstimator = 'pw' | 'upperBound' | 'unbiased';

export interface InversePropensityOptions {
  /** N, the number of training rows: an integer >= 3 (so that ln N > 1). Required. */
  numRows: number;
  /** The observed positives of each label over the training set: integers from 0 to N. Required. */
  labelCounts: readonly number[];
  /** a of the propensity model, >= 0. Default 0.55. */
  A?: number;
  /** b of the propensity model, >= 0. Default 1.5. */
  B?: number;
}

export interface PropensityWeightedOptions extends Partial<InversePropensityOptions> {
  /** 'pw' (default): PWXMC's normalised weights; 'upperBound': 2/p - 1; 'unbiased': the unbiased estimator. */
  estimator?: PropensityEstimator;
}

/** Each label's inverse propensity and the positive weights made from it. */
export interface InversePropensities {
  /** r_l = 1/p_l = 1 + (ln N - 1)(b + 1)^a (n_l + b)^-a, with n_l = 1 where the count is 0. */
  invPropensity: number[];
  /** 2 r_l - 1, the weights of 'upperBound'. */
  upperBoundWeights: number[];
  /** The upper-bound weights divided by their sum and times C (they average 1), the weights of 'pw'. */
  pwWeights: number[];
}

/** The checked numRows, labelCounts, A and B of `fn`. */
function propensityOptions(fn: string, options: Partial<InversePropensityOptions>) {
  const N = options.numRows;
  if (!Number.isInteger(N) || (N as number) < 3) {
    throw new MaskgradError(
      N === undefined
        ? `${fn}: option 'numRows' is required (an integer >= 3, the training rows)`
        : `${fn}: numRows = ${describeValue(N)} is out of range: must be an integer >= 3 (the training rows, so that ln N > 1)`,
    );
  }
  const counts = options.labelCounts;
  if (!Array.isArray(counts) || counts.length === 0) {
    throw new MaskgradError(
      counts === undefined
        ? `${fn}: option 'labelCounts' is required (the observed positives of each label)`
        : `${fn}: labelCounts must be a non-empty array of counts, one per label, got ${describeValue(counts)}`,
    );
  }
  counts.forEach((n, l) => {
    if (!Number.isInteger(n) || n < 0 || n > (N as number)) {
      throw new MaskgradError(
        `${fn}: labelCounts[${l}] = ${describeValue(n)} is out of range: must be an integer from 0 to numRows (${N})`,
      );
    }
  });
  return {
    numRows: N as number,
    labelCounts: counts as readonly number[],
    A: numberOption(fn, options, 'A', 0.55, 'nonNegative'),
    B: numberOption(fn, options, 'B', 1.5, 'nonNegative'),
  };
}

function inversePropensitiesOf({ numRows, labelCounts, A, B }: Required<InversePropensityOptions>) {
  const c = (math.log(numRows) - 1) * math.pow(B + 1, A);
  const invPropensity = labelCounts.map((n) => 1 + c * math.pow((n === 0 ? 1 : n) + B, -A));
  const upperBoundWeights = invPropensity.map((r) => 2 * r - 1);
  const total = upperBoundWeights.reduce((s, w) => s + w, 0);
  const pwWeights = upperBoundWeights.map((w) => (w / total) * labelCounts.length);
  return { invPropensity, upperBoundWeights, pwWeights };
}

/**
 * The inverse propensities of Jain, Prabhu and Varma (KDD 2016), as PWXMC codes them:
 * `r_l = 1 + c (n_l + b)^-a`, `c = (ln N - 1)(b + 1)^a`, from the training rows N and each
 * label's observed positives n_l (a count of 0 taken as 1); with the positive weights of
 * propensityWeightedBce's 'upperBound' (2 r - 1) and 'pw' estimators.
 */
export function inversePropensity(options: InversePropensityOptions): InversePropensities {
  const where = 'inversePropensity';
  checkOptions(where, options, ['numRows', 'labelCounts', 'A', 'B']);
  return inversePropensitiesOf(propensityOptions(where, options));
}

/**
 * Inputs 3 and 4 hold, per class, the weight of the positive term and of the negative term
 * at an observed positive; every other entry is a plain negative.
 */
const propensityWeightedOp = defineMaskedLoss<unknown>({
  name: FN,
  weigh([z, y, m, posW, negW], _attrs, { pos, neg }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] !== 0 && y.data[i] === 1) {
        pos[i] = posW.data[i];
        neg[i] = negW.data[i];
      } else {
        neg[i] = 1;
      }
    }
    return z.data.length;
  },
  entry: exactBceEntry,
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0], requiresGrad: false },
        { shape: [3, 4], values: [1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0], requiresGrad: false },
        { shape: [4], values: [3.1, 1.4, 2, 5], requiresGrad: false },
        { shape: [4], values: [-1.05, -0.2, -0.5, -2], requiresGrad: false },
      ],
      note: "per-class weights broadcast; 'unbiased' negative-term weights",
    },
    {
      inputs: [
        [2, 3],
        { shape: [2, 3], values: [1, 0, 1, 0, 1, 1], requiresGrad: false },
        { shape: [3], values: [1, 1, 0], requiresGrad: false },
        { shape: [3], values: [1.5, 0.7, 0.8], requiresGrad: false },
        { shape: [3], values: [0, 0, 0], requiresGrad: false },
      ],
      note: "'pw' weights, a per-class mask",
    },
  ],
});

/**
 * Propensity-weighted binary cross-entropy for labels that go missing as positives
 * (extreme multi-label learning): with the inverse propensity r_l of each label (see
 * inversePropensity), an observed positive costs `w_l softplus(-z)` and every other entry,
 * observed negative or unknown, `softplus(z)`; summed and divided by B C. The estimator
 * sets w: 'pw' (default, PWXMC) the weights 2 r_l - 1 normalised to average 1 over the C
 * labels; 'upperBound' 2 r_l - 1 (Qaraei et al., WWW 2021); 'unbiased' the unbiased
 * estimator, `r_l softplus(-z) + (1 - r_l) softplus(z)` at an observed positive (not
 * bounded below). Uses every logit, the targets where the mask is 1 and labelCounts for
 * every label.
 */
export function propensityWeightedBce(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: PropensityWeightedOptions = {},
): Tensor {
  checkOptions(FN, options, ['numRows', 'labelCounts', 'A', 'B', 'estimator']);
  const settings = propensityOptions(FN, options);
  const estimator = choiceOption(FN, options, 'estimator', [
    'pw',
    'upperBound',
    'unbiased',
  ] as const);
  const args = missingLabelArguments(FN, logits, targets, mask);
  if (settings.labelCounts.length !== args.classes) {
    throw new MaskgradError(
      `${FN}: labelCounts has ${settings.labelCounts.length} counts but the logits have ${args.classes} classes; give one count per class`,
      { code: 'ERR_SHAPE' },
    );
  }
  const r = inversePropensitiesOf(settings);
  const C = args.classes;
  const posW =
    estimator === 'pw'
      ? r.pwWeights
      : estimator === 'upperBound'
        ? r.upperBoundWeights
        : r.invPropensity;
  const negW =
    estimator === 'unbiased' ? r.invPropensity.map((v) => 1 - v) : new Array<number>(C).fill(0);
  return propensityWeightedOp(
    [
      args.logits,
      args.targets,
      args.mask,
      new Tensor(Float64Array.from(posW), [C]),
      new Tensor(Float64Array.from(negW), [C]),
    ],
    {},
  );
}
