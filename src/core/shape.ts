import { MaskgradError } from './errors';
/** Shapes, strides, broadcasting and the shape errors every op shares. */

import { describeValue } from './describe-value';

export type Shape = readonly number[];

export function formatShape(shape: Shape): string {
  // A shape from the caller may hold anything (a deep array would overflow join's recursion).
  let text = '';
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    text += (i > 0 ? ',' : '') + (typeof d === 'number' ? String(d) : describeValue(d));
  }
  return `[${text}]`;
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major strides: the step in the flat array for one step along each axis. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Checks that `shape` is a list of non-negative integers. */
export function checkShape(shape: unknown, where: string): number[] {
  if (!Array.isArray(shape)) {
    throw new MaskgradError(
      `${where}: shape must be an array of non-negative integers, got ${describeValue(shape)}`,
    );
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new MaskgradError(
        `${where}: shape must be an array of non-negative integers, got ${describeValue(shape)}`,
      );
    }
  }
  return shape.slice();
}

/**
 * The entry check of broadcastShapes and sumToShape: `op` a string (the name their errors
 * give) and every shape an array of non-negative integers. Cheap (one pass over the axes), as
 * every elementwise op calls broadcastShapes.
 */
function checkShapeArguments(
  fn: string,
  op: unknown,
  shapes: readonly unknown[],
  names?: readonly string[],
): void {
  if (typeof op !== 'string') {
    throw new MaskgradError(
      `${fn}: op must be a string (the name errors give), got ${describeValue(op)}`,
    );
  }
  for (let k = 0; k < shapes.length; k++) {
    const s = shapes[k];
    let ok = Array.isArray(s);
    for (let i = 0; ok && i < (s as unknown[]).length; i++) {
      const d = (s as unknown[])[i];
      ok = typeof d === 'number' && d >= 0 && Number.isInteger(d);
    }
    if (!ok) {
      throw new MaskgradError(
        `${fn === op ? fn : `${op}: ${fn}`}: ${names ? names[k] : `shape ${k + 1}`} must be an array of non-negative integers, got ${describeValue(s)}`,
      );
    }
  }
}

/** NumPy broadcasting: align trailing axes; each pair must be equal or contain a 1. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  checkShapeArguments('broadcastShapes', op, shapes);
  const ndim = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    const offset = ndim - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i];
      const o = out[offset + i];
      if (o === d || d === 1) continue;
      if (o === 1) {
        out[offset + i] = d;
        continue;
      }
      throw new MaskgradError(
        `${op}: cannot broadcast shapes ${shapes.map(formatShape).join(' and ')} ` +
          `(axis ${i - s.length} has sizes ${o} and ${d}; they must be equal or one of them 1)`,
        { code: 'ERR_SHAPE' },
      );
    }
  }
  return out;
}

/**
 * For each output position, the flat index into an input of shape `from` broadcast to `to`.
 * `from` must broadcast to `to` (checked by the caller).
 */
function broadcastIndexMap(from: Shape, to: Shape): Int32Array {
  const offset = to.length - from.length;
  const fromStrides = stridesOf(from);
  // Stride of each output axis in the input: 0 where the input is broadcast along it.
  const step = new Array<number>(to.length).fill(0);
  for (let i = 0; i < from.length; i++) step[offset + i] = from[i] === 1 ? 0 : fromStrides[i];
  return stridedIndexMap(to, step);
}

/**
 * For each position of `shape` in row-major order, the flat index `sum_ax index[ax] * step[ax]`
 * into another array: the input that a broadcast or a permutation reads.
 */
export function stridedIndexMap(shape: Shape, step: readonly number[]): Int32Array {
  const n = shapeSize(shape);
  const map = new Int32Array(n);
  const counter = new Array<number>(shape.length).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    map[k] = src;
    // Odometer increment over the output index, moving src by the matching steps.
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      counter[ax]++;
      src += step[ax];
      if (counter[ax] < shape[ax]) break;
      src -= step[ax] * shape[ax];
      counter[ax] = 0;
    }
  }
  return map;
}

/** The data of a tensor of shape `from`, repeated to shape `to` (a fresh array). */
export function expandData(data: Float64Array, from: Shape, to: Shape): Float64Array {
  const n = shapeSize(to);
  const out = new Float64Array(n);
  if (data.length === 1) {
    out.fill(data[0]);
    return out;
  }
  if (data.length === n) {
    out.set(data);
    return out;
  }
  // Fast path: trailing block repeated (e.g. a bias [C] over rows [N,C]).
  const offset = to.length - from.length;
  let leadingOnes = true;
  for (let i = 0; i < from.length; i++) {
    if (from[i] !== to[offset + i]) leadingOnes = false;
  }
  if (leadingOnes) {
    for (let k = 0; k < n; k += data.length) out.set(data, k);
    return out;
  }
  const map = broadcastIndexMap(from, to);
  for (let k = 0; k < n; k++) out[k] = data[map[k]];
  return out;
}

/**
 * The reverse of broadcasting: sums a gradient of shape `from` down to shape `to`,
 * over every axis along which `to` was broadcast. This is the one place where
 * broadcasting is undone in backward.
 */
export function sumToShape(grad: Float64Array, from: Shape, to: Shape): Float64Array {
  if (!(grad instanceof Float64Array)) {
    throw new MaskgradError(
      `sumToShape: grad must be a Float64Array (the gradient's values), got ${describeValue(grad)}`,
    );
  }
  checkShapeArguments('sumToShape', 'sumToShape', [from, to], ['from', 'to']);
  const n = shapeSize(to);
  if (grad.length === n && shapesEqual(from, to)) return grad;
  checkSumToShape(grad, from, to);
  if (grad.length === n) return grad;
  const out = new Float64Array(n);
  if (n === 1) {
    let s = 0;
    for (let k = 0; k < grad.length; k++) s += grad[k];
    out[0] = s;
    return out;
  }
  const offset = from.length - to.length;
  let leadingOnly = true;
  for (let i = 0; i < to.length; i++) if (to[i] !== from[offset + i]) leadingOnly = false;
  if (leadingOnly) {
    // Rows of length n summed together (e.g. the bias gradient of a batch).
    for (let k = 0; k < grad.length; k += n) {
      for (let j = 0; j < n; j++) out[j] += grad[k + j];
    }
    return out;
  }
  const map = broadcastIndexMap(to, from);
  for (let k = 0; k < grad.length; k++) out[map[k]] += grad[k];
  return out;
}

/** Checks that `grad` has the size of `from` and that `to` broadcasts to `from`. */
function checkSumToShape(grad: Float64Array, from: Shape, to: Shape): void {
  if (grad.length !== shapeSize(from)) {
    throw new MaskgradError(
      `sumToShape: the gradient has ${grad.length} values but its shape ${formatShape(from)} needs ${shapeSize(from)}`,
    );
  }
  const offset = from.length - to.length;
  let ok = offset >= 0;
  for (let i = 0; ok && i < to.length; i++) ok = to[i] === from[offset + i] || to[i] === 1;
  if (!ok) {
    throw new MaskgradError(
      `sumToShape: cannot sum a gradient of shape ${formatShape(from)} down to shape ${formatShape(to)} ` +
        `(expected a shape that broadcasts to ${formatShape(from)})`,
    );
  }
}

/**
 * Turns an axis argument (a number, a list, or undefined for all axes) into sorted,
 * non-negative, distinct axes, with an error naming the op for anything out of range.
 */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (axis === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axis !== 'number' && !Array.isArray(axis)) {
    throw new MaskgradError(
      `${op}: axis must be an integer or an array of integers, got ${describeValue(axis)}`,
    );
  }
  const list: readonly number[] = typeof axis === 'number' ? [axis] : [...axis];
  const seen = new Set<number>();
  for (const a of list) {
    if (typeof a !== 'number' || !Number.isInteger(a) || a < -ndim || a >= ndim) {
      throw new MaskgradError(
        `${op}: axis ${describeValue(a)} is out of range for a tensor with ${ndim} dimension${ndim === 1 ? '' : 's'} ` +
          `(expected an integer in [${-ndim}, ${ndim - 1}])`,
      );
    }
    const na = a < 0 ? a + ndim : a;
    if (seen.has(na))
      throw new MaskgradError(`${op}: axis ${a} is repeated in [${list.join(',')}]`);
    seen.add(na);
  }
  return [...seen].sort((x, y) => x - y);
}

/** Normalizes a single axis, allowing negative values. */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  return normalizeAxes(op, axis, ndim)[0];
}
