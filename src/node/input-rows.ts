import * as fs from 'fs';
import { extname } from 'path';
import { MaskgradError, withContext } from '../core/errors';
import { describeValue, quoteName } from '../core/describe-value';
import { checkLabelAttribute } from '../core/data/dataset';
import { columnNotFound, withOneColumnHint } from '../core/data/column-roles';
import { checkCsvFieldCount, csvFieldValue } from '../core/data/csv';
import { type CsvDelimiter, CsvTokenizer, delimiterName } from '../core/data/csv-tokenizer';
import { type ColumnMatch, matchColumns, type ModelColumns } from '../core/model/columns';
import { DELIMITED_EXTENSIONS, readArff } from './read-data';

/** The index of the id column in `names`, or -1 (none asked for, or absent and optional). */
function idColumnOf(names: readonly string[], options: ReadRowsOptions, where: string): number {
  if (options.id === undefined) return -1;
  const c = names.indexOf(options.id);
  if (c < 0 && !options.idIfPresent) columnNotFound(where, 'id column', options.id, names);
  return c;
}

/** A batch of input rows, arranged in the model's feature and label order. */
export interface RowBatch {
  rows: number;
  /** Raw features [rows, F]. */
  x: Float64Array;
  /** 0/1 targets [rows, L] (0 where unknown), or null when the input has no label columns. */
  y: Float64Array | null;
  /** The mask, [rows, L]: 1 known, 0 unknown (or a missing label column); null with y. */
  mask: Float64Array | null;
  /** Each row's id (the text of the `id` column, trimmed), or null when no id column is read. */
  ids: string[] | null;
}

export interface ReadRowsOptions {
  /** Rows per batch (default 4096). */
  batchRows?: number;
  /**
   * Called once with how the input's columns were matched, before the first batch; `id` is
   * the id column's name, or null when no id column is read.
   */
  onColumns?: (match: ColumnMatch, id: string | null) => void;
  /** The name of a column whose text is each row's id (`RowBatch.ids`); not a feature. */
  id?: string;
  /** With `id`: a file without that column gives rows without ids, not an error. */
  idIfPresent?: boolean;
  /** Called after each batch with the bytes read so far and the file's size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** A delimited file's field separator: ',', '\t' or ';' (default: detected from its header line). */
  delimiter?: CsvDelimiter;
  /** Bytes read from a CSV file at a time (default 65536). */
  chunkBytes?: number;
}

class BatchBuilder {
  private x: Float64Array;
  private y: Float64Array | null;
  private mask: Float64Array | null;
  private ids: string[] | null;
  rows = 0;

  constructor(
    private readonly capacity: number,
    private readonly F: number,
    private readonly L: number,
    private readonly withLabels: boolean,
    private readonly withIds: boolean,
  ) {
    this.ids = withIds ? [] : null;
    this.x = new Float64Array(capacity * F);
    this.y = withLabels ? new Float64Array(capacity * L) : null;
    this.mask = withLabels ? new Float64Array(capacity * L) : null;
  }

  get full(): boolean {
    return this.rows === this.capacity;
  }

  /** Adds one row; `feature(j)` and `label(k)` give its values (label NaN = unknown). */
  add(feature: (j: number) => number, label: (k: number) => number, id: () => string): void {
    const r = this.rows++;
    this.ids?.push(id());
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
      ids: this.ids,
    };
    this.rows = 0;
    this.ids = this.withIds ? [] : null;
    return batch;
  }
}

/**
 * Reads the rows of an `.arff` file or a delimited text file (`.csv`, `.tsv`, `.txt`) in
 * batches, with the columns matched to the model's by name (see `matchColumns`). A text file
 * is read in chunks of bytes, decoded as UTF-8 and split with parseCsv's grammar (CsvTokenizer:
 * the same records, values, delimiter detection and error messages), so its size is not
 * limited by memory; an ARFF file is parsed whole with `readArff`. Labels are read when the
 * file has every label column of the model; the `id` column's text comes with each row.
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
  if (options.id !== undefined && typeof options.id !== 'string') {
    throw new MaskgradError(
      `readRowsForModel: id must be a column name (a string), got ${describeValue(options.id)}`,
    );
  }
  const ext = extname(file).toLowerCase();
  if (ext !== '.arff' && !DELIMITED_EXTENSIONS.includes(ext)) {
    throw new MaskgradError(
      `readRowsForModel: cannot tell the format of ${quoteName(file)}; expected a .arff, .csv, .tsv or .txt file`,
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
  const idColumn = idColumnOf(parsed.names, options, 'readRowsForModel');
  options.onColumns?.(match, idColumn < 0 ? null : parsed.names[idColumn]);
  const withLabels = match.missingLabels.length === 0;
  const idTexts = idColumn < 0 ? undefined : parsed.strings?.[parsed.names[idColumn]];
  if (withLabels) {
    for (const c of match.labels) checkLabelAttribute('readRowsForModel', parsed.attributes[c]);
  }
  const F = match.features.length;
  const L = match.labels.length;
  const builder = new BatchBuilder(batchRows, F, L, withLabels, idColumn >= 0);
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
      () => {
        if (idTexts) return idTexts[r];
        const v = values[base + idColumn];
        return Number.isNaN(v) ? '' : String(v);
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
  const tokenizer = new CsvTokenizer(where, options.delimiter ?? 'detect');
  // Set inside nextBatch; the assertion keeps TypeScript from taking it as always null below.
  let header = null as {
    names: string[];
    match: ColumnMatch;
    builder: BatchBuilder;
    idColumn: number;
  } | null;
  /** The next full batch from the records the tokenizer holds, or null when it needs more text. */
  const nextBatch = (): RowBatch | null => {
    for (let fields = tokenizer.nextRecord(); fields !== null; fields = tokenizer.nextRecord()) {
      const lineNo = tokenizer.lineNo;
      if (header === null) {
        const names = fields.map((s) => s.trim());
        const match = withOneColumnHint(
          names.length,
          delimiterName(tokenizer.delimiter),
          tokenizer.detected,
          () => matchColumns(names, model, where),
        );
        const idColumn = idColumnOf(names, options, where);
        options.onColumns?.(match, idColumn < 0 ? null : names[idColumn]);
        const F = match.features.length;
        const L = match.labels.length;
        const withLabels = match.missingLabels.length === 0;
        const builder = new BatchBuilder(batchRows, F, L, withLabels, idColumn >= 0);
        header = { names, match, builder, idColumn };
        continue;
      }
      const { names, match, builder, idColumn } = header;
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
        () => fields[idColumn].trim(),
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
