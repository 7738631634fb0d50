import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { stableSigmoid as sigmoid } from '../ops/activations';
import { formatShape } from '../shape';
import { NestedArray, Tensor } from '../tensor';
import { defineMaskedLoss, epsilonBceEntry } from './define-masked-loss';
import { negativeEntropyEntry } from './entropy-maximization';
import type { EpochContext, LossContext, StatefulLoss } from './loss';
import {
  asTensor,
  checkRows,
  epsilonOption,
  expandMask,
  formatIndex,
  MaskLike,
  maskTensor,
  missingLabelArguments,
  numberOption,
} from './validate';

const FN = 'asymmetricPseudoLabelLoss';
const ROUND = 'aplPseudoLabelRound';
const CLASS = 'AsymmetricPseudoLabelLoss';

/** A pseudo-label table [B][C] (or [N][C]): a soft target in [0, 1], or null for none. */
export type PseudoLabelTable = readonly (readonly (number | null)[])[];

export interface AsymmetricPseudoLabelOptions {
  /** Weight of the entropy term at an unknown without a pseudo-label, >= 0. Default 0.2. */
  alpha?: number;
  /** Weight of the pseudo-labels' cross-entropy, >= 0. Default 0.02. */
  beta?: number;
  /** nl(x) = -log(x + epsilon) as the reference code; 0: the exact forms. Default 1e-5. */
  epsilon?: number;
  /** The pseudo-labels of the batch, [B][C]; read only where the mask is 0. Default: none. */
  pseudo?: PseudoLabelTable;
}

interface Attrs {
  alpha: number;
  beta: number;
  epsilon: number;
}

/**
 * Inputs: logits z, targets y, mask m, `labelled` (1 where an unknown has a pseudo-label) and
 * the soft targets s. Observed entries get BCE against y; a pseudo-labelled unknown gets
 * beta times BCE against s; any other unknown gets EM's `-alpha H` (the skeleton's unknown
 * term). Divided by B C.
 */
const aplOp = defineMaskedLoss<Attrs>({
  name: FN,
  weigh([z, y, m, labelled, s], { alpha, beta }, { pos, neg, unknownPos }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] !== 0) {
        pos[i] = y.data[i];
        neg[i] = 1 - y.data[i];
      } else if (labelled.data[i] !== 0) {
        pos[i] = beta * s.data[i];
        neg[i] = beta * (1 - s.data[i]);
      } else {
        unknownPos[i] = alpha;
      }
    }
    return z.data.length;
  },
  entry: epsilonBceEntry,
  unknownEntry: negativeEntropyEntry,
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], values: [1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1], requiresGrad: false },
        { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0], requiresGrad: false },
        { shape: [3, 4], values: [0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1], requiresGrad: false },
        { shape: [3, 4], low: 0, high: 1, requiresGrad: false },
      ],
      attrs: { alpha: 0.2, beta: 0.5, epsilon: 1e-5 },
      note: 'every kind of entry: observed positive and negative, pseudo-labelled, unknown',
    },
    {
      inputs: [
        { shape: [2, 3], values: [-2.5, 1.5, 0.3, -0.7, 2.2, -1.1] },
        { shape: [3], values: [1, 0, 0], requiresGrad: false },
        { shape: [3], values: [1, 0, 0], requiresGrad: false },
        { shape: [2, 3], values: [0, 1, 0, 0, 0, 1], requiresGrad: false },
        { shape: [2, 3], values: [0, 0.2, 0, 0, 0, 0.9], requiresGrad: false },
      ],
      attrs: { alpha: 0.1, beta: 0.9, epsilon: 0 },
      note: 'per-class targets and mask broadcast over the rows; the exact forms (epsilon 0)',
    },
  ],
});

/**
 * The pseudo-label table as two arrays over the logits' entries: `labelled` 1 and `s` the
 * soft target where an unknown (m = 0) has a pseudo-label. Entries where m = 1 are not read.
 */
function pseudoArrays(
  where: string,
  what: string,
  pseudo: unknown,
  mask: Float64Array,
  rows: number,
  classes: number,
): { labelled: Float64Array; s: Float64Array } {
  const labelled = new Float64Array(rows * classes);
  const s = new Float64Array(rows * classes);
  if (pseudo === undefined) return { labelled, s };
  const shape = `[${rows}][${classes}]`;
  if (!Array.isArray(pseudo) || pseudo.length !== rows) {
    throw new MaskgradError(
      `${where}: ${what} must be ${rows} rows of ${classes} entries (a soft target in [0, 1] or null), ` +
        `one per row of the logits ${shape}, got ${Array.isArray(pseudo) ? `${pseudo.length} row${pseudo.length === 1 ? '' : 's'}` : describeValue(pseudo)}`,
      { code: 'ERR_SHAPE' },
    );
  }
  for (let r = 0; r < rows; r++) {
    const row: unknown = pseudo[r];
    if (!Array.isArray(row) || row.length !== classes) {
      throw new MaskgradError(
        `${where}: ${what}[${r}] must be a row of ${classes} entries (a soft target in [0, 1] or null), ` +
          `got ${describeValue(row)}`,
        { code: 'ERR_SHAPE' },
      );
    }
    for (let c = 0; c < classes; c++) {
      const i = r * classes + c;
      if (mask[i] !== 0) continue;
      const v: unknown = row[c];
      if (v === null) continue;
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw new MaskgradError(
          `${where}: ${what}[${r}][${c}] = ${describeValue(v)} at an unknown entry (mask 0); ` +
            'expected a soft target in [0, 1] or null (no pseudo-label)',
        );
      }
      labelled[i] = 1;
      s[i] = v;
    }
  }
  return { labelled, s };
}

function lossAttrs(where: string, options: object): Attrs {
  return {
    alpha: numberOption(where, options, 'alpha', 0.2, 'nonNegative'),
    beta: numberOption(where, options, 'beta', 0.02, 'nonNegative'),
    epsilon: epsilonOption(where, options),
  };
}

/**
 * Entropy maximization with asymmetric pseudo-labels (EM + APL; Zhou et al., ECCV 2022),
 * given the pseudo-label table of the batch. Per entry, with p = sigmoid(z), q = sigmoid(-z)
 * and nl(x) = -log(x + epsilon): an observed positive `nl(p)`, an observed negative `nl(q)`,
 * an unknown with a pseudo-label s `beta (s nl(p) + (1 - s) nl(q))`, any other unknown
 * `-alpha H` with the entropy `H = p nl(p) + q nl(q)`; the sum divided by B C. The table
 * is made by `aplPseudoLabelRound`, or kept for a whole training run by
 * AsymmetricPseudoLabelLoss. Reads every logit, the targets where the mask is 1 and `pseudo`
 * where it is 0. docs/reference/missing-label-losses-2.md, section 4a.
 *
 *     asymmetricPseudoLabelLoss(z, y, m, { pseudo: [[null, 0.1], [0.02, null]] })
 */
export function asymmetricPseudoLabelLoss(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: AsymmetricPseudoLabelOptions = {},
): Tensor {
  checkOptions(FN, options, ['alpha', 'beta', 'epsilon', 'pseudo']);
  const attrs = lossAttrs(FN, options);
  const args = missingLabelArguments(FN, logits, targets, mask);
  const { labelled, s } = pseudoArrays(
    FN,
    'pseudo',
    options.pseudo,
    args.mask.data,
    args.rows,
    args.classes,
  );
  const shape = args.logits.shape;
  return aplOp(
    [args.logits, args.targets, args.mask, new Tensor(labelled, shape), new Tensor(s, shape)],
    attrs,
  );
}

export interface AplRoundOptions {
  /** The share of each class's unknowns labelled over the rounds, in [0, 1]. Default 0.9. */
  negProportion?: number;
  /** The first epoch after which a round runs, an integer >= 1. Default 5. */
  warmupEpoch?: number;
  /** The epochs of the run, an integer > warmupEpoch. Default 10. */
  numEpochs?: number;
}

/** What one round did: k per class, the entries it labelled (`[row, col, s]`) and the new table. */
export interface AplRoundResult {
  k: number[];
  selected: [number, number, number][];
  pseudo: (number | null)[][];
}

interface RoundSettings {
  negProportion: number;
  warmupEpoch: number;
  numEpochs: number;
}

/** An integer option >= `min`, `fallback` when absent; the error names the option and the value. */
function integerOption(where: string, options: object, key: string, fallback: number, min: number) {
  const v = (options as Record<string, unknown>)[key];
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || (v as number) < min) {
    throw new MaskgradError(
      `${where}: ${key} = ${describeValue(v)} is out of range: must be an integer >= ${min}`,
    );
  }
  return v as number;
}

/** The round's options, checked, with numEpochs above warmupEpoch. */
function roundSettings(where: string, options: object): RoundSettings {
  const negProportion = numberOption(where, options, 'negProportion', 0.9, 'unit');
  const warmupEpoch = integerOption(where, options, 'warmupEpoch', 5, 1);
  const numEpochs = integerOption(where, options, 'numEpochs', 10, 1);
  if (numEpochs <= warmupEpoch) {
    throw new MaskgradError(
      `${where}: numEpochs = ${numEpochs} must be above warmupEpoch = ${warmupEpoch} ` +
        '(the pseudo-labels are spread over the epochs after the warm-up)',
    );
  }
  return { negProportion, warmupEpoch, numEpochs };
}

/**
 * One round on flat [N, C] arrays: for each class c, k_c = trunc(negProportion U_c /
 * (numEpochs - warmupEpoch)) with U_c the class's unknowns; the k_c unknowns without a
 * pseudo-label that have the lowest scores (ties by row) get their score as soft target.
 * Updates `labelled` and `s` in place; returns k and the selected entries in order.
 */
function runRound(
  scores: ArrayLike<number>,
  mask: ArrayLike<number>,
  labelled: Float64Array | Uint8Array,
  s: Float64Array,
  rows: number,
  classes: number,
  settings: RoundSettings,
): { k: number[]; selected: [number, number, number][] } {
  const k: number[] = [];
  const selected: [number, number, number][] = [];
  const rounds = settings.numEpochs - settings.warmupEpoch;
  for (let c = 0; c < classes; c++) {
    let unknown = 0;
    const candidates: number[] = [];
    for (let r = 0; r < rows; r++) {
      const i = r * classes + c;
      if (mask[i] !== 0) continue;
      unknown++;
      if (labelled[i] === 0) candidates.push(r);
    }
    const kc = Math.trunc((settings.negProportion * unknown) / rounds);
    k.push(kc);
    candidates.sort((a, b) => scores[a * classes + c] - scores[b * classes + c] || a - b);
    const take = Math.min(kc, candidates.length);
    for (let j = 0; j < take; j++) {
      const i = candidates[j] * classes + c;
      labelled[i] = 1;
      s[i] = scores[i];
      selected.push([candidates[j], c, scores[i]]);
    }
  }
  return { k, selected };
}

/**
 * One round of asymmetric pseudo-labelling (Zhou et al., ECCV 2022), on the scores
 * sigmoid(z) [N, C] of every training row: for each class c, k_c = trunc(negProportion U_c /
 * (numEpochs - warmupEpoch)) in float64, with U_c the class's unknowns (mask 0); the k_c
 * unknowns that have no pseudo-label yet and the lowest scores (ties by ascending row) get
 * their score as soft target. Returns k, the entries labelled (`[row, col, s]`, class by class
 * in ascending score) and the table after the round (null wherever the mask is 1). Reads the
 * scores and `pseudo` where the mask is 0. docs/reference/missing-label-losses-2.md, 4b.
 */
export function aplPseudoLabelRound(
  scores: Tensor | NestedArray,
  mask: MaskLike,
  pseudo: PseudoLabelTable,
  options: AplRoundOptions = {},
): AplRoundResult {
  checkOptions(ROUND, options, ['negProportion', 'warmupEpoch', 'numEpochs']);
  const settings = roundSettings(ROUND, options);
  const sc = asTensor(ROUND, 'scores', scores);
  if (sc.shape.length !== 2 || sc.shape[0] < 1 || sc.shape[1] < 1) {
    throw new MaskgradError(
      `${ROUND}: scores must have shape [N, C] (one row per training row, one column per class), got ${formatShape(sc.shape)}`,
      { code: 'ERR_SHAPE' },
    );
  }
  const [rows, classes] = sc.shape;
  const m = expandMask(maskTensor(ROUND, mask, sc.shape), sc.shape);
  for (let i = 0; i < m.length; i++) {
    const v = sc.data[i];
    if (m[i] === 0 && !(v >= 0 && v <= 1)) {
      throw new MaskgradError(
        `${ROUND}: scores${formatIndex(i, sc.shape)} = ${describeValue(v)} at an unknown entry (mask 0); ` +
          'expected a probability in [0, 1] (sigmoid of a logit)',
      );
    }
  }
  const { labelled, s } = pseudoArrays(ROUND, 'pseudo', pseudo, m, rows, classes);
  const { k, selected } = runRound(sc.data, m, labelled, s, rows, classes, settings);
  const table = Array.from({ length: rows }, (_, r) =>
    Array.from({ length: classes }, (_, c) =>
      labelled[r * classes + c] !== 0 ? s[r * classes + c] : null,
    ),
  );
  return { k, selected, pseudo: table };
}

export interface AsymmetricPseudoLabelLossOptions extends AplRoundOptions {
  alpha?: number;
  beta?: number;
  epsilon?: number;
}

/**
 * EM + APL for `fit`: asymmetricPseudoLabelLoss with a pseudo-label table over the whole
 * training set ([N, C], all empty at first), filled by a round of aplPseudoLabelRound after
 * each epoch from `warmupEpoch` to `numEpochs` (on the model's scores of every training row,
 * in evaluation mode). An entry once labelled keeps its soft target. Epoch warmupEpoch + 1 is
 * the first to train with pseudo-labels; after numEpochs no more rounds run.
 */
export class AsymmetricPseudoLabelLoss implements StatefulLoss {
  private readonly attrs: Attrs;
  private readonly settings: RoundSettings;
  private readonly mask: Float64Array;
  private readonly labelled: Uint8Array;
  private readonly soft: Float64Array;
  private readonly shape: [number, number];

  constructor(train: { y: Tensor; mask: Tensor }, options: AsymmetricPseudoLabelLossOptions = {}) {
    checkOptions(CLASS, options, [
      'alpha',
      'beta',
      'epsilon',
      'negProportion',
      'warmupEpoch',
      'numEpochs',
    ]);
    this.attrs = lossAttrs(CLASS, options);
    this.settings = roundSettings(CLASS, options);
    const t = train as { y?: unknown; mask?: unknown } | null;
    const mask = t?.mask;
    if (!(mask instanceof Tensor) || mask.shape.length !== 2) {
      throw new MaskgradError(
        `${CLASS}: train must hold a mask of shape [N, C] (a MultiLabelDataset), got ${describeValue(mask)}`,
      );
    }
    this.shape = [mask.shape[0], mask.shape[1]];
    this.mask = mask.data.slice();
    this.labelled = new Uint8Array(mask.size);
    this.soft = new Float64Array(mask.size);
  }

  forward = (logits: Tensor, targets: Tensor, mask: Tensor, context: LossContext): Tensor => {
    const args = missingLabelArguments(CLASS, logits, targets, mask);
    const [n, classes] = this.shape;
    if (args.classes !== classes) {
      throw new MaskgradError(
        `${CLASS}: the loss was made for a training set of ${classes} classes, but the batch has ${args.classes}`,
        { code: 'ERR_SHAPE' },
      );
    }
    checkRows(CLASS, context?.rows, args.rows, n);
    const size = args.logits.size;
    const labelled = new Float64Array(size);
    const s = new Float64Array(size);
    for (let b = 0; b < args.rows; b++) {
      const from = context.rows[b] * classes;
      for (let c = 0; c < classes; c++) {
        // A pseudo-label belongs to an unknown of the training set: the batch's own mask decides.
        if (this.labelled[from + c] === 0 || args.mask.data[b * classes + c] !== 0) continue;
        labelled[b * classes + c] = 1;
        s[b * classes + c] = this.soft[from + c];
      }
    }
    const shape = args.logits.shape;
    return aplOp(
      [args.logits, args.targets, args.mask, new Tensor(labelled, shape), new Tensor(s, shape)],
      this.attrs,
    );
  };

  /** After epochs warmupEpoch to numEpochs: a pseudo-labelling round on the model's scores. */
  afterEpoch = (epoch: number, context?: EpochContext): void => {
    if (epoch < this.settings.warmupEpoch || epoch > this.settings.numEpochs) return;
    if (!context || typeof context.trainLogits !== 'function') {
      throw new MaskgradError(
        `${CLASS}: afterEpoch(${epoch}) needs the epoch context with trainLogits (as Trainer.endEpoch gives it) to score the training rows`,
      );
    }
    const logits = context.trainLogits();
    const [n, classes] = this.shape;
    if (logits.shape.length !== 2 || logits.shape[0] !== n || logits.shape[1] !== classes) {
      throw new MaskgradError(
        `${CLASS}: the training rows' logits have shape ${formatShape(logits.shape)}, but the loss was made for [${n},${classes}]`,
        { code: 'ERR_SHAPE' },
      );
    }
    const scores = Float64Array.from(logits.data, (z) => sigmoid(z));
    runRound(scores, this.mask, this.labelled, this.soft, n, classes, this.settings);
  };

  /** The pseudo-label table over the training set: a soft target or null per entry. */
  pseudoLabels(): (number | null)[][] {
    const [n, classes] = this.shape;
    return Array.from({ length: n }, (_, r) =>
      Array.from({ length: classes }, (_, c) =>
        this.labelled[r * classes + c] !== 0 ? this.soft[r * classes + c] : null,
      ),
    );
  }
}
