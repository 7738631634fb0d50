import { expect } from 'chai';
import {
  gradcheck,
  maskedBinaryCrossEntropy,
  maskedBinaryCrossEntropyWithLogits as maskedBce,
  maskedBinaryCrossEntropyWithLogitsComposite as maskedBceComposite,
  maskFromTargets,
  Random,
  Tensor,
  tensor,
} from '../src';
import reference from './fixtures/pytorch-sklearn-reference.json';

type Case = (typeof reference.maskedBceWithLogits.cases)[number];

function flat(x: unknown): number[] {
  return (x as unknown[]).flat(Infinity as 1) as number[];
}

function bitEqual(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

function closeTo(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number): void {
  expect(actual.length).to.equal(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rel * Math.max(1, Math.abs(expected[i]));
    expect(actual[i], `element ${i}`).to.be.closeTo(expected[i], tol);
  }
}

/** Random logits, 0/1 targets and a 0/1 mask of shape [n, c], from one seeded generator. */
function randomCase(rng: Random, n: number, c: number, scale = 3) {
  const z = new Float64Array(n * c);
  const y = new Float64Array(n * c);
  const m = new Float64Array(n * c);
  for (let i = 0; i < n * c; i++) {
    z[i] = rng.normal(0, scale);
    y[i] = rng.uniform() < 0.4 ? 1 : 0;
    m[i] = rng.uniform() < 0.6 ? 1 : 0;
  }
  return { z, y, m, shape: [n, c] };
}

const LOSSES = [
  ['fused', maskedBce],
  ['composite', maskedBceComposite],
] as const;

describe('maskedBinaryCrossEntropyWithLogits', () => {
  describe('matches PyTorch (float64 reference values)', () => {
    for (const [name, loss] of LOSSES) {
      reference.maskedBceWithLogits.cases.forEach((c: Case, k) => {
        it(`${name}: case ${k + 1} (${flat(c.logits).length} entries${c.posWeight ? ', posWeight' : ''}): loss and gradient to 1e-12`, () => {
          const z = tensor(c.logits as number[][], { requiresGrad: true });
          const l = loss(z, c.targets as number[][], c.mask as number[][], {
            posWeight: (c.posWeight as number[] | null) ?? undefined,
          });
          l.backward();
          closeTo([l.item()], [c.loss], 1e-12);
          closeTo(z.grad!.data, flat(c.gradLogits), 1e-12);
        });
      });
    }
  });

  it('the original numpy test: over 1,000 random (n, c), the masked loss equals the plain loss over only the observed entries, to 1e-9', () => {
    const rng = new Random('numpy-port');
    for (let trial = 0; trial < 1000; trial++) {
      const n = 1 + rng.int(20);
      const c = 1 + rng.int(10);
      const { z, y, m, shape } = randomCase(rng, n, c);
      const observed = [...m.keys()].filter((i) => m[i] === 1);
      const masked = maskedBce(
        new Tensor(z, shape),
        new Tensor(y, shape),
        new Tensor(m, shape),
      ).item();
      const plain =
        observed.length === 0
          ? 0
          : maskedBce(tensor(observed.map((i) => z[i])), tensor(observed.map((i) => y[i]))).item();
      // And against the textbook formula written out here, independently of the library.
      let textbook = 0;
      for (const i of observed) {
        const p = 1 / (1 + Math.exp(-z[i]));
        textbook -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
      }
      textbook = observed.length === 0 ? 0 : textbook / observed.length;
      expect(Math.abs(masked - plain), `trial ${trial}`).to.be.at.most(1e-9);
      expect(Math.abs(masked - textbook), `trial ${trial}`).to.be.at.most(1e-9);
    }
  });

  it('the gradient at a masked logit is exactly +0', () => {
    const z = tensor(
      [
        [2, -1, 0.5],
        [3, 0, -4],
      ],
      { requiresGrad: true },
    );
    maskedBce(
      z,
      [
        [1, 0, 1],
        [0, 1, 1],
      ],
      [
        [1, 0, 1],
        [0, 0, 1],
      ],
    ).backward();
    for (const i of [1, 3, 4]) expect(Object.is(z.grad!.data[i], 0), `entry ${i}`).to.equal(true);
    for (const i of [0, 2, 5]) expect(z.grad!.data[i]).to.not.equal(0);
  });

  it('equals dL/dz = m (sigmoid(z) - y) / nObserved', () => {
    const z = tensor(
      [
        [0.3, -1.2],
        [2, 0.7],
      ],
      { requiresGrad: true },
    );
    const y = [
      [1, 0],
      [0, 1],
    ];
    const m = [
      [1, 1],
      [0, 1],
    ];
    maskedBce(z, y, m).backward();
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    closeTo(z.grad!.data, [(s(0.3) - 1) / 3, s(-1.2) / 3, 0, (s(0.7) - 1) / 3], 1e-15);
  });

  for (const [name, loss] of LOSSES) {
    it(`${name}: NaN or Infinity in logits or targets at masked entries changes neither the loss nor the gradient, bit for bit`, () => {
      const rng = new Random('nan-at-masked');
      const { z, y, m, shape } = randomCase(rng, 6, 5);
      const run = (zv: Float64Array, yv: Float64Array) => {
        const zt = new Tensor(zv, shape, true);
        const l = loss(zt, new Tensor(yv, shape), new Tensor(m, shape));
        l.backward();
        return { loss: l.item(), grad: zt.grad!.data };
      };
      const clean = run(z.slice(), y.slice());
      const poisons = [NaN, Infinity, -Infinity, 1e308];
      const zp = z.slice();
      const yp = y.slice();
      let k = 0;
      for (let i = 0; i < m.length; i++) {
        if (m[i] === 0) {
          zp[i] = poisons[k % 4];
          yp[i] = poisons[(k + 1) % 4];
          k++;
        }
      }
      expect(k).to.be.greaterThan(3);
      const dirty = run(zp, yp);
      expect(Object.is(dirty.loss, clean.loss)).to.equal(true);
      expect(bitEqual(dirty.grad, clean.grad)).to.equal(true);
    });
  }

  it('at y = 1 and a large logit the gradient is -sigmoid(-z), not a cancelled 0 (and at y = 0, sigmoid(z))', () => {
    // sigmoid(z) - 1 rounds to 0 from z = 37 on; the true value is -sigmoid(-z) = -exp(-z) / (1 + exp(-z)).
    const zs = [20, 37, 40, 100, 700];
    const z = tensor([...zs, ...zs.map((v) => -v)], { requiresGrad: true });
    maskedBce(z, [...zs.map(() => 1), ...zs.map(() => 0)], undefined, {
      reduction: 'sum',
    }).backward();
    zs.forEach((v, i) => {
      const want = -Math.exp(-v) / (1 + Math.exp(-v));
      expect(z.grad!.data[i], `y = 1, z = ${v}`).to.be.lessThan(0);
      expect(z.grad!.data[i], `y = 1, z = ${v}`).to.be.closeTo(want, 1e-15 * Math.abs(want));
      expect(z.grad!.data[i + zs.length], `y = 0, z = ${-v}`).to.be.closeTo(
        -want,
        1e-15 * Math.abs(want),
      );
    });
  });

  it('an observed infinite logit gives the limit: loss and gradient 0 where right, loss Infinity and gradient +-1 where wrong', () => {
    const cases: [number, number, number, number][] = [
      // z, y, loss, gradient ('sum')
      [Infinity, 1, 0, 0],
      [-Infinity, 0, 0, 0],
      [Infinity, 0, Infinity, 1],
      [-Infinity, 1, Infinity, -1],
      [Infinity, 0.25, Infinity, 0.75],
    ];
    for (const [zv, yv, loss, grad] of cases) {
      const z = tensor([zv, 0.5], { requiresGrad: true });
      const l = maskedBce(z, [yv, 1], undefined, { reduction: 'none' });
      l.backward(tensor([1, 1]));
      expect(Object.is(l.data[0], loss), `z ${zv}, y ${yv}: loss ${l.data[0]}`).to.equal(true);
      expect(
        Object.is(z.grad!.data[0], grad),
        `z ${zv}, y ${yv}: gradient ${z.grad!.data[0]}`,
      ).to.equal(true);
      expect(l.data[1]).to.be.closeTo(Math.log1p(Math.exp(-0.5)), 1e-15);
    }
    // With the mean, a right infinite prediction leaves the others' loss as it is.
    const z = tensor([Infinity, -Infinity, 0], { requiresGrad: true });
    const l = maskedBce(z, [1, 0, 1]);
    l.backward();
    expect(l.item()).to.equal(Math.log(2) / 3);
    expect(Array.from(z.grad!.data)).to.deep.equal([0, 0, -0.5 / 3]);
  });

  it('is finite and correct for logits of +-1e4', () => {
    const z = tensor([1e4, -1e4, 1e4, -1e4], { requiresGrad: true });
    const l = maskedBce(z, [1, 0, 0, 1]);
    l.backward();
    // Right answers cost ~0; wrong answers cost |z| each: (0 + 0 + 1e4 + 1e4) / 4.
    expect(l.item()).to.equal(5000);
    expect(Array.from(z.grad!.data)).to.deep.equal([0, 0, 0.25, -0.25]);
    for (const v of z.grad!.data) expect(Number.isFinite(v)).to.equal(true);
  });

  it('with no observed entry, the loss is 0 and every gradient 0, not NaN', () => {
    const z = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const l = maskedBce(
      z,
      [
        [1, 0],
        [1, 0],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    );
    l.backward();
    expect(Object.is(l.item(), 0)).to.equal(true);
    expect(bitEqual(z.grad!.data, new Float64Array(4))).to.equal(true);
  });

  it("'sum' adds the observed entries; 'none' gives each entry with masked ones exactly 0", () => {
    const zv = [
      [0.5, -1],
      [2, 0.1],
    ];
    const y = [
      [1, 0],
      [1, 1],
    ];
    const m = [
      [1, 0],
      [1, 1],
    ];
    const none = maskedBce(tensor(zv), y, m, { reduction: 'none' });
    expect(none.shape).to.deep.equal([2, 2]);
    expect(Object.is(none.data[1], 0)).to.equal(true);
    const sum = maskedBce(tensor(zv), y, m, { reduction: 'sum' }).item();
    const mean = maskedBce(tensor(zv), y, m).item();
    expect(sum).to.equal(none.data[0] + none.data[1] + none.data[2] + none.data[3]);
    expect(mean).to.be.closeTo(sum / 3, 1e-15);
    const z = tensor(zv, { requiresGrad: true });
    maskedBce(z, y, m, { reduction: 'none' }).backward(
      tensor([
        [1, 1],
        [2, 2],
      ]),
    );
    expect(Object.is(z.grad!.data[1], 0)).to.equal(true);
    expect(z.grad!.data[2]).to.be.closeTo(2 * (1 / (1 + Math.exp(-2)) - 1), 1e-15);
  });

  it('accepts a per-class mask of shape [C] and a boolean mask', () => {
    const zv = [
      [0.5, -1, 2],
      [2, 0.1, -3],
    ];
    const y = [
      [1, 0, 0],
      [1, 1, 0],
    ];
    const full = maskedBce(tensor(zv), y, [
      [1, 0, 1],
      [1, 0, 1],
    ]).item();
    expect(maskedBce(tensor(zv), y, [1, 0, 1]).item()).to.equal(full);
    expect(maskedBce(tensor(zv), y, [true, false, true]).item()).to.equal(full);
    expect(maskedBce(tensor(zv), y, tensor([1, 0, 1])).item()).to.equal(full);
  });

  it('a one-element mask or posWeight applies to every entry', () => {
    const zv = [
      [0.5, -1, 2],
      [2, 0.1, -3],
    ];
    const y = [
      [1, 0, 0],
      [1, 1, 0],
    ];
    expect(maskedBce(tensor(zv), y, tensor(1)).item()).to.equal(maskedBce(tensor(zv), y).item());
    const z = tensor(zv, { requiresGrad: true });
    const none = maskedBce(
      z,
      [
        [1, 0, 7],
        [NaN, 1, 0],
      ],
      tensor(0),
    );
    none.backward();
    expect(Object.is(none.item(), 0)).to.equal(true);
    expect(z.grad!.data.every((v) => Object.is(v, 0))).to.equal(true);
    const one = maskedBce(tensor([[0.3], [-0.2]]), [[1], [0]], undefined, {
      posWeight: [2],
    }).item();
    const ref = maskedBce(tensor([[0.3], [-0.2]]), [[1], [0]], [[1], [1]], {
      posWeight: tensor([2]),
    }).item();
    expect(one).to.equal(ref);
  });

  it('posWeight weights positive targets per class, as PyTorch', () => {
    const z = 0.4;
    const p = 3;
    const l = maskedBce(tensor([[z, z]]), [[1, 0]], undefined, { posWeight: [p, p] }).item();
    const softplusNeg = Math.log1p(Math.exp(-z));
    expect(l).to.be.closeTo((p * softplusNeg + (z + softplusNeg)) / 2, 1e-15);
  });

  it('fused and composite agree in value and gradient on random data', () => {
    const rng = new Random('fused-vs-composite');
    for (let trial = 0; trial < 50; trial++) {
      const { z, y, m, shape } = randomCase(rng, 1 + rng.int(8), 1 + rng.int(6), 5);
      const pw = Array.from({ length: shape[1] }, () => rng.uniform(0.5, 3));
      for (const reduction of ['mean', 'sum'] as const) {
        const a = new Tensor(z.slice(), shape, true);
        const b = new Tensor(z.slice(), shape, true);
        const la = maskedBce(a, new Tensor(y, shape), new Tensor(m, shape), {
          reduction,
          posWeight: pw,
        });
        const lb = maskedBceComposite(b, new Tensor(y, shape), new Tensor(m, shape), {
          reduction,
          posWeight: pw,
        });
        la.backward();
        lb.backward();
        closeTo([la.item()], [lb.item()], 1e-12);
        closeTo(a.grad!.data, b.grad!.data, 1e-12);
      }
    }
  });

  it('passes gradcheck with respect to the logits with some entries masked', () => {
    const rng = new Random('loss-gradcheck');
    const { z, y, m, shape } = randomCase(rng, 4, 3);
    const logits = new Tensor(z, shape, true);
    expect(
      gradcheck((t) => maskedBce(t, new Tensor(y, shape), new Tensor(m, shape)), [logits]),
    ).to.equal(true);
    expect(
      gradcheck(
        (t) => maskedBce(t, new Tensor(y, shape), new Tensor(m, shape), { reduction: 'none' }),
        [logits],
      ),
    ).to.equal(true);
  });

  describe('bad input is an error naming the argument', () => {
    const z = tensor([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    it('targets of another shape', () => {
      expect(() => maskedBce(z, [1, 0])).to.throw(
        'maskedBinaryCrossEntropyWithLogits: targets has shape [2] but the input has shape [2,2]; they must match',
      );
    });
    it('a mask that does not broadcast', () => {
      expect(() =>
        maskedBce(
          z,
          [
            [1, 0],
            [0, 1],
          ],
          [1, 0, 1],
        ),
      ).to.throw(
        "maskedBinaryCrossEntropyWithLogits: mask of shape [3] does not broadcast to the input's shape [2,2]",
      );
    });
    it('a mask value other than 0 or 1', () => {
      expect(() =>
        maskedBce(
          z,
          [
            [1, 0],
            [0, 1],
          ],
          [
            [1, 0.5],
            [1, 1],
          ],
        ),
      ).to.throw(
        'maskedBinaryCrossEntropyWithLogits: mask must hold only 0 (unknown) and 1 (observed), or booleans; found 0.5 at [0,1]',
      );
    });
    it('an observed target outside [0, 1], or NaN', () => {
      expect(() =>
        maskedBce(
          z,
          [
            [1, 0],
            [2, 1],
          ],
          [
            [1, 1],
            [1, 1],
          ],
        ),
      ).to.throw(
        'maskedBinaryCrossEntropyWithLogits: targets must lie in [0, 1] where the mask is 1 (observed); found 2 at [1,0]',
      );
      expect(() =>
        maskedBce(
          z,
          [
            [1, 0],
            [NaN, 1],
          ],
          [
            [1, 1],
            [1, 1],
          ],
        ),
      ).to.throw(
        'maskedBinaryCrossEntropyWithLogits: targets must lie in [0, 1] where the mask is 1 (observed); found NaN at [1,0]',
      );
      expect(() =>
        maskedBce(z, [
          [1, -1],
          [0, 1],
        ]),
      ).to.throw(
        'maskedBinaryCrossEntropyWithLogits: targets must lie in [0, 1]; found -1 at [0,1]',
      );
    });
    it('a NaN target with no mask points to maskFromTargets', () => {
      expect(() =>
        maskedBce(z, [
          [1, NaN],
          [0, 1],
        ]),
      ).to.throw(/targets is NaN at \[0,1\] and no mask was given; .* maskFromTargets\(targets\)/);
    });
    it('posWeight of the wrong length, and an unknown reduction', () => {
      expect(() =>
        maskedBce(
          z,
          [
            [1, 0],
            [0, 1],
          ],
          undefined,
          { posWeight: [1, 2, 3] },
        ),
      ).to.throw(
        "maskedBinaryCrossEntropyWithLogits: posWeight must have shape [2] (one weight per class, the input's last axis), got [3]",
      );
      expect(() =>
        maskedBce(
          z,
          [
            [1, 0],
            [0, 1],
          ],
          undefined,
          { reduction: 'avg' as any },
        ),
      ).to.throw(
        `maskedBinaryCrossEntropyWithLogits: reduction must be 'mean', 'sum' or 'none', got "avg"`,
      );
    });
  });
});

describe('maskFromTargets', () => {
  it('turns NaN into mask 0 and target 0', () => {
    const { targets, mask } = maskFromTargets([
      [1, NaN],
      [0, 1],
    ]);
    expect(Array.from(targets.data)).to.deep.equal([1, 0, 0, 1]);
    expect(Array.from(mask.data)).to.deep.equal([1, 0, 1, 1]);
    expect(mask.shape).to.deep.equal([2, 2]);
  });
  it('turns -1 into mask 0 and target 0 when asked to', () => {
    const { targets, mask } = maskFromTargets(tensor([1, -1, 0]), { unknown: -1 });
    expect(Array.from(targets.data)).to.deep.equal([1, 0, 0]);
    expect(Array.from(mask.data)).to.deep.equal([1, 0, 1]);
  });
  it('its output feeds the loss, which then ignores the unknowns', () => {
    const { targets, mask } = maskFromTargets([[1, NaN, 0]]);
    const a = maskedBce(tensor([[0.2, 0.5, -0.3]]), targets, mask).item();
    const b = maskedBce(tensor([[0.2, -0.3]]), [[1, 0]]).item();
    expect(a).to.equal(b);
  });
});

describe('maskedBinaryCrossEntropy (probabilities)', () => {
  it('equals the logits version at q = sigmoid(z), over observed entries', () => {
    const zv = [0.3, -2, 1.5, 0.1];
    const q = tensor(
      zv.map((v) => 1 / (1 + Math.exp(-v))),
      { requiresGrad: true },
    );
    const y = [1, 0, 0, 1];
    const m = [1, 1, 0, 1];
    const a = maskedBinaryCrossEntropy(q, y, m);
    expect(a.item()).to.be.closeTo(maskedBce(tensor(zv), y, m).item(), 1e-12);
    a.backward();
    expect(Object.is(q.grad!.data[2], 0)).to.equal(true);
    // dl/dq = (q - y) / (q (1 - q)) / nObserved
    const q0 = q.data[0];
    expect(q.grad!.data[0]).to.be.closeTo((q0 - 1) / (q0 * (1 - q0)) / 3, 1e-12);
  });
  it('clamps each log at -100 like PyTorch: q = 0 with y = 1 costs 100, not Infinity', () => {
    expect(maskedBinaryCrossEntropy(tensor([0, 1]), [1, 0]).item()).to.equal(100);
  });
  it('rejects a probability outside [0, 1] where observed', () => {
    expect(() => maskedBinaryCrossEntropy(tensor([0.5, 1.5]), [1, 0], [1, 1])).to.throw(
      'maskedBinaryCrossEntropy: probabilities must lie in [0, 1] where observed; found 1.5 at [1]',
    );
    expect(maskedBinaryCrossEntropy(tensor([0.5, 1.5]), [1, 0], [1, 0]).item()).to.be.closeTo(
      Math.LN2,
      1e-15,
    );
  });
});
