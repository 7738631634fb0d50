// The playground's training, shared by the Web Worker and the Node specs: the same code,
// the same seeds, so the page's losses are the Node run's losses bit for bit. Each batch is
// one step of maskgrad's Trainer (the step fit takes), with the loss of the strategy's entry
// in the library's table (STRATEGIES[strategy].makeLoss).
import {
  Adam,
  averagePrecision,
  batches,
  createRandom,
  datasetFromArff,
  estimateExpectedPositives,
  hideLabels,
  keepOnePositive,
  MaskgradError,
  meanAveragePrecision,
  MLP,
  type ModelFile,
  modelFileFrom,
  noGrad,
  parseArff,
  parseCsv,
  SGD,
  sigmoid,
  splitRows,
  standardize,
  Tensor,
  Trainer,
  type Batch,
  type CsvDelimiter,
  type DataFileDigest,
  type LabelSpec,
  type MultiLabelDataset,
  type Random,
} from '../../src';
import { type ExperimentOptions, type Regime, type Strategy, STRATEGIES } from '../../src/app';
import type { RunConfig } from './config';
import { MAX_CLASSES_DRAWN, MAX_TOY_MAPS } from './frame-budget';

/** The share of rows held out for the validation curves. */
export const VALIDATION_SHARE = 0.2;

/** Whether a file is ARFF: its name ends in .arff, or its text starts with an @relation line. */
export function isArffFile(name: string, text: string): boolean {
  return /\.arff$/i.test(name) || /^\s*(%[^\n]*\n\s*)*@relation/i.test(text);
}

/** How the page reads a delimited file's columns besides the labels: parseCsv's options. */
export interface FileColumns {
  /** The field separator (default: detected from the header line, as parseCsv does). */
  delimiter?: CsvDelimiter;
  /** The text column kept as the rows' ids. */
  id?: string;
  /** The columns left out. */
  ignore?: readonly string[];
}

/**
 * Reads a file of your own with maskgrad's readers: ARFF when isArffFile says so, CSV (TSV,
 * semicolons) otherwise, with `columns`' delimiter, id and ignored columns; `labels` is a
 * count (the last N columns) or the label columns' names. Errors are the readers' own.
 */
export function parseDataFile(
  name: string,
  text: string,
  labels: LabelSpec,
  columns: FileColumns = {},
): MultiLabelDataset {
  if (isArffFile(name, text)) return datasetFromArff(parseArff(text), labels);
  return parseCsv(text, {
    labels,
    ...(columns.delimiter !== undefined ? { delimiter: columns.delimiter } : {}),
    ...(columns.id !== undefined ? { id: columns.id } : {}),
    ...(columns.ignore !== undefined && columns.ignore.length > 0
      ? { ignore: columns.ignore }
      : {}),
  });
}

/** The training rows with every label and with the regime's observed labels, after standardizing. */
export interface PreparedData {
  /** The training rows' labels as given (what 'full' trains on). */
  full: MultiLabelDataset;
  /** The labels left known by the regime (what every strategy that hides labels trains on). */
  observed: MultiLabelDataset;
  val: MultiLabelDataset;
  featureNames: string[];
  labelNames: string[];
  /** Per feature: the training mean and divisor used to standardize (for drawing the toy regions). */
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Splits off validation rows (seeded), standardizes with the training rows' statistics, and
 * draws the training labels left known by the regime: 'random' hides each known label with
 * probability `hide` (hideLabels), 'single-positive' keeps one positive per row
 * (keepOnePositive). The validation rows keep every label.
 */
export function prepareData(
  dataset: MultiLabelDataset,
  config: Pick<RunConfig, 'hide' | 'regime' | 'seed'>,
): PreparedData {
  const split = splitRows(dataset, VALIDATION_SHARE, { seed: `${config.seed}:split` });
  const scaled = standardize(split.train, split.val);
  const full = scaled.train;
  return {
    full,
    observed: observedLabels(full, config.hide, config.regime, config.seed),
    val: scaled.others[0],
    featureNames: dataset.featureNames.slice(),
    labelNames: dataset.labelNames.slice(),
    mean: scaled.mean,
    std: scaled.std,
  };
}

function observedLabels(
  dataset: MultiLabelDataset,
  hide: number,
  regime: Regime,
  seed: number,
): MultiLabelDataset {
  const random = { seed: `${seed}:hide` };
  return regime === 'single-positive'
    ? keepOnePositive(dataset, random)
    : hideLabels(dataset, hide, random);
}

/**
 * The options a strategy's loss is made from (STRATEGIES[s].makeLoss reads lr, seed and the
 * method options, here the library's defaults): the page's settings, with no early stopping
 * and no refit, and k of EPR and ROLE estimated from the training rows' labels as given.
 */
export function lossOptions(
  strategy: Strategy,
  config: RunConfig,
  full: MultiLabelDataset,
): ExperimentOptions {
  const uses: readonly string[] = STRATEGIES[strategy].uses;
  return {
    strategy,
    regime: config.regime,
    hide: config.hide,
    val: VALIDATION_SHARE,
    refit: false,
    hidden: config.hidden,
    optimizer: config.optimizer,
    lr: config.lr,
    weightDecay: 0,
    epochs: Infinity,
    patience: Infinity,
    batchSize: config.batch,
    seed: config.seed,
    ...(uses.includes('expectedPositives')
      ? { expectedPositives: estimateExpectedPositives(full.y, full.mask) }
      : {}),
  };
}

/** What one strategy's model looks like after a step: copies, safe to send to the page. */
export interface StrategySnapshot {
  strategy: Strategy;
  /** Mean training loss of each finished epoch. */
  epochLoss: number[];
  /** Validation mAP after each finished epoch (epoch 0: before training). */
  valMap: number[];
  /** Validation average precision per class after the last finished epoch (NaN: no positive). */
  classAp: number[];
  /**
   * The output layer's weight gradient of the last batch, row-major: the first `gradRows`
   * classes' rows of H (all C in a full snapshot, the drawn ones in a report), and its bias
   * gradient (all C).
   */
  gradWeight: Float64Array;
  gradRows: number;
  gradBias: Float64Array;
  /** The classes (of all C) whose output row's gradient, weights and bias, is exactly zero. */
  zeroGradRows: number[];
  /** Per class: the largest |change| of its output row (weights and bias) since the start. */
  rowChange: Float64Array;
  /** Per class: whether its output row is still bit-for-bit its initial value. */
  rowUnchanged: boolean[];
  /** Every layer's weight [out, in] and bias, copied (empty when the snapshot leaves them out). */
  layers: { weight: Float64Array; bias: Float64Array; shape: [number, number] }[];
}

/** The weights of the decision regions after `step` steps, per strategy (regionWeights()). */
export interface RegionWeights {
  step: number;
  strategies: { strategy: Strategy; layers: StrategySnapshot['layers'] }[];
}

export interface Snapshot {
  epoch: number;
  /** Batches done in the current epoch, and per epoch. */
  batchInEpoch: number;
  batchesPerEpoch: number;
  step: number;
  /** Per class: how many rows of the last batch had the label known (under the masked strategy). */
  observedInBatch: number[];
  batchRows: number;
  hiddenUnits: number;
  strategies: StrategySnapshot[];
}

interface StrategyRun {
  strategy: Strategy;
  data: MultiLabelDataset;
  model: MLP;
  trainer: Trainer<MLP>;
  rng: Random;
  epoch: IterableIterator<Batch>;
  initialWeight: Float64Array;
  initialBias: Float64Array;
  lossSum: number;
  epochLoss: number[];
  valMap: number[];
  classAp: number[];
  gradWeight: Float64Array;
  gradBias: Float64Array;
}

/**
 * Trains one model per strategy, side by side: the same initial weights (MLP seeded with
 * `seed`), the same batch order (each strategy's own generator seeded `seed:batches`),
 * only the labels and the loss differ. `trainStep()` runs one batch of every strategy.
 */
export class PlaygroundTrainer {
  readonly config: RunConfig;
  readonly data: PreparedData;
  epoch = 0;
  batchInEpoch = 0;
  step = 0;
  readonly batchesPerEpoch: number;
  /** Every batch's loss, per strategy, in order. */
  readonly lossLog: Record<string, number[]> = {};
  private readonly runs: StrategyRun[];
  private observedInBatch: number[];
  private batchRows = 0;

  constructor(data: PreparedData, config: RunConfig) {
    this.config = config;
    this.data = data;
    const D = data.val.x.shape[1];
    const C = data.val.y.shape[1];
    const N = data.full.x.shape[0];
    if (N === 0)
      throw new MaskgradError(
        `playground: no training rows are left after holding out ${VALIDATION_SHARE * 100}% for validation; expected at least 2 rows`,
      );
    this.batchesPerEpoch = Math.ceil(N / config.batch);
    this.observedInBatch = new Array(C).fill(0);
    this.runs = config.strategies.map((strategy) => {
      const definition = STRATEGIES[strategy];
      const train = definition.hidesLabels ? data.observed : data.full;
      const model = new MLP([D, ...config.hidden, C], { seed: config.seed });
      const optimizer =
        config.optimizer === 'adam'
          ? new Adam(model.parameters(), { lr: config.lr })
          : new SGD(model.parameters(), { lr: config.lr });
      const loss = definition.makeLoss(train, lossOptions(strategy, config, data.full));
      const rng = createRandom(`${config.seed}:batches`);
      const out = model.outputLayer;
      this.lossLog[strategy] = [];
      const run: StrategyRun = {
        strategy,
        data: train,
        model,
        // A NaN or infinite loss or weight stops training, its message naming the strategy.
        trainer: new Trainer(model, train, { loss, optimizer, caller: `playground (${strategy})` }),
        rng,
        epoch: batches(train, config.batch, { rng }),
        initialWeight: out.weight.data.slice(),
        initialBias: out.bias.data.slice(),
        lossSum: 0,
        epochLoss: [],
        valMap: [],
        classAp: [],
        gradWeight: new Float64Array(out.weight.data.length),
        gradBias: new Float64Array(out.bias.data.length),
      };
      this.evaluate(run);
      return run;
    });
  }

  /** One batch of every strategy (a Trainer step each); at the end of an epoch, the validation figures. */
  trainStep(): void {
    let indices: Int32Array = new Int32Array(0);
    for (const run of this.runs) {
      const next = run.epoch.next();
      if (next.done)
        throw new MaskgradError('playground: the epoch ran out of batches', {
          code: 'ERR_INTERNAL',
        });
      const { loss } = run.trainer.step(next.value);
      const out = run.model.outputLayer;
      run.gradWeight = out.weight.grad!.data.slice();
      run.gradBias = out.bias.grad!.data.slice();
      this.lossLog[run.strategy].push(loss);
      run.lossSum += loss;
      indices = next.value.indices;
    }
    // Every strategy sees the same rows; count what the observed labels know of them.
    this.countObserved(this.data.observed, indices);
    this.step++;
    this.batchInEpoch++;
    if (this.batchInEpoch === this.batchesPerEpoch) {
      for (const run of this.runs) {
        run.trainer.endEpoch();
        run.epochLoss.push(run.lossSum / this.batchesPerEpoch);
        run.lossSum = 0;
        this.evaluate(run);
        run.epoch = batches(run.data, this.config.batch, { rng: run.rng });
      }
      this.epoch++;
      this.batchInEpoch = 0;
    }
  }

  /** Steps until the current epoch ends. */
  trainEpoch(): void {
    const epoch = this.epoch;
    while (this.epoch === epoch) this.trainStep();
  }

  /**
   * Copies of the model's state: every layer's weights only with `weights` (default true), the
   * gradient rows of the first `gradRows` classes (default all).
   */
  snapshot(options: { weights?: boolean; gradRows?: number } = {}): Snapshot {
    const weights = options.weights ?? true;
    const gradRows = options.gradRows ?? Infinity;
    const hiddenUnits = this.runs[0]?.model.outputLayer.weight.shape[1] ?? 0;
    return {
      epoch: this.epoch,
      batchInEpoch: this.batchInEpoch,
      batchesPerEpoch: this.batchesPerEpoch,
      step: this.step,
      observedInBatch: this.observedInBatch.slice(),
      batchRows: this.batchRows,
      hiddenUnits,
      strategies: this.runs.map((run) => strategySnapshot(run, weights, gradRows)),
    };
  }

  /**
   * What the page's reports carry (worker.ts): no weights, the gradient rows of the classes
   * drawn (MAX_CLASSES_DRAWN), so a report stays small whatever the model's size.
   */
  report(): Snapshot {
    return this.snapshot({ weights: false, gradRows: MAX_CLASSES_DRAWN });
  }

  /**
   * Copies of the weights the decision regions need (frame-budget.ts' ToyRegions): every
   * hidden layer, and the output layer's rows of the first MAX_TOY_MAPS labels only.
   */
  regionWeights(): RegionWeights {
    return {
      step: this.step,
      strategies: this.runs.map((run) => {
        const layers = run.model.layers;
        return {
          strategy: run.strategy,
          layers: layers.map((layer, l) => {
            const [out, inn] = layer.weight.shape;
            const rows = l === layers.length - 1 ? Math.min(out, MAX_TOY_MAPS) : out;
            return {
              weight: layer.weight.data.slice(0, rows * inn),
              bias: layer.bias.data.slice(0, rows),
              shape: [rows, inn] as [number, number],
            };
          }),
        };
      }),
    };
  }

  /**
   * Epochs since the validation mAP last improved, for the strategy that improved most
   * recently: early stopping ends the run when this reaches the patience. Epoch 0 (before
   * training) counts as a result; a later epoch improves only when strictly better, and NaN
   * (no validation row with a known positive) never does.
   */
  epochsSinceBest(): number {
    let since = Infinity;
    for (const run of this.runs) {
      const map = run.valMap;
      let bestAt = 0;
      for (let e = 1; e < map.length; e++) {
        if (map[e] > map[bestAt] || (Number.isNaN(map[bestAt]) && !Number.isNaN(map[e])))
          bestAt = e;
      }
      since = Math.min(since, map.length - 1 - bestAt);
    }
    return since;
  }

  /**
   * The model file of `strategy`'s network as it is now (modelFileFrom: the format
   * `maskgrad train --save` writes): the training rows' standardization, the data set's names,
   * thresholds 0.5, and how it was trained here; `idColumn`, the file's id column, is recorded
   * as `training.idColumn` (maskgrad predict writes it first).
   */
  modelFile(strategy: Strategy, data: DataFileDigest[], idColumn?: string): ModelFile {
    const run = this.runOf(strategy);
    const c = this.config;
    return modelFileFrom(run.model, {
      features: this.data.featureNames,
      labels: this.data.labelNames,
      standardization: { mean: this.data.mean, std: this.data.std },
      training: {
        strategy,
        regime: c.regime,
        hide: STRATEGIES[strategy].hidesLabels ? c.hide : 0,
        seed: c.seed,
        epochs: this.epoch,
        data,
        trainedIn: 'the maskgrad playground',
        val: VALIDATION_SHARE,
        hidden: c.hidden,
        optimizer: c.optimizer,
        lr: c.lr,
        batchSize: c.batch,
        thresholds: '0.5',
        ...(idColumn !== undefined ? { idColumn } : {}),
      },
    });
  }

  /**
   * The probabilities `strategy`'s network gives raw rows `x` [n, D]: standardized with the
   * training rows' statistics, `(x - mean) / std`, then the network and a sigmoid (what
   * maskgrad predict does with the model file).
   */
  probabilities(strategy: Strategy, x: Tensor): Float64Array {
    const run = this.runOf(strategy);
    const [n, D] = x.shape;
    const { mean, std } = this.data;
    const z = new Float64Array(n * D);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < D; j++) z[i * D + j] = (x.data[i * D + j] - mean[j]) / std[j];
    }
    return noGrad(() => sigmoid(run.model.forward(new Tensor(z, [n, D])))).data;
  }

  private runOf(strategy: Strategy): StrategyRun {
    const run = this.runs.find((r) => r.strategy === strategy);
    if (!run) {
      throw new MaskgradError(
        `playground: no model is trained with the strategy '${strategy}'; trained: ${this.runs.map((r) => r.strategy).join(', ')}`,
      );
    }
    return run;
  }

  private countObserved(dataset: MultiLabelDataset, rows: Int32Array): void {
    const C = dataset.mask.shape[1];
    const counts = new Array(C).fill(0);
    for (const r of rows) for (let c = 0; c < C; c++) counts[c] += dataset.mask.data[r * C + c];
    this.observedInBatch = counts;
    this.batchRows = rows.length;
  }

  private evaluate(run: StrategyRun): void {
    const { val } = this.data;
    const logits = noGrad(() => run.model.forward(val.x));
    run.valMap.push(meanAveragePrecision(logits, val.y, val.mask).value);
    run.classAp = averagePrecision(logits, val.y, val.mask);
  }
}

function strategySnapshot(run: StrategyRun, weights: boolean, gradRows: number): StrategySnapshot {
  const out = run.model.outputLayer;
  const [C, H] = out.weight.shape;
  const w = out.weight.data;
  const b = out.bias.data;
  const rowChange = new Float64Array(C);
  const rowUnchanged: boolean[] = [];
  const zeroGradRows: number[] = [];
  const rows = Math.min(C, gradRows);
  for (let c = 0; c < C; c++) {
    let zero = run.gradBias[c] === 0;
    for (let j = 0; zero && j < H; j++) zero = run.gradWeight[c * H + j] === 0;
    if (zero) zeroGradRows.push(c);
    let change = Math.abs(b[c] - run.initialBias[c]);
    let same = Object.is(b[c], run.initialBias[c]);
    for (let j = 0; j < H; j++) {
      const k = c * H + j;
      change = Math.max(change, Math.abs(w[k] - run.initialWeight[k]));
      same &&= Object.is(w[k], run.initialWeight[k]);
    }
    rowChange[c] = change;
    rowUnchanged.push(same);
  }
  return {
    strategy: run.strategy,
    epochLoss: run.epochLoss.slice(),
    valMap: run.valMap.slice(),
    classAp: run.classAp.slice(),
    gradWeight: run.gradWeight.slice(0, rows * H),
    gradRows: rows,
    gradBias: run.gradBias.slice(),
    zeroGradRows,
    rowChange,
    rowUnchanged,
    layers: (weights ? run.model.layers : []).map((layer) => ({
      weight: layer.weight.data.slice(),
      bias: layer.bias.data.slice(),
      shape: [layer.weight.shape[0], layer.weight.shape[1]] as [number, number],
    })),
  };
}

/** The network's output probabilities from copied weights (plain loops, no autodiff graph). */
export function predictFromWeights(
  layers: StrategySnapshot['layers'],
  input: Float64Array,
  output: Float64Array,
): void {
  let h = input;
  for (let l = 0; l < layers.length; l++) {
    const { weight, bias, shape } = layers[l];
    const [out, inn] = shape;
    const next = l === layers.length - 1 ? output : new Float64Array(out);
    for (let o = 0; o < out; o++) {
      let s = bias[o];
      for (let i = 0; i < inn; i++) s += weight[o * inn + i] * h[i];
      next[o] = l === layers.length - 1 ? 1 / (1 + Math.exp(-s)) : Math.max(0, s);
    }
    h = next;
  }
}
