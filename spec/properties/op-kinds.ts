import { expect } from 'chai';
import '../../src'; // every op of the library, the losses included
import { broadcastShapes, shapeSize } from '../../src/core/shape';
import { registeredOps, type OpKind, type OpSample, type RegisteredOp } from '../../src/core/ops';
import { Random } from '../../src/core/random';
import { Tensor } from '../../src/core/tensor';
import { gradcheck } from '../../src/core/gradcheck';
import { sampleTensors } from '../support/samples';

// The registry is the only list of ops: the property suites draw ops by the kind each op
// declares (src/ops/define.ts says what each kind promises), and KIND_CHECKS below checks
// that promise on the op's own gradient-check samples.

/** The registered op called `name` (the properties run ops through the registry). */
export function registeredOp(name: string): RegisteredOp {
  const op = registeredOps().find((o) => o.name === name);
  if (!op) throw new Error(`no op named '${name}' is registered`);
  return op;
}

/** The names of the registered ops of one kind, as registered when this is called. */
export function opsOfKind(kind: OpKind): string[] {
  return registeredOps()
    .filter((op) => op.kind === kind)
    .map((op) => op.name);
}

/** The sample's tensors, seeded by the op's name and the sample's position. */
export function sampleInputs(op: RegisteredOp, index: number): Tensor[] {
  return sampleTensors(op.samples[index].inputs, new Random(`${op.name}-${index}`));
}

/** Each element of `t` alone, as a tensor of shape []. */
const elements = (t: Tensor) => Array.from(t.data, (v) => new Tensor(new Float64Array([v]), []));

/** The flat index into `shape` of output element k of `out`, broadcast (NumPy's rules). */
function sourceIndex(k: number, out: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  let rest = k;
  const index = new Array<number>(out.length);
  for (let i = out.length - 1; i >= 0; i--) {
    index[i] = rest % out[i];
    rest = Math.floor(rest / out[i]);
  }
  for (let i = 0; i < shape.length; i++) {
    const j = index[out.length - shape.length + i];
    flat = flat * shape[i] + (shape[i] === 1 ? 0 : j);
  }
  return flat;
}

const same = (a: number, b: number, what: string) =>
  expect(Object.is(a, b), `${what}: ${a} vs ${b}`).to.equal(true);

/** An elementwise op with broadcasting: each output element is the op on its input elements alone. */
function checkBroadcastElementwise(op: RegisteredOp, sample: OpSample<any>, inputs: Tensor[]) {
  const attrs = sample.attrs ?? {};
  const out = op.run(inputs, attrs);
  const shape = broadcastShapes(op.name, ...inputs.map((t) => t.shape));
  expect(out.shape, `${op.name}: output shape`).to.deep.equal(shape);
  for (let k = 0; k < out.size; k++) {
    const scalars = inputs.map(
      (t) => new Tensor(new Float64Array([t.data[sourceIndex(k, shape, t.shape)]]), []),
    );
    same(out.data[k], op.run(scalars, attrs).data[0], `${op.name}: element ${k}`);
  }
}

/**
 * What each kind promises, checked on every sample of an op. Throws (a chai assertion)
 * naming the op when the promise is broken.
 */
export const KIND_CHECKS: Record<OpKind, (op: RegisteredOp) => void> = {
  unary(op) {
    op.samples.forEach((sample, s) => {
      const [x] = sampleInputs(op, s);
      const attrs = sample.attrs ?? {};
      const out = op.run([x], attrs);
      expect(out.shape, `${op.name}: output shape`).to.deep.equal(x.shape);
      out.sum().backward();
      elements(x).forEach((xi, i) => {
        xi.requiresGrad = true;
        const yi = op.run([xi], attrs);
        same(out.data[i], yi.data[0], `${op.name}: element ${i}`);
        yi.backward();
        same(x.grad!.data[i], xi.grad!.data[0], `${op.name}: gradient of element ${i}`);
      });
    });
  },
  binary(op) {
    op.samples.forEach((sample, s) => checkBroadcastElementwise(op, sample, sampleInputs(op, s)));
  },
  select(op) {
    op.samples.forEach((sample, s) => {
      const inputs = sampleInputs(op, s);
      checkBroadcastElementwise(op, sample, inputs);
      inputs.forEach((t) => (t.requiresGrad = true));
      op.run(inputs, sample.attrs ?? {})
        .sum()
        .backward();
      expect(inputs[0].grad, `${op.name}: the condition gets no gradient`).to.equal(null);
    });
  },
  reduction(op) {
    op.samples.forEach((sample, s) => {
      const [x] = sampleInputs(op, s);
      const { axis, keepDims } = (sample.attrs ?? {}) as {
        axis?: number | number[];
        keepDims?: boolean;
      };
      const axes = axis === undefined ? x.shape.map((_, i) => i) : [axis].flat();
      const reduced = axes.map((a) => (a < 0 ? a + x.ndim : a));
      const want = keepDims
        ? x.shape.map((d, i) => (reduced.includes(i) ? 1 : d))
        : x.shape.filter((_, i) => !reduced.includes(i));
      expect(op.run([x], sample.attrs ?? {}).shape, `${op.name}: output shape`).to.deep.equal(want);
    });
  },
  shape(op) {
    op.samples.forEach((sample, s) => {
      const inputs = sampleInputs(op, s);
      const values = new Set(inputs.flatMap((t) => Array.from(t.data)));
      const out = op.run(inputs, sample.attrs ?? {});
      out.data.forEach((v, i) =>
        expect(values.has(v), `${op.name}: output element ${i} (${v}) is an input value`).to.equal(
          true,
        ),
      );
    });
  },
  matmul(op) {
    op.samples.forEach((sample, s) => {
      const inputs = sampleInputs(op, s);
      const attrs = sample.attrs ?? {};
      const out = op.run(inputs, attrs);
      for (const k of [0, 1]) {
        const doubled = inputs.map((t, j) =>
          j === k
            ? new Tensor(
                t.data.map((v) => 2 * v),
                t.shape,
              )
            : t,
        );
        const out2 = op.run(doubled, attrs);
        out.data.forEach((v, i) =>
          same(out2.data[i], 2 * v, `${op.name}: input ${k + 1} doubled, element ${i}`),
        );
      }
    });
  },
  loss(op) {
    op.samples.forEach((sample, s) => {
      const inputs = sampleInputs(op, s);
      const attrs = (sample.attrs ?? {}) as { reduction?: string };
      const out = op.run(inputs, attrs);
      const want = attrs.reduction === 'none' ? inputs[0].shape : [];
      expect(out.shape, `${op.name}: output shape`).to.deep.equal(want);
      out.data.forEach((v, i) =>
        expect(Number.isFinite(v), `${op.name}: element ${i} finite`).to.equal(true),
      );
    });
  },
  other() {
    // Nothing is promised beyond the gradient check of the samples.
  },
};

/** The values for input k of an op, in the range its first sample states for it (else standard normal). */
export function sampleRange(
  op: RegisteredOp,
  k: number,
  sampleIndex = 0,
): { low: number; high: number } | null {
  const input = op.samples[sampleIndex]?.inputs[k];
  if (!input || Array.isArray(input) || input.low === undefined || input.high === undefined)
    return null;
  return { low: input.low, high: input.high };
}

export const count = (s: readonly number[]) => shapeSize(s);

/** Runs gradcheck on sample `index` of an op, as spec/ops.gradcheck.spec.ts does for every op. */
export function gradcheckSample(op: RegisteredOp, index: number): boolean {
  const attrs = op.samples[index].attrs ?? {};
  return gradcheck((...xs) => op.run(xs, attrs), sampleInputs(op, index));
}
