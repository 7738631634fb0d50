// runExperiment: one training run of one strategy on data with missing labels, measured on
// the test set. Its options are checked by their rows of OPTION_TABLE (./options).
import { MaskgradError } from '../core/errors';
import { checkOptions } from '../core/check-options';
import { describeValue } from '../core/describe-value';
import {
  hideLabels,
  keepOnePositive,
  type MultiLabelDataset,
  splitRows,
  standardize,
} from '../core/data';
import { checkDataset } from '../core/data/dataset';
import { observedCounts } from '../core/data/observed-counts';
import type { ObservedCounts } from '../core/model/model-file';
import { estimateExpectedPositives, type PropensityEstimator } from '../core/losses';
import {
  f1,
  hammingLoss,
  labelRankingAveragePrecision,
  meanAveragePrecision,
} from '../core/metrics';
import { type ActivationName, MLP } from '../core/nn';
import { Adam, type Optimizer, SGD } from '../core/optim';
import { Tensor } from '../core/tensor';
import {
  checkFeaturesFinite,
  fit,
  type FitHooks,
  type FitResult,
  predictProbabilities,
} from '../core/training/fit';
import {
  checkOption,
  methodOption,
  OPTION_FIELDS,
  optionValue,
  type Regime,
  type Strategy,
} from './options';
import { STRATEGIES, type StrategyDefinition } from './strategies';

/** The options of runExperiment: each one's range and default are its row of OPTION_TABLE. */
export interface ExperimentOptions {
  strategy: Strategy;
  /**
   * How the observed training labels are drawn (default: OPTION_TABLE's); 'full' ignores it.
   * 'random': each known training label is hidden with probability `hide`.
   * 'single-positive': each training row keeps one of its positive labels (keepOnePositive,
   * seeded by `seed`), everything else unknown; the validation rows keep the file's labels
   * (validation on clean labels, Cole et al.'s protocol), since their single positives
   * would rank nothing. Use `val: 0` for a fixed epoch count with no such oracle.
   */
  regime?: Regime;
  /** Share of the known training labels to hide (0..1) in the random regime; ignored by 'full'. */
  hide: number;
  /** Share of the training rows held out for early stopping (0..1); 0 for none. */
  val: number;
  /**
   * After early stopping has picked the best epoch count, train again from the same
   * initial weights on all training rows (the held-out rows included) for that many
   * epochs, and keep that model. Without it, the early-stopped model is kept.
   */
  refit: boolean;
  /** Hidden layer sizes of the MLP, e.g. [128, 128]. */
  hidden: number[];
  /** The activation between layers (default: OPTION_TABLE's). */
  activation?: ActivationName;
  optimizer: 'adam' | 'sgd';
  lr: number;
  weightDecay: number;
  /** The most epochs to train. */
  epochs: number;
  /** Stop after this many epochs without a better validation mAP. */
  patience: number;
  batchSize: number;
  /** Seeds the hiding, the split, the model's initial weights and the batch order. */
  seed: number | string;
  /** Called by `fit` during the early-stopping run (not the refit). */
  hooks?: FitHooks;
  /** Called by `fit` during the refit on all training rows (with `refit` and `val` > 0). */
  refitHooks?: FitHooks;
  /**
   * k of EPR and ROLE. Default: estimated from the training file's labels (before the
   * regime draws the observed ones) by estimateExpectedPositives: each row's known
   * positives over its known share, averaged. With a fully labelled file that is the true
   * mean, as the reference code uses.
   */
  expectedPositives?: number;
  /** The options of the missing-label methods: ranges, defaults and readers in OPTION_TABLE. */
  deltaRel?: number;
  labelSmoothing?: number;
  unknownWeight?: number;
  lrMultiplier?: number;
  gammaPos?: number;
  gammaNeg?: number;
  clip?: number;
  hillLambda?: number;
  splcTau?: number;
  emAlpha?: number;
  emAplAlpha?: number;
  emAplBeta?: number;
  emAplNegProportion?: number;
  emAplWarmupEpoch?: number;
  emAplNumEpochs?: number;
  grEpochs?: number;
  grQ2?: number;
  grQ3?: number;
  pwA?: number;
  pwB?: number;
  pwEstimator?: PropensityEstimator;
}

/** The names runExperiment's options may have: OPTION_TABLE's fields, and the hooks. */
const EXPERIMENT_OPTIONS = [...OPTION_FIELDS, 'hooks', 'refitHooks'];

/** Test-set metrics, each over the test set's known labels. */
export interface TestMetrics {
  mAP: number;
  lrap: number;
  microF1: number;
  macroF1: number;
  hamming: number;
  /** The mean over test rows of the sum of predicted probabilities: near C is a collapse. */
  meanPredictedPositives: number;
}

export interface ExperimentResult extends TestMetrics {
  strategy: Strategy;
  regime: Regime;
  hide: number;
  /** k of EPR and ROLE as used (given or estimated); NaN for the other strategies. */
  expectedPositives: number;
  seed: number | string;
  /** Epochs run, and the epoch whose weights were kept. */
  epochs: number;
  bestEpoch: number;
  seconds: number;
  /** Mean training loss of each epoch of the early-stopping run. */
  lossCurve: number[];
  fitted: FitResult<MLP>;
  /** The model that was tested (the refitted one with `refit`). */
  model: MLP;
  /**
   * The feature statistics `model` was trained with (what `standardize` returned): of every
   * training row with `refit` after early stopping, else of the rows it trained on. A raw row
   * goes to `model` as `(x - mean) / std`.
   */
  standardization: { mean: Float64Array; std: Float64Array };
  /**
   * Each label's known positives, known negatives and unknowns in the labels `model` was
   * trained on (after the regime's draw; every training row with `refit`, else the rows left
   * after holding out the validation rows).
   */
  observed: ObservedCounts;
  /**
   * The held-out validation rows, standardized as `fitted.model` (the early-stopped model,
   * which never trained on them) saw them, for tuning decision thresholds; null with `val` 0.
   */
  validation: MultiLabelDataset | null;
}

/** The metrics of predicted probabilities on `data` (threshold 0.5 for F1 and Hamming loss). */
export function evaluate(probs: Tensor, data: MultiLabelDataset): TestMetrics {
  if (!(probs instanceof Tensor) || probs.shape.length !== 2) {
    throw new MaskgradError(
      `evaluate: probs must be a Tensor of shape [N,C] (probabilities), got ${describeValue(probs)}`,
    );
  }
  checkDataset(data, 'evaluate');
  const { y, mask } = data;
  return {
    mAP: meanAveragePrecision(probs, y, mask).value,
    lrap: labelRankingAveragePrecision(probs, y, mask),
    microF1: f1(probs, y, { average: 'micro', mask }),
    macroF1: f1(probs, y, { average: 'macro', mask }),
    hamming: hammingLoss(probs, y, { mask }),
    meanPredictedPositives: meanRowSum(probs),
  };
}

function meanRowSum(probs: Tensor): number {
  const [N, C] = probs.shape;
  let total = 0;
  for (let i = 0; i < N * C; i++) total += probs.data[i];
  return N === 0 ? NaN : total / N;
}

/** Checks every option by its row of OPTION_TABLE, so that a bad one is reported here, not deeper down. */
function checkExperimentOptions(options: ExperimentOptions): void {
  checkOptions('runExperiment', options, EXPERIMENT_OPTIONS);
  for (const field of OPTION_FIELDS) checkOption('runExperiment', field, options[field]);
  if (options.strategy === 'em-apl') {
    const warmup = methodOption(options, 'emAplWarmupEpoch');
    const last = methodOption(options, 'emAplNumEpochs');
    if (last <= warmup) {
      throw new MaskgradError(
        `runExperiment: emAplNumEpochs must be above emAplWarmupEpoch (${warmup}), got ${last}`,
      );
    }
  }
}

/** A fresh MLP (weights from `${seed}:model`), its optimizer, and the strategy's loss. */
function trainRun(
  train: MultiLabelDataset,
  validation: MultiLabelDataset | null,
  epochs: number,
  options: ExperimentOptions,
  hooks?: FitHooks,
): FitResult<MLP> {
  const { seed } = options;
  const model = new MLP([train.x.shape[1], ...options.hidden, train.y.shape[1]], {
    activation: optionValue(options, 'activation'),
    seed: `${seed}:model`,
  });
  const settings = { lr: options.lr, weightDecay: options.weightDecay };
  const optimizer: Optimizer =
    options.optimizer === 'adam'
      ? new Adam(model.parameters(), settings)
      : new SGD(model.parameters(), settings);
  return fit(model, train, {
    loss: STRATEGIES[options.strategy].makeLoss(train, options),
    optimizer,
    epochs,
    batchSize: options.batchSize,
    seed: `${seed}:batches`,
    ...(validation ? { validation: { data: validation, patience: options.patience } } : {}),
    ...(hooks ? { hooks } : {}),
  });
}

/**
 * One run of one strategy: draw the observed training labels of the regime (seeded by
 * `seed`, the same draw for every strategy), hold out validation rows (seeded, the same
 * rows for every strategy; with single positives they keep the file's labels), standardize
 * features with the training rows' statistics, train an MLP with the strategy's loss and
 * early stopping, optionally refit on every row (with the drawn labels) for the best epoch
 * count, and measure on the test set.
 */
export function runExperiment(
  trainSet: MultiLabelDataset,
  testSet: MultiLabelDataset,
  options: ExperimentOptions,
): ExperimentResult {
  const started = performance.now();
  const [N, D, C] = checkDataset(trainSet, 'runExperiment: the training set');
  const [nTest, testD, testC] = checkDataset(testSet, 'runExperiment: the test set');
  checkExperimentOptions(options);
  if (N === 0) throw new MaskgradError('runExperiment: the training set has no rows');
  if (nTest === 0) throw new MaskgradError('runExperiment: the test set has no rows');
  if (testD !== D || testC !== C) {
    throw new MaskgradError(
      `runExperiment: the test set has ${testD} features and ${testC} labels, the training set ` +
        `${D} and ${C}; they must match`,
    );
  }
  checkFeaturesFinite('runExperiment', trainSet, 'training');
  checkFeaturesFinite('runExperiment', testSet, 'test');
  const { strategy, hide, val, seed } = options;
  const nVal = Math.round(val * N);
  if (val > 0 && nVal === 0) {
    throw new MaskgradError(
      `runExperiment: val ${val} holds out no row of ${N}; ` +
        'use a larger share, or 0 to train on every row without early stopping',
    );
  }
  if (nVal === N) {
    throw new MaskgradError(
      `runExperiment: val ${val} holds out all ${N} rows, leaving none to train on; use a smaller share`,
    );
  }
  const definition: StrategyDefinition = STRATEGIES[strategy];
  const regime: Regime = optionValue(options, 'regime')!;
  const drawn = definition.hidesLabels;
  const expectedPositives = definition.uses.includes('expectedPositives')
    ? (options.expectedPositives ?? estimateExpectedPositives(trainSet.y, trainSet.mask))
    : undefined;
  const resolved: ExperimentOptions =
    expectedPositives === undefined ? options : { ...options, expectedPositives };
  // The observed labels of every training row, drawn from the whole file (so that the refit
  // sees the same draw); the same seed gives the same draw for every strategy.
  const labelled = !drawn
    ? trainSet
    : regime === 'single-positive'
      ? keepOnePositive(trainSet, { seed: `${seed}:hide` })
      : hideLabels(trainSet, hide, { seed: `${seed}:hide` });
  const split = splitRows(labelled, val, { seed: `${seed}:split` });
  // Single positive: validate on the held-out rows' clean labels (the same rows).
  const validationRows =
    drawn && regime === 'single-positive'
      ? splitRows(trainSet, val, { seed: `${seed}:split` }).val
      : split.val;
  const scaled = standardize(split.train, validationRows, testSet);
  const [valScaled, testScaled] = scaled.others;
  const validating = nVal > 0;
  const fitted = trainRun(
    scaled.train,
    validating ? valScaled : null,
    options.epochs,
    resolved,
    options.hooks,
  );
  let model = fitted.model;
  let testData = testScaled;
  let statistics: { mean: Float64Array; std: Float64Array } = scaled;
  let trainedOn = split.train;

  if (options.refit && validating) {
    const all = standardize(labelled, testSet);
    model = trainRun(all.train, null, fitted.bestEpoch, resolved, options.refitHooks).model;
    testData = all.others[0];

    statistics = all;
    trainedOn = labelled;
  }
  const metrics = evaluate(predictProbabilities(model, testData.x), testData);
  const seconds = (performance.now() - started) / 1000;
  return {
    strategy,
    regime,
    hide: drawn && regime === 'random' ? hide : 0,
    expectedPositives: expectedPositives ?? NaN,
    seed,
    epochs: fitted.history.length,
    bestEpoch: fitted.bestEpoch,
    ...metrics,
    seconds,
    lossCurve: fitted.history.map((h) => h.loss),
    fitted,
    model,
    standardization: { mean: statistics.mean, std: statistics.std },
    observed: observedCounts(trainedOn),
    validation: validating ? valScaled : null,
  };
}
