// The Trainer: the one training step that fit and the playground share.
import { expect } from 'chai';
import {
  Adam,
  batches,
  type Batch,
  fit,
  isMaskgradError,
  Linear,
  type LossContext,
  type LossFunction,
  maskedBinaryCrossEntropyWithLogits,
  MLP,
  type MultiLabelDataset,
  PermanentCorrectionLoss,
  Random,
  SGD,
  Tensor,
  TrainingDivergedError,
} from '../src';
import { synthetic } from './support/synthetic-data';
import { thrown } from './support/thrown';
import { Trainer } from '../src/core/training';

const masked: LossFunction = (logits, targets, mask) =>
  maskedBinaryCrossEntropyWithLogits(logits, targets, mask);

const values = (params: Tensor[]) => params.map((p) => Array.from(p.data));

describe('Trainer: the one training step', () => {
  const data = synthetic(100, 5, 3, 'trainer-data');

  it('steps as fit does: the same batch losses and weights, bit for bit, with a stateful loss (LL-Cp)', () => {
    const fitModel = new MLP([5, 8, 3], { seed: 4 });
    const fitLosses: number[] = [];
    fit(fitModel, data, {
      loss: new PermanentCorrectionLoss({ deltaRel: 0.05 }),
      optimizer: new Adam(fitModel.parameters(), { lr: 0.01 }),
      epochs: 3,
      batchSize: 16,
      seed: 'order',
      hooks: { onBatch: (r) => fitLosses.push(r.loss) },
    });

    const model = new MLP([5, 8, 3], { seed: 4 });
    const trainer = new Trainer(model, data, {
      loss: new PermanentCorrectionLoss({ deltaRel: 0.05 }),
      optimizer: new Adam(model.parameters(), { lr: 0.01 }),
    });
    const rng = new Random('order');
    const losses: number[] = [];
    for (let epoch = 1; epoch <= 3; epoch++) {
      for (const batch of batches(data, 16, { rng })) losses.push(trainer.step(batch).loss);
      expect(trainer.endEpoch()).to.equal(epoch);
    }
    expect(losses).to.have.length(3 * 7);
    expect(losses.every((v, i) => Object.is(v, fitLosses[i]))).to.equal(true);
    const a = values(model.parameters());
    const b = values(fitModel.parameters());
    expect(a.every((p, i) => p.every((v, k) => Object.is(v, b[i][k])))).to.equal(true);
    expect(trainer.steps).to.equal(21);
  });

  it('numbers the batches from 1 in each epoch and gives the loss the context: epoch, batch, rows, train', () => {
    const model = new Linear(5, 3, { seed: 1 });
    const contexts: LossContext[] = [];
    const calls: string[] = [];
    const trainer = new Trainer(model, data, {
      loss: {
        forward(logits, targets, mask, context) {
          contexts.push(context);
          calls.push(`forward ${context.epoch}.${context.batch}`);
          return masked(logits, targets, mask, context);
        },
        afterStep: (context) => calls.push(`afterStep ${context.epoch}.${context.batch}`),
        afterEpoch: (epoch) => calls.push(`afterEpoch ${epoch}`),
      },
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    });
    expect([trainer.epoch, trainer.batch]).to.deep.equal([1, 0]);
    const epoch1 = [...batches(data, 40)];
    const reports = epoch1.map((b) => trainer.step(b));
    expect(reports.map((r) => [r.epoch, r.batch])).to.deep.equal([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    expect(trainer.batch).to.equal(3);
    trainer.endEpoch();
    expect([trainer.epoch, trainer.batch]).to.deep.equal([2, 0]);
    const [first] = batches(data, 40, { seed: 9 });
    expect(trainer.step(first)).to.include({ epoch: 2, batch: 1 });
    expect(calls).to.deep.equal([
      'forward 1.1',
      'afterStep 1.1',
      'forward 1.2',
      'afterStep 1.2',
      'forward 1.3',
      'afterStep 1.3',
      'afterEpoch 1',
      'forward 2.1',
      'afterStep 2.1',
    ]);
    expect(contexts[3].rows).to.equal(first.indices);
    expect(contexts.every((c) => c.train === data)).to.equal(true);
  });

  it("leaves the step's gradients on the parameters, as backward computed them", () => {
    const model = new Linear(5, 3, { seed: 1 });
    const trainer = new Trainer(model, data, {
      loss: masked,
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    });
    const [batch] = batches(data, 20);
    const copy = new Linear(5, 3, { seed: 1 });
    masked(copy.forward(batch.x), batch.y, batch.mask, undefined as never).backward();
    trainer.step(batch);
    expect(Array.from(model.weight.grad!.data)).to.deep.equal(Array.from(copy.weight.grad!.data));
  });

  it('a NaN loss stops training with the weights that gave the last finite loss, and takes no more steps', () => {
    const model = new Linear(5, 3, { seed: 1 });
    const initial = values(model.parameters());
    let calls = 0;
    const trainer = new Trainer(model, data, {
      loss: (logits, targets, mask, context) => {
        const loss = masked(logits, targets, mask, context);
        return ++calls === 2 ? loss.mul(NaN) : loss;
      },
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    });
    const [b1, b2, b3] = batches(data, 30);
    trainer.step(b1);
    expect(values(model.parameters())).to.not.deep.equal(initial);
    const error = thrown(() => trainer.step(b2));
    expect(error).to.be.instanceOf(TrainingDivergedError);
    expect(error.message).to.equal(
      'Trainer: the training loss became NaN at epoch 1, batch 2; stopped, and the model keeps the ' +
        'weights of the last step with a finite loss (try a smaller learning rate)',
    );
    // The weights batch 1's loss came from (the step after it gave batch 2 its NaN).
    expect(values(model.parameters())).to.deep.equal(initial);
    const again = thrown(() => trainer.step(b3));
    expect(isMaskgradError(again, 'ERR_STATE')).to.equal(true);
    expect(again.message).to.equal(
      "Trainer.step: training stopped at epoch 1, batch 2 (loss became NaN); the optimizer's state " +
        'has seen that step, so make a new Trainer',
    );
    expect(calls).to.equal(2);
  });

  it('a step that makes a parameter infinite puts back the weights from before it', () => {
    const model = new Linear(5, 3, { seed: 1 });
    const initial = values(model.parameters());
    const trainer = new Trainer(model, data, {
      loss: (logits, targets, mask, context) => masked(logits, targets, mask, context).mul(1e300),
      optimizer: new SGD(model.parameters(), { lr: 1e300 }),
    });
    const [batch] = batches(data, 100);
    const error = thrown(() => trainer.step(batch)) as TrainingDivergedError;
    expect(error.source).to.equal('parameter');
    expect([error.epoch, error.batch]).to.deep.equal([1, 1]);
    expect(error.message).to.match(
      /^Trainer: the optimizer step at epoch 1, batch 1 made parameter/,
    );
    expect(values(model.parameters())).to.deep.equal(initial);
  });

  it("outputDiverged names the last ended epoch and its last batch, and puts back the last step's weights", () => {
    const model = new Linear(5, 3, { seed: 1 });
    const trainer = new Trainer(model, data, {
      loss: masked,
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    });
    const early = thrown(() => trainer.outputDiverged('training-output', NaN));
    expect(isMaskgradError(early, 'ERR_STATE')).to.equal(true);
    const all = [...batches(data, 25)];
    all.slice(0, 3).forEach((b) => trainer.step(b));
    const beforeLast = values(model.parameters());
    trainer.step(all[3]);
    trainer.endEpoch();
    const error = trainer.outputDiverged('validation-output', -Infinity);
    expect([error.epoch, error.batch, error.source]).to.deep.equal([1, 4, 'validation-output']);
    expect(values(model.parameters())).to.deep.equal(beforeLast);
    expect(
      isMaskgradError(
        thrown(() => trainer.endEpoch()),
        'ERR_STATE',
      ),
    ).to.equal(true);
  });

  it('ending an epoch with no batch in it is a state error', () => {
    const model = new Linear(5, 3, { seed: 1 });
    const trainer = new Trainer(model, data, {
      loss: masked,
      optimizer: new SGD(model.parameters(), { lr: 0.1 }),
    });
    const error = thrown(() => trainer.endEpoch());
    expect(isMaskgradError(error, 'ERR_STATE')).to.equal(true);
    expect(error.message).to.equal(
      'Trainer.endEpoch: epoch 1 has had no batch; step at least one before ending it',
    );
  });

  describe('bad input', () => {
    const model = new Linear(5, 3, { seed: 1 });
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const trainer = new Trainer(model, data, { loss: masked, optimizer });
    const [batch] = batches(data, 10);

    it('names the Trainer, what was wrong and what was expected', () => {
      expect(() => new Trainer(model, data, { loss: 'masked' as never, optimizer })).to.throw(
        'Trainer: loss must be a function (logits, targets, mask, context) => Tensor, or an object { forward, afterStep?, afterEpoch? }, got "masked"',
      );
      const other = new Linear(5, 3, { seed: 2 });
      expect(
        () =>
          new Trainer(model, data, {
            loss: masked,
            optimizer: new SGD(other.parameters(), { lr: 0.1 }),
          }),
      ).to.throw(
        "Trainer: the optimizer updates none of the model's parameters; build it from model.parameters()",
      );
      expect(() => new Trainer(model, data, { loss: masked, optimizer, lr: 1 } as never)).to.throw(
        "Trainer: unknown option 'lr' (allowed: loss, optimizer, caller)",
      );
      const nan = synthetic(4, 5, 3, 'nan');
      nan.x.data[7] = NaN;
      expect(() => new Trainer(model, nan, { loss: masked, optimizer })).to.throw(
        'Trainer: feature 2 ("f2") of training row 1 is NaN; expected a finite number',
      );
    });

    it('a batch that is not rows of the training data', () => {
      expect(() => trainer.step(null as never)).to.throw(
        'Trainer.step: expected a batch { x [B, 5], y [B, 3], mask [B, 3], indices } of training rows (as batches() yields), got null',
      );
      const narrow: Batch = { ...batch, x: new Tensor(new Float64Array(40), [10, 4]) };
      const error = thrown(() => trainer.step(narrow));
      expect(isMaskgradError(error, 'ERR_SHAPE')).to.equal(true);
      expect(error.message).to.match(/got x \[10,4\], y \[10,3\], mask \[10,3\] and 10 indices$/);
      const indices = batch.indices.slice();
      indices[3] = 100;
      expect(() => trainer.step({ ...batch, indices })).to.throw(
        'Trainer.step: batch row 3 says it is training row 100, but the training data has 100 rows (0 to 99)',
      );
    });

    it('a loss that returns no scalar', () => {
      const t = new Trainer(model, data, { loss: (logits) => logits, optimizer });
      expect(() => t.step(batch)).to.throw(
        'Trainer.step: the loss must return a scalar Tensor (one element)',
      );
    });
  });
});

describe('Trainer: a loss the parameters do not reach, an optimizer that throws (issue 21, class 6)', () => {
  const data = synthetic(12, 3, 2, 'reach');
  const setup = () => {
    const model = new Linear(3, 2, { seed: 4 });
    return { model, params: model.parameters() };
  };
  const firstBatch = (): Batch => batches(data, 12).next().value as Batch;

  it('a loss that does not require a gradient is an error naming Trainer.step, before any step', () => {
    const { model, params } = setup();
    const before = values(params);
    const loss: LossFunction = (_logits, targets) => targets.sum();
    const trainer = new Trainer(model, data, {
      loss,
      optimizer: new SGD(params, { lr: 0.1 }),
    });
    const e = thrown(() => trainer.step(firstBatch()));
    expect(isMaskgradError(e, 'ERR_ARGUMENT')).to.equal(true);
    expect(e.message).to.equal(
      "Trainer.step: the loss at epoch 1, batch 1 does not depend on the model's parameters (the tensor " +
        'it returned does not require a gradient), so training would change nothing; check that the loss ' +
        'is computed from the logits it is given (its first argument), not under noGrad, from detach(), ' +
        '.data or .item()',
    );
    expect(values(params)).to.deep.equal(before);
    expect(trainer.steps).to.equal(0);
  });

  it('a loss from which no parameter gets a gradient is an error at the first step', () => {
    const { model, params } = setup();
    const before = values(params);
    const other = new Tensor(new Float64Array([2]), [], true);
    const loss: LossFunction = (_logits, targets) => targets.sum().mul(other);
    const trainer = new Trainer(model, data, { loss, optimizer: new SGD(params, { lr: 0.1 }) });
    const e = thrown(() => trainer.step(firstBatch()));
    expect(e.message).to.equal(
      'Trainer.step: no parameter of the model received a gradient from the loss at the first step, so ' +
        'training would change nothing; check that the loss is computed from the logits it is given ' +
        '(its first argument), not from other tensors with requiresGrad: true',
    );
    expect(values(params)).to.deep.equal(before);
  });

  it('an optimizer step that throws part-way is undone before its error goes on', () => {
    const { model, params } = setup();
    const optimizer = new SGD(params, { lr: 0.5 });
    const trainer = new Trainer(model, data, { loss: masked, optimizer });
    trainer.step(firstBatch());
    const before = values(params);
    const step = optimizer.step.bind(optimizer);
    optimizer.step = () => {
      step(); // every parameter updated...
      throw new Error('disk full'); // ...then a failure
    };
    expect(thrown(() => trainer.step(firstBatch())).message).to.equal('disk full');
    expect(values(params)).to.deep.equal(before);
  });
});
