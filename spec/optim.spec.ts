import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { Adam, AdamW, Optimizer, SGD } from '../src/core/optim';
import { tensor, Tensor } from '../src/core/tensor';
import '../src/core/ops';

type Matrix = number[][];

interface OptimizerReference {
  w0: Matrix;
  a: Matrix;
  b: Matrix;
  cases: { optimizer: string; weightsAfterEachStep: Matrix[] }[];
}

const reference: OptimizerReference = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'pytorch-sklearn-reference.json'), 'utf8'),
).optimizers;

// The fixture names each case by its PyTorch call; this maps every name to ours.
const optimizerFor: Record<string, (params: Tensor[]) => Optimizer> = {
  'SGD lr=0.1': (p) => new SGD(p, { lr: 0.1 }),
  'SGD lr=0.1 momentum=0.9': (p) => new SGD(p, { lr: 0.1, momentum: 0.9 }),
  'SGD lr=0.1 momentum=0.9 nesterov': (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }),
  'SGD lr=0.1 momentum=0.9 weight_decay=0.01': (p) =>
    new SGD(p, { lr: 0.1, momentum: 0.9, weightDecay: 0.01 }),
  'Adam lr=0.01 betas=(0.9,0.999) eps=1e-8': (p) =>
    new Adam(p, { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8 }),
  'Adam lr=0.01 weight_decay=0.1 (L2, coupled)': (p) => new Adam(p, { lr: 0.01, weightDecay: 0.1 }),
  'AdamW lr=0.01 weight_decay=0.1 (decoupled)': (p) =>
    new Adam(p, { lr: 0.01, weightDecay: 0.1, decoupled: true }),
};

/** Sets w.grad to the gradient of f(w) = sum(a * w^2) + sum(b * w), through backward. */
function computeGradient(w: Tensor, a: Tensor, b: Tensor): void {
  w.grad = null;
  const f = a.mul(w).mul(w).add(b.mul(w));
  f.backward(tensor(new Float64Array(w.size).fill(1), { shape: w.shape }));
}

/** Sets `param.grad` directly to the given values. */
function setGrad(param: Tensor, values: number[]): void {
  param.grad = tensor(values, { shape: param.shape });
}

describe('optimizers', () => {
  describe('against PyTorch 1.13 (f(w) = sum(a w^2) + sum(b w), three steps)', () => {
    it('maps every reference case to an optimizer', () => {
      const unmapped = reference.cases.map((c) => c.optimizer).filter((n) => !(n in optimizerFor));
      expect(unmapped).to.deep.equal([]);
      expect(reference.cases.length).to.equal(Object.keys(optimizerFor).length);
    });

    for (const { optimizer: name, weightsAfterEachStep } of reference.cases) {
      it(`${name}: matches to 1e-12 relative after each step`, () => {
        const w = tensor(reference.w0, { requiresGrad: true });
        const a = tensor(reference.a);
        const b = tensor(reference.b);
        const optimizer = optimizerFor[name]([w]);
        weightsAfterEachStep.forEach((expected, step) => {
          optimizer.zeroGrad();
          computeGradient(w, a, b);
          optimizer.step();
          expected.flat().forEach((want, k) => {
            const got = w.data[k];
            expect(
              Math.abs(got - want),
              `step ${step + 1}, entry ${k}: got ${got}, PyTorch ${want}`,
            ).to.be.at.most(1e-12 * Math.abs(want));
          });
        });
      });
    }
  });

  describe('two steps by hand on f(w) = w^2 (gradient 2w) from w = 1', () => {
    // Every number below is a dyadic fraction, so the SGD arithmetic is exact in float64.
    function run(optimizer: (p: Tensor[]) => Optimizer): number[] {
      const w = tensor([1], { requiresGrad: true });
      const opt = optimizer([w]);
      const after: number[] = [];
      for (let step = 0; step < 2; step++) {
        opt.zeroGrad();
        w.mul(w).backward(tensor([1]));
        opt.step();
        after.push(w.data[0]);
      }
      return after;
    }

    it('SGD lr 0.25: 1 - 0.25*2 = 0.5, then 0.5 - 0.25*1 = 0.25', () => {
      expect(run((p) => new SGD(p, { lr: 0.25 }))).to.deep.equal([0.5, 0.25]);
    });

    it('SGD lr 0.25, momentum 0.5: b = g = 2, w = 0.5; then b = 0.5*2 + 1 = 2, w = 0.5 - 0.5 = 0', () => {
      expect(run((p) => new SGD(p, { lr: 0.25, momentum: 0.5 }))).to.deep.equal([0.5, 0]);
    });

    it('SGD lr 0.25, momentum 0.5, nesterov: d = 2 + 0.5*2 = 3, w = 0.25; then g = 0.5, b = 1 + 0.5 = 1.5, d = 0.5 + 0.75 = 1.25, w = 0.25 - 0.3125', () => {
      expect(run((p) => new SGD(p, { lr: 0.25, momentum: 0.5, nesterov: true }))).to.deep.equal([
        0.25, -0.0625,
      ]);
    });

    it('SGD lr 0.25, weight decay 0.5: g = 2w + 0.5w = 2.5w, w = 1 - 0.625 = 0.375, then 0.375 * 0.375 = 0.140625', () => {
      expect(run((p) => new SGD(p, { lr: 0.25, weightDecay: 0.5 }))).to.deep.equal([
        0.375, 0.140625,
      ]);
    });

    it('SGD lr 0.25, momentum 0.5, weight decay 0.5: b = 2.5, w = 0.375; then g = 0.9375, b = 1.25 + 0.9375 = 2.1875, w = 0.375 - 0.546875', () => {
      expect(run((p) => new SGD(p, { lr: 0.25, momentum: 0.5, weightDecay: 0.5 }))).to.deep.equal([
        0.375, -0.171875,
      ]);
    });

    it('Adam lr 0.5, betas (0.5, 0.75): w = 1 - 0.5*2/2 = 0.5, then 0.5 - 0.5*(4/3)/sqrt(16/7) = 0.5 - sqrt(7)/6', () => {
      // Step 1: g = 2, m = 0.5*2 = 1, v = 0.25*4 = 1; m^ = 1/(1-0.5) = 2, v^ = 1/(1-0.75) = 4;
      //   w = 1 - 0.5 * 2 / (sqrt(4) + eps) = 0.5 (up to eps).
      // Step 2: g = 2*0.5 = 1, m = 0.5*1 + 0.5*1 = 1, v = 0.75*1 + 0.25*1 = 1;
      //   m^ = 1/(1-0.25) = 4/3, v^ = 1/(1-0.5625) = 16/7;
      //   w = 0.5 - 0.5 * (4/3) / (4/sqrt(7)) = 0.5 - sqrt(7)/6.
      const [w1, w2] = run((p) => new Adam(p, { lr: 0.5, betas: [0.5, 0.75], eps: 1e-8 }));
      expect(w1).to.be.closeTo(0.5, 1e-8);
      expect(w2).to.be.closeTo(0.5 - Math.sqrt(7) / 6, 1e-8);
    });

    it('AdamW lr 0.5, betas (0.5, 0.75), weight decay 0.5: w = 0.75 - 0.5 = 0.25, then 0.1875 - 0.5*sqrt(7/13)', () => {
      // Step 1: shrink w = 1 * (1 - 0.5*0.5) = 0.75; g = 2 (at w = 1), m^ = 2, v^ = 4 as above;
      //   w = 0.75 - 0.5 * 2 / 2 = 0.25.
      // Step 2: g = 2*0.25 = 0.5; shrink w = 0.25 * 0.75 = 0.1875; m = 0.5*1 + 0.5*0.5 = 0.75,
      //   v = 0.75*1 + 0.25*0.25 = 0.8125; m^ = 0.75/0.75 = 1, v^ = 0.8125/0.4375 = 13/7;
      //   w = 0.1875 - 0.5 * 1 / sqrt(13/7).
      const [w1, w2] = run(
        (p) => new AdamW(p, { lr: 0.5, betas: [0.5, 0.75], eps: 1e-8, weightDecay: 0.5 }),
      );
      expect(w1).to.be.closeTo(0.25, 1e-8);
      expect(w2).to.be.closeTo(0.1875 - 0.5 * Math.sqrt(7 / 13), 1e-8);
    });
  });

  describe('option validation', () => {
    const w = () => [tensor([1, 2], { requiresGrad: true })];
    const cases: [string, () => unknown, string][] = [
      [
        'negative lr',
        () => new SGD(w(), { lr: -0.1 }),
        'SGD: lr = -0.1 is out of range: must be a finite number >= 0',
      ],
      [
        'NaN lr',
        () => new Adam(w(), { lr: NaN }),
        'Adam: lr = NaN is out of range: must be a finite number >= 0',
      ],
      [
        'missing lr',
        () => new SGD(w(), {} as { lr: number }),
        'SGD: lr is required (e.g. { lr: 0.1 })',
      ],
      [
        'momentum 1',
        () => new SGD(w(), { lr: 0.1, momentum: 1 }),
        'SGD: momentum = 1 is out of range: must be a number in [0, 1)',
      ],
      [
        'negative momentum',
        () => new SGD(w(), { lr: 0.1, momentum: -0.5 }),
        'SGD: momentum = -0.5 is out of range: must be a number in [0, 1)',
      ],
      [
        'nesterov without momentum',
        () => new SGD(w(), { lr: 0.1, nesterov: true }),
        'SGD: nesterov = true requires momentum in (0, 1), got momentum = 0',
      ],
      [
        'negative weight decay',
        () => new SGD(w(), { lr: 0.1, weightDecay: -1 }),
        'SGD: weightDecay = -1 is out of range: must be a finite number >= 0',
      ],
      [
        'beta1 = 1',
        () => new Adam(w(), { betas: [1, 0.999] }),
        'Adam: betas[0] = 1 is out of range: must be a number in [0, 1)',
      ],
      [
        'beta2 < 0',
        () => new Adam(w(), { betas: [0.9, -0.1] }),
        'Adam: betas[1] = -0.1 is out of range: must be a number in [0, 1)',
      ],
      [
        'eps = 0',
        () => new Adam(w(), { eps: 0 }),
        'Adam: eps = 0 is out of range: must be a finite number > 0',
      ],
      [
        'AdamW negative weight decay',
        () => new AdamW(w(), { weightDecay: -0.01 }),
        'AdamW: weightDecay = -0.01 is out of range: must be a finite number >= 0',
      ],
      [
        'unknown option',
        () => new SGD(w(), { lr: 0.1, weight_decay: 0.1 } as { lr: number }),
        "SGD: unknown option 'weight_decay' (allowed: lr, momentum, nesterov, weightDecay)",
      ],
      ['empty params', () => new SGD([], { lr: 0.1 }), 'SGD: got an empty list of parameters'],
      [
        'non-leaf param',
        () => new SGD([w()[0].mul(2)], { lr: 0.1 }),
        "SGD: parameter 0 is not a leaf tensor (it was computed by 'mul'); an optimizer can only update leaves",
      ],
    ];
    for (const [label, make, message] of cases) {
      it(`rejects ${label}`, () => {
        expect(make).to.throw(message);
      });
    }

    it('validates a learning rate set later (for schedules)', () => {
      const opt = new SGD(w(), { lr: 0.1 });
      opt.lr = 0.05;
      expect(opt.lr).to.equal(0.05);
      expect(() => (opt.lr = -1)).to.throw('SGD: lr = -1 is out of range');
      expect(opt.lr).to.equal(0.05);
    });

    it('uses PyTorch defaults: Adam lr 1e-3, betas (0.9, 0.999), eps 1e-8; AdamW weight decay 0.01', () => {
      const adam = new Adam(w());
      expect([adam.lr, ...adam.betas, adam.eps, adam.weightDecay, adam.decoupled]).to.deep.equal([
        1e-3,
        0.9,
        0.999,
        1e-8,
        0,
        false,
      ]);
      const adamw = new AdamW(w());
      expect([adamw.weightDecay, adamw.decoupled, adamw.name]).to.deep.equal([0.01, true, 'AdamW']);
    });
  });

  describe('zeroGrad and skipped parameters', () => {
    it('zeroGrad sets every gradient to null', () => {
      const p = [tensor([1, 2], { requiresGrad: true }), tensor([3], { requiresGrad: true })];
      setGrad(p[0], [1, 1]);
      setGrad(p[1], [2]);
      new SGD(p, { lr: 0.1 }).zeroGrad();
      expect(p.map((t) => t.grad)).to.deep.equal([null, null]);
    });

    it('skips a parameter without a gradient, and starts its momentum at its own first step', () => {
      const a = tensor([1], { requiresGrad: true });
      const b = tensor([1], { requiresGrad: true });
      const opt = new SGD([a, b], { lr: 0.5, momentum: 0.5 });
      setGrad(a, [1]);
      opt.step(); // a: buffer 1, a = 0.5; b has no gradient: untouched.
      expect([a.data[0], b.data[0]]).to.deep.equal([0.5, 1]);
      setGrad(a, [1]);
      setGrad(b, [1]);
      opt.step(); // a: buffer 0.5 + 1 = 1.5, a = 0.5 - 0.75; b: first step, buffer = 1, b = 0.5.
      expect([a.data[0], b.data[0]]).to.deep.equal([-0.25, 0.5]);
    });

    it('updates .data in place and records no graph', () => {
      const w = tensor([1, 2], { requiresGrad: true });
      const data = w.data;
      for (const opt of [new SGD([w], { lr: 0.1, momentum: 0.9 }), new Adam([w])]) {
        setGrad(w, [1, -1]);
        opt.step();
        opt.step();
        expect(w.data).to.equal(data);
        expect(w.node).to.equal(null);
        expect(w.requiresGrad).to.equal(true);
      }
    });

    it('rejects a gradient of the wrong size', () => {
      const w = tensor([1, 2], { requiresGrad: true });
      w.grad = tensor([1, 2, 3]);
      expect(() => new SGD([w], { lr: 0.1 }).step()).to.throw(
        'SGD: parameter 0 has 2 values but its gradient has 3',
      );
    });
  });

  describe('entries whose gradient is exactly 0 (the masked-label showcase)', () => {
    const start = [0.1234567890123, -0.3, 2.5e-7, -1.75];

    it('plain SGD leaves them bit-for-bit unchanged, step after step', () => {
      const w = tensor(start, { requiresGrad: true });
      const opt = new SGD([w], { lr: 0.3 });
      for (let step = 0; step < 5; step++) {
        setGrad(w, [0, 0.5, 0, -0.25]);
        opt.step();
      }
      expect(Object.is(w.data[0], start[0])).to.equal(true);
      expect(Object.is(w.data[2], start[2])).to.equal(true);
      expect(w.data[1]).to.not.equal(start[1]);
      expect(w.data[3]).to.not.equal(start[3]);
    });

    it('SGD with momentum keeps moving them by their earlier velocity (as PyTorch does)', () => {
      const w = tensor(start, { requiresGrad: true });
      const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
      setGrad(w, [1, 1, 1, 1]);
      opt.step(); // buffer = 1, w = start - 0.1
      const after1 = Array.from(w.data);
      setGrad(w, [0, 0, 0, 0]);
      opt.step(); // buffer = 0.9 * 1 + 0 = 0.9, w = after1 - 0.1 * 0.9
      after1.forEach((v, k) => {
        expect(w.data[k]).to.equal(v - 0.1 * 0.9);
        expect(w.data[k]).to.not.equal(v);
      });
    });

    it('weight decay shrinks them towards 0 (as PyTorch does)', () => {
      const w = tensor(start, { requiresGrad: true });
      const opt = new SGD([w], { lr: 0.1, weightDecay: 0.01 });
      setGrad(w, [0, 0, 0, 0]);
      opt.step(); // w = w - 0.1 * (0 + 0.01 * w)
      start.forEach((v, k) => {
        expect(w.data[k]).to.equal(v - 0.1 * (0 + 0.01 * v));
        expect(Math.abs(w.data[k])).to.be.below(Math.abs(v));
      });
    });

    it('Adam leaves an entry that never had a gradient unchanged (m = v = 0); AdamW shrinks it', () => {
      const w = tensor(start, { requiresGrad: true });
      const opt = new Adam([w], { lr: 0.1 });
      for (let step = 0; step < 3; step++) {
        setGrad(w, [0, 1, 0, 1]);
        opt.step();
      }
      expect(Object.is(w.data[0], start[0])).to.equal(true);
      expect(Object.is(w.data[2], start[2])).to.equal(true);

      const v = tensor(start, { requiresGrad: true });
      const adamw = new AdamW([v], { lr: 0.1, weightDecay: 0.1 });
      setGrad(v, [0, 0, 0, 0]);
      adamw.step(); // v = v * (1 - 0.1 * 0.1), then the Adam update is 0
      start.forEach((x, k) => expect(v.data[k]).to.equal(x * (1 - 0.1 * 0.1)));
    });
  });
});
