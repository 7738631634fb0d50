// The options of runExperiment, one row each: the field, the `train` flag, the values it
// takes, its default, its help line and the strategies that read it. The range checks of
// runExperiment and of `train`, `train --help`, and the strategies' descriptions are made
// from these rows. No Node built-in here: the playground imports it.
import { describeValue } from '../core/describe-value';
import { MaskgradError } from '../core/errors';
import { activations } from '../core/nn/activations';
import type { ExperimentOptions } from './experiment';

/**
 * The strategies runExperiment knows, in the order the CLI runs them; src/app/strategies.ts
 * defines each one (the compiler holds the two lists to the same names).
 */
export const STRATEGY_NAMES = [
  'full',
  'masked',
  'negative',
  'an-ls',
  'wan',
  'epr',
  'role',
  'll-r',
  'll-ct',
  'll-cp',
  'partial-bce',
  'asl',
  'hill',
  'splc',
  'em',
  'em-apl',
  'gr',
  'pw',
] as const;

/** The name of a strategy. */
export type Strategy = (typeof STRATEGY_NAMES)[number];

/** How the observed training labels are drawn from the training file's labels. */
export const REGIMES = ['random', 'single-positive'] as const;

export type Regime = (typeof REGIMES)[number];

/** Whether `v` is an integer >= 1 (epochs, sizes, counts). */
export function isPositiveInteger(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 1;
}

/**
 * The values an option takes. `number`: finite, from `min` (excluded with `minExcluded`) to
 * `max` (excluded with `maxExcluded`; none when absent). `integer`: an integer >= `min`.
 * `integers`: a list of positive integers. `choice`: one of `values`. `seed`: a finite
 * number or a string.
 */
export type OptionValue =
  | { kind: 'number'; min: number; minExcluded?: true; max?: number; maxExcluded?: true }
  | { kind: 'integer'; min: number }
  | { kind: 'integers' }
  | { kind: 'choice'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'seed' };

/**
 * The value of an option when it is not given: one `value`, one per strategy (`byStrategy`),
 * or one computed where it is used, in the words of `computed`.
 */
export type OptionDefault =
  | { value: number | string | boolean | readonly number[] }
  | { byStrategy: Partial<Record<Strategy, number>> }
  | { computed: string };

/** One option of runExperiment. */
export interface OptionRow {
  /** The flag of `train`, without `--`; null for an option the CLI does not offer. */
  flag: string | null;
  /** What `train --help` calls the flag's value (N, X, RATE...); none for a boolean. */
  arg?: string;
  value: OptionValue;
  /**
   * Whether runExperiment needs it; when it is optional there, its default applies. The
   * `train` command gives every flag its default.
   */
  required: boolean;
  default?: OptionDefault;
  help: string;
  /** The strategies that read it (the method options); absent: the run itself reads it. */
  strategies?: readonly Strategy[];
}

/** The options of runExperiment that are values (its `hooks` are callbacks). */
export type OptionField = Exclude<keyof ExperimentOptions, 'hooks' | 'refitHooks'>;

const UNIT = { kind: 'number', min: 0, max: 1 } as const;
const NON_NEGATIVE = { kind: 'number', min: 0 } as const;
/** The values of a count: an integer >= 1. */
export const POSITIVE_INTEGER = { kind: 'integer', min: 1 } as const;

const ROWS = {
  strategy: {
    flag: null,
    value: { kind: 'choice', values: STRATEGY_NAMES },
    required: true,
    help: 'the strategy: how the unknown labels are used',
  },
  regime: {
    flag: 'regime',
    arg: 'NAME',
    value: { kind: 'choice', values: REGIMES },
    required: false,
    default: { value: 'random' },
    help: 'how training labels go missing: random hides --hide of the known ones, single-positive keeps one positive per row',
  },
  hide: {
    flag: 'hide',
    arg: 'RATE',
    value: UNIT,
    required: true,
    default: { value: 0 },
    help: 'share of known training labels to hide (random regime), to measure how a strategy copes with missing labels',
  },
  epochs: {
    flag: 'epochs',
    arg: 'N',
    value: POSITIVE_INTEGER,
    required: true,
    default: { value: 100 },
    help: 'the most epochs to train (all of them with --val 0)',
  },
  val: {
    flag: 'val',
    arg: 'RATE',
    value: { kind: 'number', min: 0, max: 1, maxExcluded: true },
    required: true,
    default: { value: 0.2 },
    help: 'share of training rows held out for early stopping (single-positive: scored on their clean labels; 0: a fixed epoch count)',
  },
  patience: {
    flag: 'patience',
    arg: 'N',
    value: POSITIVE_INTEGER,
    required: true,
    default: { value: 10 },
    help: 'epochs without a better validation mAP before stopping',
  },
  refit: {
    flag: 'no-refit',
    value: { kind: 'boolean' },
    required: true,
    default: { value: true },
    help: 'keep the early-stopped model instead of retraining on all rows for the best epoch count',
  },
  batchSize: {
    flag: 'batch-size',
    arg: 'N',
    value: POSITIVE_INTEGER,
    required: true,
    default: { value: 64 },
    help: 'rows per mini-batch',
  },
  hidden: {
    flag: 'hidden',
    arg: 'LIST',
    value: { kind: 'integers' },
    required: true,
    default: { value: [128, 128] },
    help: 'hidden layer sizes',
  },
  activation: {
    flag: null,
    value: { kind: 'choice', values: Object.keys(activations) },
    required: false,
    default: { value: 'relu' },
    help: 'the activation between layers',
  },
  optimizer: {
    flag: 'optimizer',
    arg: 'NAME',
    value: { kind: 'choice', values: ['adam', 'sgd'] },
    required: true,
    default: { value: 'adam' },
    help: 'the optimizer',
  },
  lr: {
    flag: 'lr',
    arg: 'X',
    value: { kind: 'number', min: 0, minExcluded: true },
    required: true,
    default: { value: 0.001 },
    help: 'learning rate',
  },
  weightDecay: {
    flag: 'weight-decay',
    arg: 'X',
    value: NON_NEGATIVE,
    required: true,
    default: { value: 0.001 },
    help: 'L2 weight decay',
  },
  seed: {
    flag: 'seed',
    arg: 'S',
    value: { kind: 'seed' },
    required: true,
    default: { value: 1 },
    help: 'seed of hiding, splitting, initial weights and batch order',
  },
  expectedPositives: {
    flag: 'expected-positives',
    arg: 'K',
    value: NON_NEGATIVE,
    required: false,
    default: { computed: "estimated from the training file's labels" },
    help: 'expected positives per row',
    strategies: ['epr', 'role'],
  },
  deltaRel: {
    flag: 'delta-rel',
    arg: 'X',
    value: UNIT,
    required: false,
    default: { byStrategy: { 'll-r': 0.005, 'll-ct': 0.002, 'll-cp': 0.001 } },
    help: 'share of unknowns rejected/corrected, added per epoch (LL-Cp: per batch)',
    strategies: ['ll-r', 'll-ct', 'll-cp'],
  },
  labelSmoothing: {
    flag: 'label-smoothing',
    arg: 'X',
    value: UNIT,
    required: false,
    default: { value: 0.1 },
    help: 'label smoothing',
    strategies: ['an-ls'],
  },
  unknownWeight: {
    flag: 'unknown-weight',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { computed: '1/(C-1) for C > 1 labels, else 1' },
    help: 'weight of the unknown labels',
    strategies: ['wan'],
  },
  lrMultiplier: {
    flag: 'lr-multiplier',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { value: 10 },
    help: "the label estimates' learning rate over the model's",
    strategies: ['role'],
  },
  gammaPos: {
    flag: 'gamma-pos',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { value: 0 },
    help: 'focusing of positives',
    strategies: ['asl'],
  },
  gammaNeg: {
    flag: 'gamma-neg',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { value: 4 },
    help: 'focusing of negatives',
    strategies: ['asl'],
  },
  clip: {
    flag: 'clip',
    arg: 'X',
    value: UNIT,
    required: false,
    default: { value: 0.05 },
    help: 'probability margin of negatives',
    strategies: ['asl'],
  },
  hillLambda: {
    flag: 'hill-lambda',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { value: 1.5 },
    help: "lambda of Hill's term (lambda - p) p^2 for the labels not known positive",
    strategies: ['hill'],
  },
  splcTau: {
    flag: 'splc-tau',
    arg: 'X',
    value: UNIT,
    required: false,
    default: { value: 0.6 },
    help: 'probability above which SPLC takes an unknown label as positive, from the second epoch',
    strategies: ['splc'],
  },
  emAlpha: {
    flag: 'em-alpha',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { value: 0.2 },
    help: "weight of the unknown labels' entropy, maximised",
    strategies: ['em'],
  },
  emAplAlpha: {
    flag: 'em-apl-alpha',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { value: 0.2 },
    help: 'weight of the entropy term at an unknown without a pseudo-label',
    strategies: ['em-apl'],
  },
  emAplBeta: {
    flag: 'em-apl-beta',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { value: 0.02 },
    help: 'weight of the pseudo-labels',
    strategies: ['em-apl'],
  },
  emAplNegProportion: {
    flag: 'em-apl-neg-proportion',
    arg: 'X',
    value: UNIT,
    required: false,
    default: { value: 0.9 },
    help: "share of each label's unknowns pseudo-labelled by the last round",
    strategies: ['em-apl'],
  },
  emAplWarmupEpoch: {
    flag: 'em-apl-warmup-epoch',
    arg: 'N',
    value: POSITIVE_INTEGER,
    required: false,
    default: { value: 5 },
    help: 'the epoch after which pseudo-labelling starts',
    strategies: ['em-apl'],
  },
  emAplNumEpochs: {
    flag: 'em-apl-num-epochs',
    arg: 'N',
    value: POSITIVE_INTEGER,
    required: false,
    default: { value: 10 },
    help: 'the epoch of the last pseudo-labelling round (above --em-apl-warmup-epoch)',
    strategies: ['em-apl'],
  },
  grEpochs: {
    flag: 'gr-epochs',
    arg: 'N',
    value: POSITIVE_INTEGER,
    required: false,
    default: { value: 8 },
    help: "epochs over which GR's w, b, mu and sigma move (then held)",
    strategies: ['gr'],
  },
  grQ2: {
    flag: 'gr-q2',
    arg: 'X',
    value: { kind: 'number', min: 0, minExcluded: true },
    required: false,
    default: { value: 0.01 },
    help: "exponent of GR's positive side on the unknown labels",
    strategies: ['gr'],
  },
  grQ3: {
    flag: 'gr-q3',
    arg: 'X',
    value: { kind: 'number', min: 0, minExcluded: true },
    required: false,
    default: { value: 1 },
    help: "exponent of GR's negative side on the unknown labels",
    strategies: ['gr'],
  },
  pwA: {
    flag: 'pw-a',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { value: 0.55 },
    help: 'a of the propensity model (Jain et al.)',
    strategies: ['pw'],
  },
  pwB: {
    flag: 'pw-b',
    arg: 'X',
    value: NON_NEGATIVE,
    required: false,
    default: { value: 1.5 },
    help: 'b of the propensity model (Jain et al.)',
    strategies: ['pw'],
  },
  pwEstimator: {
    flag: 'pw-estimator',
    arg: 'NAME',
    value: { kind: 'choice', values: ['pw', 'upperBound', 'unbiased'] },
    required: false,
    default: { value: 'pw' },
    help: 'the propensity-weighted estimator: normalised weights, their upper bound, or unbiased',
    strategies: ['pw'],
  },
} satisfies Record<OptionField, OptionRow>;

/**
 * The defaults of the `train` command's own flags, for a person training a model on their
 * data: one strategy, one run, and without --test a seeded share of the training rows held
 * out as the test rows. (The yeast comparison, `npm run demo`, asks for three strategies,
 * three runs and --hide 0.5 itself.)
 */
export const TRAIN_DEFAULTS = {
  strategy: 'masked',
  runs: 1,
  testShare: 0.2,
} as const satisfies { strategy: Strategy; runs: number; testShare: number };

/** Every option of runExperiment, in the order `train --help` lists their flags. */
export const OPTION_TABLE: Readonly<Record<OptionField, OptionRow>> = ROWS;

/** LL's default share of unknowns added per step, per mode: the defaults of the deltaRel row. */
export const DEFAULT_DELTA_REL = ROWS.deltaRel.default.byStrategy;

/** The options of the missing-label methods: the rows that name the strategies reading them. */
export type MethodOption = {
  [K in OptionField]: (typeof ROWS)[K] extends { strategies: readonly Strategy[] } ? K : never;
}[OptionField];

/** The fields of OPTION_TABLE, in its order. */
export const OPTION_FIELDS = Object.keys(OPTION_TABLE) as OptionField[];

/** The method options, in table order. */
export const METHOD_OPTIONS = OPTION_FIELDS.filter(
  (field) => OPTION_TABLE[field].strategies !== undefined,
) as MethodOption[];

/** The method options `strategy` reads, in table order. */
export function optionsOf(strategy: Strategy): MethodOption[] {
  return METHOD_OPTIONS.filter((field) => OPTION_TABLE[field].strategies!.includes(strategy));
}

/** `values` as words: `'a' or 'b'`, `'a', 'b' or 'c'`, or `one of 'a', 'b', ..., 'z'`. */
export function choiceWords(values: readonly string[], quote: (v: string) => string): string {
  const quoted = values.map(quote);
  if (quoted.length > 3) return `one of ${quoted.join(', ')}`;
  return quoted.slice(0, -1).join(', ') + ` or ${quoted[quoted.length - 1]}`;
}

/** What a value of `value` must be, for an error message ('a number from 0 to 1'). */
export function expectedWords(value: OptionValue): string {
  switch (value.kind) {
    case 'number':
      if (value.max === undefined) {
        return `a finite number ${value.minExcluded ? '>' : '>='} ${value.min}`;
      }
      return (
        `a number ${value.minExcluded ? 'above' : 'from'} ${value.min} ` +
        `${value.maxExcluded ? 'up to (not including)' : 'to'} ${value.max}`
      );
    case 'integer':
      return value.min === 1 ? 'a positive integer' : `an integer >= ${value.min}`;
    case 'integers':
      return 'a list of positive integers';
    case 'choice':
      return choiceWords(value.values, (v) => `'${v}'`);
    case 'boolean':
      return 'true or false';
    case 'seed':
      return 'a finite number or a string';
  }
}

/** Whether `v` is a value of `value`. */
export function isValueOf(value: OptionValue, v: unknown): boolean {
  switch (value.kind) {
    case 'number':
      return (
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (value.minExcluded ? v > value.min : v >= value.min) &&
        (value.max === undefined || (value.maxExcluded ? v < value.max : v <= value.max))
      );
    case 'integer':
      return Number.isInteger(v) && (v as number) >= value.min;
    case 'integers':
      return Array.isArray(v) && v.every(isPositiveInteger);
    case 'choice':
      return typeof v === 'string' && value.values.includes(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'seed':
      return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
  }
}

/**
 * Checks option `field` of `where` (a function name): a value out of its row's range is an
 * error naming the function, the option, the value and what was expected. An optional
 * option may be left out.
 */
export function checkOption(where: string, field: OptionField, v: unknown): void {
  if (typeof where !== 'string') {
    throw new MaskgradError(
      `checkOption: where must be a string (the name its errors begin with), got ${describeValue(where)}`,
    );
  }
  if (typeof field !== 'string' || !Object.prototype.hasOwnProperty.call(OPTION_TABLE, field)) {
    throw new MaskgradError(
      `checkOption: field must be one of the options (${Object.keys(OPTION_TABLE).join(', ')}), got ${describeValue(field)}`,
    );
  }
  const row = OPTION_TABLE[field];
  if (v === undefined && !row.required) return;
  if (!isValueOf(row.value, v)) {
    throw new MaskgradError(
      `${where}: ${field} must be ${expectedWords(row.value)}, got ${describeValue(v)}`,
    );
  }
}

/** The default of `field` in words, as --help and the strategies' descriptions give it. */
export function defaultWords(field: OptionField, strategy?: Strategy): string | undefined {
  const d = OPTION_TABLE[field].default;
  if (d === undefined) return undefined;
  if ('computed' in d) return d.computed;
  if ('value' in d) return Array.isArray(d.value) ? d.value.join(',') : String(d.value);
  if (strategy !== undefined) return String(d.byStrategy[strategy]);
  return Object.entries(d.byStrategy)
    .map(([s, v]) => `${v} for ${s}`)
    .join(', ');
}

/**
 * Option `field` of `options`, or when it is not given its row's default (for
 * `options.strategy`); undefined where the default is computed where it is used.
 */
export function optionValue<K extends OptionField>(
  options: ExperimentOptions,
  field: K,
): ExperimentOptions[K] | undefined {
  const given = options[field];
  if (given !== undefined) return given;
  const d = OPTION_TABLE[field].default;
  if (d === undefined || 'computed' in d) return undefined;
  return ('value' in d ? d.value : d.byStrategy[options.strategy]) as ExperimentOptions[K];
}

/**
 * Method option `field` of `options`, or its default for `options.strategy` when it is not
 * given. A default computed where it is used has no value here: that is an internal error.
 */
export function methodOption(options: ExperimentOptions, field: MethodOption): number {
  const v = optionValue(options, field);
  if (typeof v !== 'number') {
    throw new MaskgradError(
      `methodOption: ${field} has no default for the strategy '${options.strategy}'`,
      { code: 'ERR_INTERNAL' },
    );
  }
  return v;
}

/**
 * A strategy's description with its options: `summary (--flag, default D; ...)`, from the
 * rows of the options it reads.
 */
export function describeStrategy(strategy: Strategy, summary: string): string {
  const options = optionsOf(strategy).map(
    (field) => `--${OPTION_TABLE[field].flag}, default ${defaultWords(field, strategy)}`,
  );
  return options.length === 0 ? summary : `${summary} (${options.join('; ')})`;
}
