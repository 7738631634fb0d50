import { MaskgradError } from '../errors';
import { noGrad } from '../autograd';
import { describeValue } from '../describe-value';
import { batches, type MultiLabelDataset } from '../data';
import { maskedBinaryCrossEntropyWithLogits } from '../losses';
import { meanAveragePrecision } from '../metrics';
import { MLP, type ActivationName } from '../nn';
import { Adam, type Optimizer, SGD } from '../optim';
import { Random } from '../random';
import { Tensor } from '../tensor';

/** How the loss treats an unknown label: skip it (masked) or call it 0 (negative). */
export type LossKind = 'masked' | 'negative';

export interface FitOptions {
  lossKind: LossKind;
  /** Hidden layer sizes of the MLP, e.g. [128, 128]. */
  hidden: number[];
  activation?: ActivationName;
  optimizer: 'adam' | 'sgd';
  lr: number;
  weightDecay: number;
  /** The most epochs to train. */
  epochs: number;
  /** Stop after this many epochs without a better validation mAP. */
  patience: number;
  batchSize: number;
  /** Seeds the model's initial weights and the batch order. */
  seed: number | string;
}

export interface EpochReport {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Macro mAP on the validation rows' known labels (NaN without validation rows). */
  valMap: number;
  /** Whether this epoch's weights are the best so far (and so kept). */
  best: boolean;
}

export interface FitHooks {
  onEpoch?(report: EpochReport): void;
  onBatch?(epoch: number, batch: number, batchCount: number): void;
}

export interface FitResult {
  model: MLP;
  history: EpochReport[];
  /** The epoch whose weights the model holds at the end (1-based). */
  bestEpoch: number;
}

/** Training stopped at a loss that is NaN or infinite; `model` holds the last good weights. */
export class TrainingDivergedError extends MaskgradError {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly loss: number,
    /** The model, with the weights of the last step whose loss was finite. */
    readonly model: MLP,
  ) {
    super(
      `fit: the training loss became ${loss} at epoch ${epoch}, batch ${batch}; stopped, and the model ` +
        'keeps the weights of the last step with a finite loss (try a smaller learning rate)',
      { code: 'ERR_DIVERGED' },
    );
    this.name = 'TrainingDivergedError';
  }
}

function copyParameters(params: readonly Tensor[], into?: Float64Array[]): Float64Array[] {
  if (!into) return params.map((p) => p.data.slice());
  params.forEach((p, i) => into[i].set(p.data));
  return into;
}

function restoreParameters(params: readonly Tensor[], from: readonly Float64Array[]): void {
  params.forEach((p, i) => p.data.set(from[i]));
}

const positiveInteger = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;

/** Checks the options `fit` reads (the optimizer and MLP check their own). */
function checkFitOptions(options: FitOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new MaskgradError(`fit: options must be an object, got ${describeValue(options)}`);
  }
  if (options.lossKind !== 'masked' && options.lossKind !== 'negative') {
    throw new MaskgradError(
      `fit: lossKind must be 'masked' or 'negative', got ${describeValue(options.lossKind)}`,
    );
  }
  for (const key of ['epochs', 'patience', 'batchSize'] as const) {
    if (!positiveInteger(options[key])) {
      throw new MaskgradError(
        `fit: ${key} must be a positive integer, got ${describeValue(options[key])}`,
      );
    }
  }
  if (!Array.isArray(options.hidden) || !options.hidden.every(positiveInteger)) {
    throw new MaskgradError(
      `fit: hidden must be a list of positive integers (hidden layer sizes), got ${describeValue(options.hidden)}`,
    );
  }
  if (typeof options.seed !== 'number' && typeof options.seed !== 'string') {
    throw new MaskgradError(
      `fit: seed must be a number or a string, got ${describeValue(options.seed)}`,
    );
  }
}

/** Sigmoid probabilities of the model on `x`, without recording a graph. */
export function predictProbabilities(model: MLP, x: Tensor): Tensor {
  return noGrad(() => model.forward(x).sigmoid());
}

function makeOptimizer(options: FitOptions, params: Tensor[]): Optimizer {
  if (options.optimizer === 'adam') {
    return new Adam(params, { lr: options.lr, weightDecay: options.weightDecay });
  }
  if (options.optimizer === 'sgd') {
    return new SGD(params, { lr: options.lr, weightDecay: options.weightDecay });
  }
  throw new MaskgradError(
    `fit: optimizer must be 'adam' or 'sgd', got ${JSON.stringify(options.optimizer)}`,
  );
}

/**
 * Trains an MLP multi-label classifier on `train` with mini-batches, and, when `val` has
 * rows, keeps the weights of the epoch with the best validation mAP (counting only the
 * validation rows' known labels) and stops after `patience` epochs without improvement.
 *
 * With lossKind 'masked' the loss skips unknown labels; with 'negative' every unknown
 * label counts as 0 (the usual shortcut this project argues against).
 */
export function fit(
  train: MultiLabelDataset,
  val: MultiLabelDataset | null,
  options: FitOptions,
  hooks: FitHooks = {},
): FitResult {
  checkFitOptions(options);
  const features = train.x.shape[1];
  const classes = train.y.shape[1];
  const model = new MLP([features, ...options.hidden, classes], {
    activation: options.activation ?? 'relu',
    seed: `${options.seed}:model`,
  });
  const params = model.parameters();
  const optimizer = makeOptimizer(options, params);
  const order = new Random(`${options.seed}:batches`);
  const batchCount = Math.ceil(train.x.shape[0] / options.batchSize);
  const validate = val !== null && val.x.shape[0] > 0;

  let lastGood = copyParameters(params);
  let best = copyParameters(params);
  let bestMap = -Infinity;
  let bestEpoch = 0;
  const history: EpochReport[] = [];

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    let lossSum = 0;
    let batch = 0;
    for (const { x, y, mask } of batches(train, options.batchSize, { rng: order })) {
      batch++;
      const logits = model.forward(x);
      const loss =
        options.lossKind === 'masked'
          ? maskedBinaryCrossEntropyWithLogits(logits, y, mask)
          : maskedBinaryCrossEntropyWithLogits(logits, y); // unknowns are already 0 in y
      const value = loss.item();
      if (!Number.isFinite(value)) {
        restoreParameters(params, lastGood);
        throw new TrainingDivergedError(epoch, batch, value, model);
      }
      lossSum += value;
      optimizer.zeroGrad();
      loss.backward();
      // The weights that gave this finite loss, restored if a later loss is not finite.
      // One copy of every parameter per step (into buffers made once): the price of
      // keeping the last good weights.
      lastGood = copyParameters(params, lastGood);
      optimizer.step();
      hooks.onBatch?.(epoch, batch, batchCount);
    }

    let valMap = NaN;
    let improved = false;
    if (validate) {
      valMap = meanAveragePrecision(predictProbabilities(model, val.x), val.y, val.mask).value;
      if (Number.isNaN(valMap)) {
        throw new MaskgradError(
          'fit: no validation row has a known positive label, so validation mAP is undefined; ' +
            'hold out more rows for validation (or none, to train for every epoch)',
        );
      }
      improved = valMap > bestMap;
    } else {
      improved = true; // without validation rows the last epoch is kept
    }
    if (improved) {
      bestMap = valMap;
      bestEpoch = epoch;
      best = copyParameters(params, best);
    }
    const report: EpochReport = { epoch, loss: lossSum / batch, valMap, best: improved };
    history.push(report);
    hooks.onEpoch?.(report);
    if (epoch - bestEpoch >= options.patience) break;
  }
  restoreParameters(params, best);
  return { model, history, bestEpoch };
}
