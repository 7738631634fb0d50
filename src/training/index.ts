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
export {
  DEFAULT_DELTA_REL,
  evaluate,
  METHOD_OPTIONS,
  REGIMES,
  runExperiment,
  STRATEGIES,
  STRATEGY_NAMES,
  strategiesFor,
} from './experiment';
export type {
  ExperimentOptions,
  ExperimentResult,
  MethodOption,
  Regime,
  Strategy,
  StrategyDefinition,
  TestMetrics,
} from './experiment';
