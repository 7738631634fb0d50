import { MaskgradError } from '../errors';
import { isGradEnabled, type GraphNode } from '../autograd';
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
 * The data and shape of an op's input or output, as its forward and backward see them.
 * `data` has the size of `shape`, except for a one-element input of an op with
 * `scalarInputs`, which keeps its single value while `shape` is the broadcast shape.
 */
export interface TensorView {
  readonly data: Float64Array;
  readonly shape: readonly number[];
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

export interface PrimitiveOpSpec<A, S> {
  name: string;
  /**
   * Elementwise ops: the inputs are broadcast to one shape before forward, and each
   * gradient backward returns (of that shape) is summed back to its input's shape
   * by sumToShape. No op undoes broadcasting on its own.
   */
  broadcast?: boolean;
  /**
   * With `broadcast`: a one-element input is passed as its single value (data of
   * length 1) instead of being copied to the broadcast shape, because the kernels read
   * it as a scalar themselves. Backward still returns its gradient at the broadcast shape.
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
  samples: OpSample<A>[];
}

export interface CompositeOpSpec<A> {
  name: string;
  /** Built from other ops, so its gradient comes from theirs: no backward of its own. */
  compute(inputs: Tensor[], attrs: A): Tensor;
  samples: OpSample<A>[];
}

/** An op as the registry (and the gradient-check spec) sees it. */
export interface RegisteredOp {
  readonly name: string;
  readonly kind: 'primitive' | 'composite';
  readonly samples: readonly OpSample<any>[];
  run(inputs: TensorLike[], attrs?: any): Tensor;
}

const registry = new Map<string, RegisteredOp>();

function register(op: RegisteredOp): void {
  if (registry.has(op.name))
    throw new MaskgradError(`defineOp: an op named '${op.name}' is already registered`);
  registry.set(op.name, op);
}

/** Every op defined so far, primitive and composite, in the order they were defined. */
export function registeredOps(): RegisteredOp[] {
  return [...registry.values()];
}

/**
 * The graph node of one application of a primitive op. A class rather than a closure:
 * a graph of a million ops keeps a million of these, and each closure would cost more.
 */
class OpNode<A, S> implements GraphNode {
  constructor(
    private readonly spec: PrimitiveOpSpec<A, S>,
    readonly inputs: readonly Tensor[],
    private readonly ctx: OpContext<A, S>,
  ) {}

  get op(): string {
    return this.spec.name;
  }

  /** The op's backward, with each gradient checked and summed back to its input's shape. */
  backward(gradOut: Float64Array): (Float64Array | null)[] {
    const { spec, inputs, ctx } = this;
    const grads = spec.backward(gradOut, ctx);
    return inputs.map((input, i) => {
      const g = grads[i];
      if (!ctx.needsGrad[i] || !g) return null;
      const view = ctx.inputs[i];
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

/**
 * Defines a primitive op: forward, backward and gradient-check samples in one place.
 * Returns a function that applies it to tensors (or numbers) and records the graph.
 */
export function defineOp<A = {}, S = undefined>(
  spec: PrimitiveOpSpec<A, S>,
): (inputs: TensorLike[], attrs: A) => Tensor {
  const nonDiff = new Set(spec.nonDifferentiable ?? []);
  const apply = (raw: TensorLike[], attrs: A): Tensor => {
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
            ? { data: t.data, shape }
            : { data: expandData(t.data, t.shape, shape), shape },
      );
    }
    const out = spec.forward(views, attrs);
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
  register({
    name: spec.name,
    kind: 'primitive',
    samples: spec.samples,
    run: (inputs, attrs) => apply(inputs, attrs),
  });
  return apply;
}

/**
 * Registers an op built from other ops (no backward of its own) so that the
 * gradient-check spec checks it too. Returns the op's compute function.
 */
export function defineComposite<A = {}>(
  spec: CompositeOpSpec<A>,
): (inputs: Tensor[], attrs: A) => Tensor {
  register({
    name: spec.name,
    kind: 'composite',
    samples: spec.samples,
    run: (inputs, attrs) =>
      spec.compute(
        inputs.map((x, i) => toTensor(x, `${spec.name} (input ${i + 1})`)),
        attrs,
      ),
  });
  return spec.compute;
}
