// maskgrad/experiment: the experiment runner that compares missing-label strategies, its
// strategy and regime tables, and the table of its options (the CLI's `train` and `study`,
// and the playground, use them).
export { evaluate, runExperiment } from './experiment';
export type { ExperimentOptions, ExperimentResult, TestMetrics } from './experiment';
export { STRATEGIES, strategiesFor } from './strategies';
export type { StrategyDefinition } from './strategies';
export {
  checkOption,
  DEFAULT_DELTA_REL,
  METHOD_OPTIONS,
  OPTION_FIELDS,
  OPTION_TABLE,
  REGIMES,
  STRATEGY_NAMES,
} from './options';
export type {
  MethodOption,
  OptionDefault,
  OptionField,
  OptionRow,
  OptionValue,
  Regime,
  Strategy,
} from './options';
