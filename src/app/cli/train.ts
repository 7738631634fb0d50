// The `train` command: train a multi-label classifier on data with missing labels, and
// compare how the unknown labels are handled. Without flags: the bundled yeast data (in a
// clone of the repository), one run of the masked strategy, nothing hidden; `npm run demo`
// compares three strategies with half of the training labels hidden. Run as `maskgrad train`
// or examples/train.ts.
import { escapeControls } from '../../core/describe-value';
import type { MultiLabelDataset } from '../../core/data';
import { TrainingDivergedError } from '../../core/training/fit';
import { type ExperimentResult, runExperiment } from '../experiment';
import { commandFlags, type Io, processIo, reportError } from './io';
import { optionalPackage } from './optional-package';
import { saveModel } from './save-model';
import { seedsOf, TRAIN, type TrainConfig, trainConfig } from './train-arguments';
import { type HeldOutTest, trainingData } from './train-data';
import {
  RecordedRun,
  recordingHooks,
  reportHtml,
  verboseLine,
  writeLog,
  writeReport,
} from './train-record';
import {
  chart,
  introduction,
  jsonRecord,
  metricNotes,
  metricTable,
  title,
  tunedTable,
  unobservedLabels,
  unobservedWarnings,
} from './train-report';
import { type Tuned, tuneOn } from './tune-thresholds';

const cliProgress = optionalPackage<typeof import('cli-progress')>('cli-progress');

/**
 * A run of one strategy with one seed, its epochs recorded in `recorded` and shown on `io`
 * (a progress bar on a terminal, a line per epoch with --verbose); or its exit code.
 */
function runOne(
  config: TrainConfig,
  data: { train: MultiLabelDataset; test: MultiLabelDataset },
  recorded: RecordedRun,
  io: Io,
): ExperimentResult | number {
  const { strategy, seed } = recorded;
  const label = escapeControls(`${title(strategy)}, seed ${seed}`);
  const bar =
    io.tty && cliProgress && !config.verbose
      ? new cliProgress.SingleBar({
          format: `${label.padEnd(28)} [{bar}] epoch {epoch} loss {loss} val mAP {map}`,
          stream: process.stderr,
          hideCursor: true,
        })
      : null;
  bar?.start(config.options.epochs, 0, { epoch: 0, loss: '-', map: '-' });
  try {
    const result = runExperiment(data.train, data.test, {
      ...config.options,
      strategy,
      seed,
      ...recordingHooks(recorded, (line) => {
        if (config.verbose) io.err(verboseLine(label, line));
        else if (bar && line.phase === 'fit') {
          const map = line.valMAP === undefined ? '-' : line.valMAP.toFixed(4);
          bar.update(line.epoch, { epoch: line.epoch, loss: line.loss.toFixed(4), map });
        }
      }),
    });
    bar?.update(result.epochs, {});
    bar?.stop();
    return result;
  } catch (e) {
    bar?.stop();
    if (!(e instanceof TrainingDivergedError)) return reportError('train', e, io);
    io.err(`train: ${label}: ${escapeControls(e.message)}\n`);
    return 1;
  }
}

/**
 * After a run that failed with exit code `code`: writes the --log of the epochs before the
 * failure (the record of what went wrong), and says so; returns `code`.
 */
function keepLogOfFailure(
  config: TrainConfig,
  recorded: RecordedRun[][],
  code: number,
  io: Io,
): number {
  if (!config.log) return code;
  try {
    writeLog(config.log, recorded.flat());
  } catch (e) {
    return reportError('train', e, io);
  }
  io.err(`train: the epochs before the failure are in ${escapeControls(config.log)}\n`);
  return code;
}

/** Runs `train` with `argv` (without node and the script); returns the exit code. */
export function runTrain(argv: string[], io: Io = processIo): number {
  let config: TrainConfig;
  let data: { train: MultiLabelDataset; test: MultiLabelDataset; heldOut: HeldOutTest | null };
  try {
    const flags = commandFlags(argv, TRAIN, io);
    if (flags === null) return 0;
    config = trainConfig(flags);
    data = trainingData(config, config.seed, io);
  } catch (e) {
    return reportError('train', e, io);
  }

  const { json } = config;
  const runs: ExperimentResult[][] = [];
  const tunedRuns: Tuned[][] = [];
  const recordedRuns: RecordedRun[][] = [];
  for (const { strategy, reason } of config.skipped) {
    // On stderr with --json, so that stdout stays one JSON object per run.
    (json ? io.err : io.out)(
      `Skipped ${strategy} in the ${config.options.regime} regime: ${reason}.\n`,
    );
  }
  if (!json) io.out(introduction(config, data.train, data.test, data.heldOut));
  const warned = new Set<string>();
  for (const strategy of config.strategies) {
    const results: ExperimentResult[] = [];
    const tunedResults: Tuned[] = [];
    const recordedResults: RecordedRun[] = [];
    recordedRuns.push(recordedResults);
    for (const [i, seed] of seedsOf(config).entries()) {
      const recorded = new RecordedRun(strategy, i + 1, seed);
      recordedResults.push(recorded);
      const result = runOne(config, data, recorded, io);
      if (typeof result === 'number') return keepLogOfFailure(config, recordedRuns, result, io);
      results.push(result);
      // Once each: the runs of a comparison often train on the same labels.
      for (const warning of unobservedWarnings(data.train.labelNames, result.observed)) {
        if (!warned.has(warning)) io.err(`train: warning: ${warning}\n`);
        warned.add(warning);
      }
      const tuned = config.tune ? tuneOn(result, data.test) : null;
      if (tuned) tunedResults.push(tuned);
      const tunedRecord = tuned
        ? {
            thresholds: Array.from(tuned.thresholds),
            tunedMicroF1: tuned.microF1,
            tunedMacroF1: tuned.macroF1,
          }
        : {};
      if (json) {
        const unobserved = unobservedLabels(data.train.labelNames, result.observed);
        io.out(JSON.stringify({ ...jsonRecord(result), ...tunedRecord, unobserved }) + '\n');
      }
    }
    runs.push(results);
    tunedRuns.push(tunedResults);
    if (config.save) {
      try {
        saveModel(config.save, results[0], config, data, tunedResults[0] ?? null);
      } catch (e) {
        return reportError('train', e, io);
      }
    }
  }
  try {
    if (config.log) writeLog(config.log, recordedRuns.flat());
    if (config.report) {
      writeReport(config.report, reportHtml(config, data, recordedRuns, runs, tunedRuns));
    }
  } catch (e) {
    return reportError('train', e, io);
  }
  if (!json) {
    io.out(metricTable(runs));
    io.out(metricNotes(config, data.test.y.shape[1]));
    if (config.tune) io.out(tunedTable(runs, tunedRuns) + '\n');
    io.out(
      chart(
        runs.map((r) => r[0]),
        io.colors ?? false,
      ),
    );
    if (config.log) io.out(`\nWrote the epochs of every run to ${escapeControls(config.log)}\n`);
    if (config.report) io.out(`Wrote the run report to ${escapeControls(config.report)}\n`);
    if (config.save) {
      io.out(
        `\nSaved the ${title(config.strategies[0])} model (seed ${escapeControls(String(seedsOf(config)[0]))}) to ${escapeControls(config.save)}\n`,
      );
    }
  }
  return 0;
}
