import { MaskgradError } from '../errors';
import { noGrad } from '../autograd';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { batches, type MultiLabelDataset } from '../data';
import { checkDataset } from '../data/dataset';
import type { Loss } from '../losses';
import { meanAveragePrecision } from '../metrics';
import { Module } from '../nn';
import type { Optimizer } from '../optim';
import { type Random, randomFrom } from '../random';
import { Tensor } from '../tensor';
import { checkFeaturesFinite, Trainer } from './trainer';
import { TrainingDivergedError } from './diverged';

export { checkFeaturesFinite } from './trainer';
export { TrainingDivergedError, type DivergenceSource } from './diverged';

/**
 * A validation score from the model's logits on the validation rows (computed without a
 * graph); higher is better.
 */
export type ValidationMetric = (logits: Tensor, data: MultiLabelDataset) => number;

/** Scoring after each epoch on rows the model does not train on, and early stopping. */
export interface ValidationOptions {
  /** The validation rows: the training data's features and labels, at least one row. */
  data: MultiLabelDataset;
  /** Higher is better. Default `validationMap`: macro mAP over the known labels. */
  metric?: ValidationMetric;
  /** Stop after this many epochs without a better score (default: train every epoch). */
  patience?: number;
  /** End with the weights of the best-scoring epoch (default true), else the last epoch's. */
  keepBest?: boolean;
}

/** What `onBatch` is told after each optimizer step. */
export interface BatchReport {
  /** The epoch and the batch within it, both from 1. */
  epoch: number;
  batch: number;
  /** Batches in an epoch. */
  batchCount: number;
  /** This batch's training loss (before the step). */
  loss: number;
}

/** What `onEpoch` is told at the end of each epoch. */
export interface EpochReport {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** The validation score (NaN without validation). */
  valMetric: number;
  /** Whether this epoch's score is the best so far (always true without validation). */
  best: boolean;
}

/** Called during training; a hook that throws stops training with its error. */
export interface FitHooks {
  onBatch?(report: BatchReport): void;
  onEpoch?(report: EpochReport): void;
}

export interface FitOptions {
  /** A loss function `(logits, targets, mask, context) => scalar`, or a StatefulLoss. */
  loss: Loss;
  /** Updates the model's parameters: e.g. `new Adam(model.parameters(), { lr: 1e-3 })`. */
  optimizer: Optimizer;
  /** The most epochs to train (fewer with early stopping). */
  epochs: number;
  /** Rows per mini-batch (the last one may be smaller). Default 32. */
  batchSize?: number;
  /** Visit the rows in a new random order each epoch (default true); needs seed or rng. */
  shuffle?: boolean;
  /** The seed of the batch order (or `rng`, a Random to draw it from). */
  seed?: number | string;
  rng?: Random;
  validation?: ValidationOptions;
  hooks?: FitHooks;
}

export interface FitResult<M extends Module = Module> {
  /** The model passed in, trained in place. */
  model: M;
  history: EpochReport[];
  /** The epoch whose weights the model holds at the end (1-based). */
  bestEpoch: number;
}

/** Sigmoid probabilities of the model on `x`, without recording a graph. */
export function predictProbabilities(model: Module, x: Tensor): Tensor {
  if (!(model instanceof Module)) {
    throw new MaskgradError(
      `predictProbabilities: model must be a Module, got ${describeValue(model)}`,
    );
  }
  if (!(x instanceof Tensor)) {
    throw new MaskgradError(
      `predictProbabilities: x must be a Tensor of features [N, D], got ${describeValue(x)}`,
    );
  }
  return noGrad(() => model.forward(x).sigmoid());
}

/**
 * The default validation metric: macro mean average precision of sigmoid(logits) over
 * the validation rows' known labels (NaN when no row has a known positive label).
 */
export function validationMap(logits: Tensor, data: MultiLabelDataset): number {
  if (!(logits instanceof Tensor)) {
    throw new MaskgradError(
      `validationMap: logits must be a Tensor [N, C], got ${describeValue(logits)}`,
    );
  }
  if (data === null || typeof data !== 'object') {
    throw new MaskgradError(
      `validationMap: data must be a data set { x, y, mask, featureNames, labelNames }, got ${describeValue(data)}`,
    );
  }
  return meanAveragePrecision(
    noGrad(() => logits.sigmoid()),
    data.y,
    data.mask,
  ).value;
}

const FIT_OPTIONS = [
  'loss',
  'optimizer',
  'epochs',
  'batchSize',
  'shuffle',
  'seed',
  'rng',
  'validation',
  'hooks',
] as const;
const VALIDATION_OPTIONS = ['data', 'metric', 'patience', 'keepBest'] as const;
const HOOKS = ['onBatch', 'onEpoch'] as const;

const positiveInteger = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;

function checkPositiveInteger(name: string, value: unknown): void {
  if (!positiveInteger(value)) {
    throw new MaskgradError(`fit: ${name} must be a positive integer, got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is a plain object (not null, not an array). */
function checkObject(name: string, value: unknown, expected: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MaskgradError(
      `fit: ${name} must be an object ${expected}, got ${describeValue(value)}`,
    );
  }
}

/** The validation options, checked against the training data's shape. */
function checkValidation(validation: unknown, D: number, C: number): Required<ValidationOptions> {
  checkObject('validation', validation, '{ data, metric?, patience?, keepBest? }');
  checkOptions('fit: validation', validation, VALIDATION_OPTIONS);
  const v = validation as ValidationOptions;
  const [N, vD, vC] = checkDataset(v.data, 'fit: validation.data');
  if (N === 0) {
    throw new MaskgradError(
      'fit: validation.data has no rows; leave validation out to train without it',
    );
  }
  if (vD !== D || vC !== C) {
    throw new MaskgradError(
      `fit: validation.data has ${vD} features and ${vC} labels but the training data has ` +
        `${D} and ${C}; they must match`,
    );
  }
  checkFeaturesFinite('fit', v.data, 'validation');
  if (v.metric !== undefined && typeof v.metric !== 'function') {
    throw new MaskgradError(
      `fit: validation.metric must be a function (logits, data) => number, got ${describeValue(v.metric)}`,
    );
  }
  if (v.patience !== undefined) checkPositiveInteger('validation.patience', v.patience);
  if (v.keepBest !== undefined && typeof v.keepBest !== 'boolean') {
    throw new MaskgradError(
      `fit: validation.keepBest must be true or false, got ${describeValue(v.keepBest)}`,
    );
  }
  const metric = v.metric ?? validationMap;
  if (metric === validationMap && !hasKnownPositive(v.data)) {
    throw new MaskgradError(
      'fit: no validation row has a known positive label, so validation mAP is undefined; ' +
        'hold out more rows for validation (or none, to train for every epoch)',
    );
  }
  return {
    data: v.data,
    metric,
    patience: v.patience ?? Infinity,
    keepBest: v.keepBest ?? true,
  };
}

function hasKnownPositive({ y, mask }: MultiLabelDataset): boolean {
  for (let i = 0; i < y.data.length; i++) if (mask.data[i] === 1 && y.data[i] === 1) return true;
  return false;
}

function checkHooks(hooks: unknown): FitHooks {
  checkObject('hooks', hooks, '{ onBatch?, onEpoch? }');
  checkOptions('fit: hooks', hooks, HOOKS);
  for (const name of HOOKS) {
    const hook = (hooks as FitHooks)[name];
    if (hook !== undefined && typeof hook !== 'function') {
      throw new MaskgradError(`fit: hooks.${name} must be a function, got ${describeValue(hook)}`);
    }
  }
  return hooks as FitHooks;
}

function copyParameters(params: readonly Tensor[], into?: Float64Array[]): Float64Array[] {
  if (!into) return params.map((p) => p.data.slice());
  params.forEach((p, i) => into[i].set(p.data));
  return into;
}

function restoreParameters(params: readonly Tensor[], from: readonly Float64Array[]): void {
  params.forEach((p, i) => p.data.set(from[i]));
}

function firstNonFinite(values: Float64Array): number | null {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return values[i];
  return null;
}

/**
 * Trains `model` in place on `data` with mini-batches: for each batch, the loss of the
 * model's output (`loss(logits, y, mask, context)`), backward, and an optimizer step (one
 * `Trainer` step, the one the playground takes too).
 * With `validation`, scores the model after each epoch, keeps the best epoch's weights
 * and stops after `patience` epochs without a better score.
 *
 * Divergence guard: a NaN or infinite training loss, parameter after a step, output on the
 * validation rows after an epoch, or (without validation) output on the training rows after
 * the last epoch stops training with a TrainingDivergedError, and the model keeps the last
 * good weights. A NaN or infinite input feature is reported up front as bad data.
 *
 * After any error once training has begun (divergence, or an exception thrown by the loss,
 * a hook, the validation metric or the optimizer), the model's weights are put back before
 * the error is rethrown, the same way in every case: with validation and keepBest (the
 * default), to the best epoch's weights once an epoch has been scored (what fit would have
 * returned had it stopped there); otherwise to the last good weights, those that gave the
 * last finite training loss (from before the last step), as the divergence guard does.
 * A loss that does not depend on the model's parameters (it does not require a gradient, or
 * no parameter gets a gradient from it at the first step) is an error at the first step,
 * not a run that changes nothing.
 *
 *     const model = new Linear(4, 3, { seed: 1 });
 *     const optimizer = new Adam(model.parameters(), { lr: 0.01 });
 *     const loss = (logits, y, mask) => maskedBinaryCrossEntropyWithLogits(logits, y, mask);
 *     fit(model, train, { loss, optimizer, epochs: 20, batchSize: 64, seed: 1,
 *                         validation: { data: val, patience: 5 } });
 */
export function fit<M extends Module>(
  model: M,
  data: MultiLabelDataset,
  options: FitOptions,
): FitResult<M> {
  if (!(model instanceof Module)) {
    throw new MaskgradError(`fit: model must be a Module, got ${describeValue(model)}`);
  }
  if (data === null || typeof data !== 'object') {
    throw new MaskgradError(
      `fit: data must be a data set { x, y, mask, featureNames, labelNames }, got ${describeValue(data)}`,
    );
  }
  const [N, D, C] = checkDataset(data, 'fit');
  checkOptions('fit', options, FIT_OPTIONS);
  // Checks that the data has rows, every feature finite, the loss and the optimizer.
  const trainer = new Trainer(model, data, {
    loss: options.loss,
    optimizer: options.optimizer,
    caller: 'fit',
  });
  const params = model.parameters();
  checkPositiveInteger('epochs', options.epochs);
  const batchSize = options.batchSize ?? 32;
  checkPositiveInteger('batchSize', batchSize);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') {
    throw new MaskgradError(`fit: shuffle must be true or false, got ${describeValue(shuffle)}`);
  }
  let order: Random | null = null;
  if (shuffle) order = randomFrom('fit', { seed: options.seed, rng: options.rng });
  else if (options.seed !== undefined || options.rng !== undefined) {
    throw new MaskgradError(
      'fit: seed and rng set the batch order; with shuffle: false leave them out',
    );
  }
  const validation =
    options.validation === undefined ? null : checkValidation(options.validation, D, C);
  const hooks = options.hooks === undefined ? {} : checkHooks(options.hooks);

  const wasTraining = model.training;
  const batchCount = Math.ceil(N / batchSize);
  let best = validation?.keepBest ? copyParameters(params) : null;
  let bestScore = -Infinity;
  let bestEpoch = 0;
  const history: EpochReport[] = [];

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      model.train();
      let lossSum = 0;
      const epochBatches = order
        ? batches(data, batchSize, { rng: order })
        : batches(data, batchSize);
      for (const batch of epochBatches) {
        const { loss, batch: number } = trainer.step(batch);
        lossSum += loss;
        hooks.onBatch?.({ epoch, batch: number, batchCount, loss });
      }
      trainer.endEpoch();

      let valMetric = NaN;
      let improved = true; // without validation every epoch is the best so far
      if (validation) {
        model.eval();
        const logits = noGrad(() => model.forward(validation.data.x));
        const bad = firstNonFinite(logits.data);
        if (bad !== null) throw trainer.outputDiverged('validation-output', bad);
        valMetric = validation.metric(logits, validation.data);
        if (typeof valMetric !== 'number' || Number.isNaN(valMetric)) {
          throw new MaskgradError(
            `fit: validation.metric returned ${describeValue(valMetric)} after epoch ${epoch}; ` +
              'expected a number (higher is better)',
          );
        }
        improved = valMetric > bestScore;
      }
      if (improved) {
        bestScore = valMetric;
        bestEpoch = epoch;
        if (best) best = copyParameters(params, best);
      }
      const report: EpochReport = { epoch, loss: lossSum / batchCount, valMetric, best: improved };
      history.push(report);
      hooks.onEpoch?.(report);
      if (validation && epoch - bestEpoch >= validation.patience) break;
    }
    if (best) restoreParameters(params, best);
    else bestEpoch = history.length;
    if (!validation) {
      // Every other step's weights were checked by the loss of the batch after it; the last
      // step's are checked here, by one forward pass over the training rows.
      model.eval();
      const bad = firstNonFinite(noGrad(() => model.forward(data.x)).data);
      if (bad !== null) throw trainer.outputDiverged('training-output', bad);
    }
  } catch (e) {
    // Whatever stopped training (divergence, or a loss, hook, metric or optimizer that threw),
    // keepBest ends with the best epoch's weights, as if training had stopped there; without
    // it (or before any epoch is scored), the last good weights, as the divergence guard.
    if (!best || bestEpoch === 0) {
      trainer.restoreLastGood();
      throw e;
    }
    restoreParameters(params, best);
    if (!(e instanceof TrainingDivergedError)) throw e;
    throw new TrainingDivergedError({
      epoch: e.epoch,
      batch: e.batch,
      source: e.source,
      value: e.value,
      model: e.model,
      parameter: e.parameter,
      where: 'fit',
      keptEpoch: bestEpoch,
    });
  } finally {
    model.train(wasTraining);
  }
  return { model, history, bestEpoch };
}
