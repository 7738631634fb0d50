export { fit, predictProbabilities, TrainingDivergedError } from './fit';
export type { EpochReport, FitHooks, FitOptions, FitResult, LossKind } from './fit';
export { evaluate, runExperiment, STRATEGIES } from './experiment';
export type { ExperimentOptions, ExperimentResult, Strategy, TestMetrics } from './experiment';
