// The `train` command: train a multi-label classifier on data with missing labels, and
// compare how the unknown labels are handled. Without flags: the bundled yeast data (in a
// clone of the repository), one run of the masked strategy, nothing hidden; `npm run demo`
// compares three strategies with half of the training labels hidden. Run as `maskgrad train`
// or examples/train.ts.
import { escapeControls } from '../../core/describe-value';
import type { MultiLabelDataset } from '../../core/data';
import { TrainingDivergedError } from '../../core/training/fit';
import { type ExperimentResult, runExperiment } from '../experiment';
import type { Strategy } from '../options';
import { commandFlags, type Io, processIo, reportError } from './io';
import { optionalPackage } from './optional-package';
import { saveModel } from './save-model';
import { seedsOf, TRAIN, type TrainConfig, trainConfig } from './train-arguments';
import { type HeldOutTest, trainingData } from './train-data';
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

/** A run of one strategy with one seed, its progress shown on `io`; or its exit code. */
function runOne(
  config: TrainConfig,
  data: { train: MultiLabelDataset; test: MultiLabelDataset },
  strategy: Strategy,
  seed: number | string,
  io: Io,
): ExperimentResult | number {
  const label = escapeControls(`${title(strategy)}, seed ${seed}`);
  const bar =
    io.tty && cliProgress
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
    for (const seed of seedsOf(config)) {
      const result = runOne(config, data, strategy, seed, io);
      if (typeof result === 'number') return result;
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
    if (config.save) {
      io.out(
        `\nSaved the ${title(config.strategies[0])} model (seed ${escapeControls(String(seedsOf(config)[0]))}) to ${escapeControls(config.save)}\n`,
      );
    }
  }
  return 0;
}
