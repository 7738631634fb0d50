// What `train` prints: the line saying what it trains, the metric tables, the notes under
// them, the loss chart, and the JSON record of a run.
import { cappedList, escapeControls, quoteName } from '../../core/describe-value';
import { relative } from 'path';
import type { MultiLabelDataset } from '../../core/data';
import type { ObservedCounts } from '../../core/model/model-file';
import type { ExperimentResult } from '../experiment';
import type { Strategy } from '../options';
import { STRATEGIES } from '../strategies';
import { optionalPackage } from './optional-package';
import { seedsOf, type TrainConfig } from './train-arguments';
import type { HeldOutTest } from './train-data';
import type { Tuned } from './tune-thresholds';

const asciichart = optionalPackage<typeof import('asciichart')>('asciichart');

export const title = (strategy: Strategy) => STRATEGIES[strategy].title;

/** A run as one JSON object: the metrics and settings of `result`, and its loss curve. */
export function jsonRecord(r: ExperimentResult) {
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

/** Which training labels the runs see. */
function hiddenNote(config: TrainConfig): string {
  if (config.strategies.every((s) => s === 'full')) return 'every training label used';
  if (config.options.regime === 'random' && config.options.hide === 0) {
    return 'every known training label used (nothing hidden; --hide RATE hides a share)';
  }
  const hidden =
    config.options.regime === 'single-positive'
      ? 'one positive label kept per training row, every other label unknown'
      : `${Math.round(config.options.hide * 100)}% of the known training labels hidden`;
  return config.strategies.includes('full') ? `${hidden} (not for all labels)` : hidden;
}

/**
 * The two lines before the runs: the data (and the test rows held out of it, without
 * --test), the labels hidden, the model and the training.
 */
export function introduction(
  config: TrainConfig,
  train: MultiLabelDataset,
  test: MultiLabelDataset,
  heldOut: HeldOutTest | null = null,
): string {
  const o = config.options;
  const sizes = [train.x.shape[1], ...o.hidden, train.y.shape[1]].join('-');
  const stopping =
    o.val > 0
      ? `early stopping on ${Math.round(o.val * 100)}% of the rows (patience ${o.patience})` +
        (o.refit ? ', then refit on all rows' : '')
      : `all rows for ${o.epochs} epochs (no early stopping)`;
  const trainFile = escapeControls(relative(process.cwd(), config.train));
  const testing =
    config.test === null
      ? `${test.x.shape[0]} rows held out of ${trainFile} ` +
        `(--test-share ${heldOut?.share ?? config.testShare}, seed ${escapeControls(String(config.seed))})`
      : `${escapeControls(relative(process.cwd(), config.test))} (${test.x.shape[0]} rows)`;
  return (
    `Training on ${trainFile} (${train.x.shape[0]} rows, ` +
    `${train.x.shape[1]} features, ${train.y.shape[1]} labels), testing on ${testing}.\n` +
    `${hiddenNote(config)}; MLP ${sizes}, ` +
    `${o.optimizer} lr ${o.lr}, weight decay ${o.weightDecay}, batch ${o.batchSize}; ` +
    `${stopping}; seeds ${escapeControls(seedsOf(config).join(', '))}.\n\n`
  );
}

/** `rows` under `header` as a Markdown table, each column as wide as its widest cell. */
function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n') + '\n';
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** One row per strategy: the mean of each metric over the runs. */
export function metricTable(runs: ExperimentResult[][]): string {
  const header = ['strategy', 'mAP', 'LRAP', 'micro-F1', 'macro-F1', 'Hamming'];
  header.push('pred. positives', 'epochs (kept)', 'seconds');
  const rows = runs.map((rs) => [
    title(rs[0].strategy),
    ...(['mAP', 'lrap', 'microF1', 'macroF1', 'hamming'] as const).map((key) =>
      mean(rs.map((r) => r[key])).toFixed(3),
    ),
    mean(rs.map((r) => r.meanPredictedPositives)).toFixed(2),
    rs.map((r) => `${r.epochs} (${r.bestEpoch})`).join(', '),
    rs.reduce((s, r) => s + r.seconds, 0).toFixed(1),
  ]);
  return markdownTable(header, rows);
}

/** The paragraph under the metric table: what the columns are. */
export function metricNotes(config: TrainConfig, labels: number): string {
  const { runs, options } = config;
  return (
    `\nTest metrics, ${runs > 1 ? `mean of ${runs} seeds, ` : ''}over the test set's known labels ` +
    '(mAP: macro mean average precision; F1 and Hamming loss at threshold 0.5; ' +
    'pred. positives: the mean over test rows of the sum of predicted probabilities, near ' +
    `${labels} in a collapse). ` +
    'Seconds: all runs of a strategy together. ' +
    (options.val === 0
      ? 'Epochs: all of them, on every training row.\n\n'
      : options.refit
        ? 'Epochs: run until early stopping, and in brackets the best epoch, which the refit on all rows trained for.\n\n'
        : 'Epochs: run until early stopping, and in brackets the best epoch, whose weights were kept.\n\n')
  );
}

/** The mean test F1 at 0.5 and with tuned thresholds, one row per strategy. */
export function tunedTable(runs: ExperimentResult[][], tuned: Tuned[][]): string {
  const header = ['strategy', 'micro-F1 at 0.5', 'tuned', 'macro-F1 at 0.5', 'tuned'];
  const rows = runs.map((rs, k) => [
    title(rs[0].strategy),
    mean(rs.map((r) => r.microF1)).toFixed(3),
    mean(tuned[k].map((t) => t.microF1)).toFixed(3),
    mean(rs.map((r) => r.macroF1)).toFixed(3),
    mean(tuned[k].map((t) => t.macroF1)).toFixed(3),
  ]);
  return (
    'Test F1 with per-class thresholds tuned for F1 on the validation rows (the early-stopped ' +
    "model's probabilities there), beside threshold 0.5:\n" +
    markdownTable(header, rows)
  );
}

/**
 * The training loss of each strategy per epoch: one colored chart on a terminal, else one
 * small chart per strategy (a plain text chart cannot tell lines apart).
 */
export function chart(results: ExperimentResult[], useColors: boolean): string {
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

/**
 * The labels a model learns nothing about, by name: those with no observed value at all
 * (every training entry unknown), and those with known values but no positive.
 */
export function unobservedLabels(
  names: readonly string[],
  observed: ObservedCounts,
): { noValue: string[]; noPositive: string[] } {
  const noValue = names.filter((_, j) => observed.positive[j] + observed.negative[j] === 0);
  const noPositive = names.filter((_, j) => observed.positive[j] === 0 && observed.negative[j] > 0);
  return { noValue, noPositive };
}

/**
 * The warnings about `unobservedLabels` (none when every label has a known positive), each
 * naming the labels (a few, then how many more) and what it means for their predictions.
 */
export function unobservedWarnings(names: readonly string[], observed: ObservedCounts): string[] {
  const rows = observed.positive[0] + observed.negative[0] + observed.unknown[0];
  const { noValue, noPositive } = unobservedLabels(names, observed);
  const warning = (labels: string[], what: string, which: string) => {
    const one = labels.length === 1;
    return (
      `the label${one ? '' : 's'} ${cappedList(labels.map(quoteName))} ${one ? 'has' : 'have'} ` +
      `no observed ${what} in the ${rows} rows the model trained on (${which}): ` +
      `${one ? 'its' : 'their'} predictions carry no information`
    );
  };
  return [
    ...(noValue.length > 0 ? [warning(noValue, 'value', 'every entry unknown')] : []),
    ...(noPositive.length > 0
      ? [warning(noPositive, 'positive', 'only negatives and unknowns')]
      : []),
  ];
}
