import { expect } from 'chai';
import { join } from 'path';
import { keepOnePositive, tensor, type MultiLabelDataset } from '../src';
import { loadDataset } from '../src/node';

const DATA = join(__dirname, '..', 'examples', 'data');

function small(): MultiLabelDataset {
  return {
    x: tensor([[0], [1], [2], [3]]),
    y: tensor([
      [1, 0, 1],
      [0, 0, 0],
      [1, 1, 0],
      [0, 1, 0],
    ]),
    mask: tensor([
      [1, 1, 1],
      [1, 1, 1],
      [0, 1, 1],
      [1, 1, 1],
    ]),
    featureNames: ['f'],
    labelNames: ['a', 'b', 'c'],
  };
}

describe('keepOnePositive (the single-positive label regime)', () => {
  it('keeps exactly one observed positive per row that has one, and nothing else', () => {
    const kept = keepOnePositive(small(), { seed: 1 });
    const y = kept.y.toArray() as number[][];
    const m = kept.mask.toArray() as number[][];
    expect(m[1]).to.deep.equal([0, 0, 0]); // no positive: keeps nothing
    expect(m[2]).to.deep.equal([0, 1, 0]); // label a is unknown in the input: only b is a known positive
    expect(m[3]).to.deep.equal([0, 1, 0]);
    expect([m[0][0] + m[0][2], m[0][1]]).to.deep.equal([1, 0]);
    for (let r = 0; r < 4; r++) expect(y[r]).to.deep.equal(m[r]); // every kept label is a positive
  });

  it('on yeast: one positive per row, always a true positive, the same for the same seed', () => {
    const yeast = loadDataset(join(DATA, 'yeast-train.arff'), { labels: 14 });
    const a = keepOnePositive(yeast, { seed: 'sp' });
    const b = keepOnePositive(yeast, { seed: 'sp' });
    const c = keepOnePositive(yeast, { seed: 'other' });
    expect(Buffer.from(a.mask.data.buffer).equals(Buffer.from(b.mask.data.buffer))).to.equal(true);
    expect(Buffer.from(a.mask.data.buffer).equals(Buffer.from(c.mask.data.buffer))).to.equal(false);
    const [N, C] = yeast.y.shape;
    for (let r = 0; r < N; r++) {
      let kept = 0;
      let positives = 0;
      for (let k = r * C; k < (r + 1) * C; k++) {
        positives += yeast.y.data[k];
        kept += a.mask.data[k];
        if (a.mask.data[k] === 1) expect(yeast.y.data[k]).to.equal(1);
      }
      expect(kept).to.equal(positives > 0 ? 1 : 0);
    }
  });

  it('needs { seed } or { rng }', () => {
    expect(() => keepOnePositive(small(), undefined as never)).to.throw(
      'keepOnePositive: pass { seed } or { rng }',
    );
  });
});
