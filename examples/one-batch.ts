// The batch of examples/masked-gradients.ts, computed once for both the example and the
// playground's one-batch view: 8 samples and 4 classes, class 2 unknown for every sample
// and class 3 for half of them; one forward, backward and plain SGD step per strategy from
// the same initial weights. No printing and no DOM: the callers show the figures.
import { maskedBinaryCrossEntropyWithLogits, MLP, randn, SGD, tensor } from '../src';

export const ONE_BATCH_CLASSES = 4;

export interface OneBatchStage {
  /** logits [8, 4], dL/dlogits [8, 4] (read from the output layer's gradient), the loss. */
  logits: number[][];
  loss: number;
  /** The output layer's weight gradient [4, 16] and bias gradient [4]. */
  gradWeight: number[][];
  gradBias: number[];
  /** Per class: |gradient of the row| (weights and bias), largest change after one step, bit-identical. */
  gradNorm: number[];
  maxChange: number[];
  unchanged: boolean[];
}

export interface OneBatch {
  x: number[][];
  targets: number[][];
  mask: number[][];
  masked: OneBatchStage;
  negative: OneBatchStage;
}

/** Runs the example's batch for the masked loss and for "unknown = negative". */
export function oneBatch(): OneBatch {
  const x = randn([8, 5], { seed: 'demo-inputs' });
  const targets = tensor([
    [1, 0, 1, 0],
    [0, 1, 0, 1],
    [1, 1, 0, 0],
    [0, 0, 1, 1],
    [1, 0, 0, 1],
    [0, 1, 1, 0],
    [1, 1, 1, 1],
    [0, 0, 0, 0],
  ]);
  const mask = tensor([
    [1, 1, 0, 0],
    [1, 1, 0, 0],
    [1, 1, 0, 0],
    [1, 1, 0, 0],
    [1, 1, 0, 1],
    [1, 1, 0, 1],
    [1, 1, 0, 1],
    [1, 1, 0, 1],
  ]);
  const stage = (strategy: 'masked' | 'negative'): OneBatchStage => {
    const model = new MLP([5, 16, ONE_BATCH_CLASSES], { activation: 'relu', seed: 42 });
    const { weight, bias } = model.outputLayer;
    const before = { weight: weight.data.slice(), bias: bias.data.slice() };
    const logits = model.forward(x);
    const loss =
      strategy === 'masked'
        ? maskedBinaryCrossEntropyWithLogits(logits, targets, mask)
        : maskedBinaryCrossEntropyWithLogits(logits, targets.mul(mask));
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    optimizer.zeroGrad();
    loss.backward();
    const gw = weight.grad!.data.slice();
    const gb = bias.grad!.data.slice();
    optimizer.step();
    const H = weight.shape[1];
    const result: OneBatchStage = {
      logits: logits.toArray() as number[][],
      loss: loss.item(),
      gradWeight: [],
      gradBias: Array.from(gb),
      gradNorm: [],
      maxChange: [],
      unchanged: [],
    };
    for (let c = 0; c < ONE_BATCH_CLASSES; c++) {
      let sq = gb[c] ** 2;
      let maxChange = Math.abs(bias.data[c] - before.bias[c]);
      let unchanged = Object.is(bias.data[c], before.bias[c]);
      for (let j = 0; j < H; j++) {
        const k = c * H + j;
        sq += gw[k] ** 2;
        maxChange = Math.max(maxChange, Math.abs(weight.data[k] - before.weight[k]));
        unchanged &&= Object.is(weight.data[k], before.weight[k]);
      }
      result.gradWeight.push(Array.from(gw.subarray(c * H, (c + 1) * H)));
      result.gradNorm.push(Math.sqrt(sq));
      result.maxChange.push(maxChange);
      result.unchanged.push(unchanged);
    }
    return result;
  };
  return {
    x: x.toArray() as number[][],
    targets: targets.toArray() as number[][],
    mask: mask.toArray() as number[][],
    masked: stage('masked'),
    negative: stage('negative'),
  };
}

/**
 * The table of the step's effect on each output row, as examples/masked-gradients.ts prints
 * it and the playground's one-batch view shows it: per class its known labels, and for each
 * strategy its gradient norm and its largest change ('0 (bit-identical)' if none moved).
 */
export function oneBatchStepTable(batch: OneBatch): { header: string[]; rows: string[][] } {
  const fmt = (v: number) => (v === 0 ? '0' : v.toExponential(3));
  const change = (stage: OneBatchStage, c: number) =>
    stage.unchanged[c] ? '0 (bit-identical)' : fmt(stage.maxChange[c]);
  const header = [
    'class',
    'labels',
    'masked: |grad|',
    'masked: max change',
    'negative: |grad|',
    'negative: max change',
  ];
  const rows = Array.from({ length: ONE_BATCH_CLASSES }, (_, c) => [
    String(c),
    `${batch.mask.filter((row) => row[c] === 1).length}/${batch.mask.length} known`,
    fmt(batch.masked.gradNorm[c]),
    change(batch.masked, c),
    fmt(batch.negative.gradNorm[c]),
    change(batch.negative, c),
  ]);
  return { header, rows };
}
