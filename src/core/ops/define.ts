import { MaskgradError } from '../errors';
import { isGradEnabled, type GraphNode } from '../autograd';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import {
  broadcastShapes,
  expandData,
  formatShape,
  shapeSize,
  shapesEqual,
  sumToShape,
} from '../shape';
import { Tensor, TensorLike, toTensor } from '../tensor';

/**
 * What an op promises about itself, so that the property suites (spec/properties/) know
 * which checks to run on it besides the gradient check of its samples:
 *
 * - `unary`: elementwise on one tensor (attrs allowed): the output has the input's shape
 *   and element i depends on element i only. Drawn into the random expression graphs.
 * - `binary`: elementwise on two tensors with NumPy broadcasting: element i of the output
 *   is the op on the two (broadcast) elements. Checked on random shape pairs.
 * - `select`: elementwise choice between two broadcast tensors by a condition (the first
 *   input), which gets no gradient (where).
 * - `reduction`: one tensor and the options `{ axis, keepDims }`.
 * - `shape`: moves or copies values without arithmetic: every output value is an input value.
 * - `matmul`: a matrix product: doubling either input doubles the output, bit for bit.
 * - `loss`: a scalar (unless `reduction: 'none'`) from predictions, targets and a mask.
 * - `other`: only its samples' gradient check.
 */
export type OpKind =
  'unary' | 'binary' | 'select' | 'reduction' | 'shape' | 'matmul' | 'loss' | 'other';

export const OP_KINDS: readonly OpKind[] = [
  'unary',
  'binary',
  'select',
  'reduction',
  'shape',
  'matmul',
  'loss',
  'other',
];

/**
 * The data and shape of an op's input or output, as its forward and backward see them.
 * `stride` is 1 when `data` has the size of `shape`, and 0 for a one-element input of an
 * elementwise op (`scalarInputs`): it keeps its single value, read at every position,
 * while `shape` is the broadcast shape.
 */
export interface TensorView {
  readonly data: Float64Array;
  readonly shape: readonly number[];
  readonly stride?: 0 | 1;
}

/** What backward gets besides the output gradient. */
export interface OpContext<A, S> {
  /** The inputs as forward saw them (broadcast to one shape, for elementwise ops). */
  readonly inputs: readonly TensorView[];
  readonly output: TensorView;
  readonly saved: S;
  readonly attrs: A;
  /** needsGrad[i]: whether input i wants a gradient (skip the work where it does not). */
  readonly needsGrad: readonly boolean[];
}

/** One input of a gradient-check sample: a shape (seeded normal values) or more detail. */
export type SampleInput =
  | number[]
  | {
      shape: number[];
      /** Draw uniformly from [low, high) instead of a standard normal. */
      low?: number;
      high?: number;
      /** Exact values instead of random ones. */
      values?: number[];
      /** Inputs like a condition or a mask are not differentiated. */
      requiresGrad?: boolean;
    };

/** Inputs (and attributes) on which the gradient-check spec runs an op. */
export interface OpSample<A> {
  inputs: SampleInput[];
  attrs?: A;
  note?: string;
}

/** The tensor inputs and the attributes of one application of an op. */
export type OpCall<A> = readonly [inputs: readonly TensorLike[], attrs: A];

/** What every op definition says about itself, primitive, composite or elementwise. */
export interface OpDescription<A, P extends unknown[]> {
  name: string;
  kind: OpKind;
  /**
   * Installs `Tensor.prototype[method]`: `x.method(...rest)` is `op(x, ...rest)`. Its type is
   * one member of `interface Tensor`: the library's are in src/core/ops/tensor-methods.ts;
   * outside the package, `declare module 'maskgrad' { interface Tensor { softsign:
   * OpMethod<typeof softsign> } }`.
   */
  method?: string;
  /** The op's arguments for a method call when `this` is not simply the first (where, concat). */
  methodArgs?: (self: Tensor, ...rest: any[]) => P;
  /**
   * The op function's parameters, turned into tensor inputs and attributes (check them
   * here). Without it the function takes `(inputs, attrs)`.
   */
  args?: (...args: P) => OpCall<A>;
  samples: OpSample<A>[];
}

export interface PrimitiveOpSpec<A, S, P extends unknown[]> extends OpDescription<A, P> {
  /**
   * Elementwise ops: the inputs are broadcast to one shape before forward, and each
   * gradient backward returns (of that shape) is summed back to its input's shape
   * by sumToShape. No op undoes broadcasting on its own.
   */
  broadcast?: boolean;
  /**
   * With `broadcast`: a one-element input arrives with stride 0 (data of length 1) instead
   * of being copied to the broadcast shape. Its gradient may come back at the broadcast
   * shape or already summed (one value).
   */
  scalarInputs?: boolean;
  /** Inputs that never receive a gradient, by position (a condition, a mask). */
  nonDifferentiable?: readonly number[];
  forward(
    inputs: readonly TensorView[],
    attrs: A,
  ): { data: Float64Array; shape: number[]; saved?: S };
  /** The gradient for each input (its size as forward saw it), or null where none is needed. */
  backward(gradOut: Float64Array, ctx: OpContext<A, S>): ReadonlyArray<Float64Array | null>;
}

export interface CompositeOpSpec<A, P extends unknown[]> extends OpDescription<A, P> {
  /** Built from other ops, so its gradient comes from theirs: no backward of its own. */
  compute(inputs: Tensor[], attrs: A): Tensor;
}

/** An op as the registry (and the gradient-check spec and property suites) see it. */
export interface RegisteredOp {
  readonly name: string;
  readonly kind: OpKind;
  /** Primitive (its own backward) or composite (built from other ops). */
  readonly definition: 'primitive' | 'composite';
  readonly method?: string;
  readonly samples: readonly OpSample<any>[];
  run(inputs: TensorLike[], attrs?: any): Tensor;
}

/** The type of the Tensor method an op installs: the op without its first argument. */
export type OpMethod<F> = F extends (self: any, ...rest: infer R) => infer T
  ? (...rest: R) => T
  : never;

const registry = new Map<string, RegisteredOp>();

/** Every op defined so far, primitive and composite, in the order they were defined. */
export function registeredOps(): RegisteredOp[] {
  return [...registry.values()];
}

const DESCRIPTION_KEYS = ['name', 'kind', 'method', 'methodArgs', 'args', 'samples'];

/** Checks what every definition needs, before anything is registered or installed. */
export function checkDescription(
  where: string,
  spec: unknown,
  keys: readonly string[],
  functions: readonly string[],
): void {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new MaskgradError(
      `${where}: expected an op definition (an object), got ${describeValue(spec)}`,
    );
  }
  checkOptions(where, spec, [...DESCRIPTION_KEYS, ...keys]);
  const s = spec as Partial<OpDescription<unknown, unknown[]>> & Record<string, unknown>;
  const fail = (what: string) => {
    throw new MaskgradError(`${where}: ${what}`);
  };
  if (typeof s.name !== 'string' || s.name === '')
    fail(`name must be a non-empty string, got ${describeValue(s.name)}`);
  if (registry.has(s.name!)) fail(`an op named '${s.name}' is already registered`);
  if (!OP_KINDS.includes(s.kind as OpKind))
    fail(`kind of '${s.name}' must be one of ${OP_KINDS.join(', ')}, got ${describeValue(s.kind)}`);
  if (!Array.isArray(s.samples) || s.samples.length === 0)
    fail(
      `'${s.name}' needs gradient-check samples (a non-empty array), got ${describeValue(s.samples)}`,
    );
  for (const key of [...functions, 'args', 'methodArgs']) {
    const value = s[key];
    if ((functions.includes(key) || value !== undefined) && typeof value !== 'function')
      fail(`${key} of '${s.name}' must be a function, got ${describeValue(value)}`);
  }
  if (s.method !== undefined) {
    if (typeof s.method !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(s.method))
      fail(`method of '${s.name}' must be an identifier, got ${describeValue(s.method)}`);
    // A probe tensor has the fields (data, grad, ...) as well as the prototype's methods.
    if (s.method! in new Tensor(new Float64Array(1), [], true))
      fail(`Tensor already has a method or property '${s.method}'`);
  }
}

/**
 * Checks the inputs an op is applied to: an array of tensors or numbers. A bare tensor (an op
 * taking `(inputs, attrs)` called as `op(x)`) is an error naming the op and how to call it.
 */
function checkInputs(name: string, inputs: unknown, how: string): readonly TensorLike[] {
  if (!Array.isArray(inputs)) {
    throw new MaskgradError(
      `${name}: ${how}, got ${describeValue(inputs)}` +
        (inputs instanceof Tensor ? ` (pass [x], not x: ${name}([x], attrs))` : ''),
    );
  }
  return inputs as readonly TensorLike[];
}

/** Registers an op, installs its Tensor method, and returns its function. */
function register<A, P extends unknown[]>(
  spec: OpDescription<A, P>,
  definition: RegisteredOp['definition'],
  apply: (inputs: readonly TensorLike[], attrs: A) => Tensor,
): (...args: P) => Tensor {
  const { name, args } = spec;
  const op = args
    ? (...a: P) => {
        const call: unknown = args(...a);
        if (!Array.isArray(call) || call.length !== 2 || !Array.isArray(call[0])) {
          throw new MaskgradError(
            `${name}: its args must return [inputs, attrs] (an array of tensors and the attributes), ` +
              `got ${describeValue(call)} (a bug in the op's definition)`,
            { code: 'ERR_INTERNAL' },
          );
        }
        return apply(call[0] as TensorLike[], call[1] as A);
      }
    : (((inputs: unknown, attrs: A) =>
        apply(
          checkInputs(name, inputs, `expected (inputs, attrs) with inputs an array of tensors`),
          attrs,
        )) as unknown as (...args: P) => Tensor);
  registry.set(spec.name, {
    name: spec.name,
    kind: spec.kind,
    definition,
    method: spec.method,
    samples: spec.samples,
    run: (inputs, attrs) =>
      apply(checkInputs(name, inputs, 'run expects an array of tensors'), attrs ?? {}),
  });
  const { method, methodArgs } = spec;
  if (method) {
    const install = methodArgs
      ? function (this: Tensor, ...rest: unknown[]) {
          const call: unknown = methodArgs(this, ...rest);
          if (!Array.isArray(call)) {
            throw new MaskgradError(
              `${name}: its methodArgs must return the op's arguments as an array, got ${describeValue(call)} (a bug in the op's definition)`,
              { code: 'ERR_INTERNAL' },
            );
          }
          return op(...(call as P));
        }
      : function (this: Tensor, ...rest: unknown[]) {
          return op(...([this, ...rest] as P));
        };
    Object.defineProperty(Tensor.prototype, method, {
      value: install,
      writable: true,
      configurable: true,
    });
  }
  return op;
}

/**
 * The graph node of one application of a primitive op. A class rather than a closure:
 * a graph of a million ops keeps a million of these, and each closure would cost more.
 */
class OpNode<A, S> implements GraphNode {
  /** The sum of the inputs' versions at forward: versions only grow, so any change shows. */
  private readonly versions: number;

  constructor(
    private readonly spec: PrimitiveOpSpec<A, S, any>,
    readonly inputs: readonly Tensor[],
    private readonly ctx: OpContext<A, S>,
  ) {
    this.versions = versionSum(inputs);
  }

  get op(): string {
    return this.spec.name;
  }

  /** The op's backward, with each gradient checked and summed back to its input's shape. */
  backward(gradOut: Float64Array): (Float64Array | null)[] {
    const { spec, inputs, ctx } = this;
    const now = versionSum(inputs);
    if (now !== this.versions) {
      const changed = inputs.map((t, i) => `${i + 1}: version ${t.version}`).join(', ');
      throw new MaskgradError(
        `${spec.name}: an input was modified in place after the forward pass (input versions ${changed}; ` +
          `their sum was ${this.versions} at forward, ${now} now), so its gradient would be wrong; ` +
          'run the forward pass again after changing it, or change a clone',
        { code: 'ERR_STATE' },
      );
    }
    const grads = spec.backward(gradOut, ctx);
    if (!Array.isArray(grads) || grads.length !== inputs.length) {
      throw new MaskgradError(
        `${spec.name}: backward must return an array of ${inputs.length} gradients (one per input, ` +
          `null where none), got ${describeValue(grads)} (a bug in the op's backward)`,
        { code: 'ERR_INTERNAL' },
      );
    }
    return inputs.map((input, i) => {
      const g = grads[i];
      if (!ctx.needsGrad[i] || !g) return null;
      const view = ctx.inputs[i];
      // A stride-0 input's gradient may come back summed already: one value.
      if (view.stride === 0 && g.length === 1) return g;
      if (g.length !== shapeSize(view.shape)) {
        throw new MaskgradError(
          `${spec.name}: backward returned ${g.length} gradient values for input ${i + 1} of shape ` +
            `${formatShape(view.shape)} (a bug in the op's backward)`,
          { code: 'ERR_INTERNAL' },
        );
      }
      return sumToShape(g, view.shape, input.shape);
    });
  }
}

function versionSum(inputs: readonly Tensor[]): number {
  let sum = 0;
  for (const t of inputs) sum += t.version;
  return sum;
}

const PRIMITIVE_KEYS = ['broadcast', 'scalarInputs', 'nonDifferentiable', 'forward', 'backward'];

/**
 * Defines a primitive op: forward, backward, gradient-check samples, its kind and its
 * Tensor method in one place. Returns the op's function (taking `args`' parameters, or
 * `(inputs, attrs)`), which applies it to tensors (or numbers) and records the graph.
 */
export function defineOp<A = {}, S = undefined, P extends unknown[] = [TensorLike[], A]>(
  spec: PrimitiveOpSpec<A, S, P>,
): (...args: P) => Tensor {
  checkDescription('defineOp', spec, PRIMITIVE_KEYS, ['forward', 'backward']);
  const nonDiff = new Set(spec.nonDifferentiable ?? []);
  const apply = (raw: readonly TensorLike[], attrs: A): Tensor => {
    const inputs = raw.map((x, i) =>
      x instanceof Tensor ? x : toTensor(x, `${spec.name} (input ${i + 1})`),
    );
    let views: readonly TensorView[] = inputs;
    if (spec.broadcast && !inputs.every((t) => shapesEqual(t.shape, inputs[0].shape))) {
      const shape = broadcastShapes(spec.name, ...inputs.map((t) => t.shape));
      views = inputs.map((t) =>
        shapesEqual(t.shape, shape)
          ? t
          : spec.scalarInputs && t.size === 1
            ? { data: t.data, shape, stride: 0 }
            : { data: expandData(t.data, t.shape, shape), shape },
      );
    }
    const out = spec.forward(views, attrs);
    if (
      out === null ||
      typeof out !== 'object' ||
      !(out.data instanceof Float64Array) ||
      !Array.isArray(out.shape) ||
      out.data.length !== shapeSize(out.shape)
    ) {
      throw new MaskgradError(
        `${spec.name}: forward must return { data: Float64Array, shape } with data of the shape's size, ` +
          `got ${describeValue(out)} (a bug in the op's forward)`,
        { code: 'ERR_INTERNAL' },
      );
    }
    const needsGrad = inputs.map((t, i) => t.requiresGrad && !nonDiff.has(i));
    const result = new Tensor(out.data, out.shape, isGradEnabled() && needsGrad.some(Boolean));
    if (!result.requiresGrad) return result;
    const ctx: OpContext<A, S> = {
      inputs: views,
      output: result,
      saved: out.saved as S,
      attrs,
      needsGrad,
    };
    result.node = new OpNode(spec, inputs, ctx);
    return result;
  };
  return register(spec, 'primitive', apply);
}

/**
 * Defines an op built from other ops (no backward of its own), so that the gradient-check
 * spec and the property suites check it too. Returns the op's function.
 */
export function defineComposite<A = {}, P extends unknown[] = [TensorLike[], A]>(
  spec: CompositeOpSpec<A, P>,
): (...args: P) => Tensor {
  checkDescription('defineComposite', spec, ['compute'], ['compute']);
  return register(spec, 'composite', (inputs, attrs) => {
    const out: unknown = spec.compute(
      inputs.map((x, i) => toTensor(x, `${spec.name} (input ${i + 1})`)),
      attrs,
    );
    if (!(out instanceof Tensor)) {
      throw new MaskgradError(
        `${spec.name}: compute must return a Tensor, got ${describeValue(out)} (a bug in the op's definition)`,
        { code: 'ERR_INTERNAL' },
      );
    }
    return out;
  });
}
