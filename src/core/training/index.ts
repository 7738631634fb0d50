export { fit, predictProbabilities, validationMap } from './fit';
export type {
  BatchReport,
  EpochReport,
  FitHooks,
  FitOptions,
  FitResult,
  ValidationMetric,
  ValidationOptions,
} from './fit';
export { TrainingDivergedError } from './diverged';
export type { DivergenceSource } from './diverged';
export { Trainer } from './trainer';
export type { StepReport, TrainerOptions } from './trainer';
