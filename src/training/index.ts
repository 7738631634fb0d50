export { fit, predictProbabilities, TrainingDivergedError, validationMap } from './fit';
export type {
  BatchReport,
  DivergenceSource,
  EpochReport,
  FitHooks,
  FitOptions,
  FitResult,
  ValidationMetric,
  ValidationOptions,
} from './fit';
export { evaluate, runExperiment, STRATEGIES, STRATEGY_NAMES } from './experiment';
export type {
  ExperimentOptions,
  ExperimentResult,
  Strategy,
  StrategyDefinition,
  TestMetrics,
} from './experiment';
