import { expect } from 'chai';
import fc from 'fast-check';
import {
  maskedBinaryCrossEntropyWithLogits as fused,
  maskedBinaryCrossEntropyWithLogitsComposite as composite,
} from '../../src/core/losses';
import { add, mul } from '../../src/core/ops';
import { Tensor } from '../../src/core/tensor';
import { itProperty } from './run-property';

// The masked loss on random logits, targets and masks ([N, C] up to [6, 5]; the mask of
// the same shape or one flag per class, [C]; every reduction; with and without posWeight).
// fast-check's doubles lean towards edge values (0, -0, +-1e4, tiny numbers), which is
// what these properties want; at masked entries they also draw NaN and +-Infinity.

type Reduction = 'mean' | 'sum' | 'none';
type Loss = typeof fused;

interface Case {
  n: number;
  c: number;
  logits: number[];
  targets: number[];
  /** 1 observed, 0 unknown; of length n*c, or c when perClass. */
  mask: number[];
  perClass: boolean;
  reduction: Reduction;
  posWeight: number[] | null;
}

const logit = fc.double({ min: -1e4, max: 1e4, noNaN: true });
const target = fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const flag = fc.noBias(fc.integer({ min: 0, max: 9 })).map((k) => (k < 6 ? 1 : 0));
const weight = fc.double({ min: 0, max: 10, noNaN: true });

function caseArbitrary(options: { posWeight: boolean }): fc.Arbitrary<Case> {
  return fc
    .record({
      n: fc.noBias(fc.integer({ min: 1, max: 6 })),
      c: fc.noBias(fc.integer({ min: 1, max: 5 })),
      perClass: fc.noBias(fc.integer({ min: 0, max: 3 })).map((k) => k === 0),
    })
    .chain(({ n, c, perClass }) =>
      fc.record({
        n: fc.constant(n),
        c: fc.constant(c),
        logits: fc.array(logit, { minLength: n * c, maxLength: n * c }),
        targets: fc.array(target, { minLength: n * c, maxLength: n * c }),
        mask: fc.array(flag, { minLength: perClass ? c : n * c, maxLength: perClass ? c : n * c }),
        perClass: fc.constant(perClass),
        reduction: fc.constantFrom<Reduction>('mean', 'sum', 'none'),
        posWeight: options.posWeight
          ? fc.option(fc.array(weight, { minLength: c, maxLength: c }), { nil: null })
          : fc.constant(null),
      }),
    );
}

/** Whether flat entry i of the [n, c] logits is observed. */
const observed = (k: Case, i: number) => (k.perClass ? k.mask[i % k.c] : k.mask[i]) === 1;

/** The loss and the gradient of the logits (backward with `seed` for 'none', else with 1). */
function evaluate(loss: Loss, k: Case, logits = k.logits, targets = k.targets) {
  const z = new Tensor(Float64Array.from(logits), [k.n, k.c], true);
  const y = new Tensor(Float64Array.from(targets), [k.n, k.c]);
  const m = new Tensor(Float64Array.from(k.mask), k.perClass ? [k.c] : [k.n, k.c]);
  const options = k.posWeight
    ? { reduction: k.reduction, posWeight: k.posWeight }
    : { reduction: k.reduction };
  const out = loss(z, y, m, options);
  out.backward(k.reduction === 'none' ? upstream(out.shape) : undefined);
  return { value: out.data, grad: z.grad!.data };
}

/** A fixed upstream gradient for reduction 'none': distinct, non-zero values. */
function upstream(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(
    Float64Array.from({ length: n }, (_, i) => 0.5 + i / 8),
    shape,
  );
}

const bitEqual = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

const LOSSES: [string, Loss][] = [
  ['fused', fused],
  ['composite', composite],
];

describe('property: the masked loss', () => {
  itProperty(
    'fused: equals, bit for bit, the loss over only the observed entries (and so does its gradient)',
    1000,
    () =>
      fc.property(caseArbitrary({ posWeight: false }), (k) => {
        const full = evaluate(fused, k);
        const kept = k.logits.map((_, i) => i).filter((i) => observed(k, i));
        // The observed entries alone, as a 1-D batch with no mask.
        const z = new Tensor(
          Float64Array.from(kept, (i) => k.logits[i]),
          [kept.length],
          true,
        );
        const y = new Tensor(
          Float64Array.from(kept, (i) => k.targets[i]),
          [kept.length],
        );
        const alone = fused(z, y, undefined, { reduction: k.reduction });
        if (k.reduction === 'none') {
          // The same upstream gradient, entry for entry.
          const g = upstream([k.n, k.c]).data;
          alone.backward(
            new Tensor(
              Float64Array.from(kept, (i) => g[i]),
              [kept.length],
            ),
          );
          expect(
            bitEqual(
              Float64Array.from(kept, (i) => full.value[i]),
              alone.data,
            ),
          ).to.be.true;
        } else {
          alone.backward();
          expect(Object.is(full.value[0], alone.data[0]), `${full.value[0]} vs ${alone.data[0]}`).to
            .be.true;
        }
        expect(
          bitEqual(
            Float64Array.from(kept, (i) => full.grad[i]),
            z.grad!.data,
          ),
        ).to.be.true;
      }),
  );

  itProperty(
    'fused and composite: equal the per-entry formula summed over the observed entries only (1e-12 relative)',
    600,
    () =>
      fc.property(caseArbitrary({ posWeight: true }), (k) => {
        // PyTorch's formula with pos_weight p: (1 - y) z + (1 + (p - 1) y) softplus(-z), and
        // d/dz = sigmoid(z) (1 + (p - 1) y) - p y; written here independently of src/losses.
        const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
        const sigmoid = (x: number) =>
          x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        const perEntry: number[] = [];
        const slope: number[] = [];
        let count = 0;
        k.logits.forEach((z, i) => {
          if (!observed(k, i)) {
            perEntry.push(0);
            slope.push(0);
            return;
          }
          const y = k.targets[i];
          const p = k.posWeight ? k.posWeight[i % k.c] : 1;
          perEntry.push((1 - y) * z + (1 + (p - 1) * y) * softplus(-z));
          slope.push(sigmoid(z) * (1 + (p - 1) * y) - p * y);
          count++;
        });
        const total = perEntry.reduce((a, b) => a + b, 0);
        const magnitude = perEntry.reduce((a, b) => a + Math.abs(b), 0);
        const divisor = k.reduction === 'mean' ? Math.max(count, 1) : 1;
        for (const [name, loss] of LOSSES) {
          const { value, grad } = evaluate(loss, k);
          if (k.reduction === 'none') {
            value.forEach((v, i) =>
              expect(v, `${name} entry ${i}`).to.be.closeTo(
                perEntry[i],
                1e-12 * Math.max(1, Math.abs(perEntry[i])),
              ),
            );
          } else {
            expect(value[0], name).to.be.closeTo(
              total / divisor,
              (1e-12 * Math.max(1, magnitude)) / divisor,
            );
          }
          const g = k.reduction === 'none' ? upstream([k.n, k.c]).data : null;
          grad.forEach((v, i) => {
            const want = (g ? g[i] * slope[i] : slope[i]) / divisor;
            expect(v, `${name} gradient ${i}`).to.be.closeTo(
              want,
              1e-12 * Math.max(1, Math.abs(want)),
            );
          });
        }
      }),
  );

  const junk = fc.array(fc.double(), { minLength: 30, maxLength: 30 });

  itProperty(
    'fused and composite: any change at masked entries (NaN and Infinity too) leaves the loss and the gradient bit for bit the same, and that gradient is exactly +0 at masked entries',
    1000,
    () =>
      fc.property(caseArbitrary({ posWeight: true }), junk, junk, (k, junkLogits, junkTargets) => {
        const logits = k.logits.map((v, i) => (observed(k, i) ? v : junkLogits[i]));
        const targets = k.targets.map((v, i) => (observed(k, i) ? v : junkTargets[i]));
        for (const [name, loss] of LOSSES) {
          const clean = evaluate(loss, k);
          const dirty = evaluate(loss, k, logits, targets);
          expect(bitEqual(dirty.value, clean.value), `${name}: loss`).to.be.true;
          expect(bitEqual(dirty.grad, clean.grad), `${name}: gradient`).to.be.true;
          dirty.grad.forEach((g, i) => {
            if (!observed(k, i))
              expect(Object.is(g, 0), `${name}: gradient ${i} is ${g}`).to.be.true;
          });
        }
      }),
  );

  itProperty(
    'fused: a change of targets at masked entries leaves the gradients of parameters upstream bit for bit the same',
    500,
    () =>
      fc.property(caseArbitrary({ posWeight: true }), junk, (k, junkTargets) => {
        // logits = x * w + b, with w and b of shape [C] broadcast over the rows.
        const run = (targets: number[]) => {
          const x = new Tensor(
            Float64Array.from(k.logits, (v) => v / 1e4),
            [k.n, k.c],
          );
          const w = new Tensor(
            Float64Array.from({ length: k.c }, (_, j) => 1 + j),
            [k.c],
            true,
          );
          const b = new Tensor(
            Float64Array.from({ length: k.c }, (_, j) => j / 4 - 1),
            [k.c],
            true,
          );
          const m = new Tensor(Float64Array.from(k.mask), k.perClass ? [k.c] : [k.n, k.c]);
          const options = k.posWeight
            ? { reduction: k.reduction, posWeight: k.posWeight }
            : { reduction: k.reduction };
          const y = new Tensor(Float64Array.from(targets), [k.n, k.c]);
          const out = fused(add(mul(x, w), b), y, m, options);
          out.backward(k.reduction === 'none' ? upstream(out.shape) : undefined);
          return [out.data, w.grad!.data, b.grad!.data];
        };
        const clean = run(k.targets);
        const dirty = run(k.targets.map((v, i) => (observed(k, i) ? v : junkTargets[i])));
        clean.forEach((values, j) => expect(bitEqual(dirty[j], values), `output ${j}`).to.be.true);
      }),
  );

  itProperty(
    'fused: at 0/1 targets the gradient keeps its relative accuracy however small it is (no cancellation in sigmoid(z) - y)',
    500,
    () =>
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -800, max: 800, noNaN: true }), fc.constantFrom(0, 1)), {
          minLength: 1,
          maxLength: 12,
        }),
        (entries) => {
          const z = new Tensor(
            Float64Array.from(entries, ([v]) => v),
            [entries.length],
            true,
          );
          const y = Float64Array.from(entries, ([, t]) => t);
          fused(z, new Tensor(y, [entries.length]), undefined, { reduction: 'sum' }).backward();
          // The exact derivative: sigmoid(z) at y = 0, -sigmoid(-z) at y = 1, written independently.
          const sigmoid = (x: number) =>
            x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
          entries.forEach(([v, t], i) => {
            const want = t === 1 ? -sigmoid(-v) : sigmoid(v);
            const got = z.grad!.data[i];
            expect(got, `z ${v}, y ${t}`).to.be.closeTo(want, 4e-16 * Math.abs(want));
          });
        },
      ),
  );

  itProperty(
    'fused and composite: loss and gradient are finite for logits in [-1e4, 1e4]',
    1000,
    () =>
      fc.property(caseArbitrary({ posWeight: true }), (k) => {
        for (const [name, loss] of LOSSES) {
          const { value, grad } = evaluate(loss, k);
          for (const v of value) expect(Number.isFinite(v), `${name}: loss ${v}`).to.be.true;
          for (const g of grad) expect(Number.isFinite(g), `${name}: gradient ${g}`).to.be.true;
        }
      }),
  );
});
