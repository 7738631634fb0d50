// Training: the one training step (Trainer) and fit, which runs it over epochs and batches.
export * from './fit';
export * from './diverged';
export * from './trainer';
