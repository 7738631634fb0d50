import { MaskgradError } from '../errors';
import { noGrad } from '../autograd';
import { sigmoid } from '../ops';
import { Tensor } from '../tensor';
import type { MLP } from '../nn';
import { type ModelFile, mlpFromModelFile } from './model-file';

/**
 * Predicts with a model file: raw feature rows in the model's feature order are
 * standardized with the training statistics, `(x - mean) / std`, run through the MLP, and
 * turned into probabilities by a sigmoid, exactly as training evaluated its test rows.
 */
export class Predictor {
  readonly mlp: MLP;
  readonly features: number;
  readonly labels: number;
  private readonly mean: Float64Array;
  private readonly std: Float64Array;
  private readonly thresholds: Float64Array;

  constructor(readonly file: ModelFile) {
    this.mlp = mlpFromModelFile(file);
    this.mean = Float64Array.from(file.features.mean);
    this.std = Float64Array.from(file.features.std);
    this.thresholds = Float64Array.from(file.labels.thresholds);
    this.features = this.mean.length;
    this.labels = this.thresholds.length;
  }

  /** Raw rows x [n, F] (row-major) -> probabilities [n, L] (row-major). */
  predict(x: Float64Array, n: number): Float64Array {
    const F = this.features;
    if (!Number.isInteger(n) || n < 0 || x.length !== n * F) {
      throw new MaskgradError(
        `Predictor.predict: expected ${n} rows of ${F} features (${n * F} values), got ${x.length} values`,
        { code: 'ERR_SHAPE' },
      );
    }
    const z = new Float64Array(x.length);
    for (let i = 0; i < n; i++) {
      const row = i * F;
      for (let j = 0; j < F; j++) z[row + j] = (x[row + j] - this.mean[j]) / this.std[j];
    }
    return noGrad(() => sigmoid(this.mlp.forward(new Tensor(z, [n, F])))).data;
  }

  /** 0/1 decisions: 1 where a probability is >= its class's threshold. */
  decide(probs: Float64Array): Float64Array {
    const L = this.labels;
    const out = new Float64Array(probs.length);
    for (let i = 0; i < probs.length; i++) out[i] = probs[i] >= this.thresholds[i % L] ? 1 : 0;
    return out;
  }
}
