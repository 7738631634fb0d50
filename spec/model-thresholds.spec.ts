import { expect } from 'chai';
import { applyThresholds, f1, Tensor, tuneThresholds } from '../src';

const T = (values: number[], shape: number[]) => new Tensor(Float64Array.from(values), shape);

/** One class: scores and targets as [N, 1] tensors (and a mask). */
function column(scores: number[], targets: number[], mask?: number[]) {
  const n = scores.length;
  return [T(scores, [n, 1]), T(targets, [n, 1]), mask ? T(mask, [n, 1]) : undefined] as const;
}

function f1At(scores: number[], targets: number[], t: number): number {
  const [s, y] = column(scores, targets);
  return f1(s, y, { average: 'macro', threshold: t });
}

describe('tuneThresholds', () => {
  it('separable scores: the middle of the gap between the classes', () => {
    const [s, y] = column([0.9, 0.8, 0.3, 0.1], [1, 1, 0, 0]);
    expect(Array.from(tuneThresholds(s, y))).to.deep.equal([(0.8 + 0.3) / 2]);
  });

  it('a tie in scores: both entries are on the same side, the middle below them', () => {
    // cut at 0.6 (both 0.6 rows positive): F1 2/3; at 0.2: 1/2
    const [s, y] = column([0.6, 0.6, 0.2], [1, 0, 0]);
    expect(Array.from(tuneThresholds(s, y))).to.deep.equal([(0.6 + 0.2) / 2]);
  });

  it('adjacent cuts with the same F1 form one interval, and its middle is taken', () => {
    // positives 3: cut after 0.9 -> F1 2*1/(3+1) = 0.5; after 0.6 -> 2*2/(3+5) = 0.5; all -> 6/19
    const scores = [0.9, 0.6, 0.6, 0.6, 0.6, ...new Array(10).fill(0.2), 0.2];
    const targets = [1, 1, 0, 0, 0, ...new Array(10).fill(0), 1];
    const [s, y] = column(scores, targets);
    const [t] = tuneThresholds(s, y);
    expect(t).to.equal((0.9 + 0.2) / 2);
    expect(f1At(scores, targets, t)).to.equal(0.5);
  });

  it('separate best intervals: the middle one (the lower of two)', () => {
    // cut after 0.9: F1 2/3; after 0.8: 1/2; after 0.7: 2/5; all four: 2/3
    const scores = [0.9, 0.8, 0.7, 0.6];
    const targets = [1, 0, 0, 1];
    const [s, y] = column(scores, targets);
    const [t] = tuneThresholds(s, y);
    expect(t).to.equal(0.6 / 2);
    expect(f1At(scores, targets, t)).to.be.closeTo(2 / 3, 1e-15);
    // three separate best intervals: the middle one
    const three = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];
    const y3 = [1, 1, 0, 0, 1, 0, 0, 1];
    for (const t of [0.75, 0.45, 0.1]) expect(f1At(three, y3, t)).to.be.closeTo(2 / 3, 1e-15);
    const [t3] = tuneThresholds(...column(three, y3));
    expect(t3).to.equal((0.5 + 0.4) / 2);
  });

  it('ignores masked entries, whatever they hold', () => {
    const [s, y, m] = column([0.9, 0.7, 0.8, 0.3, NaN], [1, 0, 1, 0, 1], [1, 0, 1, 1, 0]);
    expect(Array.from(tuneThresholds(s, y, m))).to.deep.equal([(0.8 + 0.3) / 2]);
  });

  it('keeps 0.5 for a class with no known positive, and tunes each class on its own', () => {
    const s = T([0.9, 0.2, 0.4, 0.1, 0.8, 0.3], [3, 2]);
    const y = T([0, 1, 0, 0, 0, 1], [3, 2]);
    expect(Array.from(tuneThresholds(s, y))).to.deep.equal([0.5, (0.2 + 0.1) / 2]);
  });

  it('all scores positive-worthy: the interval reaches down to 0', () => {
    const [s, y] = column([0.4, 0.2], [1, 1]);
    expect(Array.from(tuneThresholds(s, y))).to.deep.equal([0.1]);
  });

  it('the tuned threshold reaches the best F1 of any threshold on random data', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const scores = Array.from({ length: 200 }, () => Math.round(next() * 50) / 50);
    const targets = scores.map((v) => (next() < v ? 1 : 0));
    const [t] = tuneThresholds(...column(scores, targets));
    let best = 0;
    for (const c of [...new Set(scores), 0, 1]) best = Math.max(best, f1At(scores, targets, c));
    expect(f1At(scores, targets, t)).to.equal(best);
  });

  it('applyThresholds decides per class with >=', () => {
    const p = T([0.5, 0.3, 0.49, 0.31], [2, 2]);
    expect(Array.from(applyThresholds(p, [0.5, 0.31]).data)).to.deep.equal([1, 0, 0, 1]);
  });
});
