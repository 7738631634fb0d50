import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseModelFile } from '../src/core/model/model-file';
import { Predictor } from '../src/core/model/predictor';
import { noGrad } from '../src/core/autograd';
import {
  batches,
  datasetFromArff,
  hideLabels,
  type MultiLabelDataset,
  detectDelimiter,
  parseArff,
  parseCsv,
  parseLabelSpec,
  splitRows,
  standardize,
  takeRows,
} from '../src/core/data';
import { gradcheck } from '../src/core/gradcheck';
import { toDot } from '../src/core/graph';
import {
  aplPseudoLabelRound,
  AsymmetricPseudoLabelLoss,
  asymmetricPseudoLabelLoss,
  maskedBinaryCrossEntropy,
  maskedBinaryCrossEntropyWithLogits,
  maskedBinaryCrossEntropyWithLogitsComposite,
  entropyMaximizationLoss,
  hillLoss,
  maskFromTargets,
  splcLoss,
} from '../src/core/losses';
import {
  generalizedRobustLoss,
  generalizedRobustPerEpoch,
  grSchedule,
  inversePropensity,
  propensityWeightedBce,
} from '../src/core/losses';
import {
  averagePrecision,
  confusionCounts,
  f1,
  hammingLoss,
  labelRankingAveragePrecision,
  meanAveragePrecision,
} from '../src/core/metrics';
import { Linear, MLP, type Module, type StateDict } from '../src/core/nn';
import {
  add,
  broadcastTo,
  defineOp,
  clamp,
  concat,
  logSumExp,
  matmul,
  max,
  mean,
  mul,
  permute,
  pow,
  reshape,
  sum,
  take,
  transpose,
  where,
} from '../src/core/ops';
import { Adam, AdamW, SGD } from '../src/core/optim';
import { fit } from '../src/core/training';
import { main as trainMain } from '../examples/train';
import { Random } from '../src/core/random';
import { broadcastShapes, sumToShape } from '../src/core/shape';
import { arange, full, ones, rand, randn, tensor, Tensor, zeros } from '../src/core/tensor';
import { loadDataset, loadModule, readArff, readCsv, readModelFile, saveModule } from '../src/node';
import { checkModelFile, modelFileFrom, modelFileToText, toOnnx } from '../src/core/model';
import { toSafetensors } from '../src/core/model/safetensors';
import { runExperiment } from '../src/app';
import { runExport } from '../src/app/cli/export';
import { runInspect } from '../src/app/cli/inspect';
import { runPredict } from '../src/app/cli/predict';
import { runStudy } from '../src/app/cli/study';
import { checkWritable, writeFileAtomic } from '../src/node/atomic-write';
import { checkOutputNotInput } from '../src/node/output-not-input';
import { parseServeArgs } from '../web/scripts/serve';

// What every public entry point says when it is given bad input: one row per case, each
// an `it` that checks the whole message. docs/bad-input.md is this table, rendered (a spec
// below keeps the two the same; MASKGRAD_WRITE_BAD_INPUT_DOC=1 rewrites the file).

interface Row {
  /** The public entry point. */
  entry: string;
  /** What is wrong with the input. */
  input: string;
  run: () => unknown;
  /** The whole message of the error, exactly (a function when it depends on the run). */
  message: string | (() => string);
  /** The message as the docs show it, where it differs between machines. */
  shown?: string;
}

interface Group {
  title: string;
  rows: Row[];
}

// Fixtures. Files go to a temporary directory, shown as <dir> in the docs.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maskgrad-bad-input-'));
const file = (name: string, text?: string) => {
  const p = path.join(dir, name);
  if (text !== undefined) fs.writeFileSync(p, text);
  return p;
};
const m23 = () => zeros([2, 3]);
const leaf = () => tensor([1, 2], { requiresGrad: true });
const ARFF_HEAD =
  '@relation r\n@attribute a numeric\n@attribute b numeric\n@attribute L {0,1}\n@data\n';
const dataset = (): MultiLabelDataset => parseCsv('a,b,L1,L2\n1,2,1,0\n3,4,?,1\n', { labels: 2 });
const model = () => new MLP([3, 4, 2], { seed: 1 });
/** A model for `dataset()` and valid fit options for it, to vary one at a time. */
const fitModel = () => new Linear(2, 2, { seed: 1 });
const FIT = (m: Module) => ({
  loss: (z: Tensor, y: Tensor, mask: Tensor) => maskedBinaryCrossEntropyWithLogits(z, y, mask),
  optimizer: new SGD(m.parameters(), { lr: 0.1 }),
  epochs: 1,
  seed: 1,
});
/** Fits `fitModel()` to `data` with the valid options changed by `change`. */
const fitWith = (change: Record<string, unknown>, data = dataset()) => {
  const m = fitModel();
  return fit(m, data, { ...FIT(m), ...change });
};
/** Valid runExperiment options, to vary one at a time. */
const EXPERIMENT = {
  hidden: [4],
  optimizer: 'adam' as const,
  lr: 0.01,
  weightDecay: 0,
  epochs: 1,
  patience: 1,
  batchSize: 2,
  seed: 1,
  strategy: 'masked' as const,
  hide: 0,
  val: 0,
  refit: false,
};
/** A valid model file for 2 features (a, b) and 2 labels (p, q), one layer: text to edit. */
function modelFileText(): string {
  return [
    '{',
    '  "format": "maskgrad-model", "version": 1,',
    '  "architecture": { "sizes": [2,2], "activation": "relu" },',
    '  "features": { "names": ["a","b"], "mean": [0,0], "std": [1,1] },',
    '  "labels": { "names": ["p","q"], "thresholds": [0.5,0.5] },',
    '  "training": { "strategy": "masked", "hide": 0, "seed": 1, "epochs": 1, "data": [],',
    '    "maskgradVersion": "0.0.0", "date": "2026-12-08T01:00:00.000Z" },',
    '  "weights": {',
    '    "layers.0.weight": { "shape": [2,2], "data": [1,2,3,4] },',
    '    "layers.0.bias": { "shape": [2], "data": [0,0] }',
    '  }',
    '}',
  ].join('\n');
}

/**
 * Runs examples/train.ts in-process (as `npx ts-node examples/train.ts ...argv`) and throws
 * its last line on stderr with its exit code, as the table shows it.
 */
function trainCli(...argv: string[]): never {
  let err = '';
  const code = trainMain(argv, {
    out: () => {},
    err: (t) => (err += t),
    tty: false,
    colors: false,
  });
  const lines = err.trim().split('\n');
  throw new Error(`${lines[lines.length - 1]} (exit code ${code})`);
}

/** Every parameter's values, to show that a failed load changed nothing. */
const snapshot = (m: Module) => m.parameters().map((p) => Array.from(p.data));

/** Loads `state` into a fresh model, checking afterwards that the model is unchanged. */
function loadInto(state: unknown): void {
  const m = model();
  const before = snapshot(m);
  try {
    m.loadStateDict(state as StateDict);
  } finally {
    expect(snapshot(m)).to.deep.equal(before);
  }
}

/** A valid state of `model()`'s shape, edited by `edit`. */
function editedState(edit: (state: Record<string, { shape: unknown[]; data: unknown[] }>) => void) {
  const state = new MLP([3, 4, 2], { seed: 99 }).stateDict() as unknown as Record<
    string,
    { shape: unknown[]; data: unknown[] }
  >;
  edit(state);
  return state;
}

/** Saves a model, changes the file's text with `edit`, and loads it into a fresh model. */
function loadEditedFile(name: string, edit: (text: string) => string): string {
  const p = file(name);
  saveModule(new MLP([3, 4, 2], { seed: 99 }), p);
  fs.writeFileSync(p, edit(fs.readFileSync(p, 'utf8')));
  const m = model();
  const before = snapshot(m);
  try {
    loadModule(m, p);
  } finally {
    expect(snapshot(m)).to.deep.equal(before);
  }
  return p;
}

const LOSS = 'maskedBinaryCrossEntropyWithLogits';
const logits = () => zeros([2, 3], { requiresGrad: true });
const targets = () => zeros([2, 3]);

// Issue 21's hostile-input cases (the last group below).
/** Clears the screen and sets the window title: a header no message may echo raw. */
const HOSTILE = '\x1b[2J\x1b]0;title\x07';
/** How a message shows the path to a value nested too deep in `training.notes`. */
const DEEP_NOTES = `${('training.notes' + '[0]'.repeat(62)).slice(0, 60)}... (200 characters)`;

function smallModelFile() {
  return modelFileFrom(new MLP([2, 2], { seed: 1 }), {
    features: ['a', 'b'],
    labels: ['x', 'y'],
    standardization: { mean: [0, 0], std: [1, 1] },
    training: { strategy: 'masked', hide: 0, seed: 1, epochs: 0, data: [] },
  });
}

let twice: ((inputs: Tensor[], attrs: object) => Tensor) | null = null;
/** An op taking (inputs, attrs), defined when a case first needs it (not at load). */
function twiceOp() {
  twice ??= defineOp({
    name: 'badInputTwice',
    kind: 'other',
    forward([x]) {
      return { data: x.data.map((v) => 2 * v), shape: x.shape.slice() };
    },
    backward(g) {
      return [g.map((v) => 2 * v)];
    },
    samples: [{ inputs: [[2]] }],
  });
  return twice;
}

const groups: Group[] = [
  {
    title: 'Tensor creation',
    rows: [
      {
        entry: 'zeros',
        input: 'a shape too large to allocate `[1e5, 1e5]`',
        run: () => zeros([1e5, 1e5]),
        message:
          'zeros: cannot allocate a tensor of shape [100000,100000] (10000000000 float64 values, 74.5 GiB)',
      },
      {
        entry: 'arange',
        input: 'a range too long to allocate `arange(0, 1e10)`',
        run: () => arange(0, 1e10),
        message:
          'arange: cannot allocate a tensor of shape [10000000000] (10000000000 float64 values, 74.5 GiB)',
      },
      {
        entry: 'tensor',
        input: 'a ragged nested array `[[1, 2], [3]]`',
        run: () => tensor([[1, 2], [3]]),
        message:
          'tensor: ragged nested array: value[1] has length 1 but its siblings have length 2',
      },
      {
        entry: 'tensor',
        input: 'a number where an array belongs `[[1, 2], 3]`',
        run: () => tensor([[1, 2], 3] as never),
        message: 'tensor: ragged nested array: value[1] is a number where an array was expected',
      },
      {
        entry: 'tensor',
        input: "a non-number element `[1, '2', 3]`",
        run: () => tensor([1, '2', 3] as never),
        message: 'tensor: value[1] is "2" (string); expected a number',
      },
      {
        entry: 'tensor',
        input: "a string `'abc'`",
        run: () => tensor('abc' as never),
        message: 'tensor: expected a number, nested arrays of numbers or a typed array, got "abc"',
      },
      {
        entry: 'tensor',
        input: 'a BigInt64Array',
        run: () => tensor(new BigInt64Array(2) as never),
        message:
          'tensor: expected a number, nested arrays of numbers or a typed array of numbers, got a BigInt64Array',
      },
      {
        entry: 'tensor',
        input: 'too few values for `shape` (3 values, shape [2,2])',
        run: () => tensor([1, 2, 3], { shape: [2, 2] }),
        message: 'tensor: 3 values do not fill shape [2,2] (4 values needed)',
      },
      {
        entry: 'tensor',
        input: 'a nested array whose shape differs from `options.shape`',
        run: () =>
          tensor(
            [
              [1, 2],
              [3, 4],
            ],
            { shape: [4] },
          ),
        message: 'tensor: the nested array has shape [2,2] but options.shape is [4]',
      },
      {
        entry: 'tensor',
        input: 'a negative size in `shape`',
        run: () => tensor([1, 2], { shape: [2, -1] }),
        message: 'tensor: shape must be an array of non-negative integers, got [2,-1]',
      },
      {
        entry: 'tensor',
        input: "`requiresGrad: 'yes'`",
        run: () => tensor([1], { requiresGrad: 'yes' as never }),
        message: 'tensor: requiresGrad must be true or false, got "yes"',
      },
      {
        entry: 'tensor',
        input: 'a misspelt option `requiresgrad`',
        run: () => tensor([1], { requiresgrad: true } as never),
        message: "tensor: unknown option 'requiresgrad' (allowed: requiresGrad, shape)",
      },
      {
        entry: 'new Tensor',
        input: 'data that is not a Float64Array',
        run: () => new Tensor([1, 2] as never, [2]),
        message:
          'Tensor: data must be a Float64Array, got [1,2] (use tensor() to make a tensor from arrays or other typed arrays)',
      },
      {
        entry: 'new Tensor',
        input: 'data of the wrong length for the shape',
        run: () => new Tensor(new Float64Array(3), [2, 2]),
        message: 'Tensor: data has 3 values but shape [2,2] needs 4',
      },
      {
        entry: 'new Tensor',
        input: 'a shape with negative sizes `[-1,-1]`',
        run: () => new Tensor(new Float64Array(1), [-1, -1]),
        message: 'Tensor: shape must be an array of non-negative integers, got [-1,-1]',
      },
      {
        entry: 'zeros, ones, full, rand, randn',
        input: 'a shape that is a number `zeros(3)`',
        run: () => zeros(3 as never),
        message: 'zeros: shape must be an array of non-negative integers, got 3',
      },
      {
        entry: 'zeros, ones, full, rand, randn',
        input: 'a fractional size `ones([2.5])`',
        run: () => ones([2.5]),
        message: 'ones: shape must be an array of non-negative integers, got [2.5]',
      },
      {
        entry: 'full',
        input: "a value that is not a number `'1'`",
        run: () => full([2], '1' as never),
        message: 'full: value must be a number, got "1"',
      },
      {
        entry: 'rand, randn',
        input: 'no seed and no generator',
        run: () => randn([2], {} as never),
        message:
          'randn: pass { seed } or { rng }: maskgrad never draws random numbers without a seed',
      },
      {
        entry: 'rand, randn',
        input: 'both a seed and a generator',
        run: () => rand([2], { seed: 1, rng: new Random(2) }),
        message: 'rand: pass { seed } or { rng }, not both',
      },
      {
        entry: 'rand, randn',
        input: 'an `rng` that is not a Random',
        run: () => randn([2], { rng: {} as never }),
        message: 'randn: rng must be a Random (from new Random(seed)), got an object',
      },
      {
        entry: 'rand, randn',
        input: 'a NaN seed',
        run: () => rand([2], { seed: NaN }),
        message: 'rand: seed must be a finite number or a string, got NaN',
      },
      {
        entry: 'rand',
        input: '`low` above `high`',
        run: () => rand([2], { seed: 1, low: 3, high: 1 }),
        message: 'rand: low and high must be finite numbers with low <= high, got low 3 and high 1',
      },
      {
        entry: 'rand',
        input: 'a NaN bound',
        run: () => rand([2], { seed: 1, low: NaN }),
        message:
          'rand: low and high must be finite numbers with low <= high, got low NaN and high 1',
      },
      {
        entry: 'randn',
        input: 'a negative `std`',
        run: () => randn([2], { seed: 1, std: -1 }),
        message:
          'randn: mean must be a finite number and std a finite number >= 0, got mean 0 and std -1',
      },
      {
        entry: 'arange',
        input: 'a step of 0',
        run: () => arange(0, 1, 0),
        message:
          'arange: start, stop and step must be finite numbers and step non-zero, got 0, 1, 0',
      },
      {
        entry: 'arange',
        input: "a string bound `arange('3')`",
        run: () => arange('3' as never),
        message:
          'arange: start, stop and step must be finite numbers and step non-zero, got 0, "3", 1',
      },
      {
        entry: 'new Random',
        input: 'a NaN seed',
        run: () => new Random(NaN),
        message: 'Random: seed must be a finite number or a string, got NaN',
      },
    ],
  },
  {
    title: 'Reading values, backward and gradient checks',
    rows: [
      {
        entry: 'backward',
        input: 'an input changed in place (markModified) after the forward pass',
        run: () => {
          const x = leaf();
          const y = x.mul(2).sum();
          x.markModified();
          y.backward();
        },
        message:
          'mul: an input was modified in place after the forward pass (input versions 1: version 1, 2: version 0; ' +
          'their sum was 0 at forward, 1 now), so its gradient would be wrong; run the forward pass again after changing it, or change a clone',
      },
      {
        entry: 'backward',
        input: "a leaf's `.grad` set to a plain array",
        run: () => {
          const t = leaf();
          (t as { grad: unknown }).grad = [0, 0];
          t.sum().backward();
        },
        message:
          "backward: a leaf's .grad must be null or a Tensor of its shape [2] to add to, got [0,0]",
      },
      {
        entry: 'backward',
        input: 'an op whose backward returns null',
        run: () => {
          const op = defineOp({
            name: 'badInputNullBackward',
            kind: 'other',
            forward: ([x]) => ({ data: x.data.slice(), shape: x.shape.slice() }),
            backward: () => null as never,
            samples: [{ inputs: [[2]] }],
          });
          op([leaf()], {}).sum().backward();
        },
        message:
          "badInputNullBackward: backward must return an array of 1 gradients (one per input, null where none), got null (a bug in the op's backward)",
      },
      {
        entry: 'defineOp',
        input: 'null',
        run: () => defineOp(null as never),
        message: 'defineOp: expected an op definition (an object), got null',
      },
      {
        entry: 'defineOp',
        input: 'an empty definition `{}`',
        run: () => defineOp({} as never),
        message: 'defineOp: name must be a non-empty string, got undefined',
      },
      {
        entry: 'Tensor.item',
        input: 'a tensor with more than one element',
        run: () => tensor([1, 2]).item(),
        message:
          'item: only a tensor with exactly one element has an item; this one has shape [2] (2 elements)',
      },
      {
        entry: 'Tensor.backward',
        input: 'a non-scalar output and no gradient',
        run: () => leaf().mul(2).backward(),
        message:
          'backward: the output has shape [2]; backward() without an argument needs a scalar (one element). ' +
          'Reduce it first (sum or mean), or pass a gradient of the same shape: y.backward(gradient)',
      },
      {
        entry: 'Tensor.backward',
        input: 'a gradient of another shape',
        run: () =>
          leaf()
            .mul(2)
            .backward(tensor([1, 2, 3])),
        message: "backward: the gradient must be a Tensor of the output's shape [2], got shape [3]",
      },
      {
        entry: 'Tensor.backward',
        input: 'a gradient that is a number',
        run: () =>
          leaf()
            .mul(2)
            .backward(1 as never),
        message: "backward: the gradient must be a Tensor of the output's shape [2], got 1",
      },
      {
        entry: 'Tensor.backward',
        input: 'a tensor with no graph (made without requiresGrad, or under noGrad)',
        run: () => tensor(1).mul(2).backward(),
        message:
          'backward: this tensor does not require a gradient, so there is no graph to backpropagate ' +
          '(was it made under noGrad, or from tensors without requiresGrad: true?)',
      },
      {
        entry: 'noGrad',
        input: 'something that is not a function',
        run: () => noGrad(1 as never),
        message: 'noGrad: expected a function to run without recording a graph, got 1',
      },
      {
        entry: 'gradcheck',
        input: 'no input that requires a gradient',
        run: () => gradcheck((t) => t.mul(2), [tensor([1])]),
        message:
          'gradcheck: no input requires a gradient; pass tensors made with { requiresGrad: true }',
      },
      {
        entry: 'gradcheck',
        input: 'an input that is not a leaf',
        run: () => gradcheck((t) => t.mul(2), [leaf().mul(1)]),
        message: "gradcheck: input 0 is not a leaf (it was computed by 'mul'); pass leaf tensors",
      },
      {
        entry: 'gradcheck',
        input: 'an input that is not a Tensor',
        run: () => gradcheck((t) => t, [[1, 2] as never]),
        message: 'gradcheck: input 0 must be a Tensor, got [1,2]',
      },
      {
        entry: 'gradcheck',
        input: 'a function that does not return a Tensor',
        run: () => gradcheck(() => 1 as never, [leaf()]),
        message: 'gradcheck: the function must return a Tensor, got 1',
      },
      {
        entry: 'gradcheck',
        input: '`eps: 0`',
        run: () => gradcheck((t) => t, [leaf()], { eps: 0 }),
        message: 'gradcheck: eps must be a finite number > 0, got 0',
      },
      {
        entry: 'toDot',
        input: 'something that is not a Tensor',
        run: () => toDot({} as never),
        message: 'toDot: expected the Tensor whose graph to draw, got an object',
      },
    ],
  },
  {
    title: 'Shapes and op arguments',
    rows: [
      {
        entry: 'logSumExp',
        input: 'options `null`',
        run: () => logSumExp(m23(), null as never),
        message: 'logSumExp: options must be an object, got null',
      },
      {
        entry: 'matmul',
        input: 'options `null`',
        run: () => matmul(m23(), zeros([3, 2]), null as never),
        message: 'matmul: options must be an object, got null',
      },
      {
        entry: 'matmul',
        input: 'a misspelt option `{ transposeb: true }`',
        run: () => matmul(m23(), zeros([2, 3]), { transposeb: true } as never),
        message: "matmul: unknown option 'transposeb' (allowed: transposeA, transposeB)",
      },
      {
        entry: 'concat',
        input: 'scalars `concat([tensor(1), tensor(2)])`',
        run: () => concat([tensor(1), tensor(2)]),
        message:
          'concat: cannot join scalars (shape []), which have no axis; reshape them to [1] first, or use tensor([...])',
      },
      {
        entry: 'add, sub, mul, div, maximum, minimum',
        input: 'shapes that do not broadcast, [2,3] and [4]',
        run: () => mul(m23(), zeros([4])),
        message:
          'mul: cannot broadcast shapes [2,3] and [4] (axis -1 has sizes 3 and 4; they must be equal or one of them 1)',
      },
      {
        entry: 'where',
        input: 'shapes that do not broadcast',
        run: () => where(tensor([1, 0]), zeros([3]), 0),
        message:
          'where: cannot broadcast shapes [2] and [3] and [] (axis -1 has sizes 2 and 3; they must be equal or one of them 1)',
      },
      {
        entry: 'broadcastShapes',
        input: 'shapes that do not broadcast (the error names the caller)',
        run: () => broadcastShapes('myOp', [2, 1], [3, 4]),
        message:
          'myOp: cannot broadcast shapes [2,1] and [3,4] (axis -2 has sizes 2 and 3; they must be equal or one of them 1)',
      },
      {
        entry: 'every op',
        input: "an input that is neither a Tensor nor a number `add(x, '1')`",
        run: () => add(m23(), '1' as never),
        message: 'add (input 2): expected a Tensor or a number, got "1"',
      },
      {
        entry: 'matmul',
        input: 'an input with fewer than 2 dimensions',
        run: () => matmul(tensor([1, 2]), zeros([2, 1])),
        message:
          'matmul: expects inputs with at least 2 dimensions, got [2] and [2,1] (reshape a vector to [1,n] or [n,1])',
      },
      {
        entry: 'matmul',
        input: 'inner sizes that differ',
        run: () => matmul(m23(), zeros([4, 5])),
        message: 'matmul: cannot multiply [2,3] by [4,5] (inner sizes 3 and 4 differ)',
      },
      {
        entry: 'matmul',
        input: 'batch axes that do not broadcast, [2,2,3] by [3,3,5]',
        run: () => matmul(zeros([2, 2, 3]), zeros([3, 3, 5])),
        message:
          'matmul: cannot multiply [2,2,3] by [3,3,5] (batch axes [2] and [3] do not broadcast; each pair must be equal or contain a 1)',
      },
      {
        entry: 'Linear.forward',
        input: 'an input that is not [N, in]',
        run: () => new Linear(3, 4, { seed: 1 }).forward(tensor([[1, 2, 3, 4, 5]])),
        message: 'Linear: expected an input of shape [N,3] for a weight of shape [4,3], got [1,5]',
      },
      {
        entry: 'sum, mean, max, logSumExp',
        input: 'an axis out of range',
        run: () => sum(m23(), { axis: 2 }),
        message:
          'sum: axis 2 is out of range for a tensor with 2 dimensions (expected an integer in [-2, 1])',
      },
      {
        entry: 'sum, mean, max, logSumExp',
        input: "an axis that is a string `{ axis: '1' }`",
        run: () => mean(m23(), { axis: '1' as never }),
        message: 'mean: axis must be an integer or an array of integers, got "1"',
      },
      {
        entry: 'sum, mean, max, logSumExp',
        input: 'a repeated axis',
        run: () => max(m23(), { axis: [0, -2] }),
        message: 'max: axis -2 is repeated in [0,-2]',
      },
      {
        entry: 'sum, mean, max, logSumExp',
        input: 'a number for the options, NumPy style `sum(x, 1)`',
        run: () => sum(m23(), 1 as never),
        message: 'sum: options must be an object such as { axis: 1 }, got 1',
      },
      {
        entry: 'sum, mean, max, logSumExp',
        input: 'a misspelt option `{ axes: 1 }`',
        run: () => logSumExp(m23(), { axes: 1 } as never),
        message: "logSumExp: unknown option 'axes' (allowed: axis, keepDims)",
      },
      {
        entry: 'max',
        input: 'an empty axis',
        run: () => max(tensor([])),
        message:
          'max: cannot take the maximum over an empty axis (shape [0], axis all); expected every reduced axis to have at least one element',
      },
      {
        entry: 'reshape',
        input: 'a shape with another number of elements',
        run: () => reshape(m23(), [4, 2]),
        message: 'reshape: cannot reshape [2,3] (6 elements) into [4,2] (8 elements)',
      },
      {
        entry: 'reshape',
        input: 'two axes of -1',
        run: () => reshape(m23(), [-1, -1]),
        message:
          'reshape: cannot reshape [2,3] (6 elements) into [-1,-1] (only one axis may be -1)',
      },
      {
        entry: 'reshape',
        input: 'a -1 that cannot be inferred',
        run: () => reshape(m23(), [4, -1]),
        message:
          'reshape: cannot reshape [2,3] (6 elements) into [4,-1] (6 elements cannot be split into the known sizes, whose product is 4)',
      },
      {
        entry: 'reshape',
        input: 'a fractional size',
        run: () => reshape(m23(), [1.5, 4]),
        message:
          'reshape: cannot reshape [2,3] (6 elements) into [1.5,4] (axis 0 is 1.5; expected a non-negative integer or -1)',
      },
      {
        entry: 'permute',
        input: 'axes that are not a permutation',
        run: () => permute(m23(), [0, 0]),
        message: 'permute: axes [0,0] are not a permutation of 0..1 (tensor of shape [2,3])',
      },
      {
        entry: 'permute',
        input: 'too few axes',
        run: () => permute(m23(), [0]),
        message:
          'permute: axes [0] have 1 entries but the tensor of shape [2,3] has 2 dimensions (expected a permutation of 0..1)',
      },
      {
        entry: 'transpose',
        input: 'a tensor that is not 2-D',
        run: () => transpose(zeros([2, 3, 4])),
        message:
          'transpose: expected a 2-D tensor, got shape [2,3,4] (3 dimensions); use permute for other ranks',
      },
      {
        entry: 'broadcastTo',
        input: 'a shape it does not broadcast to',
        run: () => broadcastTo(tensor([1, 2]), [2, 3]),
        message:
          'broadcastTo: cannot broadcast shape [2] to [2,3] (axis -1: size 2 must equal 3 or be 1)',
      },
      {
        entry: 'broadcastTo',
        input: 'a target with fewer dimensions',
        run: () => broadcastTo(tensor([[1, 2]]), [2]),
        message:
          'broadcastTo: cannot broadcast shape [1,2] to [2] (the target has fewer dimensions, 1 < 2)',
      },
      {
        entry: 'take',
        input: 'an index out of range',
        run: () => take(m23(), [0, 2]),
        message:
          'take: index 2 (position 1) is out of range for axis 0 of size 2 (shape [2,3]; expected an integer in [0, 1])',
      },
      {
        entry: 'take',
        input: 'indices that are a string',
        run: () => take(m23(), '0' as never),
        message: 'take: indices must be a number[], an Int32Array or a Tensor, got "0"',
      },
      {
        entry: 'concat',
        input: 'shapes that differ off the axis',
        run: () => concat([zeros([1, 2]), zeros([1, 3])]),
        message:
          'concat: cannot concatenate shapes [1,2], [1,3] along axis 0 (expected the same number of dimensions and equal sizes on every other axis)',
      },
      {
        entry: 'concat',
        input: 'an empty list',
        run: () => concat([]),
        message: 'concat: expected at least one tensor, got none',
      },
      {
        entry: 'concat',
        input: 'a tensor instead of a list',
        run: () => concat(zeros([2]) as never),
        message: 'concat: expected an array of tensors, got a Tensor of shape [2]',
      },
      {
        entry: 'clamp',
        input: 'neither bound',
        run: () => clamp(m23()),
        message: 'clamp: expected at least one of min and max, got neither',
      },
      {
        entry: 'clamp',
        input: 'a NaN bound',
        run: () => clamp(m23(), NaN),
        message: 'clamp: min must be a number or undefined, got NaN',
      },
      {
        entry: 'pow',
        input: "an exponent that is not a number `'2'`",
        run: () => pow(m23(), '2' as never),
        message: 'pow: the exponent must be a number, got "2"',
      },
      {
        entry: 'sumToShape',
        input: 'a target shape that does not broadcast to the gradient',
        run: () => sumToShape(new Float64Array(6), [2, 3], [4]),
        message:
          'sumToShape: cannot sum a gradient of shape [2,3] down to shape [4] (expected a shape that broadcasts to [2,3])',
      },
    ],
  },
  {
    title: 'Losses',
    rows: [
      {
        entry: LOSS,
        input: 'logits that are not a Tensor',
        run: () => maskedBinaryCrossEntropyWithLogits([[0.5]] as never, [[1]]),
        message: `${LOSS}: logits must be a Tensor, got [[0.5]]`,
      },
      {
        entry: LOSS,
        input: 'targets of another shape',
        run: () => maskedBinaryCrossEntropyWithLogits(logits(), [1, 0, 1]),
        message: `${LOSS}: targets has shape [3] but the input has shape [2,3]; they must match`,
      },
      {
        entry: LOSS,
        input: 'targets that are not numbers',
        run: () => maskedBinaryCrossEntropyWithLogits(logits(), 'abc' as never),
        message: `${LOSS}: targets must be a Tensor or nested arrays of numbers, got "abc"`,
      },
      {
        entry: LOSS,
        input: 'ragged targets',
        run: () => maskedBinaryCrossEntropyWithLogits(logits(), [[1, 0, 1], [0]]),
        message: `${LOSS}: targets must be a Tensor or nested arrays of numbers: ragged nested array: targets[1] has length 1 but its siblings have length 3`,
      },
      {
        entry: LOSS,
        input: 'an observed target outside [0, 1]',
        run: () =>
          maskedBinaryCrossEntropyWithLogits(logits(), [
            [0, 1, 2],
            [0, 0, 0],
          ]),
        message: `${LOSS}: targets must lie in [0, 1]; found 2 at [0,2]`,
      },
      {
        entry: LOSS,
        input: 'a NaN target and no mask',
        run: () =>
          maskedBinaryCrossEntropyWithLogits(logits(), [
            [0, NaN, 1],
            [0, 0, 0],
          ]),
        message:
          `${LOSS}: targets is NaN at [0,1] and no mask was given; if NaN marks an unknown label, ` +
          'build the mask with maskFromTargets(targets) and pass both',
      },
      {
        entry: LOSS,
        input: 'a NaN target where the mask is 1',
        run: () =>
          maskedBinaryCrossEntropyWithLogits(
            logits(),
            [
              [0, NaN, 1],
              [0, 0, 0],
            ],
            [1, 1, 0],
          ),
        message: `${LOSS}: targets must lie in [0, 1] where the mask is 1 (observed); found NaN at [0,1]`,
      },
      {
        entry: LOSS,
        input: 'a mask that does not broadcast to the logits',
        run: () => maskedBinaryCrossEntropyWithLogits(logits(), targets(), [1, 0]),
        message: `${LOSS}: mask of shape [2] does not broadcast to the input's shape [2,3] (use the same shape, or [C] for one flag per class)`,
      },
      {
        entry: LOSS,
        input: 'a mask value other than 0 and 1',
        run: () => maskedBinaryCrossEntropyWithLogits(logits(), targets(), [1, 0.5, 1]),
        message: `${LOSS}: mask must hold only 0 (unknown) and 1 (observed), or booleans; found 0.5 at [1]`,
      },
      {
        entry: LOSS,
        input: 'posWeight of the wrong length',
        run: () =>
          maskedBinaryCrossEntropyWithLogits(logits(), targets(), undefined, { posWeight: [1, 2] }),
        message: `${LOSS}: posWeight must have shape [3] (one weight per class, the input's last axis), got [2]`,
      },
      {
        entry: LOSS,
        input: 'a negative or NaN posWeight',
        run: () =>
          maskedBinaryCrossEntropyWithLogits(logits(), targets(), undefined, {
            posWeight: [1, -2, 1],
          }),
        message: `${LOSS}: posWeight must hold finite numbers >= 0; found -2 at [1]`,
      },
      {
        entry: LOSS,
        input: "an unknown reduction `'avg'`",
        run: () =>
          maskedBinaryCrossEntropyWithLogits(logits(), targets(), undefined, {
            reduction: 'avg' as never,
          }),
        message: `${LOSS}: reduction must be 'mean', 'sum' or 'none', got "avg"`,
      },
      {
        entry: LOSS,
        input: 'a misspelt option `pos_weight`',
        run: () =>
          maskedBinaryCrossEntropyWithLogits(logits(), targets(), undefined, {
            pos_weight: [1, 1, 1],
          } as never),
        message: `${LOSS}: unknown option 'pos_weight' (allowed: reduction, posWeight)`,
      },
      {
        entry: `${LOSS}Composite`,
        input: 'logits that are not a Tensor (and every check above)',
        run: () => maskedBinaryCrossEntropyWithLogitsComposite(1 as never, [1]),
        message: `${LOSS}Composite: logits must be a Tensor, got 1`,
      },
      {
        entry: 'maskedBinaryCrossEntropy',
        input: 'an observed probability outside [0, 1]',
        run: () => maskedBinaryCrossEntropy(tensor([0.5, 1.5]), [1, 0], [1, 1]),
        message:
          'maskedBinaryCrossEntropy: probabilities must lie in [0, 1] where observed; found 1.5 at [1]',
      },
      {
        entry: 'maskFromTargets',
        input: "an unknown marker `{ unknown: '?' }`",
        run: () => maskFromTargets(tensor([1]), { unknown: '?' as never }),
        message: `maskFromTargets: unknown must be 'nan' or -1, got "?"`,
      },
      {
        entry: 'maskFromTargets',
        input: 'targets that are not numbers',
        run: () => maskFromTargets([[1, 'x']] as never),
        message:
          'maskFromTargets: targets must be a Tensor or nested arrays of numbers: targets[0][1] is "x" (string); expected a number',
      },
    ],
  },
  {
    title: 'Optimizers',
    rows: [
      {
        entry: 'SGD',
        input: 'no learning rate',
        run: () => new SGD([leaf()], {} as never),
        message: 'SGD: lr is required (e.g. { lr: 0.1 })',
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'a negative learning rate',
        run: () => new SGD([leaf()], { lr: -1 }),
        message: 'SGD: lr = -1 is out of range: must be a finite number >= 0',
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'a learning rate that is a string',
        run: () => new Adam([leaf()], { lr: '0.1' as never }),
        message: 'Adam: lr = "0.1" is out of range: must be a finite number >= 0',
      },
      {
        entry: 'optimizer.lr = value',
        input: 'a NaN learning rate set later (a schedule)',
        run: () => {
          new SGD([leaf()], { lr: 0.1 }).lr = NaN;
        },
        message: 'SGD: lr = NaN is out of range: must be a finite number >= 0',
      },
      {
        entry: 'SGD',
        input: 'momentum 1',
        run: () => new SGD([leaf()], { lr: 0.1, momentum: 1 }),
        message: 'SGD: momentum = 1 is out of range: must be a number in [0, 1)',
      },
      {
        entry: 'SGD',
        input: 'nesterov without momentum',
        run: () => new SGD([leaf()], { lr: 0.1, nesterov: true }),
        message: 'SGD: nesterov = true requires momentum in (0, 1), got momentum = 0',
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'a negative weight decay',
        run: () => new AdamW([leaf()], { weightDecay: -0.1 }),
        message: 'AdamW: weightDecay = -0.1 is out of range: must be a finite number >= 0',
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'a misspelt option `weight_decay`',
        run: () => new SGD([leaf()], { lr: 0.1, weight_decay: 0.01 } as never),
        message:
          "SGD: unknown option 'weight_decay' (allowed: lr, momentum, nesterov, weightDecay)",
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'options that are not an object',
        run: () => new Adam([leaf()], null as never),
        message: 'Adam: options must be an object, got null',
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'an empty list of parameters',
        run: () => new SGD([], { lr: 0.1 }),
        message: 'SGD: got an empty list of parameters',
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'parameters that are not a list',
        run: () => new SGD(leaf() as never, { lr: 0.1 }),
        message:
          'SGD: params must be an array of tensors (e.g. model.parameters()), got a Tensor of shape [2]',
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'a parameter that is not a leaf',
        run: () => new SGD([leaf().mul(2)], { lr: 0.1 }),
        message:
          "SGD: parameter 0 is not a leaf tensor (it was computed by 'mul'); an optimizer can only update leaves",
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'a parameter that does not require a gradient',
        run: () => new SGD([tensor([1, 2])], { lr: 0.1 }),
        message:
          'SGD: parameter 0 (shape [2]) does not require a gradient, so it would never be updated; make it with { requiresGrad: true } or leave it out',
      },
      {
        entry: 'SGD, Adam, AdamW',
        input: 'the same parameter twice',
        run: () => {
          const p = leaf();
          return new SGD([p, p], { lr: 0.1 });
        },
        message: 'SGD: parameter 1 appears more than once in params',
      },
      {
        entry: 'Adam, AdamW',
        input: 'betas that are not a pair',
        run: () => new Adam([leaf()], { betas: [0.9] as never }),
        message: 'Adam: betas must be a pair [beta1, beta2], got [0.9]',
      },
      {
        entry: 'Adam, AdamW',
        input: 'beta1 = 1',
        run: () => new Adam([leaf()], { betas: [1, 0.999] }),
        message: 'Adam: betas[0] = 1 is out of range: must be a number in [0, 1)',
      },
      {
        entry: 'Adam, AdamW',
        input: 'eps = 0',
        run: () => new Adam([leaf()], { eps: 0 }),
        message: 'Adam: eps = 0 is out of range: must be a finite number > 0',
      },
      {
        entry: 'Adam',
        input: "`decoupled: 'yes'`",
        run: () => new Adam([leaf()], { decoupled: 'yes' as never }),
        message: 'Adam: decoupled must be true or false, got "yes"',
      },
      {
        entry: 'AdamW',
        input: '`decoupled: false` (AdamW is always decoupled)',
        run: () => new AdamW([leaf()], { decoupled: false } as never),
        message: "AdamW: unknown option 'decoupled' (allowed: lr, betas, eps, weightDecay)",
      },
      {
        entry: 'optimizer.step',
        input: 'a gradient of the wrong size',
        run: () => {
          const p = leaf();
          p.grad = tensor([1, 2, 3]);
          new SGD([p], { lr: 0.1 }).step();
        },
        message: 'SGD: parameter 0 has 2 values but its gradient has 3',
      },
    ],
  },
  {
    title: 'Layers, models and state dicts',
    rows: [
      {
        entry: 'Linear',
        input: 'a size that is not a positive integer',
        run: () => new Linear(0, 4, { seed: 1 }),
        message: 'Linear: inFeatures must be a positive integer, got 0',
      },
      {
        entry: 'Linear, MLP',
        input: 'no seed and no generator',
        run: () => new Linear(3, 4, {} as never),
        message:
          'Linear: pass { seed } or { rng }: maskgrad never draws random numbers without a seed',
      },
      {
        entry: 'MLP',
        input: 'a BigInt size `[1n, 2]`',
        run: () => new MLP([1n, 2] as never, { seed: 1 }),
        message: 'MLP: every size must be a positive integer, got [1n,2]',
      },
      {
        entry: 'MLP',
        input: 'a NaN size',
        run: () => new MLP([NaN, 2], { seed: 1 }),
        message: 'MLP: every size must be a positive integer, got [NaN,2]',
      },
      {
        entry: 'Linear, MLP',
        input: 'both a seed and a generator',
        run: () => new MLP([3, 2], { seed: 1, rng: new Random(1) } as never),
        message: 'MLP: pass { seed } or { rng }, not both',
      },
      {
        entry: 'MLP',
        input: 'fewer than two sizes',
        run: () => new MLP([3], { seed: 1 }),
        message:
          'MLP: sizes must list at least the input and output sizes, e.g. [4, 16, 3], got [3]',
      },
      {
        entry: 'MLP',
        input: 'a size that is not a positive integer',
        run: () => new MLP([3, 0, 2], { seed: 1 }),
        message: 'MLP: every size must be a positive integer, got [3,0,2]',
      },
      {
        entry: 'Linear',
        input: 'a misspelt option `sed`',
        run: () => new Linear(3, 4, { sed: 1 } as never),
        message: "Linear: unknown option 'sed' (allowed: seed, rng)",
      },
      {
        entry: 'MLP',
        input: 'a misspelt option `activaton`',
        run: () => new MLP([3, 2], { seed: 1, activaton: 'tanh' } as never),
        message: "MLP: unknown option 'activaton' (allowed: activation, seed, rng)",
      },
      {
        entry: 'MLP',
        input: 'an unknown activation',
        run: () => new MLP([3, 2], { activation: 'gelu' as never, seed: 1 }),
        message: 'MLP: unknown activation "gelu" (allowed: relu, tanh, sigmoid)',
      },
      {
        entry: 'loadStateDict',
        input: 'a missing parameter (the model is unchanged, as in every row below)',
        run: () => loadInto(editedState((s) => delete s['layers.1.bias'])),
        message:
          'loadStateDict: cannot load the state into MLP (the model is unchanged):\n' +
          "  missing parameter 'layers.1.bias' (shape [2])",
      },
      {
        entry: 'loadStateDict',
        input: 'an unexpected parameter',
        run: () => loadInto(editedState((s) => (s.extra = { shape: [1], data: [0] }))),
        message:
          'loadStateDict: cannot load the state into MLP (the model is unchanged):\n' +
          "  unexpected parameter 'extra' (the model has no such parameter)",
      },
      {
        entry: 'loadStateDict',
        input: 'a parameter of another shape',
        run: () => loadInto(editedState((s) => (s['layers.0.weight'].shape = [3, 4]))),
        message:
          'loadStateDict: cannot load the state into MLP (the model is unchanged):\n' +
          "  parameter 'layers.0.weight': shape [3,4] in the state but [4,3] in the model",
      },
      {
        entry: 'loadStateDict',
        input: 'a shape that is not integers',
        run: () => loadInto(editedState((s) => (s['layers.0.weight'].shape = ['4', 3]))),
        message:
          'loadStateDict: cannot load the state into MLP (the model is unchanged):\n' +
          `  parameter 'layers.0.weight': its shape ["4",3] is not an array of non-negative integers (the model has [4,3])`,
      },
      {
        entry: 'loadStateDict',
        input: 'the wrong number of values',
        run: () => loadInto(editedState((s) => s['layers.1.bias'].data.pop())),
        message:
          'loadStateDict: cannot load the state into MLP (the model is unchanged):\n' +
          "  parameter 'layers.1.bias': data has 1 values but shape [2] needs 2",
      },
      {
        entry: 'loadStateDict',
        input: 'a value that is a string',
        run: () => loadInto(editedState((s) => (s['layers.0.bias'].data[2] = '0.5'))),
        message:
          'loadStateDict: cannot load the state into MLP (the model is unchanged):\n' +
          `  parameter 'layers.0.bias': data[2] is "0.5", not a finite number`,
      },
      {
        entry: 'loadStateDict',
        input: 'a value that is null (JSON for NaN) or Infinity',
        run: () => loadInto(editedState((s) => (s['layers.0.bias'].data[1] = null))),
        message:
          'loadStateDict: cannot load the state into MLP (the model is unchanged):\n' +
          "  parameter 'layers.0.bias': data[1] is null, not a finite number",
      },
      {
        entry: 'loadStateDict',
        input: 'a state that is not an object',
        run: () => loadInto([]),
        message:
          'loadStateDict: cannot load the state into MLP (the model is unchanged):\n' +
          '  the state must be an object of { shape, data } by parameter name, got an array',
      },
      {
        entry: 'saveModule',
        input: 'a non-finite weight (JSON cannot hold it)',
        run: () => {
          const m = model();
          m.outputLayer.bias.data[1] = NaN;
          saveModule(m, file('nan.json'));
        },
        message: `saveModule: cannot save ${file('nan.json')}: parameter 'layers.1.bias' has the non-finite value NaN at index 1`,
      },
      {
        entry: 'saveModule, loadModule',
        input: 'a path that is not a string',
        run: () => loadModule(model(), 1 as never),
        message: 'loadModule: expected a file path (a non-empty string), got 1',
      },
      {
        entry: 'loadModule',
        input: 'a missing file',
        run: () => loadModule(model(), file('missing.json')),
        message: `loadModule: cannot read ${file('missing.json')}: ENOENT: no such file or directory, open '${file('missing.json')}'`,
      },
      {
        entry: 'loadModule',
        input: 'a truncated file (the model is unchanged)',
        run: () => loadEditedFile('truncated.json', (text) => text.slice(0, 40)),
        // The last part is JSON.parse's own message, which differs between Node versions.
        message: () =>
          `loadModule: ${file('truncated.json')} is not valid JSON (is it truncated or edited?): ` +
          jsonError(() => JSON.parse(fs.readFileSync(file('truncated.json'), 'utf8'))),
        shown: `loadModule: ${file('truncated.json')} is not valid JSON (is it truncated or edited?): <JSON.parse's message>`,
      },
      {
        entry: 'loadModule',
        input: 'an edited file: a value changed to a string (the model is unchanged)',
        run: () =>
          loadEditedFile('edited.json', (text) =>
            text.replace(
              /"layers\.1\.bias":\{"shape":\[2\],"data":\[[^,\]]+/,
              '"layers.1.bias":{"shape":[2],"data":["oops"',
            ),
          ),
        message:
          `loadModule: ${file('edited.json')}: loadStateDict: cannot load the state into MLP (the model is unchanged):\n` +
          `  parameter 'layers.1.bias': data[0] is "oops", not a finite number`,
      },
    ],
  },
  {
    title: 'Data: ARFF files',
    rows: [
      {
        entry: 'parseArff, readArff',
        input: 'a row with a value missing',
        run: () => parseArff(ARFF_HEAD + '1,2,1\n3,4\n'),
        message: 'parseArff: line 7: expected 3 values, found 2',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a value that is not a number',
        run: () => parseArff(ARFF_HEAD + '1,abc,1\n'),
        message:
          'parseArff: line 6: value 2 ("abc") of attribute "b" is not a number; expected a number or ?',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a number too large for a float64 `1e999`',
        run: () => parseArff(ARFF_HEAD + '1e999,2,1\n'),
        message:
          'parseArff: line 6: value 1 ("1e999") of attribute "a" is too large for a float64; expected a finite number or ?',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a nominal value outside its set',
        run: () => parseArff(ARFF_HEAD + '1,2,2\n'),
        message: 'parseArff: line 6: value 3 ("2") of attribute "L" is not one of {0,1}',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a label other than 0, 1 or ? (with `{ labels }`)',
        run: () =>
          parseArff('@relation r\n@attribute a numeric\n@attribute L numeric\n@data\n1,0.5\n', {
            labels: 1,
          }),
        message: 'parseArff: line 5: label "L" has value 0.5; expected 0, 1 or ? (unknown)',
      },
      {
        entry: 'parseArff, readArff',
        input: 'an attribute type it does not read',
        run: () => parseArff('@relation r\n@attribute name date\n@data\n'),
        message:
          'parseArff: line 2: unknown type "date" for attribute "name"; expected numeric, real, integer, string or a nominal set such as {0,1}',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a sparse index out of range',
        run: () => parseArff(ARFF_HEAD + '{0 1, 3 1}\n'),
        message:
          'parseArff: line 6: sparse index 3 is out of range; expected an integer from 0 to 2',
      },
      {
        entry: 'parseArff, readArff, datasetFromArff',
        input:
          'a label declared with words `{true,false}` (stored by position, it could flip 0 and 1)',
        run: () =>
          parseArff(
            '@relation r\n@attribute a numeric\n@attribute lab {true,false}\n@data\n1,true\n',
            {
              labels: 1,
            },
          ),
        message:
          'parseArff: label "lab" is declared {true,false}; expected a numeric attribute or a nominal set of numbers such as {0,1}',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a sparse index given twice',
        run: () => parseArff(ARFF_HEAD + '{1 1, 1 2}\n'),
        message: 'parseArff: line 6: sparse index 1 appears twice; expected each at most once',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a sparse row without its closing brace',
        run: () => parseArff(ARFF_HEAD + '{0 1, 2 1\n'),
        message:
          'parseArff: line 6: sparse row has no closing }; expected {index value, index value, ...}',
      },
      {
        entry: 'parseArff, readArff',
        input: 'an unterminated quote',
        run: () => parseArff("@relation r\n@attribute 'a numeric\n@data\n"),
        message:
          "parseArff: line 2: unterminated quoted attribute name 'a numeric; expected a closing '",
      },
      {
        entry: 'parseArff, readArff',
        input: 'no @data section',
        run: () => parseArff('@relation r\n@attribute a numeric\n'),
        message: 'parseArff: no @data section; expected a line "@data" after the @attribute lines',
      },
      {
        entry: 'parseArff, readArff',
        input: 'an attribute declared twice',
        run: () => parseArff('@relation r\n@attribute a numeric\n@attribute a numeric\n@data\n'),
        message: 'parseArff: line 3: attribute "a" is declared twice; expected unique names',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a misspelt declaration',
        run: () => parseArff('@relation r\n@attrib a numeric\n@data\n'),
        message:
          'parseArff: line 2: unknown declaration "@attrib"; expected @relation, @attribute or @data',
      },
      {
        entry: 'parseArff, readArff',
        input: 'data before @data',
        run: () => parseArff('@relation r\n@attribute a numeric\n1\n'),
        message:
          'parseArff: line 3: expected @relation, @attribute or @data before the data, found "1"',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a declaration after @data',
        run: () => parseArff(ARFF_HEAD + '1,2,1\n@attribute c numeric\n'),
        message:
          'parseArff: line 7: unexpected "@attribute c numeric" after @data; expected a data row',
      },
      {
        entry: 'parseArff, readArff',
        input: 'more labels than attributes',
        run: () => parseArff(ARFF_HEAD, { labels: 5 }),
        message:
          'parseArff: labels is 5 but the file declares only 3 attributes; expected at most 3',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a misspelt option `label`',
        run: () => parseArff(ARFF_HEAD, { label: 1 } as never),
        message: "parseArff: unknown option 'label' (allowed: labels)",
      },
      {
        entry: 'readArff',
        input: 'a missing file',
        run: () => readArff(file('missing.arff')),
        message: `readArff: cannot read ${file('missing.arff')}: ENOENT: no such file or directory, open '${file('missing.arff')}'`,
      },
      {
        entry: 'readArff',
        input: 'a malformed file (the message also names the file)',
        run: () => readArff(file('bad.arff', ARFF_HEAD + '1,2\n')),
        message: `parseArff: line 6: expected 3 values, found 2 (in ${file('bad.arff')})`,
      },
      {
        entry: 'datasetFromArff',
        input: 'an unknown (?) feature',
        run: () => datasetFromArff(parseArff(ARFF_HEAD + '1,?,1\n'), 1),
        message:
          'datasetFromArff: line 6: feature "b" is unknown (?); expected a number (features cannot be missing)',
      },
      {
        entry: 'datasetFromArff',
        input: 'a label column that holds other values',
        run: () => datasetFromArff(parseArff(ARFF_HEAD + '1,2,1\n'), 2),
        message: 'datasetFromArff: line 6: label "b" has value 2; expected 0, 1 or ? (unknown)',
      },
      {
        entry: 'datasetFromArff',
        input: 'no label count',
        run: () => datasetFromArff(parseArff(ARFF_HEAD)),
        message: 'datasetFromArff: pass the number of labels (the last attributes) or their names',
      },
      {
        entry: 'datasetFromArff, parseCsv',
        input: 'a label name that is not a column',
        run: () => datasetFromArff(parseArff(ARFF_HEAD), ['M']),
        message:
          'datasetFromArff: label column "M" not found; the nearest of the 3 columns: "a", "b", "L"',
      },
    ],
  },
  {
    title: 'Data: CSV files',
    rows: [
      {
        entry: 'parseCsv, readCsv',
        input: 'a row with a field missing',
        run: () => parseCsv('a,b,L\n1,2,1\n3,0\n', { labels: 1 }),
        message: 'parseCsv: line 3: expected 3 fields, found 2',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'a feature that is not a number',
        run: () => parseCsv('a,L\n1,1\nx,0\n', { labels: 1 }),
        message: 'parseCsv: line 3: feature "a" is "x"; expected a number',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'an empty feature',
        run: () => parseCsv('a,L\n,0\n', { labels: 1 }),
        message: 'parseCsv: line 2: feature "a" is ""; expected a number',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'a feature too large for a float64',
        run: () => parseCsv('a,L\n1e999,0\n', { labels: 1 }),
        message: 'parseCsv: line 2: feature "a" is "1e999"; too large for a float64',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'a label other than 0, 1 or unknown',
        run: () => parseCsv('a,L\n1,2\n', { labels: 1 }),
        message:
          'parseCsv: line 2: label "L" is "2"; expected 0, 1, or empty, ?, NaN or -1 for unknown',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'an unterminated quoted field',
        run: () => parseCsv('a,L\n"1,1\n', { labels: 1 }),
        message: 'parseCsv: line 2: unterminated quoted field; expected a closing "',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'text after a closing quote',
        run: () => parseCsv('a,L\n"1"x,1\n', { labels: 1 }),
        message: 'parseCsv: line 2: text after a closing quote; expected a comma',
      },
      {
        entry: 'parseCsv, readCsv',
        input: "a delimiter other than ',', tab and ';'",
        run: () => parseCsv('a|L\n1|1\n', { labels: 1, delimiter: '|' as ',' }),
        message: 'parseCsv: delimiter is "|"; expected ",", "\\t", ";" or "detect"',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'a column name used twice',
        run: () => parseCsv('a,a\n1,1\n', { labels: 1 }),
        message: 'parseCsv: line 1: column name "a" appears twice; expected unique names',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'a column without a name',
        run: () => parseCsv('a,,L\n1,2,1\n', { labels: 1 }),
        message:
          'parseCsv: line 1: column 2 of the header has no name; expected a name for every column ' +
          '(an index column written by pandas? save with index=False)',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'empty text',
        run: () => parseCsv('\n\n', { labels: 1 }),
        message: 'parseCsv: the text is empty; expected a header row',
      },
      {
        entry: 'parseCsv, readCsv, loadDataset',
        input: 'no labels option',
        run: () => parseCsv('a,L\n1,1\n', {} as never),
        message:
          'parseCsv: pass { labels }: a count (the last N columns), a list of column names or a range { first, last }',
      },
      {
        entry: 'parseCsv, readCsv, datasetFromArff',
        input: 'more labels than columns',
        run: () => parseCsv('a,L\n1,1\n', { labels: 3 }),
        message: 'parseCsv: labels is 3 but there are only 2 columns; expected at most 2',
      },
      {
        entry: 'parseCsv, readCsv, datasetFromArff',
        input: 'a label count of 0',
        run: () => parseCsv('a,L\n1,1\n', { labels: 0 }),
        message:
          'parseCsv: labels must be a positive integer (the last N columns), a non-empty list of column names or a range { first, last }, got 0',
      },
      {
        entry: 'readCsv',
        input: 'a missing file',
        run: () => readCsv(file('missing.csv'), { labels: 1 }),
        message: `readCsv: cannot read ${file('missing.csv')}: ENOENT: no such file or directory, open '${file('missing.csv')}'`,
      },
      {
        entry: 'loadDataset',
        input: 'a file that is neither .arff nor delimited text (.csv, .tsv, .txt)',
        run: () => loadDataset(file('data.json'), { labels: 1 }),
        message: `loadDataset: cannot tell the format of "${file('data.json')}"; expected a .arff, .csv, .tsv or .txt file`,
      },
    ],
  },
  {
    title: 'Data sets, batches and metrics',
    rows: [
      {
        entry: 'batches',
        input: 'a batch size of 0',
        run: () => batches(dataset(), 0),
        message: 'batches: batchSize must be a positive integer, got 0',
      },
      {
        entry: 'batches',
        input: 'shuffle without a seed',
        run: () => batches(dataset(), 2, { shuffle: true }),
        message:
          'batches: shuffle needs { seed } or { rng }: maskgrad never draws random numbers without a seed',
      },
      {
        entry: 'batches',
        input: 'both a seed and a generator',
        run: () => batches(dataset(), 2, { seed: 1, rng: new Random(1) }),
        message: 'batches: pass { seed } or { rng }, not both',
      },
      {
        entry: 'batches',
        input: 'a misspelt option `sede`',
        run: () => batches(dataset(), 2, { sede: 7 } as never),
        message: "batches: unknown option 'sede' (allowed: shuffle, seed, rng)",
      },
      {
        entry: 'batches, takeRows, standardize, hideLabels, splitRows',
        input: 'something that is not a data set',
        run: () => batches({ x: zeros([2, 2]) } as never, 1),
        message: 'batches: expected a data set { x, y, mask, featureNames, labelNames } of Tensors',
      },
      {
        entry: 'hideLabels, splitRows',
        input: 'a rate outside [0, 1]',
        run: () => hideLabels(dataset(), 1.5, { seed: 1 }),
        message: 'hideLabels: rate must be a number from 0 to 1, got 1.5',
      },
      {
        entry: 'hideLabels, splitRows',
        input: 'no seed',
        run: () => splitRows(dataset(), 0.5, { seed: undefined as never }),
        message:
          'splitRows: pass { seed } or { rng }: maskgrad never draws random numbers without a seed',
      },
      {
        entry: 'hideLabels, splitRows',
        input: 'a NaN seed',
        run: () => hideLabels(dataset(), 0.5, { seed: NaN }),
        message: 'hideLabels: seed must be a finite number or a string, got NaN',
      },
      {
        entry: 'standardize',
        input: 'a training set with a NaN feature',
        run: () => {
          const d = dataset();
          d.x.data[1] = NaN;
          return standardize(d);
        },
        message: 'standardize: feature 1 ("b") of training row 0 is NaN; expected a finite number',
      },
      {
        entry: 'standardize',
        input: 'data sets with different features',
        run: () => standardize(dataset(), parseCsv('a,L1,L2\n1,1,0\n', { labels: 2 })),
        message:
          'standardize: data set 1 after train has 1 features but train has 2; expected the same features',
      },
      {
        entry: 'takeRows',
        input: 'a row index out of range',
        run: () => takeRows(dataset(), [0, 2]),
        message: 'takeRows: index 2 (at position 1) is not a row; expected an integer from 0 to 1',
      },
      {
        entry:
          'averagePrecision, meanAveragePrecision, labelRankingAveragePrecision, f1, hammingLoss',
        input: 'scores and targets of different shapes',
        run: () => averagePrecision(zeros([2, 2]), zeros([1, 3])),
        message: 'averagePrecision: scores [2,2] and targets [1,3] must have the same shape [N,C]',
      },
      {
        entry: 'every metric',
        input: 'scores that are not [N, C]',
        run: () => meanAveragePrecision(tensor([0.1, 0.2]), tensor([0, 1])),
        message: 'meanAveragePrecision: scores must have shape [N,C], got [2]',
      },
      {
        entry: 'every metric',
        input: 'an observed target other than 0 or 1',
        run: () => labelRankingAveragePrecision(tensor([[0.1, 0.2]]), tensor([[0, 0.5]])),
        message:
          'labelRankingAveragePrecision: targets[0,1] is 0.5; expected 0 or 1 (mask out unknown entries)',
      },
      {
        entry: 'every metric',
        input: 'a NaN score where observed',
        run: () => hammingLoss(tensor([[0.1, NaN]]), tensor([[0, 1]])),
        message: 'hammingLoss: scores[0,1] is NaN; expected a number',
      },
      {
        entry: 'every metric',
        input: 'a mask value other than 0 and 1',
        run: () =>
          f1(tensor([[0.1, 0.2]]), tensor([[0, 1]]), {
            average: 'micro',
            mask: tensor([[1, 0.5]]),
          }),
        message: 'f1: mask[0,1] is 0.5; expected 0 (ignore) or 1 (observed)',
      },
      {
        entry: 'f1',
        input: 'no `average`',
        run: () => f1(zeros([1, 1]), zeros([1, 1]), {} as never),
        message: "f1: options.average must be 'micro' or 'macro', got undefined",
      },
      {
        entry: 'f1, hammingLoss',
        input: 'a misspelt option `treshold`',
        run: () => hammingLoss(zeros([1, 1]), zeros([1, 1]), { treshold: 0.9 } as never),
        message: "hammingLoss: unknown option 'treshold' (allowed: threshold, mask)",
      },
      {
        entry: 'f1, hammingLoss',
        input: 'a NaN threshold',
        run: () => f1(zeros([1, 1]), zeros([1, 1]), { average: 'macro', threshold: NaN }),
        message: 'f1: threshold must be a number, got NaN',
      },
      {
        entry: 'confusionCounts',
        input: 'thresholds that are not one number per class',
        run: () => confusionCounts(zeros([1, 2]), zeros([1, 2]), { thresholds: [0.5] }),
        message:
          'confusionCounts: thresholds must be a number or an array of 2 numbers (one per class), got [0.5]',
      },
    ],
  },
  // Hardening, round two (issue 13): readers, data functions and saving. Kept in their own
  // groups so that other additions merge cleanly.
  {
    title: 'Data: hardened readers (line endings, empty files, huge cells)',
    rows: [
      {
        entry: 'parseArff, readArff',
        input: 'a line that is only `@`',
        run: () => parseArff('@relation r\n@\n@data\n'),
        message:
          'parseArff: line 2: "@" has no keyword after @; expected @relation, @attribute or @data',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a space between @ and its keyword `@ relation r`',
        run: () => parseArff('@ relation r\n@attribute a numeric\n@data\n1\n'),
        message:
          'parseArff: line 1: "@ relation r" has no keyword after @; expected @relation, @attribute or @data',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a stray CR inside a header line (a CR ends a line, as in old Mac files)',
        run: () => parseArff('@relation r\n@attribute a\r numeric\n@data\n1\n'),
        message:
          'parseArff: line 2: unknown type "" for attribute "a"; expected numeric, real, integer, string or a nominal set such as {0,1}',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a file cut inside its header',
        run: () => parseArff('@relation r\n@attribute a numeric\n@da'),
        message:
          'parseArff: line 3: unknown declaration "@da"; expected @relation, @attribute or @data',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a cell of 160,000 digits and a letter (the message shows 40 of them)',
        run: () => parseArff(`${ARFF_HEAD}${'7'.repeat(160_000)}x,1,0\n`),
        message: `parseArff: line 6: value 1 ("${'7'.repeat(40)}..." (160001 characters)) of attribute "a" is not a number; expected a number or ?`,
      },
      {
        entry: 'parseArff, readArff',
        input: 'a nominal set of numbers too large for a float64 `{0,1e999}`',
        run: () => parseArff('@relation r\n@attribute a {0,1e999}\n@data\n0\n'),
        message:
          'parseArff: line 2: nominal type of attribute "a" lists "1e999", too large for a float64; expected finite numbers',
      },
      {
        entry: 'parseArff, readArff',
        input: 'a label count that is a BigInt `{ labels: 1n }`',
        run: () => parseArff(ARFF_HEAD, { labels: 1n as never }),
        message: 'parseArff: labels must be a positive integer, got 1n',
      },
      {
        entry: 'datasetFromArff, loadDataset',
        input: 'a file whose @data section is empty',
        run: () => datasetFromArff(parseArff(ARFF_HEAD), 1),
        message:
          'datasetFromArff: the file has no data rows (its @data section is empty); expected at least one row',
      },
      {
        entry: 'parseCsv, readCsv, loadDataset',
        input: 'a header and no data rows',
        run: () => parseCsv('a,b,L\n\n', { labels: 1 }),
        message:
          'parseCsv: the text has a header (line 1) but no data rows; expected at least one row after it',
      },
      {
        entry: 'parseCsv, readCsv, loadDataset',
        input: 'a text cut inside its header `a,b,L`',
        run: () => parseCsv('a,b,L', { labels: 1 }),
        message:
          'parseCsv: the text has a header (line 1) but no data rows; expected at least one row after it',
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'a cell of 160,000 digits and a letter (the message shows 40 of them)',
        run: () => parseCsv(`a,L\n1,1\n${'7'.repeat(160_000)}x,1\n`, { labels: 1 }),
        message: `parseCsv: line 3: feature "a" is "${'7'.repeat(40)}..." (160001 characters); expected a number`,
      },
      {
        entry: 'parseCsv, readCsv',
        input: 'old-Mac CR line endings, with a bad label on the third line',
        run: () => parseCsv('a,L\r1,1\r2,x\r', { labels: 1 }),
        message:
          'parseCsv: line 3: label "L" is "x"; expected 0, 1, or empty, ?, NaN or -1 for unknown',
      },
    ],
  },
  {
    title: 'Data: hardened data functions',
    rows: [
      {
        entry: 'datasetFromArff',
        input: 'an empty object `{}` instead of a parsed file',
        run: () => datasetFromArff({} as never, 1),
        message:
          'datasetFromArff: expected a parsed ARFF file (what parseArff returns); its rows and columns must be non-negative integers, got undefined and undefined',
      },
      {
        entry: 'datasetFromArff',
        input: 'null instead of a parsed file',
        run: () => datasetFromArff(null as never),
        message: 'datasetFromArff: expected a parsed ARFF file (what parseArff returns), got null',
      },
      {
        entry: 'takeRows',
        input: 'null instead of the row indices',
        run: () => takeRows(dataset(), null as never),
        message: 'takeRows: indices must be an array (or typed array) of row numbers, got null',
      },
      {
        entry: 'takeRows',
        input: 'a BigInt row index `[1n]`',
        run: () => takeRows(dataset(), [1n] as never),
        message: 'takeRows: index 1n (at position 0) is not a row; expected an integer from 0 to 1',
      },
      {
        entry: 'takeRows',
        input: 'a NaN row index',
        run: () => takeRows(dataset(), [NaN]),
        message:
          'takeRows: index NaN (at position 0) is not a row; expected an integer from 0 to 1',
      },
      {
        entry: 'standardize, takeRows, splitRows, hideLabels, batches',
        input: 'a data set without featureNames',
        run: () => standardize({ ...dataset(), featureNames: undefined as never }),
        message:
          'standardize: expected featureNames to be an array of 2 names (one per column of x), got undefined',
      },
      {
        entry: 'parseCsv, datasetFromArff',
        input: 'a label name that is not a string `[Symbol()]`',
        run: () => parseCsv('a,L\n1,1\n', { labels: [Symbol('L')] as never }),
        message: 'parseCsv: label column a symbol not found',
      },
    ],
  },
  {
    title: 'Saving and loading models',
    rows: [
      {
        entry: 'Module.loadStateDict, loadModule',
        input: 'a shape of 100,000 sizes (the message shows 8)',
        run: () =>
          loadInto(
            editedState((state) => (state['layers.0.bias'].shape = new Array(100_000).fill(2))),
          ),
        message:
          "loadStateDict: cannot load the state into MLP (the model is unchanged):\n  parameter 'layers.0.bias': shape [2,2,2,2,2,2,2,2,...] (100000 sizes) in the state but [4] in the model",
      },
      {
        entry: 'saveModule',
        input: 'a file in a folder that does not exist',
        run: () => saveModule(model(), file('missing/model.json')),
        message: `saveModule: cannot write ${file('missing/model.json')}: the folder ${file('missing')} does not exist`,
      },
      {
        entry: 'saveModule',
        input: 'a folder instead of a file name',
        run: () => saveModule(model(), dir),
        message: `saveModule: cannot write ${dir}: it is a folder; expected a file name`,
      },
    ],
  },
  {
    // Issue 21, classes 1 and 8: model files with extreme numbers, duplicate keys or a bad
    // date, and predictions that would be NaN or infinite.
    title: 'Model files and predictions: extreme numbers, duplicate keys, dates',
    rows: [
      {
        entry: 'parseModelFile',
        input: 'a key twice in `features` (JSON.parse would keep the last)',
        run: () =>
          parseModelFile(
            modelFileText().replace('"mean": [0,0]', '"mean": [5,5],\n    "mean": [0,0]'),
          ),
        message:
          'readModelFile: features has the key "mean" twice; a model file holds each key once (JSON.parse would keep the last silently)',
      },
      {
        entry: 'parseModelFile',
        input:
          'a key twice at the top level, the second spelled with an escape (`"v\\u0065rsion"`)',
        run: () =>
          parseModelFile(
            modelFileText().replace('"version": 1', '"version": 1, "v\\u0065rsion": 1'),
          ),
        message:
          'readModelFile: the model file has the key "version" twice; a model file holds each key once (JSON.parse would keep the last silently)',
      },
      {
        entry: 'parseModelFile',
        input: 'a key twice inside a weight entry',
        run: () =>
          parseModelFile(
            modelFileText().replace('"shape": [2,2]', '"shape": [2,2], "shape": [2,2]'),
          ),
        message:
          'readModelFile: weights["layers.0.weight"] has the key "shape" twice; a model file holds each key once (JSON.parse would keep the last silently)',
      },
      {
        entry: 'parseModelFile',
        input: '`features.std[0]` = 5e-324 (subnormal: `(x - mean) / std` overflows)',
        run: () => parseModelFile(modelFileText().replace('"std": [1,1]', '"std": [5e-324,1]')),
        message:
          'readModelFile: features.std[0] is 5e-324; expected a normal number > 0 (at least 2.2250738585072014e-308; 1 for a constant feature)',
      },
      {
        entry: 'parseModelFile',
        input: 'weights of ±1e308 (a layer overflows for inputs within one std of the mean)',
        run: () =>
          parseModelFile(
            modelFileText().replace('"data": [1,2,3,4]', '"data": [1,2,1e308,-1e308]'),
          ),
        message:
          'readModelFile: weights["layers.0.weight"] row 1 overflows: with inputs within one standard deviation of the training mean its output can reach Infinity (sum of |weight| x 1 + |bias|), so predictions would be NaN or infinite',
      },
      {
        entry: 'parseModelFile',
        input: '`training.date` = "not a date"',
        run: () =>
          parseModelFile(modelFileText().replace('"2026-12-08T01:00:00.000Z"', '"not a date"')),
        message:
          'readModelFile: training.date is "not a date"; expected a date as an ISO 8601 string, e.g. "2026-12-08T01:00:00.000Z"',
      },
      {
        entry: 'parseModelFile',
        input: '`training.date` = "2026-02-30T10:00:00Z" (no such day)',
        run: () =>
          parseModelFile(
            modelFileText().replace('"2026-12-08T01:00:00.000Z"', '"2026-02-30T10:00:00Z"'),
          ),
        message:
          'readModelFile: training.date is "2026-02-30T10:00:00Z"; expected a date as an ISO 8601 string, e.g. "2026-12-08T01:00:00.000Z"',
      },
      {
        entry: 'readModelFile',
        input: 'a key twice, in a file (the file is named once)',
        run: () =>
          readModelFile(
            file('twice.model.json', modelFileText().replace('"hide": 0', '"hide": 0, "hide": 1')),
          ),
        message: () =>
          `readModelFile: training has the key "hide" twice; a model file holds each key once (JSON.parse would keep the last silently) (in ${file('twice.model.json')})`,
        shown:
          'readModelFile: training has the key "hide" twice; a model file holds each key once (JSON.parse would keep the last silently) (in <dir>/twice.model.json)',
      },
      {
        entry: 'Predictor.predict',
        input:
          'a row far from the training mean whose probability would be NaN (rows counted from `firstRow + 1`)',
        run: () =>
          new Predictor(parseModelFile(modelFileText())).predict(
            Float64Array.from([1, 2, 1e308, -1e308]),
            2,
            { firstRow: 40 },
          ),
        message:
          'Predictor.predict: row 42 gives a probability of NaN for "q": the row\'s features overflow the model\'s numbers (a feature far from the training mean, or extreme weights); no probability or decision is made for it',
      },
      {
        entry: 'new Predictor',
        input: 'a model file object (not read from text) with `features.std[1]` = 1e-310',
        run: () => {
          const f = parseModelFile(modelFileText());
          f.features.std[1] = 1e-310;
          return new Predictor(f);
        },
        message:
          'Predictor: features.std[1] is 1e-310; expected a normal number > 0 (at least 2.2250738585072014e-308; 1 for a constant feature)',
      },
      {
        entry: 'Predictor.decide',
        input: 'a NaN probability (no decision is made from it)',
        run: () =>
          new Predictor(parseModelFile(modelFileText())).decide(
            Float64Array.from([0.5, 0.5, 0.1, NaN]),
          ),
        message:
          'Predictor.decide: row 2 gives a probability of NaN for "q": the row\'s features overflow the model\'s numbers (a feature far from the training mean, or extreme weights); no probability or decision is made for it',
      },
      {
        entry: 'Predictor.predict',
        input: '`firstRow` = -1',
        run: () =>
          new Predictor(parseModelFile(modelFileText())).predict(Float64Array.from([1, 2]), 1, {
            firstRow: -1,
          }),
        message: 'Predictor.predict: firstRow is -1; expected a whole number >= 0',
      },
    ],
  },
  {
    title: 'Training',
    rows: [
      {
        entry: 'fit',
        input: 'a misspelt option `epoch`',
        run: () => fitWith({ epoch: 2 }),
        message:
          "fit: unknown option 'epoch' (allowed: loss, optimizer, epochs, batchSize, shuffle, seed, rng, validation, hooks)",
      },
      {
        entry: 'fit',
        input: 'a fractional number of epochs',
        run: () => fitWith({ epochs: 2.5 }),
        message: 'fit: epochs must be a positive integer, got 2.5',
      },
      {
        entry: 'fit',
        input: "a loss given by name ('masked')",
        run: () => fitWith({ loss: 'masked' }),
        message:
          'fit: loss must be a function (logits, targets, mask, context) => Tensor, or an object { forward, afterStep?, afterEpoch? }, got "masked"',
      },
      {
        entry: 'fit',
        input: 'null data',
        run: () => fit(fitModel(), null as never, FIT(fitModel())),
        message: 'fit: data must be a data set { x, y, mask, featureNames, labelNames }, got null',
      },
      {
        entry: 'fit',
        input: 'null hooks',
        run: () => fitWith({ hooks: null }),
        message: 'fit: hooks must be an object { onBatch?, onEpoch? }, got null',
      },
      {
        entry: 'fit',
        input: 'a training set with no rows',
        run: () => fitWith({}, takeRows(dataset(), [])),
        message: 'fit: the training data has no rows; expected at least one',
      },
      {
        entry: 'fit',
        input: 'a NaN input feature',
        run: () => {
          const data = dataset();
          data.x.data[3] = NaN;
          return fitWith({}, data);
        },
        message:
          'fit: feature 1 ("b") of training row 1 is NaN; expected a finite number (this is bad input data, not a learning-rate problem: fix or drop the row)',
      },
      {
        entry: 'fit',
        input: 'a step on the last batch that leaves finite weights whose output overflows',
        run: () => {
          const m = fitModel();
          return fit(m, dataset(), {
            ...FIT(m),
            loss: (z: Tensor) => mul(sum(z), 1e300), // gradients of about 1e300
            optimizer: new SGD(m.parameters(), { lr: 2e7 }), // weights of about -1e308
          });
        },
        message:
          "fit: the model's output on the training rows became -Infinity after epoch 1 (last batch 1); stopped, and the model keeps the weights from before its last step (try a smaller learning rate)",
      },
      {
        entry: 'runExperiment',
        input: 'a misspelt option `weight_decay`',
        run: () => runExperiment(dataset(), dataset(), { ...EXPERIMENT, weight_decay: 0 } as never),
        message:
          "runExperiment: unknown option 'weight_decay' (allowed: strategy, regime, hide, epochs, val, patience, refit, batchSize, hidden, activation, optimizer, lr, weightDecay, seed, expectedPositives, deltaRel, labelSmoothing, unknownWeight, lrMultiplier, gammaPos, gammaNeg, clip, hillLambda, splcTau, emAlpha, emAplAlpha, emAplBeta, emAplNegProportion, emAplWarmupEpoch, emAplNumEpochs, grEpochs, grQ2, grQ3, pwA, pwB, pwEstimator, hooks, refitHooks)",
      },
      {
        entry: 'runExperiment',
        input: 'a misspelt strategy',
        run: () =>
          runExperiment(dataset(), dataset(), { ...EXPERIMENT, strategy: 'negativ' as never }),
        message:
          "runExperiment: strategy must be one of 'full', 'masked', 'negative', 'an-ls', 'wan', 'epr', 'role', 'll-r', 'll-ct', 'll-cp', 'partial-bce', 'asl', 'hill', 'splc', 'em', 'em-apl', 'gr', 'pw', got \"negativ\"",
      },
      {
        entry: 'runExperiment',
        input:
          'a method option out of its range (checked even where the strategy does not read it)',
        run: () => runExperiment(dataset(), dataset(), { ...EXPERIMENT, clip: 1.5 }),
        message: 'runExperiment: clip must be a number from 0 to 1, got 1.5',
      },
      {
        entry: 'runExperiment',
        input: 'a validation share that holds out no row',
        run: () => runExperiment(dataset(), dataset(), { ...EXPERIMENT, val: 0.01, refit: true }),
        message:
          'runExperiment: val 0.01 holds out no row of 2; use a larger share, or 0 to train on every row without early stopping',
      },
      {
        entry: 'runExperiment',
        input: 'a validation share that holds out every row',
        run: () => runExperiment(dataset(), dataset(), { ...EXPERIMENT, val: 0.9 }),
        message:
          'runExperiment: val 0.9 holds out all 2 rows, leaving none to train on; use a smaller share',
      },
      {
        entry: 'examples/train.ts',
        input: '`--lr -1` (and `--lr=-1`)',
        run: () => trainCli('--lr', '-1'),
        message: "train: --lr must be a finite number > 0, got '-1' (exit code 2)",
      },
      {
        entry: 'examples/train.ts',
        input: 'a method flag no chosen strategy reads',
        run: () => trainCli('--strategy', 'masked,epr', '--label-smoothing', '0.2'),
        message:
          'train: --label-smoothing is an option of an-ls; --strategy masked,epr does not use it (exit code 2)',
      },
      {
        entry: 'examples/train.ts',
        input: '`--val 0.9999`: no training row left',
        run: () => trainCli('--val', '0.9999', '--strategy', 'masked'),
        message:
          'train: val 0.9999 holds out all 1500 rows, leaving none to train on; use a smaller share (exit code 2)',
      },
      {
        entry: 'examples/train.ts',
        input: 'a header-only training file',
        run: () => {
          const empty = file('header-only.arff', ARFF_HEAD);
          return trainCli('--train', empty, '--test', empty, '--labels', '1');
        },
        message: () =>
          `train: the file has no data rows (its @data section is empty); expected at least one row (in ${file('header-only.arff')}) (exit code 2)`,
        shown:
          'train: the file has no data rows (its @data section is empty); expected at least one row (in <dir>/header-only.arff) (exit code 2)',
      },
      {
        entry: 'examples/train.ts',
        input: '`--save` into a missing folder (checked before training)',
        run: () => trainCli('--strategy', 'masked', '--save', file('nowhere/model.json')),
        message: () =>
          `train: --save: cannot write ${file('nowhere/model.json')}: no such folder: ${file('nowhere')} (exit code 2)`,
        shown:
          'train: --save: cannot write <dir>/nowhere/model.json: no such folder: <dir>/nowhere (exit code 2)',
      },
      {
        entry: 'examples/train.ts',
        input: '`--save` onto a folder (checked before training)',
        run: () => trainCli('--strategy', 'masked', '--save', dir),
        message: () =>
          `train: --save: cannot write ${dir}: it is a folder; expected a file name (exit code 2)`,
        shown:
          'train: --save: cannot write <dir>: it is a folder; expected a file name (exit code 2)',
      },
      {
        entry: 'examples/train.ts',
        input: '`--report` into a missing folder (checked before training; `--log` the same)',
        run: () => trainCli('--strategy', 'masked', '--report', file('nowhere/run.html')),
        message: () =>
          `train: --report: cannot write ${file('nowhere/run.html')}: no such folder: ${file('nowhere')} (exit code 2)`,
        shown:
          'train: --report: cannot write <dir>/nowhere/run.html: no such folder: <dir>/nowhere (exit code 2)',
      },
      {
        entry: 'examples/train.ts',
        input: '`--log` and `--report` naming the same file',
        run: () =>
          trainCli('--strategy', 'masked', '--log', file('run.out'), '--report', file('run.out')),
        message: () =>
          `train: --report and --log name the same file ${file('run.out')}; give each its own (exit code 2)`,
        shown:
          'train: --report and --log name the same file <dir>/run.out; give each its own (exit code 2)',
      },
      {
        entry: 'examples/train.ts',
        input:
          '`--batch-size 2000 --optimizer sgd --lr 1e300`: the step on the last (only) batch of epoch 1 diverges',
        run: () =>
          trainCli(
            ...['--batch-size', '2000', '--optimizer', 'sgd', '--lr', '1e300'],
            ...['--strategy', 'masked', '--runs', '1'],
          ),
        message:
          "train: masked, seed 1: fit: the model's output on the validation rows became NaN after epoch 1 (last batch 1); stopped, and the model keeps the weights from before its last step (try a smaller learning rate) (exit code 1)",
      },
    ],
  },
  {
    // Issue 21, classes 4, 5 and 6.
    title:
      'Hostile input: escaped controls, deep nesting, ops called wrongly, losses that train nothing',
    rows: [
      {
        entry: 'parseCsv',
        input: 'a header and a cell holding ESC[2J, ESC]0;title and BEL (shown escaped)',
        run: () => parseCsv(`a,"b${HOSTILE}",L\n1,2,1\n1,"2${HOSTILE}",1\n`, { labels: 1 }),
        message:
          'parseCsv: line 3: feature "b\\x1b[2J\\x1b]0;title\\x07" is "2\\x1b[2J\\x1b]0;title\\x07"; expected a number',
      },
      {
        entry: 'parseArff',
        input: 'an attribute name and a value holding terminal escapes',
        run: () =>
          parseArff(
            `@relation r\n@attribute 'a${HOSTILE}' numeric\n@attribute L {0,1}\n@data\n'x${HOSTILE}',1\n`,
            { labels: 1 },
          ),
        message:
          'parseArff: line 5: value 1 ("\'x\\x1b[2J\\x1b]0;title\\x07\'") of attribute "a\\x1b[2J\\x1b]0;title\\x07" is not a number; expected a number or ?',
      },
      {
        entry: 'checkModelFile',
        input: 'an unknown field whose name holds terminal escapes',
        run: () => {
          const f = JSON.parse(modelFileToText(smallModelFile())) as { features: object };
          (f.features as Record<string, unknown>)[`x${HOSTILE}`] = 1;
          return checkModelFile(f);
        },
        message:
          'checkModelFile: features has an unknown field "x\\x1b[2J\\x1b]0;title\\x07" (expected names, mean, std)',
      },
      {
        entry: 'readModelFile',
        input: 'a `training` record nesting 5,000 arrays deep (12 kB; the limit is 64 levels)',
        run: () =>
          readModelFile(
            file(
              'deep.model.json',
              modelFileToText(smallModelFile()).replace(
                '"training": {',
                `"training": {\n"notes": ${'['.repeat(5000)}0${']'.repeat(5000)},`,
              ),
            ),
          ),
        message: () =>
          `readModelFile: ${DEEP_NOTES} nests arrays or objects more than 64 deep (or contains itself); expected at most 64 levels (in ${file('deep.model.json')})`,
        shown: `readModelFile: ${DEEP_NOTES} nests arrays or objects more than 64 deep (or contains itself); expected at most 64 levels (in <dir>/deep.model.json)`,
      },
      {
        entry: 'toOnnx',
        input: 'a model file object (not read from a file) nesting 5,000 arrays deep',
        run: () => {
          const f = smallModelFile() as unknown as { training: Record<string, unknown> };
          let deep: unknown = 0;
          for (let i = 0; i < 5000; i++) deep = [deep];
          f.training.notes = deep;
          return toOnnx(f as never);
        },
        message: `toOnnx: ${DEEP_NOTES} nests arrays or objects more than 64 deep (or contains itself); expected at most 64 levels`,
      },
      {
        entry: 'tensor',
        input: 'an array that contains itself',
        run: () => {
          const a: unknown[] = [1, 2];
          a.push(a);
          return tensor(a as never);
        },
        message:
          'tensor: value[2] contains itself (a circular array); expected nested arrays of numbers',
      },
      {
        entry: 'tensor',
        input: 'arrays nested 20,000 deep (the limit is 64 levels)',
        run: () => {
          let deep: unknown = [1];
          for (let i = 0; i < 20_000; i++) deep = [deep];
          return tensor(deep as never);
        },
        message: `tensor: ${('value' + '[0]'.repeat(64)).slice(0, 60)}... (197 characters) is an array nested 65 deep; expected at most 64 levels (dimensions)`,
      },
      {
        entry: 'defineOp',
        input: 'an op taking `(inputs, attrs)` called with a bare tensor: `op(x)`',
        run: () => (twiceOp() as unknown as (x: Tensor) => Tensor)(tensor([1, 2])),
        message:
          'badInputTwice: expected (inputs, attrs) with inputs an array of tensors, got a Tensor of shape [2] (pass [x], not x: badInputTwice([x], attrs))',
      },
      {
        entry: 'fit',
        input: 'a loss that does not depend on the model (computed from the targets alone)',
        run: () => fitWith({ loss: (_logits: Tensor, y: Tensor) => sum(y) }),
        message:
          "fit: the loss at epoch 1, batch 1 does not depend on the model's parameters (the tensor it returned does not require a gradient), so training would change nothing; check that the loss is computed from the logits it is given (its first argument), not under noGrad, from detach(), .data or .item()",
      },
      {
        entry: 'fit',
        input:
          "a loss that depends on a tensor with requiresGrad, but not on the model's parameters",
        run: () => {
          const other = tensor([1], { requiresGrad: true });
          return fitWith({ loss: (_logits: Tensor, y: Tensor) => mul(sum(y), other) });
        },
        message:
          'fit: no parameter of the model received a gradient from the loss at the first step, so training would change nothing; check that the loss is computed from the logits it is given (its first argument), not from other tensors with requiresGrad: true',
      },
    ],
  },
  {
    // The playground's server: its command line (web/scripts/serve.ts; exit code 2 with the usage).
    title: 'The playground server (web/scripts/serve.ts)',
    rows: [
      ...(
        [
          ['`--port 0x1F90` (hexadecimal)', ['--port', '0x1F90'], '--port', '"0x1F90"'],
          ['`--port 1e3` (an exponent)', ['--port', '1e3'], '--port', '"1e3"'],
          ["`--port ' '` (a blank)", ['--port', ' '], '--port', '" "'],
          ['`--port 65536`', ['--port', '65536'], '--port', '"65536"'],
          ['`--port -1`', ['--port', '-1'], '--port', '"-1"'],
          ['`PORT=8080.5`', [], 'PORT', '"8080.5"'],
        ] as const
      ).map(([input, argv, source, shown]) => ({
        entry: 'web/scripts/serve.ts',
        input,
        run: () => parseServeArgs([...argv], argv.length === 0 ? { PORT: '8080.5' } : {}),
        message: `playground: ${source}: the port must be a whole number from 0 to 65535 in decimal digits, got ${shown}`,
      })),
      {
        entry: 'web/scripts/serve.ts',
        input: '`--dir` with no value',
        run: () => parseServeArgs(['--dir']),
        message: 'playground: --dir needs a value; expected a folder',
      },
      {
        entry: 'web/scripts/serve.ts',
        input: '`--port` followed by another option',
        run: () => parseServeArgs(['--port', '--dir', '.']),
        message: 'playground: --port needs a value; expected a port number',
      },
      {
        entry: 'web/scripts/serve.ts',
        input: '`--dir` naming no folder',
        run: () => parseServeArgs(['--dir', file('no-such-site')]),
        message: () =>
          `playground: --dir: ${JSON.stringify(file('no-such-site'))} is not a folder; expected the built site (npm run build:web)`,
        shown:
          'playground: --dir: "<dir>/no-such-site" is not a folder; expected the built site (npm run build:web)',
      },
      {
        entry: 'web/scripts/serve.ts',
        input: 'an unknown argument',
        run: () => parseServeArgs(['--host', '0.0.0.0']),
        message: 'playground: unknown argument "--host"; expected --port or --dir',
      },
    ],
  },
];

// Output files (issue 21, class 2): nothing written where it should not be. An output that
// is one of the command's inputs is refused before any work: predict refuses it before its
// first read, so the line it prints is there as soon as runPredict returns its promise.

/** Runs `maskgrad predict argv` up to its first read and throws the line it printed by then. */
function predictRefusal(...argv: string[]): never {
  let err = '';
  const io = { out: () => {}, err: (t: string) => void (err += t), tty: false };
  void runPredict(argv, io);
  throw new Error(err === '' ? '(predict printed nothing before reading its input)' : err.trim());
}

/** Runs `maskgrad export argv` and throws the line it printed, with its exit code. */
function exportCli(...argv: string[]): never {
  let err = '';
  const code = runExport(argv, { out: () => {}, err: (t) => void (err += t), tty: false });
  throw new Error(`${err.trim()} (exit code ${code})`);
}

/** A model file and an input for it (never read: the refusals come first), and links to them. */
const outputFixtures = () => {
  const model = file('out-model.json', '{}');
  const input = file('out-rows.csv', 'a,b\n1,2\n');
  for (const name of ['out-model-link.json', 'out-rows-link.csv', 'out-loop.json']) {
    fs.rmSync(file(name), { force: true });
  }
  fs.symlinkSync(model, file('out-model-link.json'));
  fs.linkSync(input, file('out-rows-link.csv'));
  fs.symlinkSync('out-loop.json', file('out-loop.json'));
  return { model, input };
};
const DESTROY = 'writing it would destroy that input: choose another file';

groups.push({
  title: 'Output files: never one of the inputs, never through a loop of links',
  rows: [
    {
      entry: 'maskgrad predict',
      input: '`--output` naming the `--model` file through a symbolic link',
      run: () => {
        const { model, input } = outputFixtures();
        return predictRefusal(
          ...['--model', model, '--input', input, '--output', file('out-model-link.json')],
        );
      },
      message: () =>
        `predict: --output: cannot write ${file('out-model-link.json')}: it is the --model file ${file('out-model.json')}; ${DESTROY}`,
      shown: `predict: --output: cannot write <dir>/out-model-link.json: it is the --model file <dir>/out-model.json; ${DESTROY}`,
    },
    {
      entry: 'maskgrad predict',
      input: '`--output` a hard link of the `--input` file',
      run: () => {
        const { model, input } = outputFixtures();
        return predictRefusal(
          ...['--model', model, '--input', input, '--output', file('out-rows-link.csv')],
        );
      },
      message: () =>
        `predict: --output: cannot write ${file('out-rows-link.csv')}: it is the --input file ${file('out-rows.csv')}; ${DESTROY}`,
      shown: `predict: --output: cannot write <dir>/out-rows-link.csv: it is the --input file <dir>/out-rows.csv; ${DESTROY}`,
    },
    {
      entry: 'maskgrad export',
      input: '`--output` the `--model` file spelled differently (`<dir>/./x/../out-model.json`)',
      run: () => {
        const { model } = outputFixtures();
        fs.mkdirSync(file('x'), { recursive: true });
        return exportCli(
          '--model',
          model,
          '--format',
          'onnx',
          '--output',
          `${dir}/./x/../out-model.json`,
        );
      },
      message: () =>
        `export: --output: cannot write ${dir}/./x/../out-model.json: it is the --model file ${file('out-model.json')}; ${DESTROY} (exit code 2)`,
      shown: `export: --output: cannot write <dir>/./x/../out-model.json: it is the --model file <dir>/out-model.json; ${DESTROY} (exit code 2)`,
    },
    {
      entry: 'examples/train.ts',
      input: '`--save` naming the `--test` file (checked before training)',
      run: () => {
        const data = file('out-data.arff', ARFF_HEAD + '1,2,0\n');
        const test = file('out-test.arff', ARFF_HEAD + '1,2,1\n');
        return trainCli(
          ...['--strategy', 'masked', '--train', data, '--test', test, '--labels', '1'],
          ...['--save', test],
        );
      },
      message: () =>
        `train: --save: cannot write ${file('out-test.arff')}: it is the --test file ${file('out-test.arff')}; ${DESTROY} (exit code 2)`,
      shown: `train: --save: cannot write <dir>/out-test.arff: it is the --test file <dir>/out-test.arff; ${DESTROY} (exit code 2)`,
    },
    {
      entry: 'checkOutputNotInput',
      input: 'an output that is one of the inputs',
      run: () => {
        const { model } = outputFixtures();
        return checkOutputNotInput('--out', model, [{ flag: '--model', file: model }]);
      },
      message: () =>
        `--out: cannot write ${file('out-model.json')}: it is the --model file ${file('out-model.json')}; ${DESTROY}`,
      shown: `--out: cannot write <dir>/out-model.json: it is the --model file <dir>/out-model.json; ${DESTROY}`,
    },
    {
      entry: 'writeFileAtomic',
      input: 'a symbolic link that names itself (a loop)',
      run: () => {
        outputFixtures();
        return writeFileAtomic(file('out-loop.json'), 'x');
      },
      message: () =>
        `writeFileAtomic: cannot write ${file('out-loop.json')}: too many levels of symbolic links; expected a link chain that ends`,
      shown:
        'writeFileAtomic: cannot write <dir>/out-loop.json: too many levels of symbolic links; expected a link chain that ends',
    },
    {
      entry: 'checkWritable',
      input: 'a symbolic link into a missing folder',
      run: () => {
        fs.rmSync(file('out-nowhere.json'), { force: true });
        fs.symlinkSync(file('missing/m.json'), file('out-nowhere.json'));
        return checkWritable(file('out-nowhere.json'));
      },
      message: () =>
        `checkWritable: cannot write ${file('out-nowhere.json')}: no such folder: ${file('missing')} (${file('out-nowhere.json')} is a symbolic link to ${file('missing/m.json')})`,
      shown:
        'checkWritable: cannot write <dir>/out-nowhere.json: no such folder: <dir>/missing (<dir>/out-nowhere.json is a symbolic link to <dir>/missing/m.json)',
    },
  ],
});

// Issue 21, class 5: entry points that gave a raw TypeError or RangeError for null, a value of
// the wrong type or a deeply nested array (spec/raw-errors.spec.ts probes every export).
import * as rawCore from '../src';
import * as rawNode from '../src/node';
import * as rawApp from '../src/app';

/** A 20,000-deep array around a 1: its text overflowed the stack in template strings. */
const deepArray = (): unknown => {
  let deep: unknown = [1];
  for (let i = 0; i < 20_000; i++) deep = [deep];
  return deep;
};
/** Calls `f` with any arguments (the probe's hostile values do not fit its type). */
const callAny = (f: unknown, ...args: unknown[]) => (f as (...a: unknown[]) => unknown)(...args);
const rawModelFile = () =>
  modelFileFrom(new MLP([2, 2], { seed: 1 }), {
    features: ['a', 'b'],
    labels: ['x', 'y'],
    standardization: { mean: [0, 0], std: [1, 1] },
    training: { strategy: 'masked', hide: 0, seed: 1, epochs: 0, data: [] },
  });
const probs12 = () => tensor([[0.2, 0.7]]);

groups.push({
  title: 'No raw TypeError or RangeError: null, wrong types and deep arrays',
  rows: [
    {
      entry: 'broadcastShapes',
      input: 'a shape that is null',
      run: () => callAny(broadcastShapes, 'add', [2], null),
      message: 'add: broadcastShapes: shape 2 must be an array of non-negative integers, got null',
    },
    {
      entry: 'broadcastShapes',
      input: 'a shape that is a 20,000-deep array',
      run: () => callAny(broadcastShapes, 'add', [2], deepArray()),
      message:
        'add: broadcastShapes: shape 2 must be an array of non-negative integers, got [[[[...]]]]',
    },
    {
      entry: 'sumToShape',
      input: 'a gradient that is null',
      run: () => callAny(sumToShape, null, [2], [2]),
      message: "sumToShape: grad must be a Float64Array (the gradient's values), got null",
    },
    {
      entry: 'sumToShape',
      input: 'a shape that is a number',
      run: () => callAny(sumToShape, new Float64Array(2), 7, [2]),
      message: 'sumToShape: from must be an array of non-negative integers, got 7',
    },
    {
      entry: 'toDot',
      input: 'options null',
      run: () => callAny(toDot, tensor([1]), null),
      message: 'toDot: options must be an object ({ name?: string }), got null',
    },
    {
      entry: 'defineElementwise',
      input: 'a spec that is null',
      run: () => callAny(rawCore.defineElementwise, null),
      message: 'defineElementwise: expected an op definition (an object), got null',
    },
    {
      entry: 'defineElementwise',
      input: 'backward that is not an array of formulas',
      run: () =>
        callAny(rawCore.defineElementwise, {
          name: 'badBackwardRaw21',
          kind: 'unary',
          forward: (x: number) => x,
          backward: 7,
          samples: [{ inputs: [[2]] }],
        }),
      message:
        "defineElementwise: backward of 'badBackwardRaw21' must be an array of 1 to 3 derivative formulas (a function, or null for an input without a gradient), one per input, got 7",
    },
    {
      entry: 'applyThresholds',
      input: 'probs that are null',
      run: () => callAny(rawCore.applyThresholds, null, [0.5]),
      message: 'applyThresholds: probs must be a Tensor of shape [N,C], got null',
    },
    {
      entry: 'applyThresholds',
      input: 'no thresholds',
      run: () => callAny(rawCore.applyThresholds, probs12()),
      message:
        'applyThresholds: thresholds must be an array of 2 numbers (one per class of probs [1,2]), got undefined',
    },
    {
      entry: 'applyThresholds',
      input: 'a threshold that is a string',
      run: () => callAny(rawCore.applyThresholds, probs12(), [0.5, '0.5']),
      message:
        'applyThresholds: thresholds must be an array of 2 numbers (one per class of probs [1,2]), got "0.5" at index 1',
    },
    {
      entry: 'alignDataset',
      input: 'a data set that is null',
      run: () => callAny(rawCore.alignDataset, null, rawModelFile()),
      message:
        'alignDataset: data must be a data set ({ x: [N,D], y: [N,C], mask, featureNames, labelNames }), got null',
    },
    {
      entry: 'alignDataset',
      input: 'a model that is a number',
      run: () => callAny(rawCore.alignDataset, parseCsv('a,b,x,y\n1,2,0,1\n', { labels: 2 }), 7),
      message:
        'alignDataset: model must be a model file or { features: { names }, labels: { names } }, got 7',
    },
    {
      entry: 'matchColumns',
      input: 'columns that are a number',
      run: () => callAny(rawCore.matchColumns, 7, rawModelFile()),
      message: 'matchColumns: columns must be an array of strings (names), got 7',
    },
    {
      entry: 'matchColumns',
      input: 'a model that is null',
      run: () => callAny(rawCore.matchColumns, ['a', 'b'], null),
      message:
        'matchColumns: model must be a model file or { features: { names }, labels: { names } }, got null',
    },
    {
      entry: 'checkModelFile',
      input: '`where` that is not a string',
      run: () => callAny(checkModelFile, {}, 7),
      message: 'checkModelFile: where must be a string (the name its errors begin with), got 7',
    },
    {
      entry: 'mlpFromModelFile',
      input: 'null',
      run: () => callAny(rawCore.mlpFromModelFile, null),
      message: 'mlpFromModelFile: the model file must be an object, got null',
    },
    {
      entry: 'modelFileFrom',
      input: 'parts that are null',
      run: () => callAny(modelFileFrom, new MLP([2, 2], { seed: 1 }), null),
      message:
        'modelFileFrom: parts must be an object ({ features, labels, standardization, training }), got null',
    },
    {
      entry: 'modelFileFrom',
      input: 'labels that are a number',
      run: () =>
        callAny(modelFileFrom, new MLP([2, 2], { seed: 1 }), { features: ['a', 'b'], labels: 7 }),
      message: 'modelFileFrom: parts.labels must be an array of names, got 7',
    },
    {
      entry: 'toOnnx',
      input: 'a dtype that is a 20,000-deep array',
      run: () => callAny(toOnnx, rawModelFile(), deepArray()),
      message: "toOnnx: dtype must be 'float32' or 'float64', got [[[[...]]]]",
    },
    {
      entry: 'fileDigest',
      input: 'a file that is null',
      run: () => callAny(rawNode.fileDigest, 'train', null),
      message: 'fileDigest: file must be a string (a path), got null',
    },
    {
      entry: 'checkOption',
      input: 'a field that is no option',
      run: () => callAny(rawApp.checkOption, 'train', 'nope', 1),
      message:
        'checkOption: field must be one of the options (strategy, regime, hide, epochs, val, patience, refit, batchSize, hidden, activation, optimizer, lr, weightDecay, seed, expectedPositives, deltaRel, labelSmoothing, unknownWeight, lrMultiplier, gammaPos, gammaNeg, clip, hillLambda, splcTau, emAlpha, emAplAlpha, emAplBeta, emAplNegProportion, emAplWarmupEpoch, emAplNumEpochs, grEpochs, grQ2, grQ3, pwA, pwB, pwEstimator), got "nope"',
    },
    {
      entry: 'evaluate',
      input: 'probs that are a number',
      run: () => callAny(rawApp.evaluate, 7, null),
      message: 'evaluate: probs must be a Tensor of shape [N,C] (probabilities), got 7',
    },
    {
      entry: 'Tensor.concat',
      input: 'others that are null',
      run: () => callAny(tensor([1]).concat.bind(tensor([1])), null),
      message:
        'concat: t.concat(others, axis) expects a Tensor or an array of tensors to join to t, got null',
    },
    {
      entry: 'math.exp',
      input: 'a 20,000-deep array',
      run: () => callAny(rawCore.math.exp, deepArray()),
      message: 'math.exp: x must be a number, got [[[[...]]]]',
    },
    {
      entry: 'math.pow',
      input: 'an exponent that is a string',
      run: () => callAny(rawCore.math.pow, 2, '3'),
      message: 'math.pow: y must be a number, got "3"',
    },
    {
      entry: 'batches',
      input: 'a batch size that is a 20,000-deep array',
      run: () => callAny(batches, parseCsv('a,x\n1,0\n', { labels: 1 }), deepArray()),
      message: 'batches: batchSize must be a positive integer, got [[[[...]]]]',
    },
    {
      entry: 'maskedBinaryCrossEntropy',
      input: 'a mask that is a 20,000-deep array',
      run: () => callAny(maskedBinaryCrossEntropy, probs12(), [[0, 1]], deepArray()),
      message: `maskedBinaryCrossEntropy: mask must be a Tensor or nested arrays of numbers: ${`mask${'[0]'.repeat(64)}`.slice(0, 60)}... (196 characters) is an array nested 65 deep; expected at most 64 levels (dimensions)`,
    },
    {
      entry: 'SGD (gradientOf)',
      input: 'a parameter index out of range',
      run: () => {
        const sgd = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
        const gradientOf = (sgd as unknown as { gradientOf: (i: unknown) => unknown }).gradientOf;
        return gradientOf.call(sgd, 5);
      },
      message: 'SGD: gradientOf expects a parameter index from 0 to 0, got 5',
    },
    {
      entry: 'Predictor.predict',
      input: 'rows that are null',
      run: () =>
        callAny(new Predictor(rawModelFile()).predict.bind(new Predictor(rawModelFile())), null, 1),
      message: 'Predictor.predict: x must be a Float64Array of rows of 2 features, got null',
    },
    {
      entry: 'Predictor.decide',
      input: 'probabilities that are a plain array',
      run: () => {
        const predictor = new Predictor(rawModelFile());
        return callAny(predictor.decide.bind(predictor), [0.5, 0.5]);
      },
      message:
        'Predictor.decide: probs must be a Float64Array of rows of 2 probabilities (what predict returns), got [0.5,0.5]',
    },
    {
      entry: 'Random.uniform',
      input: 'a bound that is a 20,000-deep array',
      run: () => {
        const random = new Random(1);
        return callAny(random.uniform.bind(random), deepArray(), 1);
      },
      message: 'Random.uniform: expected numbers, got [[[[...]]]] and 1',
    },
    {
      entry: 'Random.shuffle',
      input: 'a string',
      run: () => {
        const random = new Random(1);
        return callAny(random.shuffle.bind(random), 'abc');
      },
      message:
        'Random.shuffle: items must be an array or a typed array (shuffled in place), got "abc"',
    },
  ],
});

// Columns as the user has them (issue 20): labels by count, names or range, the id column,
// ignored columns, text columns and the delimiter; the library's words, then the CLI's flags.
const MINE = 'id,a,cat,dog,note\nr0000,1.5,1,?,\nr0001,2.5,NaN,0,ok\n';
groups.push({
  title: 'Columns: labels, id, ignore, text columns and delimiters',
  rows: [
    {
      entry: 'parseCsv, readCsv, loadDataset',
      input: 'a text column that is neither the id nor ignored',
      run: () => parseCsv(MINE, { labels: ['cat', 'dog'], ignore: ['note'] }),
      message:
        'parseCsv: column "id" is text (line 2: "r0000"); name it with the option id or leave it out with the option ignore',
    },
    {
      entry: 'parseCsv, readCsv, loadDataset',
      input: 'a text column whose first values are empty',
      run: () => parseCsv(MINE, { labels: ['cat', 'dog'], id: 'id' }),
      message:
        'parseCsv: column "note" is text (line 3: "ok"); name it with the option id or leave it out with the option ignore',
    },
    {
      entry: 'parseCsv, datasetFromArff',
      input: 'an id that is not a column',
      run: () => parseCsv(MINE, { labels: ['cat', 'dog'], id: 'ID ', ignore: ['note'] }),
      message:
        'parseCsv: id column "ID " not found; the nearest of the 5 columns: "id", "a", "cat"',
    },
    {
      entry: 'parseCsv, datasetFromArff',
      input: 'the id column also a label',
      run: () => parseCsv(MINE, { labels: ['cat', 'dog'], id: 'cat' }),
      message: 'parseCsv: column "cat" is both the id and a label; expected one role',
    },
    {
      entry: 'parseCsv, datasetFromArff',
      input: 'an ignored column that is not a column',
      run: () => parseCsv(MINE, { labels: ['cat', 'dog'], id: 'id', ignore: ['notes'] }),
      message:
        'parseCsv: ignored column "notes" not found; the nearest of the 5 columns: "note", "cat", "dog"',
    },
    {
      entry: 'parseCsv, datasetFromArff',
      input: 'a column both ignored and a label',
      run: () => parseCsv(MINE, { labels: ['cat', 'dog'], id: 'id', ignore: ['note', 'dog'] }),
      message: 'parseCsv: column "dog" is both ignored and a label; expected one role',
    },
    {
      entry: 'parseCsv, datasetFromArff',
      input: 'a range of labels whose ends are reversed',
      run: () => parseCsv(MINE, { labels: { first: 'dog', last: 'cat' }, id: 'id' }),
      message:
        'parseCsv: labels range "dog" to "cat" is reversed: "dog" is column 4 and "cat" column 3; expected the first end before the last in the header',
    },
    {
      entry: 'parseCsv, datasetFromArff',
      input: 'a range of labels whose end is not a column',
      run: () => parseCsv(MINE, { labels: { first: 'cat', last: 'dgo' } }),
      message:
        'parseCsv: label column "dgo" not found; the nearest of the 5 columns: "dog", "id", "a"',
    },
    {
      entry: 'parseCsv, readCsv, loadDataset',
      input: 'a semicolon file read with the delimiter `,`',
      run: () => parseCsv('a;cat;dog\n1;1;0\n', { labels: 2, delimiter: ',' }),
      message:
        'parseCsv: labels is 2 but there is only 1 column; expected at most 1; the header was read as one column (split on a comma, as given); if the file uses another separator, pass the option delimiter',
    },
    {
      entry: 'parseCsv, readCsv, loadDataset',
      input: 'a file separated by `|` (the delimiter detected: none, so a comma)',
      run: () => parseCsv('a|cat|dog\n1|1|0\n', { labels: ['cat', 'dog'] }),
      message:
        'parseCsv: label column "cat" not found; the nearest of the 1 columns: "a|cat|dog"; the header was read as one column (split on a comma, detected from the header line); if the file uses another separator, pass the option delimiter',
    },
    {
      entry: 'parseLabelSpec',
      input: 'a range with two colons `a:b:c`',
      run: () => parseLabelSpec('a:b:c'),
      message: 'parseLabelSpec: labels "a:b:c" has 2 colons; expected one range FIRST:LAST',
    },
    {
      entry: 'parseLabelSpec',
      input: 'an empty name `cat,,dog`',
      run: () => parseLabelSpec('cat,,dog'),
      message:
        'parseLabelSpec: labels "cat,,dog" has an empty name; expected a count (4), names (cat,dog) or a range (cat:dog)',
    },
    {
      entry: 'parseLabelSpec',
      input: 'a count of 0',
      run: () => parseLabelSpec('0'),
      message:
        'parseLabelSpec: labels is "0"; expected a count of at least 1, names, or FIRST:LAST',
    },
    {
      entry: 'detectDelimiter',
      input: 'a header line that is not text',
      run: () => detectDelimiter(3 as never),
      message: 'detectDelimiter: expected the header line as a string, got 3',
    },
    {
      entry: 'datasetFromArff',
      input: 'a string attribute that is neither the id nor ignored',
      run: () =>
        datasetFromArff(
          parseArff(
            "@relation r\n@attribute name string\n@attribute a numeric\n@attribute L {0,1}\n@data\n?,1,0\n'x y',2,1\n",
          ),
          1,
        ),
      message:
        'datasetFromArff: column "name" is text (a string attribute, line 7: "x y"); name it with the option id or leave it out with the option ignore',
    },
    {
      entry: 'datasetFromArff',
      input: 'a string attribute as a label',
      run: () =>
        datasetFromArff(
          parseArff('@relation r\n@attribute a numeric\n@attribute L string\n@data\n1,x\n'),
          1,
        ),
      message:
        'datasetFromArff: label "L" is a string attribute; expected a numeric attribute or a nominal set of numbers such as {0,1}',
    },
    {
      entry: 'checkModelFile',
      input: '`training.idColumn` that is not a string',
      run: () => {
        const m = rawModelFile();
        (m.training as Record<string, unknown>).idColumn = 7;
        return checkModelFile(m);
      },
      message:
        "checkModelFile: training.idColumn is 7; expected a string (the name of the training file's id column)",
    },
    {
      entry: 'maskgrad train',
      input: 'a text column: the message names the flags',
      run: () => {
        const mine = file('mine.csv', MINE);
        return trainCli('--train', mine, '--test', mine, '--labels', 'cat,dog');
      },
      message: () =>
        `train: column "id" is text (line 2: "r0000"); name it with --id COL or leave it out with --ignore COL (in ${file('mine.csv')}) (exit code 2)`,
      shown:
        'train: column "id" is text (line 2: "r0000"); name it with --id COL or leave it out with --ignore COL (in <dir>/mine.csv) (exit code 2)',
    },
    {
      entry: 'maskgrad train',
      input: 'a semicolon file read with `--delimiter comma`',
      run: () => {
        const semi = file('semi.csv', 'a;cat;dog\n1;1;0\n');
        return trainCli(
          ...['--train', semi, '--test', semi, '--labels', '2'],
          '--delimiter',
          'comma',
        );
      },
      message: () =>
        `train: labels is 2 but there is only 1 column; expected at most 1; the header was read as one column (split on a comma, as given); if the file uses another separator, pass --delimiter comma, tab or semicolon (in ${file('semi.csv')}) (exit code 2)`,
      shown:
        'train: labels is 2 but there is only 1 column; expected at most 1; the header was read as one column (split on a comma, as given); if the file uses another separator, pass --delimiter comma, tab or semicolon (in <dir>/semi.csv) (exit code 2)',
    },
    {
      entry: 'maskgrad train',
      input: '`--delimiter pipe`',
      run: () => {
        const mine = file('mine.csv', MINE);
        return trainCli(
          ...['--train', mine, '--test', mine, '--labels', '2'],
          '--delimiter',
          'pipe',
        );
      },
      message:
        "train: --delimiter must be comma, tab or semicolon (or the character itself), got 'pipe' (exit code 2)",
    },
    {
      entry: 'maskgrad train',
      input: '`--labels cat:`',
      run: () => {
        const mine = file('mine.csv', MINE);
        return trainCli('--train', mine, '--test', mine, '--labels', 'cat:');
      },
      message:
        'train: --labels: labels "cat:" has an empty name; expected a count (4), names (cat,dog) or a range (cat:dog) (exit code 2)',
    },
    {
      entry: 'maskgrad train',
      input: '`--ignore note,`',
      run: () => {
        const mine = file('mine.csv', MINE);
        return trainCli(...['--train', mine, '--test', mine, '--labels', '2'], '--ignore', 'note,');
      },
      message:
        'train: --ignore note, has an empty name; expected column names separated by commas (exit code 2)',
    },
    {
      entry: 'maskgrad predict',
      input: '`--delimiter |x`',
      run: () =>
        predictRefusal(
          '--model',
          file('m.json'),
          '--input',
          file('mine.csv', MINE),
          '--delimiter',
          '|x',
        ),
      message:
        "predict: --delimiter must be comma, tab or semicolon (or the character itself), got '|x'",
    },
  ],
});

// Issue 20: the observed label counts of a model file, `maskgrad inspect`, and `train`'s
// held-out test share.

/** Runs `maskgrad inspect argv` and throws the line it printed, with its exit code. */
function inspectCli(...argv: string[]): never {
  let err = '';
  const code = runInspect(argv, { out: () => {}, err: (t) => void (err += t), tty: false });
  throw new Error(`${err.trim()} (exit code ${code})`);
}

/** modelFileText() with `labels.observed` set to `observed` (JSON text). */
const withObserved = (observed: string) =>
  modelFileText().replace(
    '"thresholds": [0.5,0.5] }',
    `"thresholds": [0.5,0.5], "observed": ${observed} }`,
  );

groups.push({
  title: 'Observed label counts, maskgrad inspect, and the held-out test share',
  rows: [
    {
      entry: 'parseModelFile',
      input: '`labels.observed` with one count too few',
      run: () =>
        parseModelFile(withObserved('{ "positive": [1], "negative": [2,3], "unknown": [0,0] }')),
      message: 'readModelFile: labels.observed.positive has 1 values; expected 2',
    },
    {
      entry: 'parseModelFile',
      input: 'a negative count in `labels.observed`',
      run: () =>
        parseModelFile(withObserved('{ "positive": [1,2], "negative": [2,-3], "unknown": [0,0] }')),
      message:
        'readModelFile: labels.observed.negative[1] is -3; expected a count (a whole number >= 0)',
    },
    {
      entry: 'parseModelFile',
      input: 'a fraction in `labels.observed`',
      run: () =>
        parseModelFile(
          withObserved('{ "positive": [1,2], "negative": [2,3], "unknown": [0.5,0] }'),
        ),
      message:
        'readModelFile: labels.observed.unknown[0] is 0.5; expected a count (a whole number >= 0)',
    },
    {
      entry: 'parseModelFile',
      input: '`labels.observed` without its unknown counts',
      run: () => parseModelFile(withObserved('{ "positive": [1,2], "negative": [2,3] }')),
      message: 'readModelFile: labels.observed has no "unknown"',
    },
    {
      entry: 'parseModelFile',
      input: '`labels.observed` with a key of its own',
      run: () =>
        parseModelFile(
          withObserved(
            '{ "positive": [1,2], "negative": [2,3], "unknown": [0,0], "total": [3,5] }',
          ),
        ),
      message:
        'readModelFile: labels.observed has an unknown field "total" (expected positive, negative, unknown)',
    },
    {
      entry: 'parseModelFile',
      input: '`labels.observed` that is an array',
      run: () => parseModelFile(withObserved('[1,2]')),
      message: 'readModelFile: labels.observed must be an object, got [1,2]',
    },
    {
      entry: 'modelFileFrom',
      input: '`observed` counts of the wrong length',
      run: () =>
        modelFileFrom(new MLP([2, 2], { seed: 1 }), {
          features: ['a', 'b'],
          labels: ['x', 'y'],
          standardization: { mean: [0, 0], std: [1, 1] },
          observed: { positive: [1, 2, 3], negative: [0, 0], unknown: [0, 0] },
          training: { strategy: 'masked', hide: 0, seed: 1, epochs: 0, data: [] },
        }),
      message: 'modelFileFrom: labels.observed.positive has 3 values; expected 2',
    },
    {
      entry: 'maskgrad inspect',
      input: 'no model file',
      run: () => inspectCli(),
      message: 'inspect: expected a model file: maskgrad inspect MODEL (see --help) (exit code 2)',
    },
    {
      entry: 'maskgrad inspect',
      input: 'a file that does not exist',
      run: () => inspectCli(file('no-such-model.json')),
      message: () => `inspect: no such file: ${file('no-such-model.json')} (exit code 2)`,
      shown: 'inspect: no such file: <dir>/no-such-model.json (exit code 2)',
    },
    {
      entry: 'maskgrad inspect',
      input: 'a JSON file that is not a model file',
      run: () => inspectCli(file('package.json', '{ "name": "x" }\n')),
      message: () =>
        `inspect: the model file has no "format" (in ${file('package.json')}) (exit code 2)`,
      shown: 'inspect: the model file has no "format" (in <dir>/package.json) (exit code 2)',
    },
    {
      entry: 'maskgrad inspect',
      input: 'two model files',
      run: () => inspectCli('a.json', 'b.json'),
      message:
        "inspect: expected one model file, got 2 arguments ('a.json', 'b.json') (exit code 2)",
    },
    {
      entry: 'maskgrad inspect',
      input: 'a model file as an argument and as `--model`',
      run: () => inspectCli('a.json', '--model', 'b.json'),
      message:
        'inspect: give the model file once: as the MODEL argument or as --model FILE (exit code 2)',
    },
    {
      entry: 'maskgrad train',
      input: '`--test-share` beside a `--test` file',
      run: () =>
        trainCli(
          ...['--train', 'a.csv', '--test', 'b.csv', '--labels', '2', '--test-share', '0.3'],
        ),
      message:
        'train: --test-share holds out test rows when there is no --test file; give one or the other (exit code 2)',
    },
    {
      entry: 'maskgrad train',
      input: '`--test-share` that holds out no row of a 3-row file',
      run: () =>
        trainCli(
          '--train',
          file('three-rows.csv', 'f,a\n1,0\n2,1\n3,0\n'),
          ...['--labels', '1', '--test-share', '0.1'],
        ),
      message: () =>
        `train: --test-share 0.1 holds out no row of the 3 in ${file('three-rows.csv')}; give a share that leaves rows for both, or a --test file (exit code 2)`,
      shown:
        'train: --test-share 0.1 holds out no row of the 3 in <dir>/three-rows.csv; give a share that leaves rows for both, or a --test file (exit code 2)',
    },
  ],
});

/** Runs `maskgrad study` in-process and throws its stderr with its exit code. */
function studyCli(...argv: string[]): never {
  let err = '';
  const code = runStudy(argv, { out: () => {}, err: (t) => void (err += t) });
  throw new Error(`${err.trim()} (exit code ${code})`);
}

/** A small model file's ONNX export, written as `name` (a model file given by mistake). */
const onnxFile = (name: string) => {
  const p = file(name);
  fs.writeFileSync(p, toOnnx(rawModelFile(), 'float32'));
  return p;
};
const NOT_A_MODEL =
  'not a maskgrad model file; expected the JSON file that writeModelFile (or maskgrad train --save) writes';

groups.push({
  title: 'The command line: misspelt flags, files that are not model files, capped lists',
  rows: [
    {
      entry: 'maskgrad train',
      input: '`--epoch 3` (a misspelt flag)',
      run: () => trainCli('--epoch', '3'),
      message: "train: Unknown option '--epoch'; did you mean --epochs? (see --help) (exit code 2)",
    },
    {
      entry: 'maskgrad export',
      input: '`--out FILE` (the flag is `--output`, as in every command)',
      run: () => exportCli('--model', 'm.json', '--format', 'onnx', '--out', 'm.onnx'),
      message: "export: Unknown option '--out'; did you mean --output? (see --help) (exit code 2)",
    },
    {
      entry: 'maskgrad study',
      input: '`--seed 3`',
      run: () => studyCli('--seed', '3'),
      message: "study: Unknown option '--seed'; did you mean --seeds? (see --help) (exit code 2)",
    },
    {
      entry: 'maskgrad export',
      input: 'an ONNX file as `--model`',
      run: () =>
        exportCli('--model', onnxFile('cli-m.onnx'), '--format', 'onnx', '--output', file('o')),
      message: `export: ${file('cli-m.onnx')} is an ONNX file, not a maskgrad model file; export reads the JSON model file that train --save writes (exit code 2)`,
    },
    {
      entry: 'readModelFile',
      input: 'an ONNX file',
      run: () => readModelFile(onnxFile('m.onnx')),
      message: `readModelFile: ${file('m.onnx')} is an ONNX file, ${NOT_A_MODEL}`,
    },
    {
      entry: 'readModelFile',
      input: 'a safetensors file',
      run: () => {
        fs.writeFileSync(file('m.safetensors'), toSafetensors(rawModelFile(), 'float64'));
        return readModelFile(file('m.safetensors'));
      },
      message: `readModelFile: ${file('m.safetensors')} is a safetensors file, ${NOT_A_MODEL}`,
    },
    {
      entry: 'readModelFile',
      input: 'a CSV data file',
      run: () => readModelFile(file('rows-as-model.csv', 'a,b,p,q\n1,2,0,1\n')),
      message: `readModelFile: ${file('rows-as-model.csv')} is CSV text, ${NOT_A_MODEL}`,
    },
    {
      entry: 'readModelFile',
      input: 'a TSV data file',
      run: () => readModelFile(file('rows-as-model.tsv', 'a\tb\tp\tq\n1\t2\t0\t1\n')),
      message: `readModelFile: ${file('rows-as-model.tsv')} is TSV text, ${NOT_A_MODEL}`,
    },
    {
      entry: 'readModelFile',
      input: 'an ARFF file',
      run: () => readModelFile(file('rows-as-model.arff', ARFF_HEAD + '1,2,0\n')),
      message: `readModelFile: ${file('rows-as-model.arff')} is an ARFF file, ${NOT_A_MODEL}`,
    },
    {
      entry: 'readModelFile',
      input: 'an empty file',
      run: () => readModelFile(file('empty-model.json', '')),
      message: `readModelFile: ${file('empty-model.json')} is empty, ${NOT_A_MODEL}`,
    },
    {
      entry: 'readModelFile',
      input: 'a binary file',
      run: () => {
        fs.writeFileSync(file('model.bin'), new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
        return readModelFile(file('model.bin'));
      },
      message: `readModelFile: ${file('model.bin')} is a binary file, ${NOT_A_MODEL}`,
    },
    {
      entry: 'writeFileAtomic',
      input: 'the rename fails (the temporary file is gone): no temporary name in the message',
      run: () =>
        writeFileAtomic(file('renamed.json'), '{}', 'writeFileAtomic', {
          afterWrite: (temporary) => fs.rmSync(temporary),
        }),
      message: `writeFileAtomic: cannot write ${file('renamed.json')}: ENOENT: no such file or directory`,
    },
    {
      entry: 'matchColumns',
      input: 'a model of 103 features on a file with other columns',
      run: () =>
        callAny(
          rawCore.matchColumns,
          ['x1', 'x2', 'y'],
          {
            features: { names: Array.from({ length: 103 }, (_, i) => `Att${i + 1}`) },
            labels: { names: ['y'] },
          },
          'predict',
        ),
      message:
        'predict: the input has no column "Att1", "Att2", "Att3" and 100 more: features the model needs',
    },
  ],
});

const APL_Z = tensor([
  [0.5, -1],
  [2, 0],
]);
const APL_Y = [
  [1, 0],
  [0, 0],
];
const APL_M = [
  [1, 0],
  [0, 0],
];
const APL_TABLE = [
  [null, null],
  [null, null],
];

groups.push({
  title:
    'EM + APL: asymmetricPseudoLabelLoss, aplPseudoLabelRound, AsymmetricPseudoLabelLoss, em-apl',
  rows: [
    {
      entry: 'asymmetricPseudoLabelLoss',
      input: 'beta below 0',
      run: () => asymmetricPseudoLabelLoss(APL_Z, APL_Y, APL_M, { beta: -0.5 }),
      message:
        'asymmetricPseudoLabelLoss: beta = -0.5 is out of range: must be a finite number >= 0',
    },
    {
      entry: 'asymmetricPseudoLabelLoss',
      input: 'a pseudo-label table with one row for two rows of logits',
      run: () => asymmetricPseudoLabelLoss(APL_Z, APL_Y, APL_M, { pseudo: [[null, null]] }),
      message:
        'asymmetricPseudoLabelLoss: pseudo must be 2 rows of 2 entries (a soft target in [0, 1] or null), one per row of the logits [2][2], got 1 row',
    },
    {
      entry: 'asymmetricPseudoLabelLoss',
      input: 'a soft target of 2 at an unknown entry',
      run: () =>
        asymmetricPseudoLabelLoss(APL_Z, APL_Y, APL_M, {
          pseudo: [
            [null, 2],
            [null, null],
          ],
        }),
      message:
        'asymmetricPseudoLabelLoss: pseudo[0][1] = 2 at an unknown entry (mask 0); expected a soft target in [0, 1] or null (no pseudo-label)',
    },
    {
      entry: 'aplPseudoLabelRound',
      input: 'numEpochs not above warmupEpoch',
      run: () =>
        aplPseudoLabelRound(
          [
            [0.1, 0.2],
            [0.3, 0.4],
          ],
          APL_M,
          APL_TABLE,
          { warmupEpoch: 5, numEpochs: 5 },
        ),
      message:
        'aplPseudoLabelRound: numEpochs = 5 must be above warmupEpoch = 5 (the pseudo-labels are spread over the epochs after the warm-up)',
    },
    {
      entry: 'aplPseudoLabelRound',
      input: 'a NaN score at an unknown entry',
      run: () =>
        aplPseudoLabelRound(
          [
            [0.1, NaN],
            [0.3, 0.4],
          ],
          APL_M,
          APL_TABLE,
        ),
      message:
        'aplPseudoLabelRound: scores[0,1] = NaN at an unknown entry (mask 0); expected a probability in [0, 1] (sigmoid of a logit)',
    },
    {
      entry: 'AsymmetricPseudoLabelLoss',
      input: 'warmupEpoch 2.5',
      run: () => new AsymmetricPseudoLabelLoss(dataset(), { warmupEpoch: 2.5 }),
      message:
        'AsymmetricPseudoLabelLoss: warmupEpoch = 2.5 is out of range: must be an integer >= 1',
    },
    {
      entry: 'runExperiment',
      input: 'em-apl with emAplNumEpochs not above emAplWarmupEpoch',
      run: () =>
        runExperiment(dataset(), dataset(), {
          ...EXPERIMENT,
          strategy: 'em-apl',
          emAplWarmupEpoch: 6,
          emAplNumEpochs: 4,
        }),
      message: 'runExperiment: emAplNumEpochs must be above emAplWarmupEpoch (6), got 4',
    },
    {
      entry: 'runExperiment',
      input: 'emAplNegProportion above 1',
      run: () => runExperiment(dataset(), dataset(), { ...EXPERIMENT, emAplNegProportion: 1.5 }),
      message: 'runExperiment: emAplNegProportion must be a number from 0 to 1, got 1.5',
    },
  ],
});

const GR = { w: 0, b: -2, mu: 0.5, sigma: 2 };
const PW = { numRows: 10, labelCounts: [1, 2, 0] };

groups.push({
  title: 'Missing-label losses, round two: GR and propensity-weighted BCE',
  rows: [
    {
      entry: 'generalizedRobustLoss',
      input: 'no `sigma`',
      run: () =>
        generalizedRobustLoss(logits(), zeros([2, 3]), undefined, { w: 0, b: -2, mu: 0.5 }),
      message: "generalizedRobustLoss: option 'sigma' is required (a finite number)",
    },
    {
      entry: 'generalizedRobustLoss',
      input: '`sigma: 0`',
      run: () => generalizedRobustLoss(logits(), zeros([2, 3]), undefined, { ...GR, sigma: 0 }),
      message: 'generalizedRobustLoss: sigma = 0 is out of range: must be a finite number > 0',
    },
    {
      entry: 'generalizedRobustLoss',
      input: '`q3: 0`',
      run: () => generalizedRobustLoss(logits(), zeros([2, 3]), undefined, { ...GR, q3: 0 }),
      message: 'generalizedRobustLoss: q3 = 0 is out of range: must be a finite number > 0',
    },
    {
      entry: 'grSchedule',
      input: 'epoch 0',
      run: () => grSchedule(0),
      message: 'grSchedule: epoch = 0 is out of range: must be an integer >= 1',
    },
    {
      entry: 'grSchedule',
      input: '`linearInit` as large as `numEpochs`',
      run: () => grSchedule(1, { numEpochs: 4, linearInit: 4 }),
      message:
        'grSchedule: linearInit = 4 is out of range: must be an integer from 0 to numEpochs - 1 (3)',
    },
    {
      entry: 'generalizedRobustPerEpoch',
      input: "called without the training loop's context",
      run: () =>
        generalizedRobustPerEpoch()(logits(), zeros([2, 3]), ones([2, 3]), undefined as never),
      message:
        "generalizedRobustPerEpoch: needs the training loop's context with an integer epoch >= 1, got no context",
    },
    {
      entry: 'propensityWeightedBce',
      input: 'no `numRows`',
      run: () =>
        propensityWeightedBce(logits(), zeros([2, 3]), undefined, { labelCounts: [1, 2, 0] }),
      message:
        "propensityWeightedBce: option 'numRows' is required (an integer >= 3, the training rows)",
    },
    {
      entry: 'propensityWeightedBce',
      input: '`numRows: 2`',
      run: () => propensityWeightedBce(logits(), zeros([2, 3]), undefined, { ...PW, numRows: 2 }),
      message:
        'propensityWeightedBce: numRows = 2 is out of range: must be an integer >= 3 (the training rows, so that ln N > 1)',
    },
    {
      entry: 'propensityWeightedBce',
      input: 'two label counts for three classes',
      run: () =>
        propensityWeightedBce(logits(), zeros([2, 3]), undefined, { ...PW, labelCounts: [1, 2] }),
      message:
        'propensityWeightedBce: labelCounts has 2 counts but the logits have 3 classes; give one count per class',
    },
    {
      entry: 'propensityWeightedBce',
      input: 'a label count above `numRows`',
      run: () =>
        propensityWeightedBce(logits(), zeros([2, 3]), undefined, {
          ...PW,
          labelCounts: [1, 11, 0],
        }),
      message:
        'propensityWeightedBce: labelCounts[1] = 11 is out of range: must be an integer from 0 to numRows (10)',
    },
    {
      entry: 'propensityWeightedBce',
      input: "`estimator: 'ips'`",
      run: () =>
        propensityWeightedBce(logits(), zeros([2, 3]), undefined, {
          ...PW,
          estimator: 'ips' as never,
        }),
      message:
        "propensityWeightedBce: estimator must be 'pw' or 'upperBound' or 'unbiased', got \"ips\"",
    },
    {
      entry: 'inversePropensity',
      input: 'no `labelCounts`',
      run: () => inversePropensity({ numRows: 10 } as never),
      message:
        "inversePropensity: option 'labelCounts' is required (the observed positives of each label)",
    },
    {
      entry: 'maskgrad train',
      input: '`--strategy pw --pw-estimator ips`',
      run: () => trainCli('--strategy', 'pw', '--pw-estimator', 'ips'),
      message: "train: --pw-estimator must be pw, upperBound or unbiased, got 'ips' (exit code 2)",
    },
    {
      entry: 'maskgrad train',
      input: '`--strategy gr --gr-epochs 0`',
      run: () => trainCli('--strategy', 'gr', '--gr-epochs', '0'),
      message: "train: --gr-epochs must be a positive integer, got '0' (exit code 2)",
    },
  ],
});

const roundTwoLogits = () => new Tensor(new Float64Array(4), [2, 2], true);
const roundTwoTargets = () => new Tensor(new Float64Array([1, 0, 0, 1]), [2, 2]);

groups.push({
  title: 'Missing-label losses, round two: Hill, SPLC and EM options',
  rows: [
    {
      entry: 'hillLoss',
      input: 'a negative `gamma`',
      run: () => hillLoss(roundTwoLogits(), roundTwoTargets(), undefined, { gamma: -1 }),
      message: 'hillLoss: gamma = -1 is out of range: must be a finite number >= 0',
    },
    {
      entry: 'hillLoss',
      input: "`reduction: 'none'` (Hill sums or averages)",
      run: () =>
        hillLoss(roundTwoLogits(), roundTwoTargets(), undefined, { reduction: 'none' as never }),
      message: `hillLoss: reduction must be 'sum' or 'mean', got "none"`,
    },
    {
      entry: 'splcLoss',
      input: 'no `epoch`',
      run: () => splcLoss(roundTwoLogits(), roundTwoTargets(), undefined, {}),
      message: "splcLoss: option 'epoch' is required (a finite number >= 0, counted from 0)",
    },
    {
      entry: 'splcLoss',
      input: '`tau` above 1',
      run: () => splcLoss(roundTwoLogits(), roundTwoTargets(), undefined, { epoch: 1, tau: 1.5 }),
      message: 'splcLoss: tau = 1.5 is out of range: must be a number in [0, 1]',
    },
    {
      entry: 'entropyMaximizationLoss',
      input: '`epsilon` 1',
      run: () =>
        entropyMaximizationLoss(roundTwoLogits(), roundTwoTargets(), undefined, { epsilon: 1 }),
      message: 'entropyMaximizationLoss: epsilon = 1 is out of range: must be a number in [0, 1)',
    },
    {
      entry: 'runExperiment',
      input: '`splcTau` above 1',
      run: () => runExperiment(dataset(), dataset(), { ...EXPERIMENT, splcTau: 1.5 }),
      message: 'runExperiment: splcTau must be a number from 0 to 1, got 1.5',
    },
    {
      entry: 'runExperiment',
      input: 'a negative `emAlpha`',
      run: () => runExperiment(dataset(), dataset(), { ...EXPERIMENT, emAlpha: -0.1 }),
      message: 'runExperiment: emAlpha must be a finite number >= 0, got -0.1',
    },
    {
      entry: 'maskgrad train',
      input: '`--hill-lambda` with `--strategy em`',
      run: () => trainCli('--strategy', 'em', '--hill-lambda', '2'),
      message:
        'train: --hill-lambda is an option of hill; --strategy em does not use it (exit code 2)',
    },
  ],
});

/** The message of the error `run` throws (failing the test if it throws none). */
function thrownBy(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error, 'an Error is thrown').to.be.instanceOf(Error);
    return (error as Error).message;
  }
  expect.fail('expected an error, but none was thrown');
}

/** The message JSON.parse gives for invalid JSON (it differs between Node versions). */
function jsonError(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    return (error as Error).message;
  }
  return '(valid JSON)';
}

/** Ends the generated part of docs/bad-input.md; what follows it (other tables) is kept. */
const END_MARKER = '<!-- end of the table generated by spec/bad-input.spec.ts -->';

/** Renders the table as Markdown: one table per group, paths as <dir>, newlines as ↵. */
function renderDoc(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const code = (text: string) => {
    const shown = text.split(dir).join('<dir>').replace(/\n/g, ' ↵ ');
    return shown.includes('`') ? `\`\` ${cell(shown)} \`\`` : `\`${cell(shown)}\``;
  };
  const lines = [
    '# What maskgrad rejects, and what it says',
    '',
    'Every public entry point checks its arguments and names itself, what was wrong and what',
    'it expected. Each row below is a case in `spec/bad-input.spec.ts`, which checks the whole',
    'message (`<dir>` stands for the directory of the file; `↵` for a line break).',
    'Regenerate the tables above the end marker with',
    '`MASKGRAD_WRITE_BAD_INPUT_DOC=1 npx mocha spec/bad-input.spec.ts`; sections after it are kept.',
  ];
  for (const group of groups) {
    lines.push(
      '',
      `## ${group.title}`,
      '',
      '| Entry point | Bad input | Error |',
      '| --- | --- | --- |',
    );
    for (const row of group.rows) {
      const message = row.shown ?? (typeof row.message === 'string' ? row.message : '');
      lines.push(`| \`${row.entry}\` | ${cell(row.input)} | ${code(message)} |`);
    }
  }
  lines.push('', END_MARKER);
  return lines.join('\n') + '\n';
}

// A root hook, so the directory goes even when --grep leaves these tests out.
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bad input: every public entry point names itself, what was wrong and what it expected', () => {
  for (const group of groups) {
    describe(group.title, () => {
      for (const row of group.rows) {
        it(`${row.entry}: ${row.input}`, () => {
          const actual = thrownBy(row.run);
          expect(actual).to.equal(typeof row.message === 'string' ? row.message : row.message());
        });
      }
    });
  }

  it('docs/bad-input.md starts with this table (sections after its end marker are kept)', () => {
    const doc = path.join(__dirname, '..', 'docs', 'bad-input.md');
    const rendered = renderDoc();
    const text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '';
    const end = text.indexOf(END_MARKER);
    const generated = end < 0 ? text : text.slice(0, end + END_MARKER.length + 1);
    if (process.env.MASKGRAD_WRITE_BAD_INPUT_DOC) {
      fs.writeFileSync(doc, rendered + (end < 0 ? '' : text.slice(generated.length)));
      return;
    }
    expect(
      generated,
      'docs/bad-input.md differs from the table in spec/bad-input.spec.ts; ' +
        'regenerate it with MASKGRAD_WRITE_BAD_INPUT_DOC=1 npx mocha spec/bad-input.spec.ts',
    ).to.equal(rendered);
  });
});
