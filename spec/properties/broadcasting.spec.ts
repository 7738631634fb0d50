import { expect } from 'chai';
import fc from 'fast-check';
import { gradcheck } from '../../src/core/gradcheck';
import { Random } from '../../src/core/random';
import { Tensor } from '../../src/core/tensor';
import { opsOfKind, registeredOp, sampleRange } from './op-kinds';
import { itProperty } from './run-property';

// NumPy broadcasting, checked on random shape pairs (up to 4-D, sizes 1..4) for every op
// of kind 'binary' in the registry and for where: the output shape against a naive
// reference written here, each value against the op applied to its two elements alone,
// the gradients against finite differences (gradcheck), and the gradient shapes against
// the input shapes. Incompatible pairs must raise the shape error naming the op and the
// shapes. An operand for which the op's first sample states a range (div's divisor) is
// drawn from that range.

type Shape = number[];

// Uniform draws (fast-check's default bias towards small values would make most shapes
// scalars): sizes 1..4, mostly 1-D to 4-D, sometimes 0-D.
const size = fc.noBias(fc.integer({ min: 1, max: 4 }));
const ndim = fc.oneof(
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.noBias(fc.integer({ min: 1, max: 4 })), weight: 9 },
);
const anyShape = ndim.chain((n) => fc.array(size, { minLength: n, maxLength: n }));

/**
 * A shape that broadcasts to `out`: often all of its axes, else some leading axes dropped
 * (at most `maxDrop`); each remaining axis becomes 1 with probability 0.3.
 */
function shapeBroadcastingTo(out: Shape, maxDrop = out.length): fc.Arbitrary<Shape> {
  const drop = fc.oneof(fc.constant(0), fc.noBias(fc.integer({ min: 0, max: maxDrop })));
  const one = fc.noBias(fc.integer({ min: 0, max: 9 })).map((k) => k < 3);
  return fc
    .tuple(drop, fc.array(one, { minLength: out.length, maxLength: out.length }))
    .map(([d, ones]) => out.slice(d).map((s, i) => (ones[d + i] ? 1 : s)));
}

/** Two (or three) shapes that broadcast together. */
const compatibleShapes = (count: number) =>
  anyShape.chain((out) =>
    fc.array(shapeBroadcastingTo(out), { minLength: count, maxLength: count }),
  );

/**
 * Two shapes that do not broadcast: a compatible pair in which one trailing axis
 * (`axisFromEnd`, counted from the end, present in both) gets two different sizes >= 2.
 */
const incompatiblePair = fc
  .noBias(fc.integer({ min: 1, max: 4 }))
  .chain((n) => fc.array(size, { minLength: n, maxLength: n }))
  .chain((out) =>
    fc.tuple(
      shapeBroadcastingTo(out, out.length - 1),
      shapeBroadcastingTo(out, out.length - 1),
      fc.nat(),
      fc.integer({ min: 2, max: 4 }),
      fc.nat(),
    ),
  )
  .map(([a, b, pick, sa, pickOther]) => {
    const axisFromEnd = 1 + (pick % Math.min(a.length, b.length));
    const sb = [2, 3, 4].filter((v) => v !== sa)[pickOther % 2];
    const a2 = a.slice();
    const b2 = b.slice();
    a2[a2.length - axisFromEnd] = sa;
    b2[b2.length - axisFromEnd] = sb;
    return { a: a2, b: b2, axisFromEnd, sa, sb };
  });

const fmt = (s: Shape) => `[${s.join(',')}]`;
const count = (s: Shape) => s.reduce((n, d) => n * d, 1);

/** The broadcast shape, computed independently of src/shape.ts: per axis, the size that is not 1. */
function expectedShape(shapes: Shape[]): Shape {
  const ndim = Math.max(...shapes.map((s) => s.length));
  const out: Shape = [];
  for (let k = ndim; k >= 1; k--) {
    out.push(Math.max(...shapes.map((s) => (s.length >= k ? s[s.length - k] : 1))));
  }
  return out;
}

/** The flat index into `shape` of output position `index` (multi-index of `out`), broadcast. */
function sourceIndex(index: number[], out: Shape, shape: Shape): number {
  let flat = 0;
  for (let i = 0; i < shape.length; i++) {
    const k = index[out.length - shape.length + i];
    flat = flat * shape[i] + (shape[i] === 1 ? 0 : k);
  }
  return flat;
}

/** Every multi-index of `shape`, in row-major order. */
function multiIndices(shape: Shape): number[][] {
  const all: number[][] = [[]];
  for (const d of shape) {
    const next: number[][] = [];
    for (const prefix of all) for (let k = 0; k < d; k++) next.push([...prefix, k]);
    all.splice(0, all.length, ...next);
  }
  return all;
}

/** Values for a leaf tensor from a seeded generator: uniform in `range`, or standard normal. */
function leaf(
  shape: Shape,
  rng: Random,
  range: { low: number; high: number } | null,
  requiresGrad = true,
): Tensor {
  const data = new Float64Array(count(shape));
  for (let i = 0; i < data.length; i++) {
    data[i] = range ? rng.uniform(range.low, range.high) : rng.normal();
  }
  return new Tensor(data, shape, requiresGrad);
}

/** Checks that each input that requires a gradient got one of exactly its own shape. */
function expectGradientShapes(inputs: Tensor[], output: Tensor, rng: Random): void {
  for (const t of inputs) t.grad = null;
  output.backward(leaf(output.shape, rng, null, false));
  for (const [i, t] of inputs.entries()) {
    if (!t.requiresGrad) {
      expect(t.grad, `input ${i} requires no gradient`).to.equal(null);
      continue;
    }
    expect(t.grad, `input ${i} has a gradient`).to.not.equal(null);
    expect(t.grad!.shape, `gradient of input ${i}`).to.deep.equal(t.shape);
  }
}

describe('property: broadcasting', () => {
  const binaryOps = opsOfKind('binary');

  it('covers every binary op of the registry', () => {
    expect(binaryOps).to.include.members(['add', 'sub', 'mul', 'div', 'maximum', 'minimum']);
  });

  for (const name of binaryOps) {
    describe(name, () => {
      const op = registeredOp(name);
      const run = (a: Tensor, b: Tensor) => op.run([a, b], {});
      const scalar = (v: number) => new Tensor(new Float64Array([v]), []);
      const [rangeA, rangeB] = [sampleRange(op, 0), sampleRange(op, 1)];

      itProperty('compatible shapes: output shape and values as broadcast by hand', 400, () =>
        fc.property(compatibleShapes(2), fc.integer(), ([sa, sb], seed) => {
          const rng = new Random(seed);
          const a = leaf(sa, rng, rangeA, false);
          const b = leaf(sb, rng, rangeB, false);
          const out = run(a, b);
          const shape = expectedShape([sa, sb]);
          expect(out.shape).to.deep.equal(shape);
          multiIndices(shape).forEach((index, k) => {
            const want = run(
              scalar(a.data[sourceIndex(index, shape, sa)]),
              scalar(b.data[sourceIndex(index, shape, sb)]),
            ).data[0];
            expect(Object.is(out.data[k], want), `element ${k}: ${out.data[k]} vs ${want}`).to.be
              .true;
          });
        }),
      );

      itProperty(
        'compatible shapes: gradients pass gradcheck and have the shapes of the inputs',
        300,
        () =>
          fc.property(compatibleShapes(2), fc.integer(), ([sa, sb], seed) => {
            const rng = new Random(seed);
            // Distinct continuous values: maximum and minimum meet no tie; div's divisor stays in [0.5, 2).
            const a = leaf(sa, rng, rangeA);
            const b = leaf(sb, rng, rangeB);
            expect(gradcheck(run, [a, b])).to.equal(true);
            expectGradientShapes([a, b], run(a, b), rng);
          }),
      );

      itProperty('incompatible shapes: the shape error names the op and both shapes', 200, () =>
        fc.property(incompatiblePair, ({ a, b, axisFromEnd, sa, sb }) => {
          const ta = new Tensor(new Float64Array(count(a)), a);
          const tb = new Tensor(new Float64Array(count(b)), b);
          expect(() => run(ta, tb)).to.throw(
            `${name}: cannot broadcast shapes ${fmt(a)} and ${fmt(b)} ` +
              `(axis -${axisFromEnd} has sizes ${sa} and ${sb}; they must be equal or one of them 1)`,
          );
        }),
      );
    });
  }

  describe('where (condition, a, b)', () => {
    const op = registeredOp('where');
    const run = (c: Tensor, a: Tensor, b: Tensor) => op.run([c, a, b], {});
    const condition = (shape: Shape, rng: Random) => {
      const data = new Float64Array(count(shape));
      for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < 0.5 ? 1 : 0;
      return new Tensor(data, shape);
    };

    itProperty('compatible shapes: output shape and values as selected by hand', 400, () =>
      fc.property(compatibleShapes(3), fc.integer(), ([sc, sa, sb], seed) => {
        const rng = new Random(seed);
        const [c, a, b] = [condition(sc, rng), leaf(sa, rng, null), leaf(sb, rng, null)];
        const out = run(c, a, b);
        const shape = expectedShape([sc, sa, sb]);
        expect(out.shape).to.deep.equal(shape);
        multiIndices(shape).forEach((index, k) => {
          const want =
            c.data[sourceIndex(index, shape, sc)] !== 0
              ? a.data[sourceIndex(index, shape, sa)]
              : b.data[sourceIndex(index, shape, sb)];
          expect(Object.is(out.data[k], want), `element ${k}`).to.be.true;
        });
      }),
    );

    itProperty(
      'compatible shapes: gradients pass gradcheck and have the shapes of the inputs; the condition gets none',
      300,
      () =>
        fc.property(compatibleShapes(3), fc.integer(), ([sc, sa, sb], seed) => {
          const rng = new Random(seed);
          const [c, a, b] = [condition(sc, rng), leaf(sa, rng, null), leaf(sb, rng, null)];
          expect(gradcheck(run, [c, a, b])).to.equal(true);
          expectGradientShapes([c, a, b], run(c, a, b), rng);
        }),
    );

    itProperty('incompatible shapes: the shape error names where and all three shapes', 200, () =>
      fc.property(incompatiblePair, anyShape, fc.nat(2), ({ a, b }, other, position) => {
        // The clashing pair goes into two of the three places; the third shape is a
        // scalar-like [1,...] that broadcasts with anything.
        const filler = other.map(() => 1);
        const shapes = [filler, filler, filler];
        const [i, j] = [
          [0, 1],
          [0, 2],
          [1, 2],
        ][position];
        shapes[i] = a;
        shapes[j] = b;
        const tensors = shapes.map((s) => new Tensor(new Float64Array(count(s)), s));
        expect(() => run(tensors[0], tensors[1], tensors[2])).to.throw(
          `where: cannot broadcast shapes ${shapes.map(fmt).join(' and ')} (axis -`,
        );
      }),
    );
  });
});
