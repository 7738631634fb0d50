import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { Random, randomFrom } from '../random';
import { Tensor } from '../tensor';
import { checkDataset, copyRows, type MultiLabelDataset } from './dataset';

/** One mini-batch: rows of x, y and mask, and which rows of the data set they are. */
export interface Batch {
  x: Tensor;
  y: Tensor;
  mask: Tensor;
  indices: Int32Array;
}

export interface BatchOptions {
  /** Visit the rows in a random order (default: true when a seed or generator is given). */
  shuffle?: boolean;
  /** Shuffle with `new Random(seed)`: every call gives the same order. */
  seed?: number | string;
  /** Shuffle with this generator: each call (epoch) continues it, so orders differ. */
  rng?: Random;
}

/**
 * Iterates over one epoch of mini-batches of `batchSize` rows (the last may be smaller), in
 * row order or, with `shuffle`, in a seeded random order. Each batch holds copies of the rows.
 */
export function batches(
  dataset: MultiLabelDataset,
  batchSize: number,
  options: BatchOptions = {},
): IterableIterator<Batch> {
  const [N, D, C] = checkDataset(dataset, 'batches');
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new MaskgradError(
      `batches: batchSize must be a positive integer, got ${describeValue(batchSize)}`,
    );
  }
  checkOptions('batches', options, ['shuffle', 'seed', 'rng']);
  const hasRandom = options.seed !== undefined || options.rng !== undefined;
  const shuffle = options.shuffle ?? hasRandom;
  let order: Int32Array;
  if (shuffle) {
    if (!hasRandom) {
      throw new MaskgradError(
        'batches: shuffle needs { seed } or { rng }: maskgrad never draws random numbers without a seed',
      );
    }
    order = randomFrom('batches', options).permutation(N);
  } else {
    order = new Int32Array(N);
    for (let i = 0; i < N; i++) order[i] = i;
  }
  return generate(dataset, order, batchSize, D, C);
}

function* generate(
  dataset: MultiLabelDataset,
  order: Int32Array,
  batchSize: number,
  D: number,
  C: number,
): IterableIterator<Batch> {
  for (let start = 0; start < order.length; start += batchSize) {
    const end = Math.min(start + batchSize, order.length);
    const n = end - start;
    const [x, y, mask] = copyRows(dataset, order, start, end, D, C);
    yield {
      x: new Tensor(x, [n, D]),
      y: new Tensor(y, [n, C]),
      mask: new Tensor(mask, [n, C]),
      indices: order.slice(start, end),
    };
  }
}
