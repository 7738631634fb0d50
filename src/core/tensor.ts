import { MaskgradError } from './errors';
import { runBackward, type GraphNode } from './autograd';
import { checkOptions } from './check-options';
import { describeValue, excerpt } from './describe-value';
import { Random, randomFrom } from './random';
import { checkShape, formatShape, Shape, shapeSize, shapesEqual } from './shape';

/** Anything an op accepts where a tensor is expected: a Tensor, or a number used as a scalar. */
export type TensorLike = Tensor | number;

/** Nested arrays of numbers, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array of float64 numbers with an optional gradient.
 * `data` is row-major; `shape` lists the size of each axis ([] for a scalar).
 */
export class Tensor {
  readonly data: Float64Array;
  readonly shape: number[];
  /** The accumulated gradient of the last `backward()` calls, for tensors that require it. */
  grad: Tensor | null = null;
  /** Whether gradients flow to (and are stored on) this tensor. */
  requiresGrad: boolean;
  /** The op that made this tensor, when it was made with gradients on. */
  node: GraphNode | null = null;
  /**
   * How many times `data` has been changed in place through markModified (as PyTorch's
   * `_version`). An op records its inputs' versions when it runs, and backward refuses
   * (ERR_STATE) when they differ, rather than give a wrong gradient. Writing to `data`
   * directly is not seen unless the writer calls markModified; a `detach()`ed tensor,
   * which shares `data`, has its own count.
   */
  version = 0;

  constructor(data: Float64Array, shape: readonly number[], requiresGrad = false) {
    if (!(data instanceof Float64Array)) {
      throw new MaskgradError(
        `Tensor: data must be a Float64Array, got ${describeValue(data)} (use tensor() to make a tensor from arrays or other typed arrays)`,
      );
    }
    if (!isShape(shape)) {
      throw new MaskgradError(
        `Tensor: shape must be an array of non-negative integers, got ${describeValue(shape)}`,
      );
    }
    if (typeof requiresGrad !== 'boolean') {
      throw new MaskgradError(
        `Tensor: requiresGrad must be true or false, got ${describeValue(requiresGrad)}`,
      );
    }
    if (data.length !== shapeSize(shape)) {
      throw new MaskgradError(
        `Tensor: data has ${data.length} values but shape ${formatShape(shape)} needs ${shapeSize(shape)}`,
      );
    }
    this.data = data;
    this.shape = shape.slice();
    this.requiresGrad = requiresGrad;
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** The single value of a tensor with one element. */
  item(): number {
    if (this.data.length !== 1) {
      throw new MaskgradError(
        `item: only a tensor with exactly one element has an item; this one has shape ${formatShape(this.shape)} (${this.data.length} elements)`,
      );
    }
    return this.data[0];
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    if (this.shape.length === 0) return this.data[0];
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[axis];
      const inner = stride / n;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] =
          axis === this.shape.length - 1
            ? this.data[offset + i]
            : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.data.length === 0 ? 0 : this.data.length);
  }

  /** Records that `data` was changed in place (optimizer steps, loading weights): see `version`. */
  markModified(): this {
    this.version++;
    return this;
  }

  /** A new tensor with the same data that is cut from the graph and requires no gradient. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  /** A copy with its own data, not connected to the graph. */
  clone(): Tensor {
    return new Tensor(this.data.slice(), this.shape, this.requiresGrad);
  }

  /**
   * Backpropagates from this tensor: every tensor in its graph that requires a gradient
   * gets d(this)/d(tensor) added to its `.grad`. A non-scalar needs `gradient` of its own shape.
   */
  backward(gradient?: Tensor): void {
    runBackward(this, gradient);
  }

  toString(): string {
    // Integers exactly; other values to 6 significant digits, with at least one decimal
    // so that 2.000001 shows as 2.0, not as the integer 2.
    const fmt = (v: number) => {
      if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
      const [mantissa, exponent] = v.toPrecision(6).split('e');
      const short = mantissa.includes('.')
        ? mantissa.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0')
        : `${mantissa}.0`;
      return exponent === undefined ? short : `${short}e${exponent}`;
    };
    const limit = 6;
    const render = (value: NestedArray): string => {
      if (typeof value === 'number') return fmt(value);
      const parts =
        value.length > limit
          ? [
              ...value.slice(0, limit / 2).map(render),
              '...',
              ...value.slice(-limit / 2).map(render),
            ]
          : value.map(render);
      return `[${parts.join(', ')}]`;
    };
    const grad = this.requiresGrad ? ', requiresGrad' : '';
    return `Tensor(shape=${formatShape(this.shape)}${grad}, ${render(this.toArray())})`;
  }
}

export interface TensorOptions {
  requiresGrad?: boolean;
  /** The shape to give flat data; nested arrays carry their own shape. */
  shape?: readonly number[];
}

/**
 * The most dimensions `tensor()` reads from nested arrays (NumPy's limit): deeper nesting, or
 * an array that contains itself, is refused with a MaskgradError instead of overflowing the
 * stack.
 */
export const MAX_NESTED_DEPTH = 64;

function inferShape(
  where: string,
  value: unknown,
  path: string,
  shape: number[],
  depth: number,
  ancestors: unknown[],
): void {
  if (Array.isArray(value)) {
    if (ancestors.includes(value)) {
      throw new MaskgradError(
        `${where}: ${excerpt(path, 60)} contains itself (a circular array); expected nested arrays of numbers`,
      );
    }
    if (depth >= MAX_NESTED_DEPTH) {
      throw new MaskgradError(
        `${where}: ${excerpt(path, 60)} is an array nested ${depth + 1} deep; expected at most ${MAX_NESTED_DEPTH} levels (dimensions)`,
      );
    }
    if (depth === shape.length) shape.push(value.length);
    else if (shape[depth] !== value.length) {
      throw new MaskgradError(
        `${where}: ragged nested array: ${path} has length ${value.length} but its siblings have length ${shape[depth]}`,
      );
    }
    ancestors.push(value);
    for (let i = 0; i < value.length; i++)
      inferShape(where, value[i], `${path}[${i}]`, shape, depth + 1, ancestors);
    ancestors.pop();
  } else if (depth !== shape.length) {
    throw new MaskgradError(
      `${where}: ragged nested array: ${path} is a number where an array was expected`,
    );
  }
}

function flatten(
  where: string,
  value: unknown,
  path: string,
  out: Float64Array,
  at: { i: number },
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) flatten(where, value[i], `${path}[${i}]`, out, at);
    return;
  }
  if (typeof value !== 'number') {
    throw new MaskgradError(
      `${where}: ${path} is ${describeValue(value)} (${typeof value}); expected a number`,
    );
  }
  out[at.i++] = value;
}

/**
 * The values and shape of a number or nested arrays of numbers; errors name `where` and
 * call the value `what` (`targets[1][2] is "x"`), so a caller can name its argument.
 */
export function flattenNested(
  where: string,
  what: string,
  value: unknown,
): { data: Float64Array; shape: number[] } {
  const shape: number[] = [];
  inferShape(where, value, what, shape, 0, []);
  const data = new Float64Array(shapeSize(shape));
  flatten(where, value, what, data, { i: 0 });
  return { data, shape };
}

/**
 * Makes a tensor from a number, nested arrays of numbers, or a flat array or typed
 * array with `options.shape`. The data is copied.
 *
 * ```ts
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = tensor(new Float64Array(6), { shape: [2, 3] });
 * ```
 */
export function tensor(
  value: NestedArray | ArrayLike<number>,
  options: TensorOptions = {},
): Tensor {
  checkOptions('tensor', options, ['requiresGrad', 'shape']);
  const requiresGrad = checkRequiresGrad('tensor', options.requiresGrad);
  if (ArrayBuffer.isView(value)) {
    if (
      value instanceof DataView ||
      value instanceof BigInt64Array ||
      value instanceof BigUint64Array
    ) {
      throw new MaskgradError(
        `tensor: expected a number, nested arrays of numbers or a typed array of numbers, got a ${value.constructor.name}`,
      );
    }
    const arr = value as unknown as ArrayLike<number>;
    const shape = options.shape ? checkShape(options.shape, 'tensor') : [arr.length];
    if (shapeSize(shape) !== arr.length) {
      throw new MaskgradError(
        `tensor: ${arr.length} values do not fill shape ${formatShape(shape)} (${shapeSize(shape)} values needed)`,
      );
    }
    return new Tensor(Float64Array.from(arr), shape, requiresGrad);
  }
  if (typeof value !== 'number' && !Array.isArray(value)) {
    throw new MaskgradError(
      `tensor: expected a number, nested arrays of numbers or a typed array, got ${describeValue(value)}`,
    );
  }
  const { data, shape: inferred } = flattenNested('tensor', 'value', value);
  let shape = inferred;
  if (options.shape) {
    shape = checkShape(options.shape, 'tensor');
    if (inferred.length > 1 && !shapesEqual(shape, inferred)) {
      throw new MaskgradError(
        `tensor: the nested array has shape ${formatShape(inferred)} but options.shape is ${formatShape(shape)}`,
      );
    }
    if (shapeSize(shape) !== data.length) {
      throw new MaskgradError(
        `tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${shapeSize(shape)} values needed)`,
      );
    }
  }
  return new Tensor(data, shape, requiresGrad);
}

/** A tensor of the given shape filled with `value`. */
export function full(
  shape: Shape,
  value: number,
  options: { requiresGrad?: boolean } = {},
): Tensor {
  const s = checkShape(shape, 'full');
  if (typeof value !== 'number')
    throw new MaskgradError(`full: value must be a number, got ${describeValue(value)}`);
  checkOptions('full', options, ['requiresGrad']);
  const requiresGrad = checkRequiresGrad('full', options.requiresGrad);
  return new Tensor(allocateData('full', shapeSize(s), s).fill(value), s, requiresGrad);
}

export function zeros(shape: Shape, options: { requiresGrad?: boolean } = {}): Tensor {
  const s = checkShape(shape, 'zeros');
  checkOptions('zeros', options, ['requiresGrad']);
  const requiresGrad = checkRequiresGrad('zeros', options.requiresGrad);
  return new Tensor(allocateData('zeros', shapeSize(s), s), s, requiresGrad);
}

export function ones(shape: Shape, options: { requiresGrad?: boolean } = {}): Tensor {
  const s = checkShape(shape, 'ones');
  checkOptions('ones', options, ['requiresGrad']);
  const requiresGrad = checkRequiresGrad('ones', options.requiresGrad);
  return new Tensor(allocateData('ones', shapeSize(s), s).fill(1), s, requiresGrad);
}

/** Random options: a seed, or a generator to continue drawing from. One of them is required. */
export interface RandomOptions {
  seed?: number | string;
  rng?: Random;
  requiresGrad?: boolean;
}

/** Uniform random numbers in [low, high) (default [0, 1)). */
export function rand(
  shape: Shape,
  options: RandomOptions & { low?: number; high?: number },
): Tensor {
  return randomTensor('rand', shape, options, ['low', 'high'], (rng) => {
    const low = options.low ?? 0;
    const high = options.high ?? 1;
    if (!isFiniteNumber(low) || !isFiniteNumber(high) || !(low <= high)) {
      throw new MaskgradError(
        `rand: low and high must be finite numbers with low <= high, got low ${describeValue(low)} and high ${describeValue(high)}`,
      );
    }
    return () => rng.uniform(low, high);
  });
}

/** Normal random numbers with mean `mean` and deviation `std` (default 0 and 1). */
export function randn(
  shape: Shape,
  options: RandomOptions & { mean?: number; std?: number },
): Tensor {
  return randomTensor('randn', shape, options, ['mean', 'std'], (rng) => {
    const mean = options.mean ?? 0;
    const std = options.std ?? 1;
    if (!isFiniteNumber(mean) || !isFiniteNumber(std) || !(std >= 0)) {
      throw new MaskgradError(
        `randn: mean must be a finite number and std a finite number >= 0, got mean ${describeValue(mean)} and std ${describeValue(std)}`,
      );
    }
    return () => rng.normal(mean, std);
  });
}

/**
 * A tensor of `shape` filled by the sampler that `makeSampler` returns for the options'
 * generator, after the checks rand and randn share (shape, seed or rng, option names).
 */
function randomTensor(
  where: string,
  shape: Shape,
  options: RandomOptions,
  extraKeys: readonly string[],
  makeSampler: (rng: Random) => () => number,
): Tensor {
  const s = checkShape(shape, where);
  const rng = randomFrom(where, options);
  checkOptions(where, options, ['seed', 'rng', 'requiresGrad', ...extraKeys]);
  const requiresGrad = checkRequiresGrad(where, options.requiresGrad);
  const sample = makeSampler(rng);
  const data = allocateData(where, shapeSize(s), s);
  for (let i = 0; i < data.length; i++) data[i] = sample();
  return new Tensor(data, s, requiresGrad);
}

/** start, start + step, ... up to but not including stop; `arange(n)` is 0..n-1. */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) {
    stop = start;
    start = 0;
  }
  if (![start, stop, step].every(isFiniteNumber) || step === 0) {
    throw new MaskgradError(
      `arange: start, stop and step must be finite numbers and step non-zero, got ${[start, stop, step].map(describeValue).join(', ')}`,
    );
  }
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const data = allocateData('arange', n, [n]);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n]);
}

/**
 * A zeroed array of n float64 values for a tensor of `shape`, or the library's error
 * naming `where` when it cannot be had (more elements than a typed array holds, or memory).
 */
export function allocateData(where: string, n: number, shape: readonly number[]): Float64Array {
  try {
    return new Float64Array(n);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new MaskgradError(
      `${where}: cannot allocate a tensor of shape ${formatShape(shape)} (${n} float64 values, ` +
        `${((n * 8) / 2 ** 30).toFixed(1)} GiB)`,
      { cause: error },
    );
  }
}

/** Accepts a Tensor or a number (a scalar tensor). */
export function toTensor(value: TensorLike, where: string): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number') return new Tensor(new Float64Array([value]), []);
  throw new MaskgradError(`${where}: expected a Tensor or a number, got ${describeValue(value)}`);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Whether `shape` is an array of non-negative integers (cheap: the constructor runs it for every tensor). */
function isShape(shape: unknown): boolean {
  if (!Array.isArray(shape)) return false;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) return false;
  }
  return true;
}

function checkRequiresGrad(where: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    throw new MaskgradError(
      `${where}: requiresGrad must be true or false, got ${describeValue(value)}`,
    );
  }
  return value;
}
