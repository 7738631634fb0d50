import { expect } from 'chai';
import {
  Adam,
  add,
  batches,
  isMaskgradError,
  Linear,
  maskedBinaryCrossEntropyWithLogits as maskedBce,
  noGrad,
  Random,
  largeLossLoss,
  log,
  mul,
  PermanentCorrectionLoss,
  pow,
  RoleLoss,
  sigmoid,
  sub,
  sum,
  take,
  Tensor,
  tensor,
} from '../src';
import type { LossContext, MultiLabelDataset, StatefulLoss } from '../src';

/** A training set of `y` and `mask` ([N, C]) as the context carries it; the losses read no features. */
function trainingSet(y: number[][], mask: number[][]): MultiLabelDataset {
  return {
    x: tensor(y.map(() => [0])),
    y: tensor(y),
    mask: tensor(mask),
    featureNames: ['x'],
    labelNames: y[0].map((_, c) => `l${c}`),
  };
}

function context(
  train: MultiLabelDataset,
  epoch: number,
  batch: number,
  rows: number[],
): LossContext {
  return { epoch, batch, rows: Int32Array.from(rows), train };
}

/** The training set's rows `rows`, as the batch's targets and mask. */
function batchOf(train: MultiLabelDataset, rows: number[]) {
  return { y: take(train.y, rows), m: take(train.mask, rows) };
}

const bitEqual = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

const logit = (p: number) => Math.log(p / (1 - p));

describe('RoleLoss (ROLE, Cole et al. 2021)', () => {
  // 4 training rows, 3 classes; single positive per row except row 3 (nothing known) and one
  // observed negative at (1, 2).
  const train = trainingSet(
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 0],
    ],
    [
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
      [0, 0, 0],
    ],
  );
  const options = { expectedPositives: 1.2, lr: 0.01, seed: 5 };

  it('starts the estimates as the reference code: logit(0.995), logit(0.005), uniform within +-logit(0.6)', () => {
    const role = new RoleLoss(train, options);
    const t = role.estimateLogits.data;
    expect(role.estimateLogits.shape).to.deep.equal([4, 3]);
    for (const i of [0, 4, 8]) expect(t[i]).to.equal(logit(0.995));
    expect(t[5]).to.equal(logit(0.005));
    for (const i of [1, 2, 3, 6, 7, 9, 10, 11]) expect(Math.abs(t[i])).to.be.lessThan(logit(0.6));
    expect(new Set([1, 2, 3, 6, 7, 9, 10, 11].map((i) => t[i])).size).to.equal(8);
    expect(bitEqual(new RoleLoss(train, options).estimateLogits.data, t)).to.equal(true);
    expect(bitEqual(new RoleLoss(train, { ...options, seed: 6 }).estimateLogits.data, t)).to.equal(
      false,
    );
  });

  it('equals the two halves of the reference loss composed from primitive ops, value and gradients', () => {
    const rows = [2, 0, 1];
    const role = new RoleLoss(train, options);
    const z = tensor(
      [
        [0.3, -1.1, 0.8],
        [2.0, -0.4, -2.5],
        [-0.7, 1.3, 0.1],
      ],
      { requiresGrad: true },
    );
    const { y, m } = batchOf(train, rows);
    const loss = role.forward(z, y, m, context(train, 1, 1, rows));
    loss.backward();

    // The same loss, written out with ops: nl(x) = -log(x + 1e-5), p = sigmoid(z), e = sigmoid(estimates).
    const table = new Tensor(role.estimateLogits.data.slice(), [4, 3], true);
    const z2 = new Tensor(z.data.slice(), [3, 3], true);
    const nl = (x: Tensor) => log(add(x, 1e-5)).neg();
    const observedPos = mul(y, m);
    const observedNeg = mul(sub(1, y), m);
    const half = (q: Tensor, other: Tensor) => {
      const o = other.detach();
      const entries = add(
        add(mul(observedPos, nl(q)), mul(observedNeg, nl(sub(1, q)))),
        add(mul(o, nl(q)), mul(sub(1, o), nl(sub(1, q)))),
      );
      const penalty = pow(sub(sum(q).div(3), 1.2), 2).div(9);
      return mul(0.5, add(sum(entries).div(9), penalty));
    };
    const p = sigmoid(z2);
    const e = sigmoid(take(table, rows));
    const want = add(half(p, e), half(e, p));
    want.backward();

    expect(loss.item()).to.be.closeTo(want.item(), 1e-14);
    z.grad!.data.forEach((g, i) => expect(g, `logit ${i}`).to.be.closeTo(z2.grad!.data[i], 1e-15));
    role.estimateLogits.grad!.data.forEach((g, i) =>
      expect(g, `estimate ${i}`).to.be.closeTo(table.grad!.data[i], 1e-15),
    );
    // Row 3 is not in the batch: zero gradient.
    for (const i of [9, 10, 11]) expect(role.estimateLogits.grad!.data[i]).to.equal(0);
  });

  it("steps the whole table with its own Adam at lr * 10: rows outside the batch keep moving by their moments, as PyTorch's Adam", () => {
    const role = new RoleLoss(train, options);
    const start = role.estimateLogits.data.slice();
    const z1 = tensor([[0.5, -0.5, 0.2]], { requiresGrad: true });
    const first = batchOf(train, [0]);
    role.forward(z1, first.y, first.m, context(train, 1, 1, [0])).backward();
    const g1 = role.estimateLogits.grad!.data.slice();
    role.afterStep(context(train, 1, 1, [0]));
    const afterFirst = role.estimateLogits.data.slice();
    expect(role.estimateLogits.grad).to.equal(null);
    // Adam's first step moves each entry with a gradient by lr * 10 * g / (|g| + 1e-8).
    for (let i = 0; i < 3; i++) {
      expect(g1[i]).to.not.equal(0);
      expect(afterFirst[i] - start[i]).to.be.closeTo(
        (-0.1 * g1[i]) / (Math.abs(g1[i]) + 1e-8),
        1e-15,
      );
    }
    for (let i = 3; i < 12; i++) expect(afterFirst[i]).to.equal(start[i]);

    // A batch of row 2 only: row 0 has zero gradient now, but moves by its first moment.
    const z2 = tensor([[0.1, 0.2, 0.3]], { requiresGrad: true });
    const second = batchOf(train, [2]);
    role.forward(z2, second.y, second.m, context(train, 1, 2, [2])).backward();
    role.afterStep(context(train, 1, 2, [2]));
    const afterSecond = role.estimateLogits.data;
    const [b1, b2] = [0.9, 0.999];
    for (let i = 0; i < 3; i++) {
      const mHat = (b1 * (1 - b1) * g1[i]) / (1 - b1 ** 2);
      const vHat = (b2 * (1 - b2) * g1[i] ** 2) / (1 - b2 ** 2);
      const step = (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8);
      expect(afterSecond[i] - afterFirst[i], `entry ${i}`).to.be.closeTo(-step, 1e-12);
      expect(Math.abs(afterSecond[i] - afterFirst[i])).to.be.greaterThan(0.01);
    }
    // Row 2 took its own first step; rows 1 and 3 never had a gradient and stay where they started.
    for (let i = 6; i < 9; i++) expect(afterSecond[i]).to.not.equal(start[i]);
    for (const i of [3, 4, 5, 9, 10, 11]) expect(afterSecond[i]).to.equal(start[i]);
  });

  it('NaN or Infinity in the targets at unknown entries changes nothing, bit for bit', () => {
    const rows = [1, 3];
    const run = (junk: boolean) => {
      const role = new RoleLoss(train, options);
      const z = tensor(
        [
          [0.2, -0.3, 1.5],
          [-1, 0.4, 0],
        ],
        { requiresGrad: true },
      );
      const { y, m } = batchOf(train, rows);
      const yv = y.data.slice();
      if (junk) m.data.forEach((v, i) => v === 0 && (yv[i] = [NaN, Infinity, -Infinity][i % 3]));
      const loss = role.forward(z, new Tensor(yv, y.shape), m, context(train, 1, 1, rows));
      loss.backward();
      return [[loss.item()], z.grad!.data, role.estimateLogits.grad!.data];
    };
    const clean = run(false);
    run(true).forEach((values, k) =>
      expect(bitEqual(values, clean[k]), `output ${k}`).to.equal(true),
    );
  });

  it('checks its options, the training set and the context', () => {
    const bad: [() => unknown, RegExp][] = [
      [
        () => new RoleLoss(train, { lr: 0.01, seed: 1 } as never),
        /RoleLoss: option 'expectedPositives' is required/,
      ],
      [
        () => new RoleLoss(train, { expectedPositives: 1, seed: 1 } as never),
        /RoleLoss: option 'lr' is required/,
      ],
      [
        () => new RoleLoss(train, { expectedPositives: 1, lr: 0.01 }),
        /RoleLoss: pass \{ seed \} or \{ rng \}/,
      ],
      [
        () => new RoleLoss(train, { ...options, lrMult: 10 } as never),
        /RoleLoss: unknown option 'lrMult'/,
      ],
      [
        () => new RoleLoss({ y: train.y } as never, options),
        /RoleLoss: train must hold targets y and mask/,
      ],
    ];
    for (const [call, message] of bad) expect(call).to.throw(message);
    const role = new RoleLoss(train, options);
    const z = tensor([[0, 0, 0]], { requiresGrad: true });
    const { y, m } = batchOf(train, [0]);
    expect(() => role.forward(z, y, m, context(train, 1, 1, [4]))).to.throw(
      /RoleLoss: context.rows\[0\] = 4 is not a row of the training set/,
    );
    expect(() => role.forward(z, y, m, context(train, 1, 1, [0, 1]))).to.throw(
      /2 indices for a batch of 1 rows/,
    );
    const other = trainingSet([[1, 0, 0]], [[1, 0, 0]]);
    expect(() => role.forward(z, y, m, context(other, 1, 1, [0]))).to.throw(
      /RoleLoss: the loss was made for a training set of shape \[4,3\]/,
    );
  });
});

describe('PermanentCorrectionLoss (LL-Cp, Kim et al. 2022)', () => {
  // 3 training rows, 4 classes; row 0 has one known positive, the others nothing.
  const train = trainingSet(
    [
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ],
    [
      [1, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ],
  );
  const logitsOf: Record<number, number[]> = {
    0: [3, 2.5, -1, 0.2],
    1: [-2, 1.5, 0.1, -0.6],
    2: [0.4, -0.3, 2.2, -1.7],
  };
  const logits = (rows: number[]) =>
    tensor(
      rows.map((r) => logitsOf[r]),
      { requiresGrad: true },
    );

  function step(loss: PermanentCorrectionLoss, epoch: number, batch: number, rows: number[]) {
    const ctx = context(train, epoch, batch, rows);
    const { y, m } = batchOf(train, rows);
    const z = logits(rows);
    const value = loss.forward(z, y, m, ctx);
    value.backward();
    loss.afterStep(ctx);
    return { value: value.item(), grad: z.grad!.data };
  }

  it('is assume negative in the first epoch and corrects nothing', () => {
    const loss = new PermanentCorrectionLoss({ deltaRel: 0.25 });
    const got = step(loss, 1, 1, [0, 1]);
    const { y, m } = batchOf(train, [0, 1]);
    const z = logits([0, 1]);
    const want = largeLossLoss(z, y, m, { rate: 0 });
    want.backward();
    expect(Object.is(got.value, want.item())).to.equal(true);
    expect(bitEqual(got.grad, z.grad!.data)).to.equal(true);
    expect(loss.correctedCount).to.equal(0);
  });

  it('from the second epoch corrects the k = ceil(B C deltaRel) largest losses, and they stay positive in later epochs', () => {
    const loss = new PermanentCorrectionLoss({ deltaRel: 0.25 });
    step(loss, 1, 1, [0, 1]);
    // Epoch 2, rows 0 and 1: k = ceil(8 * 0.25) = 2 among the 7 unknowns: logits 2.5 at (0, 1)
    // and 1.5 at (1, 1). This batch's loss is LL-Ct's.
    const first = step(loss, 2, 1, [0, 1]);
    const { y, m } = batchOf(train, [0, 1]);
    expect(first.value).to.equal(
      largeLossLoss(logits([0, 1]), y, m, { rate: 0.25, mode: 'correct' }).item(),
    );
    expect(loss.correctedCount).to.equal(2);
    expect(loss.isCorrected(0, 1)).to.equal(true);
    expect(loss.isCorrected(1, 1)).to.equal(true);
    // Epoch 3, rows 1 and 2 in a new order: (1, 1) is now an observed positive, and two new
    // corrections join: 2.2 at (2, 2) and 0.4 at (2, 0).
    const third = step(loss, 3, 1, [2, 1]);
    const batch = batchOf(train, [2, 1]);
    const yv = batch.y.data.slice();
    const mv = batch.m.data.slice();
    yv[4 + 1] = 1;
    mv[4 + 1] = 1;
    const want = largeLossLoss(logits([2, 1]), new Tensor(yv, [2, 4]), new Tensor(mv, [2, 4]), {
      rate: 0.25,
      mode: 'correct',
    });
    expect(third.value).to.equal(want.item());
    expect(loss.correctedCount).to.equal(4);
    expect(loss.isCorrected(2, 2)).to.equal(true);
    expect(loss.isCorrected(2, 0)).to.equal(true);
    expect(loss.isCorrected(1, 2)).to.equal(false);
  });

  it('NaN or Infinity in the targets at unknown entries changes nothing, bit for bit', () => {
    const run = (junk: boolean) => {
      const loss = new PermanentCorrectionLoss({ deltaRel: 0.25 });
      const rows = [0, 2];
      const { y, m } = batchOf(train, rows);
      const yv = y.data.slice();
      if (junk) m.data.forEach((v, i) => v === 0 && (yv[i] = i % 2 ? NaN : -Infinity));
      const z = logits(rows);
      const value = loss.forward(z, new Tensor(yv, y.shape), m, context(train, 2, 1, rows));
      value.backward();
      return [[value.item()], z.grad!.data];
    };
    const clean = run(false);
    run(true).forEach((values, k) =>
      expect(bitEqual(values, clean[k]), `output ${k}`).to.equal(true),
    );
  });

  it('afterStep for a batch it did not compute is a state error; a bad deltaRel an argument error', () => {
    const loss = new PermanentCorrectionLoss({ deltaRel: 0.1 });
    let error: unknown;
    try {
      loss.afterStep(context(train, 1, 1, [0]));
    } catch (e) {
      error = e;
    }
    expect(isMaskgradError(error, 'ERR_STATE')).to.equal(true);
    expect(() => new PermanentCorrectionLoss({ deltaRel: 2 })).to.throw(
      /PermanentCorrectionLoss: deltaRel = 2 is out of range/,
    );
    expect(() => new PermanentCorrectionLoss({} as never)).to.throw(
      /option 'deltaRel' is required/,
    );
  });
});

describe('the stateful losses through the training loop (forward, backward, step, afterStep)', () => {
  // A linear problem with 5 classes, 1.5 positives per row; each row keeps one positive label.
  const rng = new Random('stateful-training');
  const [N, D, C] = [240, 6, 5];
  const w = Array.from({ length: C * D }, () => rng.normal());
  const x = Float64Array.from({ length: N * D }, () => rng.normal());
  const y = new Float64Array(N * C);
  const m = new Float64Array(N * C);
  let positives = 0;
  for (let n = 0; n < N; n++) {
    const pos: number[] = [];
    for (let c = 0; c < C; c++) {
      let s = -1.2;
      for (let d = 0; d < D; d++) s += x[n * D + d] * w[c * D + d];
      if (s > 0) pos.push(c);
    }
    positives += pos.length;
    if (pos.length === 0) continue;
    const c = pos[rng.int(pos.length)];
    y[n * C + c] = 1;
    m[n * C + c] = 1;
  }
  const train: MultiLabelDataset = {
    x: new Tensor(x, [N, D]),
    y: new Tensor(y, [N, C]),
    mask: new Tensor(m, [N, C]),
    featureNames: Array.from({ length: D }, (_, d) => `f${d}`),
    labelNames: Array.from({ length: C }, (_, c) => `l${c}`),
  };

  /** Trains a Linear model for 12 epochs (Adam, lr 0.01, batch 16); epoch losses and mean predicted positives. */
  function fitLinear(loss: StatefulLoss) {
    const model = new Linear(D, C, { seed: 1 });
    const optimizer = new Adam(model.parameters(), { lr: 0.01 });
    const order = new Random('order');
    const epochLoss: number[] = [];
    for (let epoch = 1; epoch <= 12; epoch++) {
      let total = 0;
      let batch = 0;
      for (const b of batches(train, 16, { rng: order })) {
        const ctx = context(train, epoch, ++batch, Array.from(b.indices));
        const value = loss.forward(model.forward(b.x), b.y, b.mask, ctx);
        total += value.item();
        optimizer.zeroGrad();
        value.backward();
        optimizer.step();
        loss.afterStep?.(ctx);
      }
      epochLoss.push(total / batch);
    }
    const p = noGrad(() => model.forward(train.x).sigmoid());
    return { epochLoss, meanPositives: p.data.reduce((a, b) => a + b, 0) / N };
  }

  it('ROLE lowers its loss and, unlike the masked loss on positives only, does not say yes to everything', () => {
    const masked = fitLinear({ forward: (z, yy, mm) => maskedBce(z, yy, mm) });
    const role = new RoleLoss(train, { expectedPositives: positives / N, lr: 0.01, seed: 2 });
    const start = role.estimateLogits.data.slice();
    const ours = fitLinear(role);
    expect(ours.epochLoss[11]).to.be.lessThan(0.7 * ours.epochLoss[0]);
    expect(masked.meanPositives).to.be.greaterThan(3);
    expect(ours.meanPositives).to.be.lessThan(masked.meanPositives - 1);
    // Every entry of the table has moved, unknown ones included.
    expect(role.estimateLogits.data.every((v, i) => v !== start[i])).to.equal(true);
  });

  it('LL-Cp corrects labels from the second epoch on, and its corrections only accumulate', () => {
    const loss = new PermanentCorrectionLoss({ deltaRel: 0.01 });
    const counts: number[] = [];
    const original = loss.afterStep;
    let lastEpoch = 0;
    loss.afterStep = (ctx) => {
      original(ctx);
      if (ctx.epoch !== lastEpoch) counts.push(loss.correctedCount);
      lastEpoch = ctx.epoch;
    };
    fitLinear(loss);
    // counts[e - 1]: the corrections after the first batch of epoch e. One per batch of 80 entries.
    expect(counts[0]).to.equal(0);
    expect(counts[1]).to.equal(1);
    for (let e = 2; e < counts.length; e++) expect(counts[e]).to.be.greaterThan(counts[e - 1]);
    expect(loss.correctedCount).to.equal(11 * 15);
  });
});
