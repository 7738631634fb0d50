import { expect } from 'chai';
import {
  maskedBinaryCrossEntropyWithLogits as maskedBce,
  MLP,
  randn,
  SGD,
  Tensor,
  tensor,
} from '../src';

// What "masked weights get zero gradient updates" means, proved on a real MLP.

const N = 6;
const C = 4;
const x = randn([N, 5], { seed: 'masked-training-x' });
const targets = tensor([
  [1, 0, 1, 0],
  [0, 1, 0, 1],
  [1, 1, 0, 0],
  [0, 0, 1, 1],
  [1, 0, 0, 1],
  [0, 1, 1, 0],
]);
// Class 2 unknown for every sample; class 3 unknown for the first three.
const mask = tensor([
  [1, 1, 0, 0],
  [1, 1, 0, 0],
  [1, 1, 0, 0],
  [1, 1, 0, 1],
  [1, 1, 0, 1],
  [1, 1, 0, 1],
]);

function bitEqual(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/** Loss and every parameter gradient of a fresh seeded MLP, with the logits passed through `edit`. */
function lossAndGrads(ys: Tensor, edit: (logits: Tensor) => Tensor = (z) => z) {
  const model = new MLP([5, 8, C], { seed: 3 });
  const loss = maskedBce(edit(model.forward(x)), ys, mask);
  loss.backward();
  return { loss: loss.item(), grads: model.parameters().map((p) => p.grad!.data) };
}

function rowOf(data: Float64Array, c: number, width: number): Float64Array {
  return data.slice(c * width, (c + 1) * width);
}

describe('masked weights stand still (MLP)', () => {
  it('changing targets or logits at masked entries leaves the loss and every parameter gradient bit-for-bit identical', () => {
    const clean = lossAndGrads(targets);
    const noisyTargets = targets.clone();
    const poison = new Float64Array(N * C);
    for (let i = 0; i < N * C; i++) {
      if (mask.data[i] === 0) {
        noisyTargets.data[i] = [NaN, 7, -3, Infinity][i % 4];
        poison[i] = [NaN, Infinity, -Infinity, 1e300][i % 4];
      }
    }
    const edited = lossAndGrads(noisyTargets, (z) => z.add(new Tensor(poison, [N, C])));
    expect(Object.is(edited.loss, clean.loss)).to.equal(true);
    expect(edited.grads).to.have.length(4);
    edited.grads.forEach((g, k) =>
      expect(bitEqual(g, clean.grads[k]), `parameter ${k}`).to.equal(true),
    );
  });

  it("with class 2 masked for every sample, the output layer's weight row 2 and bias[2] get exactly zero gradient", () => {
    const model = new MLP([5, 8, C], { seed: 3 });
    maskedBce(model.forward(x), targets, mask).backward();
    const { weight, bias } = model.outputLayer;
    const w2 = rowOf(weight.grad!.data, 2, 8);
    expect(w2.every((v) => Object.is(v, 0))).to.equal(true);
    expect(Object.is(bias.grad!.data[2], 0)).to.equal(true);
    for (const c of [0, 1, 3]) {
      expect(
        rowOf(weight.grad!.data, c, 8).some((v) => v !== 0),
        `row ${c}`,
      ).to.equal(true);
    }
  });

  it('one plain SGD step leaves row 2 bit-for-bit unchanged while the other rows move', () => {
    const model = new MLP([5, 8, C], { seed: 3 });
    const { weight, bias } = model.outputLayer;
    const w0 = weight.data.slice();
    const b0 = bias.data.slice();
    const sgd = new SGD(model.parameters(), { lr: 0.5 });
    maskedBce(model.forward(x), targets, mask).backward();
    sgd.step();
    expect(bitEqual(rowOf(weight.data, 2, 8), rowOf(w0, 2, 8))).to.equal(true);
    expect(Object.is(bias.data[2], b0[2])).to.equal(true);
    for (const c of [0, 1, 3]) {
      expect(bitEqual(rowOf(weight.data, c, 8), rowOf(w0, c, 8)), `row ${c}`).to.equal(false);
      expect(bias.data[c]).to.not.equal(b0[c]);
    }
  });

  it('SGD with momentum keeps moving a row whose gradient became 0, by its earlier velocity', () => {
    const model = new MLP([5, 8, C], { seed: 3 });
    const { weight } = model.outputLayer;
    const sgd = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    // Step 1: class 2 observed, so its row gets a gradient and a velocity.
    maskedBce(model.forward(x), targets).backward();
    const g1 = rowOf(weight.grad!.data, 2, 8);
    sgd.step();
    const afterStep1 = rowOf(weight.data, 2, 8);
    // Step 2: class 2 masked everywhere, so its gradient is exactly 0 ...
    sgd.zeroGrad();
    maskedBce(model.forward(x), targets, mask).backward();
    expect(rowOf(weight.grad!.data, 2, 8).every((v) => Object.is(v, 0))).to.equal(true);
    sgd.step();
    // ... but the row still moves by lr * momentum * velocity (velocity = g1 after one step).
    const afterStep2 = rowOf(weight.data, 2, 8);
    afterStep2.forEach((w, j) => {
      expect(w).to.not.equal(afterStep1[j]);
      expect(w).to.equal(afterStep1[j] - 0.1 * (0.9 * g1[j] + 0));
    });
  });

  it('SGD with weight decay shrinks a row whose gradient is 0: w <- w - lr * wd * w', () => {
    const model = new MLP([5, 8, C], { seed: 3 });
    const { weight } = model.outputLayer;
    const before = rowOf(weight.data, 2, 8);
    const sgd = new SGD(model.parameters(), { lr: 0.1, weightDecay: 0.01 });
    maskedBce(model.forward(x), targets, mask).backward();
    sgd.step();
    rowOf(weight.data, 2, 8).forEach((w, j) => {
      expect(Math.abs(w)).to.be.lessThan(Math.abs(before[j]));
      expect(w).to.equal(before[j] - 0.1 * (0 + 0.01 * before[j]));
    });
  });
});
