import { MaskgradError } from '../errors';
import { describeValue, quoteExcerpt } from '../describe-value';
import { Tensor } from '../tensor';
import { checkDataset, type MultiLabelDataset } from './dataset';
import { pow } from '../math';

/** What `standardize` returns: the standardized data sets and the statistics it used. */
export interface Standardized {
  train: MultiLabelDataset;
  /** The other data sets, in the order given, standardized with the training statistics. */
  others: MultiLabelDataset[];
  /** Per-feature mean of the training set. */
  mean: Float64Array;
  /** Per-feature divisor used: the training set's population standard deviation, or 1 for a constant feature. */
  std: Float64Array;
}

/**
 * Standardizes features to mean 0 and standard deviation 1 using the training set's per-feature
 * mean and population standard deviation (as sklearn's StandardScaler); the same statistics are
 * applied to `others`. A constant training feature (every value equal, so std 0) is only
 * centered: its divisor is 1. Labels and masks are copied unchanged.
 */
export function standardize(
  train: MultiLabelDataset,
  ...others: MultiLabelDataset[]
): Standardized {
  const [N, D] = checkDataset(train, 'standardize');
  if (N === 0)
    throw new MaskgradError('standardize: the training set has no rows; expected at least one');
  for (let k = 0; k < others.length; k++) {
    const [, d] = checkDataset(others[k], 'standardize');
    if (d !== D) {
      throw new MaskgradError(
        `standardize: data set ${k + 1} after train has ${d} features but train has ${D}; expected the same features`,
      );
    }
  }
  const x = train.x.data;
  // Every statistic is computed in units of a power of two, `scale[j]`, near the feature's
  // largest magnitude, so no sum or square can overflow (features near 1e308) or underflow
  // (near 1e-170, whose squares are below the smallest float64). Dividing by a power of two
  // is exact, so for every other feature the result is bit for bit the plain two-pass one.
  const scale = new Float64Array(D);
  for (let i = 0; i < N; i++) {
    const row = i * D;
    for (let j = 0; j < D; j++) {
      const v = x[row + j];
      if (!Number.isFinite(v)) {
        throw new MaskgradError(
          `standardize: feature ${j} (${quoteExcerpt(train.featureNames[j])}) of training row ${i} is ${describeValue(v)}; expected a finite number`,
        );
      }
      if (Math.abs(v) > scale[j]) scale[j] = Math.abs(v);
    }
  }
  for (let j = 0; j < D; j++) scale[j] = powerOfTwoNear(scale[j]);
  const mean = new Float64Array(D);
  for (let i = 0; i < N; i++) {
    const row = i * D;
    for (let j = 0; j < D; j++) mean[j] += x[row + j] / scale[j];
  }
  for (let j = 0; j < D; j++) mean[j] /= N;
  const std = new Float64Array(D);
  const constant = new Uint8Array(D).fill(1);
  for (let i = 0; i < N; i++) {
    const row = i * D;
    for (let j = 0; j < D; j++) {
      const d = x[row + j] / scale[j] - mean[j];
      std[j] += d * d;
      if (x[row + j] !== x[j]) constant[j] = 0;
    }
  }
  // Scaled statistics: out = (v / scale - mean) / std, the same as (v - mean') / std' in the
  // feature's own units; the returned mean' and std' are mean * scale and std * scale.
  for (let j = 0; j < D; j++) std[j] = constant[j] ? 1 : Math.sqrt(std[j] / N);
  const unitScale = new Float64Array(D);
  for (let j = 0; j < D; j++) unitScale[j] = constant[j] ? 1 : scale[j];
  const apply = (ds: MultiLabelDataset): MultiLabelDataset => {
    const src = ds.x.data;
    const out = new Float64Array(src.length);
    const n = ds.x.shape[0];
    for (let i = 0; i < n; i++) {
      const row = i * D;
      for (let j = 0; j < D; j++) {
        out[row + j] = constant[j]
          ? src[row + j] - mean[j] * scale[j]
          : (src[row + j] / scale[j] - mean[j]) / std[j];
      }
    }
    return {
      x: new Tensor(out, ds.x.shape),
      y: new Tensor(ds.y.data.slice(), ds.y.shape),
      mask: new Tensor(ds.mask.data.slice(), ds.mask.shape),
      featureNames: ds.featureNames.slice(),
      labelNames: ds.labelNames.slice(),
      ...(ds.ids ? { ids: ds.ids.slice() } : {}),
    };
  };
  const result = { train: apply(train), others: others.map(apply), mean, std };
  for (let j = 0; j < D; j++) {
    mean[j] *= scale[j];
    std[j] *= unitScale[j];
  }
  return result;
}

/**
 * The power of two 2^e with 2^(e-1) <= m < 2^e for a positive finite m (2^1023 at most, the
 * largest float64 power of two; 1 for m = 0), so that every |v| <= m scales to at most 1.
 */
function powerOfTwoNear(m: number): number {
  if (m === 0) return 1;
  // Math.log2 may round up just below a power of two, differently in each engine: correct
  // its guess with exact powers of two (maskgrad's pow of 2 and an integer is exact).
  let e = Math.floor(Math.log2(m)) + 1;
  while (e > -1073 && pow(2, e - 1) > m) e--;
  while (e < 1024 && pow(2, e) <= m) e++;
  if (e > 1023) e = 1023;
  if (e < -1074) e = -1074;
  return pow(2, e);
}
