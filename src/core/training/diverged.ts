import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import type { Module } from '../nn';

/**
 * Where training went wrong: the training loss, a parameter after a step, the model's
 * output on the validation rows after an epoch, or (without validation) its output on the
 * training rows after the last epoch.
 */
export type DivergenceSource = 'loss' | 'parameter' | 'validation-output' | 'training-output';

/**
 * Training stopped because a number became NaN or infinite (see DivergenceSource).
 * `model` holds the weights from before the step that broke it (every one finite), or, from
 * `fit` with validation and keepBest once an epoch has been scored, the best epoch's
 * (`keptEpoch`).
 */
export class TrainingDivergedError extends MaskgradError {
  readonly epoch: number;
  /** The batch whose loss (or whose step) went wrong; for an output, the epoch's last. */
  readonly batch: number;
  readonly source: DivergenceSource;
  /** The first non-finite value found. */
  readonly value: number;
  /** The model, back at the weights of the last good step (or of epoch `keptEpoch`). */
  readonly model: Module;
  /** For 'parameter': the parameter's name. */
  readonly parameter?: string;
  /** The epoch whose weights the model was put back to (fit with keepBest), if any. */
  readonly keptEpoch?: number;

  constructor(details: {
    epoch: number;
    batch: number;
    source: DivergenceSource;
    value: number;
    model: Module;
    /** For 'parameter': its name. */
    parameter?: string;
    /** The function the message starts with (default 'fit'). */
    where?: string;
    /** The model holds this epoch's weights instead of the last good step's (keepBest). */
    keptEpoch?: number;
  }) {
    if (details === null || typeof details !== 'object') {
      throw new MaskgradError(
        `TrainingDivergedError: expected details { epoch, batch, source, value, model }, got ${describeValue(details)}`,
      );
    }
    const { epoch, batch, source, value } = details;
    const rows = source === 'validation-output' ? 'validation' : 'training';
    const kept = details.keptEpoch;
    const keeps = (weights: string) =>
      kept === undefined
        ? `stopped, and the model keeps the weights ${weights}`
        : `stopped, and the model keeps the weights of epoch ${kept}, the best on validation (keepBest)`;
    const what =
      source === 'loss'
        ? `the training loss became ${value} at epoch ${epoch}, batch ${batch}; ` +
          keeps('of the last step with a finite loss')
        : source === 'parameter'
          ? `the optimizer step at epoch ${epoch}, batch ${batch} made parameter '${details.parameter}' ` +
            `${value}; ${keeps('from before that step')}`
          : `the model's output on the ${rows} rows became ${value} after epoch ${epoch} ` +
            `(last batch ${batch}); ${keeps('from before its last step')}`;
    super(`${details.where ?? 'fit'}: ${what} (try a smaller learning rate)`, {
      code: 'ERR_DIVERGED',
    });
    this.name = 'TrainingDivergedError';
    this.epoch = epoch;
    this.batch = batch;
    this.source = source;
    this.value = value;
    this.model = details.model;
    if (details.parameter !== undefined) this.parameter = details.parameter;
    if (kept !== undefined) this.keptEpoch = kept;
  }
}
