import { expect } from 'chai';
import fc from 'fast-check';
import { gradcheck } from '../../src/core/gradcheck';
import { Random } from '../../src/core/random';
import { Tensor } from '../../src/core/tensor';
import type { RegisteredOp } from '../../src/core/ops';
import { opsOfKind, registeredOp, sampleRange } from './op-kinds';
import { itProperty } from './run-property';

// Random small expression graphs: one to three leaf inputs (shapes that broadcast
// together), then two to six steps, each an op drawn from the registry by kind (every
// 'unary', 'binary', 'select' and 'reduction' op registered when the property runs, so a
// new op of these kinds is drawn without touching this file), applied to the newest node
// and, for a binary op, to any earlier node (inputs and intermediate results get reused).
// The result must pass gradcheck for every input.
//
// Values stay inside each op's domain and away from kinks: an elementwise op is applied
// with the attributes of one of its samples, and an operand for which that sample states a
// range [low, high] is first mapped into it (low + (high - low) sigmoid(x)), so log sees
// positive values and a divisor stays away from 0. Every value is continuous random, so no
// two distinct values meet at a kink of abs, relu, clamp, maximum, minimum or max (ties
// that the graph itself makes, like maximum(x, x), are the same on both sides of a finite
// difference and so pass). A graph whose values leave [-1e3, 1e3] (exp of exp) is skipped
// with fc.pre.

type Shape = number[];

interface Step {
  /** Which op, an index into the pool below (taken modulo its length). */
  op: number;
  /** Which input the first step starts from, and which earlier node a binary op also takes. */
  first: number;
  second: number;
  /** A variant: which sample of an elementwise op gives its attributes, the axes of a reduction. */
  variant: number;
  keepDims: boolean;
}

interface Graph {
  inputShapes: Shape[];
  steps: Step[];
  seed: number;
}

/** The ops drawn, by kind, read from the registry when the property first runs. */
let pool: { all: string[]; unary: string[]; binary: string[]; select: string[] } | null = null;
function drawable() {
  if (!pool) {
    const [unary, binary, select] = [opsOfKind('unary'), opsOfKind('binary'), opsOfKind('select')];
    pool = {
      all: [...unary, ...binary, ...select, ...opsOfKind('reduction')],
      unary,
      binary,
      select,
    };
  }
  return pool;
}

// Uniform draws: fast-check's bias towards small values would make most shapes scalars.
const size = fc.noBias(fc.integer({ min: 1, max: 3 }));
const ndim = fc.oneof(
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.noBias(fc.integer({ min: 1, max: 3 })), weight: 6 },
);
/** The base shape with, sometimes, leading axes dropped, and each axis 1 with probability 0.3. */
const variantOf = (base: Shape) =>
  fc
    .tuple(
      fc.oneof(fc.constant(0), fc.noBias(fc.integer({ min: 0, max: base.length }))),
      fc.array(
        fc.noBias(fc.integer({ min: 0, max: 9 })).map((k) => k < 3),
        { minLength: base.length, maxLength: base.length },
      ),
    )
    .map(([drop, ones]) => base.slice(drop).map((d, i) => (ones[drop + i] ? 1 : d)));

const graphArbitrary: fc.Arbitrary<Graph> = ndim
  .chain((n) => fc.array(size, { minLength: n, maxLength: n }))
  .chain((base) =>
    fc.record({
      inputShapes: fc.array(variantOf(base), { minLength: 1, maxLength: 3 }),
      steps: fc.array(
        fc.record({
          op: fc.nat(),
          first: fc.nat(),
          second: fc.nat(),
          variant: fc.nat(),
          keepDims: fc.boolean(),
        }),
        { minLength: 2, maxLength: 6 },
      ),
      seed: fc.integer(),
    }),
  );

const count = (s: Shape) => s.reduce((n, d) => n * d, 1);

/** Whether two shapes broadcast together. */
function compatible(a: Shape, b: Shape): boolean {
  for (let k = 1; k <= Math.min(a.length, b.length); k++) {
    const x = a[a.length - k];
    const y = b[b.length - k];
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

const run = (name: string, inputs: (Tensor | number)[], attrs: object = {}) =>
  registeredOp(name).run(inputs, attrs);

/** x mapped smoothly into the range that `op`'s sample states for input k, if it states one. */
function inDomain(op: RegisteredOp, k: number, sample: number, x: Tensor): Tensor {
  const range = sampleRange(op, k, sample);
  if (!range) return x;
  return run('add', [run('mul', [run('sigmoid', [x]), range.high - range.low]), range.low]);
}

/** The reduction options `variant` picks for a tensor with `ndim` axes. */
function reduceOptions(variant: number, ndim: number, keepDims: boolean): object {
  const choices: (number | number[] | undefined)[] = [undefined];
  for (let a = -ndim; a < ndim; a++) choices.push(a);
  for (let a = 0; a < ndim; a++) for (let b = a + 1; b < ndim; b++) choices.push([a, b]);
  const axis = choices[variant % choices.length];
  return axis === undefined ? { keepDims } : { axis, keepDims };
}

/** Describes a step the way it was applied, for the failure report. */
type Trace = string[];

/**
 * Builds the graph on `inputs`. Choices depend only on shapes and the fixed `constants`
 * (conditions of where), so every call (gradcheck calls it many times) builds the same graph.
 */
function build(graph: Graph, inputs: Tensor[], constants: Map<number, Tensor>, trace?: Trace) {
  const nodes: Tensor[] = [...inputs];
  const names = inputs.map((_, i) => `x${i}`);
  const { all, unary, binary, select } = drawable();
  graph.steps.forEach((step, k) => {
    const name = all[step.op % all.length];
    const op = registeredOp(name);
    // The first operand is the newest node (so the output depends on every step), except
    // at the first step, which starts from one of the inputs; the second operand of a
    // binary op is any earlier node, so inputs and intermediate results get reused.
    const at = k === 0 ? step.first % nodes.length : nodes.length - 1;
    const x = nodes[at];
    const xName = names[at];
    const sample = step.variant % op.samples.length;
    const attrs: object = op.samples[sample].attrs ?? {};
    const attrText = Object.keys(attrs).length ? `, ${JSON.stringify(attrs)}` : '';
    const guarded = (j: number, text: string) =>
      sampleRange(op, j, sample) ? `in-range ${text}` : text;
    let out: Tensor;
    let text: string;
    if (unary.includes(name)) {
      out = run(name, [inDomain(op, 0, sample, x)], attrs);
      text = `${name}(${guarded(0, xName)}${attrText})`;
    } else if (binary.includes(name) || select.includes(name)) {
      const candidates = nodes
        .map((t, i) => [t, i] as const)
        .filter(([t]) => compatible(t.shape, x.shape));
      const [y, yi] = candidates[step.second % candidates.length];
      if (select.includes(name)) {
        let cond = constants.get(k);
        if (!cond) {
          const rng = new Random(`${graph.seed}:${k}`);
          const data = new Float64Array(count(x.shape));
          for (let i = 0; i < data.length; i++) data[i] = rng.uniform() < 0.5 ? 1 : 0;
          cond = new Tensor(data, x.shape);
          constants.set(k, cond);
        }
        out = run(name, [cond, inDomain(op, 1, sample, x), inDomain(op, 2, sample, y)], attrs);
        text = `${name}(cond, ${guarded(1, xName)}, ${guarded(2, names[yi])}${attrText})`;
      } else {
        out = run(name, [inDomain(op, 0, sample, x), inDomain(op, 1, sample, y)], attrs);
        text = `${name}(${guarded(0, xName)}, ${guarded(1, names[yi])}${attrText})`;
      }
    } else {
      const options = reduceOptions(step.variant, x.ndim, step.keepDims);
      out = run(name, [x], options);
      text = `${name}(${xName}, ${JSON.stringify(options)})`;
    }
    nodes.push(out);
    names.push(`n${k}`);
    trace?.push(`n${k} = ${text}: shape [${out.shape.join(',')}]`);
  });
  return { output: nodes[nodes.length - 1], nodes };
}

describe('property: random expression graphs', () => {
  it('draws every registered op of the elementwise kinds and the reductions', () => {
    expect(drawable().all.length).to.be.greaterThan(15);
    expect(drawable().all).to.include.members([
      'add',
      'where',
      'exp',
      'clamp',
      'pow',
      'sum',
      'logSumExp',
    ]);
  });

  itProperty('a few ops of the registry, inputs reused, pass gradcheck', 1500, () =>
    fc.property(graphArbitrary, (graph) => {
      const rng = new Random(graph.seed);
      const inputs = graph.inputShapes.map((shape) => {
        const data = new Float64Array(count(shape));
        for (let i = 0; i < data.length; i++) data[i] = rng.normal();
        return new Tensor(data, shape, true);
      });
      const constants = new Map<number, Tensor>();
      const trace: Trace = [`inputs ${graph.inputShapes.map((s) => `[${s}]`).join(' ')}`];
      const { nodes } = build(graph, inputs, constants, trace);
      const inRange = nodes.every((t) => t.data.every((v) => Math.abs(v) <= 1e3));
      fc.pre(inRange);
      try {
        gradcheck((...xs) => build(graph, xs, constants).output, inputs);
      } catch (error) {
        throw new Error(`${(error as Error).message}\ngraph:\n  ${trace.join('\n  ')}`);
      }
    }),
  );
});
