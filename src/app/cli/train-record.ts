// `train --log`, `--report` and `--verbose`: every epoch of every run, recorded once from fit's
// onEpoch hook (the early-stopping run's and the refit's), and written as JSON lines, as the
// run report page, or as a line on stderr per epoch.
import { relative } from 'path';
import type { MultiLabelDataset } from '../../core/data';
import { escapeControls } from '../../core/describe-value';
import type { EpochReport, FitHooks } from '../../core/training/fit';
import { predictProbabilities } from '../../core/training/fit';
import { writeFileAtomic } from '../../node/atomic-write';
import type { ExperimentResult } from '../experiment';
import type { Strategy } from '../options';
import { runReportHtml, type ReportEpoch, type ReportEvaluation } from '../report/run-report';
import { seedsOf, type TrainConfig } from './train-arguments';
import type { HeldOutTest } from './train-data';
import { title } from './train-report';
import { standardizedWith, type Tuned } from './tune-thresholds';

/** One line of `--log`: an epoch of a run. */
export interface EpochLogLine {
  strategy: Strategy;
  /** The run of the strategy, from 1, and its seed. */
  run: number;
  seed: number | string;
  /** 'fit': the run (with early stopping when validating); 'refit': the refit on every row. */
  phase: 'fit' | 'refit';
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Validation mAP after the epoch, and whether it is the best so far (with validation only). */
  valMAP?: number;
  best?: boolean;
  /** Seconds since the run started, at the end of this epoch. */
  seconds: number;
}

/** One run's epochs as they happen. */
export class RecordedRun {
  readonly fit: ReportEpoch[] = [];
  readonly refit: ReportEpoch[] = [];
  readonly lines: EpochLogLine[] = [];
  private readonly started = performance.now();

  constructor(
    readonly strategy: Strategy,
    readonly run: number,
    readonly seed: number | string,
  ) {}

  /** Records an epoch of `phase`; returns its log line. */
  epoch(phase: 'fit' | 'refit', r: EpochReport): EpochLogLine {
    const validated = phase === 'fit' && !Number.isNaN(r.valMetric);
    (phase === 'fit' ? this.fit : this.refit).push({
      epoch: r.epoch,
      loss: r.loss,
      valMetric: phase === 'fit' ? r.valMetric : NaN,
    });
    const line: EpochLogLine = {
      strategy: this.strategy,
      run: this.run,
      seed: this.seed,
      phase,
      epoch: r.epoch,
      loss: r.loss,
      ...(validated ? { valMAP: r.valMetric, best: r.best } : {}),
      seconds: (performance.now() - this.started) / 1000,
    };
    this.lines.push(line);
    return line;
  }
}

/** The line `--verbose` prints on stderr for an epoch. */
export function verboseLine(label: string, line: EpochLogLine): string {
  const map = line.valMAP === undefined ? '' : ` val mAP ${line.valMAP.toFixed(4)}`;
  const phase = line.phase === 'refit' ? 'refit epoch' : 'epoch';
  return (
    `${label}: ${phase} ${line.epoch} loss ${line.loss.toFixed(4)}${map}` +
    `${line.best ? ' (best so far)' : ''} ${line.seconds.toFixed(1)} s\n`
  );
}

/**
 * The hooks of one run: `onEpoch` records the epoch and passes its log line to `show` (the
 * progress bar or the --verbose line).
 */
export function recordingHooks(
  recorded: RecordedRun,
  show: (line: EpochLogLine, report: EpochReport) => void,
): { hooks: FitHooks; refitHooks: FitHooks } {
  return {
    hooks: { onEpoch: (r) => show(recorded.epoch('fit', r), r) },
    refitHooks: { onEpoch: (r) => show(recorded.epoch('refit', r), r) },
  };
}

/** The `--log` file's text: one JSON object per epoch of every run, in the order they ran. */
export function logText(runs: RecordedRun[]): string {
  return runs.flatMap((run) => run.lines.map((line) => JSON.stringify(line) + '\n')).join('');
}

/** Writes `--log` (all at once, atomically: a run that fails leaves the epochs before it). */
export function writeLog(file: string, runs: RecordedRun[]): void {
  writeFileAtomic(file, logText(runs), 'train --log');
}

/** A file name as the report shows it: relative to the working folder, controls escaped. */
const shown = (file: string) => escapeControls(relative(process.cwd(), file) || file);

/** Which rows were the test rows: the --test file's, or those held out of the training file. */
function testRows(
  config: TrainConfig,
  test: MultiLabelDataset,
  heldOut: HeldOutTest | null,
): string {
  const n = test.x.shape[0];
  if (config.test !== null) return `the ${n} rows of ${shown(config.test)}`;
  return (
    `${n} rows held out of ${shown(config.train)} (--test-share ${heldOut?.share ?? config.testShare}, ` +
    `seed ${escapeControls(String(config.seed))}), never trained on`
  );
}

/** The settings table of the report: the data, the strategies and every option of the runs. */
function settingsOf(
  config: TrainConfig,
  train: MultiLabelDataset,
  test: MultiLabelDataset,
  heldOut: HeldOutTest | null,
): [string, string][] {
  const settings: [string, string][] = [
    ['training file', `${shown(config.train)} (${train.x.shape[0]} rows trained on)`],
    ['test rows', testRows(config, test, heldOut)],
    ['features', String(train.x.shape[1])],
    ['labels', train.labelNames.join(', ')],
    ['strategies', config.strategies.map(title).join(', ')],
    ['runs per strategy', String(config.runs)],
    ['seeds', seedsOf(config).map(String).join(', ')],
    ['thresholds', config.tune ? 'tuned for F1 on the validation rows' : '0.5'],
  ];
  for (const [key, value] of Object.entries(config.options)) {
    if (value === undefined) continue;
    settings.push([key, Array.isArray(value) ? value.join(', ') : String(value)]);
  }
  return settings;
}

/**
 * The `--report` page: the curves of every run, and the first run of each strategy on the
 * test rows (its kept model's probabilities, at the thresholds it saves).
 */
export function reportHtml(
  config: TrainConfig,
  data: { train: MultiLabelDataset; test: MultiLabelDataset; heldOut: HeldOutTest | null },
  recorded: RecordedRun[][],
  results: ExperimentResult[][],
  tuned: Tuned[][],
): string {
  const { test, heldOut } = data;
  const C = test.y.shape[1];
  const evaluations: ReportEvaluation[] = results.map((runs, k) => {
    const first = runs[0];
    return {
      strategy: title(first.strategy),
      seed: first.seed,
      probs: predictProbabilities(first.model, standardizedWith(first.standardization, test)),
      y: test.y,
      mask: test.mask,
      thresholds: tuned[k][0]?.thresholds ?? new Float64Array(C).fill(0.5),
    };
  });
  return runReportHtml({
    title: `maskgrad train: ${shown(config.train)}`,
    labelNames: test.labelNames,
    settings: settingsOf(config, data.train, test, heldOut),
    runs: recorded.flat().map((r, i) => ({
      strategy: title(r.strategy),
      seed: r.seed,
      epochs: r.fit,
      bestEpoch: results.flat()[i].bestEpoch,
      refit: r.refit,
    })),
    evaluations,
    testRowsNote: `The test rows: ${testRows(config, test, heldOut)}.`,
  });
}

/** Writes `--report` atomically. */
export function writeReport(file: string, html: string): void {
  writeFileAtomic(file, html, 'train --report');
}
