// The data `train` reads: the bundled yeast files, and a test file matched to the training
// file's columns by name.
import { escapeControls, listNames, quoteName } from '../../core/describe-value';
import { join } from 'path';
import { alignDataset } from '../../core/model/columns';
import type { MultiLabelDataset } from '../../core/data';
import { isMaskgradError } from '../../core/errors';
import { loadDataset } from '../../node/read-data';
import { type Io, UsageError } from './io';

/** The yeast data of the repository (absent from a package installed from npm). */
export const BUNDLED = {
  train: join(__dirname, '..', '..', '..', 'examples', 'data', 'yeast-train.arff'),
  test: join(__dirname, '..', '..', '..', 'examples', 'data', 'yeast-test.arff'),
  labels: 14,
};

/** The data set in `file`, with at least one row; a file the readers reject is their error. */
export function loadRows(file: string, labels: number | readonly string[]): MultiLabelDataset {
  const data = loadDataset(file, { labels });
  if (data.x.shape[0] === 0) throw new UsageError(`${file} has no data rows`);
  return data;
}

/**
 * The test file with its columns matched to the training file's by name, in the training
 * file's order: another column order gives the same data. Its label columns are found by the
 * training label names; a missing column is a UsageError naming it, and extra columns are
 * left out with a note on stderr (ids or notes a file may carry; a misspelt feature already
 * fails as missing).
 */
export function testMatchedByName(
  file: string,
  train: MultiLabelDataset,
  io: Io,
): MultiLabelDataset {
  const raw = loadRows(file, train.labelNames);
  const missing = train.featureNames.filter((n) => !raw.featureNames.includes(n));
  if (missing.length > 0) {
    throw new UsageError(
      `the test file ${quoteName(file)} has no column ${listNames(missing)}: ` +
        `${missing.length === 1 ? 'a feature' : 'features'} of the training file`,
    );
  }
  try {
    const { data, extra } = alignDataset(raw, {
      features: { names: train.featureNames },
      labels: { names: train.labelNames },
    });
    if (extra.length > 0) {
      io.err(
        `train: note: ignoring the test columns ${listNames(extra)} (not in the training file)\n`,
      );
    }
    return data;
  } catch (e) {
    if (!isMaskgradError(e)) throw e;
    throw new UsageError(`${e.message.split('\n')[0]} (in ${escapeControls(file)})`);
  }
}
