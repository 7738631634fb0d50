import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { linear } from '../ops';
import { Random, randomFrom } from '../random';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { Module } from './module';

/** Where a layer's initial weights come from: a seed, or a generator to keep drawing from. */
export type InitOptions =
  { seed: number | string; rng?: undefined } | { rng: Random; seed?: undefined };

function checkFeatures(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new MaskgradError(
      `Linear: ${name} must be a positive integer, got ${describeValue(value)}`,
    );
  }
}

/**
 * A fully connected layer: `y = x W^T + b`, with `weight` of shape [out, in] and `bias`
 * of shape [out]. Both start uniform in [-1/sqrt(in), 1/sqrt(in)), PyTorch's default:
 * PyTorch draws the weight with kaiming_uniform(a = sqrt(5)), whose bound
 * gain * sqrt(3 / in) with gain = sqrt(2 / (1 + 5)) is exactly 1/sqrt(in), and the bias
 * with the same bound. The weight is drawn first, row by row, then the bias.
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: InitOptions,
  ) {
    super();
    checkFeatures('inFeatures', inFeatures);
    checkFeatures('outFeatures', outFeatures);
    if (options !== null && typeof options === 'object') {
      checkOptions('Linear', options, ['seed', 'rng']);
    }
    const rng = randomFrom('Linear', options);
    const bound = 1 / Math.sqrt(inFeatures);
    const weight = new Float64Array(outFeatures * inFeatures);
    for (let i = 0; i < weight.length; i++) weight[i] = rng.uniform(-bound, bound);
    const bias = new Float64Array(outFeatures);
    for (let i = 0; i < bias.length; i++) bias[i] = rng.uniform(-bound, bound);
    this.weight = this.registerParameter('weight', new Tensor(weight, [outFeatures, inFeatures]));
    this.bias = this.registerParameter('bias', new Tensor(bias, [outFeatures]));
  }

  /** x [N, in] -> x W^T + b [N, out], one fused `linear` node (W used transposed in place). */
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || x.ndim !== 2 || x.shape[1] !== this.inFeatures) {
      const got = x instanceof Tensor ? formatShape(x.shape) : describeValue(x);
      throw new MaskgradError(
        `Linear: expected an input of shape [N,${this.inFeatures}] for a weight of shape ` +
          `${formatShape(this.weight.shape)}, got ${got}`,
      );
    }
    return linear(x, this.weight, this.bias);
  }

  override toString(): string {
    return `Linear(${this.inFeatures} -> ${this.outFeatures})`;
  }
}
