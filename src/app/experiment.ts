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
import {
  assumeNegativeLoss,
  asymmetricLoss,
  estimateExpectedPositives,
  expectedPositiveLoss,
  largeLossPerEpoch,
  type Loss,
  maskedBinaryCrossEntropyWithLogits,
  partialBinaryCrossEntropy,
  PermanentCorrectionLoss,
  RoleLoss,
} from '../core/losses';
import {
  f1,
  hammingLoss,
  labelRankingAveragePrecision,
  meanAveragePrecision,
} from '../core/metrics';
import { activations, type ActivationName, MLP } from '../core/nn';
import { Adam, type Optimizer, SGD } from '../core/optim';
import type { Tensor } from '../core/tensor';
import {
  checkFeaturesFinite,
  fit,
  type FitHooks,
  type FitResult,
  predictProbabilities,
} from '../core/training/fit';

/** How the observed training labels are drawn from the training file's labels. */
export type Regime = 'random' | 'single-positive';

export const REGIMES: readonly Regime[] = ['random', 'single-positive'];

/** The options of the missing-label methods; each strategy names those it uses. */
export type MethodOption =
  | 'expectedPositives'
  | 'deltaRel'
  | 'labelSmoothing'
  | 'unknownWeight'
  | 'lrMultiplier'
  | 'gammaPos'
  | 'gammaNeg'
  | 'clip';

/** One way of using the training labels: how it is shown, and the loss it trains with. */
export interface StrategyDefinition {
  /** A short name for tables ('unknown = negative'). */
  title: string;
  /** One sentence: what it does with the unknown labels. */
  describe: string;
  /** Whether the run draws the observed labels of the regime first (false: every label the file has). */
  hidesLabels: boolean;
  /** The method options (ExperimentOptions keys) this strategy reads. */
  uses: readonly MethodOption[];
  /**
   * Why `--strategy all` leaves this strategy out in `regime`, or null when it belongs there.
   */
  skipIn(regime: Regime): string | null;
  /**
   * The loss of one training run, built afresh for each call of `fit` (so a stateful loss
   * starts clean), from the standardized rows that run trains on and the experiment's options
   * (with `expectedPositives` already resolved).
   */
  makeLoss(train: MultiLabelDataset, options: ExperimentOptions): Loss;
}

/** The masked loss: an unknown label adds nothing to the loss or any gradient. */
const maskedLoss: Loss = (logits, targets, mask) =>
  maskedBinaryCrossEntropyWithLogits(logits, targets, mask);

/** Unknown = negative: the same loss without the mask (unknowns are 0 in the targets). */
const negativeLoss: Loss = (logits, targets) => maskedBinaryCrossEntropyWithLogits(logits, targets);

const always = (): null => null;

/** The default share of LL's rejected/corrected unknowns added per epoch, per mode. */
export const DEFAULT_DELTA_REL = { 'll-r': 0.005, 'll-ct': 0.002, 'll-cp': 0.001 } as const;

/** The k of EPR and ROLE: resolved by runExperiment before any loss is made. */
function expectedPositivesOf(options: ExperimentOptions): number {
  if (options.expectedPositives === undefined) {
    throw new MaskgradError('runExperiment: expectedPositives was not resolved', {
      code: 'ERR_INTERNAL',
    });
  }
  return options.expectedPositives;
}

/**
 * The strategies `runExperiment` knows, by name, in the order the CLI runs them. A new
 * missing-label method is one entry here: its title, a sentence, its options and its loss.
 */
const STRATEGY_TABLE = {
  full: {
    title: 'all labels',
    describe: 'every label the file has, none hidden (the upper bound)',
    hidesLabels: false,
    uses: [],
    skipIn: always,
    makeLoss: () => maskedLoss,
  },
  masked: {
    title: 'masked',
    describe:
      'the loss skips every unknown label (with positives only: the control that collapses)',
    hidesLabels: true,
    uses: [],
    skipIn: always,
    makeLoss: () => maskedLoss,
  },
  negative: {
    title: 'unknown = negative (AN)',
    describe: 'every unknown label counts as 0 (a negative)',
    hidesLabels: true,
    uses: [],
    skipIn: always,
    makeLoss: () => negativeLoss,
  },
  'an-ls': {
    title: 'AN-LS',
    describe: 'assume negative with label smoothing (--label-smoothing, default 0.1)',
    hidesLabels: true,
    uses: ['labelSmoothing'],
    skipIn: always,
    makeLoss: (_train, o) => (z, y, m) =>
      assumeNegativeLoss(z, y, m, { labelSmoothing: o.labelSmoothing ?? 0.1 }),
  },
  wan: {
    title: 'WAN',
    describe: 'assume negative, unknowns weighted by --unknown-weight (default 1/(C-1))',
    hidesLabels: true,
    uses: ['unknownWeight'],
    skipIn: always,
    makeLoss: (train, o) => {
      const C = train.y.shape[1];
      const unknownWeight = o.unknownWeight ?? (C > 1 ? 1 / (C - 1) : 1);
      return (z, y, m) => assumeNegativeLoss(z, y, m, { unknownWeight });
    },
  },
  epr: {
    title: 'EPR',
    describe:
      'observed labels plus a pull of the predicted positives per row to --expected-positives',
    hidesLabels: true,
    uses: ['expectedPositives'],
    skipIn: always,
    makeLoss: (_train, o) => {
      const expectedPositives = expectedPositivesOf(o);
      return (z, y, m) => expectedPositiveLoss(z, y, m, { expectedPositives });
    },
  },
  role: {
    title: 'ROLE',
    describe: 'jointly trained label estimates, EPR on both (--lr-multiplier, default 10)',
    hidesLabels: true,
    uses: ['expectedPositives', 'lrMultiplier'],
    skipIn: always,
    makeLoss: (train, o) =>
      new RoleLoss(train, {
        expectedPositives: expectedPositivesOf(o),
        lr: o.lr,
        lrMultiplier: o.lrMultiplier ?? 10,
        seed: `${o.seed}:role`,
      }),
  },
  'll-r': {
    title: 'LL-R',
    describe: `assume negative, rejecting the largest unknown losses (--delta-rel, default ${DEFAULT_DELTA_REL['ll-r']} per epoch)`,
    hidesLabels: true,
    uses: ['deltaRel'],
    skipIn: always,
    makeLoss: (_train, o) =>
      largeLossPerEpoch({ deltaRel: o.deltaRel ?? DEFAULT_DELTA_REL['ll-r'], mode: 'reject' }),
  },
  'll-ct': {
    title: 'LL-Ct',
    describe: `assume negative, taking the largest unknown losses as positives (--delta-rel, default ${DEFAULT_DELTA_REL['ll-ct']} per epoch)`,
    hidesLabels: true,
    uses: ['deltaRel'],
    skipIn: always,
    makeLoss: (_train, o) =>
      largeLossPerEpoch({ deltaRel: o.deltaRel ?? DEFAULT_DELTA_REL['ll-ct'], mode: 'correct' }),
  },
  'll-cp': {
    title: 'LL-Cp',
    describe: `as LL-Ct, with the corrections kept for good (--delta-rel, default ${DEFAULT_DELTA_REL['ll-cp']} per batch)`,
    hidesLabels: true,
    uses: ['deltaRel'],
    skipIn: always,
    makeLoss: (_train, o) =>
      new PermanentCorrectionLoss({ deltaRel: o.deltaRel ?? DEFAULT_DELTA_REL['ll-cp'] }),
  },
  'partial-bce': {
    title: 'partial-BCE',
    describe: "the known labels' loss, scaled up for rows with fewer known labels",
    hidesLabels: true,
    uses: [],
    skipIn: (regime) =>
      regime === 'single-positive'
        ? 'it sees only the observed labels, all positive here: the collapse of the masked control, not a method'
        : null,
    makeLoss: () => (z, y, m) => partialBinaryCrossEntropy(z, y, m),
  },
  asl: {
    title: 'ASL',
    describe: 'asymmetric focusing, unknown = negative (--gamma-neg 4, --gamma-pos 0, --clip 0.05)',
    hidesLabels: true,
    uses: ['gammaPos', 'gammaNeg', 'clip'],
    skipIn: always,
    makeLoss: (_train, o) => (z, y, m) =>
      asymmetricLoss(z, y, m, {
        gammaPos: o.gammaPos ?? 0,
        gammaNeg: o.gammaNeg ?? 4,
        clip: o.clip ?? 0.05,
        unknown: 'negative',
      }),
  },
} satisfies Record<string, StrategyDefinition>;

/** The name of a strategy in STRATEGIES. */
export type Strategy = keyof typeof STRATEGY_TABLE;

export const STRATEGIES: Readonly<Record<Strategy, StrategyDefinition>> = STRATEGY_TABLE;

/** The strategy names, in table order. */
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as Strategy[];

/**
 * The strategies `--strategy all` runs in `regime`, and those it leaves out with the reason.
 */
export function strategiesFor(regime: Regime): {
  run: Strategy[];
  skipped: { strategy: Strategy; reason: string }[];
} {
  const run: Strategy[] = [];
  const skipped: { strategy: Strategy; reason: string }[] = [];
  for (const strategy of STRATEGY_NAMES) {
    const reason = STRATEGIES[strategy].skipIn(regime);
    if (reason === null) run.push(strategy);
    else skipped.push({ strategy, reason });
  }
  return { run, skipped };
}

export interface ExperimentOptions {
  strategy: Strategy;
  /**
   * How the observed training labels are drawn (default 'random'); 'full' ignores it.
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
  /**
   * k of EPR and ROLE. Default: estimated from the training file's labels (before the
   * regime draws the observed ones) by estimateExpectedPositives: each row's known
   * positives over its known share, averaged. With a fully labelled file that is the true
   * mean, as the reference code uses.
   */
  expectedPositives?: number;
  /** LL-R, LL-Ct, LL-Cp: the share added per epoch (DEFAULT_DELTA_REL per mode). */
  deltaRel?: number;
  /** AN-LS: default 0.1. */
  labelSmoothing?: number;
  /** WAN: default 1 / (C - 1). */
  unknownWeight?: number;
  /** ROLE: the estimates' learning rate over the model's, default 10. */
  lrMultiplier?: number;
  /** ASL: defaults 0, 4 and 0.05. */
  gammaPos?: number;
  gammaNeg?: number;
  clip?: number;
}

/** Each method option's allowed range: a test and the words for an error. */
const METHOD_OPTION_RANGES: Record<MethodOption, [(v: number) => boolean, string]> = {
  expectedPositives: [(v) => v >= 0, 'a finite number >= 0'],
  deltaRel: [(v) => v >= 0 && v <= 1, 'a number from 0 to 1'],
  labelSmoothing: [(v) => v >= 0 && v <= 1, 'a number from 0 to 1'],
  unknownWeight: [(v) => v >= 0, 'a finite number >= 0'],
  lrMultiplier: [(v) => v >= 0, 'a finite number >= 0'],
  gammaPos: [(v) => v >= 0, 'a finite number >= 0'],
  gammaNeg: [(v) => v >= 0, 'a finite number >= 0'],
  clip: [(v) => v >= 0 && v <= 1, 'a number from 0 to 1'],
};

export const METHOD_OPTIONS = Object.keys(METHOD_OPTION_RANGES) as MethodOption[];

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
  'regime',
  ...METHOD_OPTIONS,
] as const;

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
    meanPredictedPositives: meanRowSum(probs),
  };
}

function meanRowSum(probs: Tensor): number {
  const [N, C] = probs.shape;
  let total = 0;
  for (let i = 0; i < N * C; i++) total += probs.data[i];
  return N === 0 ? NaN : total / N;
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
  const { regime } = options;
  if (regime !== undefined && !REGIMES.includes(regime)) {
    fail('regime', REGIMES.map((r) => `'${r}'`).join(' or '));
  }
  for (const key of METHOD_OPTIONS) {
    const v = options[key];
    const [ok, expected] = METHOD_OPTION_RANGES[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && ok(v))) {
      fail(key, expected);
    }
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
  const regime: Regime = options.regime ?? 'random';
  const drawn = definition.hidesLabels;
  const uses = definition.uses as readonly MethodOption[];
  const expectedPositives = uses.includes('expectedPositives')
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

  if (options.refit && validating) {
    const all = standardize(labelled, testSet);
    model = trainRun(all.train, null, fitted.bestEpoch, resolved).model;
    testData = all.others[0];

    statistics = all;
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
    validation: validating ? valScaled : null,
  };
}
