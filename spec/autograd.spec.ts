import { expect } from 'chai';
import {
  add,
  MaskgradError,
  matmul,
  MLP,
  mul,
  noGrad,
  randn,
  SGD,
  tensor,
  Tensor,
  toDot,
  zeros,
} from '../src';
import { isMaskgradError } from '../src/core/errors';

describe('autograd', () => {
  describe('backward', () => {
    it('a node used twice gets the sum of both paths: y = x*x + x at x = 3 gives dy/dx = 7', () => {
      const x = tensor(3, { requiresGrad: true });
      const y = x.mul(x).add(x);
      y.backward();
      expect(y.item()).to.equal(12);
      expect(x.grad!.item()).to.equal(7);
    });

    it('a gradient that add passes to two inputs is not summed into twice: -(2((x + x) + x)) has dy/dx = -6', () => {
      // Found by the random-graph property (spec/properties): add hands one gradient array
      // to both inputs, and a sum of gradients made for one tensor was then added to in
      // place while it was also another tensor's gradient (this gave -8).
      const x = tensor(1, { requiresGrad: true });
      const n1 = x.add(x).add(x);
      n1.add(n1).neg().backward();
      expect(x.grad!.item()).to.equal(-6);
      const w = tensor([1, 2], { requiresGrad: true });
      const h = w.add(w).add(w).reshape([2, 1]);
      h.add(h).sum().backward();
      expect(Array.from(w.grad!.data)).to.deep.equal([6, 6]);
    });

    it('two leaves that get the same gradient array keep separate .grad arrays', () => {
      // s = a + b used twice: s's summed gradient went to both a and b as one array, so a
      // second backward added into both through either (this gave 6 and 6).
      const a = tensor(1, { requiresGrad: true });
      const b = tensor(1, { requiresGrad: true });
      for (let i = 0; i < 2; i++) {
        const s = a.add(b);
        s.add(s).backward();
      }
      expect(a.grad!.data).to.not.equal(b.grad!.data);
      expect([a.grad!.item(), b.grad!.item()]).to.deep.equal([4, 4]);
    });

    it('gradients accumulate across backward calls, as in PyTorch', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const w = tensor([5, -4]);
      mul(x, w).backward(tensor([1, 1]));
      mul(x, w).backward(tensor([1, 1]));
      expect(Array.from(x.grad!.data)).to.deep.equal([10, -8]);
    });

    it('runs through a chain of 100,000 ops without overflowing the stack', () => {
      const x = tensor([2], { requiresGrad: true });
      let y: Tensor = x;
      for (let i = 0; i < 100_000; i++) y = i % 2 === 0 ? y.add(0.5) : y.mul(1);
      y.backward();
      expect(y.item()).to.equal(2 + 50_000 * 0.5);
      expect(Object.is(x.grad!.data[0], 1)).to.equal(true);
    });

    it('a scalar output needs no argument; a non-scalar one needs a gradient of its shape', () => {
      const x = tensor([[1, 2, 3]], { requiresGrad: true });
      const y = x.mul(2);
      expect(() => y.backward()).to.throw(
        /backward: the output has shape \[1,3\]; backward\(\) without an argument needs a scalar/,
      );
      expect(() => y.backward(tensor([1, 1, 1]))).to.throw(
        "backward: the gradient must be a Tensor of the output's shape [1,3], got shape [3]",
      );
      y.backward(tensor([[1, 10, 100]]));
      expect(Array.from(x.grad!.data)).to.deep.equal([2, 20, 200]);
    });

    it('backward on a tensor with no graph is an error that says why', () => {
      expect(() => tensor(1).backward()).to.throw(
        /backward: this tensor does not require a gradient/,
      );
    });

    it('a tensor that does not require grad gets no .grad', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const c = tensor([3, 4]);
      mul(x, c).backward(tensor([1, 1]));
      expect(c.grad).to.equal(null);
      expect(Array.from(x.grad!.data)).to.deep.equal([3, 4]);
    });

    it('intermediate tensors keep no .grad (only leaves do)', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const h = x.mul(2);
      h.mul(3).backward(tensor([1, 1]));
      expect(h.grad).to.equal(null);
      expect(Array.from(x.grad!.data)).to.deep.equal([6, 6]);
    });

    it('a gradient flowing through a broadcast is summed back to the input shape', () => {
      const x = tensor(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        { requiresGrad: true },
      );
      const b = tensor([10, 20, 30], { requiresGrad: true });
      add(x, b).backward(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      );
      expect(b.grad!.shape).to.deep.equal([3]);
      expect(Array.from(b.grad!.data)).to.deep.equal([5, 7, 9]);
      expect(Array.from(x.grad!.data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    });
  });

  describe('in-place changes between forward and backward (the version counter)', () => {
    it('backward refuses (ERR_STATE) when an input was marked modified after the forward pass', () => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      const y = x.mul(x).sum();
      x.data[0] = 10;
      expect(x.markModified().version).to.equal(1);
      let error: unknown;
      try {
        y.backward();
      } catch (e) {
        error = e;
      }
      expect(isMaskgradError(error, 'ERR_STATE')).to.equal(true);
      expect((error as Error).message).to.match(
        /^mul: an input was modified in place after the forward pass \(input versions 1: version 1, 2: version 1; their sum was 0 at forward, 2 now\)/,
      );
      expect(x.grad).to.equal(null);
    });

    it('a forward pass run after the change backpropagates as usual', () => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      x.mul(x).sum();
      x.data[0] = 10;
      x.markModified();
      x.mul(x).sum().backward();
      expect(Array.from(x.grad!.data)).to.deep.equal([20, 4, 6]);
    });
  });

  describe('noGrad and detach', () => {
    it('noGrad builds no graph', () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const y = noGrad(() => x.mul(3));
      expect(y.requiresGrad).to.equal(false);
      expect(y.node).to.equal(null);
      expect(Array.from(y.data)).to.deep.equal([3, 6]);
    });

    it('noGrad restores gradient recording even when its function throws', () => {
      const x = tensor([1], { requiresGrad: true });
      expect(() =>
        noGrad(() => {
          throw new Error('boom');
        }),
      ).to.throw('boom');
      expect(x.mul(2).requiresGrad).to.equal(true);
    });

    it('detach cuts the graph: no gradient flows through the detached path', () => {
      const x = tensor([2], { requiresGrad: true });
      const y = x.mul(x.detach()); // d/dx of x * c with c = x held constant is c
      y.backward();
      expect(x.grad!.item()).to.equal(2);
    });
  });

  describe('toDot', () => {
    it('lists every op with its output shape and every leaf', () => {
      const x = tensor([[1, 2]], { requiresGrad: true });
      const w = tensor([[1], [2]], { requiresGrad: true });
      const dot = toDot(matmul(x, w).add(1));
      expect(dot).to.match(/^digraph "maskgrad" \{/);
      expect(dot).to.include('label="add\\n[1,1]"');
      expect(dot).to.include('label="matmul\\n[1,1]"');
      expect(dot.match(/label="parameter\\n\[1,2\]"/g)).to.have.length(1);
      expect(dot.match(/label="constant\\n\[\]"/g)).to.have.length(1);
      expect(dot.match(/->/g)).to.have.length(4);
    });
  });
});

describe('the version counter sees optimizer steps and loaded weights', () => {
  it('backward after an optimizer step changed a weight the graph used is an ERR_STATE error', () => {
    const model = new MLP([3, 4, 2], { seed: 1 });
    const loss = model.forward(randn([5, 3], { seed: 2 })).sum();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    for (const p of model.parameters()) p.grad = zeros(p.shape);
    optimizer.step();
    expect(() => loss.backward())
      .to.throw(MaskgradError)
      .with.property('code', 'ERR_STATE');
  });

  it('backward after loadStateDict changed the weights is an ERR_STATE error', () => {
    const model = new MLP([3, 4, 2], { seed: 1 });
    const loss = model.forward(randn([5, 3], { seed: 2 })).sum();
    model.loadStateDict(new MLP([3, 4, 2], { seed: 3 }).stateDict());
    expect(() => loss.backward())
      .to.throw(MaskgradError)
      .with.property('code', 'ERR_STATE');
  });
});
