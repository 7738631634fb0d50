import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue, quoteExcerpt } from '../describe-value';
import { Tensor } from '../tensor';
import type { MultiLabelDataset } from './dataset';
import { parseDecimal } from './number';
import { type CsvDelimiter, CsvTokenizer, delimiterName } from './csv-tokenizer';
import {
  assignColumns,
  type ColumnOptions,
  type LabelSpec,
  textColumnMessage,
  withOneColumnHint,
} from './column-roles';

export interface CsvOptions extends ColumnOptions {
  /**
   * The label columns: a count (the last N columns), a list of column names, or a range of
   * names `{ first, last }`.
   */
  labels: LabelSpec;
  /**
   * The field separator: ',', '\t' (TSV) or ';'. Default: detected from the header line
   * (see `detectDelimiter`).
   */
  delimiter?: CsvDelimiter;
}

/** Whether a label field means "unknown": empty, `?`, `NaN` (any case) or `-1`. */
function isUnknownLabel(field: string, value: number): boolean {
  return field === '' || field === '?' || field.toLowerCase() === 'nan' || value === -1;
}

/**
 * The number in a CSV field, trimmed and read by parseDecimal. A feature is any finite number;
 * a label is 0 or 1 (`-0`, `1.0`, `1e0` too), or NaN for unknown (empty, `?`, `NaN` in any
 * case, or `-1`). Anything else is an error naming the reader, the line and the column.
 */
export function csvFieldValue(
  role: 'feature' | 'label',
  field: string,
  column: string,
  lineNo: number,
  where: string,
): number {
  const text = field.trim();
  const v = parseDecimal(text);
  let expected: string;
  if (role === 'label') {
    if (v === 0 || v === 1) return v === 1 ? 1 : 0;
    if (isUnknownLabel(text, v)) return NaN;
    expected = 'expected 0, 1, or empty, ?, NaN or -1 for unknown';
  } else {
    if (Number.isFinite(v)) return v;
    expected = Number.isNaN(v) ? 'expected a number' : 'too large for a float64';
  }
  throw new MaskgradError(
    `${where}: line ${lineNo}: ${role} ${quoteExcerpt(column)} is ${quoteExcerpt(text)}; ${expected}`,
    { code: 'ERR_PARSE' },
  );
}

/** Throws unless a record has as many fields as the header has columns. */
export function checkCsvFieldCount(
  fields: readonly string[],
  columns: number,
  lineNo: number,
  where: string,
): void {
  if (fields.length !== columns) {
    throw new MaskgradError(
      `${where}: line ${lineNo}: expected ${columns} fields, found ${fields.length}`,
      { code: 'ERR_PARSE' },
    );
  }
}

/** Whether a field is text: not a number, nor a spelling of a missing or infinite one. */
function isText(field: string): boolean {
  return Number.isNaN(parseDecimal(field)) && !/^([+-]?(nan|inf|infinity)|\?)$/i.test(field);
}

/**
 * For each feature column, the first non-empty field of the data rows and its line, found by
 * reading `text` again from the start; a column whose first value is not a number is text.
 * Stops as soon as every column has one (usually on the first data row), or at a row of the
 * wrong length.
 */
function firstValues(
  text: string,
  delimiter: CsvDelimiter,
  columns: number,
  featureColumns: readonly number[],
): { field: string; lineNo: number }[] {
  const found: { field: string; lineNo: number }[] = [];
  let open = featureColumns.length;
  const tokenizer = new CsvTokenizer('parseCsv', delimiter);
  tokenizer.push(text);
  tokenizer.end();
  try {
    tokenizer.nextRecord();
    while (open > 0) {
      const fields = tokenizer.nextRecord();
      // The end, or a row of the wrong length: the main pass's error, at its line.
      if (fields === null || fields.length !== columns) break;
      featureColumns.forEach((c, j) => {
        const field = fields[c].trim();
        if (found[j] === undefined && field !== '') {
          found[j] = { field, lineNo: tokenizer.lineNo };
          open--;
        }
      });
    }
  } catch {
    // A malformed line: the main pass reports it (or an earlier error) at its place.
  }
  return found;
}

/**
 * Parses CSV text with a header row into a data set. In a label column, empty, `?`, `NaN` and
 * `-1` mean unknown, and 0/1 are the known values; `id` names a text column kept as the rows'
 * `ids`; `ignore` columns are left out; every other column is a feature and must hold numbers.
 * A feature column whose first non-empty value is not a number is text: one error naming it
 * and the options `id` and `ignore` (a later bad value in a numeric column is an error naming
 * its line). The grammar is CsvTokenizer's (the same as predict's reader): lines end at LF,
 * CRLF or a lone CR; blank lines are skipped; a field may be double-quoted; the delimiter is
 * ',', '\t' or ';', detected from the header line unless given. Fields are trimmed of white
 * space (String.prototype.trim: spaces, tabs, NBSP, U+2028, ...). A header without any data
 * row is an error (ERR_PARSE), as scikit-learn refuses a data set of 0 samples: a data set is
 * for training or testing, and 0 rows can do neither. Text in, data set out: it runs in any
 * JavaScript runtime, a browser page included.
 */
export function parseCsv(text: string, options: CsvOptions): MultiLabelDataset {
  const where = 'parseCsv';
  if (typeof text !== 'string') {
    throw new MaskgradError(
      `parseCsv: expected the file's text as a string, got ${describeValue(text)}`,
    );
  }
  if (!options || options.labels === undefined) {
    throw new MaskgradError(
      'parseCsv: pass { labels }: a count (the last N columns), a list of column names or a range { first, last }',
    );
  }
  checkOptions('parseCsv', options, ['labels', 'delimiter', 'id', 'ignore']);
  const tokenizer = new CsvTokenizer(where, options.delimiter ?? 'detect');
  tokenizer.push(text);
  tokenizer.end();
  const header = tokenizer.nextRecord();
  if (header === null) {
    throw new MaskgradError('parseCsv: the text is empty; expected a header row', {
      code: 'ERR_PARSE',
    });
  }
  const headerLine = tokenizer.lineNo;
  const names = header.map((s) => s.trim());
  const columns = names.length;
  const firstColumn = new Map<string, number>();
  for (let c = 0; c < columns; c++) {
    if (names[c] === '') {
      throw new MaskgradError(
        `parseCsv: line ${headerLine}: column ${c + 1} of the header has no name; expected a name for every column ` +
          '(an index column written by pandas? save with index=False)',
        { code: 'ERR_PARSE' },
      );
    }
    if (firstColumn.has(names[c])) {
      throw new MaskgradError(
        `parseCsv: line ${headerLine}: column name ${quoteExcerpt(names[c])} appears twice; expected unique names`,
        { code: 'ERR_PARSE' },
      );
    }
    firstColumn.set(names[c], c);
  }
  const { labelColumns, featureColumns, idColumn } = withOneColumnHint(
    columns,
    delimiterName(tokenizer.delimiter),
    tokenizer.detected,
    () => assignColumns(names, options.labels, options, where),
  );
  const D = featureColumns.length;
  const C = labelColumns.length;
  const featureNames = featureColumns.map((c) => names[c]);
  const labelNames = labelColumns.map((c) => names[c]);
  // A column whose first non-empty value is text: an error at the first row of the main pass
  // that reaches it (its rows before that value are empty), in the order of the other errors.
  const textFirst = firstValues(text, tokenizer.delimiter, columns, featureColumns).map((first) =>
    first !== undefined && isText(first.field) ? first : undefined,
  );
  const anyText = textFirst.some((first) => first !== undefined);

  const xs: number[] = [];
  const ys: number[] = [];
  const ms: number[] = [];
  const ids: string[] = [];
  let rows = 0;
  for (let fields = tokenizer.nextRecord(); fields !== null; fields = tokenizer.nextRecord()) {
    const lineNo = tokenizer.lineNo;
    checkCsvFieldCount(fields, columns, lineNo, where);
    for (let j = 0; j < D; j++) {
      const first = anyText ? textFirst[j] : undefined;
      if (first !== undefined) {
        throw new MaskgradError(
          textColumnMessage(where, featureNames[j], `line ${first.lineNo}`, first.field),
          { code: 'ERR_PARSE' },
        );
      }
      xs.push(csvFieldValue('feature', fields[featureColumns[j]], featureNames[j], lineNo, where));
    }
    for (let k = 0; k < C; k++) {
      const v = csvFieldValue('label', fields[labelColumns[k]], labelNames[k], lineNo, where);
      ys.push(v === 1 ? 1 : 0);
      ms.push(Number.isNaN(v) ? 0 : 1);
    }
    if (idColumn >= 0) ids.push(fields[idColumn].trim());
    rows++;
  }
  if (rows === 0) {
    throw new MaskgradError(
      `parseCsv: the text has a header (line ${headerLine}) but no data rows; expected at least one row after it`,
      { code: 'ERR_PARSE' },
    );
  }
  return {
    x: new Tensor(Float64Array.from(xs), [rows, D]),
    y: new Tensor(Float64Array.from(ys), [rows, C]),
    mask: new Tensor(Float64Array.from(ms), [rows, C]),
    featureNames,
    labelNames,
    ...(idColumn >= 0 ? { ids } : {}),
  };
}
