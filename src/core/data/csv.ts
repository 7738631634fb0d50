import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue, quoteExcerpt } from '../describe-value';
import { Tensor } from '../tensor';
import { type LabelSpec, type MultiLabelDataset, splitColumns } from './dataset';
import { parseDecimal } from './number';
import { splitLines } from './lines';

export interface CsvOptions {
  /** The label columns: a count (the last N columns) or a list of column names. */
  labels: LabelSpec;
}

/** Splits one CSV line on commas; a field may be double-quoted, with "" for a quote inside. */
function splitCsvLine(line: string, lineNo: number): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      // The field runs to the next quote that is not doubled; whole runs are sliced at once.
      let value = '';
      let j = i + 1;
      for (;;) {
        const quote = line.indexOf('"', j);
        if (quote < 0) {
          throw new MaskgradError(
            `parseCsv: line ${lineNo}: unterminated quoted field; expected a closing "`,
            { code: 'ERR_PARSE' },
          );
        }
        value += line.slice(j, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          j = quote + 2;
          continue;
        }
        j = quote;
        break;
      }
      j++;
      if (j < line.length && line[j] !== ',') {
        throw new MaskgradError(
          `parseCsv: line ${lineNo}: text after a closing quote; expected a comma`,
          { code: 'ERR_PARSE' },
        );
      }
      fields.push(value);
      if (j >= line.length) return fields;
      i = j + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** Whether a label field means "unknown": empty, `?`, `NaN` (any case) or `-1`. */
function isUnknownLabel(field: string, value: number): boolean {
  return field === '' || field === '?' || field.toLowerCase() === 'nan' || value === -1;
}

/**
 * Parses CSV text with a header row into a data set. In a label column, empty, `?`, `NaN` and
 * `-1` mean unknown, and 0/1 are the known values; every other column is a feature and must
 * hold numbers. Lines end at LF, CRLF or a lone CR; blank lines are skipped; fields are
 * trimmed of white space (String.prototype.trim: spaces, tabs, NBSP, U+2028, ...). A header
 * without any data row is an error (ERR_PARSE), as scikit-learn refuses a data set of 0
 * samples: a data set is for training or testing, and 0 rows can do neither.
 */
export function parseCsv(text: string, options: CsvOptions): MultiLabelDataset {
  if (typeof text !== 'string') {
    throw new MaskgradError(
      `parseCsv: expected the file's text as a string, got ${describeValue(text)}`,
    );
  }
  if (!options || options.labels === undefined) {
    throw new MaskgradError(
      'parseCsv: pass { labels }: a count (the last N columns) or a list of column names',
    );
  }
  checkOptions('parseCsv', options, ['labels']);
  const lines = splitLines(text);
  let h = 0;
  while (h < lines.length && lines[h].trim() === '') h++;
  if (h === lines.length) {
    throw new MaskgradError('parseCsv: the text is empty; expected a header row', {
      code: 'ERR_PARSE',
    });
  }
  const names = splitCsvLine(lines[h], h + 1).map((s) => s.trim());
  const columns = names.length;
  const firstColumn = new Map<string, number>();
  for (let c = 0; c < columns; c++) {
    if (names[c] === '') {
      throw new MaskgradError(
        `parseCsv: line ${h + 1}: column ${c + 1} of the header has no name; expected a name for every column ` +
          '(an index column written by pandas? save with index=False)',
        { code: 'ERR_PARSE' },
      );
    }
    if (firstColumn.has(names[c])) {
      throw new MaskgradError(
        `parseCsv: line ${h + 1}: column name ${quoteExcerpt(names[c])} appears twice; expected unique names`,
        { code: 'ERR_PARSE' },
      );
    }
    firstColumn.set(names[c], c);
  }
  const { labelColumns, featureColumns } = splitColumns(names, options.labels, 'parseCsv');
  const D = featureColumns.length;
  const C = labelColumns.length;

  const xs: number[] = [];
  const ys: number[] = [];
  const ms: number[] = [];
  let rows = 0;
  for (let i = h + 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const lineNo = i + 1;
    const fields = splitCsvLine(lines[i], lineNo);
    if (fields.length !== columns) {
      throw new MaskgradError(
        `parseCsv: line ${lineNo}: expected ${columns} fields, found ${fields.length}`,
        { code: 'ERR_PARSE' },
      );
    }
    for (let j = 0; j < D; j++) {
      const field = fields[featureColumns[j]].trim();
      const v = parseDecimal(field);
      if (!Number.isFinite(v)) {
        const why = Number.isNaN(v) ? 'expected a number' : 'too large for a float64';
        throw new MaskgradError(
          `parseCsv: line ${lineNo}: feature ${quoteExcerpt(names[featureColumns[j]])} is ${quoteExcerpt(field)}; ${why}`,
          { code: 'ERR_PARSE' },
        );
      }
      xs.push(v);
    }
    for (let k = 0; k < C; k++) {
      const field = fields[labelColumns[k]].trim();
      const v = parseDecimal(field);
      if (v === 0 || v === 1) {
        ys.push(v === 1 ? 1 : 0);
        ms.push(1);
      } else if (isUnknownLabel(field, v)) {
        ys.push(0);
        ms.push(0);
      } else {
        throw new MaskgradError(
          `parseCsv: line ${lineNo}: label ${quoteExcerpt(names[labelColumns[k]])} is ${quoteExcerpt(field)}; expected 0, 1, or empty, ?, NaN or -1 for unknown`,
          { code: 'ERR_PARSE' },
        );
      }
    }
    rows++;
  }
  if (rows === 0) {
    throw new MaskgradError(
      `parseCsv: the text has a header (line ${h + 1}) but no data rows; expected at least one row after it`,
      { code: 'ERR_PARSE' },
    );
  }
  return {
    x: new Tensor(Float64Array.from(xs), [rows, D]),
    y: new Tensor(Float64Array.from(ys), [rows, C]),
    mask: new Tensor(Float64Array.from(ms), [rows, C]),
    featureNames: featureColumns.map((c) => names[c]),
    labelNames: labelColumns.map((c) => names[c]),
  };
}
