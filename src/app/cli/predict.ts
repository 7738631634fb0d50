import { listNames, quoteName } from '../../core/describe-value';
import { existsSync } from 'fs';
import { AtomicFile, checkWritable } from '../../node/atomic-write';
import { Predictor } from '../../core/model/predictor';
import { readRowsForModel } from '../../node/input-rows';
import { evaluate } from '../experiment';
import { applyThresholds, f1 } from '../../core/metrics';
import { Tensor } from '../../core/tensor';
import {
  type Command,
  commandFlags,
  type Io,
  processIo,
  progressLine,
  reportError,
  UsageError,
} from './io';
import { readModelFileFor } from '../../node/model-file';
import { checkOutputNotInput } from '../../node/output-not-input';
import { COLUMN_FLAGS, columnFlags, inFlagTerms } from './column-flags';

const PREDICT: Command = {
  usage: 'maskgrad predict --model FILE --input FILE [options]',
  flags: {
    model: { type: 'string', arg: 'FILE', help: 'the model file written by train --save' },
    input: {
      type: 'string',
      arg: 'FILE',
      help: 'rows to predict, .arff, .csv, .tsv or .txt (columns matched by name)',
    },
    id: {
      ...COLUMN_FLAGS.id,
      help: 'a column of row ids, written as the first output column',
      default: "the model's id column (train --id), when the input has it",
    },
    delimiter: COLUMN_FLAGS.delimiter,
    output: {
      type: 'string',
      arg: 'FILE',
      help: 'write the predictions to this CSV file (default: stdout)',
    },
    decisions: {
      type: 'boolean',
      help: "write 0/1 decisions with the model's per-class thresholds",
    },
    evaluate: {
      type: 'boolean',
      help: 'print the metrics of training over the known labels (the input needs the label columns)',
    },
    json: {
      type: 'boolean',
      help: 'with --evaluate: print the metrics as one JSON object, full precision (as train --json)',
    },
  },
  notes: [
    'Writes one row per input row, with a header of the label names: probabilities, or 0/1',
    'with --decisions; with an id column (--id), its name and the ids come first. The',
    "input's columns are found by the model's feature names; other columns",
    'are ignored (a note on stderr says which). With --evaluate and no --output, only the',
    'metrics are printed. Exit code 2 on bad input, or on a row whose probability would be NaN',
    'or infinite (the message names it, counting data rows from 1). With --output, nothing is',
    'written then: the file is replaced only when every row succeeded. Standard output is',
    'streamed in batches of 4096 rows, as a pipe to head or grep expects, with memory bounded',
    'for any input: the batches printed before the error stay (stderr says how many rows); use',
    '--output FILE for all or nothing. A write error on stdout (a full disk) is exit code 2.',
  ],
};

/** Runs `predict` with `argv` (no node, no script); resolves to the exit code. */
export async function runPredict(argv: string[], io: Io = processIo): Promise<number> {
  let output: AtomicFile | null = null;
  /** Rows already printed to standard output (which cannot be taken back on an error). */
  let printedRows = 0;
  const progress = progressLine(io, 'predict');
  try {
    const flags = commandFlags(argv, PREDICT, io);
    if (flags === null) return 0;
    if (typeof flags.model !== 'string')
      throw new UsageError('--model FILE is required (see --help)');
    if (typeof flags.input !== 'string')
      throw new UsageError('--input FILE is required (see --help)');
    if (!existsSync(flags.input)) throw new UsageError(`no such file: ${flags.input}`);
    if (typeof flags.output === 'string') {
      checkOutputNotInput('--output', flags.output, [
        { flag: '--model', file: flags.model },
        { flag: '--input', file: flags.input },
      ]);
    }
    const columns = columnFlags(flags);
    const model = readModelFileFor(
      'predict',
      flags.model,
      'predict reads the JSON model file that train --save writes',
    );
    const modelId = model.training.idColumn;
    const predictor = new Predictor(model);
    const outFile = flags.output as string | undefined;
    if (outFile !== undefined) checkWritable(outFile, '--output');
    const evaluating = Boolean(flags.evaluate);
    if (flags.json && !evaluating) throw new UsageError('--json goes with --evaluate');
    const writing = outFile !== undefined || !evaluating;
    const L = predictor.labels;
    const probsParts: Float64Array[] = [];
    const yParts: Float64Array[] = [];
    const maskParts: Float64Array[] = [];
    let rows = 0;
    let write: (text: string) => void = io.out;
    const id = columns.id ?? modelId;
    let withIds = false;
    for await (const batch of readRowsForModel(flags.input, model, {
      ...(id !== undefined ? { id, idIfPresent: columns.id === undefined } : {}),
      ...(columns.delimiter !== undefined ? { delimiter: columns.delimiter } : {}),
      onColumns(match, idName) {
        withIds = idName !== null;
        const extra = match.extra.filter((n) => n !== idName);
        if (extra.length > 0) {
          io.err(`predict: note: ignoring the columns ${listNames(extra)} (not in the model)\n`);
        }
        if (!withIds && modelId !== undefined && columns.id === undefined && writing) {
          io.err(
            `predict: note: the input has no column ${quoteName(modelId)} (the model's id column); rows are written without ids\n`,
          );
        }
        if (evaluating && match.missingLabels.length > 0) {
          throw new UsageError(
            `--evaluate needs every label column; the input has no ${listNames(match.missingLabels)}`,
          );
        }
        if (writing) {
          if (outFile !== undefined) {
            const file = new AtomicFile(outFile, '--output');
            output = file;
            write = (text) => file.write(text);
          }
          const names = withIds ? [idName!, ...model.labels.names] : model.labels.names;
          write(names.map(csvField).join(',') + '\n');
        }
      },
      onProgress: (done, total) => progress.update(done, total),
    })) {
      const probs = predictor.predict(batch.x, batch.rows, { firstRow: rows });
      if (writing) {
        const values = flags.decisions ? predictor.decide(probs, { firstRow: rows }) : probs;
        const lines: string[] = [];
        for (let i = 0; i < batch.rows; i++) {
          const row = Array.from(values.subarray(i * L, (i + 1) * L), String).join(',');
          lines.push(batch.ids ? `${csvField(batch.ids[i])},${row}` : row);
        }
        write(lines.join('\n') + '\n');
        if (outFile === undefined) printedRows += batch.rows;
      }
      rows += batch.rows;
      if (evaluating) {
        probsParts.push(probs);
        yParts.push(batch.y!);
        maskParts.push(batch.mask!);
      }
    }
    progress.end();
    if (output) (output as AtomicFile).commit();
    output = null;
    if (evaluating) {
      const metrics = evaluationMetrics(
        concat(probsParts),
        concat(yParts),
        concat(maskParts),
        rows,
        predictor,
      );
      const report = flags.json
        ? JSON.stringify(metrics) + '\n'
        : metricsReport(metrics, rows, predictor);
      (outFile !== undefined || !writing ? io.out : io.err)(report);
    }
    return 0;
  } catch (e) {
    progress.end();
    if (output) (output as AtomicFile).abort();
    const code = reportError('predict', inFlagTerms(e), io);
    if (printedRows > 0) {
      io.err(
        `predict: ${printedRows} ${printedRows === 1 ? 'row was' : 'rows were'} already written to standard output before the error (incomplete; use --output FILE to get all rows or nothing)\n`,
      );
    }
    return code;
  }
}

/** A field of the output CSV: quoted when it holds a quote, a comma or a line break. */
function csvField(name: string): string {
  return /[",\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The metrics training prints, over the known labels, and F1 with the model's thresholds. */
interface Evaluation {
  mAP: number;
  lrap: number;
  microF1: number;
  macroF1: number;
  hamming: number;
  /** Known labels counted. */
  known: number;
  /** F1 with the model's per-class thresholds (the same as above when they are all 0.5). */
  thresholdMicroF1: number;
  thresholdMacroF1: number;
}

function evaluationMetrics(
  p: Float64Array,
  y: Float64Array,
  mask: Float64Array,
  rows: number,
  predictor: Predictor,
): Evaluation {
  const L = predictor.labels;
  const probs = new Tensor(p, [rows, L]);
  const yt = new Tensor(y, [rows, L]);
  const mt = new Tensor(mask, [rows, L]);
  const m = evaluate(probs, {
    x: new Tensor(new Float64Array(0), [rows, 0]),
    y: yt,
    mask: mt,
    featureNames: [],
    labelNames: predictor.file.labels.names.slice(),
  });
  const decided = applyThresholds(probs, predictor.file.labels.thresholds);
  return {
    mAP: m.mAP,
    lrap: m.lrap,
    microF1: m.microF1,
    macroF1: m.macroF1,
    hamming: m.hamming,
    known: mask.reduce((a, b) => a + b, 0),
    thresholdMicroF1: f1(decided, yt, { average: 'micro', mask: mt }),
    thresholdMacroF1: f1(decided, yt, { average: 'macro', mask: mt }),
  };
}

function metricsReport(m: Evaluation, rows: number, predictor: Predictor): string {
  const known = m.known;
  const lines = [
    `Metrics over ${rows} rows, ${known} known labels (F1 and Hamming loss at threshold 0.5):`,
    `  mAP       ${m.mAP.toFixed(4)}`,
    `  LRAP      ${m.lrap.toFixed(4)}`,
    `  micro-F1  ${m.microF1.toFixed(4)}`,
    `  macro-F1  ${m.macroF1.toFixed(4)}`,
    `  Hamming   ${m.hamming.toFixed(4)}`,
  ];
  if (predictor.file.labels.thresholds.some((t) => t !== 0.5)) {
    lines.push(
      "With the model's per-class thresholds:",
      `  micro-F1  ${m.thresholdMicroF1.toFixed(4)}`,
      `  macro-F1  ${m.thresholdMacroF1.toFixed(4)}`,
    );
  }
  return lines.join('\n') + '\n';
}
