import { MaskgradError } from './errors';
import { describeValue } from './describe-value';
import { formatShape, shapesEqual } from './shape';
import { Tensor } from './tensor';

/**
 * How a tensor was made: the op's name, its inputs, and a function that maps the
 * gradient of the output to the gradients of the inputs (each of its input's size,
 * or null where an input needs none).
 */
export interface GraphNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly backward: (gradOut: Float64Array) => ReadonlyArray<Float64Array | null>;
}

let gradEnabled = true;

/** Whether ops record a graph right now (false inside `noGrad`). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording any graph: tensors made inside require no gradient.
 * Use it for evaluation and for optimizer updates.
 */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new MaskgradError(
      `noGrad: expected a function to run without recording a graph, got ${describeValue(fn)}`,
    );
  }
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * The tensors of the graph below `root` in topological order (inputs before the
 * tensors made from them). Iterative, so a chain of a million ops does not
 * overflow the call stack.
 */
export function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: Tensor[] = [root];
  const nextInput: number[] = [0];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top];
    const inputs = t.node ? t.node.inputs : [];
    const i = nextInput[top];
    if (i < inputs.length) {
      nextInput[top] = i + 1;
      const input = inputs[i];
      if (input.requiresGrad && !visited.has(input)) {
        visited.add(input);
        stack.push(input);
        nextInput.push(0);
      }
    } else {
      order.push(t);
      stack.pop();
      nextInput.pop();
    }
  }
  return order;
}

/** `loss.backward()`: see Tensor.backward. */
export function runBackward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) {
    throw new MaskgradError(
      'backward: this tensor does not require a gradient, so there is no graph to backpropagate ' +
        '(was it made under noGrad, or from tensors without requiresGrad: true?)',
    );
  }
  let seed: Float64Array;
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new MaskgradError(
        `backward: the output has shape ${formatShape(root.shape)}; backward() without an argument needs a ` +
          'scalar (one element). Reduce it first (sum or mean), or pass a gradient of the same shape: ' +
          'y.backward(gradient)',
      );
    }
    seed = new Float64Array([1]);
  } else {
    if (!(gradient instanceof Tensor) || !shapesEqual(gradient.shape, root.shape)) {
      const got =
        gradient instanceof Tensor
          ? `shape ${formatShape(gradient.shape)}`
          : describeValue(gradient);
      throw new MaskgradError(
        `backward: the gradient must be a Tensor of the output's shape ${formatShape(root.shape)}, got ${got}`,
      );
    }
    seed = gradient.data;
  }

  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Float64Array>([[root, seed]]);
  // An array we allocated to sum the gradients of tensor t belongs to t's slot alone and
  // may be added to in place. Any other array (the seed, an op's result, or a gradient an
  // op passed straight through, which can sit in several slots at once: add hands the
  // same array to both of its inputs) is copied before the first addition. Ownership is
  // per tensor: once t's array is passed on to t's inputs, their slots do not own it.
  const owner = new Map<Float64Array, Tensor>();
  const accumulate = (t: Tensor, g: Float64Array) => {
    const existing = grads.get(t);
    if (existing === undefined) {
      grads.set(t, g);
      return;
    }
    let target = existing;
    if (owner.get(existing) !== t) {
      target = existing.slice();
      owner.set(target, t);
      grads.set(t, target);
    }
    for (let k = 0; k < g.length; k++) target[k] += g[k];
  };

  for (let idx = order.length - 1; idx >= 0; idx--) {
    const t = order[idx];
    const g = grads.get(t);
    if (g === undefined) continue;
    grads.delete(t);
    if (t.node === null) {
      if (t.grad === null) t.grad = new Tensor(owner.get(g) === t ? g : g.slice(), t.shape);
      else if (!(t.grad instanceof Tensor) || t.grad.size !== g.length) {
        throw new MaskgradError(
          `backward: a leaf's .grad must be null or a Tensor of its shape ${formatShape(t.shape)} to add to, ` +
            `got ${t.grad instanceof Tensor ? `shape ${formatShape(t.grad.shape)}` : describeValue(t.grad)}`,
          { code: 'ERR_STATE' },
        );
      } else {
        const acc = t.grad.data;
        for (let k = 0; k < g.length; k++) acc[k] += g[k];
      }
      continue;
    }
    const inputGrads = t.node.backward(g);
    const inputs = t.node.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const gi = inputGrads[i];
      if (gi && inputs[i].requiresGrad) accumulate(inputs[i], gi);
    }
  }
}
