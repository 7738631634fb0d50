import { expect } from 'chai';
import fc from 'fast-check';
import { STRATEGIES } from '../src/app';
import type { ExperimentOptions } from '../src/app';
import {
  entropyMaximizationLoss,
  hillLoss,
  isMaskgradError,
  maskedBinaryCrossEntropyWithLogits as maskedBce,
  Random,
  splcLoss,
  Tensor,
} from '../src';
import type { LossContext, MultiLabelDataset } from '../src';
import reference from './fixtures/missing-label-losses-2.json';
import { lossAndGradientFlat, type LossFn } from './support/loss-gradient';
import { itProperty } from './properties/run-property';

const LOSSES: Record<string, LossFn> = { hillLoss, splcLoss, entropyMaximizationLoss };

const POISON: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

const run = lossAndGradientFlat;

/** |a - b| <= 1e-10 max(1, |b|), the reference's tolerance. */
function near(a: number, b: number, what: string) {
  const bound = 1e-10 * Math.max(1, Math.abs(b));
  expect(Math.abs(a - b) <= bound, `${what}: ${a} vs ${b}`).to.equal(true);
}

const bitEqual = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

/** Random logits in [-8, 8], 0/1 targets and a mask about half observed. */
function randomCase(rng: Random, n: number, c: number) {
  const z = Float64Array.from({ length: n * c }, () => rng.uniform(-8, 8));
  const y = Float64Array.from({ length: n * c }, () => (rng.uniform() < 0.4 ? 1 : 0));
  const m = Float64Array.from({ length: n * c }, () => (rng.uniform() < 0.5 ? 1 : 0));
  return { z, y, m };
}

const cases = reference.cases.filter((c) => c.fn in LOSSES);

describe('missing-label losses, round two: Hill, SPLC, EM', () => {
  describe('match PyTorch (float64), loss and gradient to 1e-10 max(1, |b|)', () => {
    cases.forEach((c, k) => {
      const n = c.logits.length;
      const cols = c.logits[0].length;
      const note = (c as { note?: string }).note;
      it(`case ${k + 1}: ${c.fn} ${JSON.stringify(c.options)} on [${n},${cols}]${note ? ` (${note})` : ''}`, () => {
        const z = c.logits.flat();
        const y = c.targets.flat();
        const m = c.mask.flat();
        const { loss, grad } = run(LOSSES[c.fn], n, cols, z, y, m, c.options);
        near(loss, c.loss, 'loss');
        c.gradLogits.flat().forEach((g, i) => near(grad[i], g, `gradient ${i}`));
      });
    });

    it('the reference has 11 Hill, 11 SPLC and 10 EM cases, all run above', () => {
      const count = (fn: string) => cases.filter((c) => c.fn === fn).length;
      expect([
        count('hillLoss'),
        count('splcLoss'),
        count('entropyMaximizationLoss'),
      ]).to.deep.equal([11, 11, 10]);
    });
  });

  describe("NaN and Infinity at the reference's poison entries change no bit", () => {
    const poisoned = cases.filter((c) => (c as { poison?: unknown[] }).poison);
    it('the reference poisons cases of each loss', () => {
      expect(new Set(poisoned.map((c) => c.fn)).size).to.equal(3);
    });
    poisoned.forEach((c) => {
      const n = c.logits.length;
      const cols = c.logits[0].length;
      const poison = (
        c as unknown as { poison: { field: string; row: number; col: number; value: string }[] }
      ).poison;
      it(`${c.fn} ${JSON.stringify(c.options)}: ${poison.length} poisoned targets`, () => {
        const z = c.logits.flat();
        const y = c.targets.flat();
        const m = c.mask.flat();
        const clean = run(LOSSES[c.fn], n, cols, z, y, m, c.options);
        const bad = y.slice();
        for (const p of poison) {
          expect(p.field).to.equal('targets');
          bad[p.row * cols + p.col] = POISON[p.value];
        }
        const dirty = run(LOSSES[c.fn], n, cols, z, bad, m, c.options);
        expect(Object.is(dirty.loss, clean.loss)).to.equal(true);
        expect(bitEqual(dirty.grad, clean.grad)).to.equal(true);
        near(dirty.loss, c.loss, 'loss');
      });
    });
  });

  describe('relations, exact where exact', () => {
    const rng = new Random('round-two-stateless');
    const [n, c] = [6, 5];
    const { z, y, m } = randomCase(rng, n, c);

    it('SPLC before its change epoch is SPLC with tau 1 (no unknown is above), bit for bit', () => {
      const early = run(splcLoss, n, c, z, y, m, { epoch: 0 });
      const never = run(splcLoss, n, c, z, y, m, { epoch: 5, tau: 1 });
      expect(Object.is(early.loss, never.loss)).to.equal(true);
      expect(bitEqual(early.grad, never.grad)).to.equal(true);
    });

    it('SPLC with tau 0 from the change epoch takes every unknown as a positive without margin', () => {
      const all = run(splcLoss, n, c, z, y, m, { epoch: 1, tau: 0, margin: 0, gamma: 0 });
      const ones = Float64Array.from(y, (v, i) => (m[i] === 0 ? 1 : v));
      const filled = new Float64Array(n * c).fill(1);
      const bce = run(maskedBce as LossFn, n, c, z, ones, filled, { reduction: 'sum' });
      near(all.loss, bce.loss, 'loss');
      all.grad.forEach((g, i) => near(g, bce.grad[i], `gradient ${i}`));
    });

    it('SPLC with gamma 0 and margin 0 before correcting is the BCE of unknown = negative, summed', () => {
      const splc = run(splcLoss, n, c, z, y, m, { epoch: 0, margin: 0, gamma: 0 });
      const an = Float64Array.from(y, (v, i) => (m[i] === 0 ? 0 : v));
      const filled = new Float64Array(n * c).fill(1);
      const bce = run(maskedBce as LossFn, n, c, z, an, filled, { reduction: 'sum' });
      near(splc.loss, bce.loss, 'loss');
      splc.grad.forEach((g, i) => near(g, bce.grad[i], `gradient ${i}`));
    });

    it("'mean' is 'sum' over B C for Hill and SPLC", () => {
      for (const [fn, options] of [
        [hillLoss, {}],
        [splcLoss, { epoch: 2 }],
      ] as const) {
        const sum = run(fn, n, c, z, y, m, options);
        const mean = run(fn, n, c, z, y, m, { ...options, reduction: 'mean' });
        near(mean.loss, sum.loss / (n * c), 'loss');
        mean.grad.forEach((g, i) => near(g, sum.grad[i] / (n * c), `gradient ${i}`));
      }
    });

    it('EM with alpha 0 is assume-nothing: the masked BCE summed over B C, unknowns get exactly +0', () => {
      const em = run(entropyMaximizationLoss, n, c, z, y, m, { alpha: 0, epsilon: 0 });
      const masked = run(maskedBce as LossFn, n, c, z, y, m, { reduction: 'sum' });
      near(em.loss, masked.loss / (n * c), 'loss');
      em.grad.forEach((g, i) => {
        if (m[i] === 0) expect(Object.is(g, 0)).to.equal(true);
        else near(g, masked.grad[i] / (n * c), `gradient ${i}`);
      });
    });

    it('EM: an unknown entry at z = 0 (the most uncertain) has gradient exactly 0 with epsilon 0', () => {
      const r = run(entropyMaximizationLoss, 1, 2, [0, 3], [0, 1], [0, 1], { epsilon: 0 });
      expect(Object.is(r.grad[0], 0)).to.equal(true);
      near(r.loss, (-0.2 * Math.log(2) + Math.log1p(Math.exp(-3))) / 2, 'loss');
    });

    it("Hill: an unknown's term has its largest value where 2 lambda = 3 p", () => {
      // p = sigmoid(z) = 2 lambda / 3 = 2/3 at lambda = 1: the derivative is 0 there.
      const zPeak = Math.log(2);
      const r = run(hillLoss, 1, 1, [zPeak], [0], [0], { lambda: 1 });
      near(r.grad[0], 0, 'gradient at the peak');
      near(r.loss, (1 - 2 / 3) * (4 / 9), 'loss at the peak');
    });

    it('saturated logits (|z| = 700) give finite losses and gradients for all three', () => {
      const zs = [700, -700, 700, -700];
      for (const [fn, options] of [
        [hillLoss, {}],
        [splcLoss, { epoch: 3, tau: 0.5 }],
        [entropyMaximizationLoss, { epsilon: 0 }],
        [entropyMaximizationLoss, {}],
      ] as const) {
        const r = run(fn, 2, 2, zs, [1, 1, 0, 0], [1, 1, 0, 0], options);
        expect(Number.isFinite(r.loss)).to.equal(true);
        r.grad.forEach((g) => expect(Number.isFinite(g)).to.equal(true));
      }
    });
  });

  describe('property: NaN and Infinity at unknown targets change no bit, mask [B, C] or [C]', () => {
    const poison = fc.constantFrom(NaN, Infinity, -Infinity);
    const cases = fc
      .record({
        n: fc.integer({ min: 1, max: 5 }),
        c: fc.integer({ min: 1, max: 4 }),
        perClass: fc.boolean(),
      })
      .chain(({ n, c, perClass }) =>
        fc.record({
          n: fc.constant(n),
          c: fc.constant(c),
          perClass: fc.constant(perClass),
          z: fc.array(fc.double({ min: -700, max: 700, noNaN: true }), {
            minLength: n * c,
            maxLength: n * c,
          }),
          y: fc.array(fc.constantFrom(0, 1), { minLength: n * c, maxLength: n * c }),
          m: fc.array(fc.constantFrom(0, 1), {
            minLength: perClass ? c : n * c,
            maxLength: perClass ? c : n * c,
          }),
          bad: fc.array(poison, { minLength: n * c, maxLength: n * c }),
          which: fc.integer({ min: 0, max: 3 }),
        }),
      );
    const settings: [LossFn, object][] = [
      [hillLoss, {}],
      [splcLoss, { epoch: 2, tau: 0.4 }],
      [entropyMaximizationLoss, {}],
      [entropyMaximizationLoss, { epsilon: 0 }],
    ];
    itProperty('Hill, SPLC, EM (both epsilons)', 200, () =>
      fc.property(cases, ({ n, c, perClass, z, y, m, bad, which }) => {
        const [fn, options] = settings[which];
        const zt = () => new Tensor(Float64Array.from(z), [n, c], true);
        const mask = new Tensor(Float64Array.from(m), perClass ? [c] : [n, c]);
        const dirtyY = y.map((v, i) => (m[perClass ? i % c : i] === 0 ? bad[i] : v));
        const runWith = (targets: number[]) => {
          const logits = zt();
          const loss = fn(logits, new Tensor(Float64Array.from(targets), [n, c]), mask, options);
          loss.backward();
          return { loss: loss.item(), grad: logits.grad!.data };
        };
        const clean = runWith(y);
        const dirty = runWith(dirtyY);
        expect(Number.isFinite(clean.loss)).to.equal(true);
        expect(Object.is(clean.loss, dirty.loss)).to.equal(true);
        expect(bitEqual(clean.grad, dirty.grad)).to.equal(true);
      }),
    );
  });

  describe('the strategies train with these losses and the options of their rows', () => {
    const rng = new Random('round-two-strategies');
    const [n, c] = [4, 3];
    const { z, y, m } = randomCase(rng, n, c);
    const train = {} as MultiLabelDataset; // the three losses do not read the training set
    const options = { strategy: 'splc' } as ExperimentOptions;
    const context = (epoch: number) => ({ epoch, batch: 1, rows: new Int32Array(n), train });
    const viaStrategy = (name: 'hill' | 'splc' | 'em', epoch: number, extra = {}) => {
      const loss = STRATEGIES[name].makeLoss(train, { ...options, strategy: name, ...extra });
      const f = loss as (a: Tensor, b: Tensor, m: Tensor, ctx: LossContext) => Tensor;
      return run((zz, yy, mm) => f(zz, yy, mm, context(epoch)), n, c, z, y, m);
    };

    it("splc: the loop's epoch 1 is the authors' epoch 0 (no correction), epoch 2 their 1", () => {
      for (const [epoch, authors] of [
        [1, 0],
        [2, 1],
        [7, 6],
      ]) {
        const got = viaStrategy('splc', epoch);
        const want = run(splcLoss, n, c, z, y, m, { epoch: authors });
        expect(Object.is(got.loss, want.loss), `epoch ${epoch}`).to.equal(true);
        expect(bitEqual(got.grad, want.grad)).to.equal(true);
      }
      // The data has an unknown above tau, so the epoch shift is seen.
      const first = run(splcLoss, n, c, z, y, m, { epoch: 0 });
      expect(first.loss).to.not.equal(run(splcLoss, n, c, z, y, m, { epoch: 1 }).loss);
      const tau = viaStrategy('splc', 3, { splcTau: 0.9 });
      const want = run(splcLoss, n, c, z, y, m, { epoch: 2, tau: 0.9 });
      expect(Object.is(tau.loss, want.loss)).to.equal(true);
    });

    it('hill and em: the defaults of the reference, and hillLambda, emAlpha when given', () => {
      const pairs: [ReturnType<typeof run>, ReturnType<typeof run>][] = [
        [viaStrategy('hill', 1), run(hillLoss, n, c, z, y, m, {})],
        [viaStrategy('hill', 1, { hillLambda: 2 }), run(hillLoss, n, c, z, y, m, { lambda: 2 })],
        [viaStrategy('em', 1), run(entropyMaximizationLoss, n, c, z, y, m, {})],
        [
          viaStrategy('em', 1, { emAlpha: 0.05 }),
          run(entropyMaximizationLoss, n, c, z, y, m, { alpha: 0.05 }),
        ],
      ];
      pairs.forEach(([got, want], k) => {
        expect(Object.is(got.loss, want.loss), `pair ${k}`).to.equal(true);
        expect(bitEqual(got.grad, want.grad), `pair ${k}`).to.equal(true);
      });
    });
  });

  describe('bad options name the function, the option, the value and what was expected', () => {
    const z = new Tensor(new Float64Array(4), [2, 2]);
    const y = new Tensor(new Float64Array(4), [2, 2]);
    const m = new Tensor(new Float64Array(4).fill(1), [2, 2]);
    const bad: [LossFn, object, RegExp][] = [
      [
        hillLoss,
        { gamma: -1 },
        /^hillLoss: gamma = -1 is out of range: must be a finite number >= 0/,
      ],
      [hillLoss, { reduction: 'none' }, /^hillLoss: reduction must be 'sum' or 'mean', got "none"/],
      [hillLoss, { lamda: 1 }, /hillLoss.*lamda/],
      [
        splcLoss,
        {},
        /^splcLoss: option 'epoch' is required \(a finite number >= 0, counted from 0\)/,
      ],
      [
        splcLoss,
        { epoch: 1, tau: 1.5 },
        /^splcLoss: tau = 1\.5 is out of range: must be a number in \[0, 1\]/,
      ],
      [
        entropyMaximizationLoss,
        { alpha: NaN },
        /^entropyMaximizationLoss: alpha = NaN is out of range/,
      ],
      [
        entropyMaximizationLoss,
        { epsilon: 1 },
        /^entropyMaximizationLoss: epsilon = 1 is out of range: must be a number in \[0, 1\)/,
      ],
    ];
    bad.forEach(([fn, options, message]) => {
      it(`${fn.name} ${JSON.stringify(options)}`, () => {
        let error: unknown;
        try {
          fn(z, y, m, options);
        } catch (e) {
          error = e;
        }
        expect(isMaskgradError(error), String(error)).to.equal(true);
        expect((error as Error).message).to.match(message);
      });
    });
  });
});
