// The data `train` reads: the bundled yeast files, and a test file matched to the training
// file's columns by name.
import { escapeControls, quoteName } from '../../core/describe-value';
import { join } from 'path';
import { alignDataset } from '../../core/model/columns';
import type { MultiLabelDataset } from '../../core/data';
import { isMaskgradError } from '../../core/errors';
import { loadDataset, readColumnNames } from '../../node/read-data';
import type { LabelSpec } from '../../core/data/column-roles';
import { type ColumnFlags, inFlagTerms } from './column-flags';
import { type Io, UsageError } from './io';

/** The yeast data of the repository (absent from a package installed from npm). */
export const BUNDLED = {
  train: join(__dirname, '..', '..', '..', 'examples', 'data', 'yeast-train.arff'),
  test: join(__dirname, '..', '..', '..', 'examples', 'data', 'yeast-test.arff'),
  labels: 14,
};

/**
 * The data set in `file` with the columns `labels` and `columns` (--id, --ignore, --delimiter)
 * name, with at least one row; a file the readers reject is their error, in the flags' words.
 */
export function loadRows(
  file: string,
  labels: LabelSpec,
  columns: ColumnFlags = {},
): MultiLabelDataset {
  let data: MultiLabelDataset;
  try {
    data = loadDataset(file, { labels, ...columns });
  } catch (e) {
    throw inFlagTerms(e);
  }
  if (data.x.shape[0] === 0) throw new UsageError(`${file} has no data rows`);
  return data;
}

/**
 * The test file with its columns matched to the training file's by name, in the training
 * file's order: another column order gives the same data. Its label columns are found by the
 * training label names; a missing column is a UsageError naming it. The id column (--id), when
 * the test file has it, gives the rows' ids; other columns are left out (text or numbers), with
 * a note on stderr for those --ignore did not name (a misspelt feature already fails as missing).
 */
export function testMatchedByName(
  file: string,
  train: MultiLabelDataset,
  io: Io,
  columns: ColumnFlags = {},
): MultiLabelDataset {
  let names: string[];
  try {
    names = readColumnNames(file, columns.delimiter);
  } catch (e) {
    throw inFlagTerms(e);
  }
  const id = columns.id !== undefined && names.includes(columns.id) ? columns.id : undefined;
  const known = new Set([...train.featureNames, ...train.labelNames]);
  const extra = names.filter((n) => !known.has(n) && n !== id);
  const unnamed = extra.filter((n) => !columns.ignore?.includes(n));
  if (unnamed.length > 0 && train.featureNames.every((n) => names.includes(n))) {
    io.err(
      `train: note: ignoring the test columns ${unnamed.map(quoteName).join(', ')} (not in the training file)\n`,
    );
  }
  const raw = loadRows(file, train.labelNames, {
    ...(id !== undefined ? { id } : {}),
    ...(extra.length > 0 ? { ignore: extra } : {}),
    ...(columns.delimiter !== undefined ? { delimiter: columns.delimiter } : {}),
  });
  const missing = train.featureNames.filter((n) => !raw.featureNames.includes(n));
  if (missing.length > 0) {
    throw new UsageError(
      `the test file ${quoteName(file)} has no column ${missing.map(quoteName).join(', ')}: ` +
        `${missing.length === 1 ? 'a feature' : 'features'} of the training file`,
    );
  }
  try {
    return alignDataset(raw, {
      features: { names: train.featureNames },
      labels: { names: train.labelNames },
    }).data;
  } catch (e) {
    if (!isMaskgradError(e)) throw e;
    throw new UsageError(`${e.message.split('\n')[0]} (in ${escapeControls(file)})`);
  }
}
