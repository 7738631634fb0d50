import { expect } from 'chai';
import reference from './fixtures/pytorch-sklearn-reference.json';
import {
  averagePrecision,
  f1,
  hammingLoss,
  labelRankingAveragePrecision,
  meanAveragePrecision,
} from '../src/core/metrics';
import { Random } from '../src/core/random';
import { tensor, Tensor } from '../src/core/tensor';

interface MetricCase {
  targets: number[][];
  scores: number[][];
  averagePrecisionPerClass: (number | null)[];
  meanAveragePrecision: number;
  labelRankingAveragePrecision: number;
  microF1at05: number;
  macroF1at05: number;
  hammingLossAt05: number;
}

const cases = (reference as unknown as { metrics: { cases: MetricCase[] } }).metrics.cases;

function close(actual: number, expected: number, tol = 1e-12): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).to.be.at.most(tol);
}

/** Every metric of the module on one input, as a flat list of numbers. */
function allMetrics(scores: Tensor, targets: Tensor, mask?: Tensor): number[] {
  const map = meanAveragePrecision(scores, targets, mask);
  return [
    ...averagePrecision(scores, targets, mask),
    map.value,
    map.classesUsed.length,
    labelRankingAveragePrecision(scores, targets, mask),
    f1(scores, targets, { average: 'micro', mask }),
    f1(scores, targets, { average: 'macro', mask }),
    f1(scores, targets, { average: 'macro', threshold: 0.3, mask }),
    hammingLoss(scores, targets, { mask }),
    hammingLoss(scores, targets, { threshold: 0.7, mask }),
  ];
}

function expectBitEqual(a: number[], b: number[]): void {
  expect(a.length).to.equal(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Object.is(a[i], b[i]), `metric ${i}: ${a[i]} vs ${b[i]}`).to.equal(true);
}

describe('metrics', () => {
  describe('against scikit-learn 1.2 (fixture metrics.cases, to 1e-12)', () => {
    it('has cases, including ties and a class with no positives', () => {
      expect(cases.length).to.be.greaterThan(0);
      expect(cases.some((c) => c.averagePrecisionPerClass.includes(null))).to.equal(true);
    });

    cases.forEach((c, k) => {
      describe(`case ${k + 1}`, () => {
        const scores = tensor(c.scores);
        const targets = tensor(c.targets);

        it('averagePrecision per class (null in the fixture is NaN)', () => {
          const ap = averagePrecision(scores, targets);
          expect(ap.length).to.equal(c.averagePrecisionPerClass.length);
          c.averagePrecisionPerClass.forEach((e, i) => {
            if (e === null) expect(ap[i]).to.be.NaN;
            else close(ap[i], e);
          });
        });

        it('meanAveragePrecision over the classes with a positive', () => {
          const m = meanAveragePrecision(scores, targets);
          close(m.value, c.meanAveragePrecision);
          const leftOut = c.averagePrecisionPerClass.flatMap((e, i) => (e === null ? [i] : []));
          expect(m.classesLeftOut).to.deep.equal(leftOut);
          expect(m.classesUsed.length + leftOut.length).to.equal(c.averagePrecisionPerClass.length);
        });

        it('labelRankingAveragePrecision', () => {
          close(labelRankingAveragePrecision(scores, targets), c.labelRankingAveragePrecision);
        });

        it('f1 micro and macro at 0.5', () => {
          close(f1(scores, targets, { average: 'micro' }), c.microF1at05);
          close(f1(scores, targets, { average: 'macro', threshold: 0.5 }), c.macroF1at05);
        });

        it('hammingLoss at 0.5', () => {
          close(hammingLoss(scores, targets), c.hammingLossAt05);
        });
      });
    });
  });

  describe('small cases by hand', () => {
    it('average precision with ties: tied scores enter together', () => {
      // Scores 0.9(+), 0.8(-), 0.8(+), 0.3(-), 0.1(+): thresholds 0.9 (R 1/3, P 1), 0.8 (R 2/3, P 2/3),
      // 0.3 (no new positive), 0.1 (R 1, P 3/5): AP = 1/3 + 2/9 + 1/5 = 34/45.
      const scores = tensor([[0.9], [0.8], [0.8], [0.3], [0.1]]);
      const targets = tensor([[1], [0], [1], [0], [1]]);
      close(averagePrecision(scores, targets)[0], 34 / 45, 1e-15);
      // All scores tied: one threshold, AP = precision = 2/4.
      expect(
        averagePrecision(tensor([[0.5], [0.5], [0.5], [0.5]]), tensor([[1], [0], [0], [1]]))[0],
      ).to.equal(0.5);
      // A perfect ranking gives 1.
      expect(averagePrecision(tensor([[0.9], [0.1], [0.8]]), tensor([[1], [0], [1]]))[0]).to.equal(
        1,
      );
    });

    it('a class with no positive has AP NaN and is left out of the mean', () => {
      const scores = tensor([
        [0.9, 0.2, 0.6],
        [0.1, 0.7, 0.4],
      ]);
      const targets = tensor([
        [1, 0, 1],
        [0, 0, 0],
      ]);
      const ap = averagePrecision(scores, targets);
      expect(ap[0]).to.equal(1);
      expect(ap[1]).to.be.NaN;
      expect(ap[2]).to.equal(1);
      expect(meanAveragePrecision(scores, targets)).to.deep.equal({
        value: 1,
        classesUsed: [0, 2],
        classesLeftOut: [1],
      });
      const none = meanAveragePrecision(
        scores,
        tensor([
          [0, 0, 0],
          [0, 0, 0],
        ]),
      );
      expect(none.value).to.be.NaN;
      expect(none.classesLeftOut).to.deep.equal([0, 1, 2]);
    });

    it('label ranking average precision with ties, and samples with no or only positives', () => {
      // Sample 1: positives at 0.5 and 0.5; 3 labels scored >= 0.5, 2 of them positive: 2/3 each.
      // Sample 2: the positive is scored lowest of 4: 1/4. Sample 3: no positive: 1. Sample 4: all positive: 1.
      const scores = tensor([
        [0.9, 0.5, 0.5, 0.1],
        [0.2, 0.8, 0.4, 0.6],
        [0.3, 0.1, 0.2, 0.4],
        [0.3, 0.1, 0.2, 0.4],
      ]);
      const targets = tensor([
        [0, 1, 1, 0],
        [1, 0, 0, 0],
        [0, 0, 0, 0],
        [1, 1, 1, 1],
      ]);
      close(labelRankingAveragePrecision(scores, targets), (2 / 3 + 1 / 4 + 1 + 1) / 4, 1e-15);
      // With labels 1 and 3 of sample 2 unknown, its ranking has 2 labels: 1/2. A fully masked
      // sample 4 is left out of the mean.
      const mask = tensor([
        [1, 1, 1, 1],
        [1, 0, 1, 0],
        [1, 1, 1, 1],
        [0, 0, 0, 0],
      ]);
      close(labelRankingAveragePrecision(scores, targets, mask), (2 / 3 + 1 / 2 + 1) / 3, 1e-15);
      expect(
        labelRankingAveragePrecision(
          scores,
          targets,
          tensor(new Float64Array(16), { shape: [4, 4] }),
        ),
      ).to.be.NaN;
    });

    it('f1 and hamming loss at a threshold (score >= threshold predicts positive)', () => {
      // Class 0: predictions 1,0,1 against 1,1,0: tp 1, fp 1, fn 1, F1 1/2.
      // Class 1: 0.5 >= 0.5 predicts 1; predictions 1,0,0 against 0,1,0: tp 0, F1 0.
      const scores = tensor([
        [0.7, 0.5],
        [0.2, 0.4],
        [0.6, 0.1],
      ]);
      const targets = tensor([
        [1, 0],
        [1, 1],
        [0, 0],
      ]);
      close(f1(scores, targets, { average: 'micro' }), 1 / 3, 1e-15); // tp 1, fp 2, fn 2
      close(f1(scores, targets, { average: 'macro' }), 1 / 4, 1e-15);
      close(hammingLoss(scores, targets), 4 / 6, 1e-15);
      // At threshold 0.15 everything but 0.1 is predicted positive: wrong at [2,0] and [0,1].
      close(hammingLoss(scores, targets, { threshold: 0.15 }), 2 / 6, 1e-15);
    });

    it('macro f1: a class with no true and no predicted positive counts 0 (zero_division = 0)', () => {
      const scores = tensor([
        [0.9, 0.1],
        [0.2, 0.2],
      ]);
      const targets = tensor([
        [1, 0],
        [0, 0],
      ]);
      expect(f1(scores, targets, { average: 'macro' })).to.equal(0.5);
      expect(f1(scores, targets, { average: 'micro' })).to.equal(1);
      expect(f1(tensor([[0.1]]), tensor([[0]]), { average: 'micro' })).to.equal(0);
    });

    it('macro f1 leaves out a class with no observed entry; nothing observed gives NaN', () => {
      const scores = tensor([
        [0.9, 0.1],
        [0.2, 0.2],
      ]);
      const targets = tensor([
        [1, 0],
        [0, 0],
      ]);
      const mask = tensor([
        [1, 0],
        [1, 0],
      ]);
      expect(f1(scores, targets, { average: 'macro', mask })).to.equal(1);
      const none = tensor([
        [0, 0],
        [0, 0],
      ]);
      expect(f1(scores, targets, { average: 'macro', mask: none })).to.be.NaN;
      expect(hammingLoss(scores, targets, { mask: none })).to.be.NaN;
    });
  });

  describe('the mask: entries with mask 0 change nothing', () => {
    cases.forEach((c, k) => {
      it(`case ${k + 1}: changing masked scores and targets (even to NaN) leaves every metric bit-identical`, () => {
        const rng = new Random(100 + k);
        const N = c.scores.length;
        const C = c.scores[0].length;
        const mask = new Float64Array(N * C);
        for (let i = 0; i < mask.length; i++) mask[i] = rng.uniform() < 0.3 ? 0 : 1;
        const maskT = new Tensor(mask, [N, C]);
        const scores = tensor(c.scores);
        const targets = tensor(c.targets);
        const base = allMetrics(scores, targets, maskT);
        for (let trial = 0; trial < 5; trial++) {
          const s2 = scores.clone();
          const t2 = targets.clone();
          for (let i = 0; i < mask.length; i++) {
            if (mask[i] !== 0) continue;
            const u = rng.uniform();
            s2.data[i] = trial === 0 ? NaN : u < 0.5 ? rng.uniform() : u < 0.75 ? 0.5 : Infinity;
            t2.data[i] = trial === 0 ? NaN : trial === 1 ? 7 : 1 - t2.data[i];
          }
          expectBitEqual(allMetrics(s2, t2, maskT), base);
        }
      });
    });

    it('masking whole rows is the same as removing them', () => {
      const c = cases[0];
      const keep = c.scores.map((_, i) => i % 3 !== 1);
      const mask = tensor(c.scores.map((row, i) => row.map(() => (keep[i] ? 1 : 0))));
      const masked = allMetrics(tensor(c.scores), tensor(c.targets), mask);
      const removed = allMetrics(
        tensor(c.scores.filter((_, i) => keep[i])),
        tensor(c.targets.filter((_, i) => keep[i])),
      );
      masked.forEach((v, i) => close(v, removed[i], 0));
    });

    it('an all-ones mask gives the same values as no mask', () => {
      const c = cases[1];
      const ones = tensor(c.scores.map((row) => row.map(() => 1)));
      expectBitEqual(
        allMetrics(tensor(c.scores), tensor(c.targets), ones),
        allMetrics(tensor(c.scores), tensor(c.targets)),
      );
    });
  });

  describe('errors', () => {
    const s = tensor([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    const t = tensor([
      [0, 1],
      [1, 0],
    ]);

    it('shape mismatches name the function and both shapes', () => {
      const bad = tensor([[0, 1, 1]]);
      expect(() => averagePrecision(s, bad)).to.throw(
        'averagePrecision: scores [2,2] and targets [1,3] must have the same shape [N,C]',
      );
      expect(() => meanAveragePrecision(s, bad)).to.throw(
        'meanAveragePrecision: scores [2,2] and targets [1,3]',
      );
      expect(() => labelRankingAveragePrecision(s, bad)).to.throw(
        'labelRankingAveragePrecision: scores [2,2] and targets [1,3]',
      );
      expect(() => f1(s, bad, { average: 'micro' })).to.throw('f1: scores [2,2] and targets [1,3]');
      expect(() => hammingLoss(s, bad)).to.throw('hammingLoss: scores [2,2] and targets [1,3]');
      expect(() => hammingLoss(s, t, { mask: tensor([1, 1]) })).to.throw(
        'hammingLoss: mask [2] must have the shape of scores [2,2] and targets [2,2]',
      );
      expect(() => averagePrecision(tensor([0.1, 0.2]), tensor([0, 1]))).to.throw(
        'averagePrecision: scores must have shape [N,C], got [2]',
      );
    });

    it('observed targets must be 0 or 1, scores not NaN, the mask 0 or 1', () => {
      expect(() =>
        averagePrecision(
          s,
          tensor([
            [0, 2],
            [1, 0],
          ]),
        ),
      ).to.throw('averagePrecision: targets[0,1] is 2; expected 0 or 1 (mask out unknown entries)');
      expect(() =>
        hammingLoss(
          tensor([
            [0.1, NaN],
            [0.3, 0.4],
          ]),
          t,
        ),
      ).to.throw('hammingLoss: scores[0,1] is NaN; expected a number');
      expect(() =>
        f1(s, t, {
          average: 'micro',
          mask: tensor([
            [1, 0.5],
            [1, 1],
          ]),
        }),
      ).to.throw('f1: mask[0,1] is 0.5; expected 0 (ignore) or 1 (observed)');
    });

    it('f1 needs average micro or macro', () => {
      expect(() => f1(s, t, {} as never)).to.throw(
        "f1: options.average must be 'micro' or 'macro', got undefined",
      );
    });
  });
});
