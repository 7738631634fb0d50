// The `train` command: train a multi-label classifier on data with missing labels, and
// compare how the unknown labels are handled. Without flags: the bundled yeast data (in a
// clone of the repository), half of the training labels hidden, strategies masked,
// unknown = negative, and all labels. Run as `maskgrad train` or examples/train.ts.
import { accessSync, constants, existsSync, statSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import { parseArgs } from 'util';
import {
  alignDataset,
  applyThresholds,
  f1,
  isMaskgradError,
  modelFileFrom,
  predictProbabilities,
  Tensor,
  tuneThresholds,
  type MultiLabelDataset,
  TrainingDivergedError,
} from '../../index';
import { fileDigest, loadDataset, writeModelFile } from '../../node';
import { checkWritable as checkModelWritable } from '../../node/atomic-write';
import {
  DEFAULT_DELTA_REL,
  type ExperimentResult,
  METHOD_OPTIONS,
  type MethodOption,
  REGIMES,
  type Regime,
  STRATEGIES,
  STRATEGY_NAMES,
  type Strategy,
  runExperiment,
  strategiesFor,
} from '../experiment';

/**
 * A package of the repository's dev dependencies (the chart and the progress bar), or null
 * where it is not installed (a package installed from npm): the command then draws without it.
 */
function optional<T>(name: string): T | null {
  try {
    return require(name) as T;
  } catch {
    return null;
  }
}

type Asciichart = typeof import('asciichart');
type CliProgress = typeof import('cli-progress');
const asciichart = optional<Asciichart>('asciichart');
const cliProgress = optional<CliProgress>('cli-progress');

const BUNDLED = {
  train: join(__dirname, '..', '..', '..', 'examples', 'data', 'yeast-train.arff'),
  test: join(__dirname, '..', '..', '..', 'examples', 'data', 'yeast-test.arff'),
  labels: 14,
};

const OPTIONS = {
  train: {
    type: 'string',
    arg: 'FILE',
    help: 'training data, ARFF or CSV',
    default: 'bundled yeast-train.arff',
  },
  test: {
    type: 'string',
    arg: 'FILE',
    help: 'test data, ARFF or CSV',
    default: 'bundled yeast-test.arff',
  },
  labels: {
    type: 'string',
    arg: 'N',
    help: 'number of label columns (the last N)',
    default: '14 with the bundled data',
  },
  regime: {
    type: 'string',
    arg: 'NAME',
    help: 'random (hide --hide of the known labels) | single-positive (one positive per training row)',
    default: 'random',
  },
  hide: {
    type: 'string',
    arg: 'RATE',

    help: 'share of known training labels to hide, 0..1 (random regime)',
    default: '0.5',
  },
  strategy: {
    type: 'string',
    arg: 'NAME',

    help: `one or more of ${STRATEGY_NAMES.join(', ')}, comma separated, or all (every one that makes sense in the regime)`,
    default: 'full,masked,negative',
  },
  epochs: {
    type: 'string',
    arg: 'N',
    help: 'the most epochs to train (all of them with --val 0)',
    default: '100',
  },
  val: {
    type: 'string',
    arg: 'RATE',
    help: 'share of training rows held out for early stopping, 0..1 (single-positive: scored on their clean labels; 0: a fixed epoch count)',
    default: '0.2',
  },
  patience: {
    type: 'string',
    arg: 'N',
    help: 'epochs without a better validation mAP before stopping',
    default: '10',
  },
  'batch-size': { type: 'string', arg: 'N', help: 'rows per mini-batch', default: '64' },
  hidden: {
    type: 'string',
    arg: 'LIST',

    help: 'hidden layer sizes, comma separated',
    default: '128,128',
  },
  optimizer: { type: 'string', arg: 'NAME', help: 'adam | sgd', default: 'adam' },
  lr: { type: 'string', arg: 'X', help: 'learning rate', default: '0.001' },
  'weight-decay': { type: 'string', arg: 'X', help: 'L2 weight decay', default: '0.001' },
  seed: {
    type: 'string',
    arg: 'S',
    help: 'seed of hiding, splitting, initial weights and batch order',
    default: '1',
  },
  runs: {
    type: 'string',
    arg: 'N',
    help: 'runs per strategy, with seeds S, S+1, ...; the table shows their mean',
    default: '3',
  },
  'expected-positives': {
    type: 'string',
    arg: 'K',
    help: 'EPR, ROLE: expected positives per row',
    default: "estimated from the training file's labels",
  },
  'delta-rel': {
    type: 'string',
    arg: 'X',
    help: 'LL-R, LL-Ct, LL-Cp: share of unknowns rejected/corrected, added per epoch',
    default: `${DEFAULT_DELTA_REL['ll-r']}, ${DEFAULT_DELTA_REL['ll-ct']}, ${DEFAULT_DELTA_REL['ll-cp']}`,
  },
  'label-smoothing': { type: 'string', arg: 'X', help: 'AN-LS: label smoothing', default: '0.1' },
  'unknown-weight': {
    type: 'string',
    arg: 'X',
    help: 'WAN: weight of the unknown labels',
    default: '1/(C-1)',
  },
  'lr-multiplier': {
    type: 'string',
    arg: 'X',
    help: "ROLE: the label estimates' learning rate over the model's",
    default: '10',
  },
  'gamma-pos': { type: 'string', arg: 'X', help: 'ASL: focusing of positives', default: '0' },
  'gamma-neg': { type: 'string', arg: 'X', help: 'ASL: focusing of negatives', default: '4' },
  clip: { type: 'string', arg: 'X', help: 'ASL: probability margin of negatives', default: '0.05' },
  'no-refit': {
    type: 'boolean',
    help: 'keep the early-stopped model instead of retraining on all rows for the best epoch count',
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
  help: { type: 'boolean', help: 'print this help' },
} as const;

/** The flag of each method option. */
const METHOD_FLAGS: Record<MethodOption, keyof typeof OPTIONS> = {
  expectedPositives: 'expected-positives',
  deltaRel: 'delta-rel',
  labelSmoothing: 'label-smoothing',
  unknownWeight: 'unknown-weight',
  lrMultiplier: 'lr-multiplier',
  gammaPos: 'gamma-pos',
  gammaNeg: 'gamma-neg',
  clip: 'clip',
};

/** A bad flag or input file: printed as one line, exit code 2. */
class UsageError extends Error {}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether progress may redraw a bar (stderr is a terminal). */
  tty: boolean;
  /** Whether the chart may use colors (stdout is a terminal). */
  colors: boolean;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: Boolean(process.stderr.isTTY),
  colors: Boolean(process.stdout.isTTY),
};

function helpText(): string {
  const lines = ['Usage: maskgrad train [options]', '', 'Options:'];
  for (const [name, o] of Object.entries(OPTIONS)) {
    const flag = 'arg' in o ? `--${name} ${o.arg}` : `--${name}`;
    const dflt = 'default' in o ? ` (default ${o.default})` : '';
    lines.push(`  ${flag.padEnd(24)} ${o.help}${dflt}`);
  }
  lines.push('', 'Strategies:');
  for (const name of STRATEGY_NAMES) {
    lines.push(`  ${name.padEnd(22)} ${STRATEGIES[name].title}: ${STRATEGIES[name].describe}`);
  }
  lines.push('', 'With --train, --test and --labels are required too.');
  return lines.join('\n') + '\n';
}

function number(
  flag: string,
  text: string,
  check: (v: number) => boolean,
  expected: string,
): number {
  // Plain decimal notation only: Number() would also take '0x2', '' or ' 3 '.
  const v = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v) || !check(v)) {
    throw new UsageError(`--${flag} must be ${expected}, got '${text}'`);
  }
  return v;
}

const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;

interface Config {
  train: string;
  test: string;
  labels: number;
  strategies: Strategy[];
  /** What `--strategy all` left out in this regime, and why. */
  skipped: { strategy: Strategy; reason: string }[];
  regime: Regime;
  methodOptions: Partial<Record<MethodOption, number>>;
  hide: number;
  epochs: number;
  val: number;
  patience: number;
  batchSize: number;
  hidden: number[];
  optimizer: 'adam' | 'sgd';
  lr: number;
  weightDecay: number;
  seed: number | string;
  runs: number;
  refit: boolean;
  json: boolean;
  save?: string;
  /** Tune per-class thresholds on the validation rows, or keep 0.5 for every class. */
  tune: boolean;
}

/**
 * `--lr -1` as `--lr=-1`: parseArgs takes a value starting with '-' for an option, so a
 * negative number after a flag that takes a value is joined to it (and then range-checked).
 */
function joinNegativeNumbers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    const option = Object.prototype.hasOwnProperty.call(OPTIONS, name)
      ? OPTIONS[name as keyof typeof OPTIONS]
      : null;
    if (option?.type === 'string' && i + 1 < argv.length && /^-[\d.]/.test(argv[i + 1])) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

/** Whether `e` is one of node's parseArgs errors (a bad flag, not a bug). */
function isParseArgsError(e: unknown): e is Error {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Fails unless `file` can be written: its folder exists and is writable, and it is no folder. */
function checkWritable(file: string): void {
  if (file === '') throw new UsageError('--save needs a file name');
  const folder = dirname(resolve(file));
  if (!existsSync(folder)) throw new UsageError(`--save: no such folder: ${dirname(file)}`);
  if (!statSync(folder).isDirectory()) {
    throw new UsageError(`--save: ${dirname(file)} is not a folder`);
  }
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new UsageError(`--save: ${file} is a folder; expected a file name`);
  }
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new UsageError(`--save: cannot write into the folder ${dirname(file)}`);
  }
  try {
    // A file really made and removed in the folder: what access() cannot tell (a read-only mount).
    checkModelWritable(file, '--save');
  } catch (e) {
    if (!isMaskgradError(e)) throw e;
    throw new UsageError(e.message.split('\n')[0]);
  }
}

function parseConfig(argv: string[]): Config | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      Object.entries(OPTIONS).map(([k, o]) => [k, { type: o.type }]),
    );
    values = parseArgs({
      args: joinNegativeNumbers(argv),
      options,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    if (!isParseArgsError(e)) throw e;
    throw new UsageError(`${e.message.split('\n')[0]} (see --help)`);
  }
  if (values.help) return 'help';
  /** A string flag's value, or its default from OPTIONS. */
  const str = (k: keyof typeof OPTIONS) => {
    const o = OPTIONS[k];
    return (values[k] as string | undefined) ?? ('default' in o ? o.default : '');
  };

  if (values.train === undefined && !existsSync(BUNDLED.train)) {
    throw new UsageError(
      'the bundled yeast data is not in this installation; give --train, --test and --labels',
    );
  }
  let train = BUNDLED.train;
  let test = BUNDLED.test;
  let labels = BUNDLED.labels;
  if (values.train !== undefined || values.test !== undefined || values.labels !== undefined) {
    if (values.train === undefined || values.test === undefined || values.labels === undefined) {
      throw new UsageError(
        '--train, --test and --labels go together: give all three (or none, for the bundled yeast data)',
      );
    }
    train = values.train as string;
    test = values.test as string;
  }
  if (values.labels !== undefined) {
    labels = number('labels', values.labels as string, positiveInt, 'a positive integer');
  }
  for (const file of [train, test]) {
    if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  }
  const strategy = str('strategy');
  const listed = strategy.split(',');
  for (const name of strategy === 'all' ? [] : listed) {
    if (!(STRATEGY_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(
        `--strategy must be one or more of ${STRATEGY_NAMES.join(', ')} (comma separated) or all, got '${name}'`,
      );
    }
  }
  const optimizer = str('optimizer');
  if (optimizer !== 'adam' && optimizer !== 'sgd') {
    throw new UsageError(`--optimizer must be adam or sgd, got '${optimizer}'`);
  }
  const hiddenText = str('hidden');
  const hidden = hiddenText.split(',').map((s) => Number(s));
  if (!hidden.every(positiveInt)) {
    throw new UsageError(
      `--hidden must be positive integers separated by commas (e.g. 128,128), got '${hiddenText}'`,
    );
  }
  const regime = str('regime');
  if (!(REGIMES as readonly string[]).includes(regime)) {
    throw new UsageError(`--regime must be ${REGIMES.join(' or ')}, got '${regime}'`);
  }
  if (regime === 'single-positive' && values.hide !== undefined) {
    throw new UsageError(
      '--hide is for --regime random; single-positive keeps one positive label per training row',
    );
  }
  const chosen =
    strategy === 'all'
      ? strategiesFor(regime as Regime)
      : { run: [...new Set(listed)] as Strategy[], skipped: [] };
  const strategies = chosen.run;
  const methodOptions: Partial<Record<MethodOption, number>> = {};
  for (const key of METHOD_OPTIONS) {
    const flag = METHOD_FLAGS[key];
    const text = values[flag] as string | undefined;
    if (text === undefined) continue;
    const users = STRATEGY_NAMES.filter((s) => STRATEGIES[s].uses.includes(key));
    if (!strategies.some((s) => users.includes(s))) {
      throw new UsageError(
        `--${flag} is an option of ${users.join(', ')}; --strategy ${strategy} does not use it`,
      );
    }
    const unit = key === 'deltaRel' || key === 'labelSmoothing' || key === 'clip';
    methodOptions[key] = number(
      flag,
      text,
      unit ? (v) => v >= 0 && v <= 1 : (v) => v >= 0,
      unit ? 'a number from 0 to 1' : 'a number >= 0',
    );
  }
  if (values.save !== undefined) {
    if (strategies.length > 1) {
      throw new UsageError(
        `--save needs a single --strategy (${STRATEGY_NAMES.join(', ').replace(/, (\w+)$/, ' or $1')})`,
      );
    }
    checkWritable(values.save as string);
  }
  const seedText = str('seed');
  const runs = number('runs', str('runs'), positiveInt, 'a positive integer');
  // An integer seed stays a number (run i uses seed + i), so every seed must be exact in a float64.
  if (/^-?\d+$/.test(seedText) && !Number.isSafeInteger(Number(seedText) + runs - 1)) {
    throw new UsageError(`--seed must be an integer below 2^53 (or text), got '${seedText}'`);
  }
  const thresholds = str('thresholds');
  if (thresholds !== 'tune' && thresholds !== '0.5') {
    throw new UsageError(`--thresholds must be tune or 0.5, got '${thresholds}'`);
  }
  const config: Config = {
    train,
    test,
    labels,
    strategies,
    skipped: chosen.skipped,
    regime: regime as Regime,
    methodOptions,
    hide: number('hide', str('hide'), (v) => v >= 0 && v <= 1, 'a number from 0 to 1'),
    epochs: number('epochs', str('epochs'), positiveInt, 'a positive integer'),
    val: number(
      'val',
      str('val'),
      (v) => v >= 0 && v < 1,
      'a number from 0 up to (not including) 1',
    ),
    patience: number('patience', str('patience'), positiveInt, 'a positive integer'),
    batchSize: number('batch-size', str('batch-size'), positiveInt, 'a positive integer'),
    hidden,
    optimizer,
    lr: number('lr', str('lr'), (v) => v > 0, 'a number > 0'),
    weightDecay: number('weight-decay', str('weight-decay'), (v) => v >= 0, 'a number >= 0'),
    seed: /^-?\d+$/.test(seedText) ? Number(seedText) : seedText,
    runs,
    refit: !values['no-refit'],
    json: Boolean(values.json),
    save: values.save as string | undefined,
    tune: thresholds === 'tune',
  };
  if (config.tune && config.val === 0) {
    throw new UsageError(
      '--thresholds tune picks thresholds on the validation rows: it needs --val > 0',
    );
  }
  return config;
}

/** The data set in `file`, with at least one row; a file the readers reject is a UsageError. */
function load(file: string, labels: number | readonly string[]): MultiLabelDataset {
  let data: MultiLabelDataset;
  try {
    data = loadDataset(file, { labels });
  } catch (e) {
    if (!isMaskgradError(e)) throw e;
    throw new UsageError(e.message.split('\n')[0]);
  }
  if (data.x.shape[0] === 0) throw new UsageError(`${file} has no data rows`);
  return data;
}

/**
 * The test file with its columns matched to the training file's by name, in the training
 * file's order: another column order gives the same data. Its label columns are found by the
 * training label names; a missing column is a UsageError naming it, and extra columns are
 * left out with a note on stderr (ids or notes a file may carry; a misspelt feature already
 * fails as missing).
 */
function testMatchedByName(file: string, train: MultiLabelDataset, io: Io): MultiLabelDataset {
  const raw = load(file, train.labelNames);
  const missing = train.featureNames.filter((n) => !raw.featureNames.includes(n));
  if (missing.length > 0) {
    throw new UsageError(
      `the test file ${file} has no column ${missing.map((n) => `"${n}"`).join(', ')}: ` +
        `${missing.length === 1 ? 'a feature' : 'features'} of the training file`,
    );
  }
  try {
    const { data, extra } = alignDataset(raw, {
      features: { names: train.featureNames },
      labels: { names: train.labelNames },
    });
    if (extra.length > 0) {
      io.err(
        `train: note: ignoring the test columns ${extra.map((n) => `"${n}"`).join(', ')} (not in the training file)\n`,
      );
    }
    return data;
  } catch (e) {
    if (!isMaskgradError(e)) throw e;
    throw new UsageError(`${e.message.split('\n')[0]} (in ${file})`);
  }
}

const title = (strategy: Strategy) => STRATEGIES[strategy].title;

function jsonRecord(r: ExperimentResult) {
  const { strategy, regime, hide, seed, epochs, bestEpoch, mAP, lrap, microF1, macroF1 } = r;
  const { hamming, meanPredictedPositives, expectedPositives, seconds } = r;
  return {
    strategy,
    regime,
    hide,
    ...(Number.isNaN(expectedPositives) ? {} : { expectedPositives }),
    seed,
    epochs,
    bestEpoch,
    mAP,
    lrap,
    microF1,
    macroF1,
    hamming,
    meanPredictedPositives,
    seconds,
    lossCurve: r.lossCurve,
  };
}

/** Per-class thresholds tuned on the validation rows, and the test F1 with them. */
interface Tuned {
  thresholds: Float64Array;
  microF1: number;
  macroF1: number;
}

/**
 * Raw feature rows standardized with a run's statistics, `(x - mean) / std`, as predict does.
 * `standardize` computes the same in units of a power of two, which changes no rounding, so
 * the result is the same float64 bits (outside overflow and subnormal ranges).
 */
function standardizedWith(
  statistics: ExperimentResult['standardization'],
  data: MultiLabelDataset,
): Tensor {
  const [n, d] = data.x.shape;
  const x = data.x.data;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const j = i % d;
    out[i] = (x[i] - statistics.mean[j]) / statistics.std[j];
  }
  return new Tensor(out, [n, d]);
}

/**
 * Thresholds tuned for F1 per class on the validation rows' known labels, with the probabilities
 * of the early-stopped model, which never trained on them (with refit, the kept model trained
 * on them too, so its scores there would flatter it); then the kept model's test F1 with them.
 */
function tuneOn(result: ExperimentResult, test: MultiLabelDataset): Tuned {
  const validation = result.validation;
  if (validation === null) throw new UsageError('--thresholds tune needs --val > 0');
  const thresholds = tuneThresholds(
    predictProbabilities(result.fitted.model, validation.x),
    validation.y,
    validation.mask,
  );
  const probs = predictProbabilities(result.model, standardizedWith(result.standardization, test));
  const decided = applyThresholds(probs, thresholds);
  return {
    thresholds,
    microF1: f1(decided, test.y, { average: 'micro', mask: test.mask }),
    macroF1: f1(decided, test.y, { average: 'macro', mask: test.mask }),
  };
}

/** The mean test F1 at 0.5 and with tuned thresholds, one row per strategy. */
function tunedTable(runs: ExperimentResult[][], tuned: Tuned[][]): string {
  const header = ['strategy', 'micro-F1 at 0.5', 'tuned', 'macro-F1 at 0.5', 'tuned'];
  const mean = (values: number[]) => (values.reduce((a, b) => a + b, 0) / values.length).toFixed(3);
  const rows = runs.map((rs, k) => [
    title(rs[0].strategy),
    mean(rs.map((r) => r.microF1)),
    mean(tuned[k].map((t) => t.microF1)),
    mean(rs.map((r) => r.macroF1)),
    mean(tuned[k].map((t) => t.macroF1)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return (
    'Test F1 with per-class thresholds tuned for F1 on the validation rows (the early-stopped ' +
    "model's probabilities there), beside threshold 0.5:\n" +
    [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join(
      '\n',
    ) +
    '\n'
  );
}

/** Writes the model file of `result` (atomically); a failure is a UsageError. */
function saveModel(
  file: string,
  result: ExperimentResult,
  config: Config,
  train: MultiLabelDataset,
  tuned: Tuned | null,
): void {
  try {
    const model = modelFileFrom(result.model, {
      features: train.featureNames,
      labels: train.labelNames,
      standardization: result.standardization,
      ...(tuned ? { thresholds: tuned.thresholds } : {}),
      training: {
        strategy: result.strategy,
        regime: result.regime,
        hide: result.hide,
        seed: result.seed,
        // The epochs the saved weights were trained for (the refit's, or the best epoch's).
        epochs: result.bestEpoch,
        data: [fileDigest('train', config.train), fileDigest('test', config.test)],
        epochsRun: result.epochs,
        val: config.val,
        refit: config.refit && config.val > 0,
        hidden: config.hidden,
        optimizer: config.optimizer,
        lr: config.lr,
        weightDecay: config.weightDecay,
        batchSize: config.batchSize,
        thresholds: tuned ? 'tuned for F1 on the validation rows' : '0.5',
        ...config.methodOptions,
      },
    });
    writeModelFile(file, model);
  } catch (e) {
    if (!isMaskgradError(e)) throw e;
    throw new UsageError(e.message.split('\n')[0]);
  }
}

/** The seeds of the runs: seed, seed + 1, ... (seed, seed-1, seed-2, ... for a text seed). */
function seedsOf(config: Config): (number | string)[] {
  return Array.from({ length: config.runs }, (_, i) =>
    i === 0
      ? config.seed
      : typeof config.seed === 'number'
        ? config.seed + i
        : `${config.seed}-${i}`,
  );
}

function hiddenNote(config: Config): string {
  if (config.strategies.every((s) => s === 'full')) return 'every training label used';
  const hidden =
    config.regime === 'single-positive'
      ? 'one positive label kept per training row, every other label unknown'
      : `${Math.round(config.hide * 100)}% of the known training labels hidden`;
  return config.strategies.includes('full') ? `${hidden} (not for all labels)` : hidden;
}

/** One row per strategy: the mean of each metric over the runs. */
function table(runs: ExperimentResult[][]): string {
  const header = [
    'strategy',
    'mAP',
    'LRAP',
    'micro-F1',
    'macro-F1',
    'Hamming',
    'pred. positives',
    'epochs (kept)',
    'seconds',
  ];
  const mean = (
    rs: ExperimentResult[],
    key: 'mAP' | 'lrap' | 'microF1' | 'macroF1' | 'hamming' | 'meanPredictedPositives' | 'seconds',
  ) => rs.reduce((s, r) => s + r[key], 0) / rs.length;
  const rows = runs.map((rs) => [
    title(rs[0].strategy),
    mean(rs, 'mAP').toFixed(3),
    mean(rs, 'lrap').toFixed(3),
    mean(rs, 'microF1').toFixed(3),
    mean(rs, 'macroF1').toFixed(3),
    mean(rs, 'hamming').toFixed(3),
    mean(rs, 'meanPredictedPositives').toFixed(2),
    rs.map((r) => `${r.epochs} (${r.bestEpoch})`).join(', '),
    rs.reduce((s, r) => s + r.seconds, 0).toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return (
    [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join(
      '\n',
    ) + '\n'
  );
}

/**
 * The training loss of each strategy per epoch: one colored chart on a terminal, else one
 * small chart per strategy (a plain text chart cannot tell lines apart).
 */
function chart(results: ExperimentResult[], useColors: boolean): string {
  const format = (v: number) => v.toFixed(3).padStart(7);
  if (asciichart === null) {
    // Without the chart package: the curve as numbers, one line per strategy.
    return results
      .map(
        (r) =>
          `Training loss per epoch, ${title(r.strategy)}: ${r.lossCurve.map((v) => v.toFixed(3)).join(' ')}\n`,
      )
      .join('');
  }
  if (!useColors) {
    return results
      .map(
        (r) =>
          `Training loss per epoch, ${title(r.strategy)}\n${asciichart.plot(r.lossCurve, { height: 6, format })}\n`,
      )
      .join('\n');
  }
  const colors = [asciichart.blue, asciichart.green, asciichart.red];
  const colorOf = (i: number) => colors[i % colors.length];
  const plot = asciichart.plot(
    results.map((r) => r.lossCurve),
    { height: 10, colors: results.map((_, i) => colorOf(i)), format },
  );
  const legend = results
    .map((r, i) => `${colorOf(i)}──${asciichart.reset} ${title(r.strategy)}`)
    .join('   ');
  return `Training loss per epoch\n${plot}\n${legend}\n`;
}

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export function main(argv: string[], io: Io = processIo): number {
  let config: Config | 'help';
  let trainSet: MultiLabelDataset;
  let testSet: MultiLabelDataset;
  try {
    config = parseConfig(argv);
    if (config === 'help') {
      io.out(helpText());
      return 0;
    }
    trainSet = load(config.train, config.labels);
    testSet = testMatchedByName(config.test, trainSet, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`train: ${e.message}\n`);
      return 2;
    }
    throw e;
  }

  const { json } = config;
  const runs: ExperimentResult[][] = [];
  const tunedRuns: Tuned[][] = [];
  for (const { strategy, reason } of config.skipped) {
    // On stderr with --json, so that stdout stays one JSON object per run.
    (json ? io.err : io.out)(`Skipped ${strategy} in the ${config.regime} regime: ${reason}.\n`);
  }
  if (!json) {
    const sizes = [trainSet.x.shape[1], ...config.hidden, trainSet.y.shape[1]].join('-');
    const stopping =
      config.val > 0
        ? `early stopping on ${Math.round(config.val * 100)}% of the rows (patience ${config.patience})` +
          (config.refit ? ', then refit on all rows' : '')
        : `all rows for ${config.epochs} epochs (no early stopping)`;
    io.out(
      `Training on ${relative(process.cwd(), config.train)} (${trainSet.x.shape[0]} rows, ` +
        `${trainSet.x.shape[1]} features, ${trainSet.y.shape[1]} labels), testing on ` +
        `${relative(process.cwd(), config.test)} (${testSet.x.shape[0]} rows).\n` +
        `${hiddenNote(config)}; MLP ${sizes}, ` +
        `${config.optimizer} lr ${config.lr}, weight decay ${config.weightDecay}, batch ${config.batchSize}; ` +
        `${stopping}; seeds ${seedsOf(config).join(', ')}.\n\n`,
    );
  }
  for (const strategy of config.strategies) {
    const results: ExperimentResult[] = [];
    const tunedResults: Tuned[] = [];
    for (const seed of seedsOf(config)) {
      const label = `${title(strategy)}, seed ${seed}`;
      const bar =
        io.tty && cliProgress
          ? new cliProgress.SingleBar({
              format: `${label.padEnd(28)} [{bar}] epoch {epoch} loss {loss} val mAP {map}`,
              stream: process.stderr,
              hideCursor: true,
            })
          : null;
      bar?.start(config.epochs, 0, { epoch: 0, loss: '-', map: '-' });
      let result: ExperimentResult;
      try {
        result = runExperiment(trainSet, testSet, {
          strategy,
          regime: config.regime,
          ...config.methodOptions,
          hide: config.hide,
          val: config.val,
          refit: config.refit,
          hidden: config.hidden,
          optimizer: config.optimizer,
          lr: config.lr,
          weightDecay: config.weightDecay,
          epochs: config.epochs,
          patience: config.patience,
          batchSize: config.batchSize,
          seed,
          hooks: {
            onEpoch(r) {
              const loss = r.loss.toFixed(4);
              const map = Number.isNaN(r.valMetric) ? '-' : r.valMetric.toFixed(4);
              if (bar) bar.update(r.epoch, { epoch: r.epoch, loss, map });
              else
                io.err(
                  `${label}: epoch ${r.epoch} loss ${loss} val mAP ${map}${r.best ? ' (best so far)' : ''}\n`,
                );
            },
          },
        });
      } catch (e) {
        bar?.stop();
        if (e instanceof TrainingDivergedError) {
          io.err(`train: ${label}: ${e.message}\n`);
          return 1;
        }
        if (isMaskgradError(e)) {
          io.err(`train: ${e.message}\n`);
          return 2;
        }
        throw e;
      }
      bar?.update(result.epochs, {});
      bar?.stop();
      results.push(result);
      const tuned = config.tune ? tuneOn(result, testSet) : null;
      if (tuned) tunedResults.push(tuned);
      const tunedRecord = tuned
        ? {
            thresholds: Array.from(tuned.thresholds),
            tunedMicroF1: tuned.microF1,
            tunedMacroF1: tuned.macroF1,
          }
        : {};
      if (json) io.out(JSON.stringify({ ...jsonRecord(result), ...tunedRecord }) + '\n');
    }
    runs.push(results);
    tunedRuns.push(tunedResults);
    if (config.save) {
      try {
        saveModel(config.save, results[0], config, trainSet, tunedResults[0] ?? null);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.err(`train: ${e.message}\n`);
        return 2;
      }
    }
  }
  if (!json) {
    io.out(table(runs));
    io.out(
      `\nTest metrics, ${config.runs > 1 ? `mean of ${config.runs} seeds, ` : ''}over the test set's known labels ` +
        '(mAP: macro mean average precision; F1 and Hamming loss at threshold 0.5; ' +
        'pred. positives: the mean over test rows of the sum of predicted probabilities, near ' +
        `${testSet.y.shape[1]} in a collapse). ` +
        'Seconds: all runs of a strategy together. ' +
        (config.val === 0
          ? 'Epochs: all of them, on every training row.\n\n'
          : config.refit
            ? 'Epochs: run until early stopping, and in brackets the best epoch, which the refit on all rows trained for.\n\n'
            : 'Epochs: run until early stopping, and in brackets the best epoch, whose weights were kept.\n\n'),
    );
    if (config.tune) io.out(tunedTable(runs, tunedRuns) + '\n');
    io.out(
      chart(
        runs.map((r) => r[0]),
        io.colors,
      ),
    );
    if (config.save) {
      io.out(
        `\nSaved the ${title(config.strategies[0])} model (seed ${seedsOf(config)[0]}) to ${config.save}\n`,
      );
    }
  }
  return 0;
}

/** `maskgrad train`: `main` with the process's streams (colors where stdout is a terminal). */
export function runTrain(argv: string[], io: Omit<Io, 'colors'> = processIo): number {
  return main(argv, { ...io, colors: Boolean(process.stdout.isTTY) });
}
