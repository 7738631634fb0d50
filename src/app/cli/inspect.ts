// The `inspect` command: a saved model's summary, as Keras's model.summary() prints one: the
// layers with their output shapes and parameter counts, the features with the statistics
// they are standardized with, the labels with their thresholds and observed counts, and the
// record of how the model was trained.
import { existsSync } from 'fs';
import { escapeControls } from '../../core/describe-value';
import type { ModelFile } from '../../core/model/model-file';
import { readModelFile } from '../../node/model-file';
import { type Command, commandFlags, type Io, processIo, reportError, UsageError } from './io';

const INSPECT: Command = {
  usage: 'maskgrad inspect MODEL [--json]   (or: maskgrad inspect --model MODEL)',
  flags: {
    model: { type: 'string', arg: 'FILE', help: 'the model file (instead of the MODEL argument)' },
    json: { type: 'boolean', help: 'print the summary as one JSON object' },
  },
  notes: [
    'Shows the layers (output shape and parameters), every feature (name, mean, std: a raw',
    'value x enters the model as (x - mean) / std), every label (name, decision threshold, and',
    'how often it was observed positive, negative and unknown in the rows the model trained',
    'on, when the model file records it) and the training record (strategy, data files and',
    'their SHA-256 digests, date, version and the other settings).',
  ],
};

/** One row of the layer table: a step of the model with its output shape and parameters. */
export interface LayerSummary {
  name: string;
  /** The output shape, null for the rows dimension (Keras's None). */
  outputShape: [null, number];
  parameters: number;
}

/** What `inspect --json` prints. */
export interface ModelSummary {
  file: string;
  format: string;
  version: number;
  layers: LayerSummary[];
  totalParameters: number;
  features: { name: string; mean: number; std: number }[];
  labels: {
    name: string;
    threshold: number;
    observed: { positive: number; negative: number; unknown: number } | null;
  }[];
  training: ModelFile['training'];
}

/** The summary of `model`, read from `file`. */
export function modelSummary(file: string, model: ModelFile): ModelSummary {
  const { sizes, activation } = model.architecture;
  const layers: LayerSummary[] = [
    { name: 'standardize', outputShape: [null, sizes[0]], parameters: 0 },
  ];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const weight = model.weights[`layers.${i}.weight`].data.length;
    const bias = model.weights[`layers.${i}.bias`].data.length;
    layers.push({
      name: `linear ${i}`,
      outputShape: [null, sizes[i + 1]],
      parameters: weight + bias,
    });
    const last = i + 2 === sizes.length;
    layers.push({
      name: last ? 'sigmoid' : activation,
      outputShape: [null, sizes[i + 1]],
      parameters: 0,
    });
  }
  const { observed } = model.labels;
  return {
    file,
    format: model.format,
    version: model.version,
    layers,
    totalParameters: layers.reduce((sum, l) => sum + l.parameters, 0),
    features: model.features.names.map((name, j) => ({
      name,
      mean: model.features.mean[j],
      std: model.features.std[j],
    })),
    labels: model.labels.names.map((name, j) => ({
      name,
      threshold: model.labels.thresholds[j],
      observed: observed
        ? {
            positive: observed.positive[j],
            negative: observed.negative[j],
            unknown: observed.unknown[j],
          }
        : null,
    })),
    training: model.training,
  };
}

/** `rows` as a table under `header`: each column as wide as its widest cell; `right`-aligned columns by index. */
function table(header: string[], rows: string[][], right: number[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [line(header), rule, ...rows.map(line)];
}

/** A whole number with thousands separators: 17,924. */
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A number with at most 6 significant digits: 4.98206, 0.001, 1e-7. */
const digits = (v: number) => String(Number(v.toPrecision(6)));

/** A value of the training record on one line: text as it is, anything else as JSON. */
function recordValue(v: unknown): string {
  return escapeControls(typeof v === 'string' ? v : JSON.stringify(v));
}

/** The training record as `key  value` lines: the known keys first, then the others in file order. */
function trainingLines(training: ModelFile['training']): string[] {
  const first = ['strategy', 'regime', 'hide', 'seed', 'epochs'];
  const last = ['date', 'maskgradVersion'];
  const rows: [string, string][] = [];
  for (const key of first) if (key in training) rows.push([key, recordValue(training[key])]);
  training.data.forEach((d, i) =>
    rows.push([
      i === 0 ? 'data' : '',
      `${escapeControls(d.role)}: ${escapeControls(d.file)} (sha256 ${d.sha256})`,
    ]),
  );
  if (training.data.length === 0) rows.push(['data', 'none recorded']);
  for (const [key, v] of Object.entries(training)) {
    if (![...first, ...last, 'data'].includes(key))
      rows.push([escapeControls(key), recordValue(v)]);
  }
  for (const key of last) rows.push([key, recordValue(training[key])]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
}

/** The summary as text. */
export function summaryText(s: ModelSummary): string {
  const lines = [`Model: ${escapeControls(s.file)} (${s.format} version ${s.version})`, ''];
  lines.push(
    ...table(
      ['Layer', 'Output shape', 'Parameters'],
      s.layers.map((l) => [l.name, `[N, ${l.outputShape[1]}]`, count(l.parameters)]),
      [2],
    ),
  );
  lines.push(lines[lines.length - s.layers.length - 1]);
  lines.push(`Total parameters: ${count(s.totalParameters)}`, '');
  lines.push(
    `Features (${s.features.length}), standardized as (x - mean) / std ` +
      '(6 significant digits; --json gives them exactly):',
  );
  lines.push(
    ...table(
      ['#', 'name', 'mean', 'std'],
      s.features.map((f, i) => [
        String(i + 1),
        escapeControls(f.name),
        digits(f.mean),
        digits(f.std),
      ]),
      [0, 2, 3],
    ).map((l) => `  ${l}`),
    '',
  );
  const recorded = s.labels.every((l) => l.observed !== null);
  lines.push(
    `Labels (${s.labels.length})${recorded ? ', observed in the rows the model trained on' : ''}:`,
  );
  const header = ['#', 'name', 'threshold'];
  if (recorded) header.push('positive', 'negative', 'unknown');
  lines.push(
    ...table(
      header,
      s.labels.map((l, i) => [
        String(i + 1),
        escapeControls(l.name),
        String(l.threshold),
        ...(l.observed
          ? [count(l.observed.positive), count(l.observed.negative), count(l.observed.unknown)]
          : []),
      ]),
      [0, 3, 4, 5],
    ).map((l) => `  ${l}`),
  );
  if (!recorded) {
    lines.push('  Observed counts: not recorded (the model file predates them).');
  } else {
    const none = s.labels
      .filter((l) => l.observed!.positive === 0)
      .map((l) => escapeControls(l.name));
    if (none.length > 0) {
      lines.push(
        `  No observed positive (their predictions carry no information): ${none.join(', ')}`,
      );
    }
  }
  lines.push('', 'Training:', ...trainingLines(s.training));
  return lines.join('\n') + '\n';
}

/**
 * The model file of `argv`: one MODEL argument or --model FILE; anything else (none, two,
 * both) is a UsageError. The other arguments go to the flag parser.
 */
function modelArgument(argv: string[]): { file: string | null; rest: string[] } {
  const positionals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--model' && i + 1 < argv.length) rest.push(arg, argv[++i]);
    else if (arg === '-' || !arg.startsWith('-')) positionals.push(arg);
    else rest.push(arg);
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `expected one model file, got ${positionals.length} arguments (${positionals.map((p) => `'${escapeControls(p)}'`).join(', ')})`,
    );
  }
  return { file: positionals[0] ?? null, rest };
}

/** Runs `inspect` with `argv`; returns the exit code. */
export function runInspect(argv: string[], io: Io = processIo): number {
  try {
    const { file: positional, rest } = modelArgument(argv);
    const flags = commandFlags(rest, INSPECT, io);
    if (flags === null) return 0;
    if (positional !== null && flags.model !== undefined) {
      throw new UsageError('give the model file once: as the MODEL argument or as --model FILE');
    }
    const file = positional ?? (flags.model as string | undefined);
    if (file === undefined) {
      throw new UsageError('expected a model file: maskgrad inspect MODEL (see --help)');
    }
    if (!existsSync(file)) throw new UsageError(`no such file: ${escapeControls(file)}`);
    const summary = modelSummary(file, readModelFile(file));
    io.out(flags.json ? JSON.stringify(summary) + '\n' : summaryText(summary));
    return 0;
  } catch (e) {
    return reportError('inspect', e, io);
  }
}
