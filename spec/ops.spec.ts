import { expect } from 'chai';
import {
  abs,
  arange,
  broadcastTo,
  clamp,
  concat,
  exp,
  log,
  log1p,
  logSumExp,
  max,
  maximum,
  mean,
  minimum,
  neg,
  permute,
  pow,
  relu,
  reshape,
  sigmoid,
  softplus,
  sqrt,
  sum,
  take,
  tanh,
  tensor,
  Tensor,
  transpose,
  where,
} from '../src';

const values = (t: Tensor | null): number[] => {
  if (t === null) throw new Error('expected a tensor, got null');
  return Array.from(t.data);
};

/** x[i,j,k] = 12i + 4j + k, shape [2,3,4]. */
const cube = (requiresGrad = false) => {
  const x = arange(24).reshape([2, 3, 4]);
  x.requiresGrad = requiresGrad;
  return x;
};

describe('ops', () => {
  describe('pow', () => {
    it('computes x^p and p x^(p-1)', () => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      const y = pow(x, 2);
      expect(values(y)).to.deep.equal([1, 4, 9]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([2, 4, 6]);
    });

    it('has gradient exactly 0 for exponent 0, even at x = 0', () => {
      const x = tensor([0, 2], { requiresGrad: true });
      x.pow(0).sum().backward();
      expect(values(x.grad)).to.deep.equal([0, 0]);
    });
  });

  describe('elementwise math', () => {
    it('neg, exp, log, log1p, sqrt give exact values where the math is exact', () => {
      expect(values(neg(tensor([1, -2, 0.5])))).to.deep.equal([-1, 2, -0.5]);
      expect(values(exp(tensor([0])))).to.deep.equal([1]);
      expect(values(log(tensor([1, Math.E])))).to.deep.equal([0, 1]);
      expect(values(log1p(tensor([0, 1e-20])))).to.deep.equal([0, 1e-20]);
      expect(values(sqrt(tensor([4, 9, 0])))).to.deep.equal([2, 3, 0]);
    });

    it('their gradients are -1, e^x, 1/x, 1/(1+x) and 1/(2 sqrt x)', () => {
      const x = tensor([4, 0.5], { requiresGrad: true });
      x.neg().sum().backward();
      expect(values(x.grad)).to.deep.equal([-1, -1]);
      x.grad = null;
      x.log().sum().backward();
      expect(values(x.grad)).to.deep.equal([0.25, 2]);
      x.grad = null;
      x.log1p().sum().backward();
      expect(values(x.grad)).to.deep.equal([1 / 5, 1 / 1.5]);
      x.grad = null;
      x.sqrt().sum().backward();
      expect(values(x.grad)).to.deep.equal([0.25, 1 / (2 * Math.sqrt(0.5))]);
      const z = tensor([0, 1], { requiresGrad: true });
      z.exp().sum().backward();
      expect(values(z.grad)).to.deep.equal([1, Math.E]);
    });

    it('abs has gradient sign(x), and 0 at x = 0 like PyTorch', () => {
      const x = tensor([-2, 0, 3], { requiresGrad: true });
      const y = abs(x);
      expect(values(y)).to.deep.equal([2, 0, 3]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([-1, 0, 1]);
    });

    it('clamp limits to [min, max] and passes the gradient on the closed interval', () => {
      const x = tensor([-2, -1, 0, 1, 2], { requiresGrad: true });
      const y = clamp(x, -1, 1);
      expect(values(y)).to.deep.equal([-1, -1, 0, 1, 1]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([0, 1, 1, 1, 0]);
    });

    it('clamp takes one bound alone', () => {
      const x = tensor([-2, 0, 2], { requiresGrad: true });
      expect(values(x.clamp(undefined, 0))).to.deep.equal([-2, 0, 0]);
      const y = x.clamp(0);
      expect(values(y)).to.deep.equal([0, 0, 2]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([0, 1, 1]);
    });

    it('clamp without any bound is an error', () => {
      expect(() => clamp(tensor([1]))).to.throw(
        'clamp: expected at least one of min and max, got neither',
      );
    });
  });

  describe('activations', () => {
    it('relu has gradient 0 at 0 like PyTorch', () => {
      const x = tensor([-1, 0, 2], { requiresGrad: true });
      const y = relu(x);
      expect(values(y)).to.deep.equal([0, 0, 2]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([0, 0, 1]);
    });

    it('sigmoid is 0.5 at 0 with slope 0.25', () => {
      const x = tensor([0], { requiresGrad: true });
      const y = sigmoid(x);
      expect(values(y)).to.deep.equal([0.5]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([0.25]);
    });

    it('sigmoid is finite and exact at +-1e4, with gradient 0', () => {
      const x = tensor([-1e4, 1e4], { requiresGrad: true });
      const y = sigmoid(x);
      expect(values(y)).to.deep.equal([0, 1]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([0, 0]);
    });

    it('tanh has gradient 1 - tanh^2', () => {
      const x = tensor([0, 0.5], { requiresGrad: true });
      const y = tanh(x);
      expect(values(y)).to.deep.equal([0, Math.tanh(0.5)]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([1, 1 - Math.tanh(0.5) ** 2]);
    });

    it('softplus is log 2 at 0, with gradient sigmoid(x)', () => {
      const x = tensor([0], { requiresGrad: true });
      const y = softplus(x);
      expect(values(y)).to.deep.equal([Math.LN2]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([0.5]);
    });

    it('softplus is finite and exact at +-1e4: x and 0, with gradients 1 and 0', () => {
      const x = tensor([-1e4, 1e4], { requiresGrad: true });
      const y = softplus(x);
      expect(values(y)).to.deep.equal([0, 1e4]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([0, 1]);
    });
  });

  describe('maximum, minimum, where', () => {
    it('maximum picks the larger; a tie splits the gradient evenly', () => {
      const a = tensor([1, 2, 3], { requiresGrad: true });
      const b = tensor([3, 2, 1], { requiresGrad: true });
      const y = maximum(a, b);
      expect(values(y)).to.deep.equal([3, 2, 3]);
      y.sum().backward();
      expect(values(a.grad)).to.deep.equal([0, 0.5, 1]);
      expect(values(b.grad)).to.deep.equal([1, 0.5, 0]);
    });

    it('minimum picks the smaller; a tie splits the gradient evenly', () => {
      const a = tensor([1, 2, 3], { requiresGrad: true });
      const b = tensor([3, 2, 1], { requiresGrad: true });
      const y = a.minimum(b);
      expect(values(y)).to.deep.equal([1, 2, 1]);
      y.sum().backward();
      expect(values(a.grad)).to.deep.equal([1, 0.5, 0]);
      expect(values(b.grad)).to.deep.equal([0, 0.5, 1]);
    });

    it('maximum broadcasts, and sums the gradient back to the smaller input', () => {
      const a = tensor(
        [
          [1, 5],
          [4, 0],
        ],
        { requiresGrad: true },
      );
      const b = tensor(3, { requiresGrad: true });
      const y = maximum(a, b);
      expect(y.toArray()).to.deep.equal([
        [3, 5],
        [4, 3],
      ]);
      y.sum().backward();
      expect(values(a.grad)).to.deep.equal([0, 1, 1, 0]);
      expect(values(b.grad)).to.deep.equal([2]);
    });

    it('where selects a where cond is nonzero, broadcasting all three', () => {
      const cond = tensor([1, 0, 2]);
      const a = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const y = where(cond, a, -1);
      expect(y.toArray()).to.deep.equal([
        [1, -1, 3],
        [4, -1, 6],
      ]);
    });

    it('where routes the gradient by selection: exactly 0 to the other branch, even under Infinity', () => {
      const cond = tensor([1, 0], { requiresGrad: true });
      const a = tensor([1, 2], { requiresGrad: true });
      const b = tensor([3, 4], { requiresGrad: true });
      const y = a.where(cond, b);
      expect(values(y)).to.deep.equal([1, 4]);
      y.backward(tensor([Infinity, 1]));
      expect(values(a.grad)).to.deep.equal([Infinity, 0]);
      expect(values(b.grad)).to.deep.equal([0, 1]);
      expect(cond.grad).to.equal(null);
    });
  });

  describe('reductions', () => {
    it('sum over everything, one axis, a negative axis and non-contiguous axes', () => {
      expect(values(sum(cube()))).to.deep.equal([276]);
      expect(sum(cube()).shape).to.deep.equal([]);
      const last = cube().sum({ axis: -1 });
      expect(last.shape).to.deep.equal([2, 3]);
      expect(values(last)).to.deep.equal([6, 22, 38, 54, 70, 86]);
      const outer = sum(cube(), { axis: [0, 2] });
      expect(outer.shape).to.deep.equal([3]);
      expect(values(outer)).to.deep.equal([60, 92, 124]);
    });

    it('keepDims keeps each reduced axis as size 1', () => {
      const y = sum(cube(), { axis: [0, 2], keepDims: true });
      expect(y.shape).to.deep.equal([1, 3, 1]);
      expect(values(y)).to.deep.equal([60, 92, 124]);
      expect(sum(cube(), { keepDims: true }).shape).to.deep.equal([1, 1, 1]);
    });

    it('the gradient of sum is 1 everywhere; of mean, 1/count', () => {
      const x = cube(true);
      sum(x, { axis: [0, 2] }).backward(tensor([1, 2, 3]));
      const expected: number[] = [];
      for (let i = 0; i < 24; i++) expected.push((Math.floor(i / 4) % 3) + 1);
      expect(values(x.grad)).to.deep.equal(expected);
      x.grad = null;
      mean(x, { axis: -1 }).sum().backward();
      expect(values(x.grad)).to.deep.equal(new Array(24).fill(0.25));
    });

    it('mean divides by the number of reduced elements', () => {
      expect(values(mean(cube()))).to.deep.equal([11.5]);
      const y = cube().mean({ axis: 1 });
      expect(y.shape).to.deep.equal([2, 4]);
      expect(values(y)).to.deep.equal([4, 5, 6, 7, 16, 17, 18, 19]);
    });

    it('max takes the maximum along axes', () => {
      const x = tensor([
        [1, 5, 2],
        [7, 0, 7],
      ]);
      expect(values(max(x))).to.deep.equal([7]);
      expect(values(max(x, { axis: 1 }))).to.deep.equal([5, 7]);
      const y = x.max({ axis: 0, keepDims: true });
      expect(y.shape).to.deep.equal([1, 3]);
      expect(values(y)).to.deep.equal([7, 5, 7]);
    });

    it('max splits the gradient evenly among tied maxima, like torch.amax', () => {
      const x = tensor(
        [
          [1, 5, 2],
          [7, 0, 7],
        ],
        { requiresGrad: true },
      );
      max(x, { axis: 1 }).sum().backward();
      expect(values(x.grad)).to.deep.equal([0, 1, 0, 0.5, 0, 0.5]);
      const z = tensor([1, 3, 3, 2], { requiresGrad: true });
      z.max().backward();
      expect(values(z.grad)).to.deep.equal([0, 0.5, 0.5, 0]);
    });

    it('logSumExp of [1000, 1000] is 1000 + log 2, with gradient [0.5, 0.5]', () => {
      const x = tensor([1000, 1000], { requiresGrad: true });
      const y = logSumExp(x);
      expect(values(y)).to.deep.equal([1000 + Math.LN2]);
      y.backward();
      expect(values(x.grad)).to.deep.equal([0.5, 0.5]);
    });

    it('logSumExp is finite at +-1e4 and along an axis', () => {
      const x = tensor([
        [1e4, 0],
        [-1e4, -1e4],
      ]);
      const y = x.logSumExp({ axis: 1 });
      expect(values(y)).to.deep.equal([1e4, -1e4 + Math.LN2]);
      const k = logSumExp(x, { axis: -1, keepDims: true });
      expect(k.shape).to.deep.equal([2, 1]);
      expect(values(k)).to.deep.equal(values(y));
    });

    it('logSumExp of a row of -Infinity is -Infinity, not NaN', () => {
      const y = logSumExp(tensor([-Infinity, -Infinity]));
      expect(values(y)).to.deep.equal([-Infinity]);
    });

    it('a bad axis is an error naming the op and the valid range', () => {
      const x = tensor([
        [1, 2],
        [3, 4],
      ]);
      expect(() => sum(x, { axis: 2 })).to.throw(
        'sum: axis 2 is out of range for a tensor with 2 dimensions (expected an integer in [-2, 1])',
      );
      expect(() => x.mean({ axis: -3 })).to.throw(/^mean: axis -3 is out of range/);
      expect(() => x.max({ axis: [0, 0] })).to.throw('max: axis 0 is repeated in [0,0]');
    });

    it('max over an empty axis is an error', () => {
      expect(() => max(tensor([]))).to.throw(/^max: cannot take the maximum over an empty axis/);
    });
  });

  describe('shape ops', () => {
    it('reshape keeps row-major order and infers one -1', () => {
      const x = arange(6);
      const y = reshape(x, [2, -1]);
      expect(y.shape).to.deep.equal([2, 3]);
      expect(y.toArray()).to.deep.equal([
        [0, 1, 2],
        [3, 4, 5],
      ]);
      expect(x.reshape([3, 1, 2]).shape).to.deep.equal([3, 1, 2]);
      expect(tensor(5).reshape([1, 1]).shape).to.deep.equal([1, 1]);
    });

    it('reshape passes the gradient back in the input shape', () => {
      const x = tensor(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        { requiresGrad: true },
      );
      x.reshape([3, 2]).backward(tensor([10, 20, 30, 40, 50, 60], { shape: [3, 2] }));
      expect(x.grad!.shape).to.deep.equal([2, 3]);
      expect(values(x.grad)).to.deep.equal([10, 20, 30, 40, 50, 60]);
    });

    it('reshape to a wrong size is an error naming both shapes and sizes', () => {
      const x = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      expect(() => reshape(x, [4, 2])).to.throw(
        'reshape: cannot reshape [2,3] (6 elements) into [4,2] (8 elements)',
      );
      expect(() => reshape(x, [4, -1])).to.throw(
        /^reshape: cannot reshape \[2,3\] \(6 elements\) into \[4,-1\]/,
      );
      expect(() => reshape(x, [-1, -1])).to.throw(/only one axis may be -1/);
    });

    it('permute reorders axes and its gradient permutes back', () => {
      const x = cube(true);
      const y = permute(x, [2, 0, 1]);
      expect(y.shape).to.deep.equal([4, 2, 3]);
      // y[k, i, j] = x[i, j, k] = 12i + 4j + k
      expect(values(y).slice(0, 7)).to.deep.equal([0, 4, 8, 12, 16, 20, 1]);
      y.backward(arange(24).reshape([4, 2, 3]));
      // x.grad[i, j, k] = seed[k, i, j] = 6k + 3i + j
      expect(values(x.grad).slice(0, 5)).to.deep.equal([0, 6, 12, 18, 1]);
      expect(x.permute([-1, 0, 1]).shape).to.deep.equal([4, 2, 3]);
    });

    it('permute rejects axes that are not a permutation', () => {
      const x = tensor([
        [1, 2],
        [3, 4],
      ]);
      expect(() => permute(x, [0, 0])).to.throw(
        'permute: axes [0,0] are not a permutation of 0..1',
      );
      expect(() => permute(x, [0, 2])).to.throw(
        'permute: axes [0,2] are not a permutation of 0..1',
      );
      expect(() => permute(x, [0])).to.throw(
        'permute: axes [0] have 1 entries but the tensor of shape [2,2] has 2 dimensions',
      );
    });

    it('transpose swaps the two axes of a matrix, and only of a matrix', () => {
      const x = tensor(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        { requiresGrad: true },
      );
      const y = transpose(x);
      expect(y.toArray()).to.deep.equal([
        [1, 4],
        [2, 5],
        [3, 6],
      ]);
      y.backward(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }));
      expect(values(x.grad)).to.deep.equal([1, 3, 5, 2, 4, 6]);
      expect(() => cube().transpose()).to.throw(
        'transpose: expected a 2-D tensor, got shape [2,3,4] (3 dimensions)',
      );
    });

    it('broadcastTo repeats values and sums the gradient back', () => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      const y = broadcastTo(x, [2, 3]);
      expect(y.toArray()).to.deep.equal([
        [1, 2, 3],
        [1, 2, 3],
      ]);
      y.backward(tensor([1, 2, 3, 4, 5, 6], { shape: [2, 3] }));
      expect(values(x.grad)).to.deep.equal([5, 7, 9]);
      const c = tensor([[1], [2]], { requiresGrad: true });
      c.broadcastTo([3, 2, 2]).sum().backward();
      expect(values(c.grad)).to.deep.equal([6, 6]);
    });

    it('broadcastTo an incompatible shape is an error naming both shapes', () => {
      expect(() => broadcastTo(tensor([1, 2]), [2, 3])).to.throw(
        'broadcastTo: cannot broadcast shape [2] to [2,3] (axis -1: size 2 must equal 3 or be 1)',
      );
      expect(() => broadcastTo(tensor([[1, 2]]), [2])).to.throw(
        /^broadcastTo: cannot broadcast shape \[1,2\] to \[2\]/,
      );
    });
  });

  describe('take', () => {
    const table = () =>
      tensor(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        { requiresGrad: true },
      );

    it('gathers rows, and repeated indices accumulate their gradients', () => {
      const x = table();
      const y = take(x, [0, 2, 0]);
      expect(y.toArray()).to.deep.equal([
        [1, 2],
        [5, 6],
        [1, 2],
      ]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([2, 2, 0, 0, 1, 1]);
    });

    it('gathers along another axis, with an Int32Array or a Tensor of indices', () => {
      const x = table();
      const y = x.take(Int32Array.from([1, 1, 0]), 1);
      expect(y.toArray()).to.deep.equal([
        [2, 2, 1],
        [4, 4, 3],
        [6, 6, 5],
      ]);
      y.sum().backward();
      expect(values(x.grad)).to.deep.equal([1, 2, 1, 2, 1, 2]);
      const z = take(
        arange(5),
        tensor([
          [4, 0],
          [1, 1],
        ]),
      );
      expect(z.shape).to.deep.equal([2, 2]);
      expect(values(z)).to.deep.equal([4, 0, 1, 1]);
    });

    it('an index out of range is an error naming the index and the size', () => {
      expect(() => take(table(), [0, 3])).to.throw(
        /^take: index 3 \(position 1\) is out of range for axis 0 of size 3/,
      );
      expect(() => take(table(), [-1])).to.throw(/^take: index -1 .* of size 3/);
      expect(() => take(table(), [0.5])).to.throw(/^take: index 0.5 /);
      expect(() => take(table(), [0], 2)).to.throw(/^take: axis 2 is out of range/);
    });
  });

  describe('concat', () => {
    it('joins three tensors along an axis and hands each its slice of the gradient', () => {
      const a = tensor([[1], [2]], { requiresGrad: true });
      const b = tensor(
        [
          [3, 4],
          [5, 6],
        ],
        { requiresGrad: true },
      );
      const c = tensor([[7], [8]], { requiresGrad: true });
      const y = concat([a, b, c], 1);
      expect(y.toArray()).to.deep.equal([
        [1, 3, 4, 7],
        [2, 5, 6, 8],
      ]);
      y.backward(tensor([1, 2, 3, 4, 5, 6, 7, 8], { shape: [2, 4] }));
      expect(values(a.grad)).to.deep.equal([1, 5]);
      expect(values(b.grad)).to.deep.equal([2, 3, 6, 7]);
      expect(values(c.grad)).to.deep.equal([4, 8]);
    });

    it('joins along axis 0 by default, and as a method', () => {
      const y = tensor([[1, 2]]).concat(tensor([[3, 4]]));
      expect(y.toArray()).to.deep.equal([
        [1, 2],
        [3, 4],
      ]);
      expect(concat([tensor([1]), tensor([2, 3])], -1).toArray()).to.deep.equal([1, 2, 3]);
    });

    it('shapes that differ off the axis are an error naming the shapes', () => {
      expect(() => concat([tensor([[1, 2]]), tensor([[1, 2, 3]])])).to.throw(
        /^concat: cannot concatenate shapes \[1,2\], \[1,3\] along axis 0/,
      );
      expect(() => concat([])).to.throw('concat: expected at least one tensor, got none');
    });
  });
});
