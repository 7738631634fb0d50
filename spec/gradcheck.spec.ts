import { expect } from 'chai';
import { gradcheck, matmul, tensor, Tensor } from '../src';

/** y = x^3 elementwise, with a backward that the test chooses (right or deliberately wrong). */
function cube(x: Tensor, derivative: (v: number) => number): Tensor {
  const out = new Tensor(
    x.data.map((v) => v * v * v),
    x.shape,
    x.requiresGrad,
  );
  if (x.requiresGrad) {
    out.node = {
      op: 'cube',
      inputs: [x],
      backward: (g) => [g.map((gi, i) => gi * derivative(x.data[i]))],
    };
  }
  return out;
}

describe('gradcheck', () => {
  it('passes a correct derivative', () => {
    const x = tensor([0.5, -1.5, 2], { requiresGrad: true });
    expect(gradcheck((t) => cube(t, (v) => 3 * v * v), [x])).to.equal(true);
  });

  it('catches a wrong derivative and prints both Jacobians', () => {
    const x = tensor([0.5, -1.5, 2], { requiresGrad: true });
    let message = '';
    try {
      gradcheck((t) => cube(t, (v) => 2 * v * v), [x]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/^gradcheck: the gradient of input 0 \(shape \[3\]\) does not match/);
    expect(message).to.include('at input element 0, output element 0, backward gives 0.5');
    expect(message).to.include('analytical Jacobian');
    expect(message).to.include('numerical Jacobian');
    // The numerical diagonal entry 3 * 0.5^2 = 0.75 is printed.
    expect(message).to.include('7.5000e-1');
  });

  it('catches a gradient that is off by less than 1% when it exceeds the tolerance', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => gradcheck((t) => cube(t, (v) => 3 * v * v * 1.005), [x])).to.throw(
      /does not match/,
    );
  });

  it('names the input that is wrong when there are several', () => {
    const a = tensor([[1, 2]], { requiresGrad: true });
    const b = tensor([[3], [4]], { requiresGrad: true });
    expect(gradcheck((x, y) => matmul(x, y), [a, b])).to.equal(true);
    expect(() =>
      gradcheck(
        (x, y) =>
          matmul(
            x,
            cube(y, () => 0),
          ),
        [a, b],
      ),
    ).to.throw(/gradient of input 1 \(shape \[2,1\]\)/);
  });

  it('truncates the printed Jacobians of large inputs', () => {
    const x = tensor(new Float64Array(20).fill(1), { requiresGrad: true });
    try {
      gradcheck((t) => cube(t, () => 0), [x]);
      expect.fail('gradcheck should have thrown');
    } catch (e) {
      expect((e as Error).message).to.include('... (12 more rows)');
    }
  });

  it('refuses inputs that do not require a gradient or are not leaves', () => {
    expect(() => gradcheck((t) => t.mul(2), [tensor([1])])).to.throw(
      /no input requires a gradient/,
    );
    const x = tensor([1], { requiresGrad: true });
    expect(() => gradcheck((t) => t.mul(2), [x.mul(1)])).to.throw(
      /input 0 is not a leaf \(it was computed by 'mul'\)/,
    );
  });

  it("leaves its inputs as it found them: values restored and the caller's .grad kept, even when fn throws", () => {
    const x = tensor([0.5, -1, 2], { requiresGrad: true });
    x.mul(3).sum().backward();
    const callerGrad = x.grad;
    let calls = 0;
    // Throws on its fourth call: inside the finite differences, with x[0] perturbed.
    const fn = (t: Tensor) => {
      if (++calls === 4) throw new Error('fn failed');
      return t.mul(t);
    };
    expect(() => gradcheck(fn, [x])).to.throw('fn failed');
    expect(Array.from(x.data)).to.deep.equal([0.5, -1, 2]);
    expect(x.grad).to.equal(callerGrad);
    expect(Array.from(x.grad!.data)).to.deep.equal([3, 3, 3]);
    expect(gradcheck((t) => t.mul(t), [x])).to.equal(true);
    expect(x.grad).to.equal(callerGrad);
  });
});
