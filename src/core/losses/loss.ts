import type { MultiLabelDataset } from '../data';
import type { Tensor } from '../tensor';

/**
 * What the training loop tells a loss about the batch it is computing: enough for a
 * stateful method (per-example label estimates, epoch-dependent schedules) to be written
 * as a loss without touching the loop.
 */
export interface LossContext {
  /** The epoch, from 1. */
  readonly epoch: number;
  /** The batch within the epoch, from 1. */
  readonly batch: number;
  /** The training-set row of each row of the batch (batch row i is training row rows[i]). */
  readonly rows: Int32Array;
  /** The training set the batches are drawn from. */
  readonly train: MultiLabelDataset;
}

/**
 * What the training loop tells a loss at the end of an epoch: the training set, and the
 * model's logits for every training row, in evaluation mode and without a graph, computed
 * when asked (APL's pseudo-labelling scores the whole training set after an epoch).
 */
export interface EpochContext {
  /** The epoch that ended, from 1. */
  readonly epoch: number;
  readonly train: MultiLabelDataset;
  /** The model's logits [N, C] for the training rows, in evaluation mode, no graph. */
  trainLogits(): Tensor;
}

/** A loss as the training loop calls it: a scalar tensor from logits [B, C], targets and mask. */
export type LossFunction = (
  logits: Tensor,
  targets: Tensor,
  mask: Tensor,
  context: LossContext,
) => Tensor;

/**
 * A loss with state of its own (ROLE's label-estimate table, LL-Cp's corrected labels).
 * `fit` calls `forward` for each batch; after the backward pass and the model's optimizer
 * step it calls `afterStep` (where such a loss updates its own parameters), and
 * `afterEpoch` at the end of each epoch, with the epoch's context.
 */
export interface StatefulLoss {
  forward: LossFunction;
  afterStep?(context: LossContext): void;
  afterEpoch?(epoch: number, context: EpochContext): void;
}

/** Either kind of loss `fit` accepts. */
export type Loss = LossFunction | StatefulLoss;
