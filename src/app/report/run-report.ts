// The run report of `train --report`: one self-contained HTML page (no script, no network;
// its Content-Security-Policy forbids both) with the curves per epoch of every run, and, for
// the first run of each strategy, per-label average precision, precision-recall curves and
// the confusion counts at the chosen thresholds on the test rows' known labels, and the run's
// settings. Browser-safe: it imports the core only.
import { averagePrecision, confusionCounts, precisionRecallCurve } from '../../core/metrics';
import type { ConfusionCounts, PrecisionRecallCurve } from '../../core/metrics';
import type { Tensor } from '../../core/tensor';
import { escapeHtml, formatNumber, htmlTable } from './html';
import { barChart, lineChart, PALETTE, type Series, shorten } from './svg-chart';

/** One epoch of a run, as fit's onEpoch told it. */
export interface ReportEpoch {
  epoch: number;
  /** Mean training loss of the epoch. */
  loss: number;
  /** Validation mAP after the epoch; NaN without validation. */
  valMetric: number;
}

/** A training run: its curves per epoch. */
export interface ReportRun {
  /** The strategy's name as the tables show it (e.g. "Masked BCE"). */
  strategy: string;
  seed: number | string;
  /** The epochs of the run with early stopping (or of the only run, without validation). */
  epochs: ReportEpoch[];
  /** The epoch whose weights were kept (or whose count the refit trained for). */
  bestEpoch: number;
  /** The refit on every training row for the best epoch count; empty without a refit. */
  refit: ReportEpoch[];
}

/** The kept model of one run on the test rows: what the per-label sections show. */
export interface ReportEvaluation {
  strategy: string;
  seed: number | string;
  /** Probabilities [N, C] on the test rows, their targets and mask (1: known). */
  probs: Tensor;
  y: Tensor;
  mask: Tensor;
  /** The decision threshold of each label (a probability >= it is a positive). */
  thresholds: ArrayLike<number>;
}

export interface RunReportInput {
  /** The page's title, e.g. "maskgrad train: mine.csv". */
  title: string;
  labelNames: string[];
  /** The settings of the run, as name and value (shown as given, escaped). */
  settings: [string, string][];
  runs: ReportRun[];
  /** One per strategy, in the order of `runs`' strategies. */
  evaluations: ReportEvaluation[];
  /** A sentence on which rows were the test rows. */
  testRowsNote: string;
}

/** What the page shows for one evaluation, computed with the library's metrics. */
export interface LabelResults {
  ap: number[];
  curves: (PrecisionRecallCurve | null)[];
  counts: ConfusionCounts[];
  /** Known positives, known negatives and unknowns of each label among the test rows. */
  known: { positive: number; negative: number; unknown: number }[];
}

/** The per-label numbers of one evaluation: AP, PR curves, counts at the thresholds. */
export function labelResults(e: ReportEvaluation): LabelResults {
  const [rows, classes] = e.y.shape;
  const known = Array.from({ length: classes }, () => ({ positive: 0, negative: 0, unknown: 0 }));
  for (let i = 0; i < rows * classes; i++) {
    const k = known[i % classes];
    if (e.mask.data[i] === 0) k.unknown++;
    else if (e.y.data[i] === 1) k.positive++;
    else k.negative++;
  }
  return {
    ap: averagePrecision(e.probs, e.y, e.mask),
    curves: precisionRecallCurve(e.probs, e.y, e.mask),
    counts: confusionCounts(e.probs, e.y, { thresholds: e.thresholds, mask: e.mask }),
    known,
  };
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.note { color: #555; margin: 4px 0 10px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
table.settings td:last-child, table.settings th:last-child { text-align: left; }
svg { display: block; font: 11px system-ui, sans-serif; }
svg text { fill: #333; } svg text.label { font-size: 12px; } svg text.note { fill: #888; font-style: italic; }
svg .plot { fill: #fcfcfc; stroke: #bbb; } svg .grid { stroke: #e6e6e6; } svg .axis { stroke: #888; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 4px 0 8px; }
.legend span.swatch { display: inline-block; width: 22px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 6px; }
.legend span.dashed { border-top-style: dashed; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 18px; }
figure { margin: 0; } figcaption { font-weight: 600; margin: 2px 0 2px 4px; overflow-wrap: anywhere; max-width: 230px; }
`;

/** The legend of some series: a colored line and the name of each. */
function legend(entries: { name: string; color: string; dashed?: boolean }[]): string {
  const items = entries.map(
    (e) =>
      `<span><span class="swatch${e.dashed ? ' dashed' : ''}" style="border-color: ${e.color}"></span>${escapeHtml(e.name)}</span>`,
  );
  return `<div class="legend">${items.join('')}</div>`;
}

/** The color of each strategy, in the order they first appear. */
function strategyColors(runs: ReportRun[], evaluations: ReportEvaluation[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const name of [...runs.map((r) => r.strategy), ...evaluations.map((e) => e.strategy)]) {
    if (!colors.has(name)) colors.set(name, PALETTE[colors.size % PALETTE.length]);
  }
  return colors;
}

/** A run's name in legends: the strategy, and the seed when a strategy has several runs. */
function runName(run: ReportRun, runs: ReportRun[]): string {
  const several = runs.filter((r) => r.strategy === run.strategy).length > 1;
  return several ? `${run.strategy}, seed ${run.seed}` : run.strategy;
}

/** The training loss and validation mAP per epoch of every run. */
function curvesSection(input: RunReportInput, colors: Map<string, string>): string {
  const { runs } = input;
  // Runs of one strategy share its color; later seeds are drawn lighter.
  const opacityOf = (run: ReportRun) => {
    const same = runs.filter((r) => r.strategy === run.strategy);
    return same.length > 1 ? 1 - (0.5 * same.indexOf(run)) / (same.length - 1) : 1;
  };
  const colorOf = (run: ReportRun) => withOpacity(colors.get(run.strategy)!, opacityOf(run));
  const loss: Series[] = [];
  for (const run of runs) {
    loss.push({
      name: runName(run, runs),
      color: colorOf(run),
      points: run.epochs.map((e) => [e.epoch, e.loss]),
    });
    if (run.refit.length > 0) {
      loss.push({
        name: `${runName(run, runs)}, refit`,
        color: colorOf(run),
        dashed: true,
        points: run.refit.map((e) => [e.epoch, e.loss]),
      });
    }
  }
  const validated = runs.filter((r) => r.epochs.some((e) => !Number.isNaN(e.valMetric)));
  const validation: Series[] = validated.map((run) => ({
    name: runName(run, runs),
    color: colorOf(run),
    points: run.epochs.map((e) => [e.epoch, e.valMetric]),
  }));
  const anyRefit = runs.some((r) => r.refit.length > 0);
  const entries: { name: string; color: string; dashed?: boolean }[] = runs.map((r) => ({
    name: runName(r, runs),
    color: colorOf(r),
  }));
  if (anyRefit) entries.push({ name: 'refit on every training row', color: '#555', dashed: true });
  const out = [
    '<h2>Training</h2>',
    `<p class="note">Every run: the mean training loss of each epoch${anyRefit ? ' (dashed: the refit on every training row for the best epoch count)' : ''}` +
      `${validated.length > 0 ? ', and the validation mAP (macro mean average precision over the held-out rows\u2019 known labels) after each epoch' : ''}.</p>`,
    legend(entries),
    '<div class="charts">',
    `<figure id="loss-chart"><figcaption>Training loss</figcaption>${lineChart(loss, {
      width: 540,
      height: 280,
      xLabel: 'epoch',
      yLabel: 'training loss',
      integerX: true,
      title: 'Training loss per epoch',
    })}</figure>`,
  ];
  if (validation.length > 0) {
    out.push(
      `<figure id="validation-chart"><figcaption>Validation mAP</figcaption>${lineChart(
        validation,
        {
          width: 540,
          height: 280,
          xLabel: 'epoch',
          yLabel: 'validation mAP',
          integerX: true,
          title: 'Validation mAP per epoch',
        },
      )}</figure>`,
    );
  }
  out.push('</div>');
  const table = runs.map((r) => [
    escapeHtml(r.strategy),
    escapeHtml(String(r.seed)),
    String(r.epochs.length),
    String(r.bestEpoch),
    r.refit.length > 0 ? String(r.refit.length) : '–',
    formatNumber(r.epochs[r.epochs.length - 1]?.loss ?? NaN, 4),
    formatNumber(bestOf(r.epochs.map((e) => e.valMetric)), 4),
  ]);
  out.push(
    htmlTable(
      [
        'strategy',
        'seed',
        'epochs',
        'best epoch',
        'refit epochs',
        'last loss',
        'best validation mAP',
      ],
      table,
      'runs',
    ),
  );
  return out.join('\n');
}

/** A CSS color with an opacity, from #rrggbb. */
function withOpacity(hex: string, opacity: number): string {
  if (opacity >= 1) return hex;
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${opacity.toFixed(2)})`;
}

/** Per-label AP bars, PR curves and the table of counts, for every evaluation. */
function labelsSection(
  input: RunReportInput,
  results: LabelResults[],
  colors: Map<string, string>,
): string {
  const { evaluations, labelNames } = input;
  const colorList = evaluations.map((e) => colors.get(e.strategy)!);
  const names = evaluations.map((e) => `${e.strategy} (seed ${e.seed})`);
  const out: string[] = [
    '<h2>Test rows</h2>',
    `<p class="note">${escapeHtml(input.testRowsNote)} Every number below is over the test rows\u2019 known labels; ` +
      `unknown labels are left out. ${evaluations.length > 1 || input.runs.length > evaluations.length ? 'Shown for the first run of each strategy. ' : ''}</p>`,
    legend(names.map((name, k) => ({ name, color: colorList[k] }))),
    '<h3>Average precision per label</h3>',
    `<p class="note">mAP (their mean over the labels with a known positive): ${results
      .map(
        (r, k) =>
          `${escapeHtml(evaluations[k].strategy)} <span data-map="${meanOf(r.ap)}">${formatNumber(meanOf(r.ap))}</span>`,
      )
      .join('; ')}.</p>`,
    `<figure id="ap-chart">${barChart(
      labelNames.map((label, c) => ({ label, values: results.map((r) => r.ap[c]) })),
      colorList,
      { width: 760, title: 'Average precision per label', missing: 'no known positive' },
    )}</figure>`,
    '<h3>Precision-recall curves</h3>',
    '<p class="note">One chart per label: precision against recall as the threshold falls; the area under each step line is the label\u2019s average precision.</p>',
    '<div class="charts" id="pr-charts">',
  ];
  labelNames.forEach((label, c) => {
    const series: Series[] = [];
    results.forEach((r, k) => {
      const curve = r.curves[c];
      if (curve === null) return;
      series.push({
        name: names[k],
        color: colorList[k],
        points: curve.recall.map((recall, i) => [recall, curve.precision[i]]),
      });
    });
    const body =
      series.length === 0
        ? '<p class="note">No known positive among the test rows.</p>'
        : lineChart(series, {
            width: 240,
            height: 200,
            xLabel: 'recall',
            yLabel: 'precision',
            xRange: [0, 1],
            yRange: [0, 1],
            steps: true,
            title: `Precision-recall curve of ${label}`,
          });
    out.push(
      `<figure class="pr"><figcaption title="${escapeHtml(label)}">${escapeHtml(shorten(label, 30))}</figcaption>${body}</figure>`,
    );
  });
  out.push('</div>');
  evaluations.forEach((e, k) => {
    const r = results[k];
    out.push(
      `<h3>${escapeHtml(e.strategy)} (seed ${escapeHtml(String(e.seed))}): counts at the thresholds</h3>`,
      htmlTable(
        [
          'label',
          'threshold',
          'known positives',
          'known negatives',
          'unknown',
          'AP',
          'TP',
          'FP',
          'FN',
          'TN',
        ],
        labelNames.map((label, c) => [
          escapeHtml(label),
          formatNumber(Number(e.thresholds[c]), 3),
          String(r.known[c].positive),
          String(r.known[c].negative),
          String(r.known[c].unknown),
          `<span data-ap="${r.ap[c]}">${formatNumber(r.ap[c])}</span>`,
          String(r.counts[c].tp),
          String(r.counts[c].fp),
          String(r.counts[c].fn),
          String(r.counts[c].tn),
        ]),
        'labels',
      ),
    );
  });
  return out.join('\n');
}

/** The largest of the values that are not NaN (NaN if none). */
function bestOf(values: number[]): number {
  const used = values.filter((v) => !Number.isNaN(v));
  return used.length === 0 ? NaN : Math.max(...used);
}

/** The mean of the values that are not NaN (NaN if none). */
function meanOf(values: number[]): number {
  const used = values.filter((v) => !Number.isNaN(v));
  return used.length === 0 ? NaN : used.reduce((a, b) => a + b, 0) / used.length;
}

/** The run report as one HTML page. */
export function runReportHtml(input: RunReportInput): string {
  const colors = strategyColors(input.runs, input.evaluations);
  const results = input.evaluations.map(labelResults);
  const settings = htmlTable(
    ['setting', 'value'],
    input.settings.map(([name, value]) => [escapeHtml(name), escapeHtml(value)]),
    'settings',
  );
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(input.title)}</h1>`,
    '<p class="note">A run report written by maskgrad train --report.</p>',
    curvesSection(input, colors),
    labelsSection(input, results, colors),
    '<h2>Settings</h2>',
    settings,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
