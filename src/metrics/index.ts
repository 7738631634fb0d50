// Multi-label metrics (as scikit-learn 1.2 defines them) that can ignore unknown labels.
export { averagePrecision, meanAveragePrecision } from './average-precision';
export type { MeanAveragePrecision } from './average-precision';
export { labelRankingAveragePrecision } from './ranking';
export { f1, hammingLoss } from './classification';
export type { F1Options, HammingLossOptions } from './classification';
