// The data `train` reads: the bundled yeast files, and a test file matched to the training
// file's columns by name.
import { escapeControls, quoteName } from '../../core/describe-value';
import { join } from 'path';
import { alignDataset } from '../../core/model/columns';
import { type MultiLabelDataset, splitRows } from '../../core/data';
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
      `the test file ${quoteName(file)} has no column ${missing.map(quoteName).join(', ')}: ` +
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
        `train: note: ignoring the test columns ${extra.map(quoteName).join(', ')} (not in the training file)\n`,
      );
    }
    return data;
  } catch (e) {
    if (!isMaskgradError(e)) throw e;
    throw new UsageError(`${e.message.split('\n')[0]} (in ${escapeControls(file)})`);
  }
}

/** The test rows held out of the training file when there is no --test file. */
export interface HeldOutTest {
  /** The share of the training file's rows held out (--test-share). */
  share: number;
  /** The seed of the split: the rows are `splitRows(file rows, share, { seed })`'s `val`. */
  seed: string;
  /** How many rows were held out, of how many in the training file. */
  rows: number;
  of: number;
}

/**
 * The training and test rows of a run: the training file's rows and the --test file's
 * (matched by name), or without --test the training file's rows split by a seeded draw
 * (`splitRows` with the seed `${seed}:test`), `share` of them held out as test rows.
 */
export function trainingData(
  config: { train: string; test: string | null; testShare: number; labels: number },
  seed: number | string,
  io: Io,
): { train: MultiLabelDataset; test: MultiLabelDataset; heldOut: HeldOutTest | null } {
  const rows = loadRows(config.train, config.labels);
  if (config.test !== null) {
    return { train: rows, test: testMatchedByName(config.test, rows, io), heldOut: null };
  }
  const N = rows.x.shape[0];
  const heldOut: HeldOutTest = {
    share: config.testShare,
    seed: `${seed}:test`,
    rows: Math.round(config.testShare * N),
    of: N,
  };
  if (heldOut.rows === 0 || heldOut.rows === N) {
    throw new UsageError(
      `--test-share ${config.testShare} holds out ${heldOut.rows === 0 ? 'no' : 'every'} row of the ` +
        `${N} in ${escapeControls(config.train)}; give a share that leaves rows for both, or a --test file`,
    );
  }
  const split = splitRows(rows, config.testShare, { seed: heldOut.seed });
  return { train: split.train, test: split.val, heldOut };
}
