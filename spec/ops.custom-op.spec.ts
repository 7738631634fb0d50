import { expect } from 'chai';
import { defineOp, isMaskgradError, registeredOps, tensor, type OpMethod } from '../src';
import { Tensor } from '../src/core/tensor';
import { KIND_CHECKS, gradcheckSample, opsOfKind } from './properties/op-kinds';

// An op defined from outside src/, in one defineOp call: softsign(x) = x / (1 + |x|).
// Defined when this file loads, so the gradient-check spec and the property suites, which
// read the registry, pick it up like any built-in op.
const softsign = defineOp({
  name: 'softsign',
  kind: 'unary',
  method: 'softsign',
  args: (x: Tensor | number) => [[x], {}],
  forward([x]) {
    const out = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = x.data[i] / (1 + Math.abs(x.data[i]));
    return { data: out, shape: x.shape.slice() };
  },
  // d/dx = 1 / (1 + |x|)^2.
  backward(g, { inputs: [x] }) {
    const gx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) gx[i] = g[i] / (1 + Math.abs(x.data[i])) ** 2;
    return [gx];
  },
  samples: [{ inputs: [[2, 3]] }, { inputs: [{ shape: [4], values: [-3, -0.5, 0.5, 3] }] }],
});

declare module '../src/core/tensor' {
  interface Tensor {
    softsign: OpMethod<typeof softsign>;
  }
}

const registered = () => registeredOps().find((op) => op.name === 'softsign')!;

describe('an op defined outside src/ in one defineOp call', () => {
  it('installs its Tensor method, which computes the op', () => {
    const x = tensor([-3, 0, 1]);
    expect(typeof x.softsign).to.equal('function');
    expect(Array.from(x.softsign().data)).to.deep.equal([-0.75, 0, 0.5]);
    expect(Array.from(softsign(x).data)).to.deep.equal([-0.75, 0, 0.5]);
    const y = tensor([2], { requiresGrad: true });
    y.softsign().sum().backward();
    expect(y.grad!.data[0]).to.equal(1 / 9);
  });

  it('is registered with its kind and samples, and passes gradcheck on each sample', () => {
    const op = registered();
    expect(op.kind).to.equal('unary');
    expect(op.method).to.equal('softsign');
    expect(op.samples).to.have.length(2);
    op.samples.forEach((_, i) => expect(gradcheckSample(op, i)).to.equal(true));
  });

  it('a wrong backward fails the gradient check of its samples', () => {
    defineOp({
      name: 'softsignWithWrongBackward',
      kind: 'other',
      forward([x]) {
        const out = new Float64Array(x.data.length);
        for (let i = 0; i < out.length; i++) out[i] = x.data[i] / (1 + Math.abs(x.data[i]));
        return { data: out, shape: x.shape.slice() };
      },
      // Wrong: the square is missing.
      backward(g, { inputs: [x] }) {
        return [g.map((gi, i) => gi / (1 + Math.abs(x.data[i])))];
      },
      samples: [{ inputs: [[2, 3]] }],
    });
    const wrong = registeredOps().find((op) => op.name === 'softsignWithWrongBackward')!;
    expect(() => gradcheckSample(wrong, 0)).to.throw(/does not match finite differences/);
  });

  it('the property suites pick it up by its kind, and check the kind promise', () => {
    expect(opsOfKind('unary')).to.include('softsign');
    expect(() => KIND_CHECKS.unary(registered())).to.not.throw();
    // An op that says 'unary' but mixes elements (a reversal) breaks the promise.
    const reversed = {
      ...registered(),
      run: ([x]: Tensor[]) => {
        const flat = x.reshape([-1]);
        const backwards = Array.from({ length: x.size }, (_, i) => x.size - 1 - i);
        return flat.take(backwards).reshape(x.shape).softsign();
      },
    };
    expect(() => KIND_CHECKS.unary(reversed)).to.throw(/element/);
  });

  it('rejects a definition that is incomplete, misspelt or clashes', () => {
    const base = {
      name: 'neverRegistered',
      kind: 'unary' as const,
      forward: () => ({ data: new Float64Array(0), shape: [0] }),
      backward: () => [null],
      samples: [{ inputs: [[2]] }],
    };
    const cases: [object, RegExp][] = [
      [{ ...base, samples: [] }, /needs gradient-check samples/],
      [{ ...base, kind: 'elementwise' }, /kind of 'neverRegistered' must be one of unary, binary/],
      [{ ...base, sample: [] }, /unknown option 'sample'/],
      [{ ...base, name: 'softsign' }, /an op named 'softsign' is already registered/],
      [{ ...base, method: 'softsign' }, /Tensor already has a method or property 'softsign'/],
      [{ ...base, method: 'data' }, /Tensor already has a method or property 'data'/],
      [{ ...base, backward: undefined }, /backward of 'neverRegistered' must be a function/],
    ];
    for (const [spec, message] of cases) {
      expect(() => defineOp(spec as never)).to.throw(message);
      try {
        defineOp(spec as never);
      } catch (e) {
        expect(isMaskgradError(e, 'ERR_ARGUMENT')).to.equal(true);
      }
    }
    expect(registeredOps().some((op) => op.name === 'neverRegistered')).to.equal(false);
  });
});
