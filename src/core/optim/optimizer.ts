import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { Tensor } from '../tensor';

/**
 * The base of every optimizer: holds the parameters, clears their gradients and
 * validates options. Subclasses implement `step()`, which updates each parameter's
 * `.data` in place (no graph is recorded) and skips a parameter whose `.grad` is null.
 */
export abstract class Optimizer {
  /** The tensors this optimizer updates, in the order given. */
  readonly params: readonly Tensor[];
  private learningRate: number;

  protected constructor(
    /** The optimizer's name, used in error messages ('SGD', 'Adam', ...). */
    readonly name: string,
    params: readonly Tensor[],
    lr: number,
  ) {
    if (typeof name !== 'string') {
      throw new MaskgradError(
        `Optimizer: name must be a string (the optimizer's name), got ${describeValue(name)}`,
      );
    }
    this.params = checkParams(name, params);
    this.learningRate = 0;
    this.lr = lr;
  }

  /** The learning rate; it may be changed between steps (a schedule), and is validated. */
  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    checkOption(
      this.name,
      'lr',
      value,
      value >= 0 && Number.isFinite(value),
      'a finite number >= 0',
    );
    this.learningRate = value;
  }

  /** Updates every parameter that has a gradient, in place. */
  abstract step(): void;

  /** Sets every parameter's gradient to null (PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** The gradient of parameter `index`, or null to skip it; checks its size. */
  protected gradientOf(index: number): Float64Array | null {
    if (!Number.isInteger(index) || index < 0 || index >= this.params.length) {
      throw new MaskgradError(
        `${this.name}: gradientOf expects a parameter index from 0 to ${this.params.length - 1}, got ${describeValue(index)}`,
      );
    }
    const p = this.params[index];
    if (p.grad === null) return null;
    if (p.grad.data.length !== p.data.length) {
      throw new MaskgradError(
        `${this.name}: parameter ${index} has ${p.data.length} values but its gradient has ` +
          `${p.grad.data.length}`,
      );
    }
    return p.grad.data;
  }
}

function checkParams(name: string, params: readonly Tensor[]): Tensor[] {
  if (!Array.isArray(params)) {
    throw new MaskgradError(
      `${name}: params must be an array of tensors (e.g. model.parameters()), got ${describeValue(params)}`,
    );
  }
  if (params.length === 0) throw new MaskgradError(`${name}: got an empty list of parameters`);
  const seen = new Set<Tensor>();
  params.forEach((p, i) => {
    if (!(p instanceof Tensor)) {
      throw new MaskgradError(`${name}: parameter ${i} is not a Tensor (got ${describeValue(p)})`);
    }
    if (p.node !== null) {
      throw new MaskgradError(
        `${name}: parameter ${i} is not a leaf tensor (it was computed by '${p.node.op}'); ` +
          'an optimizer can only update leaves',
      );
    }
    if (!p.requiresGrad) {
      throw new MaskgradError(
        `${name}: parameter ${i} (shape [${p.shape.join(',')}]) does not require a gradient, so it would ` +
          'never be updated; make it with { requiresGrad: true } or leave it out',
      );
    }
    if (seen.has(p))
      throw new MaskgradError(`${name}: parameter ${i} appears more than once in params`);
    seen.add(p);
  });
  return params.slice();
}

/** Throws `NAME: OPTION = VALUE is out of range: must be RANGE` unless `ok`. */
export function checkOption(
  optimizer: string,
  option: string,
  value: unknown,
  ok: boolean,
  range: string,
): void {
  if (typeof value !== 'number' || !ok) {
    throw new MaskgradError(
      `${optimizer}: ${option} = ${describeValue(value)} is out of range: must be ${range}`,
    );
  }
}

/** Weight decay: a finite number >= 0. */
export function checkWeightDecay(optimizer: string, value: number): void {
  checkOption(
    optimizer,
    'weightDecay',
    value,
    value >= 0 && Number.isFinite(value),
    'a finite number >= 0',
  );
}
