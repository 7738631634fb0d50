import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { stableSigmoid as sigmoid } from '../ops/activations';
import { NestedArray, Tensor } from '../tensor';
import { binaryCrossEntropyEntry, defineMaskedLoss, softplus } from './define-masked-loss';
import type { LossFunction } from './loss';
import { MaskLike, missingLabelArguments, numberOption } from './validate';
import * as math from '../math';

const FN = 'generalizedRobustLoss';

export interface GeneralizedRobustOptions {
  /** Slope of K = sigmoid(w p + b). Required (see grSchedule). */
  w?: number;
  /** Offset of K = sigmoid(w p + b). Required. */
  b?: number;
  /** Centre of V = exp(-((p - mu) / sigma)^2 / 2). Required. */
  mu?: number;
  /** Width of V, > 0. Required. */
  sigma?: number;
  /** Exponent of the positive side, (1 - p^q2) / q2; > 0. Default 0.01. */
  q2?: number;
  /** Exponent of the negative side, (1 - (1 - p)^q3) / q3; > 0. Default 1. */
  q3?: number;
  /** -log(x + epsilon) at the observed entries, as the authors' code; 0 for the exact log. Default 1e-7. */
  epsilon?: number;
}

interface Attrs {
  q2: number;
  q3: number;
  epsilon: number;
}

/**
 * Inputs 3 and 4 are K and V of each entry, computed by generalizedRobustLoss from the
 * detached predictions. An observed entry has its binary cross-entropy weights (pos y,
 * neg 1 - y); an unknown entry charges the robust term, weighted V K and V (1 - K).
 */
const generalizedRobustOp = defineMaskedLoss<Attrs>({
  name: FN,
  weigh([z, y, m, k, v], _attrs, { pos, neg, unknownPos, unknownNeg }) {
    for (let i = 0; i < z.data.length; i++) {
      if (m.data[i] !== 0) {
        pos[i] = y.data[i];
        neg[i] = 1 - y.data[i];
      } else {
        unknownPos[i] = v.data[i] * k.data[i];
        unknownNeg[i] = v.data[i] * (1 - k.data[i]);
      }
    }
    return z.data.length;
  },
  entry(z, pos, neg, { epsilon }, out) {
    binaryCrossEntropyEntry(z, pos, neg, epsilon, out);
  },
  // Unknown: a (1 - p^q2)/q2 + c (1 - q^q3)/q3 with p^q2 = exp(q2 log p), log p = -softplus(-z)
  // (and q alike), so neither side cancels as p -> 0 or 1; derivative -a p^q2 q + c p q^q3.
  unknownEntry(z, a, c, { q2, q3 }, out) {
    let loss = 0;
    let slope = 0;
    if (a !== 0) {
      const logP = -softplus(-z);
      loss += (a * -math.expm1(q2 * logP)) / q2;
      slope -= a * math.exp(q2 * logP) * sigmoid(-z);
    }
    if (c !== 0) {
      const logQ = -softplus(z);
      loss += (c * -math.expm1(q3 * logQ)) / q3;
      slope += c * sigmoid(z) * math.exp(q3 * logQ);
    }
    out[0] = loss;
    out[1] = slope;
  },
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], values: [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0], requiresGrad: false },
        { shape: [3, 4], values: [1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 0], requiresGrad: false },
        { shape: [3, 4], low: 0.05, high: 0.95, requiresGrad: false },
        { shape: [3, 4], low: 0.05, high: 1, requiresGrad: false },
      ],
      attrs: { q2: 0.01, q3: 1, epsilon: 1e-7 },
      note: 'the defaults',
    },
    {
      inputs: [
        [2, 3],
        { shape: [2, 3], values: [0, 1, 0, 0, 0, 1], requiresGrad: false },
        { shape: [3], values: [0, 1, 1], requiresGrad: false },
        { shape: [3], low: 0.05, high: 0.95, requiresGrad: false },
        { shape: [2, 3], low: 0.05, high: 1, requiresGrad: false },
      ],
      attrs: { q2: 0.5, q3: 0.5, epsilon: 0 },
      note: 'a per-class mask and K broadcast; exact log',
    },
  ],
});

/** A required or defaulted number option that must be finite and > 0. */
function positiveOption(fn: string, options: object, key: string, fallback?: number): number {
  const value = numberOption(fn, options, key, fallback, 'finite');
  if (!(value > 0)) {
    throw new MaskgradError(
      `${fn}: ${key} = ${describeValue(value)} is out of range: must be a finite number > 0`,
    );
  }
  return value;
}

/**
 * The generalized robust loss, GR (IJCAI 2024, as the authors' code yan4xi1/GRLoss): with
 * p = sigmoid(z), an observed positive costs -log(p + epsilon), an observed negative
 * -log(1 - p + epsilon), and an unknown entry
 * `V (K (1 - p^q2)/q2 + (1 - K)(1 - (1 - p)^q3)/q3)`, where K = sigmoid(w p + b) (how
 * likely the unknown is positive) and V = exp(-((p - mu)/sigma)^2 / 2) (how much it
 * counts) are computed from p as constants (no gradient flows through them); summed and
 * divided by B C. Training moves w, b, mu and sigma by epoch: see grSchedule and
 * generalizedRobustPerEpoch. Uses every logit, and the targets where the mask is 1.
 */
export function generalizedRobustLoss(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: GeneralizedRobustOptions = {},
): Tensor {
  checkOptions(FN, options, ['w', 'b', 'mu', 'sigma', 'q2', 'q3', 'epsilon']);
  const w = numberOption(FN, options, 'w', undefined, 'finite');
  const b = numberOption(FN, options, 'b', undefined, 'finite');
  const mu = numberOption(FN, options, 'mu', undefined, 'finite');
  const sigma = positiveOption(FN, options, 'sigma');
  const attrs: Attrs = {
    q2: positiveOption(FN, options, 'q2', 0.01),
    q3: positiveOption(FN, options, 'q3', 1),
    epsilon: numberOption(FN, options, 'epsilon', 1e-7, 'belowOne'),
  };
  const args = missingLabelArguments(FN, logits, targets, mask);
  const n = args.logits.size;
  const k = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (args.mask.data[i] !== 0) continue;
    const p = sigmoid(args.logits.data[i]);
    const d = (p - mu) / sigma;
    k[i] = sigmoid(w * p + b);
    v[i] = math.exp(-0.5 * (d * d));
  }
  const shape = args.logits.shape;
  return generalizedRobustOp(
    [args.logits, args.targets, args.mask, new Tensor(k, shape), new Tensor(v, shape)],
    attrs,
  );
}

export interface GrScheduleOptions {
  /** T, the epochs of the schedule: an integer >= 1. Default 8. */
  numEpochs?: number;
  /** n, the epochs before the schedule starts moving: an integer in [0, T). Default 0. */
  linearInit?: number;
  w0?: number;
  wT?: number;
  b0?: number;
  bT?: number;
  mu0?: number;
  sigma0?: number;
  muT?: number;
  sigmaT?: number;
}

/** The parameters of generalizedRobustLoss in one epoch. */
export interface GrParameters {
  w: number;
  b: number;
  mu: number;
  sigma: number;
}

const SCHEDULE = 'grSchedule';
const SCHEDULE_KEYS = [
  'numEpochs',
  'linearInit',
  'w0',
  'wT',
  'b0',
  'bT',
  'mu0',
  'sigma0',
  'muT',
  'sigmaT',
];
const SCHEDULE_DEFAULTS: Record<string, number> = {
  w0: 0,
  wT: 2,
  b0: -2,
  bT: -2,
  mu0: 0.5,
  sigma0: 2,
  muT: 0.8,
  sigmaT: 0.5,
};

/** The checked schedule options, with their defaults. */
function scheduleOptions(where: string, options: GrScheduleOptions): Required<GrScheduleOptions> {
  const T = options.numEpochs ?? 8;
  const n = options.linearInit ?? 0;
  if (!Number.isInteger(T) || T < 1) {
    throw new MaskgradError(
      `${where}: numEpochs = ${describeValue(T)} is out of range: must be an integer >= 1`,
    );
  }
  if (!Number.isInteger(n) || n < 0 || n >= T) {
    throw new MaskgradError(
      `${where}: linearInit = ${describeValue(n)} is out of range: must be an integer from 0 to numEpochs - 1 (${T - 1})`,
    );
  }
  const out = { numEpochs: T, linearInit: n } as Required<GrScheduleOptions>;
  for (const key of Object.keys(SCHEDULE_DEFAULTS) as (keyof GrScheduleOptions)[]) {
    out[key] = numberOption(where, options, key, SCHEDULE_DEFAULTS[key], 'finite');
  }
  if (!(out.sigma0 > 0) || !(out.sigmaT > 0)) {
    const key = out.sigma0 > 0 ? 'sigmaT' : 'sigma0';
    throw new MaskgradError(
      `${where}: ${key} = ${out[key]} is out of range: must be a finite number > 0`,
    );
  }
  return out;
}

/** w, b, mu and sigma of epoch `e` (from 1) of a checked schedule, as the code, left to right. */
function scheduleAt(s: Required<GrScheduleOptions>, e: number): GrParameters {
  const T = s.numEpochs;
  const n = s.linearInit;
  const early = Math.max(e - n - 1, 0);
  const late = Math.max(e - n, 0);
  return {
    w: s.w0 + ((s.wT - s.w0) * early) / (T - n),
    b: s.b0 + ((s.bT - s.b0) * early) / (T - n),
    mu: s.mu0 + ((s.muT - s.mu0) * late) / (T - n),
    sigma: s.sigma0 + ((s.sigmaT - s.sigma0) * late) / (T - n),
  };
}

/**
 * The GR schedule (the authors' train.py): w, b, mu and sigma of generalizedRobustLoss in
 * epoch e (from 1) of T = numEpochs, each moving linearly from its start to its end value
 * after the first n = linearInit epochs. As the code, w and b use e - n - 1 (they never
 * reach wT and bT) and mu and sigma use e - n (they reach muT and sigmaT at e = T). An
 * epoch after T keeps the values of epoch T.
 */
export function grSchedule(epoch: number, options: GrScheduleOptions = {}): GrParameters {
  checkOptions(SCHEDULE, options, SCHEDULE_KEYS);
  if (!Number.isInteger(epoch) || epoch < 1) {
    throw new MaskgradError(
      `${SCHEDULE}: epoch = ${describeValue(epoch)} is out of range: must be an integer >= 1`,
    );
  }
  const s = scheduleOptions(SCHEDULE, options);
  return scheduleAt(s, Math.min(epoch, s.numEpochs));
}

/** generalizedRobustPerEpoch's options: the schedule's, and the loss's fixed ones. */
export interface GeneralizedRobustPerEpochOptions extends GrScheduleOptions {
  q2?: number;
  q3?: number;
  epsilon?: number;
}

/**
 * GR as a training loss: in epoch e (the training loop's context), generalizedRobustLoss
 * with w, b, mu and sigma from grSchedule(e, options) and the options' q2, q3 and epsilon.
 */
export function generalizedRobustPerEpoch(
  options: GeneralizedRobustPerEpochOptions = {},
): LossFunction {
  const where = 'generalizedRobustPerEpoch';
  checkOptions(where, options, [...SCHEDULE_KEYS, 'q2', 'q3', 'epsilon']);
  const { q2, q3, epsilon, ...rest } = options;
  const schedule = scheduleOptions(where, rest);
  const fixed: GeneralizedRobustOptions = {};
  if (q2 !== undefined) fixed.q2 = positiveOption(where, options, 'q2');
  if (q3 !== undefined) fixed.q3 = positiveOption(where, options, 'q3');
  if (epsilon !== undefined) fixed.epsilon = numberOption(where, options, 'epsilon', 0, 'belowOne');
  return (logits, targets, mask, context) => {
    const epoch = context?.epoch;
    if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 1) {
      throw new MaskgradError(
        `${where}: needs the training loop's context with an integer epoch >= 1, got ${context === undefined ? 'no context' : `epoch ${describeValue(epoch)}`}`,
      );
    }
    const params = scheduleAt(schedule, Math.min(epoch, schedule.numEpochs));
    return generalizedRobustLoss(logits, targets, mask, { ...params, ...fixed });
  };
}
