// Multi-label metrics as scikit-learn 1.2 defines them, each able to ignore unknown labels.
// A class with no observed positive has no average precision (NaN) and is left out of the
// macro mean, as the reference values in spec/fixtures define macro mAP.
export { averagePrecision, meanAveragePrecision, precisionRecallCurve } from './average-precision';
export type { MeanAveragePrecision, PrecisionRecallCurve } from './average-precision';
export { labelRankingAveragePrecision } from './ranking';
export { confusionCounts, f1, hammingLoss } from './classification';
export type {
  ConfusionCounts,
  ConfusionCountsOptions,
  F1Options,
  HammingLossOptions,
} from './classification';
export { applyThresholds, tuneThresholds } from './thresholds';
