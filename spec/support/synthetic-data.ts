// A seeded multi-label data set whose labels a linear model can learn, for the training specs.
import { type MultiLabelDataset, Random, Tensor } from '../../src';

/**
 * `rows` rows of `features` normal features; label c is 1 when x . w_c > 0 for a hidden w_c;
 * about a quarter of the labels are unknown (mask 0, y 0).
 */
export function synthetic(
  rows: number,
  features: number,
  classes: number,
  seed: string,
): MultiLabelDataset {
  const rng = new Random(seed);
  const w = Array.from({ length: classes * features }, () => rng.normal());
  const x = new Float64Array(rows * features).map(() => rng.normal());
  const y = new Float64Array(rows * classes);
  const mask = new Float64Array(rows * classes);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < classes; c++) {
      let dot = 0;
      for (let j = 0; j < features; j++) dot += x[i * features + j] * w[c * features + j];
      const known = rng.uniform() < 0.75;
      mask[i * classes + c] = known ? 1 : 0;
      y[i * classes + c] = known && dot > 0 ? 1 : 0;
    }
  }
  return {
    x: new Tensor(x, [rows, features]),
    y: new Tensor(y, [rows, classes]),
    mask: new Tensor(mask, [rows, classes]),
    featureNames: Array.from({ length: features }, (_, j) => `f${j}`),
    labelNames: Array.from({ length: classes }, (_, c) => `L${c}`),
  };
}
