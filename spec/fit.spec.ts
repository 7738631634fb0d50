import { expect } from 'chai';
import {
  Adam,
  add,
  batches,
  div,
  fit,
  type FitOptions,
  isMaskgradError,
  Linear,
  type LossContext,
  type LossFunction,
  maskedBinaryCrossEntropyWithLogits,
  MLP,
  Module,
  mul,
  type MultiLabelDataset,
  pow,
  predictProbabilities,
  Random,
  SGD,
  sigmoid,
  sub,
  sum,
  tanh,
  Tensor,
  TrainingDivergedError,
  validationMap,
} from '../src';
import { synthetic } from './support/synthetic-data';
import { thrown } from './support/thrown';

/** Squared error of the probabilities over the observed labels: a loss fit knows nothing about. */
const brier: LossFunction = (logits, targets, mask) =>
  div(sum(mul(pow(sub(sigmoid(logits), targets), 2), mask)), Math.max(1, sum(mask).item()));

const masked: LossFunction = (logits, targets, mask) =>
  maskedBinaryCrossEntropyWithLogits(logits, targets, mask);

/** A model that is not an MLP: a linear branch plus a small tanh branch, added. */
class TwoBranch extends Module {
  readonly wide: Linear;
  readonly hidden: Linear;
  readonly head: Linear;

  constructor(features: number, classes: number, seed: string) {
    super();
    const rng = new Random(seed);
    this.wide = this.registerModule('wide', new Linear(features, classes, { rng }));
    this.hidden = this.registerModule('hidden', new Linear(features, 8, { rng }));
    this.head = this.registerModule('head', new Linear(8, classes, { rng }));
  }

  forward(x: Tensor): Tensor {
    return add(this.wide.forward(x), this.head.forward(tanh(this.hidden.forward(x))));
  }
}

const values = (model: Module) => model.parameters().map((p) => p.data.slice());
const bitEqual = (a: Float64Array[], b: Float64Array[]) =>
  a.length === b.length &&
  a.every((v, i) => v.length === b[i].length && v.every((x, k) => Object.is(x, b[i][k])));

describe('fit: any Module, any optimizer, any loss', () => {
  const data = synthetic(120, 6, 3, 'fit-data');

  it('trains a single Linear with a custom loss function (squared error of probabilities): the loss goes down', () => {
    const model = new Linear(6, 3, { seed: 1 });
    const { history, bestEpoch } = fit(model, data, {
      loss: brier,
      optimizer: new SGD(model.parameters(), { lr: 0.5 }),
      epochs: 15,
      batchSize: 16,
      seed: 1,
    });
    expect(history).to.have.length(15);
    expect(bestEpoch).to.equal(15);
    expect(history[14].loss).to.be.lessThan(0.6 * history[0].loss);
  });

  it('trains a custom Module with two branches with Adam: the loss goes down and both branches learn', () => {
    const model = new TwoBranch(6, 3, 'two-branch');
    const before = values(model);
    const { history, model: trained } = fit(model, data, {
      loss: masked,
      optimizer: new Adam(model.parameters(), { lr: 0.02 }),
      epochs: 10,
      batchSize: 32,
      seed: 'order',
    });
    expect(trained).to.equal(model);
    expect(history[9].loss).to.be.lessThan(0.7 * history[0].loss);
    const after = values(model);
    after.forEach((p, i) => expect(bitEqual([p], [before[i]]), `parameter ${i}`).to.equal(false));
  });

  it('gives a StatefulLoss every batch: afterStep with the context forward had, afterEpoch after the last batch', () => {
    const model = new Linear(6, 3, { seed: 2 });
    const calls: string[] = [];
    const contexts: LossContext[] = [];
    const loss = {
      forward(logits: Tensor, targets: Tensor, mask: Tensor, context: LossContext) {
        // The batch's rows are the training rows context.rows names, in that order.
        const C = targets.shape[1];
        context.rows.forEach((row, i) => {
          for (let c = 0; c < C; c++) {
            expect(targets.data[i * C + c]).to.equal(context.train.y.data[row * C + c]);
            expect(mask.data[i * C + c]).to.equal(context.train.mask.data[row * C + c]);
          }
        });
        expect(context.train).to.equal(data);
        calls.push(`forward ${context.epoch}.${context.batch}`);
        contexts.push(context);
        return masked(logits, targets, mask, context);
      },
      afterStep(context: LossContext) {
        expect(context).to.equal(contexts[contexts.length - 1]);
        calls.push(`afterStep ${context.epoch}.${context.batch}`);
      },
      afterEpoch(epoch: number) {
        calls.push(`afterEpoch ${epoch}`);
      },
    };
    fit(model, data, {
      loss,
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      epochs: 2,
      batchSize: 50,
      seed: 'stateful',
    });
    const epoch = (e: number) => [
      ...[1, 2, 3].flatMap((b) => [`forward ${e}.${b}`, `afterStep ${e}.${b}`]),
      `afterEpoch ${e}`,
    ];
    expect(calls).to.deep.equal([...epoch(1), ...epoch(2)]);
    // The rows are the batch order of `batches` with a generator seeded by `seed`, one
    // epoch after the other; each epoch visits every row once.
    const rng = new Random('stateful');
    const expected = [1, 2].flatMap(() =>
      [...batches(data, 50, { rng })].map((b) => Array.from(b.indices)),
    );
    expect(contexts.map((c) => Array.from(c.rows))).to.deep.equal(expected);
    for (const e of [0, 3]) {
      const rows = contexts.slice(e, e + 3).flatMap((c) => Array.from(c.rows));
      expect(rows.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 120 }, (_, i) => i));
    }
  });

  it('with shuffle: false visits the rows in order and needs no seed', () => {
    const model = new Linear(6, 3, { seed: 3 });
    const seen: number[][] = [];
    fit(model, data, {
      loss: (z, y, m, context) => {
        seen.push(Array.from(context.rows));
        return masked(z, y, m, context);
      },
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      epochs: 1,
      batchSize: 100,
      shuffle: false,
    });
    expect(seen).to.deep.equal([
      Array.from({ length: 100 }, (_, i) => i),
      Array.from({ length: 20 }, (_, i) => 100 + i),
    ]);
  });

  it('the same seed gives bit-identical weights and losses', () => {
    const run = () => {
      const model = new MLP([6, 5, 3], { seed: 4 });
      const { history } = fit(model, data, {
        loss: masked,
        optimizer: new Adam(model.parameters(), { lr: 0.01 }),
        epochs: 3,
        seed: 9,
      });
      return { losses: history.map((h) => h.loss), weights: values(model) };
    };
    const a = run();
    const b = run();
    expect(a.losses.every((v, i) => Object.is(v, b.losses[i]))).to.equal(true);
    expect(bitEqual(a.weights, b.weights)).to.equal(true);
  });

  it('calls onBatch after each step and onEpoch after each epoch, with their reports', () => {
    const model = new Linear(6, 3, { seed: 5 });
    const batchReports: unknown[] = [];
    const epochReports: unknown[] = [];
    const { history } = fit(model, data, {
      loss: masked,
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
      epochs: 2,
      batchSize: 64,
      seed: 1,
      hooks: {
        onBatch: (r) => batchReports.push({ ...r }),
        onEpoch: (r) => epochReports.push(r),
      },
    });
    expect(batchReports.map((r) => JSON.stringify({ ...(r as object), loss: 0 }))).to.deep.equal(
      [
        [1, 1],
        [1, 2],
        [2, 1],
        [2, 2],
      ].map(([epoch, batch]) => JSON.stringify({ epoch, batch, batchCount: 2, loss: 0 })),
    );
    const losses = batchReports.map((r) => (r as { loss: number }).loss);
    expect(epochReports).to.deep.equal(history);
    expect(history[0].loss).to.equal((losses[0] + losses[1]) / 2);
    expect(history.map((h) => [h.epoch, Number.isNaN(h.valMetric), h.best])).to.deep.equal([
      [1, true, true],
      [2, true, true],
    ]);
  });

  describe('validation and early stopping', () => {
    const train = synthetic(60, 4, 2, 'val-train');
    const val = synthetic(30, 4, 2, 'val-rows');
    /** A metric that returns the scripted scores, one per epoch. */
    const scripted = (scores: number[]) => {
      let epoch = 0;
      return () => scores[epoch++];
    };
    const run = (options: Partial<FitOptions['validation']>, scores: number[]) => {
      const model = new Linear(4, 2, { seed: 6 });
      const weights: Float64Array[][] = [];
      const result = fit(model, train, {
        loss: masked,
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        epochs: 10,
        batchSize: 20,
        seed: 2,
        validation: { data: val, metric: scripted(scores), ...options },
        hooks: { onEpoch: () => weights.push(values(model)) },
      });
      return { ...result, weights, model };
    };

    it("stops after `patience` epochs without a better score and keeps the best epoch's weights", () => {
      const r = run({ patience: 2 }, [0.1, 0.5, 0.5, 0.3, 0.9]);
      expect(r.history.map((h) => h.valMetric)).to.deep.equal([0.1, 0.5, 0.5, 0.3]);
      expect(r.history.map((h) => h.best)).to.deep.equal([true, true, false, false]);
      expect(r.bestEpoch).to.equal(2);
      expect(bitEqual(values(r.model), r.weights[1])).to.equal(true);
    });

    it("with keepBest: false ends with the last epoch's weights", () => {
      const r = run({ patience: 2, keepBest: false }, [0.1, 0.5, 0.5, 0.3]);
      expect(r.history).to.have.length(4);
      expect(r.bestEpoch).to.equal(4);
      expect(bitEqual(values(r.model), r.weights[3])).to.equal(true);
    });

    it('without patience trains every epoch; the default metric is mAP over the known labels', () => {
      const model = new Linear(4, 2, { seed: 7 });
      const { history } = fit(model, train, {
        loss: masked,
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        epochs: 3,
        seed: 3,
        validation: { data: val },
      });
      expect(history).to.have.length(3);
      for (const h of history) expect(h.valMetric).to.be.within(0, 1);
    });

    it('a metric that returns NaN is an error naming the epoch', () => {
      const e = thrown(() => run({}, [0.2, NaN]));
      expect(e.message).to.equal(
        'fit: validation.metric returned NaN after epoch 2; expected a number (higher is better)',
      );
    });
  });
});

describe('fit: divergence and bad data', () => {
  // Linear(2 -> 1) on one row [1, 1], with a loss of 1e300 times the output: its gradient
  // is 1e300 for every parameter, so SGD's learning rate sets how far one step goes.
  const one: MultiLabelDataset = {
    x: new Tensor(new Float64Array([1, 1]), [1, 2]),
    y: new Tensor(new Float64Array([1]), [1, 1]),
    mask: new Tensor(new Float64Array([1]), [1, 1]),
    featureNames: ['a', 'b'],
    labelNames: ['L'],
  };
  const huge: LossFunction = (logits) => mul(sum(logits), 1e300);
  const diverge = (lr: number, options: Partial<FitOptions> = {}) => {
    const model = new Linear(2, 1, { seed: 1 });
    const initial = values(model);
    const error = thrown(() =>
      fit(model, one, {
        loss: huge,
        optimizer: new SGD(model.parameters(), { lr }),
        epochs: 1,
        seed: 1,
        ...options,
      }),
    );
    expect(error).to.be.instanceOf(TrainingDivergedError);
    expect(isMaskgradError(error, 'ERR_DIVERGED')).to.equal(true);
    const e = error as TrainingDivergedError;
    expect(e.model).to.equal(model);
    // Back at the weights from before the step that broke them: here the initial ones.
    expect(bitEqual(values(model), initial)).to.equal(true);
    return e;
  };

  it('a step that makes a parameter infinite (on the last batch of the epoch) stops training at once', () => {
    const e = diverge(1e300);
    expect(e.source).to.equal('parameter');
    expect([e.epoch, e.batch, e.value]).to.deep.equal([1, 1, -Infinity]);
    expect(e.message).to.equal(
      "fit: the optimizer step at epoch 1, batch 1 made parameter 'weight' -Infinity; stopped, and the model " +
        'keeps the weights from before that step (try a smaller learning rate)',
    );
  });

  // lr 1e8: every parameter becomes about -1e308, finite, but the output -3e308 overflows.
  it('finite weights whose output overflows after the last step: caught on the validation rows', () => {
    const e = diverge(1e8, { epochs: 3, validation: { data: one } });
    expect(e.source).to.equal('validation-output');
    expect(e.message).to.equal(
      "fit: the model's output on the validation rows became -Infinity after epoch 1 (last batch 1); " +
        'stopped, and the model keeps the weights from before its last step (try a smaller learning rate)',
    );
  });

  it('... and without validation, on the training rows after the last epoch', () => {
    const e = diverge(1e8);
    expect(e.source).to.equal('training-output');
    expect(e.message).to.equal(
      "fit: the model's output on the training rows became -Infinity after epoch 1 (last batch 1); " +
        'stopped, and the model keeps the weights from before its last step (try a smaller learning rate)',
    );
  });

  it("... and by the next epoch's first loss when there is one", () => {
    const e = diverge(1e8, { epochs: 2 });
    expect(e.source).to.equal('loss');
    expect(e.message).to.equal(
      'fit: the training loss became -Infinity at epoch 2, batch 1; stopped, and the model keeps the ' +
        'weights of the last step with a finite loss (try a smaller learning rate)',
    );
  });

  it('a NaN or infinite feature is bad data, named by row and column, before any training', () => {
    for (const [bad, shown] of [
      [NaN, 'NaN'],
      [-Infinity, '-Infinity'],
    ] as const) {
      const data = synthetic(5, 3, 2, 'bad-feature');
      data.x.data[3 * 3 + 2] = bad;
      const model = new Linear(3, 2, { seed: 1 });
      const before = values(model);
      const e = thrown(() =>
        fit(model, data, {
          loss: masked,
          optimizer: new SGD(model.parameters(), { lr: 0.1 }),
          epochs: 1,
          seed: 1,
        }),
      );
      expect(e).to.not.be.instanceOf(TrainingDivergedError);
      expect(isMaskgradError(e, 'ERR_ARGUMENT')).to.equal(true);
      expect(e.message).to.equal(
        `fit: feature 2 ("f2") of training row 3 is ${shown}; expected a finite number ` +
          '(this is bad input data, not a learning-rate problem: fix or drop the row)',
      );
      expect(bitEqual(values(model), before)).to.equal(true);
    }
  });

  it('a NaN feature in the validation rows too', () => {
    const val = synthetic(4, 3, 2, 'bad-val');
    val.x.data[0] = NaN;
    const model = new Linear(3, 2, { seed: 1 });
    const e = thrown(() =>
      fit(model, synthetic(5, 3, 2, 'ok'), {
        loss: masked,
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        epochs: 1,
        seed: 1,
        validation: { data: val },
      }),
    );
    expect(e.message).to.match(/^fit: feature 0 \("f0"\) of validation row 0 is NaN;/);
  });
});

describe('fit: bad arguments and options are clear errors', () => {
  const data = synthetic(10, 3, 2, 'args');
  const model = new Linear(3, 2, { seed: 1 });
  const valid = (): FitOptions => ({
    loss: masked,
    optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    epochs: 1,
    seed: 1,
  });
  const cases: [string, () => unknown, string][] = [
    [
      'a misspelt option',
      () => fit(model, data, { ...valid(), epoch: 3 } as never),
      "fit: unknown option 'epoch' (allowed: loss, optimizer, epochs, batchSize, shuffle, seed, rng, validation, hooks)",
    ],
    [
      'a misspelt validation option',
      () => fit(model, data, { ...valid(), validation: { data, patiense: 3 } } as never),
      "fit: validation: unknown option 'patiense' (allowed: data, metric, patience, keepBest)",
    ],
    [
      'a misspelt hook',
      () => fit(model, data, { ...valid(), hooks: { onEpochEnd() {} } } as never),
      "fit: hooks: unknown option 'onEpochEnd' (allowed: onBatch, onEpoch)",
    ],
    [
      'null data',
      () => fit(model, null as never, valid()),
      'fit: data must be a data set { x, y, mask, featureNames, labelNames }, got null',
    ],
    [
      'null hooks',
      () => fit(model, data, { ...valid(), hooks: null as never }),
      'fit: hooks must be an object { onBatch?, onEpoch? }, got null',
    ],
    [
      'a hook that is not a function',
      () => fit(model, data, { ...valid(), hooks: { onEpoch: 'log' as never } }),
      'fit: hooks.onEpoch must be a function, got "log"',
    ],
    [
      'null validation',
      () => fit(model, data, { ...valid(), validation: null as never }),
      'fit: validation must be an object { data, metric?, patience?, keepBest? }, got null',
    ],
    [
      'a training set with no rows',
      () =>
        fit(
          model,
          {
            ...data,
            x: new Tensor(new Float64Array(0), [0, 3]),
            y: new Tensor(new Float64Array(0), [0, 2]),
            mask: new Tensor(new Float64Array(0), [0, 2]),
          },
          valid(),
        ),
      'fit: the training data has no rows; expected at least one',
    ],
    [
      'a model that is not a Module',
      () => fit({ forward: (x: Tensor) => x } as never, data, valid()),
      'fit: model must be a Module, got an object',
    ],
    [
      'no loss',
      () => fit(model, data, { ...valid(), loss: undefined as never }),
      'fit: loss must be a function (logits, targets, mask, context) => Tensor, or an object { forward, afterStep?, afterEpoch? }, got undefined',
    ],
    [
      'an optimizer name instead of an optimizer',
      () => fit(model, data, { ...valid(), optimizer: 'adam' as never }),
      'fit: optimizer must be an Optimizer over the model\'s parameters (e.g. new Adam(model.parameters(), { lr: 1e-3 })), got "adam"',
    ],
    [
      "an optimizer over another model's parameters",
      () =>
        fit(model, data, {
          ...valid(),
          optimizer: new SGD(new Linear(3, 2, { seed: 2 }).parameters(), { lr: 0.1 }),
        }),
      "fit: the optimizer updates none of the model's parameters; build it from model.parameters()",
    ],
    [
      'no seed',
      () => fit(model, data, { ...valid(), seed: undefined }),
      'fit: pass { seed } or { rng }: maskgrad never draws random numbers without a seed',
    ],
    [
      'a fractional number of epochs',
      () => fit(model, data, { ...valid(), epochs: 2.5 }),
      'fit: epochs must be a positive integer, got 2.5',
    ],
    [
      'a loss that returns a number',
      () => fit(model, data, { ...valid(), loss: () => 1 as never }),
      'fit: the loss must return a scalar Tensor (one element), got 1',
    ],
    [
      'validation rows with other labels',
      () => fit(model, data, { ...valid(), validation: { data: synthetic(4, 3, 5, 'v') } }),
      'fit: validation.data has 3 features and 5 labels but the training data has 3 and 2; they must match',
    ],
  ];
  for (const [what, run, message] of cases) {
    it(what, () => {
      const e = thrown(run);
      expect(isMaskgradError(e), e.stack).to.equal(true);
      expect(e.message).to.equal(message);
    });
  }
});

describe('fit after an exception: the same weights as the divergence guard or keepBest (issue 21, class 6)', () => {
  const train = synthetic(60, 4, 2, 'exc-train');
  const val = synthetic(30, 4, 2, 'exc-val');
  /** The masked loss, but at (epoch, batch) `at` it throws, or returns NaN with `nan`. */
  const failingAt =
    (at: [number, number], nan = false): LossFunction =>
    (logits, targets, mask, context: LossContext) => {
      if (context.epoch === at[0] && context.batch === at[1]) {
        if (nan) return mul(sum(logits), NaN);
        throw new Error('the loss failed');
      }
      return maskedBinaryCrossEntropyWithLogits(logits, targets, mask);
    };
  /** fit for up to 6 epochs of 3 batches; the weights after each epoch, and what it threw. */
  const run = (options: Partial<FitOptions>, scores?: number[]) => {
    const model = new Linear(4, 2, { seed: 8 });
    const weights: Float64Array[][] = [];
    let epoch = 0;
    const error = thrown(() =>
      fit(model, train, {
        loss: masked,
        optimizer: new Adam(model.parameters(), { lr: 0.05 }),
        epochs: 6,
        batchSize: 20,
        seed: 3,
        ...(scores ? { validation: { data: val, metric: () => scores[epoch++] } } : {}),
        ...options,
        hooks: {
          onEpoch: (r) => {
            weights.push(values(model));
            options.hooks?.onEpoch?.(r);
          },
        },
      }),
    );
    return { error, model, weights };
  };

  it("with keepBest, a loss that throws in epoch 4 leaves epoch 3's best weights", () => {
    const r = run({ loss: failingAt([4, 2]) }, [0.1, 0.5, 0.9, 0.2, 0.3, 0.4]);
    expect(r.error.message).to.equal('the loss failed');
    expect(r.weights).to.have.length(3);
    expect(bitEqual(values(r.model), r.weights[2])).to.equal(true);
  });

  it("with keepBest, a hook or the metric that throws leaves the best epoch's weights", () => {
    const hook = run(
      {
        hooks: {
          onEpoch: (report) => {
            if (report.epoch === 4) throw new Error('the log is full');
          },
        },
      },
      [0.1, 0.8, 0.3, 0.2, 0.3, 0.4],
    );
    expect(hook.error.message).to.equal('the log is full');
    expect(hook.weights).to.have.length(4);
    expect(bitEqual(values(hook.model), hook.weights[1])).to.equal(true);
    const metric = run({}, [0.1, 0.8, 0.3]);
    expect(metric.error.message).to.match(
      /^fit: validation\.metric returned undefined after epoch 4/,
    );
    expect(bitEqual(values(metric.model), metric.weights[1])).to.equal(true);
  });

  it("with keepBest, divergence too ends with the best epoch's weights, and says so", () => {
    const r = run({ loss: failingAt([4, 2], true) }, [0.1, 0.5, 0.9, 0.2, 0.3, 0.4]);
    expect(r.error).to.be.instanceOf(TrainingDivergedError);
    const e = r.error as TrainingDivergedError;
    expect([e.epoch, e.batch, e.source, e.keptEpoch]).to.deep.equal([4, 2, 'loss', 3]);
    expect(e.message).to.equal(
      'fit: the training loss became NaN at epoch 4, batch 2; stopped, and the model keeps the weights ' +
        'of epoch 3, the best on validation (keepBest) (try a smaller learning rate)',
    );
    expect(bitEqual(values(r.model), r.weights[2])).to.equal(true);
  });

  it('without keepBest, a loss that throws leaves the weights the divergence guard would (bit for bit)', () => {
    for (const options of [{}, { validation: { data: val, keepBest: false } }] as const) {
      const thrownAt = run({ ...options, loss: failingAt([3, 2]) });
      const nanAt = run({ ...options, loss: failingAt([3, 2], true) });
      expect(thrownAt.error.message).to.equal('the loss failed');
      expect(nanAt.error).to.be.instanceOf(TrainingDivergedError);
      expect(bitEqual(values(thrownAt.model), values(nanAt.model))).to.equal(true);
      // The weights that gave the last finite loss (3, 1): those after epoch 2.
      expect(bitEqual(values(thrownAt.model), thrownAt.weights[1])).to.equal(true);
    }
  });

  it('without validation, an onBatch hook that throws leaves the last good weights too', () => {
    const model = new Linear(4, 2, { seed: 8 });
    const weights: Float64Array[][] = [];
    const e = thrown(() =>
      fit(model, train, {
        loss: masked,
        optimizer: new Adam(model.parameters(), { lr: 0.05 }),
        epochs: 3,
        batchSize: 20,
        seed: 3,
        hooks: {
          onBatch: (r) => {
            if (r.epoch === 2 && r.batch === 1) throw new Error('stop');
          },
          onEpoch: () => weights.push(values(model)),
        },
      }),
    );
    expect(e.message).to.equal('stop');
    expect(bitEqual(values(model), weights[0])).to.equal(true);
  });

  it('a loss that does not depend on the parameters is an error naming fit, at the first step', () => {
    const model = new Linear(4, 2, { seed: 8 });
    const before = values(model);
    const onBatch: number[] = [];
    const e = thrown(() =>
      fit(model, train, {
        loss: (_logits, targets) => sum(targets),
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        epochs: 3,
        seed: 1,
        hooks: { onBatch: (r) => onBatch.push(r.batch) },
      }),
    );
    expect(e.message).to.match(
      /^fit: the loss at epoch 1, batch 1 does not depend on the model's parameters/,
    );
    expect(onBatch).to.deep.equal([]);
    expect(bitEqual(values(model), before)).to.equal(true);
    const other = new Tensor(new Float64Array([1]), [], true);
    const e2 = thrown(() =>
      fit(model, train, {
        loss: (_logits, targets) => mul(sum(targets), other),
        optimizer: new SGD(model.parameters(), { lr: 0.1 }),
        epochs: 3,
        seed: 1,
      }),
    );
    expect(e2.message).to.match(
      /^fit: no parameter of the model received a gradient from the loss at the first step/,
    );
  });
});

describe('predictProbabilities, validationMap and TrainingDivergedError on bad arguments (issue 21, class 5)', () => {
  it('name themselves and what they expected, instead of a raw TypeError', () => {
    const model = new Linear(2, 1, { seed: 1 });
    expect(
      thrown(() => predictProbabilities(null as never, new Tensor(new Float64Array(2), [1, 2])))
        .message,
    ).to.equal('predictProbabilities: model must be a Module, got null');
    expect(thrown(() => predictProbabilities(model, [[1, 2]] as never)).message).to.equal(
      'predictProbabilities: x must be a Tensor of features [N, D], got [[1,2]]',
    );
    expect(thrown(() => validationMap(undefined as never, undefined as never)).message).to.equal(
      'validationMap: logits must be a Tensor [N, C], got undefined',
    );
    expect(
      thrown(() => validationMap(new Tensor(new Float64Array(1), [1, 1]), null as never)).message,
    ).to.equal(
      'validationMap: data must be a data set { x, y, mask, featureNames, labelNames }, got null',
    );
    expect(thrown(() => new TrainingDivergedError(undefined as never)).message).to.equal(
      'TrainingDivergedError: expected details { epoch, batch, source, value, model }, got undefined',
    );
  });
});
