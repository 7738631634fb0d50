import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { hideLabels, type MultiLabelDataset, splitRows, standardize } from '../data';
import { checkDataset } from '../data/dataset';
import { type Loss, maskedBinaryCrossEntropyWithLogits } from '../losses';
import { f1, hammingLoss, labelRankingAveragePrecision, meanAveragePrecision } from '../metrics';
import { activations, type ActivationName, MLP } from '../nn';
import { Adam, type Optimizer, SGD } from '../optim';
import type { Tensor } from '../tensor';
import {
  checkFeaturesFinite,
  fit,
  type FitHooks,
  type FitResult,
  predictProbabilities,
} from './fit';

/** One way of using the training labels: how it is shown, and the loss it trains with. */
export interface StrategyDefinition {
  /** A short name for tables ('unknown = negative'). */
  title: string;
  /** One sentence: what it does with the unknown labels. */
  describe: string;
  /** Whether the run hides `hide` of the known labels first (false: every label the file has). */
  hidesLabels: boolean;
  /**
   * The loss of one training run, built afresh for each call of `fit` (so a stateful loss
   * starts clean), from the standardized rows that run trains on and the experiment's options.
   */
  makeLoss(train: MultiLabelDataset, options: ExperimentOptions): Loss;
}

/** The masked loss: an unknown label adds nothing to the loss or any gradient. */
const maskedLoss: Loss = (logits, targets, mask) =>
  maskedBinaryCrossEntropyWithLogits(logits, targets, mask);

/** Unknown = negative: the same loss without the mask (unknowns are 0 in the targets). */
const negativeLoss: Loss = (logits, targets) => maskedBinaryCrossEntropyWithLogits(logits, targets);

/**
 * The strategies `runExperiment` knows, by name, in the order the CLI runs them. A new
 * missing-label method is one entry here: its title, a sentence, and its loss.
 */
const STRATEGY_TABLE = {
  full: {
    title: 'all labels',
    describe: 'every label the file has, none hidden (the upper bound)',
    hidesLabels: false,
    makeLoss: () => maskedLoss,
  },
  masked: {
    title: 'masked',
    describe: 'hides labels; the loss skips every unknown one',
    hidesLabels: true,
    makeLoss: () => maskedLoss,
  },
  negative: {
    title: 'unknown = negative',
    describe: 'hides labels; every unknown one counts as 0 (a negative)',
    hidesLabels: true,
    makeLoss: () => negativeLoss,
  },
} satisfies Record<string, StrategyDefinition>;

/** The name of a strategy in STRATEGIES. */
export type Strategy = keyof typeof STRATEGY_TABLE;

export const STRATEGIES: Readonly<Record<Strategy, StrategyDefinition>> = STRATEGY_TABLE;

/** The strategy names, in table order. */
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as Strategy[];

export interface ExperimentOptions {
  strategy: Strategy;
  /** Share of the known training labels to hide (0..1); ignored by 'full'. */
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
  /** The activation between layers (default 'relu'). */
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
}

const EXPERIMENT_OPTIONS = [
  'strategy',
  'hide',
  'val',
  'refit',
  'hidden',
  'activation',
  'optimizer',
  'lr',
  'weightDecay',
  'epochs',
  'patience',
  'batchSize',
  'seed',
  'hooks',
] as const;

/** Test-set metrics, each over the test set's known labels. */
export interface TestMetrics {
  mAP: number;
  lrap: number;
  microF1: number;
  macroF1: number;
  hamming: number;
}

export interface ExperimentResult extends TestMetrics {
  strategy: Strategy;
  hide: number;
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
   * The held-out validation rows, standardized as `fitted.model` (the early-stopped model,
   * which never trained on them) saw them, for tuning decision thresholds; null with `val` 0.
   */
  validation: MultiLabelDataset | null;
}

/** The metrics of predicted probabilities on `data` (threshold 0.5 for F1 and Hamming loss). */
export function evaluate(probs: Tensor, data: MultiLabelDataset): TestMetrics {
  const { y, mask } = data;
  return {
    mAP: meanAveragePrecision(probs, y, mask).value,
    lrap: labelRankingAveragePrecision(probs, y, mask),
    microF1: f1(probs, y, { average: 'micro', mask }),
    macroF1: f1(probs, y, { average: 'macro', mask }),
    hamming: hammingLoss(probs, y, { mask }),
  };
}

const positiveInteger = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;

/** Checks every option, so that a bad one is reported by runExperiment, not deeper down. */
function checkExperimentOptions(options: ExperimentOptions): void {
  checkOptions('runExperiment', options, EXPERIMENT_OPTIONS);
  const fail = (name: string, expected: string) => {
    throw new MaskgradError(
      `runExperiment: ${name} must be ${expected}, got ${describeValue(options[name as keyof ExperimentOptions])}`,
    );
  };
  const { strategy } = options;
  if (typeof strategy !== 'string' || !Object.prototype.hasOwnProperty.call(STRATEGIES, strategy)) {
    fail('strategy', `one of ${STRATEGY_NAMES.map((s) => `'${s}'`).join(', ')}`);
  }
  if (typeof options.refit !== 'boolean') fail('refit', 'true or false');
  if (!(options.hide >= 0 && options.hide <= 1)) fail('hide', 'a number from 0 to 1');
  if (!(options.val >= 0 && options.val < 1))
    fail('val', 'a number from 0 up to (not including) 1');
  if (!Array.isArray(options.hidden) || !options.hidden.every(positiveInteger)) {
    fail('hidden', 'a list of positive integers (hidden layer sizes)');
  }
  const { activation } = options;
  if (
    activation !== undefined &&
    !(
      typeof activation === 'string' &&
      Object.prototype.hasOwnProperty.call(activations, activation)
    )
  ) {
    fail(
      'activation',
      Object.keys(activations)
        .map((a) => `'${a}'`)
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1'),
    );
  }
  if (options.optimizer !== 'adam' && options.optimizer !== 'sgd')
    fail('optimizer', "'adam' or 'sgd'");
  if (!(typeof options.lr === 'number' && options.lr > 0 && Number.isFinite(options.lr))) {
    fail('lr', 'a finite number > 0');
  }
  const wd = options.weightDecay;
  if (!(typeof wd === 'number' && wd >= 0 && Number.isFinite(wd)))
    fail('weightDecay', 'a finite number >= 0');
  for (const key of ['epochs', 'patience', 'batchSize'] as const) {
    if (!positiveInteger(options[key])) fail(key, 'a positive integer');
  }
  const { seed } = options;
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
    fail('seed', 'a finite number or a string');
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
    activation: options.activation ?? 'relu',
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
 * One run of one strategy: hide labels (seeded), hold out validation rows (seeded, the
 * same rows for every strategy), standardize features with the training rows'
 * statistics, train an MLP with the strategy's loss and early stopping, optionally refit
 * on every row for the best epoch count, and measure on the test set.
 */
export function runExperiment(
  trainSet: MultiLabelDataset,
  testSet: MultiLabelDataset,
  options: ExperimentOptions,
): ExperimentResult {
  const started = process.hrtime.bigint();
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
  const labelled = definition.hidesLabels
    ? hideLabels(trainSet, hide, { seed: `${seed}:hide` })
    : trainSet;
  const split = splitRows(labelled, val, { seed: `${seed}:split` });
  const scaled = standardize(split.train, split.val, testSet);
  const [valScaled, testScaled] = scaled.others;
  const validating = nVal > 0;
  const fitted = trainRun(
    scaled.train,
    validating ? valScaled : null,
    options.epochs,
    options,
    options.hooks,
  );
  let model = fitted.model;
  let testData = testScaled;
  let statistics: { mean: Float64Array; std: Float64Array } = scaled;

  if (options.refit && validating) {
    const all = standardize(labelled, testSet);
    model = trainRun(all.train, null, fitted.bestEpoch, options).model;
    testData = all.others[0];

    statistics = all;
  }
  const metrics = evaluate(predictProbabilities(model, testData.x), testData);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    strategy,
    hide: definition.hidesLabels ? hide : 0,
    seed,
    epochs: fitted.history.length,
    bestEpoch: fitted.bestEpoch,
    ...metrics,
    seconds,
    lossCurve: fitted.history.map((h) => h.loss),
    fitted,
    model,
    standardization: { mean: statistics.mean, std: statistics.std },
    validation: validating ? valScaled : null,
  };
}
