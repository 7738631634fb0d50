import { MaskgradError } from '../errors';
import { describeValue, quoteExcerpt } from '../describe-value';
import { checkOptions } from '../check-options';
import { checkCsvFieldCount, csvFieldValue } from './csv';
import { type CsvDelimiter, CsvTokenizer } from './csv-tokenizer';

/**
 * What a column's values allow: `'label'` when every value is 0, 1 or unknown (empty, `?`,
 * `NaN`, `-1`), `'number'` when every value is a finite number but not all are 0, 1 or
 * unknown, `'text'` otherwise (a value parseCsv would refuse in a feature column).
 */
export type ColumnKind = 'label' | 'number' | 'text';

/** The columns of a CSV text, read with parseCsv's grammar and value rules. */
export interface DetectedColumns {
  /** The field separator the text was read with: the one given, or detected from the header line. */
  delimiter: CsvDelimiter;
  /** The header's names, in order. */
  columns: string[];
  /** Per column, what its values allow. */
  kinds: ColumnKind[];
  /**
   * Per column, the first value that rules it out as a label column (null for a label
   * column): its line number and text, for a message that names them.
   */
  firstNonLabel: ({ line: number; value: string } | null)[];
  /** Per column, the first value that is not a finite number (null: none), as above. */
  firstNonNumber: ({ line: number; value: string } | null)[];
  /**
   * The suggested label columns: the trailing run of `'label'` columns, in header order,
   * passing over `'text'` columns (an id or a note, which cannot be features). At least one
   * column that is not text is left out of it, for a feature.
   */
  labels: string[];
}

/**
 * Reads a CSV text's header and every row, and tells which columns look like labels: the
 * trailing run of columns whose values are all 0, 1 or unknown (parseCsv's rules), passing
 * over text columns. The delimiter is the one given or, by default (`'detect'`), the one
 * detected from the header line as parseCsv does; the result says which (`delimiter`). The
 * result's `labels` can be passed to parseCsv as `{ labels }`. A text parseCsv refuses for
 * its grammar (a row with the wrong number of fields, a header with an empty or repeated
 * name, no data row) is refused here with the same kind of message.
 */
export function detectLabelColumns(
  text: string,
  options: { delimiter?: CsvDelimiter | 'detect' } = {},
): DetectedColumns {
  const where = 'detectLabelColumns';
  if (typeof text !== 'string') {
    throw new MaskgradError(
      `${where}: expected the file's text as a string, got ${describeValue(text)}`,
    );
  }
  checkOptions(where, options, ['delimiter']);
  const tokenizer = new CsvTokenizer(where, options.delimiter ?? 'detect');
  tokenizer.push(text);
  tokenizer.end();
  const header = tokenizer.nextRecord();
  if (header === null) {
    throw new MaskgradError(`${where}: the text is empty; expected a header row`, {
      code: 'ERR_PARSE',
    });
  }
  const headerLine = tokenizer.lineNo;
  const columns = header.map((s) => s.trim());
  const seen = new Set<string>();
  columns.forEach((name, c) => {
    if (name === '' || seen.has(name)) {
      throw new MaskgradError(
        name === ''
          ? `${where}: line ${headerLine}: column ${c + 1} of the header has no name; expected a name for every column`
          : `${where}: line ${headerLine}: column name ${quoteExcerpt(name)} appears twice; expected unique names`,
        { code: 'ERR_PARSE' },
      );
    }
    seen.add(name);
  });
  const n = columns.length;
  const firstNonLabel: ({ line: number; value: string } | null)[] = new Array(n).fill(null);
  const firstNonNumber: ({ line: number; value: string } | null)[] = new Array(n).fill(null);
  const accepts = (role: 'label' | 'feature', field: string, c: number, line: number) => {
    try {
      csvFieldValue(role, field, columns[c], line, where);
      return true;
    } catch {
      return false;
    }
  };
  let rows = 0;
  for (let fields = tokenizer.nextRecord(); fields !== null; fields = tokenizer.nextRecord()) {
    const line = tokenizer.lineNo;
    checkCsvFieldCount(fields, n, line, where);
    for (let c = 0; c < n; c++) {
      if (firstNonLabel[c] === null && !accepts('label', fields[c], c, line)) {
        firstNonLabel[c] = { line, value: fields[c].trim() };
      }
      if (firstNonNumber[c] === null && !accepts('feature', fields[c], c, line)) {
        firstNonNumber[c] = { line, value: fields[c].trim() };
      }
    }
    rows++;
  }
  if (rows === 0) {
    throw new MaskgradError(
      `${where}: the text has a header (line ${headerLine}) but no data rows; expected at least one row after it`,
      { code: 'ERR_PARSE' },
    );
  }
  const kinds: ColumnKind[] = columns.map((_, c) =>
    firstNonLabel[c] === null ? 'label' : firstNonNumber[c] === null ? 'number' : 'text',
  );
  // Walking back from the last column: label columns join, text columns are passed over, and
  // a number column (or the last column left that is not text) ends the run.
  const labels: string[] = [];
  const notText = kinds.filter((k) => k !== 'text').length;
  for (let c = n - 1; c >= 0 && labels.length < notText - 1; c--) {
    if (kinds[c] === 'text') continue;
    if (kinds[c] !== 'label') break;
    labels.unshift(columns[c]);
  }
  return {
    delimiter: tokenizer.delimiter,
    columns,
    kinds,
    firstNonLabel,
    firstNonNumber,
    labels,
  };
}
