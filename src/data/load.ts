import { MaskgradError, withContext } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { extname } from 'path';
import { readArff } from './arff';
import { readCsv } from './csv';
import { datasetFromArff, type LabelSpec, type MultiLabelDataset } from './dataset';

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
    `loadDataset: cannot tell the format of "${path}"; expected a .arff or .csv file`,
  );
}
