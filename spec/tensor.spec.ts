import { expect } from 'chai';
import { arange, full, MaskgradError, ones, rand, randn, tensor, Tensor, zeros } from '../src';

describe('Tensor', () => {
  describe('creation', () => {
    it('takes nested arrays and infers the shape, row-major', () => {
      const t = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(t.shape).to.deep.equal([2, 3]);
      expect(t.size).to.equal(6);
      expect(t.data).to.be.instanceOf(Float64Array);
      expect(Array.from(t.data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    });

    it('takes a number as a scalar of shape []', () => {
      const t = tensor(2.5);
      expect(t.shape).to.deep.equal([]);
      expect(t.item()).to.equal(2.5);
    });

    it('takes a typed array or a flat array with a shape, and copies it', () => {
      const source = new Float32Array([1, 2, 3, 4, 5, 6]);
      const t = tensor(source, { shape: [3, 2] });
      source[0] = 100;
      expect(t.shape).to.deep.equal([3, 2]);
      expect(t.data[0]).to.equal(1);
      expect(tensor([1, 2, 3, 4], { shape: [2, 2] }).toArray()).to.deep.equal([
        [1, 2],
        [3, 4],
      ]);
    });

    it('rejects a ragged nested array, naming where', () => {
      expect(() => tensor([[1, 2], [3]])).to.throw(
        'tensor: ragged nested array: value[1] has length 1 but its siblings have length 2',
      );
      expect(() => tensor([[1, 2], 3] as any)).to.throw(
        'tensor: ragged nested array: value[1] is a number where an array was expected',
      );
    });

    it('rejects a non-number, naming where', () => {
      expect(() => tensor([1, '2', 3] as any)).to.throw(
        'tensor: value[1] is "2" (string); expected a number',
      );
      expect(() => tensor([[1, null]] as any)).to.throw(
        'tensor: value[0][1] is null (object); expected a number',
      );
    });

    it('rejects a length that does not match the shape', () => {
      expect(() => tensor(new Float64Array(5), { shape: [2, 3] })).to.throw(
        'tensor: 5 values do not fill shape [2,3] (6 values needed)',
      );
      expect(() => tensor([1, 2, 3], { shape: [2, 2] })).to.throw(
        'tensor: 3 values do not fill shape [2,2] (4 values needed)',
      );
      expect(() => tensor([1, 2], { shape: [2, -1] })).to.throw(
        /tensor: shape must be an array of non-negative integers/,
      );
    });

    it('zeros, ones, full and arange', () => {
      expect(Array.from(zeros([2, 2]).data)).to.deep.equal([0, 0, 0, 0]);
      expect(Array.from(ones([3]).data)).to.deep.equal([1, 1, 1]);
      expect(full([2], 7).toArray()).to.deep.equal([7, 7]);
      expect(Array.from(arange(4).data)).to.deep.equal([0, 1, 2, 3]);
      expect(Array.from(arange(1, 2, 0.25).data)).to.deep.equal([1, 1.25, 1.5, 1.75]);
      expect(() => arange(0, 1, 0)).to.throw(/arange: .* step non-zero/);
    });

    it('rand and randn need a seed and repeat it bit for bit', () => {
      expect(() => randn([2], {} as any)).to.throw(/randn: pass \{ seed \} or \{ rng \}/);
      const a = randn([100], { seed: 7 });
      const b = randn([100], { seed: 7 });
      const c = randn([100], { seed: 8 });
      expect(a.data.every((v, i) => Object.is(v, b.data[i]))).to.equal(true);
      expect(a.data.some((v, i) => v !== c.data[i])).to.equal(true);
      const u = rand([1000], { seed: 1, low: -2, high: 3 });
      expect(u.data.every((v) => v >= -2 && v < 3)).to.equal(true);
    });
  });

  describe('reading', () => {
    it('toArray returns nested arrays', () => {
      const t = tensor([
        [[1], [2]],
        [[3], [4]],
      ]);
      expect(t.toArray()).to.deep.equal([
        [[1], [2]],
        [[3], [4]],
      ]);
      expect(tensor(5).toArray()).to.equal(5);
    });

    it('item works on one element only, else an error naming the shape', () => {
      expect(tensor([[4]]).item()).to.equal(4);
      expect(() => tensor([1, 2]).item()).to.throw(
        'item: only a tensor with exactly one element has an item; this one has shape [2] (2 elements)',
      );
    });

    it('toString shows the shape and the values', () => {
      expect(tensor([[1, 2.5]]).toString()).to.equal('Tensor(shape=[1,2], [[1, 2.5]])');
      // Non-integers keep a decimal, to 6 significant digits; exponents stay whole.
      expect(tensor([2.000001, 1.5e-10, -2.25e-7, 123456.7, 0.1 + 0.2]).toString()).to.equal(
        'Tensor(shape=[5], [2.0, 1.5e-10, -2.25e-7, 123457.0, 0.3])',
      );
      expect(tensor([1], { requiresGrad: true }).toString()).to.equal(
        'Tensor(shape=[1], requiresGrad, [1])',
      );
      expect(
        new Tensor(
          Float64Array.from({ length: 10 }, (_, i) => i),
          [10],
        ).toString(),
      ).to.equal('Tensor(shape=[10], [0, 1, 2, ..., 7, 8, 9])');
    });
  });
});

describe('tensor() on nesting it cannot read (issue 21, class 5)', () => {
  it('a circular array is a MaskgradError naming tensor and the cycle', () => {
    const a: unknown[] = [1, 2];
    a.push(a);
    expect(() => tensor(a as never)).to.throw(
      MaskgradError,
      'tensor: value[2] contains itself (a circular array); expected nested arrays of numbers',
    );
    const b: unknown[] = [];
    b.push([b]);
    expect(() => tensor(b as never)).to.throw(MaskgradError, 'value[0][0] contains itself');
  });

  it('nesting deeper than 64 levels is a MaskgradError naming the limit, at any depth', () => {
    for (const levels of [65, 20_000, 1_000_000]) {
      let deep: unknown = [1];
      for (let i = 1; i < levels; i++) deep = [deep];
      expect(() => tensor(deep as never)).to.throw(
        MaskgradError,
        `tensor: ${('value' + '[0]'.repeat(64)).slice(0, 60)}... (197 characters) is an array nested 65 deep; expected at most 64 levels (dimensions)`,
      );
    }
    let ok: unknown = [7];
    for (let i = 1; i < 64; i++) ok = [ok];
    const t = tensor(ok as never);
    expect(t.shape).to.have.length(64);
    expect(t.item()).to.equal(7);
  });
});
