import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { noGrad } from '../autograd';
import { add } from '../ops/arithmetic';
import { stableSigmoid as sigmoid } from '../ops/activations';
import { take } from '../ops/take';
import { Adam } from '../optim/adam';
import { randomFrom, SeedOptions } from '../random';
import { formatShape } from '../shape';
import { Tensor } from '../tensor';
import { defineMaskedLoss, epsilonBceEntry, expectedPositivePenalty } from './define-masked-loss';
import { expectedPositivesOption } from './expected-positive';
import type { LossContext, StatefulLoss } from './loss';
import { checkRows, epsilonOption, missingLabelArguments, numberOption } from './validate';
import { log } from '../math';

const FN = 'RoleLoss';

export interface RoleOptions extends SeedOptions {
  /** k of the expected-positive penalty on both the predictions and the estimates. Required. */
  expectedPositives: number;
  /** The model's learning rate; the estimates learn at lr * lrMultiplier. Required. */
  lr: number;
  /** Default 10, as the reference code. */
  lrMultiplier?: number;
  /** nl(x) = -log(x + epsilon) as the reference code. Default 1e-5. */
  epsilon?: number;
}

interface Attrs {
  expectedPositives: number;
  epsilon: number;
}

/**
 * One side of ROLE: logits z (with gradient) against the other side's logits o (a
 * constant, its sigmoid taken as soft targets), the targets y and the mask m. Per entry,
 * half of `(y + e) nl(p) + (1 - y + 1 - e) nl(1 - p)` where observed and
 * `e nl(p) + (1 - e) nl(1 - p)` where unknown (p = sigmoid(z), e = sigmoid(o)), divided
 * by B C, plus half the expected-positive penalty on p.
 */
const roleSideOp = defineMaskedLoss<Attrs>({
  name: 'roleLoss',
  weigh([z, o, y, m], _attrs, { pos, neg }) {
    for (let i = 0; i < z.data.length; i++) {
      const observed = m.data[i] !== 0;
      pos[i] = 0.5 * ((observed ? y.data[i] : 0) + sigmoid(o.data[i]));
      neg[i] = 0.5 * ((observed ? 1 - y.data[i] : 0) + sigmoid(-o.data[i]));
    }
    return z.data.length;
  },
  entry: epsilonBceEntry,
  extra: (z, { expectedPositives }, slope) =>
    expectedPositivePenalty(z, expectedPositives, 0.5, slope),
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], requiresGrad: false },
        { shape: [3, 4], values: [1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0], requiresGrad: false },
        { shape: [3, 4], values: [1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0], requiresGrad: false },
      ],
      attrs: { expectedPositives: 1.5, epsilon: 1e-5 },
    },
  ],
});

const logit = (p: number) => log(p / (1 - p));

/**
 * ROLE, online estimation of the unknown labels (Cole et al., CVPR 2021). The loss keeps
 * a table of label-estimate logits, one row per training row ([N, C]), trained jointly
 * with the model by an Adam of its own at `lr * lrMultiplier`. Initialised as the
 * reference code: logit(0.995) at observed positives, logit(0.005) at observed negatives,
 * uniform in [-logit(0.6), logit(0.6)] elsewhere (drawn with the seed). For a batch with
 * predictions p = sigmoid(z) and estimates e (the table's rows `context.rows`), the loss
 * is the sum of two halves, each divided by B C: the model's, binary cross-entropy of p
 * against the observed labels and against e (a constant), plus the expected-positive
 * penalty on p; and the estimates', the same with p and e swapped. Observed negatives
 * (which the reference code's single-positive setting has none of) count as negatives in
 * the observed term. Like PyTorch's Adam over the table as one parameter, every row of
 * the table is stepped after every batch, with zero gradient outside the batch, so a row
 * keeps moving by its moments after its own batch. Uses every logit, and the targets where
 * the mask is 1.
 */
export class RoleLoss implements StatefulLoss {
  /** The label-estimate logits, [N, C]: the loss's own parameter. */
  readonly estimateLogits: Tensor;
  private readonly optimizer: Adam;
  private readonly attrs: Attrs;

  constructor(train: { y: Tensor; mask: Tensor }, options: RoleOptions) {
    checkOptions(FN, options, [
      'expectedPositives',
      'lr',
      'lrMultiplier',
      'epsilon',
      'seed',
      'rng',
    ]);
    const lr = numberOption(
      FN,
      options,
      'lr',
      undefined,
      'nonNegative',
      ", the model's learning rate",
    );
    const multiplier = numberOption(FN, options, 'lrMultiplier', 10, 'nonNegative');
    this.attrs = {
      expectedPositives: expectedPositivesOption(FN, options),
      epsilon: epsilonOption(FN, options),
    };
    const { y, mask } = checkTrainLabels(train);
    const rng = randomFrom(FN, { seed: options.seed, rng: options.rng });
    const bound = logit(0.6);
    const table = new Float64Array(y.size);
    for (let i = 0; i < table.length; i++) {
      table[i] = rng.uniform(-bound, bound);
      if (mask.data[i] === 0) continue;
      const t = y.data[i];
      table[i] = logit(t === 1 ? 0.995 : t === 0 ? 0.005 : 0.005 + 0.99 * t);
    }
    this.estimateLogits = new Tensor(table, y.shape.slice(), true);
    this.optimizer = new Adam([this.estimateLogits], { lr: lr * multiplier });
  }

  forward = (logits: Tensor, targets: Tensor, mask: Tensor, context: LossContext): Tensor => {
    const args = missingLabelArguments(FN, logits, targets, mask);
    const [n, classes] = this.estimateLogits.shape;
    const shape = context?.train?.y?.shape;
    if (!shape || shape[0] !== n || shape[1] !== classes || args.classes !== classes) {
      throw new MaskgradError(
        `${FN}: the loss was made for a training set of shape [${n},${classes}], but the batch has ` +
          `${args.classes} classes and the context's training set targets of shape ${shape ? formatShape(shape) : 'none'}`,
        { code: 'ERR_SHAPE' },
      );
    }
    checkRows(FN, context.rows, args.rows, n);
    const estimates = take(this.estimateLogits, context.rows);
    const { targets: y, mask: m, logits: z } = args;
    return add(
      roleSideOp([z, estimates, y, m], this.attrs),
      roleSideOp([estimates, z, y, m], this.attrs),
    );
  };

  /** Steps the estimate table with its own Adam (every row) and clears its gradient. */
  afterStep = (_context?: LossContext): void => {
    this.optimizer.step();
    this.optimizer.zeroGrad();
  };

  /** The current label estimates, sigmoid of the table: [N, C]. */
  labelEstimates(): Tensor {
    return noGrad(() => this.estimateLogits.sigmoid());
  }
}

function checkTrainLabels(train: unknown): { y: Tensor; mask: Tensor } {
  const t = train as { y?: unknown; mask?: unknown } | null;
  const y = t?.y;
  const mask = t?.mask;
  if (
    !(y instanceof Tensor) ||
    !(mask instanceof Tensor) ||
    y.shape.length !== 2 ||
    formatShape(y.shape) !== formatShape(mask.shape)
  ) {
    throw new MaskgradError(
      `${FN}: train must hold targets y and mask of one shape [N, C] (a MultiLabelDataset), got ` +
        (y instanceof Tensor && mask instanceof Tensor
          ? `y ${formatShape(y.shape)} and mask ${formatShape(mask.shape)}`
          : 'no such tensors'),
    );
  }
  return { y, mask };
}
