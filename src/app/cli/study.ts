// The missing-label study: every method on the bundled yeast data, in the single-positive
// regime and with 50% and 10% of the labels known at random, over several seeds (each seed
// redraws the observed labels; every method sees the same draw for a seed). Prints one
// table per regime: test metrics (mean ± sd over seeds) and the paired difference in mAP
// to assume negative (AN), with its t statistic.
//
//   maskgrad study                  # 5 seeds, MLP 103-64-14, Adam, batch 16 (npm run study)
//   maskgrad study --quick          # a smoke run: 2 seeds, fewer epochs
//   maskgrad study --seeds 10
import { existsSync } from 'fs';
import { join } from 'path';
import { type MultiLabelDataset } from '../../core/data';
import { loadDataset } from '../../node/read-data';
import { type ExperimentOptions, type ExperimentResult, runExperiment } from '../experiment';
import { POSITIVE_INTEGER, type Regime, type Strategy } from '../options';
import { STRATEGIES } from '../strategies';
import { flagValue } from './flag-values';
import { type Command, commandFlags, type Io as CliIo, UsageError } from './io';

/** One table of the study: a regime, its hidden share, and the methods it compares. */
export interface Cell {
  name: string;
  regime: Regime;
  /** Share of the known labels hidden (random regime). */
  hide: number;
  strategies: Strategy[];
}

/**
 * LL's rates for yeast, where about a quarter of the unknown labels are positives (in
 * every cell): the share rejected or corrected reaches about that within the epoch budget.
 * The defaults of OPTION_TABLE.deltaRel (DEFAULT_DELTA_REL) are small rates meant for data with few positives.
 */
export const STUDY_OPTIONS: Partial<Record<Strategy, Partial<ExperimentOptions>>> = {
  'll-r': { deltaRel: 0.015 },
  'll-ct': { deltaRel: 0.015 },
  'll-cp': { deltaRel: 0.005 },
};

export const CELLS: Cell[] = [
  {
    name: 'single positive',
    regime: 'single-positive',
    hide: 0,
    strategies: [
      'full',
      'negative',
      'an-ls',
      'wan',
      'epr',
      'role',
      'll-r',
      'll-ct',
      'll-cp',
      'masked',
    ],
  },
  {
    name: 'random, 50% known',
    regime: 'random',
    hide: 0.5,
    strategies: ['full', 'masked', 'partial-bce', 'negative', 'asl', 'll-r', 'll-ct'],
  },
  {
    name: 'random, 10% known',
    regime: 'random',
    hide: 0.9,
    strategies: ['full', 'masked', 'partial-bce', 'negative', 'asl', 'll-r', 'll-ct'],
  },
];

/** The training settings shared by every run (the PyTorch pilot's model and batch). */
export type Settings = Omit<ExperimentOptions, 'strategy' | 'regime' | 'hide' | 'seed'>;

export const SETTINGS: Settings = {
  hidden: [64],
  optimizer: 'adam',
  lr: 1e-3,
  weightDecay: 0,
  batchSize: 16,
  epochs: 15,
  val: 0,
  patience: 1,
  refit: false,
};

const QUICK: Partial<Settings> = { hidden: [32], epochs: 4, batchSize: 32 };

/** The results of one cell: per strategy, one result per seed (in seed order). */
export type CellResults = Map<Strategy, ExperimentResult[]>;

/**
 * Runs every strategy of `cell` for every seed. 'full' ignores the regime, so its runs are
 * taken from `fullRuns` when given (the same seeds), and stored there otherwise.
 */
export function runCell(
  train: MultiLabelDataset,
  test: MultiLabelDataset,
  cell: Cell,
  seeds: number[],
  settings: Settings,
  options: { fullRuns?: ExperimentResult[]; onRun?: (r: ExperimentResult) => void } = {},
): CellResults {
  const results: CellResults = new Map();
  for (const strategy of cell.strategies) {
    if (strategy === 'full' && options.fullRuns?.length === seeds.length) {
      results.set(strategy, options.fullRuns);
      continue;
    }
    const runs = seeds.map((seed) => {
      const r = runExperiment(train, test, {
        ...settings,
        ...STUDY_OPTIONS[strategy],
        strategy,
        regime: cell.regime,
        hide: cell.hide,
        seed,
      });
      options.onRun?.(r);
      return r;
    });
    if (strategy === 'full' && options.fullRuns) options.fullRuns.push(...runs);
    results.set(strategy, runs);
  }
  return results;
}

export const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The sample standard deviation (n - 1); NaN for fewer than two values. */
export function sd(xs: number[]): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) * (x - m), 0) / (xs.length - 1));
}

/**
 * The paired difference a - b over seeds: its mean, and the paired t statistic
 * mean / (sd / sqrt(n)) (Infinity in magnitude when every difference is the same nonzero value).
 */
export function pairedDifference(a: number[], b: number[]): { mean: number; t: number } {
  const d = a.map((x, i) => x - b[i]);
  const m = mean(d);
  const s = sd(d);
  return {
    mean: m,
    t: s === 0 ? (m === 0 ? 0 : Math.sign(m) * Infinity) : m / (s / Math.sqrt(d.length)),
  };
}

const metric = (
  runs: ExperimentResult[],
  key: 'mAP' | 'lrap' | 'microF1' | 'meanPredictedPositives',
) => runs.map((r) => r[key]);

/** The table of one cell, as Markdown. */
export function cellTable(cell: Cell, results: CellResults): string {
  const an = results.get('negative');
  const header = [
    'method',
    'mAP (mean ± sd)',
    'LRAP',
    'micro-F1',
    'pred. positives',
    'Δ mAP vs AN',
    't (paired)',
  ];
  const rows = [...results].map(([strategy, runs]) => {
    const maps = metric(runs, 'mAP');
    const diff = an && strategy !== 'negative' ? pairedDifference(maps, metric(an, 'mAP')) : null;
    return [
      strategy === 'masked' && cell.regime === 'single-positive'
        ? 'masked (positives only)'
        : STRATEGIES[strategy].title,
      `${(100 * mean(maps)).toFixed(1)} ± ${(100 * sd(maps)).toFixed(1)}`,
      (100 * mean(metric(runs, 'lrap'))).toFixed(1),
      (100 * mean(metric(runs, 'microF1'))).toFixed(1),
      mean(metric(runs, 'meanPredictedPositives')).toFixed(2),
      diff ? `${diff.mean >= 0 ? '+' : ''}${(100 * diff.mean).toFixed(1)}` : '',
      diff ? diff.t.toFixed(1) : '',
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') + '\n';
}

const STUDY: Command = {
  usage: 'maskgrad study [options]',
  flags: {
    seeds: {
      type: 'string',
      arg: 'N',
      help: 'seeds 1..N per cell',
      default: '5, or 2 with --quick',
    },
    quick: {
      type: 'boolean',
      help: 'a smoke run: 2 seeds (unless --seeds), MLP 103-32-14, 4 epochs, batch 32',
    },
    epochs: {
      type: 'string',
      arg: 'N',
      help: 'epochs per run, every one on every training row',
      default: String(SETTINGS.epochs),
    },
  },
};

/** Where the study writes: its report and its progress. */
export type Io = Pick<CliIo, 'out' | 'err'>;

/** The value of a flag taking a positive integer, or undefined when it is not given. */
function positiveIntegerFlag(flag: string, text: string | boolean | undefined): number | undefined {
  if (text === undefined) return undefined;
  return flagValue(flag, POSITIVE_INTEGER, text as string) as number;
}

/** The bundled yeast data: examples/data in the repository (not in the npm package). */
export const STUDY_DATA = join(__dirname, '..', '..', '..', 'examples', 'data');

/** Runs `maskgrad study` with `argv`; returns the exit code. */
export function runStudy(
  argv: string[],
  io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): number {
  let seedCount: number;
  let settings: Settings;
  let quick: boolean;
  try {
    const values = commandFlags(argv, STUDY, io);
    if (values === null) return 0;
    quick = Boolean(values.quick);
    seedCount = positiveIntegerFlag('seeds', values.seeds) ?? (quick ? 2 : 5);
    const epochs = positiveIntegerFlag('epochs', values.epochs);
    settings = { ...SETTINGS, ...(quick ? QUICK : {}), ...(epochs ? { epochs } : {}) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const message = e.message.endsWith('(see --help)') ? e.message : `${e.message} (see --help)`;
    io.err(`study: ${message}\n`);
    return 2;
  }
  const data = STUDY_DATA;
  if (!existsSync(join(data, 'yeast-train.arff'))) {
    io.err(
      `study: no ${join(data, 'yeast-train.arff')}: the study runs on the yeast data of the maskgrad repository (examples/data), which an installed package does not include; run it in a clone of the repository (npm ci, then npm run study)\n`,
    );
    return 2;
  }
  const train = loadDataset(join(data, 'yeast-train.arff'), { labels: 14 });
  const test = loadDataset(join(data, 'yeast-test.arff'), { labels: 14 });
  const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
  const started = process.hrtime.bigint();
  io.out(
    `Yeast (${train.x.shape[0]} training rows, ${test.x.shape[0]} test rows, 14 labels); ` +
      `MLP 103-${settings.hidden.join('-')}-14, Adam lr ${settings.lr}, batch ${settings.batchSize}, ` +
      `${settings.epochs} epochs on every training row (a fixed budget: no early stopping, no oracle); ` +
      `seeds ${seeds.join(', ')}${quick ? ' (--quick)' : ''}.\n` +
      'Test metrics in %, mean over seeds; pred. positives: the mean over test rows of the sum of ' +
      'predicted probabilities (14 is a collapse); Δ mAP vs AN: the mean over seeds of the paired ' +
      'difference, and its t statistic (n - 1 degrees of freedom).\n',
  );
  const fullRuns: ExperimentResult[] = [];
  for (const cell of CELLS) {
    const results = runCell(train, test, cell, seeds, settings, {
      fullRuns,
      onRun: (r) =>
        io.err(`${cell.name}: ${r.strategy}, seed ${r.seed}: mAP ${(100 * r.mAP).toFixed(1)}\n`),
    });
    io.out(`\n### ${cell.name}\n\n${cellTable(cell, results)}`);
  }
  const minutes = Number(process.hrtime.bigint() - started) / 60e9;
  io.out(`\nTook ${minutes.toFixed(1)} minutes.\n`);
  return 0;
}
