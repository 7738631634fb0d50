import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { checkOptions } from '../check-options';
import { noGrad } from '../autograd';
import { sigmoid } from '../ops';
import { Tensor } from '../tensor';
import type { MLP } from '../nn';
import { checkModelFile, type ModelFile, mlpFromModelFile } from './model-file';

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

  /** `file` is checked as `readModelFile` checks it (a hand-made or edited object too). */
  constructor(readonly file: ModelFile) {
    checkModelFile(file, 'Predictor');
    this.mlp = mlpFromModelFile(file);
    this.mean = Float64Array.from(file.features.mean);
    this.std = Float64Array.from(file.features.std);
    this.thresholds = Float64Array.from(file.labels.thresholds);
    this.features = this.mean.length;
    this.labels = this.thresholds.length;
  }

  /**
   * Raw rows x [n, F] (row-major) -> probabilities [n, L] (row-major). A row whose
   * probability comes out NaN or infinite (its numbers overflow the model) is an error naming
   * the row, counted from `firstRow + 1` (e.g. the rows already predicted), and the label;
   * nothing is returned for the batch.
   */
  predict(x: Float64Array, n: number, options: { firstRow?: number } = {}): Float64Array {
    const F = this.features;
    if (!(x instanceof Float64Array)) {
      throw new MaskgradError(
        `Predictor.predict: x must be a Float64Array of rows of ${F} features, got ${describeValue(x)}`,
      );
    }
    if (!Number.isInteger(n) || n < 0) {
      throw new MaskgradError(
        `Predictor.predict: n must be the number of rows (a whole number >= 0), got ${describeValue(n)}`,
      );
    }
    if (x.length !== n * F) {
      throw new MaskgradError(
        `Predictor.predict: expected ${n} rows of ${F} features (${n * F} values), got ${x.length} values`,
        { code: 'ERR_SHAPE' },
      );
    }
    const firstRow = firstRowOf('Predictor.predict', options);
    const z = new Float64Array(x.length);
    for (let i = 0; i < n; i++) {
      const row = i * F;
      for (let j = 0; j < F; j++) z[row + j] = (x[row + j] - this.mean[j]) / this.std[j];
    }
    const probs = noGrad(() => sigmoid(this.mlp.forward(new Tensor(z, [n, F])))).data;
    this.checkFinite('Predictor.predict', probs, firstRow);
    return probs;
  }

  /**
   * 0/1 decisions: 1 where a probability is >= its class's threshold. A probability that is
   * NaN or infinite is an error naming its row (counted from `firstRow + 1`): no decision is
   * made from it.
   */
  decide(probs: Float64Array, options: { firstRow?: number } = {}): Float64Array {
    const L = this.labels;
    if (!(probs instanceof Float64Array) || probs.length % L !== 0) {
      throw new MaskgradError(
        `Predictor.decide: probs must be a Float64Array of rows of ${L} probabilities (what predict returns), got ${describeValue(probs)}`,
      );
    }
    this.checkFinite('Predictor.decide', probs, firstRowOf('Predictor.decide', options));
    const out = new Float64Array(probs.length);
    for (let i = 0; i < probs.length; i++) out[i] = probs[i] >= this.thresholds[i % L] ? 1 : 0;
    return out;
  }

  /** Throws naming the first row and label whose probability is NaN or infinite. */
  private checkFinite(where: string, probs: Float64Array, firstRow: number): void {
    const L = this.labels;
    for (let i = 0; i < probs.length; i++) {
      if (Number.isFinite(probs[i])) continue;
      const row = firstRow + Math.floor(i / L) + 1;
      const label = this.file.labels.names[i % L];
      throw new MaskgradError(
        `${where}: row ${row} gives a probability of ${probs[i]} for ${JSON.stringify(label)}: the row's features overflow the model's numbers (a feature far from the training mean, or extreme weights); no probability or decision is made for it`,
      );
    }
  }
}

/** The `firstRow` option (default 0), checked: a whole number >= 0. */
function firstRowOf(where: string, options: { firstRow?: number }): number {
  checkOptions(where, options, ['firstRow']);
  const firstRow = options.firstRow ?? 0;
  if (!Number.isSafeInteger(firstRow) || firstRow < 0) {
    throw new MaskgradError(
      `${where}: firstRow is ${describeValue(firstRow)}; expected a whole number >= 0`,
    );
  }
  return firstRow;
}
