import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { checkOptions } from '../check-options';
import type { Batch, MultiLabelDataset } from '../data';
import { checkDataset } from '../data/dataset';
import type { Loss, LossContext, LossFunction, StatefulLoss } from '../losses';
import { Module } from '../nn';
import { Optimizer } from '../optim';
import { Tensor } from '../tensor';
import { noGrad } from '../autograd';
import { TrainingDivergedError } from './diverged';

export interface TrainerOptions {
  /** A loss function `(logits, targets, mask, context) => scalar`, or a StatefulLoss. */
  loss: Loss;
  /** Updates the model's parameters: e.g. `new Adam(model.parameters(), { lr: 1e-3 })`. */
  optimizer: Optimizer;
  /** The name error messages start with (default 'Trainer'); `fit` passes 'fit'. */
  caller?: string;
}

/** What `Trainer.step` tells: which batch it was and its loss. */
export interface StepReport {
  /** The epoch and the batch within it, both from 1. */
  epoch: number;
  batch: number;
  /** This batch's training loss (before the step). */
  loss: number;
}

const TRAINER_OPTIONS = ['loss', 'optimizer', 'caller'] as const;

/**
 * Throws an error naming the first NaN or infinite feature of `data`, its row and column
 * (`rows` says which rows they are: 'training', 'validation', ...).
 */
export function checkFeaturesFinite(where: string, data: MultiLabelDataset, rows: string): void {
  const { x, featureNames } = data;
  const D = x.shape[1];
  const values = x.data;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const column = i % D;
      const name = featureNames?.[column];
      throw new MaskgradError(
        `${where}: feature ${column}${typeof name === 'string' ? ` (${JSON.stringify(name)})` : ''} of ` +
          `${rows} row ${(i - column) / D} is ${values[i]}; expected a finite number ` +
          '(this is bad input data, not a learning-rate problem: fix or drop the row)',
      );
    }
  }
}

/** The loss as { forward, afterStep?, afterEpoch? }, checked. */
function checkLoss(where: string, loss: unknown): StatefulLoss {
  if (typeof loss === 'function') return { forward: loss as LossFunction };
  if (loss !== null && typeof loss === 'object') {
    const l = loss as StatefulLoss;
    if (typeof l.forward === 'function') {
      for (const name of ['afterStep', 'afterEpoch'] as const) {
        if (l[name] !== undefined && typeof l[name] !== 'function') {
          throw new MaskgradError(
            `${where}: loss.${name} must be a function, got ${describeValue(l[name])}`,
          );
        }
      }
      return l;
    }
  }
  throw new MaskgradError(
    `${where}: loss must be a function (logits, targets, mask, context) => Tensor, or an object ` +
      `{ forward, afterStep?, afterEpoch? }, got ${describeValue(loss)}`,
  );
}

/** Checks that the optimizer updates at least one of the model's parameters. */
function checkOptimizer(where: string, optimizer: unknown, params: readonly Tensor[]): Optimizer {
  if (!(optimizer instanceof Optimizer)) {
    throw new MaskgradError(
      `${where}: optimizer must be an Optimizer over the model's parameters (e.g. new Adam(model.parameters(), { lr: 1e-3 })), ` +
        `got ${describeValue(optimizer)}`,
    );
  }
  const own = new Set(params);
  if (!optimizer.params.some((p) => own.has(p))) {
    throw new MaskgradError(
      `${where}: the optimizer updates none of the model's parameters; build it from model.parameters()`,
    );
  }
  return optimizer;
}

/** Throws unless `batch` is rows of the training data: x [B, D], y and mask [B, C], B row indices. */
function checkBatch(where: string, batch: unknown, N: number, D: number, C: number): Batch {
  const expected = `a batch { x [B, ${D}], y [B, ${C}], mask [B, ${C}], indices } of training rows (as batches() yields)`;
  const b = batch as Batch;
  if (
    batch === null ||
    typeof batch !== 'object' ||
    !(b.x instanceof Tensor) ||
    !(b.y instanceof Tensor) ||
    !(b.mask instanceof Tensor) ||
    !(b.indices instanceof Int32Array)
  ) {
    throw new MaskgradError(`${where}: expected ${expected}, got ${describeValue(batch)}`);
  }
  const B = b.indices.length;
  const fits = (t: Tensor, width: number) =>
    t.shape.length === 2 && t.shape[0] === B && t.shape[1] === width;
  if (B === 0 || !fits(b.x, D) || !fits(b.y, C) || !fits(b.mask, C)) {
    throw new MaskgradError(
      `${where}: expected ${expected}, got x [${b.x.shape}], y [${b.y.shape}], mask [${b.mask.shape}] ` +
        `and ${B} indices`,
      { code: 'ERR_SHAPE' },
    );
  }
  for (let i = 0; i < B; i++) {
    const row = b.indices[i];
    if (row < 0 || row >= N) {
      throw new MaskgradError(
        `${where}: batch row ${i} says it is training row ${row}, but the training data has ${N} ` +
          `rows (0 to ${N - 1})`,
      );
    }
  }
  return b;
}

/** The scalar value of what the loss returned, or an error saying what it returned. */
function lossValue(where: string, loss: unknown): number {
  if (!(loss instanceof Tensor) || loss.size !== 1) {
    throw new MaskgradError(
      `${where}: the loss must return a scalar Tensor (one element), got ${describeValue(loss)}`,
    );
  }
  return loss.item();
}

/** The first parameter holding a NaN or infinite value, with that value, or null. */
function nonFiniteParameter(named: readonly [string, Tensor][]): [string, number] | null {
  for (const [name, p] of named) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return [name, d[i]];
  }
  return null;
}

/**
 * One training step at a time, the same for `fit` and the playground: `step(batch)` runs the
 * model's forward pass, the loss (with its context: epoch, batch, rows), backward, the
 * divergence check and the optimizer step; `endEpoch()` closes the epoch. Batching, mode
 * (train/eval), validation and early stopping are the caller's.
 *
 * A NaN or infinite loss, or a parameter made NaN or infinite by a step, throws a
 * TrainingDivergedError and puts back the weights of the last good step; the Trainer then
 * takes no more steps (the optimizer's state has seen the bad step). An optimizer step that
 * throws is undone the same way before its error goes on; an exception from the loss or the
 * model's forward pass leaves the weights as they were (no step was taken). A loss that does
 * not require a gradient, or (at the first step) from which no parameter gets a gradient,
 * is an error: training would change nothing.
 *
 *     const trainer = new Trainer(model, train, { loss, optimizer });
 *     for (const batch of batches(train, 32, { rng })) trainer.step(batch);
 *     trainer.endEpoch();
 */
export class Trainer<M extends Module = Module> {
  readonly model: M;
  /** The training rows: the loss context's `train`, and what batches' indices refer to. */
  readonly data: MultiLabelDataset;
  readonly optimizer: Optimizer;
  /** The loss as { forward, afterStep?, afterEpoch? }. */
  readonly loss: StatefulLoss;
  private readonly where: string;
  private readonly stepWhere: string;
  private readonly named: [string, Tensor][];
  private readonly params: Tensor[];
  private readonly shape: [number, number, number];
  /** The weights that gave the last finite loss (buffers made once, refilled every step). */
  private lastGood: Float64Array[];
  private currentEpoch = 1;
  private batchInEpoch = 0;
  private lastEpochBatches = 0;
  private stepCount = 0;
  private stoppedBy: TrainingDivergedError | null = null;

  /**
   * Checks the model, the training data (every feature finite), the loss and the optimizer
   * (over the model's parameters).
   */
  constructor(model: M, data: MultiLabelDataset, options: TrainerOptions) {
    const caller = (options as Partial<TrainerOptions> | null)?.caller ?? 'Trainer';
    if (typeof caller !== 'string' || caller === '') {
      throw new MaskgradError(
        `Trainer: caller must be a function name, got ${describeValue(caller)}`,
      );
    }
    this.where = caller;
    this.stepWhere = caller === 'Trainer' ? 'Trainer.step' : caller;
    if (!(model instanceof Module)) {
      throw new MaskgradError(`${caller}: model must be a Module, got ${describeValue(model)}`);
    }
    if (data === null || typeof data !== 'object') {
      throw new MaskgradError(
        `${caller}: data must be a data set { x, y, mask, featureNames, labelNames }, got ${describeValue(data)}`,
      );
    }
    this.shape = checkDataset(data, caller);
    checkOptions(caller, options, TRAINER_OPTIONS);
    if (this.shape[0] === 0) {
      throw new MaskgradError(`${caller}: the training data has no rows; expected at least one`);
    }
    checkFeaturesFinite(caller, data, 'training');
    this.loss = checkLoss(caller, options.loss);
    this.named = model.namedParameters();
    this.params = this.named.map(([, p]) => p);
    this.optimizer = checkOptimizer(caller, options.optimizer, this.params);
    this.model = model;
    this.data = data;
    this.lastGood = this.params.map((p) => p.data.slice());
  }

  /** The epoch in progress, from 1. */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** Batches stepped so far in the epoch in progress. */
  get batch(): number {
    return this.batchInEpoch;
  }

  /** Optimizer steps taken since the start. */
  get steps(): number {
    return this.stepCount;
  }

  /**
   * One batch: the model's logits, the loss with its context, backward, and the optimizer
   * step, then the loss's `afterStep`. Returns the batch's loss. The gradients stay on the
   * parameters until the next step.
   */
  step(batch: Batch): StepReport {
    this.checkRunning(this.stepWhere);
    const [N, D, C] = this.shape;
    const { x, y, mask, indices } = checkBatch(this.stepWhere, batch, N, D, C);
    const epoch = this.currentEpoch;
    const number = this.batchInEpoch + 1;
    const context: LossContext = { epoch, batch: number, rows: indices, train: this.data };
    const lossTensor = this.loss.forward(this.model.forward(x), y, mask, context);
    const value = lossValue(this.stepWhere, lossTensor);
    if (!Number.isFinite(value)) throw this.stop(epoch, number, 'loss', value);
    if (!lossTensor.requiresGrad) {
      throw new MaskgradError(
        `${this.stepWhere}: the loss at epoch ${epoch}, batch ${number} does not depend on the model's ` +
          'parameters (the tensor it returned does not require a gradient), so training would change ' +
          'nothing; check that the loss is computed from the logits it is given (its first argument), ' +
          'not under noGrad, from detach(), .data or .item()',
      );
    }
    this.optimizer.zeroGrad();
    lossTensor.backward();
    if (this.stepCount === 0) this.checkGradientsReached();
    // The weights that gave this finite loss, restored if the step breaks them or a later
    // loss is not finite. One copy of every parameter per step (into buffers made once).
    this.params.forEach((p, i) => this.lastGood[i].set(p.data));
    try {
      this.optimizer.step();
    } catch (e) {
      // An optimizer that throws part-way leaves no half-updated parameter behind.
      this.restoreLastGood();
      throw e;
    }
    const broken = nonFiniteParameter(this.named);
    if (broken) throw this.stop(epoch, number, 'parameter', broken[1], broken[0]);
    this.batchInEpoch = number;
    this.stepCount++;
    this.loss.afterStep?.(context);
    return { epoch, batch: number, loss: value };
  }

  /**
   * Ends the epoch in progress: runs the loss's `afterEpoch` and starts the next epoch's
   * batch count. Returns the epoch that ended.
   */
  endEpoch(): number {
    const where = this.where === 'Trainer' ? 'Trainer.endEpoch' : this.where;
    this.checkRunning(where);
    if (this.batchInEpoch === 0) {
      throw new MaskgradError(
        `${where}: epoch ${this.currentEpoch} has had no batch; step at least one before ending it`,
        { code: 'ERR_STATE' },
      );
    }
    const ended = this.currentEpoch;
    this.loss.afterEpoch?.(ended, {
      epoch: ended,
      train: this.data,
      trainLogits: () => this.trainLogits(),
    });
    this.lastEpochBatches = this.batchInEpoch;
    this.currentEpoch++;
    this.batchInEpoch = 0;
    return ended;
  }

  /** The model's logits for every training row, in evaluation mode, no graph; the mode is put back. */
  private trainLogits(): Tensor {
    const wasTraining = this.model.training;
    this.model.eval();
    try {
      return noGrad(() => this.model.forward(this.data.x));
    } finally {
      this.model.train(wasTraining);
    }
  }

  /**
   * For a NaN or infinite `value` in the model's output after the last ended epoch: stops
   * training, puts back the weights from before the last step, and returns the
   * TrainingDivergedError to throw.
   */
  outputDiverged(
    source: 'validation-output' | 'training-output',
    value: number,
  ): TrainingDivergedError {
    if (this.lastEpochBatches === 0) {
      throw new MaskgradError(
        `${this.where}: outputDiverged is for the output after an epoch, and none has ended`,
        { code: 'ERR_STATE' },
      );
    }
    return this.stop(this.currentEpoch - 1, this.lastEpochBatches, source, value);
  }

  /**
   * After the first backward: some parameter the optimizer updates got a gradient, or the loss
   * depends on other tensors only (one made with requiresGrad: true outside the model) and
   * training would change nothing.
   */
  private checkGradientsReached(): void {
    const own = new Set(this.params);
    if (this.optimizer.params.some((p) => own.has(p) && p.grad !== null)) return;
    throw new MaskgradError(
      `${this.stepWhere}: no parameter of the model received a gradient from the loss at the first step, ` +
        'so training would change nothing; check that the loss is computed from the logits it is ' +
        'given (its first argument), not from other tensors with requiresGrad: true',
    );
  }

  /**
   * Puts back the weights that gave the last finite loss (from before the last step): what the
   * divergence guard restores. `fit` calls it when a loss, hook or metric throws, so that an
   * exception leaves the same weights as divergence.
   */
  restoreLastGood(): void {
    this.params.forEach((p, i) => p.data.set(this.lastGood[i]));
  }

  private stop(
    epoch: number,
    batch: number,
    source: TrainingDivergedError['source'],
    value: number,
    parameter?: string,
  ): TrainingDivergedError {
    this.restoreLastGood();
    this.stoppedBy = new TrainingDivergedError({
      epoch,
      batch,
      source,
      value,
      model: this.model,
      parameter,
      where: this.where,
    });
    return this.stoppedBy;
  }

  private checkRunning(where: string): void {
    const stopped = this.stoppedBy;
    if (stopped) {
      throw new MaskgradError(
        `${where}: training stopped at epoch ${stopped.epoch}, batch ${stopped.batch} (${stopped.source} ` +
          `became ${stopped.value}); the optimizer's state has seen that step, so make a new Trainer`,
        { code: 'ERR_STATE' },
      );
    }
  }
}
