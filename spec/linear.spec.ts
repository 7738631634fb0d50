import { expect } from 'chai';
import { linear, matmul } from '../src/core/ops';
import { Random } from '../src/core/random';
import { Tensor } from '../src/core/tensor';

function randomTensor(rng: Random, shape: number[], requiresGrad = true): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.normal();
  return new Tensor(data, shape, requiresGrad);
}

describe('linear (fused x W^T + b)', () => {
  for (const [n, inF, outF] of [
    [3, 4, 2],
    [64, 103, 256],
    [7, 300, 14],
  ]) {
    it(`gives bit for bit the output and gradients of matmul + add ([${n},${inF}] -> [${n},${outF}])`, () => {
      const rng = new Random(`linear ${n} ${inF} ${outF}`);
      const x = randomTensor(rng, [n, inF]);
      const w = randomTensor(rng, [outF, inF]);
      const b = randomTensor(rng, [outF]);
      const g = randomTensor(rng, [n, outF], false);
      const fused = linear(x, w, b);
      fused.backward(g);
      const fusedGrads = [x, w, b].map((t) => t.grad!.data.slice());
      for (const t of [x, w, b]) t.grad = null;
      const composite = matmul(x, w, { transposeB: true }).add(b);
      composite.backward(g);
      expect(fused.shape).to.deep.equal([n, outF]);
      expect(fused.data).to.deep.equal(composite.data);
      [x, w, b].forEach((t, i) => expect(fusedGrads[i]).to.deep.equal(t.grad!.data));
    });
  }

  it('computes no input gradient when the input does not require one', () => {
    const rng = new Random('linear no input grad');
    const x = randomTensor(rng, [4, 3], false);
    const w = randomTensor(rng, [2, 3]);
    const b = randomTensor(rng, [2]);
    linear(x, w, b).sum().backward();
    expect(x.grad).to.equal(null);
    expect(w.grad!.shape).to.deep.equal([2, 3]);
    expect(b.grad!.data).to.deep.equal(new Float64Array([4, 4]));
  });

  it('rejects mismatched shapes, naming all three', () => {
    const rng = new Random('linear shapes');
    const x = randomTensor(rng, [4, 3]);
    expect(() => linear(x, randomTensor(rng, [2, 5]), randomTensor(rng, [2]))).to.throw(
      'linear: expects an input [N,in], a weight [out,in] and a bias [out], got [4,3], [2,5] and [2]',
    );
    expect(() => linear(x, randomTensor(rng, [2, 3]), randomTensor(rng, [3]))).to.throw(
      'linear: expects an input [N,in], a weight [out,in] and a bias [out], got [4,3], [2,3] and [3]',
    );
  });
});
