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
