import { MaskgradError } from '../errors';
import { noGrad } from '../autograd';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { formatShape, normalizeAxes, shapeSize, stridesOf } from '../shape';
import { Tensor, TensorLike, toTensor } from '../tensor';
import { add, div, sub } from './arithmetic';
import { defineComposite, defineOp, type OpCall } from './define';
import { exp, log } from './unary';

/** Which axes to reduce (a number or a list, negative counts from the end; all when left out). */
export interface ReduceOptions {
  axis?: number | readonly number[];
  /** Keep each reduced axis as size 1, so the result broadcasts against the input. */
  keepDims?: boolean;
}

/** How a reduction maps its input onto its output. */
interface Reduction {
  /** The output shape, with the reduced axes dropped or kept as 1. */
  shape: number[];
  /** The output shape with the reduced axes kept as 1. */
  keptShape: number[];
  /** How many input elements fall on each output element. */
  count: number;
  /** For each input element, the flat index of its output element; null when all go to one. */
  map: Int32Array | null;
}

/**
 * Checks a reduction's options: an object with only `axis` and `keepDims`. Catches
 * `sum(x, 1)` (NumPy's positional axis), which would otherwise sum over everything.
 */
function checkReduceOptions(op: string, options: unknown): void {
  if (typeof options === 'number' || Array.isArray(options)) {
    throw new MaskgradError(
      `${op}: options must be an object such as { axis: 1 }, got ${describeValue(options)}`,
    );
  }
  checkOptions(op, options, ['axis', 'keepDims']);
  const keepDims = (options as ReduceOptions).keepDims;
  if (keepDims !== undefined && typeof keepDims !== 'boolean') {
    throw new MaskgradError(
      `${op}: keepDims must be true or false, got ${describeValue(keepDims)}`,
    );
  }
}

/** A reduction's inputs and attributes, its options checked first. */
function reduceArgs(op: string, x: TensorLike, options: ReduceOptions): OpCall<ReduceOptions> {
  checkReduceOptions(op, options);
  return [[x], options];
}

function planReduction(op: string, shape: readonly number[], options: ReduceOptions): Reduction {
  checkReduceOptions(op, options);
  const axes = normalizeAxes(op, options.axis, shape.length);
  const reduced = new Array<boolean>(shape.length).fill(false);
  for (const a of axes) reduced[a] = true;
  const keptShape = shape.map((d, i) => (reduced[i] ? 1 : d));
  const outShape = options.keepDims ? keptShape : shape.filter((_, i) => !reduced[i]);
  let count = 1;
  for (const a of axes) count *= shape[a];
  const outSize = shapeSize(keptShape);
  if (outSize === 1) return { shape: outShape, keptShape, count, map: null };

  // Odometer over the input index; dst moves by the output stride of each kept axis.
  const n = shapeSize(shape);
  const map = new Int32Array(n);
  const ndim = shape.length;
  const step = stridesOf(keptShape);
  for (const a of axes) step[a] = 0;
  const counter = new Array<number>(ndim).fill(0);
  let dst = 0;
  for (let i = 0; i < n; i++) {
    map[i] = dst;
    for (let ax = ndim - 1; ax >= 0; ax--) {
      counter[ax]++;
      dst += step[ax];
      if (counter[ax] < shape[ax]) break;
      dst -= step[ax] * shape[ax];
      counter[ax] = 0;
    }
  }
  return { shape: outShape, keptShape, count, map };
}

const reduceSamples = [
  { inputs: [[2, 3, 4]], attrs: {}, note: 'all axes' },
  { inputs: [[2, 3, 4]], attrs: { axis: 1 } },
  { inputs: [[2, 3, 4]], attrs: { axis: [0, 2] }, note: 'non-contiguous axes' },
  { inputs: [[2, 3, 4]], attrs: { axis: -1, keepDims: true } },
  { inputs: [[2, 3, 4]], attrs: { axis: [0, -1], keepDims: true } },
  { inputs: [[3, 4]], attrs: { axis: 0 } },
  { inputs: [[5]], attrs: { keepDims: true } },
];

/** The sum over the given axes (all by default); d/dx = 1 for every element. */
export const sum = defineOp({
  name: 'sum',
  kind: 'reduction',
  method: 'sum',
  args: (x: TensorLike, options: ReduceOptions = {}) => reduceArgs('sum', x, options),
  forward([x], attrs): { data: Float64Array; shape: number[]; saved: Reduction } {
    const plan = planReduction('sum', x.shape, attrs);
    const out = new Float64Array(shapeSize(plan.keptShape));
    const { map } = plan;
    if (map === null) {
      let s = 0;
      for (let i = 0; i < x.data.length; i++) s += x.data[i];
      out[0] = s;
    } else {
      for (let i = 0; i < x.data.length; i++) out[map[i]] += x.data[i];
    }
    return { data: out, shape: plan.shape, saved: plan };
  },
  // d(sum)/dx = 1: each input element gets the gradient of the output it fell on.
  backward(g, { inputs: [x], saved: { map } }) {
    const gx = new Float64Array(x.data.length);
    if (map === null) gx.fill(g[0]);
    else for (let i = 0; i < gx.length; i++) gx[i] = g[map[i]];
    return [gx];
  },
  samples: reduceSamples,
});

/**
 * The maximum over the given axes (all by default); the gradient goes to the maximal
 * elements, split evenly among ties (like torch.amax).
 */
export const max = defineOp({
  name: 'max',
  kind: 'reduction',
  method: 'max',
  args: (x: TensorLike, options: ReduceOptions = {}) => reduceArgs('max', x, options),
  forward([x], attrs): { data: Float64Array; shape: number[]; saved: Reduction } {
    const plan = planReduction('max', x.shape, attrs);
    const out = new Float64Array(shapeSize(plan.keptShape));
    if (plan.count === 0 && out.length > 0) {
      throw new MaskgradError(
        `max: cannot take the maximum over an empty axis (shape ${formatShape(x.shape)}, ` +
          `axis ${formatAxis(attrs.axis)}); expected every reduced axis to have at least one element`,
      );
    }
    out.fill(-Infinity);
    const { map } = plan;
    for (let i = 0; i < x.data.length; i++) {
      const o = map === null ? 0 : map[i];
      const v = x.data[i];
      if (v > out[o] || Number.isNaN(v)) out[o] = v; // NaN wins and stays, as in PyTorch
    }
    return { data: out, shape: plan.shape, saved: plan };
  },
  // The gradient goes to the maximal elements, split evenly among ties (like torch.amax).
  backward(g, { inputs: [x], output, saved: { map } }) {
    const ties = new Float64Array(output.data.length);
    for (let i = 0; i < x.data.length; i++) {
      const o = map === null ? 0 : map[i];
      if (x.data[i] === output.data[o]) ties[o]++;
    }
    const gx = new Float64Array(x.data.length);
    for (let i = 0; i < x.data.length; i++) {
      const o = map === null ? 0 : map[i];
      if (x.data[i] === output.data[o]) gx[i] = g[o] / ties[o];
    }
    return [gx];
  },
  samples: [
    // Distinct values at least 0.1 apart, so no tie is within reach of finite differences.
    ...reduceSamples.map((s) => ({ ...s, inputs: [distinctValues(s.inputs[0])] })),
    {
      inputs: [{ shape: [2, 3], values: [1, 0.5, -1, -2, 3, 0.25] }],
      attrs: { axis: -1 },
    },
  ],
});

/** Well-separated distinct values, in a scrambled order, for a sample of the given shape. */
function distinctValues(shape: number[]): { shape: number[]; values: number[] } {
  const n = shapeSize(shape);
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(((i * 7 + 3) % n) * 0.1 - 1);
  return { shape, values };
}

function formatAxis(axis: ReduceOptions['axis']): string {
  if (axis === undefined) return 'all';
  return typeof axis === 'number' ? String(axis) : `[${axis.join(',')}]`;
}

/** How many elements a reduction of `shape` over `axis` combines into each output element. */
function reducedCount(op: string, shape: readonly number[], options: ReduceOptions): number {
  checkReduceOptions(op, options);
  const axis = options.axis;
  let count = 1;
  for (const a of normalizeAxes(op, axis, shape.length)) count *= shape[a];
  return count;
}

/** The mean over the given axes (all by default): sum / count; d/dx = 1/count. */
export const mean = defineComposite({
  name: 'mean',
  kind: 'reduction',
  method: 'mean',
  args: (x: TensorLike, options: ReduceOptions = {}) => reduceArgs('mean', x, options),
  compute([x], attrs) {
    const count = reducedCount('mean', x.shape, attrs);
    return div(sum(x, attrs), count);
  },
  samples: reduceSamples,
});

/**
 * log(sum(exp(x))) over the given axes, shifted by the maximum so that it is finite for
 * any finite x (logSumExp([1000, 1000]) is 1000 + log 2); d/dx = softmax(x) along the axes.
 */
export const logSumExp = defineComposite({
  name: 'logSumExp',
  kind: 'reduction',
  method: 'logSumExp',
  args: (x: TensorLike, options: ReduceOptions = {}) => reduceArgs('logSumExp', x, options),
  compute([x], attrs) {
    // Shift by the (detached) maximum so exp never overflows; the shift cancels in value
    // and gradient. Rows whose maximum is infinite are not shifted (avoids Inf - Inf),
    // and an empty reduction is log(0) = -Infinity, as in PyTorch.
    const keep = { axis: attrs.axis, keepDims: true };
    const empty = reducedCount('logSumExp', x.shape, attrs) === 0;
    const m = noGrad(() => (empty ? sum(x, keep) : max(x, keep))).detach(); // sum: zeros, no shift
    const shift = new Float64Array(m.data.length);
    for (let i = 0; i < shift.length; i++) shift[i] = Number.isFinite(m.data[i]) ? m.data[i] : 0;
    const s = sum(exp(sub(x, new Tensor(shift, m.shape))), attrs);
    return add(log(s), new Tensor(shift, s.shape));
  },
  samples: [
    ...reduceSamples,
    { inputs: [{ shape: [2, 2], values: [1000, 1001, -1000, -1002] }], attrs: { axis: 1 } },
  ],
});
