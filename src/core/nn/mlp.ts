import { describeValue } from '../describe-value';
import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { Tensor } from '../tensor';
import { activationByName, ActivationName } from './activations';
import { randomFrom } from '../random';
import { InitOptions, Linear } from './linear';
import { Module } from './module';

/**
 * The activation between layers (none after the last; default 'relu'), and the seed of
 * the one generator all layers draw their initial weights from, in order (or a generator).
 */
export type MLPOptions = { activation?: ActivationName } & InitOptions;

/**
 * A multi-layer perceptron: `sizes = [in, hidden..., out]` gives Linear layers with the
 * activation between them and a linear output (logits). All layers draw their initial
 * weights, in order, from one generator, so the same seed gives the same weights bit for bit.
 */
export class MLP extends Module {
  readonly sizes: readonly number[];
  readonly activation: ActivationName;
  readonly layers: readonly Linear[];
  private readonly activate: (x: Tensor) => Tensor;

  constructor(sizes: readonly number[], options: MLPOptions) {
    super();
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new MaskgradError(
        `MLP: sizes must list at least the input and output sizes, e.g. [4, 16, 3], got ${describeValue(sizes)}`,
      );
    }
    if (!sizes.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new MaskgradError(
        `MLP: every size must be a positive integer, got ${describeValue(sizes)}`,
      );
    }
    if (options !== null && typeof options === 'object') {
      checkOptions('MLP', options, ['activation', 'seed', 'rng']);
    }
    const activation = options?.activation ?? 'relu';
    try {
      this.activate = activationByName(activation);
    } catch (error) {
      throw new MaskgradError(`MLP: ${(error as Error).message}`);
    }
    const rng = randomFrom('MLP', options);
    this.sizes = sizes.slice();
    this.activation = activation;
    const layers: Linear[] = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push(this.registerModule(`layers.${i}`, new Linear(sizes[i], sizes[i + 1], { rng })));
    }
    this.layers = layers;
  }

  /** The last layer, whose outputs are the logits. */
  get outputLayer(): Linear {
    return this.layers[this.layers.length - 1];
  }

  /** x [N, in] -> logits [N, out]. */
  forward(x: Tensor): Tensor {
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      h = this.layers[i].forward(h);
      if (i < this.layers.length - 1) h = this.activate(h);
    }
    return h;
  }

  override toString(): string {
    return `MLP([${this.sizes.join(', ')}], ${this.activation})`;
  }
}
