import { expect } from 'chai';
import { pow } from '../src/core/math';
import { Adam, AdamW, SGD } from '../src/core/optim';
import { Random } from '../src/core/random';
import { Tensor } from '../src/core/tensor';

// The optimizers' loops are split by case for speed; these specs hold them to the plain
// per-entry formulas, bit for bit, over 30 steps (gradients with exact zeros and -0).
// The formulas raise to a power with the library's pow, as Adam does: the engine's ** may
// differ from it in the last bit (V8 in Node 24 does), and these specs are about the loops.

interface Formula {
  /** Updates w in place from g, given the step number t (from 1) and this entry's state. */
  (w: Float64Array, g: Float64Array, t: number, state: Float64Array[]): void;
}

function sgdFormula(lr: number, mu: number, wd: number, nesterov: boolean): Formula {
  return (w, g, t, state) => {
    if (state.length === 0) state.push(new Float64Array(w.length));
    const [b] = state;
    for (let k = 0; k < w.length; k++) {
      let d = g[k];
      if (wd !== 0) d = d + wd * w[k];
      if (mu !== 0) {
        b[k] = t === 1 ? d : mu * b[k] + d;
        d = nesterov ? d + mu * b[k] : b[k];
      }
      w[k] = w[k] - lr * d;
    }
  };
}

function adamFormula(lr: number, wd: number, decoupled: boolean): Formula {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  return (w, g, t, state) => {
    if (state.length === 0) state.push(new Float64Array(w.length), new Float64Array(w.length));
    const [m, v] = state;
    for (let k = 0; k < w.length; k++) {
      let gk = g[k];
      if (wd !== 0 && decoupled) w[k] = w[k] * (1 - lr * wd);
      if (wd !== 0 && !decoupled) gk = gk + wd * w[k];
      m[k] = b1 * m[k] + (1 - b1) * gk;
      v[k] = b2 * v[k] + (1 - b2) * gk * gk;
      const mHat = m[k] / (1 - pow(b1, t));
      const vHat = v[k] / (1 - pow(b2, t));
      w[k] = w[k] - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  };
}

const cases: [string, (p: Tensor[]) => { step(): void }, Formula][] = [
  ['SGD', (p) => new SGD(p, { lr: 0.1 }), sgdFormula(0.1, 0, 0, false)],
  [
    'SGD + weight decay',
    (p) => new SGD(p, { lr: 0.1, weightDecay: 0.01 }),
    sgdFormula(0.1, 0, 0.01, false),
  ],
  ['SGD + momentum', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 }), sgdFormula(0.1, 0.9, 0, false)],
  [
    'SGD + Nesterov',
    (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }),
    sgdFormula(0.1, 0.9, 0, true),
  ],
  [
    'SGD + momentum + weight decay',
    (p) => new SGD(p, { lr: 0.1, momentum: 0.8, weightDecay: 0.1 }),
    sgdFormula(0.1, 0.8, 0.1, false),
  ],
  ['Adam', (p) => new Adam(p, { lr: 1e-3 }), adamFormula(1e-3, 0, false)],
  ['Adam + L2', (p) => new Adam(p, { lr: 1e-2, weightDecay: 0.1 }), adamFormula(1e-2, 0.1, false)],
  ['AdamW', (p) => new AdamW(p, { lr: 1e-2, weightDecay: 0.3 }), adamFormula(1e-2, 0.3, true)],
];

describe('optimizer loops', () => {
  for (const [name, make, formula] of cases) {
    it(`${name} gives the plain formula's numbers bit for bit`, () => {
      const rng = new Random(`optim loops ${name}`);
      const w0 = Float64Array.from({ length: 257 }, () => rng.normal());
      const param = new Tensor(w0.slice(), [257], true);
      const optimizer = make([param]);
      const expected = w0.slice();
      const state: Float64Array[] = [];
      for (let t = 1; t <= 30; t++) {
        const g = Float64Array.from({ length: 257 }, () => rng.normal());
        g[3] = 0;
        g[4] = -0;
        param.grad = new Tensor(g.slice(), [257]);
        optimizer.step();
        formula(expected, g, t, state);
      }
      for (let k = 0; k < expected.length; k++) {
        expect(Object.is(param.data[k], expected[k]), `entry ${k}`).to.equal(true);
      }
    });
  }
});
