// precisionRecallCurve and confusionCounts: the curves and counts the run report draws,
// checked by hand and against averagePrecision, f1, hammingLoss and applyThresholds.
import { expect } from 'chai';
import {
  applyThresholds,
  averagePrecision,
  confusionCounts,
  f1,
  hammingLoss,
  precisionRecallCurve,
} from '../src/core/metrics';
import { Random } from '../src/core/random';
import { Tensor, tensor } from '../src/core/tensor';
import { thrown } from './support/thrown';

/** A column of scores and targets as [N, 1] tensors. */
const column = (values: number[]) => tensor(values.map((v) => [v]));

/** Seeded scores (on a coarse grid, so that some tie), 0/1 targets and a 0/1 mask, [rows, classes]. */
function randomCase(seed: number, rows: number, classes: number) {
  const rng = new Random(seed);
  const n = rows * classes;
  const s = new Float64Array(n);
  const t = new Float64Array(n);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    s[i] = rng.int(20) / 20;
    t[i] = rng.uniform() < 0.3 ? 1 : 0;
    m[i] = rng.uniform() < 0.8 ? 1 : 0;
  }
  const shape = [rows, classes];
  return {
    scores: new Tensor(s, shape),
    targets: new Tensor(t, shape),
    mask: new Tensor(m, shape),
  };
}

describe('precisionRecallCurve', () => {
  it('has one point per distinct score, tied scores together, down to the lowest positive', () => {
    const scores = column([0.9, 0.8, 0.8, 0.3, 0.1, 0.05]);
    const targets = column([1, 0, 1, 0, 1, 0]);
    const [curve] = precisionRecallCurve(scores, targets);
    expect(curve).to.deep.equal({
      thresholds: [0.9, 0.8, 0.3, 0.1],
      precision: [1 / 1, 2 / 3, 2 / 4, 3 / 5],
      recall: [1 / 3, 2 / 3, 2 / 3, 3 / 3],
    });
  });

  it('leaves out masked entries (a NaN score there too) and is null for a class with no known positive', () => {
    const scores = tensor([
      [0.9, 0.2],
      [NaN, 0.7],
      [0.4, 0.1],
    ]);
    const targets = tensor([
      [0, 1],
      [1, 0],
      [1, 0],
    ]);
    const mask = tensor([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const curves = precisionRecallCurve(scores, targets, mask);
    expect(curves[0]).to.deep.equal({
      thresholds: [0.9, 0.4],
      precision: [0, 1 / 2],
      recall: [0, 1],
    });
    expect(curves[1]).to.equal(null);
  });

  it('sums to averagePrecision: (R_k - R_{k-1}) * P_k over its points, bit for bit', () => {
    for (const seed of [1, 2, 3]) {
      const { scores, targets, mask } = randomCase(seed, 60, 5);
      const ap = averagePrecision(scores, targets, mask);
      const curves = precisionRecallCurve(scores, targets, mask);
      curves.forEach((curve, c) => {
        if (curve === null) {
          expect(ap[c]).to.be.NaN;
          return;
        }
        let sum = 0;
        let before = 0;
        curve.recall.forEach((r, k) => {
          if (r > before) sum += (r - before) * curve.precision[k];
          before = r;
        });
        expect(sum, `seed ${seed}, class ${c}`).to.equal(ap[c]);
      });
    }
  });

  it('names itself on bad input', () => {
    expect(thrown(() => precisionRecallCurve(column([0.5]), column([2]))).message).to.equal(
      'precisionRecallCurve: targets[0,0] is 2; expected 0 or 1 (mask out unknown entries)',
    );
  });
});

describe('confusionCounts', () => {
  it('counts each class at its own threshold over the known entries, score >= threshold positive', () => {
    const scores = tensor([
      [0.9, 0.2],
      [0.5, 0.7],
      [0.4, 0.3],
      [0.1, NaN],
    ]);
    const targets = tensor([
      [1, 1],
      [0, 0],
      [1, 1],
      [0, 1],
    ]);
    const mask = tensor([
      [1, 1],
      [1, 1],
      [1, 1],
      [1, 0],
    ]);
    expect(confusionCounts(scores, targets, { thresholds: [0.5, 0.3], mask })).to.deep.equal([
      { tp: 1, fp: 1, fn: 1, tn: 1 },
      { tp: 1, fp: 1, fn: 1, tn: 0 },
    ]);
    expect(confusionCounts(scores, targets, { thresholds: 0.45, mask })).to.deep.equal([
      { tp: 1, fp: 1, fn: 1, tn: 1 },
      { tp: 0, fp: 1, fn: 2, tn: 0 },
    ]);
  });

  it('gives the counts f1, hammingLoss and applyThresholds decide by', () => {
    for (const seed of [4, 5]) {
      const { scores, targets, mask } = randomCase(seed, 50, 4);
      const counts = confusionCounts(scores, targets, { mask });
      const total = (key: 'tp' | 'fp' | 'fn' | 'tn') => counts.reduce((a, k) => a + k[key], 0);
      const [TP, FP, FN, TN] = [total('tp'), total('fp'), total('fn'), total('tn')];
      expect(TP + FP + FN + TN).to.equal(mask.data.reduce((a, b) => a + b, 0));
      const precision = TP / (TP + FP);
      const recall = TP / (TP + FN);
      expect(f1(scores, targets, { average: 'micro', mask })).to.equal(
        (2 * precision * recall) / (precision + recall),
      );
      expect(hammingLoss(scores, targets, { mask })).to.equal((FP + FN) / (TP + FP + FN + TN));

      const thresholds = [0.2, 0.5, 0.65, 0.9];
      const decided = applyThresholds(scores, thresholds).data;
      const perClass = confusionCounts(scores, targets, { thresholds, mask });
      perClass.forEach((k, c) => {
        let tp = 0;
        let fp = 0;
        for (let i = c; i < decided.length; i += 4) {
          if (mask.data[i] === 0 || decided[i] === 0) continue;
          if (targets.data[i] === 1) tp++;
          else fp++;
        }
        expect([k.tp, k.fp], `seed ${seed}, class ${c}`).to.deep.equal([tp, fp]);
      });
    }
  });

  it('refuses thresholds that are not one number per class', () => {
    const scores = tensor([[0.5, 0.5]]);
    const targets = tensor([[1, 0]]);
    expect(thrown(() => confusionCounts(scores, targets, { thresholds: [0.5] })).message).to.equal(
      'confusionCounts: thresholds must be a number or an array of 2 numbers (one per class), got [0.5]',
    );
    expect(
      thrown(() => confusionCounts(scores, targets, { thresholds: [0.5, NaN] })).message,
    ).to.equal('confusionCounts: thresholds[1] must be a number, got NaN');
    expect(thrown(() => confusionCounts(scores, targets, { thresholds: NaN })).message).to.equal(
      'confusionCounts: threshold must be a number, got NaN',
    );
  });
});
