import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { Tensor } from '../tensor';
import { checkOption, checkWeightDecay, Optimizer } from './optimizer';
import { pow } from '../math';

/** Options of Adam and AdamW, with PyTorch's defaults. */
export interface AdamOptions {
  /** Learning rate, >= 0. Default 1e-3. */
  lr?: number;
  /** Decay rates of the first and second moment estimates, each in [0, 1). Default [0.9, 0.999]. */
  betas?: readonly [number, number];
  /** Added to the denominator for stability, > 0. Default 1e-8. */
  eps?: number;
  /** Weight decay, >= 0. Default 0. An L2 penalty, or decoupled (AdamW) with `decoupled: true`. */
  weightDecay?: number;
  /** Decoupled weight decay (AdamW): shrink w by (1 - lr * wd) instead of adding wd * w to g. */
  decoupled?: boolean;
}

/**
 * Adam (and AdamW with `decoupled: true`), following PyTorch's documented rules.
 * At step t of a parameter, per entry:
 *
 *     g = grad + wd * w                  (L2; AdamW instead: w = w * (1 - lr * wd), g = grad)
 *     m = b1 * m + (1 - b1) * g
 *     v = b2 * v + (1 - b2) * g^2
 *     w = w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 */
export class Adam extends Optimizer {
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  /** Per parameter: its step count t and moment estimates, allocated at its first step. */
  private readonly steps: number[];
  private readonly firstMoment: (Float64Array | null)[];
  private readonly secondMoment: (Float64Array | null)[];

  constructor(params: readonly Tensor[], options: AdamOptions = {}) {
    checkOptions('Adam', options, ['lr', 'betas', 'eps', 'weightDecay', 'decoupled']);
    const name = options.decoupled === true ? 'AdamW' : 'Adam';
    super(name, params, options.lr ?? 1e-3);
    const betas = options.betas ?? [0.9, 0.999];
    const eps = options.eps ?? 1e-8;
    const weightDecay = options.weightDecay ?? 0;
    const decoupled = options.decoupled ?? false;
    if (!Array.isArray(betas) || betas.length !== 2) {
      throw new MaskgradError(
        `${name}: betas must be a pair [beta1, beta2], got ${describeValue(betas)}`,
      );
    }
    betas.forEach((beta, i) =>
      checkOption(name, `betas[${i}]`, beta, beta >= 0 && beta < 1, 'a number in [0, 1)'),
    );
    checkOption(name, 'eps', eps, eps > 0 && Number.isFinite(eps), 'a finite number > 0');
    checkWeightDecay(name, weightDecay);
    if (typeof decoupled !== 'boolean') {
      throw new MaskgradError(
        `${name}: decoupled must be true or false, got ${describeValue(decoupled)}`,
      );
    }
    this.betas = [betas[0], betas[1]];
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    this.steps = this.params.map(() => 0);
    this.firstMoment = this.params.map(() => null);
    this.secondMoment = this.params.map(() => null);
  }

  step(): void {
    const lr = this.lr;
    const [b1, b2] = this.betas;
    const eps = this.eps;
    const wd = this.weightDecay;
    const decoupled = this.decoupled;
    // AdamW shrinks each weight by this factor before its Adam update.
    const shrink = 1 - lr * wd;
    for (let i = 0; i < this.params.length; i++) {
      const g = this.gradientOf(i);
      if (g === null) continue;
      const w = this.params[i].markModified().data;
      const t = ++this.steps[i];
      let m = this.firstMoment[i];
      let v = this.secondMoment[i];
      if (m === null || v === null) {
        m = this.firstMoment[i] = new Float64Array(w.length);
        v = this.secondMoment[i] = new Float64Array(w.length);
      }
      const correction1 = 1 - pow(b1, t);
      const correction2 = 1 - pow(b2, t);
      // One loop per case, the moments kept in locals: the same arithmetic, in the same
      // order, as m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= lr m^ / (sqrt(v^) + eps).
      const c1 = 1 - b1;
      const c2 = 1 - b2;
      const n = w.length;
      if (wd === 0) {
        for (let k = 0; k < n; k++) {
          const gk = g[k];
          const mk = b1 * m[k] + c1 * gk;
          const vk = b2 * v[k] + c2 * gk * gk;
          m[k] = mk;
          v[k] = vk;
          w[k] -= (lr * (mk / correction1)) / (Math.sqrt(vk / correction2) + eps);
        }
      } else if (decoupled) {
        for (let k = 0; k < n; k++) {
          const gk = g[k];
          const wk = w[k] * shrink;
          const mk = b1 * m[k] + c1 * gk;
          const vk = b2 * v[k] + c2 * gk * gk;
          m[k] = mk;
          v[k] = vk;
          w[k] = wk - (lr * (mk / correction1)) / (Math.sqrt(vk / correction2) + eps);
        }
      } else {
        for (let k = 0; k < n; k++) {
          const wk = w[k];
          const gk = g[k] + wd * wk;
          const mk = b1 * m[k] + c1 * gk;
          const vk = b2 * v[k] + c2 * gk * gk;
          m[k] = mk;
          v[k] = vk;
          w[k] = wk - (lr * (mk / correction1)) / (Math.sqrt(vk / correction2) + eps);
        }
      }
    }
  }
}

/** AdamW: Adam with decoupled weight decay, default weightDecay 0.01 (as PyTorch's AdamW). */
export class AdamW extends Adam {
  constructor(params: readonly Tensor[], options: Omit<AdamOptions, 'decoupled'> = {}) {
    // AdamW is always decoupled: a 'decoupled' option here is refused, not silently overridden.
    checkOptions('AdamW', options, ['lr', 'betas', 'eps', 'weightDecay']);
    super(params, { ...options, weightDecay: options.weightDecay ?? 0.01, decoupled: true });
  }
}
