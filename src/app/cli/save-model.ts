// `train --save`: the model of a run written as a model file, with how it was trained.
import type { MultiLabelDataset } from '../../core/data';
import { modelFileFrom } from '../../core/model/model-file';
import { fileDigest, writeModelFile } from '../../node/model-file';
import type { ExperimentResult } from '../experiment';
import { METHOD_OPTIONS } from '../options';
import type { TrainConfig } from './train-arguments';
import type { HeldOutTest } from './train-data';
import type { Tuned } from './tune-thresholds';

/** Writes the model file of `result` to `file` (atomically), with the options it trained with. */
export function saveModel(
  file: string,
  result: ExperimentResult,
  config: TrainConfig,
  data: { train: MultiLabelDataset; heldOut: HeldOutTest | null },
  tuned: Tuned | null,
): void {
  const { train, heldOut } = data;
  const { options } = config;
  const methodOptions = Object.fromEntries(
    METHOD_OPTIONS.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]),
  );
  const model = modelFileFrom(result.model, {
    features: train.featureNames,
    labels: train.labelNames,
    standardization: result.standardization,
    observed: result.observed,
    ...(tuned ? { thresholds: tuned.thresholds } : {}),
    training: {
      strategy: result.strategy,
      regime: result.regime,
      hide: result.hide,
      seed: result.seed,
      // The epochs the saved weights were trained for (the refit's, or the best epoch's).
      epochs: result.bestEpoch,
      data: [
        fileDigest('train', config.train),
        ...(config.test === null ? [] : [fileDigest('test', config.test)]),
      ],
      // Without --test: which rows of the training file were the test rows, not trained on.
      ...(heldOut ? { heldOutTest: heldOut } : {}),
      epochsRun: result.epochs,
      val: options.val,
      refit: options.refit && options.val > 0,
      hidden: options.hidden,
      optimizer: options.optimizer,
      lr: options.lr,
      weightDecay: options.weightDecay,
      batchSize: options.batchSize,
      thresholds: tuned ? 'tuned for F1 on the validation rows' : '0.5',
      ...methodOptions,
    },
  });
  writeModelFile(file, model);
}
