import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { hideLabels, type MultiLabelDataset, splitRows, standardize } from '../data';
import { f1, hammingLoss, labelRankingAveragePrecision, meanAveragePrecision } from '../metrics';
import type { MLP } from '../nn';
import { fit, type FitHooks, type FitOptions, type FitResult, predictProbabilities } from './fit';

/**
 * How the training labels are used:
 * - masked: `hide` of the known labels are hidden, and the loss skips every unknown label;
 * - negative: the same labels are hidden, and every unknown label is taken as 0;
 * - full: every label the file has (no extra hiding), the upper bound.
 */
export type Strategy = 'masked' | 'negative' | 'full';

export const STRATEGIES: readonly Strategy[] = ['full', 'masked', 'negative'];

export interface ExperimentOptions extends Omit<FitOptions, 'lossKind'> {
  strategy: Strategy;
  /** Share of the known training labels to hide (0..1); ignored by 'full'. */
  hide: number;
  /** Share of the training rows held out for early stopping (0..1). */
  val: number;
  /**
   * After early stopping has picked the best epoch count, train again from the same
   * initial weights on all training rows (the held-out rows included) for that many
   * epochs, and keep that model. Without it, the early-stopped model is kept.
   */
  refit: boolean;
}

/** Test-set metrics, each over the test set's known labels. */
export interface TestMetrics {
  mAP: number;
  lrap: number;
  microF1: number;
  macroF1: number;
  hamming: number;
}

export interface ExperimentResult extends TestMetrics {
  strategy: Strategy;
  hide: number;
  seed: number | string;
  /** Epochs run, and the epoch whose weights were kept. */
  epochs: number;
  bestEpoch: number;
  seconds: number;
  /** Mean training loss of each epoch of the early-stopping run. */
  lossCurve: number[];
  fitted: FitResult;
  /** The model that was tested (the refitted one with `refit`). */
  model: MLP;
}

/** The metrics of predicted probabilities on `data` (threshold 0.5 for F1 and Hamming loss). */
export function evaluate(probs: import('../tensor').Tensor, data: MultiLabelDataset): TestMetrics {
  const { y, mask } = data;
  return {
    mAP: meanAveragePrecision(probs, y, mask).value,
    lrap: labelRankingAveragePrecision(probs, y, mask),
    microF1: f1(probs, y, { average: 'micro', mask }),
    macroF1: f1(probs, y, { average: 'macro', mask }),
    hamming: hammingLoss(probs, y, { mask }),
  };
}

/**
 * One run of one strategy: hide labels (seeded), hold out validation rows (seeded, the
 * same rows for every strategy), standardize features with the training rows'
 * statistics, train with early stopping, and measure on the test set.
 */
export function runExperiment(
  trainSet: MultiLabelDataset,
  testSet: MultiLabelDataset,
  options: ExperimentOptions,
  hooks: FitHooks = {},
): ExperimentResult {
  const started = process.hrtime.bigint();
  const { strategy, hide, val, seed } = options;
  if (!STRATEGIES.includes(strategy)) {
    throw new MaskgradError(
      `runExperiment: strategy must be 'masked', 'negative' or 'full', got ${describeValue(strategy)}`,
    );
  }
  if (typeof options.refit !== 'boolean') {
    throw new MaskgradError(
      `runExperiment: refit must be true or false, got ${describeValue(options.refit)}`,
    );
  }
  if (!(hide >= 0 && hide <= 1))
    throw new MaskgradError(`runExperiment: hide must be in [0, 1], got ${hide}`);
  if (!(val >= 0 && val < 1))
    throw new MaskgradError(`runExperiment: val must be in [0, 1), got ${val}`);
  const labelled =
    strategy === 'full' ? trainSet : hideLabels(trainSet, hide, { seed: `${seed}:hide` });
  const split = splitRows(labelled, val, { seed: `${seed}:split` });
  const scaled = standardize(split.train, split.val, testSet);
  const [valScaled, testScaled] = scaled.others;
  const fitOptions = {
    ...options,
    lossKind: strategy === 'negative' ? 'negative' : 'masked',
  } as const;
  const validating = val > 0;
  if (validating && split.val.x.shape[0] === 0) {
    throw new MaskgradError(
      `runExperiment: val ${val} holds out no row of ${labelled.x.shape[0]}; ` +
        'use a larger share, or 0 to train on every row without early stopping',
    );
  }
  const fitted = fit(scaled.train, validating ? valScaled : null, fitOptions, hooks);
  let model = fitted.model;
  let testData = testScaled;
  if (options.refit && validating) {
    const all = standardize(labelled, testSet);
    model = fit(all.train, null, { ...fitOptions, epochs: fitted.bestEpoch }).model;
    testData = all.others[0];
  }
  const metrics = evaluate(predictProbabilities(model, testData.x), testData);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    strategy,
    hide: strategy === 'full' ? 0 : hide,
    seed,
    epochs: fitted.history.length,
    bestEpoch: fitted.bestEpoch,
    ...metrics,
    seconds,
    lossCurve: fitted.history.map((h) => h.loss),
    fitted,
    model,
  };
}
