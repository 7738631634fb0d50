// maskgrad/experiment: the experiment runner that compares missing-label strategies, and its
// strategy and regime tables (the CLI's `train` and `study`, and the playground, use them).
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
