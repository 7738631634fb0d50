import { MaskgradError } from '../errors';
import { describeValue, excerpt } from '../describe-value';
import { formatShape, shapesEqual } from '../shape';
import { Tensor } from '../tensor';

/** One parameter in a state dict: its shape and its values, row-major. */
export interface ParameterState {
  shape: number[];
  data: number[];
}

/**
 * A model's parameters by dotted name: an object that survives JSON.stringify / JSON.parse.
 * `stateDict()` makes it without a prototype, so any name (even `__proto__`) is an own key.
 */
export type StateDict = Record<string, ParameterState>;

/**
 * The base of every layer and model. A module owns parameters (leaf tensors that
 * require a gradient) and sub-modules, both registered by name in the constructor;
 * parameters are then listed under dotted names like `layers.0.weight`, own
 * parameters first, then each sub-module's, in registration order.
 */
export abstract class Module {
  /** Whether the module is in training mode (`train()`) or evaluation mode (`eval()`). */
  training = true;
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly subModules = new Map<string, Module>();

  /** Computes the module's output. */
  abstract forward(input: Tensor): Tensor;

  /**
   * Registers `tensor` as a parameter called `name` and returns it. It must be a leaf
   * tensor; it is marked as requiring a gradient.
   */
  protected registerParameter(name: string, tensor: Tensor): Tensor {
    this.checkNewName(name);
    if (!(tensor instanceof Tensor)) {
      throw new MaskgradError(`${this.constructor.name}: parameter '${name}' must be a Tensor`);
    }
    if (tensor.node !== null) {
      throw new MaskgradError(
        `${this.constructor.name}: parameter '${name}' must be a leaf tensor, ` +
          `but it was computed by '${tensor.node.op}'`,
      );
    }
    tensor.requiresGrad = true;
    this.ownParameters.set(name, tensor);
    return tensor;
  }

  /**
   * Registers `module` as a sub-module called `name` and returns it. The name may be a
   * dotted path such as `layers.0`, as PyTorch's ModuleList names its items.
   */
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.checkNewName(name);
    if (!(module instanceof Module)) {
      throw new MaskgradError(`${this.constructor.name}: sub-module '${name}' must be a Module`);
    }
    this.subModules.set(name, module);
    return module;
  }

  private checkNewName(name: string): void {
    if (typeof name !== 'string' || name === '' || name.split('.').some((part) => part === '')) {
      throw new MaskgradError(`${this.constructor.name}: invalid name ${describeValue(name)}`);
    }
    if (this.ownParameters.has(name) || this.subModules.has(name)) {
      throw new MaskgradError(`${this.constructor.name}: the name '${name}' is already registered`);
    }
  }

  /**
   * Every parameter with its dotted name, in a stable order. A tensor shared by several
   * modules (tied weights) is listed once, under the first name it is reached by, as
   * PyTorch's `named_parameters()` does.
   */
  namedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [name, p] of this.allNamedParameters()) {
      if (seen.has(p)) continue;
      seen.add(p);
      out.push([name, p]);
    }
    return out;
  }

  /** Every (name, parameter) pair, a shared tensor under each of its names. */
  private allNamedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [...this.ownParameters];
    for (const [prefix, module] of this.subModules) {
      for (const [name, p] of module.allNamedParameters()) out.push([`${prefix}.${name}`, p]);
    }
    return out;
  }

  /** Every parameter once, in the order of `namedParameters()`; pass them to an optimizer. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** The direct sub-modules with their names, in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.subModules];
  }

  /** Sets every parameter's gradient to null, like PyTorch's `zero_grad()`. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Puts this module and its sub-modules in training mode (or evaluation mode with false). */
  train(mode = true): this {
    this.training = mode;
    for (const module of this.subModules.values()) module.train(mode);
    return this;
  }

  /** Puts this module and its sub-modules in evaluation mode. */
  eval(): this {
    return this.train(false);
  }

  /**
   * A copy of every parameter's shape and values, keyed by dotted name (JSON-able). The object
   * has no prototype, so a parameter named like an Object property (`__proto__`,
   * `constructor`) is an ordinary key.
   */
  stateDict(): StateDict {
    const state: StateDict = Object.create(null) as StateDict;
    for (const [name, p] of this.namedParameters()) {
      state[name] = { shape: p.shape.slice(), data: Array.from(p.data) };
    }
    return state;
  }

  /**
   * Copies `state` into the parameters (in place, so an optimizer holding them keeps
   * working). Everything is checked first: a missing or unexpected name, a wrong shape,
   * a wrong number of values or a value that is not a finite number is an error that
   * names the parameter, and then nothing at all is changed.
   */
  loadStateDict(state: StateDict): void {
    const problems = this.stateProblems(state);
    if (problems.length > 0) {
      throw new MaskgradError(
        `loadStateDict: cannot load the state into ${this.constructor.name} (the model is unchanged):\n  ` +
          listProblems(problems),
      );
    }
    for (const [name, p] of this.namedParameters()) p.markModified().data.set(state[name].data);
  }

  /** Every reason `state` cannot be loaded, one line each (empty when it can). */
  private stateProblems(state: unknown): string[] {
    if (state === null || typeof state !== 'object' || Array.isArray(state)) {
      const got = state === null ? 'null' : Array.isArray(state) ? 'an array' : typeof state;
      return [`the state must be an object of { shape, data } by parameter name, got ${got}`];
    }
    const entries = state as Record<string, unknown>;
    const problems: string[] = [];
    const named = this.namedParameters();
    const expected = new Set(named.map(([name]) => name));
    for (const [name, p] of named) {
      if (!Object.prototype.hasOwnProperty.call(entries, name)) {
        problems.push(`missing parameter '${name}' (shape ${formatShape(p.shape)})`);
        continue;
      }
      const problem = entryProblem(entries[name], p);
      if (problem) problems.push(`parameter '${name}': ${problem}`);
    }
    for (const name of Object.keys(entries)) {
      if (!expected.has(name))
        problems.push(`unexpected parameter '${excerpt(name)}' (the model has no such parameter)`);
    }
    return problems;
  }
}

/** The most problems a loadStateDict error lists, one a line; the rest are counted. */
const PROBLEM_LIMIT = 20;

function listProblems(problems: string[]): string {
  const shown = problems.slice(0, PROBLEM_LIMIT);
  if (problems.length > PROBLEM_LIMIT) {
    shown.push(`... and ${problems.length - PROBLEM_LIMIT} more problems`);
  }
  return shown.join('\n  ');
}

/** Why `entry` cannot be loaded into `p`, or null if it can. */
function entryProblem(entry: unknown, p: Tensor): string | null {
  if (entry === null || typeof entry !== 'object') return 'expected an object { shape, data }';
  const { shape, data } = entry as { shape?: unknown; data?: unknown };
  if (!Array.isArray(shape)) return 'its shape is missing or not an array';
  if (!shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    return `its shape ${describeValue(shape)} is not an array of non-negative integers (the model has ${formatShape(p.shape)})`;
  }
  if (!shapesEqual(shape, p.shape)) {
    const shown =
      shape.length <= 8 ? formatShape(shape) : `${describeValue(shape)} (${shape.length} sizes)`;
    return `shape ${shown} in the state but ${formatShape(p.shape)} in the model`;
  }
  if (!Array.isArray(data)) return 'its data is missing or not an array of numbers';
  if (data.length !== p.size) {
    return `data has ${data.length} values but shape ${formatShape(p.shape)} needs ${p.size}`;
  }
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return `data[${i}] is ${describeValue(v)}, not a finite number`;
    }
  }
  return null;
}
