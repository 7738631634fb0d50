import { expect } from 'chai';
import fc from 'fast-check';
import { permute, reshape, transpose } from '../../src/core/ops';
import { Tensor } from '../../src/core/tensor';
import { itProperty } from './run-property';

// reshape, permute and transpose only move values: a round trip gives back the same
// data bit for bit (NaN, -0 and Infinity included), and the gradient of a round trip is
// the upstream gradient, again bit for bit. permute is also checked element by element
// against an index computation written here.

type Shape = number[];

const count = (s: Shape) => s.reduce((n, d) => n * d, 1);

/** Up to 4-D, sizes 0..4 (an empty axis now and then). */
const shape = fc
  .noBias(fc.integer({ min: 0, max: 4 }))
  .chain((n) =>
    fc.array(
      fc.oneof(
        { arbitrary: fc.noBias(fc.integer({ min: 1, max: 4 })), weight: 12 },
        { arbitrary: fc.constant(0), weight: 1 },
      ),
      { minLength: n, maxLength: n },
    ),
  );

/** A tensor of `s` holding any doubles, NaN and -0 included. */
const tensorOf = (s: Shape) =>
  fc
    .array(fc.double(), { minLength: count(s), maxLength: count(s) })
    .map((values) => new Tensor(Float64Array.from(values), s, true));

/** A permutation of 0..n-1, with some axes given negative (counted from the end). */
const permutation = (n: number) =>
  fc
    .tuple(
      fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    )
    .map(([axes, negative]) => ({
      axes,
      written: axes.map((a, i) => (negative[i] ? a - n : a)),
    }));

/** A shape with the same number of elements: `s`'s sizes regrouped, plus some axes of 1. */
const reshapeTarget = (s: Shape) =>
  fc
    .tuple(
      fc.shuffledSubarray(s, { minLength: s.length, maxLength: s.length }),
      fc.nat(3),
      fc.nat(4),
    )
    .map(([sizes, ones, cut]) => {
      // Two neighbours multiplied into one axis, then `ones` axes of size 1 inserted.
      const merged = sizes.slice();
      if (merged.length >= 2) {
        const at = cut % (merged.length - 1);
        merged.splice(at, 2, merged[at] * merged[at + 1]);
      }
      for (let i = 0; i < ones; i++) merged.splice((cut + i) % (merged.length + 1), 0, 1);
      return merged;
    });

const bitEqual = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

/** Backpropagates `upstream` from `out` and returns the gradient of `x`. */
function gradientThrough(x: Tensor, out: Tensor, upstream: Float64Array): Float64Array {
  x.grad = null;
  out.backward(new Tensor(upstream, out.shape));
  return x.grad!.data;
}

describe('property: round trips', () => {
  itProperty(
    'reshape to another shape and back gives the same data and shape, bit for bit',
    1000,
    () =>
      fc.property(
        shape.chain((s) => fc.tuple(tensorOf(s), reshapeTarget(s), fc.nat())),
        ([x, target, inferred]) => {
          // Sometimes write one axis of the target as -1, to be inferred.
          const written =
            target.length > 0 && count(target) > 0 && inferred % 2 === 0
              ? target.map((d, i) => (i === inferred % target.length ? -1 : d))
              : target;
          const there = reshape(x, written);
          expect(there.shape).to.deep.equal(target);
          const back = reshape(there, x.shape);
          expect(back.shape).to.deep.equal(x.shape);
          expect(bitEqual(there.data, x.data)).to.be.true;
          expect(bitEqual(back.data, x.data)).to.be.true;
          expect(back.data).to.not.equal(x.data); // a copy, not the same array
          const upstream = Float64Array.from(x.data, (_, i) => i - 0.5);
          expect(bitEqual(gradientThrough(x, back, upstream), upstream)).to.be.true;
        },
      ),
  );

  itProperty(
    'permute by a permutation, then by its inverse, gives the same data, bit for bit; each element lands where its index says',
    1000,
    () =>
      fc.property(
        shape.chain((s) => fc.tuple(tensorOf(s), permutation(s.length))),
        ([x, { axes, written }]) => {
          const there = permute(x, written);
          const shapeThere = axes.map((a) => x.shape[a]);
          expect(there.shape).to.deep.equal(shapeThere);
          // Element at index j of the output is the input element at index i with i[axes[k]] = j[k].
          const stridesIn = x.shape.map((_, k) => count(x.shape.slice(k + 1)));
          for (let flat = 0; flat < there.size; flat++) {
            let rest = flat;
            let source = 0;
            for (let k = 0; k < shapeThere.length; k++) {
              const stride = count(shapeThere.slice(k + 1));
              const j = Math.floor(rest / stride);
              rest -= j * stride;
              source += j * stridesIn[axes[k]];
            }
            expect(Object.is(there.data[flat], x.data[source]), `output element ${flat}`).to.be
              .true;
          }
          const inverse = axes.map((_, i) => axes.indexOf(i));
          const back = permute(there, inverse);
          expect(back.shape).to.deep.equal(x.shape);
          expect(bitEqual(back.data, x.data)).to.be.true;
          const upstream = Float64Array.from(x.data, (_, i) => i + 0.25);
          expect(bitEqual(gradientThrough(x, back, upstream), upstream)).to.be.true;
        },
      ),
  );

  itProperty(
    'transpose twice gives the same matrix, bit for bit; transpose is permute [1, 0]',
    500,
    () =>
      fc.property(
        fc
          .tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }))
          .chain(([r, c]) => tensorOf([r, c])),
        (x) => {
          const once = transpose(x);
          expect(once.shape).to.deep.equal([x.shape[1], x.shape[0]]);
          expect(bitEqual(once.data, permute(x, [1, 0]).data)).to.be.true;
          const twice = transpose(once);
          expect(twice.shape).to.deep.equal(x.shape);
          expect(bitEqual(twice.data, x.data)).to.be.true;
          const upstream = Float64Array.from(x.data, (_, i) => -i);
          expect(bitEqual(gradientThrough(x, twice, upstream), upstream)).to.be.true;
        },
      ),
  );
});
