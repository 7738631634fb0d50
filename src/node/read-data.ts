import { extname } from 'path';
import { MaskgradError, withContext } from '../core/errors';
import { checkOptions } from '../core/check-options';
import { describeValue, quoteName } from '../core/describe-value';
import { type ArffOptions, parseArff, type ParsedArff } from '../core/data/arff';
import { type CsvOptions, parseCsv } from '../core/data/csv';
import { datasetFromArff, type LabelSpec, type MultiLabelDataset } from '../core/data/dataset';
import { readText } from './read-text';

/** Reads a CSV file into a data set (see `parseCsv`); errors also name the file. */
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

/** Loads a data set from an `.arff` or `.csv` file, chosen by the file's extension. */
export function loadDataset(path: string, options: { labels: LabelSpec }): MultiLabelDataset {
  if (!options || options.labels === undefined) {
    throw new MaskgradError(
      'loadDataset: pass { labels }: a count (the last N columns) or a list of column names',
    );
  }
  checkOptions('loadDataset', options, ['labels']);
  if (typeof path !== 'string') {
    throw new MaskgradError(`loadDataset: expected a file path, got ${describeValue(path)}`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.arff') {
    const parsed = readArff(path);
    try {
      return datasetFromArff(parsed, options.labels);
    } catch (e) {
      throw withContext(e, `(in ${path})`);
    }
  }
  if (ext === '.csv') return readCsv(path, { labels: options.labels });
  throw new MaskgradError(
    `loadDataset: cannot tell the format of ${quoteName(path)}; expected a .arff or .csv file`,
  );
}
