import { expect } from 'chai';
import {
  Adam,
  aplPseudoLabelRound,
  AsymmetricPseudoLabelLoss,
  asymmetricPseudoLabelLoss,
  fit,
  isMaskgradError,
  Linear,
  MLP,
  noGrad,
  Random,
  sigmoid,
  take,
  Tensor,
  tensor,
  Trainer,
  batches,
  takeRows,
} from '../src';
import {
  runExperiment,
  STRATEGIES,
  STRATEGY_NAMES,
  strategiesFor,
  type ExperimentOptions,
} from '../src/app';
import { parseFlags } from '../src/app/cli/io';
import { TRAIN, trainConfig } from '../src/app/cli/train-arguments';
import { DEFAULT_CONFIG, type RunConfig } from '../web/src/config';
import { toyDataset } from '../web/src/toy';
import { lossOptions, PlaygroundTrainer, prepareData } from '../web/src/train-core';
import type { EpochContext, LossContext, MultiLabelDataset, PseudoLabelTable } from '../src';
import reference from './fixtures/missing-label-losses-2.json';
import { lossAndGradient } from './support/loss-gradient';

type Cell = number | null;
interface AplCase {
  fn: string;
  options: Record<string, number>;
  logits: number[][];
  targets: number[][];
  mask: number[][];
  pseudo?: Cell[][];
  poison?: { field: string; row: number; col: number; value: string }[];
  note?: string;
  loss: number;
  gradLogits: number[][];
}

const CASES = (reference.cases as AplCase[]).filter((c) => c.fn === 'asymmetricPseudoLabelLoss');
const ROUNDS = reference.pseudoLabelRounds as unknown as {
  options: Record<string, number>;
  scores: number[][];
  targets: number[][];
  mask: number[][];
  pseudo: Cell[][];
  note?: string;
  expected: { k: number[]; selected: number[][]; pseudo: Cell[][] };
}[];

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b));

const run = (z: number[][], y: number[][], m: number[][], options: object) =>
  lossAndGradient(asymmetricPseudoLabelLoss, z, y, m, options);

const bitEqual = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

function expectError(fn: () => unknown, ...parts: string[]) {
  try {
    fn();
  } catch (e) {
    expect(isMaskgradError(e), String(e)).to.equal(true);
    for (const part of parts) expect((e as Error).message).to.include(part);
    return;
  }
  expect.fail(`expected an error with ${parts.join(', ')}`);
}

describe('asymmetricPseudoLabelLoss (EM + APL, Zhou et al. 2022)', () => {
  describe('matches PyTorch (float64), loss and gradient to 1e-10 max(1, |b|)', () => {
    CASES.forEach((c, k) => {
      const shape = `[${c.logits.length},${c.logits[0].length}]`;
      it(`case ${k + 1}: ${JSON.stringify(c.options)} on ${shape}${c.note ? ` (${c.note})` : ''}`, () => {
        const { loss, grad } = run(c.logits, c.targets, c.mask, { ...c.options, pseudo: c.pseudo });
        expect(close(loss, c.loss), `loss ${loss} vs ${c.loss}`).to.equal(true);
        c.gradLogits.flat().forEach((g, i) => {
          expect(close(grad[i], g), `gradient ${i}: ${grad[i]} vs ${g}`).to.equal(true);
        });
      });
    });

    it('the reference has the ten cases, some with poison lists', () => {
      expect(CASES.length).to.equal(10);
      expect(CASES.filter((c) => c.poison).length).to.be.greaterThan(2);
    });
  });

  describe('reads the targets only where m = 1 and pseudo only where m = 0', () => {
    CASES.filter((c) => c.poison).forEach((c) => {
      it(`${JSON.stringify(c.poison!.map((p) => [p.field, p.row, p.col, p.value]))}: same bits`, () => {
        const clean = run(c.logits, c.targets, c.mask, { ...c.options, pseudo: c.pseudo });
        const y = c.targets.map((r) => r.slice());
        const pseudo = c.pseudo!.map((r) => r.slice());
        for (const p of c.poison!) {
          const v = Number(p.value);
          expect(Number.isFinite(v)).to.equal(false);
          if (p.field === 'targets') y[p.row][p.col] = v;
          else pseudo[p.row][p.col] = v;
        }
        const poisoned = run(c.logits, y, c.mask, { ...c.options, pseudo });
        expect(Object.is(poisoned.loss, clean.loss)).to.equal(true);
        expect(bitEqual(poisoned.grad, clean.grad)).to.equal(true);
      });
    });
  });

  it('with an empty table (or none) it is the entropy maximization loss: -alpha H at every unknown', () => {
    const rng = new Random('apl-empty');
    const z = [0, 1, 2].map(() => [0, 1, 2, 3].map(() => rng.normal(0, 3)));
    const y = [
      [1, 0, 0, 1],
      [0, 0, 1, 0],
      [0, 1, 0, 0],
    ];
    const m = [
      [1, 0, 0, 1],
      [0, 1, 1, 0],
      [0, 1, 0, 0],
    ];
    const none = run(z, y, m, { alpha: 0.3, epsilon: 0 });
    const empty = run(z, y, m, { alpha: 0.3, epsilon: 0, pseudo: z.map((r) => r.map(() => null)) });
    expect(Object.is(none.loss, empty.loss)).to.equal(true);
    expect(bitEqual(none.grad, empty.grad)).to.equal(true);
    // By hand, exact forms: nl(p) = softplus(-z), nl(q) = softplus(z).
    const sp = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    let total = 0;
    z.forEach((row, r) =>
      row.forEach((v, c) => {
        const p = 1 / (1 + Math.exp(-v));
        if (m[r][c] === 1) total += y[r][c] === 1 ? sp(-v) : sp(v);
        else total -= 0.3 * (p * sp(-v) + (1 - p) * sp(v));
      }),
    );
    expect(none.loss).to.be.closeTo(total / 12, 1e-14);
  });

  it('a pseudo-label s with epsilon 0 has gradient beta (p - s) / (B C)', () => {
    const z = [[0.7, -1.3]];
    const { grad } = run(z, [[0, 0]], [[0, 0]], {
      beta: 0.4,
      epsilon: 0,
      pseudo: [[0.25, 1]],
    });
    const p = (v: number) => 1 / (1 + Math.exp(-v));
    expect(grad[0]).to.be.closeTo((0.4 * (p(0.7) - 0.25)) / 2, 1e-16);
    expect(grad[1]).to.be.closeTo((0.4 * (p(-1.3) - 1)) / 2, 1e-16);
  });

  it('a per-class mask [C] broadcasts over the rows', () => {
    const z = [
      [0.5, -2, 1],
      [1.5, 0.2, -0.4],
    ];
    const y = [
      [1, 0, 0],
      [0, 0, 0],
    ];
    const pseudo = [
      [null, 0.1, null],
      [0.9, 0.3, null],
    ];
    const full = run(
      z,
      y,
      [
        [1, 0, 0],
        [1, 0, 0],
      ],
      { pseudo },
    );
    const zt = tensor(z, { requiresGrad: true });
    const loss = asymmetricPseudoLabelLoss(zt, y, [1, 0, 0], { pseudo });
    loss.backward();
    expect(Object.is(loss.item(), full.loss)).to.equal(true);
    expect(bitEqual(zt.grad!.data, full.grad)).to.equal(true);
  });

  describe('bad options name the function, the option, the value and what was expected', () => {
    const z = tensor([
      [0, 1],
      [2, 3],
    ]);
    const y = [
      [1, 0],
      [0, 0],
    ];
    const m = [
      [1, 0],
      [0, 0],
    ];
    const cases: [string, object, string[]][] = [
      ['alpha below 0', { alpha: -1 }, ['asymmetricPseudoLabelLoss', 'alpha', '-1', '>= 0']],
      ['beta NaN', { beta: NaN }, ['asymmetricPseudoLabelLoss', 'beta', 'NaN', '>= 0']],
      ['epsilon 1', { epsilon: 1 }, ['asymmetricPseudoLabelLoss', 'epsilon', '[0, 1)']],
      ['an unknown option', { gamma: 1 }, ['asymmetricPseudoLabelLoss', "'gamma'", 'allowed']],
      ['pseudo not rows', { pseudo: 3 }, ['asymmetricPseudoLabelLoss', 'pseudo', '2 rows of 2']],
      ['pseudo of 1 row', { pseudo: [[null, null]] }, ['pseudo', '2 rows of 2', 'got']],
      ['a short pseudo row', { pseudo: [[null, null], [null]] }, ['pseudo[1]', 'row of 2']],
      [
        'a soft target above 1 at an unknown',
        {
          pseudo: [
            [null, 1.5],
            [null, null],
          ],
        },
        ['asymmetricPseudoLabelLoss', 'pseudo[0][1] = 1.5', 'mask 0', '[0, 1] or null'],
      ],
      [
        'NaN at an unknown',
        {
          pseudo: [
            [null, null],
            [NaN, null],
          ],
        },
        ['pseudo[1][0] = NaN', '[0, 1] or null'],
      ],
      [
        'a string at an unknown',
        {
          pseudo: [
            [null, null],
            [null, '0.5'],
          ],
        },
        ['pseudo[1][1] = "0.5"', '[0, 1] or null'],
      ],
    ];
    for (const [what, options, parts] of cases) {
      it(what, () =>
        expectError(() => asymmetricPseudoLabelLoss(z, y, m, options as any), ...parts),
      );
    }

    it('a bad value at an observed entry is not read', () => {
      const out = asymmetricPseudoLabelLoss(z, y, m, {
        pseudo: [
          ['x' as any, null],
          [null, null],
        ],
      });
      expect(Number.isFinite(out.item())).to.equal(true);
    });
  });
});

describe('aplPseudoLabelRound (the pseudo-label table, one round)', () => {
  ROUNDS.forEach((r, k) => {
    it(`round ${k + 1}: ${r.note ?? JSON.stringify(r.options)}`, () => {
      const out = aplPseudoLabelRound(r.scores, r.mask, r.pseudo, r.options);
      expect(out.k).to.deep.equal(r.expected.k);
      expect(out.selected).to.deep.equal(r.expected.selected);
      expect(out.pseudo).to.deep.equal(r.expected.pseudo);
    });
  });

  it('the reference has its six rounds', () => expect(ROUNDS.length).to.equal(6));

  it('does not change the table it is given', () => {
    const r = ROUNDS[0];
    const before = JSON.stringify(r.pseudo);
    aplPseudoLabelRound(r.scores, r.mask, r.pseudo, r.options);
    expect(JSON.stringify(r.pseudo)).to.equal(before);
  });

  it('reads the scores and the table only where the mask is 0', () => {
    const r = ROUNDS[5];
    const clean = aplPseudoLabelRound(r.scores, r.mask, r.pseudo, r.options);
    const scores = r.scores.map((row) => row.slice());
    const pseudo = r.pseudo.map((row) => row.slice());
    let poisoned = 0;
    r.mask.forEach((row, i) =>
      row.forEach((v, j) => {
        if (v === 0) return;
        scores[i][j] = NaN;
        pseudo[i][j] = Infinity;
        poisoned++;
      }),
    );
    expect(poisoned).to.be.greaterThan(0);
    expect(aplPseudoLabelRound(scores, r.mask, pseudo, r.options)).to.deep.equal(clean);
  });

  describe('bad arguments name the function, the option, the value and what was expected', () => {
    const scores = [
      [0.1, 0.2],
      [0.3, 0.4],
    ];
    const m = [
      [0, 0],
      [1, 0],
    ];
    const empty = [
      [null, null],
      [null, null],
    ];
    const cases: [string, () => unknown, string[]][] = [
      [
        'numEpochs not above warmupEpoch',
        () => aplPseudoLabelRound(scores, m, empty, { warmupEpoch: 5, numEpochs: 5 }),
        ['aplPseudoLabelRound', 'numEpochs = 5', 'above warmupEpoch = 5'],
      ],
      [
        'warmupEpoch 0',
        () => aplPseudoLabelRound(scores, m, empty, { warmupEpoch: 0 }),
        ['aplPseudoLabelRound', 'warmupEpoch = 0', 'integer >= 1'],
      ],
      [
        'numEpochs 7.5',
        () => aplPseudoLabelRound(scores, m, empty, { numEpochs: 7.5 }),
        ['aplPseudoLabelRound', 'numEpochs = 7.5', 'integer >= 1'],
      ],
      [
        'negProportion above 1',
        () => aplPseudoLabelRound(scores, m, empty, { negProportion: 1.2 }),
        ['aplPseudoLabelRound', 'negProportion', '1.2', '[0, 1]'],
      ],
      [
        'a score above 1 at an unknown',
        () =>
          aplPseudoLabelRound(
            [
              [0.1, 2],
              [0.3, 0.4],
            ],
            m,
            empty,
          ),
        ['aplPseudoLabelRound', 'scores[0,1] = 2', 'probability in [0, 1]'],
      ],
      [
        'scores of one dimension',
        () => aplPseudoLabelRound([0.1, 0.2], m, empty),
        ['aplPseudoLabelRound', 'scores must have shape [N, C]', '[2]'],
      ],
      [
        'a table of the wrong size',
        () => aplPseudoLabelRound(scores, m, [[null, null]]),
        ['aplPseudoLabelRound', 'pseudo must be 2 rows of 2'],
      ],
    ];
    for (const [what, fn, parts] of cases) it(what, () => expectError(fn, ...parts));
  });
});

/** A training set of features x and labels y, mask m ([N, C]). */
function dataset(x: number[][], y: number[][], m: number[][]): MultiLabelDataset {
  return {
    x: tensor(x),
    y: tensor(y),
    mask: tensor(m),
    featureNames: x[0].map((_, j) => `f${j}`),
    labelNames: y[0].map((_, c) => `l${c}`),
  };
}

describe('AsymmetricPseudoLabelLoss (EM + APL for fit: the table over the training set)', () => {
  const rng = new Random('apl-stateful');
  const N = 12;
  const C = 3;
  const x = Array.from({ length: N }, () => [rng.normal(), rng.normal()]);
  // Single positive: one observed positive per row, everything else unknown.
  const y = Array.from({ length: N }, (_, n) => [0, 1, 2].map((c) => (c === n % C ? 1 : 0)));
  const m = y.map((row) => row.slice());
  const train = dataset(x, y, m);
  const options = { warmupEpoch: 2, numEpochs: 4, negProportion: 0.9, beta: 0.5 };

  it('runs a round after epochs warmupEpoch to numEpochs, each the round of aplPseudoLabelRound on the model in eval mode', () => {
    const model = new Linear(2, C, { seed: 3 });
    const loss = new AsymmetricPseudoLabelLoss(train, options);
    const trainer = new Trainer(model, train, {
      loss,
      optimizer: new Adam(model.parameters(), { lr: 0.05 }),
    });
    let table: (number | null)[][] = Array.from({ length: N }, () =>
      Array<number | null>(C).fill(null),
    );
    const { beta: _beta, ...roundOptions } = options;
    const order = new Random('apl-order');
    for (let epoch = 1; epoch <= 6; epoch++) {
      for (const batch of batches(train, 5, { rng: order })) trainer.step(batch);
      const scores = noGrad(() => sigmoid(model.forward(train.x)));
      const rows = Array.from({ length: N }, (_, n) =>
        Array.from(scores.data.subarray(n * C, n * C + C)),
      );
      trainer.endEpoch();
      expect(model.training, 'the mode is put back').to.equal(true);
      if (epoch >= 2 && epoch <= 4)
        table = aplPseudoLabelRound(rows, m, table, roundOptions).pseudo;
      expect(loss.pseudoLabels(), `after epoch ${epoch}`).to.deep.equal(table);
    }
    // k = trunc(0.9 * 8 / 2) = 3 per class and round, three rounds: 9 of each class's 8 unknowns, capped at 8.
    expect(table.flat().filter((v) => v !== null).length).to.equal(3 * 8);
  });

  it('Trainer.endEpoch gives the logits of every training row in evaluation mode, no graph, and puts the mode back', () => {
    const model = new Linear(2, C, { seed: 4 });
    const modes: boolean[] = [];
    const forward = model.forward.bind(model);
    model.forward = (input: Tensor) => {
      modes.push(model.training);
      return forward(input);
    };
    const seen: Tensor[] = [];
    const trainer = new Trainer(model, train, {
      loss: {
        forward: new AsymmetricPseudoLabelLoss(train).forward,
        afterEpoch: (_epoch: number, context: EpochContext) => {
          seen.push(context.trainLogits());
          expect(context.epoch).to.equal(1);
          expect(context.train).to.equal(train);
        },
      },
      optimizer: new Adam(model.parameters(), { lr: 0.01 }),
    });
    trainer.step(batches(train, N).next().value!);
    trainer.endEpoch();
    expect(modes).to.deep.equal([true, false]);
    expect(model.training).to.equal(true);
    expect(seen[0].requiresGrad).to.equal(false);
    expect(bitEqual(seen[0].data, noGrad(() => forward(train.x)).data)).to.equal(true);
  });

  it('forward is asymmetricPseudoLabelLoss with the batch rows of the table, bit for bit', () => {
    const model = new Linear(2, C, { seed: 5 });
    const loss = new AsymmetricPseudoLabelLoss(train, { ...options, warmupEpoch: 1 });
    const logitsAll = noGrad(() => model.forward(train.x));
    loss.afterEpoch(1, { epoch: 1, train, trainLogits: () => logitsAll });
    const table = loss.pseudoLabels();
    expect(table.flat().some((v) => v !== null)).to.equal(true);
    const rows = [7, 2, 11, 0];
    const z = new Tensor(take(logitsAll, rows).data.slice(), [rows.length, C], true);
    const context: LossContext = { epoch: 2, batch: 1, rows: Int32Array.from(rows), train };
    const out = loss.forward(z, take(train.y, rows), take(train.mask, rows), context);
    out.backward();
    const z2 = new Tensor(z.data.slice(), z.shape, true);
    const want = asymmetricPseudoLabelLoss(z2, take(train.y, rows), take(train.mask, rows), {
      beta: 0.5,
      pseudo: rows.map((r) => table[r]) as PseudoLabelTable,
    });
    want.backward();
    expect(Object.is(out.item(), want.item())).to.equal(true);
    expect(bitEqual(z.grad!.data, z2.grad!.data)).to.equal(true);
  });

  it('trains with fit, and the pseudo-labels are the lowest-scored unknowns', () => {
    const model = new Linear(2, C, { seed: 6 });
    const loss = new AsymmetricPseudoLabelLoss(train, options);
    fit(model, train, {
      loss,
      optimizer: new Adam(model.parameters(), { lr: 0.05 }),
      epochs: 3,
      batchSize: 4,
      seed: 1,
    });
    const table = loss.pseudoLabels();
    // Two rounds (after epochs 2 and 3) of k = 3 per class.
    for (let c = 0; c < C; c++) {
      const labelled = table.filter((row, n) => row[c] !== null && m[n][c] === 0);
      expect(labelled.length, `class ${c}`).to.equal(6);
    }
    table.forEach((row, n) => row.forEach((v, c) => m[n][c] === 1 && expect(v).to.equal(null)));
  });

  describe('bad arguments', () => {
    it('numEpochs not above warmupEpoch names the class', () =>
      expectError(
        () => new AsymmetricPseudoLabelLoss(train, { warmupEpoch: 6, numEpochs: 3 }),
        'AsymmetricPseudoLabelLoss',
        'numEpochs = 3',
        'above warmupEpoch = 6',
      ));
    it('an unknown option', () =>
      expectError(
        () => new AsymmetricPseudoLabelLoss(train, { delta: 1 } as any),
        'AsymmetricPseudoLabelLoss',
        "'delta'",
      ));
    it('a batch of another number of classes', () => {
      const loss = new AsymmetricPseudoLabelLoss(train);
      const context: LossContext = { epoch: 1, batch: 1, rows: Int32Array.from([0]), train };
      expectError(
        () => loss.forward(tensor([[0, 0]]), tensor([[1, 0]]), tensor([[1, 0]]), context),
        'AsymmetricPseudoLabelLoss',
        '3 classes',
        'has 2',
      );
    });
    it('afterEpoch without the epoch context, in a round epoch', () => {
      const loss = new AsymmetricPseudoLabelLoss(train, { warmupEpoch: 1, numEpochs: 2 });
      expectError(() => (loss.afterEpoch as any)(1), 'AsymmetricPseudoLabelLoss', 'trainLogits');
    });
  });
});

describe('asymmetricPseudoLabelLoss on random cases', () => {
  const rng = new Random('apl-random');
  const poisons = [NaN, Infinity, -Infinity, 1e308, -3];

  /** Random [n, c] logits, 0/1 targets and mask, and a table with a soft target at about half the entries. */
  function randomCase() {
    const [n, c] = [1 + rng.int(6), 1 + rng.int(5)];
    const grid = <T>(f: () => T) => Array.from({ length: n }, () => Array.from({ length: c }, f));
    return {
      z: grid(() => rng.normal(0, 3)),
      y: grid(() => (rng.uniform() < 0.4 ? 1 : 0)),
      m: grid(() => (rng.uniform() < 0.4 ? 1 : 0)),
      pseudo: grid<number | null>(() => (rng.uniform() < 0.5 ? rng.uniform() : null)),
    };
  }

  it('NaN or Infinity in the targets where m = 0 and in the table where m = 1 changes nothing, bit for bit', () => {
    for (let trial = 0; trial < 30; trial++) {
      const { z, y, m, pseudo } = randomCase();
      const options = trial % 2 === 0 ? {} : { epsilon: 0, alpha: 0.5, beta: 0.3 };
      const clean = run(z, y, m, { ...options, pseudo });
      const yp = y.map((row, i) => row.map((v, j) => (m[i][j] === 0 ? poisons[rng.int(5)] : v)));
      const pp = pseudo.map((row, i) =>
        row.map((v, j) => (m[i][j] === 1 ? poisons[rng.int(5)] : v)),
      );
      const dirty = run(z, yp, m, { ...options, pseudo: pp });
      expect(Object.is(dirty.loss, clean.loss)).to.equal(true);
      expect(bitEqual(dirty.grad, clean.grad)).to.equal(true);
    }
  });

  it('the gradient is the central difference of the loss (every kind of entry, both epsilons)', () => {
    for (let trial = 0; trial < 10; trial++) {
      const { z, y, m, pseudo } = randomCase();
      const options = { pseudo, epsilon: trial % 2 === 0 ? 1e-5 : 0, alpha: 0.3, beta: 0.6 };
      const { grad } = run(z, y, m, options);
      const h = 1e-6;
      z.forEach((row, i) =>
        row.forEach((v, j) => {
          const at = (d: number) => {
            const zz = z.map((r) => r.slice());
            zz[i][j] = v + d;
            return asymmetricPseudoLabelLoss(tensor(zz), y, m, options).item();
          };
          const numeric = (at(h) - at(-h)) / (2 * h);
          expect(grad[i * row.length + j]).to.be.closeTo(numeric, 1e-7);
        }),
      );
    }
  });

  it('infinite logits give a finite loss and gradient (entropy 0, no 0 * Infinity)', () => {
    const z = [[Infinity, -Infinity, Infinity, -Infinity]];
    for (const epsilon of [0, 1e-5]) {
      const { loss, grad } = run(z, [[1, 0, 0, 0]], [[1, 1, 0, 0]], {
        epsilon,
        pseudo: [[null, null, 1, null]],
      });
      expect(Number.isFinite(loss), `loss, epsilon ${epsilon}`).to.equal(true);
      grad.forEach((g) =>
        expect(Number.isFinite(g), `gradient, epsilon ${epsilon}`).to.equal(true),
      );
    }
  });
});

describe("em-apl: the strategy table's EM + APL, in runExperiment, train and the playground", () => {
  const base: ExperimentOptions = {
    strategy: 'em-apl',
    regime: 'single-positive',
    hide: 0,
    val: 0,
    refit: false,
    hidden: [4],
    optimizer: 'adam',
    lr: 0.02,
    weightDecay: 0,
    epochs: 3,
    patience: 1,
    batchSize: 16,
    seed: 1,
  };
  const toy = toyDataset(120);
  const train = takeRows(
    toy,
    Array.from({ length: 80 }, (_, i) => i),
  );
  const test = takeRows(
    toy,
    Array.from({ length: 40 }, (_, i) => 80 + i),
  );

  it('is in STRATEGY_NAMES between em and gr, reads its five options, and says which regime it is made for', () => {
    const at = STRATEGY_NAMES.indexOf('em-apl');
    expect(STRATEGY_NAMES.slice(at - 1, at + 2)).to.deep.equal(['em', 'em-apl', 'gr']);
    expect(STRATEGIES['em-apl'].uses).to.deep.equal([
      'emAplAlpha',
      'emAplBeta',
      'emAplNegProportion',
      'emAplWarmupEpoch',
      'emAplNumEpochs',
    ]);
    expect(STRATEGIES['em-apl'].describe).to.include('single positive');
    expect(STRATEGIES['em-apl'].describe).to.include('--em-apl-beta, default 0.02');
    expect(strategiesFor('single-positive').run).to.include('em-apl');
    expect(strategiesFor('random').run).to.include('em-apl');
  });

  it('before the warm-up ends the pseudo-labels weigh nothing; after it, beta changes training', () => {
    const curve = (o: Partial<ExperimentOptions>) =>
      runExperiment(train, test, { ...base, ...o }).lossCurve;
    // Warm-up 5 of a 3-epoch run: no round has run before epoch 3 ends, beta is never used.
    const a = curve({ emAplBeta: 0.02 });
    const b = curve({ emAplBeta: 0.9 });
    expect(a.every((v, i) => Object.is(v, b[i]))).to.equal(true);
    // Warm-up 1: epochs 2 and 3 train with pseudo-labels.
    const c = curve({ emAplWarmupEpoch: 1, emAplNumEpochs: 3, emAplBeta: 0.02 });
    const d = curve({ emAplWarmupEpoch: 1, emAplNumEpochs: 3, emAplBeta: 0.9 });
    expect(Object.is(c[0], d[0])).to.equal(true);
    expect(c[1]).to.not.equal(d[1]);
    c.concat(d).forEach((v) => expect(Number.isFinite(v)).to.equal(true));
  });

  it('train takes its flags from the option table', () => {
    const config = trainConfig(
      parseFlags(
        ['--strategy', 'em-apl', '--em-apl-warmup-epoch', '2', '--em-apl-beta', '0.5'],
        TRAIN.flags,
      ),
    );
    expect(config.options.emAplWarmupEpoch).to.equal(2);
    expect(config.options.emAplBeta).to.equal(0.5);
  });

  it('the playground trains em-apl as fit does, loss for loss, through the pseudo-label rounds', () => {
    const config: RunConfig = {
      ...DEFAULT_CONFIG,
      regime: 'single-positive',
      strategies: ['em-apl'],
      hidden: [8],
      batch: 16,
    };
    const data = prepareData(toyDataset(), config);
    const page = new PlaygroundTrainer(data, config);
    const epochs = 7; // rounds after epochs 5, 6 and 7 (the defaults)
    for (let e = 0; e < epochs; e++) page.trainEpoch();
    const model = new MLP([2, ...config.hidden, 4], { seed: config.seed });
    const loss = STRATEGIES['em-apl'].makeLoss(
      data.observed,
      lossOptions('em-apl', config, data.full),
    ) as AsymmetricPseudoLabelLoss;
    const losses: number[] = [];
    fit(model, data.observed, {
      loss,
      optimizer: new Adam(model.parameters(), { lr: config.lr }),
      epochs,
      batchSize: config.batch,
      seed: `${config.seed}:batches`,
      hooks: { onBatch: (r) => losses.push(r.loss) },
    });
    expect(
      loss
        .pseudoLabels()
        .flat()
        .some((v) => v !== null),
    ).to.equal(true);
    const log = page.lossLog['em-apl'];
    expect(log.length).to.equal(losses.length);
    expect(log.every((v, i) => Object.is(v, losses[i]))).to.equal(true);
  });
});
