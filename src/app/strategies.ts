// The strategies runExperiment compares: how each one is shown and the loss it trains with.
// Their options, with ranges and defaults, are rows of OPTION_TABLE (src/app/options.ts).
import { MaskgradError } from '../core/errors';
import type { MultiLabelDataset } from '../core/data';
import {
  assumeNegativeLoss,
  asymmetricLoss,
  AsymmetricPseudoLabelLoss,
  entropyMaximizationLoss,
  expectedPositiveLoss,
  generalizedRobustPerEpoch,
  hillLoss,
  largeLossPerEpoch,
  type Loss,
  maskedBinaryCrossEntropyWithLogits,
  partialBinaryCrossEntropy,
  PermanentCorrectionLoss,
  propensityWeightedBce,
  RoleLoss,
  splcLoss,
} from '../core/losses';
import { observedCounts } from '../core/data/observed-counts';
import type { ExperimentOptions } from './experiment';
import {
  describeStrategy,
  type MethodOption,
  methodOption,
  optionValue,
  optionsOf,
  type Regime,
  type Strategy,
  STRATEGY_NAMES,
} from './options';

/** One way of using the training labels: how it is shown, and the loss it trains with. */
export interface StrategyDefinition {
  /** A short name for tables ('unknown = negative'). */
  title: string;
  /** One sentence: what it does with the unknown labels, and its options with their defaults. */
  describe: string;
  /** Whether the run draws the observed labels of the regime first (false: every label the file has). */
  hidesLabels: boolean;
  /** The method options (ExperimentOptions keys) this strategy reads: OPTION_TABLE's rows naming it. */
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

/**
 * A strategy as written below: `describe` and `uses` are made from OPTION_TABLE; without
 * `hidesLabels` it trains on the regime's observed labels, without `skipIn` it runs in
 * every regime.
 */
type StrategyEntry = Omit<StrategyDefinition, 'describe' | 'uses' | 'hidesLabels' | 'skipIn'> &
  Partial<Pick<StrategyDefinition, 'hidesLabels' | 'skipIn'>> & {
    /** What it does with the unknown labels, without its options. */
    summary: string;
  };

/** The masked loss: an unknown label adds nothing to the loss or any gradient. */
const maskedLoss: Loss = (logits, targets, mask) =>
  maskedBinaryCrossEntropyWithLogits(logits, targets, mask);

/** Unknown = negative: the same loss without the mask (unknowns are 0 in the targets). */
const negativeLoss: Loss = (logits, targets) => maskedBinaryCrossEntropyWithLogits(logits, targets);

/** The skipIn of a strategy that belongs in every regime. */
const neverSkipped = (): null => null;

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
 * Each strategy's title, summary and loss. A new missing-label method is its name in
 * STRATEGY_NAMES, an entry here, and a row in OPTION_TABLE for each option it brings.
 */
const ENTRIES: Record<Strategy, StrategyEntry> = {
  full: {
    title: 'all labels',
    summary: 'every label the file has, none hidden (the upper bound)',
    hidesLabels: false,
    makeLoss: () => maskedLoss,
  },
  masked: {
    title: 'masked',
    summary: 'the loss skips every unknown label (with positives only: the control that collapses)',
    makeLoss: () => maskedLoss,
  },
  negative: {
    title: 'unknown = negative (AN)',
    summary: 'every unknown label counts as 0 (a negative)',
    makeLoss: () => negativeLoss,
  },
  'an-ls': {
    title: 'AN-LS',
    summary: 'assume negative with label smoothing',
    makeLoss: (_train, o) => {
      const labelSmoothing = methodOption(o, 'labelSmoothing');
      return (z, y, m) => assumeNegativeLoss(z, y, m, { labelSmoothing });
    },
  },
  wan: {
    title: 'WAN',
    summary: 'assume negative, with the unknown labels weighted down',
    makeLoss: (train, o) => {
      const C = train.y.shape[1];
      const unknownWeight = o.unknownWeight ?? (C > 1 ? 1 / (C - 1) : 1);
      return (z, y, m) => assumeNegativeLoss(z, y, m, { unknownWeight });
    },
  },
  epr: {
    title: 'EPR',
    summary: 'observed labels plus a pull of the predicted positives per row to k',
    makeLoss: (_train, o) => {
      const expectedPositives = expectedPositivesOf(o);
      return (z, y, m) => expectedPositiveLoss(z, y, m, { expectedPositives });
    },
  },
  role: {
    title: 'ROLE',
    summary: 'jointly trained label estimates, EPR on both',
    makeLoss: (train, o) =>
      new RoleLoss(train, {
        expectedPositives: expectedPositivesOf(o),
        lr: o.lr,
        lrMultiplier: methodOption(o, 'lrMultiplier'),
        seed: `${o.seed}:role`,
      }),
  },
  'll-r': {
    title: 'LL-R',
    summary: 'assume negative, rejecting the largest unknown losses, a share more each epoch',
    makeLoss: (_train, o) =>
      largeLossPerEpoch({ deltaRel: methodOption(o, 'deltaRel'), mode: 'reject' }),
  },
  'll-ct': {
    title: 'LL-Ct',
    summary:
      'assume negative, taking the largest unknown losses as positives, a share more each epoch',
    makeLoss: (_train, o) =>
      largeLossPerEpoch({ deltaRel: methodOption(o, 'deltaRel'), mode: 'correct' }),
  },
  'll-cp': {
    title: 'LL-Cp',
    summary: 'as LL-Ct, a share of each batch, with the corrections kept for good',
    makeLoss: (_train, o) => new PermanentCorrectionLoss({ deltaRel: methodOption(o, 'deltaRel') }),
  },
  'partial-bce': {
    title: 'partial-BCE',
    summary: "the known labels' loss, scaled up for rows with fewer known labels",
    skipIn: (regime) =>
      regime === 'single-positive'
        ? 'it sees only the observed labels, all positive here: the collapse of the masked control, not a method'
        : null,
    makeLoss: () => (z, y, m) => partialBinaryCrossEntropy(z, y, m),
  },
  asl: {
    title: 'ASL',
    summary: 'asymmetric focusing, unknown = negative',
    makeLoss: (_train, o) => {
      const settings = {
        gammaPos: methodOption(o, 'gammaPos'),
        gammaNeg: methodOption(o, 'gammaNeg'),
        clip: methodOption(o, 'clip'),
      };
      return (z, y, m) => asymmetricLoss(z, y, m, { ...settings, unknown: 'negative' });
    },
  },
  hill: {
    title: 'Hill',
    summary:
      'observed positives get a focal loss with a margin, every other label the Hill loss, ' +
      'gentle on confident positives; for missing positives (random and single positive)',
    makeLoss: (_train, o) => {
      const lambda = methodOption(o, 'hillLambda');
      return (z, y, m) => hillLoss(z, y, m, { lambda });
    },
  },
  splc: {
    title: 'SPLC',
    summary:
      'focal loss, unknown = negative, and from the second epoch an unknown label above tau ' +
      'counts as positive; for missing positives (random and single positive)',
    // The authors' epochs count from 0, the training loop's from 1.
    makeLoss: (_train, o) => {
      const tau = methodOption(o, 'splcTau');
      return (z, y, m, context) => splcLoss(z, y, m, { epoch: context.epoch - 1, tau });
    },
  },
  em: {
    title: 'EM',
    summary:
      "the known labels' loss, and the entropy of each unknown label maximised; made for " +
      'single positive, where it beats assume negative, and fit for random',
    makeLoss: (_train, o) => {
      const alpha = methodOption(o, 'emAlpha');
      return (z, y, m) => entropyMaximizationLoss(z, y, m, { alpha });
    },
  },
  'em-apl': {
    title: 'EM+APL',
    summary:
      'entropy maximized at the unknown labels; after a warm-up the lowest-scored unknowns become ' +
      'soft negatives, more each epoch (made for single positive; runs in both regimes)',
    makeLoss: (train, o) =>
      new AsymmetricPseudoLabelLoss(train, {
        alpha: methodOption(o, 'emAplAlpha'),
        beta: methodOption(o, 'emAplBeta'),
        negProportion: methodOption(o, 'emAplNegProportion'),
        warmupEpoch: methodOption(o, 'emAplWarmupEpoch'),
        numEpochs: methodOption(o, 'emAplNumEpochs'),
      }),
  },
  gr: {
    title: 'GR',
    summary:
      'observed labels by BCE, unknown labels by a robust loss weighted by how likely each is positive, ' +
      'on a schedule over epochs (made for single positive labels; runs in both regimes)',
    makeLoss: (_train, o) =>
      generalizedRobustPerEpoch({
        numEpochs: methodOption(o, 'grEpochs'),
        q2: methodOption(o, 'grQ2'),
        q3: methodOption(o, 'grQ3'),
      }),
  },
  pw: {
    title: 'PW-BCE',
    summary:
      "unknown = negative, each observed positive weighted by its label's inverse propensity " +
      '(rarer labels more; made for positives that go missing, as in extreme multi-label data and single positive labels)',
    makeLoss: (train, o) => {
      const settings = {
        numRows: train.y.shape[0],
        labelCounts: observedCounts(train).positive,
        A: methodOption(o, 'pwA'),
        B: methodOption(o, 'pwB'),
        estimator: optionValue(o, 'pwEstimator') ?? 'pw',
      };
      return (z, y, m) => propensityWeightedBce(z, y, m, settings);
    },
  },
};

/** The strategies by name, in STRATEGY_NAMES order, each with its options from OPTION_TABLE. */
export const STRATEGIES: Readonly<Record<Strategy, StrategyDefinition>> = definitions();

function definitions(): Record<Strategy, StrategyDefinition> {
  const out = {} as Record<Strategy, StrategyDefinition>;
  for (const name of STRATEGY_NAMES) {
    const { summary, ...entry } = ENTRIES[name];
    out[name] = {
      hidesLabels: true,
      skipIn: neverSkipped,
      ...entry,
      describe: describeStrategy(name, summary),
      uses: optionsOf(name),
    };
  }
  return out;
}

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
