// A small trained model for the model, export and pack specs: an MLP trained on the bundled
// yeast data with Adam and the masked loss (public API only), and its model file.
import { join } from 'path';
import {
  Adam,
  maskedBinaryCrossEntropyWithLogits,
  MLP,
  modelFileFrom,
  type ModelFile,
  type MultiLabelDataset,
  noGrad,
  standardize,
  type Tensor,
} from '../src';
import { fileDigest, loadDataset } from '../src/node';

export const YEAST_TRAIN = join(__dirname, '..', 'examples', 'data', 'yeast-train.arff');
export const YEAST_TEST = join(__dirname, '..', 'examples', 'data', 'yeast-test.arff');

export interface Trained {
  model: MLP;
  file: ModelFile;
  train: MultiLabelDataset;
  test: MultiLabelDataset;
  /** The test set standardized with the training statistics, as training evaluates it. */
  testScaled: MultiLabelDataset;
  /** The model's probabilities on testScaled, as training computes them. */
  testProbs: Tensor;
}

let cached: Trained | null = null;

/** Trains (once per process) a 103-16-14 MLP for 40 full-batch Adam steps on yeast-train. */
export function trainedYeastModel(): Trained {
  if (cached) return cached;
  const train = loadDataset(YEAST_TRAIN, { labels: 14 });
  const test = loadDataset(YEAST_TEST, { labels: 14 });
  const scaled = standardize(train, test);
  const model = new MLP([train.x.shape[1], 16, train.y.shape[1]], { seed: 7 });
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  for (let step = 0; step < 40; step++) {
    optimizer.zeroGrad();
    maskedBinaryCrossEntropyWithLogits(
      model.forward(scaled.train.x),
      scaled.train.y,
      scaled.train.mask,
    ).backward();
    optimizer.step();
  }
  const file = modelFileFrom(model, {
    features: train.featureNames,
    labels: train.labelNames,
    standardization: scaled,
    training: {
      strategy: 'masked',
      hide: 0,
      seed: 7,
      epochs: 40,
      data: [fileDigest('train', YEAST_TRAIN)],
      date: '2026-01-01T00:00:00.000Z',
    },
  });
  const testScaled = scaled.others[0];
  const testProbs = noGrad(() => model.forward(testScaled.x).sigmoid());
  cached = { model, file, train, test, testScaled, testProbs };
  return cached;
}
