import { expect } from 'chai';
import {
  generalizedRobustLoss,
  generalizedRobustPerEpoch,
  grSchedule,
  inversePropensity,
  isMaskgradError,
  propensityWeightedBce,
  Tensor,
} from '../src';
import type { LossContext, MultiLabelDataset } from '../src';
import { STRATEGIES, STRATEGY_NAMES, strategiesFor } from '../src/app';
import type { ExperimentOptions } from '../src/app';
import reference from './fixtures/missing-label-losses-2.json';
import { lossAndGradient, type LossFn } from './support/loss-gradient';

const LOSSES: Record<string, LossFn> = { generalizedRobustLoss, propensityWeightedBce };

interface Case {
  fn: string;
  options: object;
  logits: number[][];
  targets: number[][];
  mask: number[][];
  loss: number;
  gradLogits: number[][];
  note?: string;
  poison?: { field: string; row: number; col: number; value: string }[];
}

const CASES = (reference.cases as Case[]).filter((c) => c.fn in LOSSES);

const run = lossAndGradient;

/** |a - b| <= 1e-10 max(1, |b|), the reference's tolerance. */
function near(a: number, b: number, what: string) {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).to.be.at.most(1e-10 * Math.max(1, Math.abs(b)));
}

const bitEqual = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

const VALUES: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function expectError(f: () => unknown, ...parts: string[]) {
  let caught: unknown = null;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(isMaskgradError(caught), `a MaskgradError, got ${String(caught)}`).to.equal(true);
  for (const part of parts) expect((caught as Error).message).to.include(part);
}

describe('round two: generalizedRobustLoss and propensityWeightedBce', () => {
  it('the fixture holds 11 GR and 10 PW cases', () => {
    expect(CASES.filter((c) => c.fn === 'generalizedRobustLoss')).to.have.length(11);
    expect(CASES.filter((c) => c.fn === 'propensityWeightedBce')).to.have.length(10);
  });

  describe('match PyTorch (float64), loss and gradient to 1e-10 max(1, |b|)', () => {
    CASES.forEach((c, k) => {
      const shape = `[${c.logits.length},${c.logits[0].length}]`;
      it(`${c.fn} case ${k + 1} ${JSON.stringify(c.options)} on ${shape}${c.note ? ` (${c.note})` : ''}`, () => {
        const { loss, grad } = run(LOSSES[c.fn], c.logits, c.targets, c.mask, c.options);
        near(loss, c.loss, 'loss');
        c.gradLogits.flat().forEach((g, i) => near(grad[i], g, `gradient ${i}`));
      });
    });
  });

  describe("the entries the reference's poison lists name are never read", () => {
    CASES.filter((c) => c.poison).forEach((c, k) => {
      it(`${c.fn} poisoned case ${k + 1}: NaN and Infinity there give the same bits`, () => {
        const clean = run(LOSSES[c.fn], c.logits, c.targets, c.mask, c.options);
        const targets = c.targets.map((row) => row.slice());
        for (const p of c.poison!) {
          expect(p.field).to.equal('targets');
          expect(c.mask[p.row][p.col], 'poison sits at an unknown entry').to.equal(0);
          targets[p.row][p.col] = VALUES[p.value];
        }
        const dirty = run(LOSSES[c.fn], c.logits, targets, c.mask, c.options);
        expect(Object.is(dirty.loss, clean.loss), 'loss').to.equal(true);
        expect(bitEqual(dirty.grad, clean.grad), 'gradient').to.equal(true);
      });
    });
  });

  describe('grSchedule matches the code schedule', () => {
    reference.grSchedules.forEach((s, k) => {
      it(`schedule ${k + 1} ${JSON.stringify(s.options)}`, () => {
        for (const e of s.epochs) {
          const got = grSchedule(e.epoch, s.options);
          for (const key of ['w', 'b', 'mu', 'sigma'] as const) {
            near(got[key], e[key], `epoch ${e.epoch} ${key}`);
          }
        }
      });
    });

    it('the defaults at epoch 1: w 0, b -2, mu 0.5375, sigma 1.8125; after T the values of T', () => {
      expect(grSchedule(1)).to.deep.equal({ w: 0, b: -2, mu: 0.5375, sigma: 1.8125 });
      expect(grSchedule(20)).to.deep.equal(grSchedule(8));
      expect(grSchedule(8)).to.deep.equal({ w: 1.75, b: -2, mu: 0.8, sigma: 0.5 });
    });

    it('the GR cases with b = -2 use the w, mu and sigma of an epoch of the default schedule', () => {
      const schedule = Array.from({ length: 8 }, (_, e) => grSchedule(e + 1));
      const onSchedule = CASES.filter(
        (c) => c.fn === 'generalizedRobustLoss' && (c.options as { b: number }).b === -2,
      );
      expect(onSchedule.length).to.be.at.least(8);
      for (const c of onSchedule) {
        const o = c.options as { w: number; mu: number; sigma: number };
        const hit = schedule.find((p) => p.w === o.w && p.mu === o.mu && p.sigma === o.sigma);
        expect(hit, JSON.stringify(o)).to.not.equal(undefined);
      }
    });

    it('generalizedRobustPerEpoch trains epoch e with grSchedule(e), bit for bit', () => {
      const c = CASES.find((x) => x.fn === 'generalizedRobustLoss')!;
      const perEpoch = generalizedRobustPerEpoch({ q3: 0.7 });
      const shape = [c.logits.length, c.logits[0].length];
      const z = new Tensor(Float64Array.from(c.logits.flat()), shape);
      const y = new Tensor(Float64Array.from(c.targets.flat()), shape);
      const m = new Tensor(Float64Array.from(c.mask.flat()), shape);
      for (const epoch of [1, 3, 8, 12]) {
        const context = { epoch, batch: 1 } as LossContext;
        const got = perEpoch(z, y, m, context).item();
        const want = generalizedRobustLoss(z, y, m, { ...grSchedule(epoch), q3: 0.7 }).item();
        expect(Object.is(got, want), `epoch ${epoch}`).to.equal(true);
      }
      expect(perEpoch(z, y, m, { epoch: 2, batch: 1 } as LossContext).item()).to.not.equal(
        perEpoch(z, y, m, { epoch: 5, batch: 1 } as LossContext).item(),
      );
      expectError(
        () => perEpoch(z, y, m, undefined as never),
        'generalizedRobustPerEpoch',
        'no context',
      );
    });
  });

  describe('inversePropensity matches the reference', () => {
    reference.inversePropensities.forEach((p, k) => {
      it(`case ${k + 1} ${JSON.stringify(p.options)}`, () => {
        const got = inversePropensity(p.options);
        for (const key of ['invPropensity', 'upperBoundWeights', 'pwWeights'] as const) {
          expect(got[key]).to.have.length(p[key].length);
          p[key].forEach((v, l) => near(got[key][l], v, `${key}[${l}]`));
        }
      });
    });

    it("'pw' weights average 1 over the labels", () => {
      const { pwWeights } = inversePropensity({ numRows: 500, labelCounts: [0, 3, 40, 200] });
      near(pwWeights.reduce((s, w) => s + w, 0) / pwWeights.length, 1, 'mean');
    });
  });

  describe('GR and PW at extreme logits', () => {
    it('GR: loss and gradient finite for logits from -700 to 700 with q2, q3 < 1 (no NaN at p = 0 or 1)', () => {
      const z = [[-700, -40, 37, 700, -700, 700]];
      for (const m of [[[0, 0, 0, 0, 1, 1]], [[1, 1, 1, 1, 0, 0]]]) {
        const { loss, grad } = run(generalizedRobustLoss, z, [[1, 0, 1, 0, 1, 0]], m, {
          w: 1,
          b: -2,
          mu: 0.5,
          sigma: 1,
          q2: 0.3,
          q3: 0.4,
          epsilon: 0,
        });
        expect(Number.isFinite(loss), `loss ${loss}`).to.equal(true);
        grad.forEach((g) => expect(Number.isFinite(g), `gradient ${g}`).to.equal(true));
      }
    });

    it('PW: an unknown entry costs what an observed negative does', () => {
      const options = { numRows: 100, labelCounts: [3, 50] };
      const z = [[0.7, -1.2]];
      const unknown = run(propensityWeightedBce, z, [[0, 1]], [[0, 0]], options);
      const negative = run(propensityWeightedBce, z, [[0, 0]], [[1, 1]], options);
      expect(unknown.loss).to.equal(negative.loss);
      expect(unknown.grad).to.deep.equal(negative.grad);
    });
  });

  describe('the strategies gr and pw', () => {
    // Five training rows, three labels: observed positives 2, 0 and 1 (row 4's label 0 is unknown).
    const y = [
      [1, 0, 0],
      [1, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const m = [
      [1, 1, 0],
      [1, 0, 1],
      [1, 1, 1],
      [0, 0, 0],
      [0, 1, 1],
    ];
    const train: MultiLabelDataset = {
      x: new Tensor(new Float64Array(10), [5, 2]),
      y: new Tensor(Float64Array.from(y.flat()), [5, 3]),
      mask: new Tensor(Float64Array.from(m.flat()), [5, 3]),
      featureNames: ['a', 'b'],
      labelNames: ['p', 'q', 'r'],
    };
    const z = [
      [0.3, -1.2, 2],
      [1.1, 0.4, -0.7],
      [-2, 0.9, 0.1],
      [0.5, -0.5, 1.5],
      [-0.2, 2.2, -1],
    ];
    const options = (strategy: 'gr' | 'pw', more: object = {}) =>
      ({ strategy, lr: 0.01, seed: 1, ...more }) as ExperimentOptions;
    const lossOf = (strategy: 'gr' | 'pw', more: object, epoch: number) => {
      const loss = STRATEGIES[strategy].makeLoss(train, options(strategy, more));
      const forward = typeof loss === 'function' ? loss : loss.forward;
      const context = { epoch, batch: 1, rows: Int32Array.from([0, 1, 2, 3, 4]), train };
      return run((a, b, c) => forward(a, b, c, context), z, y, m, {});
    };

    it('follow asl in STRATEGY_NAMES, gr before pw, and --strategy all runs both in both regimes', () => {
      expect(STRATEGY_NAMES.indexOf('pw')).to.equal(STRATEGY_NAMES.indexOf('gr') + 1);
      expect(STRATEGY_NAMES.indexOf('gr')).to.be.above(STRATEGY_NAMES.indexOf('asl'));
      for (const regime of ['random', 'single-positive'] as const) {
        expect(strategiesFor(regime).run).to.include.members(['gr', 'pw']);
      }
    });

    it('pw: propensityWeightedBce with N the training rows and the counts of their observed positives', () => {
      const want = run(propensityWeightedBce, z, y, m, { numRows: 5, labelCounts: [2, 0, 1] });
      const got = lossOf('pw', {}, 1);
      expect(Object.is(got.loss, want.loss)).to.equal(true);
      expect(bitEqual(got.grad, want.grad)).to.equal(true);
      const settings = {
        numRows: 5,
        labelCounts: [2, 0, 1],
        A: 0.3,
        B: 0.5,
        estimator: 'unbiased',
      };
      const unbiased = run(propensityWeightedBce, z, y, m, settings);
      const given = lossOf('pw', { pwA: 0.3, pwB: 0.5, pwEstimator: 'unbiased' }, 1);
      expect(Object.is(given.loss, unbiased.loss)).to.equal(true);
      expect(unbiased.loss).to.not.equal(want.loss);
    });

    it("gr: generalizedRobustLoss on the schedule of the training loop's epoch, with the options given", () => {
      for (const epoch of [1, 4, 9]) {
        const want = run(generalizedRobustLoss, z, y, m, grSchedule(epoch));
        const got = lossOf('gr', {}, epoch);
        expect(Object.is(got.loss, want.loss), `epoch ${epoch}`).to.equal(true);
        expect(bitEqual(got.grad, want.grad), `epoch ${epoch}`).to.equal(true);
      }
      const params = { ...grSchedule(3, { numEpochs: 4 }), q2: 0.5, q3: 0.25 };
      const want = run(generalizedRobustLoss, z, y, m, params);
      const got = lossOf('gr', { grEpochs: 4, grQ2: 0.5, grQ3: 0.25 }, 3);
      expect(Object.is(got.loss, want.loss)).to.equal(true);
    });
  });

  describe('bad options name the function, the option, the value and what was expected', () => {
    const z = new Tensor(new Float64Array(4), [2, 2]);
    const y = new Tensor(new Float64Array(4), [2, 2]);
    const gr = { w: 0, b: -2, mu: 0.5, sigma: 2 };
    it('generalizedRobustLoss', () => {
      expectError(
        () => generalizedRobustLoss(z, y, undefined, { w: 0, b: -2, mu: 0.5 }),
        'generalizedRobustLoss',
        "'sigma' is required",
      );
      expectError(
        () => generalizedRobustLoss(z, y, undefined, { ...gr, sigma: 0 }),
        'generalizedRobustLoss',
        'sigma = 0',
        '> 0',
      );
      expectError(
        () => generalizedRobustLoss(z, y, undefined, { ...gr, q2: -1 }),
        'q2 = -1',
        '> 0',
      );
      expectError(
        () => generalizedRobustLoss(z, y, undefined, { ...gr, epsilon: 1 }),
        'epsilon = 1',
        '[0, 1)',
      );
      expectError(
        () => generalizedRobustLoss(z, y, undefined, { ...gr, gamma: 1 } as object),
        "unknown option 'gamma'",
      );
    });
    it('grSchedule', () => {
      expectError(() => grSchedule(0), 'grSchedule', 'epoch = 0', 'integer >= 1');
      expectError(
        () => grSchedule(1, { numEpochs: 4, linearInit: 4 }),
        'grSchedule',
        'linearInit = 4',
        'from 0 to numEpochs - 1 (3)',
      );
      expectError(() => grSchedule(1, { numEpochs: 2.5 }), 'numEpochs = 2.5');
      expectError(() => grSchedule(1, { sigmaT: 0 }), 'sigmaT = 0', '> 0');
    });
    it('propensityWeightedBce and inversePropensity', () => {
      const pw = { numRows: 10, labelCounts: [1, 2] };
      expectError(
        () => propensityWeightedBce(z, y, undefined, { labelCounts: [1, 2] }),
        'propensityWeightedBce',
        "'numRows' is required",
      );
      expectError(
        () => propensityWeightedBce(z, y, undefined, { ...pw, numRows: 2 }),
        'numRows = 2',
        'integer >= 3',
      );
      expectError(
        () => propensityWeightedBce(z, y, undefined, { ...pw, labelCounts: [1, 2, 3] }),
        'labelCounts has 3 counts',
        '2 classes',
      );
      expectError(
        () => propensityWeightedBce(z, y, undefined, { ...pw, labelCounts: [1, 11] }),
        'labelCounts[1] = 11',
        'from 0 to numRows (10)',
      );
      expectError(
        () => propensityWeightedBce(z, y, undefined, { ...pw, estimator: 'ips' as never }),
        'estimator must be',
        "'unbiased'",
      );
      expectError(() => propensityWeightedBce(z, y, undefined, { ...pw, A: -1 }), 'A = -1', '>= 0');
      expectError(
        () => inversePropensity({ numRows: 10 } as never),
        'inversePropensity',
        "'labelCounts' is required",
      );
    });
  });
});
