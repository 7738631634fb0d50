import { expect } from 'chai';
import {
  assumeNegativeLoss,
  asymmetricLoss,
  estimateExpectedPositives,
  expectedPositiveLoss,
  isMaskgradError,
  largeLossLoss,
  largeLossPerEpoch,
  maskedBinaryCrossEntropyWithLogits as maskedBce,
  partialBinaryCrossEntropy,
  Random,
  Tensor,
  tensor,
} from '../src';
import type { LossContext } from '../src';
import reference from './fixtures/missing-label-losses.json';
import { lossAndGradientFlat, type LossFn } from './support/loss-gradient';

const LOSSES: Record<string, LossFn> = {
  assumeNegativeLoss,
  expectedPositiveLoss,
  largeLossLoss,
  partialBinaryCrossEntropy,
  asymmetricLoss,
};

const run = lossAndGradientFlat;

/** Random logits, 0/1 targets and mask (about 40% observed) of shape [n, c]. */
function randomCase(rng: Random, n: number, c: number) {
  const z = Float64Array.from({ length: n * c }, () => rng.normal(0, 2));
  const y = Float64Array.from({ length: n * c }, () => (rng.uniform() < 0.4 ? 1 : 0));
  const m = Float64Array.from({ length: n * c }, () => (rng.uniform() < 0.4 ? 1 : 0));
  return { z, y, m };
}

const bitEqual = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe('missing-label losses', () => {
  describe('match PyTorch (float64 reference values), loss and gradient to 1e-10', () => {
    reference.cases.forEach((c, k) => {
      const n = c.logits.length;
      const cols = c.logits[0].length;
      const note = (c as { note?: string }).note;
      it(`case ${k + 1}: ${c.fn} ${JSON.stringify(c.options)} on [${n},${cols}]${note ? ` (${note})` : ''}`, () => {
        const { loss, grad } = run(
          LOSSES[c.fn],
          n,
          cols,
          c.logits.flat(),
          c.targets.flat(),
          c.mask.flat(),
          c.options,
        );
        expect(loss).to.be.closeTo(c.loss, 1e-10);
        c.gradLogits
          .flat()
          .forEach((g, i) => expect(grad[i], `gradient ${i}`).to.be.closeTo(g, 1e-10));
      });
    });

    it('the reference covers every loss', () => {
      const seen = new Set(reference.cases.map((c) => c.fn));
      expect([...seen].sort()).to.deep.equal(Object.keys(LOSSES).sort());
    });
  });

  describe('relations between the losses', () => {
    const rng = new Random('missing-label-relations');
    const [n, c] = [5, 4];
    const { z, y, m } = randomCase(rng, n, c);

    it('largeLossLoss at rate 0 is assume negative with the exact log, bit for bit', () => {
      const ll = run(largeLossLoss, n, c, z, y, m, { rate: 0 });
      const an = run(assumeNegativeLoss, n, c, z, y, m, { epsilon: 0 });
      expect(Object.is(ll.loss, an.loss)).to.equal(true);
      expect(bitEqual(ll.grad, an.grad)).to.equal(true);
    });

    it('assume negative with unknownWeight 0 and the exact log is the masked loss summed, over B C', () => {
      const an = run(assumeNegativeLoss, n, c, z, y, m, { unknownWeight: 0, epsilon: 0 });
      const masked = run(maskedBce as LossFn, n, c, z, y, m, { reduction: 'sum' });
      expect(an.loss).to.be.closeTo(masked.loss / (n * c), 1e-15);
      an.grad.forEach((g, i) => expect(g).to.be.closeTo(masked.grad[i] / (n * c), 1e-16));
    });

    it('partial-BCE with every label known is the mean binary cross-entropy (g(1) = 1)', () => {
      const ones = new Float64Array(n * c).fill(1);
      const pbce = run(partialBinaryCrossEntropy, n, c, z, y, ones);
      const masked = run(maskedBce as LossFn, n, c, z, y, ones);
      expect(pbce.loss).to.be.closeTo(masked.loss, 1e-14);
      pbce.grad.forEach((g, i) => expect(g).to.be.closeTo(masked.grad[i], 1e-15));
    });

    it('ASL with no focusing, no clip and no floor is the masked loss summed', () => {
      const options = { gammaPos: 0, gammaNeg: 0, clip: 0, eps: 0 };
      const asl = run(asymmetricLoss, n, c, z, y, m, options);
      const masked = run(maskedBce as LossFn, n, c, z, y, m, { reduction: 'sum' });
      expect(asl.loss).to.be.closeTo(masked.loss, 1e-13);
      asl.grad.forEach((g, i) => expect(g).to.be.closeTo(masked.grad[i], 1e-15));
    });

    it("ASL's focusing weight is a constant: the gradient is the weighted BCE gradient", () => {
      // One positive: w = (1 - p)^gammaPos, loss -w log p, gradient -w (1 - p) (not the full derivative).
      const zv = 0.3;
      const p = 1 / (1 + Math.exp(-zv));
      const out = run(asymmetricLoss, 1, 1, [zv], [1], [1], { gammaPos: 2 });
      expect(out.loss).to.be.closeTo(-((1 - p) ** 2) * Math.log(p), 1e-15);
      expect(out.grad[0]).to.be.closeTo(-((1 - p) ** 2) * (1 - p), 1e-15);
    });
  });

  describe('largeLossLoss selects among the unknown entries only', () => {
    // Row-major [2, 3]: observed entries 0 and 4 have the largest logits but are never selected.
    const z = [9, 3, -1, 2, 8, 3];
    const y = [0, 0, 0, 0, 1, 0];
    const m = [1, 0, 0, 0, 1, 0];
    const softplus = (v: number) => Math.log1p(Math.exp(v));

    it("'reject' drops the k = ceil(B C rate) largest (ties with the k-th included); 'correct' takes them as positives", () => {
      // k = ceil(6 * 0.2) = 2: the unknown losses are softplus(3), softplus(3), softplus(2), softplus(-1).
      const observed = softplus(9) + softplus(-8);
      const reject = run(largeLossLoss, 2, 3, z, y, m, { rate: 0.2 });
      expect(reject.loss).to.be.closeTo((observed + softplus(2) + softplus(-1)) / 6, 1e-15);
      expect(reject.grad[1]).to.equal(0);
      expect(reject.grad[5]).to.equal(0);
      const correct = run(largeLossLoss, 2, 3, z, y, m, { rate: 0.2, mode: 'correct' });
      expect(correct.loss).to.be.closeTo(
        (observed + 2 * softplus(-3) + softplus(2) + softplus(-1)) / 6,
        1e-15,
      );
      expect(correct.grad[1]).to.be.lessThan(0);
      // rate 0.1: k = 1, but the two entries tied at the largest loss are both rejected.
      const tied = run(largeLossLoss, 2, 3, z, y, m, { rate: 0.1 });
      expect(tied.loss).to.equal(reject.loss);
    });

    it('k is capped at the number of unknown entries', () => {
      const all = run(largeLossLoss, 2, 3, z, y, m, { rate: 1 });
      expect(all.loss).to.be.closeTo((softplus(9) + softplus(-8)) / 6, 1e-15);
    });

    it('largeLossPerEpoch uses rate = (epoch - 1) deltaRel, capped at 1', () => {
      const zt = () => tensor([z.slice(0, 3), z.slice(3)], { requiresGrad: true });
      const yt = tensor([y.slice(0, 3), y.slice(3)]);
      const mt = tensor([m.slice(0, 3), m.slice(3)]);
      const loss = largeLossPerEpoch({ deltaRel: 0.1, mode: 'reject' });
      const at = (epoch: number) => loss(zt(), yt, mt, { epoch } as LossContext).item();
      expect(at(1)).to.equal(largeLossLoss(zt(), yt, mt, { rate: 0 }).item());
      expect(at(3)).to.equal(largeLossLoss(zt(), yt, mt, { rate: 0.2 }).item());
      expect(at(30)).to.equal(largeLossLoss(zt(), yt, mt, { rate: 1 }).item());
      expect(() => loss(zt(), yt, mt, undefined as never)).to.throw(
        /largeLossPerEpoch: needs the training loop's context/,
      );
    });
  });

  describe('NaN or Infinity at an entry a loss does not use changes nothing, bit for bit', () => {
    // [name, loss, options, whether the loss reads the logits at unknown entries]
    const cases: [string, LossFn, object, boolean][] = [
      ['assumeNegativeLoss (AN)', assumeNegativeLoss, {}, true],
      [
        'assumeNegativeLoss (AN-LS, WAN)',
        assumeNegativeLoss,
        { labelSmoothing: 0.1, unknownWeight: 0.25 },
        true,
      ],
      ['expectedPositiveLoss', expectedPositiveLoss, { expectedPositives: 1.5 }, true],
      ['largeLossLoss (reject)', largeLossLoss, { rate: 0.3 }, true],
      ['largeLossLoss (correct)', largeLossLoss, { rate: 0.3, mode: 'correct' }, true],
      ['partialBinaryCrossEntropy', partialBinaryCrossEntropy, {}, false],
      ['asymmetricLoss (ignore)', asymmetricLoss, { gammaPos: 1 }, false],
      ['asymmetricLoss (negative)', asymmetricLoss, { unknown: 'negative' }, true],
    ];
    const poisons = [NaN, Infinity, -Infinity, 1e308, -3];
    for (const [name, fn, options, readsUnknownLogits] of cases) {
      const what = readsUnknownLogits ? 'targets' : 'logits and targets';
      it(`${name}: in the ${what} at unknown entries`, () => {
        const rng = new Random(`nan-safety-${name}`);
        for (let trial = 0; trial < 20; trial++) {
          const [n, c] = [1 + rng.int(6), 1 + rng.int(5)];
          const { z, y, m } = randomCase(rng, n, c);
          const clean = run(fn, n, c, z, y, m, options);
          const zp = z.slice();
          const yp = y.slice();
          m.forEach((mi, i) => {
            if (mi !== 0) return;
            yp[i] = poisons[rng.int(poisons.length)];
            if (!readsUnknownLogits) zp[i] = poisons[rng.int(poisons.length)];
          });
          const dirty = run(fn, n, c, zp, yp, m, options);
          expect(Object.is(dirty.loss, clean.loss), `loss ${dirty.loss} vs ${clean.loss}`).to.equal(
            true,
          );
          expect(bitEqual(dirty.grad, clean.grad), 'gradient').to.equal(true);
          if (!readsUnknownLogits) {
            m.forEach(
              (mi, i) =>
                mi === 0 && expect(Object.is(dirty.grad[i], 0), `gradient ${i}`).to.equal(true),
            );
          }
        }
      });
    }
  });

  it('at infinite logits that predict the observed labels rightly, every loss and gradient is finite', () => {
    // Observed positives at +Infinity, everything else at -Infinity.
    const y = [1, 0, 0, 1, 0, 0];
    const m = [1, 1, 0, 1, 0, 0];
    const z = y.map((v) => (v === 1 ? Infinity : -Infinity));
    const options: [LossFn, object][] = [
      [assumeNegativeLoss, {}],
      [assumeNegativeLoss, { labelSmoothing: 0.1, epsilon: 1e-5 }],
      [expectedPositiveLoss, { expectedPositives: 1 }],
      [largeLossLoss, { rate: 0.5 }],
      [partialBinaryCrossEntropy, {}],
      [asymmetricLoss, { unknown: 'negative' }],
    ];
    for (const [fn, o] of options) {
      const { loss, grad } = run(fn, 2, 3, z, y, m, o);
      expect(Number.isFinite(loss), `${fn.name} ${JSON.stringify(o)}: loss ${loss}`).to.equal(true);
      for (const g of grad) expect(Number.isFinite(g), `${fn.name}: gradient ${g}`).to.equal(true);
    }
    expect(run(largeLossLoss, 2, 3, z, y, m, { rate: 0 }).loss).to.equal(0);
  });

  describe('bad arguments are errors naming the function and the option', () => {
    const z = tensor([[0.1, 0.2]], { requiresGrad: true });
    const y = tensor([[1, 0]]);
    const m = tensor([[1, 0]]);
    const cases: [string, () => unknown, RegExp][] = [
      [
        'a misspelt option',
        () => assumeNegativeLoss(z, y, m, { labelSmothing: 0.1 } as never),
        /assumeNegativeLoss: unknown option 'labelSmothing'/,
      ],
      [
        'labelSmoothing above 1',
        () => assumeNegativeLoss(z, y, m, { labelSmoothing: 1.5 }),
        /assumeNegativeLoss: labelSmoothing = 1.5 is out of range/,
      ],
      [
        'a negative unknownWeight',
        () => assumeNegativeLoss(z, y, m, { unknownWeight: -1 }),
        /unknownWeight = -1/,
      ],
      [
        'a missing expectedPositives',
        () => expectedPositiveLoss(z, y, m),
        /expectedPositiveLoss: option 'expectedPositives' is required/,
      ],
      [
        'a NaN expectedPositives',
        () => expectedPositiveLoss(z, y, m, { expectedPositives: NaN }),
        /expectedPositives = NaN/,
      ],
      [
        'a missing rate',
        () => largeLossLoss(z, y, m, {}),
        /largeLossLoss: option 'rate' is required/,
      ],
      [
        'an unknown mode',
        () => largeLossLoss(z, y, m, { rate: 0, mode: 'drop' as never }),
        /largeLossLoss: mode must be 'reject' or 'correct', got "drop"/,
      ],
      [
        'an infinite alpha',
        () => partialBinaryCrossEntropy(z, y, m, { alpha: Infinity }),
        /partialBinaryCrossEntropy: alpha = Infinity/,
      ],
      ['clip above 1', () => asymmetricLoss(z, y, m, { clip: 2 }), /asymmetricLoss: clip = 2/],
      [
        'an unknown unknown',
        () => asymmetricLoss(z, y, m, { unknown: 'zero' as never }),
        /asymmetricLoss: unknown must be 'ignore' or 'negative'/,
      ],
      [
        '1-D logits',
        () => assumeNegativeLoss(tensor([0.1, 0.2]), [1, 0], [1, 1]),
        /assumeNegativeLoss: logits must have shape \[B, C\]/,
      ],
      [
        'targets of another shape',
        () => asymmetricLoss(z, [[1, 0, 1]], m),
        /asymmetricLoss: targets has shape \[1,3\]/,
      ],
      [
        'an observed target of 2',
        () => partialBinaryCrossEntropy(z, [[2, 0]], m),
        /partialBinaryCrossEntropy: targets must lie in \[0, 1\] where the mask is 1/,
      ],
      [
        'a mask value of 0.5',
        () => largeLossLoss(z, y, [[0.5, 1]], { rate: 0 }),
        /largeLossLoss: mask must hold only 0/,
      ],
      [
        'logits that are not a Tensor',
        () => expectedPositiveLoss([[0.1, 0.2]] as never, y, m, { expectedPositives: 1 }),
        /expectedPositiveLoss: logits must be a Tensor/,
      ],
    ];
    for (const [what, call, message] of cases) {
      it(what, () => {
        let error: unknown;
        try {
          call();
        } catch (e) {
          error = e;
        }
        expect(isMaskgradError(error), String(error)).to.equal(true);
        expect((error as Error).message).to.match(message);
      });
    }

    it('logits of the wrong rank are a shape error', () => {
      expect(() => assumeNegativeLoss(tensor([0.1, 0.2]), [1, 0], [1, 1]))
        .to.throw()
        .that.satisfies((e: unknown) => isMaskgradError(e, 'ERR_SHAPE'));
    });
  });

  describe('estimateExpectedPositives', () => {
    it("divides each row's known positives by its known share, and averages over rows with a known label", () => {
      const y = [
        [1, 0, 0, 1],
        [1, 0, 0, 0],
        [0, 0, 0, 0],
      ];
      const m = [
        [1, 1, 0, 0], // 1 positive of 2 known: 1 / (2/4) = 2
        [1, 1, 1, 1], // 1 of 4: 1
        [0, 0, 0, 0], // nothing known: left out
      ];
      expect(estimateExpectedPositives(y, m)).to.equal(1.5);
    });

    it('with one known positive per row (single positive) it returns C', () => {
      expect(
        estimateExpectedPositives(
          [
            [1, 0, 0],
            [0, 1, 0],
          ],
          [
            [1, 0, 0],
            [0, 1, 0],
          ],
        ),
      ).to.equal(3);
    });

    it('with no known label at all it is an error', () => {
      expect(() => estimateExpectedPositives([[1, 0]], [[0, 0]])).to.throw(
        /estimateExpectedPositives: no row has a known label/,
      );
    });
  });
});
