import * as fs from 'fs';
import { extname } from 'path';
import { MaskgradError, withContext } from '../core/errors';
import { describeValue, quoteName } from '../core/describe-value';
import { checkLabelAttribute } from '../core/data/dataset';
import { checkCsvFieldCount, csvFieldValue } from '../core/data/csv';
import { type CsvDelimiter, CsvTokenizer } from '../core/data/csv-tokenizer';
import { type ColumnMatch, matchColumns, type ModelColumns } from '../core/model/columns';
import { readArff } from './read-data';

/** A batch of input rows, arranged in the model's feature and label order. */
export interface RowBatch {
  rows: number;
  /** Raw features [rows, F]. */
  x: Float64Array;
  /** 0/1 targets [rows, L] (0 where unknown), or null when the input has no label columns. */
  y: Float64Array | null;
  /** The mask, [rows, L]: 1 known, 0 unknown (or a missing label column); null with y. */
  mask: Float64Array | null;
}

export interface ReadRowsOptions {
  /** Rows per batch (default 4096). */
  batchRows?: number;
  /** Called once with how the input's columns were matched, before the first batch. */
  onColumns?: (match: ColumnMatch) => void;
  /** Called after each batch with the bytes read so far and the file's size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** A CSV file's field separator: ',' (the default) or '\t' for TSV. */
  delimiter?: CsvDelimiter;
  /** Bytes read from a CSV file at a time (default 65536). */
  chunkBytes?: number;
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
 * model's by name (see `matchColumns`). A CSV file is read in chunks of bytes, decoded as
 * UTF-8 and split with parseCsv's grammar (CsvTokenizer: the same records, values and error
 * messages), so its size is not limited by memory; an ARFF file is parsed whole with
 * `readArff`. Labels are read when the file has every label column of the model.
 */
export async function* readRowsForModel(
  file: string,
  model: ModelColumns,
  options: ReadRowsOptions = {},
): AsyncGenerator<RowBatch> {
  if (typeof file !== 'string') {
    throw new MaskgradError(
      `readRowsForModel: file must be a path (a string), got ${describeValue(file)}`,
    );
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new MaskgradError(
      `readRowsForModel: options must be an object ({ batchRows, chunkBytes, ... }), got ${describeValue(options)}`,
    );
  }
  const batchRows = options.batchRows ?? 4096;
  const chunkBytes = options.chunkBytes ?? 1 << 16;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) {
    throw new MaskgradError(
      `readRowsForModel: chunkBytes is ${describeValue(options.chunkBytes)}; expected a positive integer`,
    );
  }
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.arff') {
    throw new MaskgradError(
      `readRowsForModel: cannot tell the format of ${quoteName(file)}; expected a .arff or .csv file`,
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
    else yield* csvRows(file, model, batchRows, chunkBytes, size, options);
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
            `line ${parsed.lines[r]}: feature ${quoteName(parsed.names[match.features[j]])} is unknown (?); expected a number`,
            { code: 'ERR_PARSE' },
          );
        }
        return v;
      },
      (k) => {
        const v = values[base + match.labels[k]];
        if (!Number.isNaN(v) && v !== 0 && v !== 1) {
          throw new MaskgradError(
            `line ${parsed.lines[r]}: label ${quoteName(parsed.names[match.labels[k]])} is ${v}; expected 0, 1 or ?`,
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
  chunkBytes: number,
  size: number,
  options: ReadRowsOptions,
): AsyncGenerator<RowBatch> {
  const where = 'readRowsForModel';
  const stream = fs.createReadStream(file, { highWaterMark: chunkBytes });
  // ignoreBOM keeps a byte order mark in the text, for the tokenizer to drop as parseCsv does.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const tokenizer = new CsvTokenizer(where, options.delimiter ?? ',');
  // Set inside nextBatch; the assertion keeps TypeScript from taking it as always null below.
  let header = null as { names: string[]; match: ColumnMatch; builder: BatchBuilder } | null;
  /** The next full batch from the records the tokenizer holds, or null when it needs more text. */
  const nextBatch = (): RowBatch | null => {
    for (let fields = tokenizer.nextRecord(); fields !== null; fields = tokenizer.nextRecord()) {
      const lineNo = tokenizer.lineNo;
      if (header === null) {
        const names = fields.map((s) => s.trim());
        const match = matchColumns(names, model, where);
        options.onColumns?.(match);
        const F = match.features.length;
        const L = match.labels.length;
        const withLabels = match.missingLabels.length === 0;
        header = { names, match, builder: new BatchBuilder(batchRows, F, L, withLabels) };
        continue;
      }
      const { names, match, builder } = header;
      checkCsvFieldCount(fields, names.length, lineNo, where);
      builder.add(
        (j) =>
          csvFieldValue(
            'feature',
            fields[match.features[j]],
            names[match.features[j]],
            lineNo,
            where,
          ),
        (k) =>
          csvFieldValue('label', fields[match.labels[k]], names[match.labels[k]], lineNo, where),
      );
      if (builder.full) return builder.take();
    }
    return null;
  };
  try {
    for await (const bytes of stream) {
      tokenizer.push(decoder.decode(bytes as Buffer, { stream: true }));
      for (let batch = nextBatch(); batch !== null; batch = nextBatch()) {
        yield batch;
        options.onProgress?.(stream.bytesRead, size);
      }
    }
    tokenizer.push(decoder.decode());
    tokenizer.end();
    for (let batch = nextBatch(); batch !== null; batch = nextBatch()) yield batch;
  } finally {
    stream.destroy();
  }
  if (header === null) {
    throw new MaskgradError(`${where}: the file is empty; expected a header row`, {
      code: 'ERR_PARSE',
    });
  }
  if (header.builder.rows > 0) yield header.builder.take();
  options.onProgress?.(size, size);
}
