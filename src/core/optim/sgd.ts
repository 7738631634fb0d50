import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { Tensor } from '../tensor';
import { checkOption, checkWeightDecay, Optimizer } from './optimizer';

/** Options of SGD; only lr is required. */
export interface SGDOptions {
  /** Learning rate (required), >= 0. */
  lr: number;
  /** Momentum factor in [0, 1); 0 (the default) is plain SGD. */
  momentum?: number;
  /** Nesterov momentum; needs momentum > 0. */
  nesterov?: boolean;
  /** L2 penalty: `wd * w` is added to the gradient. Default 0. */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and weight
 * decay, following PyTorch's `torch.optim.SGD` with dampening 0. At each step, per entry:
 *
 *     g = grad + wd * w
 *     b = g at this parameter's first step, else b = mu * b + g     (only if mu > 0)
 *     g = g + mu * b (nesterov), else g = b                          (only if mu > 0)
 *     w = w - lr * g
 *
 * An entry whose gradient is exactly 0, with no momentum and no weight decay, is left
 * bit-for-bit unchanged (w - lr * 0 === w). With momentum its earlier velocity keeps
 * moving it, and weight decay shrinks it, exactly as in PyTorch.
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  /** Momentum buffer per parameter, allocated at that parameter's first step. */
  private readonly velocity: (Float64Array | null)[];

  constructor(params: readonly Tensor[], options: SGDOptions) {
    checkOptions('SGD', options, ['lr', 'momentum', 'nesterov', 'weightDecay']);
    if (options.lr === undefined) throw new MaskgradError('SGD: lr is required (e.g. { lr: 0.1 })');
    super('SGD', params, options.lr);
    const momentum = options.momentum ?? 0;
    const nesterov = options.nesterov ?? false;
    const weightDecay = options.weightDecay ?? 0;
    checkOption('SGD', 'momentum', momentum, momentum >= 0 && momentum < 1, 'a number in [0, 1)');
    if (typeof nesterov !== 'boolean') {
      throw new MaskgradError(
        `SGD: nesterov must be true or false, got ${describeValue(nesterov)}`,
      );
    }
    if (nesterov && momentum === 0) {
      throw new MaskgradError('SGD: nesterov = true requires momentum in (0, 1), got momentum = 0');
    }
    checkWeightDecay('SGD', weightDecay);
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
    this.velocity = this.params.map(() => null);
  }

  step(): void {
    const lr = this.lr;
    const mu = this.momentum;
    const wd = this.weightDecay;
    const nesterov = this.nesterov;
    for (let i = 0; i < this.params.length; i++) {
      const g = this.gradientOf(i);
      if (g === null) continue;
      const w = this.params[i].markModified().data;
      if (mu === 0) {
        if (wd === 0) {
          for (let k = 0; k < w.length; k++) w[k] -= lr * g[k];
        } else {
          for (let k = 0; k < w.length; k++) w[k] -= lr * (g[k] + wd * w[k]);
        }
        continue;
      }
      let b = this.velocity[i];
      const first = b === null;
      if (b === null) b = this.velocity[i] = new Float64Array(w.length);
      // The common case (no weight decay, no Nesterov, after the first step) has a loop
      // of its own; the arithmetic per entry is the same as the general loop's.
      const n = w.length;
      if (wd === 0 && !first && !nesterov) {
        for (let k = 0; k < n; k++) {
          const bk = mu * b[k] + g[k];
          b[k] = bk;
          w[k] -= lr * bk;
        }
        continue;
      }
      for (let k = 0; k < n; k++) {
        const d = wd === 0 ? g[k] : g[k] + wd * w[k];
        b[k] = first ? d : mu * b[k] + d;
        w[k] -= lr * (nesterov ? d + mu * b[k] : b[k]);
      }
    }
  }
}
