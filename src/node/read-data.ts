import { extname } from 'path';
import { MaskgradError, withContext } from '../core/errors';
import { checkOptions } from '../core/check-options';
import { describeValue, quoteName } from '../core/describe-value';
import { type ArffOptions, parseArff, type ParsedArff } from '../core/data/arff';
import { type CsvOptions, parseCsv } from '../core/data/csv';
import { type CsvDelimiter, CsvTokenizer } from '../core/data/csv-tokenizer';
import type { ColumnOptions, LabelSpec } from '../core/data/column-roles';
import { datasetFromArff, type MultiLabelDataset } from '../core/data/dataset';
import { readText } from './read-text';

/** Reads a CSV, TSV or semicolon-separated file into a data set (see `parseCsv`); errors also name the file. */
export function readCsv(path: string, options: CsvOptions): MultiLabelDataset {
  const text = readText('readCsv', path);
  try {
    return parseCsv(text, options);
  } catch (e) {
    throw withContext(e, `(in ${path})`);
  }
}

/** Reads and parses an ARFF file (see `parseArff`); errors also name the file. */
export function readArff(path: string, options: ArffOptions = {}): ParsedArff {
  const text = readText('readArff', path);
  try {
    return parseArff(text, options);
  } catch (e) {
    throw withContext(e, `(in ${path})`);
  }
}

/** What `loadDataset` reads: the labels, and for a delimited text file its delimiter. */
export interface LoadOptions extends ColumnOptions {
  labels: LabelSpec;
  /** A .csv/.tsv/.txt file's field separator; default: detected from its header line. */
  delimiter?: CsvDelimiter;
}

/** The extensions `loadDataset` reads as delimited text (CSV, TSV or semicolons). */
export const DELIMITED_EXTENSIONS = ['.csv', '.tsv', '.txt'];

/**
 * Loads a data set from an `.arff` file, or from delimited text (`.csv`, `.tsv`, `.txt`: the
 * delimiter detected from the header line unless given), chosen by the file's extension.
 * `id` and `ignore` name the id column and the columns left out (see `parseCsv`).
 */
export function loadDataset(path: string, options: LoadOptions): MultiLabelDataset {
  if (!options || options.labels === undefined) {
    throw new MaskgradError(
      'loadDataset: pass { labels }: a count (the last N columns), a list of column names or a range { first, last }',
    );
  }
  checkOptions('loadDataset', options, ['labels', 'id', 'ignore', 'delimiter']);
  if (typeof path !== 'string') {
    throw new MaskgradError(`loadDataset: expected a file path, got ${describeValue(path)}`);
  }
  const { labels, delimiter, ...columns } = options;
  const ext = extname(path).toLowerCase();
  if (ext === '.arff') {
    const parsed = readArff(path);
    try {
      return datasetFromArff(parsed, labels, columns);
    } catch (e) {
      throw withContext(e, `(in ${path})`);
    }
  }
  if (DELIMITED_EXTENSIONS.includes(ext)) {
    return readCsv(path, { labels, ...columns, ...(delimiter ? { delimiter } : {}) });
  }
  throw new MaskgradError(
    `loadDataset: cannot tell the format of ${quoteName(path)}; expected a .arff, .csv, .tsv or .txt file`,
  );
}

/**
 * The column names of a data file, as `loadDataset` would read them: an ARFF file's
 * attributes, or the header of a delimited text file (its delimiter detected unless given).
 */
export function readColumnNames(path: string, delimiter?: CsvDelimiter): string[] {
  if (extname(path).toLowerCase() === '.arff') return readArff(path).names;
  const tokenizer = new CsvTokenizer('readColumnNames', delimiter ?? 'detect');
  tokenizer.push(readText('readColumnNames', path));
  tokenizer.end();
  try {
    return (tokenizer.nextRecord() ?? []).map((s) => s.trim());
  } catch (e) {
    throw withContext(e, `(in ${path})`);
  }
}
