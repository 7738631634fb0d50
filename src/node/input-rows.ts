import * as fs from 'fs';
import { extname } from 'path';
import * as readline from 'readline';
import { MaskgradError, withContext } from '../core/errors';
import { checkLabelAttribute } from '../core/data/dataset';
import { parseDecimal } from '../core/data/number';
import { type ColumnMatch, matchColumns, type ModelColumns } from '../core/model/columns';
import { readArff } from './read-data';

/** A batch of input rows, arranged in the model's feature and label order. */
export interface RowBatch {
  rows: number;
  /** Raw features [rows, F]. */
  x: Float64Array;
  /** 0/1 targets [rows, L] (0 where unknown), or null when the input has no label columns. */
  y: Float64Array | null;
  /** [rows, L]: 1 known, 0 unknown (or a missing label column); null with y. */
  mask: Float64Array | null;
}

export interface ReadRowsOptions {
  /** Rows per batch (default 4096). */
  batchRows?: number;
  /** Called once with how the input's columns were matched, before the first batch. */
  onColumns?: (match: ColumnMatch) => void;
  /** Called after each batch with the bytes read so far and the file's size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Whether a label field means unknown: empty, `?`, `NaN` (any case) or `-1`, as in readCsv. */
function labelValue(field: string): number {
  if (field === '' || field === '?' || field.toLowerCase() === 'nan') return NaN;
  const v = parseDecimal(field);
  if (v === -1) return NaN;
  return v === 0 || v === 1 ? v : Infinity;
}

/** Splits one CSV line on commas; a field may be double-quoted, with "" for a quote inside. */
function splitLine(line: string, lineNo: number): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i <= line.length) {
    const ch = line[i];
    if (quoted) {
      if (ch === undefined) {
        throw new MaskgradError(`line ${lineNo}: unterminated quoted field; expected a closing "`, {
          code: 'ERR_PARSE',
        });
      }
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',' || ch === undefined) {
      fields.push(field);
      field = '';
    } else field += ch;
    i++;
  }
  return fields;
}

class BatchBuilder {
  private x: Float64Array;
  private y: Float64Array | null;
  private mask: Float64Array | null;
  rows = 0;

  constructor(
    private readonly capacity: number,
    private readonly F: number,
    private readonly L: number,
    private readonly withLabels: boolean,
  ) {
    this.x = new Float64Array(capacity * F);
    this.y = withLabels ? new Float64Array(capacity * L) : null;
    this.mask = withLabels ? new Float64Array(capacity * L) : null;
  }

  get full(): boolean {
    return this.rows === this.capacity;
  }

  /** Adds one row; `feature(j)` and `label(k)` give its values (label NaN = unknown). */
  add(feature: (j: number) => number, label: (k: number) => number): void {
    const r = this.rows++;
    for (let j = 0; j < this.F; j++) this.x[r * this.F + j] = feature(j);
    if (this.y && this.mask) {
      for (let k = 0; k < this.L; k++) {
        const v = label(k);
        this.y[r * this.L + k] = v === 1 ? 1 : 0;
        this.mask[r * this.L + k] = Number.isNaN(v) ? 0 : 1;
      }
    }
  }

  take(): RowBatch {
    const n = this.rows;
    const batch: RowBatch = {
      rows: n,
      x: this.x.slice(0, n * this.F),
      y: this.y ? this.y.slice(0, n * this.L) : null,
      mask: this.mask ? this.mask.slice(0, n * this.L) : null,
    };
    this.rows = 0;
    return batch;
  }
}

/**
 * Reads the rows of an `.arff` or `.csv` file in batches, with the columns matched to the
 * model's by name (see `matchColumns`). A CSV file is read line by line, so its size is not
 * limited by memory; an ARFF file is parsed whole with `readArff`. Labels are read when the
 * file has every label column of the model.
 */
export async function* readRowsForModel(
  file: string,
  model: ModelColumns,
  options: ReadRowsOptions = {},
): AsyncGenerator<RowBatch> {
  const batchRows = options.batchRows ?? 4096;
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.arff') {
    throw new MaskgradError(
      `readRowsForModel: cannot tell the format of "${file}"; expected a .arff or .csv file`,
    );
  }
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new MaskgradError(`readRowsForModel: cannot read ${file}: ${(error as Error).message}`, {
      code: 'ERR_IO',
      cause: error,
    });
  }
  try {
    if (ext === '.arff') yield* arffRows(file, model, batchRows, size, options);
    else yield* csvRows(file, model, batchRows, size, options);
  } catch (e) {
    throw withContext(e, `(in ${file})`);
  }
}

function* arffRows(
  file: string,
  model: ModelColumns,
  batchRows: number,
  size: number,
  options: ReadRowsOptions,
): Generator<RowBatch> {
  const parsed = readArff(file);
  const match = matchColumns(parsed.names, model, 'readRowsForModel');
  options.onColumns?.(match);
  const withLabels = match.missingLabels.length === 0;
  if (withLabels) {
    for (const c of match.labels) checkLabelAttribute('readRowsForModel', parsed.attributes[c]);
  }
  const F = match.features.length;
  const L = match.labels.length;
  const builder = new BatchBuilder(batchRows, F, L, withLabels);
  const { columns, values } = parsed;
  for (let r = 0; r < parsed.rows; r++) {
    const base = r * columns;
    builder.add(
      (j) => {
        const v = values[base + match.features[j]];
        if (Number.isNaN(v)) {
          throw new MaskgradError(
            `line ${parsed.lines[r]}: feature "${parsed.names[match.features[j]]}" is unknown (?); expected a number`,
            { code: 'ERR_PARSE' },
          );
        }
        return v;
      },
      (k) => {
        const v = values[base + match.labels[k]];
        if (!Number.isNaN(v) && v !== 0 && v !== 1) {
          throw new MaskgradError(
            `line ${parsed.lines[r]}: label "${parsed.names[match.labels[k]]}" is ${v}; expected 0, 1 or ?`,
            { code: 'ERR_PARSE' },
          );
        }
        return v;
      },
    );
    if (builder.full) {
      yield builder.take();
      options.onProgress?.(Math.round((size * (r + 1)) / parsed.rows), size);
    }
  }
  if (builder.rows > 0) yield builder.take();
  options.onProgress?.(size, size);
}

async function* csvRows(
  file: string,
  model: ModelColumns,
  batchRows: number,
  size: number,
  options: ReadRowsOptions,
): AsyncGenerator<RowBatch> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  let names: string[] | null = null;
  let match: ColumnMatch | null = null;
  let builder: BatchBuilder | null = null;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      const fields = splitLine(line, lineNo);
      if (names === null) {
        names = fields.map((s) => s.trim());
        match = matchColumns(names, model, 'readRowsForModel');
        options.onColumns?.(match);
        builder = new BatchBuilder(
          batchRows,
          match.features.length,
          match.labels.length,
          match.missingLabels.length === 0,
        );
        continue;
      }
      const m = match!;
      const header = names;
      if (fields.length !== header.length) {
        throw new MaskgradError(
          `line ${lineNo}: expected ${header.length} fields, found ${fields.length}`,
          { code: 'ERR_PARSE' },
        );
      }
      builder!.add(
        (j) => {
          const field = fields[m.features[j]].trim();
          const v = parseDecimal(field);
          if (!Number.isFinite(v)) {
            throw new MaskgradError(
              `line ${lineNo}: feature "${header[m.features[j]]}" is "${field}"; expected a finite number`,
              { code: 'ERR_PARSE' },
            );
          }
          return v;
        },
        (k) => {
          const field = fields[m.labels[k]].trim();
          const v = labelValue(field);
          if (v === Infinity) {
            throw new MaskgradError(
              `line ${lineNo}: label "${header[m.labels[k]]}" is "${field}"; expected 0, 1, or empty, ?, NaN or -1 for unknown`,
              { code: 'ERR_PARSE' },
            );
          }
          return v;
        },
      );
      if (builder!.full) {
        yield builder!.take();
        options.onProgress?.(stream.bytesRead, size);
      }
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  if (names === null) {
    throw new MaskgradError('the file is empty; expected a header row', { code: 'ERR_PARSE' });
  }
  if (builder!.rows > 0) yield builder!.take();
  options.onProgress?.(size, size);
}
