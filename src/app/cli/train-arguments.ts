// The flags of `train`: the command's own (data files, strategies, runs, output) around the
// flags of OPTION_TABLE's rows, their help, and the parsed configuration of a run.
import { existsSync } from 'fs';
import { resolve } from 'path';
import { checkWritable } from '../../node/atomic-write';
import { checkOutputNotInput } from '../../node/output-not-input';
import type { ExperimentOptions } from '../experiment';
import {
  defaultWords,
  METHOD_OPTIONS,
  OPTION_FIELDS,
  OPTION_TABLE,
  type OptionField,
  POSITIVE_INTEGER,
  type Regime,
  TRAIN_DEFAULTS,
  type Strategy,
  STRATEGY_NAMES,
} from '../options';
import { STRATEGIES, strategiesFor } from '../strategies';
import { expectedText, flagValue } from './flag-values';
import { type Command, type Flags, type FlagSpec, UsageError } from './io';
import { BUNDLED } from './train-data';
import { type ColumnFlags, COLUMN_FLAGS, columnFlags, labelsFlag } from './column-flags';
import type { LabelSpec } from '../../core/data/column-roles';

/** What a `train` command runs: the data, the strategies, and the options every run shares. */
export interface TrainConfig {
  train: string;
  /** The test file; null: `testShare` of the training file's rows are held out as test rows. */
  test: string | null;
  testShare: number;
  labels: LabelSpec;
  /** --id, --ignore and --delimiter, for the training and test files. */
  columns: ColumnFlags;
  strategies: Strategy[];
  /** What `--strategy all` left out in this regime, and why. */
  skipped: { strategy: Strategy; reason: string }[];
  /** runExperiment's options for every run, but the strategy and the seed. */
  options: Omit<ExperimentOptions, 'strategy' | 'seed' | 'hooks' | 'refitHooks'> & {
    regime: Regime;
  };
  /** The first run's seed: run i uses seed + i (an integer) or `${seed}-${i}` (text). */
  seed: number | string;
  runs: number;
  json: boolean;
  save?: string;
  /** Tune per-class thresholds on the validation rows, or keep 0.5 for every class. */
  tune: boolean;
  /** `--log FILE`: one JSON line per epoch of every run. */
  log?: string;
  /** `--report FILE`: the run report page (HTML). */
  report?: string;
  /** `--verbose`: a line per epoch on stderr. */
  verbose: boolean;
}

/** The values of --test-share: a share of the rows, neither none nor all of them. */
const SHARE = { kind: 'number', min: 0, minExcluded: true, max: 1, maxExcluded: true } as const;

/** The flags `train` has besides the option rows': the data, the strategies. */
const DATA_FLAGS: FlagSpec = {
  train: {
    type: 'string',
    arg: 'FILE',
    help: 'training data: .arff, or .csv, .tsv or .txt (comma, tab or semicolon separated)',
    default: 'bundled yeast-train.arff',
  },
  test: {
    type: 'string',
    arg: 'FILE',
    help: 'test data, the same formats (columns matched by name)',
    default: 'bundled yeast-test.arff; with --train, --test-share of its rows held out',
  },
  'test-share': {
    type: 'string',
    arg: 'RATE',
    help: `without --test: the share of the --train rows held out as test rows (seeded by --seed); ${expectedText(SHARE)}`,
    default: String(TRAIN_DEFAULTS.testShare),
  },
  labels: { ...COLUMN_FLAGS.labels, default: `${BUNDLED.labels} with the bundled data` },
  id: COLUMN_FLAGS.id,
  ignore: COLUMN_FLAGS.ignore,
  delimiter: COLUMN_FLAGS.delimiter,
  strategy: {
    type: 'string',
    arg: 'NAME',
    help: `one or more of ${STRATEGY_NAMES.join(', ')}, comma separated, or all (every one that makes sense in the regime)`,
    default: TRAIN_DEFAULTS.strategy,
  },
};

/** The flags `train` has besides the option rows': the runs and what they write. */
const OUTPUT_FLAGS: FlagSpec = {
  runs: {
    type: 'string',
    arg: 'N',
    help: 'runs per strategy, with seeds S, S+1, ...; the table shows their mean',
    default: String(TRAIN_DEFAULTS.runs),
  },
  json: {
    type: 'boolean',
    help: 'print one JSON object per strategy run, nothing else, on stdout',
  },
  save: {
    type: 'string',
    arg: 'FILE',
    help: 'save the model of the first run as a model file for predict and export (one strategy only)',
  },
  thresholds: {
    type: 'string',
    arg: 'tune|0.5',
    help: 'per-class decision thresholds to save: tuned for F1 on the validation rows, or 0.5',
    default: '0.5',
  },
  log: {
    type: 'string',
    arg: 'FILE',
    help: 'write one JSON line per epoch of every run (strategy, run, seed, phase, epoch, loss, valMAP, best, seconds)',
  },
  report: {
    type: 'string',
    arg: 'FILE',
    help: 'write the run report: one HTML page with the curves, per-label average precision, precision-recall curves, counts and settings',
  },
  verbose: {
    type: 'boolean',
    help: 'print a line per epoch on stderr (loss, validation mAP, seconds)',
  },
};

/** The option rows `train` has a flag for, in table order. */
const FLAGGED = OPTION_FIELDS.filter((field) => OPTION_TABLE[field].flag !== null);

/** The flag of an option row as `--help` shows it: the readers, the range, the default. */
function optionFlag(field: OptionField): FlagSpec[string] {
  const row = OPTION_TABLE[field];
  const readers = row.strategies?.map((s) => STRATEGIES[s].title).join(', ');
  const help = readers ? `${readers}: ${row.help}` : row.help;
  if (row.value.kind === 'boolean') return { type: 'boolean', help };
  return {
    type: 'string',
    arg: row.arg,
    help: `${help}; ${expectedText(row.value)}`,
    default: defaultWords(field),
  };
}

/** The `train` command: every flag in `--help` order, then the strategies. */
export const TRAIN: Command = {
  usage: 'maskgrad train [options]',
  flags: {
    ...DATA_FLAGS,
    ...Object.fromEntries(FLAGGED.map((field) => [OPTION_TABLE[field].flag!, optionFlag(field)])),
    ...OUTPUT_FLAGS,
  },
  notes: [
    'Strategies:',
    ...STRATEGY_NAMES.map(
      (name) => `  ${name.padEnd(22)} ${STRATEGIES[name].title}: ${STRATEGIES[name].describe}`,
    ),
    '',
    'With --train, --labels is required too; --test is optional.',
  ],
};

/**
 * The data files and label count: --train and --labels, with --test or a share of the
 * training rows held out (--test-share); or, with none of them, the bundled yeast data.
 */
function dataFiles(flags: Flags): Pick<TrainConfig, 'train' | 'test' | 'testShare' | 'labels'> {
  const testShare =
    flags['test-share'] === undefined
      ? TRAIN_DEFAULTS.testShare
      : (flagValue('test-share', SHARE, flags['test-share'] as string) as number);
  if (flags.train === undefined) {
    const given = ['test', 'labels', 'test-share'].filter((f) => flags[f] !== undefined);
    if (given.length > 0) {
      throw new UsageError(
        `--${given[0]} is for your own data: give --train FILE and --labels too (or neither, for the bundled yeast data)`,
      );
    }
    if (!existsSync(BUNDLED.train)) {
      throw new UsageError(
        'the bundled yeast data is not in this installation; give --train FILE and --labels',
      );
    }
    return { train: BUNDLED.train, test: BUNDLED.test, testShare, labels: BUNDLED.labels };
  }
  if (flags.labels === undefined) {
    throw new UsageError('--train needs --labels: which columns are the labels (see --help)');
  }
  if (flags.test !== undefined && flags['test-share'] !== undefined) {
    throw new UsageError(
      '--test-share holds out test rows when there is no --test file; give one or the other',
    );
  }
  const labels = labelsFlag(flags.labels as string);
  const files = { train: flags.train as string, test: (flags.test as string) ?? null };
  for (const file of [files.train, files.test]) {
    if (file !== null && !existsSync(file)) throw new UsageError(`no such file: ${file}`);
  }
  return { ...files, testShare, labels };
}

/** The strategies of `--strategy`, a list of names or `all` (those that fit the regime). */
function chosenStrategies(text: string, regime: Regime): ReturnType<typeof strategiesFor> {
  if (text === 'all') return strategiesFor(regime);
  const listed = text.split(',');
  for (const name of listed) {
    if (!(STRATEGY_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(
        `--strategy must be one or more of ${STRATEGY_NAMES.join(', ')} (comma separated) or all, got '${name}'`,
      );
    }
  }
  return { run: [...new Set(listed)] as Strategy[], skipped: [] };
}

/**
 * The option rows' values from their flags: the given ones checked by their rows, the others
 * their rows' defaults; a method option is set only when given.
 */
function optionValues(flags: Flags): TrainConfig['options'] & { seed: number | string } {
  const values: Partial<Record<OptionField, unknown>> = {};
  for (const field of FLAGGED) {
    const row = OPTION_TABLE[field];
    const given = flags[row.flag!];
    const byDefault =
      row.default !== undefined && 'value' in row.default ? row.default.value : undefined;
    if (row.value.kind === 'boolean') values[field] = given ? !byDefault : byDefault;
    else if (given !== undefined) values[field] = flagValue(row.flag!, row.value, given as string);
    else if (row.strategies === undefined) values[field] = byDefault;
  }
  return values as TrainConfig['options'] & { seed: number | string };
}

/** Fails for a method option's flag that none of `strategies` reads: it would do nothing. */
function checkReaders(flags: Flags, strategies: Strategy[], strategyText: string): void {
  for (const field of METHOD_OPTIONS) {
    const { flag, strategies: readers } = OPTION_TABLE[field];
    if (flags[flag!] !== undefined && !strategies.some((s) => readers!.includes(s))) {
      throw new UsageError(
        `--${flag} is an option of ${readers!.join(', ')}; --strategy ${strategyText} does not use it`,
      );
    }
  }
}

/** The configuration the flags of `train` ask for; a bad flag or value is a UsageError. */
export function trainConfig(flags: Flags): TrainConfig {
  const files = dataFiles(flags);
  const { seed, ...options } = optionValues(flags);
  const strategyText = (flags.strategy as string | undefined) ?? DATA_FLAGS.strategy.default!;
  const chosen = chosenStrategies(strategyText, options.regime);
  checkReaders(flags, chosen.run, strategyText);
  if (options.regime === 'single-positive' && flags.hide !== undefined) {
    throw new UsageError(
      '--hide is for --regime random; single-positive keeps one positive label per training row',
    );
  }
  const save = flags.save as string | undefined;
  if (save !== undefined) {
    if (chosen.run.length > 1) {
      throw new UsageError(
        `--save needs a single --strategy (${STRATEGY_NAMES.join(', ').replace(/, (\w+)$/, ' or $1')})`,
      );
    }
    checkOutputNotInput('--save', save, [
      { flag: '--train', file: files.train },
      ...(files.test === null ? [] : [{ flag: '--test', file: files.test }]),
    ]);
    checkWritable(save, '--save');
  }
  const inputs = [
    { flag: '--train', file: files.train },
    ...(files.test === null ? [] : [{ flag: '--test', file: files.test }]),
  ];
  const written: { flag: string; file: string }[] =
    save === undefined ? [] : [{ flag: '--save', file: save }];
  for (const flag of ['log', 'report'] as const) {
    const file = flags[flag] as string | undefined;
    if (file === undefined) continue;
    checkOutputNotInput(`--${flag}`, file, inputs);
    const twin = written.find((w) => resolve(w.file) === resolve(file));
    if (twin) {
      throw new UsageError(
        `--${flag} and ${twin.flag} name the same file ${file}; give each its own`,
      );
    }
    checkWritable(file, `--${flag}`);
    written.push({ flag: `--${flag}`, file });
  }
  const runsText = (flags.runs as string | undefined) ?? OUTPUT_FLAGS.runs.default!;
  const runs = flagValue('runs', POSITIVE_INTEGER, runsText) as number;
  // An integer seed stays a number (run i uses seed + i), so every seed must be exact in a float64.
  if (typeof seed === 'number' && !Number.isSafeInteger(seed + (runs - 1))) {
    throw new UsageError(`--seed must be an integer below 2^53 (or text), got '${flags.seed}'`);
  }
  const thresholds = (flags.thresholds as string | undefined) ?? OUTPUT_FLAGS.thresholds.default!;
  flagValue('thresholds', { kind: 'choice', values: ['tune', '0.5'] }, thresholds);
  if (thresholds === 'tune' && options.val === 0) {
    throw new UsageError(
      '--thresholds tune picks thresholds on the validation rows: it needs --val > 0',
    );
  }
  return {
    ...files,
    columns: columnFlags(flags),
    strategies: chosen.run,
    skipped: chosen.skipped,
    options,
    seed,
    runs,
    json: Boolean(flags.json),
    save,
    tune: thresholds === 'tune',
    log: flags.log as string | undefined,
    report: flags.report as string | undefined,
    verbose: Boolean(flags.verbose),
  };
}

/** The seeds of the runs: seed, seed + 1, ... (seed, seed-1, seed-2, ... for a text seed). */
export function seedsOf(config: TrainConfig): (number | string)[] {
  const { seed } = config;
  return Array.from({ length: config.runs }, (_, i) =>
    i === 0 ? seed : typeof seed === 'number' ? seed + i : `${seed}-${i}`,
  );
}
