import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { describeValue } from '../describe-value';
import { defineMaskedLoss, exactBceEntry, softplus } from './define-masked-loss';
import type { LossContext, LossFunction, StatefulLoss } from './loss';
import { checkRows, choiceOption, MaskLike, missingLabelArguments, numberOption } from './validate';

const FN = 'largeLossLoss';

export type LargeLossMode = 'reject' | 'correct';

export interface LargeLossOptions {
  /** The share of the batch's B C entries to select, in [0, 1]. Required. */
  rate?: number;
  /** 'reject' (LL-R, default): a selected entry adds 0; 'correct' (LL-Ct): it is taken as positive. */
  mode?: LargeLossMode;
}

interface Attrs {
  correct: boolean;
}

/** Input 3 marks (1) the unknown entries selected for rejection or correction. */
const largeLossOp = defineMaskedLoss<Attrs>({
  name: FN,
  weigh([z, y, m, selected], { correct }, { pos, neg }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] !== 0) {
        pos[i] = y.data[i];
        neg[i] = 1 - y.data[i];
      } else if (selected.data[i] === 0) {
        neg[i] = 1;
      } else if (correct) {
        pos[i] = 1;
      }
    }
    return z.data.length;
  },
  entry: exactBceEntry,
  samples: (['reject', 'correct'] as const).map((mode) => ({
    inputs: [
      [3, 4],
      { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0], requiresGrad: false },
      { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0], requiresGrad: false },
      { shape: [3, 4], values: [0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0], requiresGrad: false },
    ],
    attrs: { correct: mode === 'correct' },
    note: mode,
  })),
});

/**
 * The unknown entries (mask 0) whose loss as negatives, softplus(z), is among the
 * k = ceil(B C rate) largest (k at most the number of unknowns): 1 at every unknown entry
 * whose loss is at least the k-th largest, else 0. Plain numbers: no gradient.
 */
export function selectLargeLosses(
  logits: Float64Array,
  mask: Float64Array,
  rate: number,
): Float64Array {
  const selected = new Float64Array(logits.length);
  let unknown = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === 0) unknown++;
  const k = Math.min(Math.ceil(logits.length * rate), unknown);
  if (k === 0) return selected;
  const losses = new Float64Array(unknown);
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i] === 0) losses[j++] = softplus(logits[i]);
  const threshold = losses.sort()[unknown - k];
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0 && softplus(logits[i]) >= threshold) selected[i] = 1;
  }
  return selected;
}

/**
 * Large loss rejection and correction (Kim et al., CVPR 2022), on top of assume negative:
 * exact binary cross-entropy from logits against the target (0 at unknown entries) at every
 * entry; among the unknown entries, the k = ceil(B C rate) with the largest loss (every
 * one tied with the k-th) add 0 (`mode: 'reject'`, LL-R) or their loss as positives
 * (`'correct'`, LL-Ct); summed and divided by B C. The selection carries no gradient.
 * `rate: 0` is assume negative with the exact log. Training uses
 * `rate = (epoch - 1) * deltaRel`: see largeLossPerEpoch. Uses every logit, and the targets
 * where the mask is 1.
 */
export function largeLossLoss(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: LargeLossOptions = {},
): Tensor {
  checkOptions(FN, options, ['rate', 'mode']);
  const rate = numberOption(FN, options, 'rate', undefined, 'unit');
  const mode = choiceOption(FN, options, 'mode', ['reject', 'correct'] as const);
  const args = missingLabelArguments(FN, logits, targets, mask);
  const selected = selectLargeLosses(args.logits.data, args.mask.data, rate);
  return largeLossOp(
    [args.logits, args.targets, args.mask, new Tensor(selected, args.logits.shape)],
    { correct: mode === 'correct' },
  );
}

/**
 * LL-R or LL-Ct as a training loss: in epoch e, largeLossLoss with
 * `rate = min((e - 1) * deltaRel, 1)` (nothing selected in the first epoch), as the
 * reference code's schedule.
 */
export function largeLossPerEpoch(options: {
  deltaRel: number;
  mode?: LargeLossMode;
}): LossFunction {
  const where = 'largeLossPerEpoch';
  checkOptions(where, options, ['deltaRel', 'mode']);
  const deltaRel = deltaRelOption(where, options);
  const mode = choiceOption(where, options, 'mode', ['reject', 'correct'] as const);
  return (logits, targets, mask, context) =>
    largeLossLoss(logits, targets, mask, {
      rate: Math.min((epochOf(where, context) - 1) * deltaRel, 1),
      mode,
    });
}

function deltaRelOption(where: string, options: object): number {
  return numberOption(where, options, 'deltaRel', undefined, 'unit', ', the share added per epoch');
}

function epochOf(where: string, context: LossContext | undefined): number {
  const epoch = context?.epoch;
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 1) {
    throw new MaskgradError(
      `${where}: needs the training loop's context with an integer epoch >= 1, got ${context === undefined ? 'no context' : `epoch ${describeValue(epoch)}`}`,
    );
  }
  return epoch;
}

const CP = 'PermanentCorrectionLoss';

/**
 * LL-Cp (Kim et al., CVPR 2022): large loss correction made permanent. From the second
 * epoch on, in every batch the k = ceil(B C deltaRel) unknown entries with the largest
 * loss as negatives are taken as positives (as LL-Ct), and after the step they stay
 * positive: the loss keeps its own table of corrected labels, keyed by training row, and
 * a corrected entry counts as an observed positive in every later batch. In the first
 * epoch it is assume negative. Uses every logit, and the targets where the mask is 1.
 */
export class PermanentCorrectionLoss implements StatefulLoss {
  readonly deltaRel: number;
  /** 1 at (row, class) of the training set where a label has been corrected to positive. */
  private corrected: Uint8Array | null = null;
  private classes = 0;
  private pending: { epoch: number; batch: number; entries: number[] } | null = null;

  constructor(options: { deltaRel: number }) {
    checkOptions(CP, options, ['deltaRel']);
    this.deltaRel = deltaRelOption(CP, options);
  }

  forward = (logits: Tensor, targets: Tensor, mask: Tensor, context: LossContext): Tensor => {
    const epoch = epochOf(CP, context);
    const args = missingLabelArguments(CP, logits, targets, mask);
    const { rows, classes } = args;
    const corrected = this.table(context, rows, classes);
    const y = args.targets.data.slice();
    const m = args.mask.data.slice();
    for (let b = 0; b < rows; b++) {
      const from = context.rows[b] * classes;
      for (let c = 0; c < classes; c++) {
        if (corrected[from + c]) {
          y[b * classes + c] = 1;
          m[b * classes + c] = 1;
        }
      }
    }
    const selected = selectLargeLosses(args.logits.data, m, epoch >= 2 ? this.deltaRel : 0);
    const entries: number[] = [];
    selected.forEach((s, i) => {
      if (s) entries.push(context.rows[Math.floor(i / classes)] * classes + (i % classes));
    });
    this.pending = { epoch, batch: context.batch, entries };
    const shape = args.logits.shape;
    return largeLossOp(
      [args.logits, new Tensor(y, shape), new Tensor(m, shape), new Tensor(selected, shape)],
      { correct: true },
    );
  };

  /** Makes the corrections of the batch just stepped permanent. */
  afterStep = (context: LossContext): void => {
    const pending = this.pending;
    if (!pending || pending.epoch !== context.epoch || pending.batch !== context.batch) {
      throw new MaskgradError(
        `${CP}: afterStep for epoch ${context.epoch}, batch ${context.batch} follows no forward of that batch`,
        { code: 'ERR_STATE' },
      );
    }
    for (const e of pending.entries) this.corrected![e] = 1;
    this.pending = null;
  };

  /** How many labels have been corrected so far. */
  get correctedCount(): number {
    return this.corrected ? this.corrected.reduce((n, v) => n + v, 0) : 0;
  }

  /** Whether the label at (training row, class) has been corrected to positive. */
  isCorrected(row: number, label: number): boolean {
    return this.corrected !== null && this.corrected[row * this.classes + label] === 1;
  }

  /** The table of corrections for a training set of the context's size, made at the first batch. */
  private table(context: LossContext, rows: number, classes: number): Uint8Array {
    const train = context?.train;
    const shape = train?.y?.shape;
    if (!shape || shape.length !== 2 || shape[1] !== classes) {
      throw new MaskgradError(
        `${CP}: the context's training set must have targets [N, ${classes}] (the batch's classes)`,
        { code: 'ERR_SHAPE' },
      );
    }
    const n = shape[0];
    if (this.corrected === null) {
      this.corrected = new Uint8Array(n * classes);
      this.classes = classes;
    } else if (this.corrected.length !== n * classes) {
      throw new MaskgradError(
        `${CP}: the training set has ${n} rows of ${classes} labels, but the corrections were kept for ` +
          `${this.corrected.length / this.classes} rows of ${this.classes}; use a new loss for a new training set`,
        { code: 'ERR_STATE' },
      );
    }
    checkRows(CP, context.rows, rows, n);
    return this.corrected;
  }
}
