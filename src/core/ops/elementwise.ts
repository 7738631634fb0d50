import { MaskgradError } from '../errors';
import { shapeSize } from '../shape';
import { Tensor, TensorLike } from '../tensor';
import { describeValue } from '../describe-value';
import { checkDescription, defineOp, OpContext, OpDescription, TensorView } from './define';

// Elementwise ops stated as formulas for one element, as in micrograd or tinygrad's
// gradient table:
//
//   forward:  (a, b, attrs) => a * b
//   backward: [(g, a, b, out, attrs) => g * b, (g, a, b, out, attrs) => g * a]
//
// One helper applies them to whole arrays. Inputs are broadcast to one shape by the
// engine; an input of one element is not copied out but read with stride 0 (the 2 in
// `x.mul(2)`), and its gradient is summed as it is computed. No op writes a loop.
//
// Speed: a loop shared by all ops would call a different formula from one call site, which
// V8 cannot inline. So each op gets its own copy of the loops (compiled once, when the op is
// defined, from the fixed templates below), whose call site only ever sees that op's formula.

/** The gradient formula that passes g through unchanged (add): no array is copied for it. */
export const passThrough = (g: number): number => g;

type Grad1<A> = (g: number, x: number, out: number, attrs: A) => number;
type Grad2<A> = (g: number, a: number, b: number, out: number, attrs: A) => number;
type Grad3<A> = (g: number, c: number, a: number, b: number, out: number, attrs: A) => number;

interface UnarySpec<A, P extends unknown[]> extends OpDescription<A, P> {
  kind: 'unary';
  /** The output for one element. */
  forward: (x: number, attrs: A) => number;
  /** dL/dx for one element, from the output gradient g, the input x and the output. */
  backward: readonly [Grad1<A>];
  /**
   * Optional: where the op has array kernels (relu's, in WebAssembly), a function that
   * returns them while they are in use, else null. They must give the formulas' bits
   * (specs compare them); each may decline by returning false, and the loops then run.
   */
  arrayKernels?: () => UnaryArrayKernels | null;
}

/** Array kernels of a unary op: out = f(x) and gx = dL/dx, over whole arrays. */
export interface UnaryArrayKernels {
  forward(x: Float64Array, out: Float64Array): boolean;
  backward(g: Float64Array, x: Float64Array, gx: Float64Array): boolean;
}

interface BinarySpec<A, P extends unknown[]> extends OpDescription<A, P> {
  kind: 'binary';
  forward: (a: number, b: number, attrs: A) => number;
  /** dL/da and dL/db for one element. */
  backward: readonly [Grad2<A>, Grad2<A>];
}

interface SelectSpec<A, P extends unknown[]> extends OpDescription<A, P> {
  kind: 'select';
  forward: (cond: number, a: number, b: number, attrs: A) => number;
  /** No gradient for the condition; dL/da and dL/db for one element. */
  backward: readonly [null, Grad3<A>, Grad3<A>];
}

type Formula = (...args: any[]) => number;
type ElementwiseSpec = OpDescription<any, any> & {
  forward: Formula;
  backward: readonly (Formula | null)[];
  arrayKernels?: () => UnaryArrayKernels | null;
};

type Loop = (f: Formula, attrs: unknown, n: number, ...rest: unknown[]) => unknown;
type Mode = 'forward' | 'gradient' | 'summed';

/**
 * The source of a loop over `arity` inputs (views). Bit j of `scalars` set: input j has
 * stride 0, and its one value is read once before the loop.
 */
function loopSource(arity: number, mode: Mode, scalars: number, owner: string): string {
  const k = Array.from({ length: arity }, (_, j) => j);
  const unpack = k
    .map((j) =>
      scalars & (1 << j) ? `const x${j} = v[${j}].data[0];` : `const x${j} = v[${j}].data;`,
    )
    .join('\n');
  const reads = k.map((j) => (scalars & (1 << j) ? `x${j}` : `x${j}[i]`)).join(', ');
  const call = `f(g[i], ${reads}, y[i], attrs)`;
  // The owner's name goes into the source (a comment) so that no two ops' loops have the
  // same text: V8 shares the compiled function, and with it the type feedback, between
  // Function() calls given the same source, and a call site fed every op's formula
  // cannot inline any of them.
  const tag = `// ${owner.replace(/[^A-Za-z0-9_ .#-]/g, '_')}\n`;
  if (mode === 'forward') {
    return `${tag}return function forward(f, attrs, n, v, out) {
      ${unpack}
      for (let i = 0; i < n; i++) out[i] = f(${reads}, attrs);
    };`;
  }
  return mode === 'gradient'
    ? `${tag}return function gradient(f, attrs, n, v, out, g, y) {
        ${unpack}
        for (let i = 0; i < n; i++) out[i] = ${call};
      };`
    : `${tag}return function summedGradient(f, attrs, n, v, g, y) {
        ${unpack}
        let sum = 0;
        for (let i = 0; i < n; i++) sum += ${call};
        return sum;
      };`;
}

/**
 * One op's copies of a loop, one per pattern of stride-0 inputs, each compiled from the
 * fixed template above when first needed (see the speed note at the top).
 */
class Loops {
  private readonly compiled: (Loop | undefined)[] = [];
  constructor(
    private readonly arity: number,
    private readonly mode: Mode,
    /** Names the loops' owner (op and input) in their source; see loopSource. */
    private readonly owner: string,
  ) {}

  get(scalars: number): Loop {
    return (this.compiled[scalars] ??= new Function(
      loopSource(this.arity, this.mode, scalars, this.owner),
    )() as Loop);
  }
}

/** The pattern of stride-0 inputs: bit j set when input j is read with stride 0. */
function scalarBits(views: readonly TensorView[]): number {
  let bits = 0;
  for (let j = 0; j < views.length; j++) if (views[j].stride === 0) bits |= 1 << j;
  return bits;
}

const NO_ATTRS = Object.freeze({});

function defineElementwiseOp(spec: ElementwiseSpec): (...args: any[]) => Tensor {
  const { forward: f, backward: formulas, kind, arrayKernels, ...description } = spec;
  const arity = formulas.length;
  const name = description.name;
  const forwardLoops = new Loops(arity, 'forward', name);
  const gradients = formulas.map((d, i) =>
    d
      ? {
          d,
          map: new Loops(arity, 'gradient', `${name} input ${i}`),
          sum: new Loops(arity, 'summed', `${name} input ${i}`),
        }
      : null,
  );
  return defineOp<any, undefined, any[]>({
    ...description,
    kind,
    args:
      description.args ??
      ((...inputs: TensorLike[]) => {
        if (inputs.length !== arity) {
          throw new MaskgradError(
            `${name}: expected ${arity} ${arity === 1 ? 'input' : 'inputs'} (tensors or numbers), got ${inputs.length}`,
          );
        }
        return [inputs, NO_ATTRS];
      }),
    broadcast: arity > 1,
    scalarInputs: true,
    nonDifferentiable: formulas.flatMap((d, i) => (d ? [] : [i])),
    forward(views, attrs) {
      const shape = views[0].shape;
      const n = shapeSize(shape);
      const out = new Float64Array(n);
      const kernels = arrayKernels?.();
      const x = views[0].data;
      if (kernels && x.length === n && kernels.forward(x, out)) {
        return { data: out, shape: shape.slice() };
      }
      forwardLoops.get(scalarBits(views))(f, attrs, n, views, out);
      return { data: out, shape: shape.slice() };
    },
    backward(g, { inputs, output, attrs, needsGrad }: OpContext<any, undefined>) {
      const n = g.length;
      const scalars = scalarBits(inputs);
      const grads: (Float64Array | null)[] = [];
      for (let i = 0; i < arity; i++) {
        const gradient = gradients[i];
        if (!gradient || !needsGrad[i]) {
          grads.push(null);
        } else if (scalars & (1 << i)) {
          // A stride-0 input: its gradient is summed over the output as it is computed.
          const sum = gradient.sum.get(scalars)(gradient.d, attrs, n, inputs, g, output.data);
          grads.push(new Float64Array([sum as number]));
        } else if (gradient.d === passThrough) {
          grads.push(g);
        } else {
          const gx = new Float64Array(n);
          const kernels = arrayKernels?.();
          const x = inputs[i].data;
          if (!(kernels && x.length === n && kernels.backward(g, x, gx))) {
            gradient.map.get(scalars)(gradient.d, attrs, n, inputs, gx, g, output.data);
          }
          grads.push(gx);
        }
      }
      return grads;
    },
  });
}

/**
 * Defines an elementwise op from its formulas for one element: the forward, and for each
 * input its gradient (null for a condition). The kind says the arity: 'unary' (x),
 * 'binary' (a, b, broadcast) or 'select' (cond, a, b, broadcast). Everything else (name,
 * method, args, samples) is as for defineOp. Returns the op's function.
 *
 * ```ts
 * const softsign = defineElementwise({
 *   name: 'softsign', kind: 'unary', method: 'softsign',
 *   forward: (x) => x / (1 + Math.abs(x)),
 *   backward: [(g, x) => g / ((1 + Math.abs(x)) * (1 + Math.abs(x)))],
 *   samples: [{ inputs: [[2, 3]] }],
 * });
 * ```
 */
export function defineElementwise<A = {}, P extends unknown[] = [x: TensorLike]>(
  spec: UnarySpec<A, P>,
): (...args: P) => Tensor;
export function defineElementwise<A = {}, P extends unknown[] = [a: TensorLike, b: TensorLike]>(
  spec: BinarySpec<A, P>,
): (...args: P) => Tensor;
export function defineElementwise<
  A = {},
  P extends unknown[] = [cond: TensorLike, a: TensorLike, b: TensorLike],
>(spec: SelectSpec<A, P>): (...args: P) => Tensor;
export function defineElementwise(spec: ElementwiseSpec): (...args: any[]) => Tensor {
  checkDescription('defineElementwise', spec, ['forward', 'backward', 'arrayKernels'], ['forward']);
  const { backward, name } = spec;
  if (
    !Array.isArray(backward) ||
    backward.length < 1 ||
    backward.length > 3 ||
    !backward.every((d) => d === null || typeof d === 'function')
  ) {
    throw new MaskgradError(
      `defineElementwise: backward of '${name}' must be an array of 1 to 3 derivative formulas (a function, or null for an input without a gradient), one per input, got ${describeValue(backward)}`,
    );
  }
  if (spec.arrayKernels !== undefined && typeof spec.arrayKernels !== 'function') {
    throw new MaskgradError(
      `defineElementwise: arrayKernels of '${name}' must be a function, got ${describeValue(spec.arrayKernels)}`,
    );
  }
  return defineElementwiseOp(spec);
}
