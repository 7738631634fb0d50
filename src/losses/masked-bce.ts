import { stableSigmoid } from '../ops/activations';
import { NestedArray, Tensor } from '../tensor';
import { defineOp } from '../ops/define';
import { checkObservedTargets, MaskLike, maskedBceArguments, Reduction } from './validate';

export interface MaskedBceOptions {
  /** 'mean' (default): sum over observed entries / their number. 'sum', or 'none' (masked entries 0). */
  reduction?: Reduction;
  /** Weight of positive targets, one per class (the last axis), as PyTorch's pos_weight. */
  posWeight?: Tensor | number[] | number;
}

interface Attrs {
  reduction: Reduction;
  hasMask: boolean;
}

const FN = 'maskedBinaryCrossEntropyWithLogits';

/**
 * The fused masked loss. Inputs: logits z, targets y, mask m, posWeight p, all broadcast
 * to the logits' shape. An entry with m = 0 is skipped by a branch, never multiplied by 0,
 * so whatever z and y hold there (NaN, Infinity) reaches neither the loss nor a gradient.
 * A one-element m or p (no mask, no posWeight) is read as a scalar rather than copied
 * out to the logits' shape: its step through the arrays is 0.
 */
const maskedBceOp = defineOp<Attrs, { count: number }>({
  name: FN,
  kind: 'loss',
  broadcast: true,
  scalarInputs: true,
  nonDifferentiable: [1, 2, 3],
  forward([z, y, m, p], { reduction, hasMask }) {
    checkObservedTargets(FN, y.data, hasMask ? m.data : null, z.shape);
    const n = z.data.length;
    const ms = m.data.length === 1 ? 0 : 1;
    const ps = p.data.length === 1 ? 0 : 1;
    const perEntry = reduction === 'none' ? new Float64Array(n) : null;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (m.data[i * ms] === 0) continue;
      const zi = z.data[i];
      const yi = y.data[i];
      // PyTorch's formula: (1 - y) z + (1 + (p - 1) y) (log(1 + exp(-|z|)) + max(-z, 0)).
      // The last factor is softplus(-z), computed without overflow for any finite z.
      const softplusNeg = Math.log1p(Math.exp(-Math.abs(zi))) + Math.max(-zi, 0);
      const l = (1 - yi) * zi + (1 + (p.data[i * ps] - 1) * yi) * softplusNeg;
      if (perEntry) perEntry[i] = l;
      sum += l;
      count++;
    }
    if (perEntry) return { data: perEntry, shape: z.shape.slice(), saved: { count } };
    const value = reduction === 'sum' ? sum : count === 0 ? 0 : sum / count;
    return { data: new Float64Array([value]), shape: [], saved: { count } };
  },
  // dl/dz = sigmoid(z) (1 + (p - 1) y) - p y, scaled by 1/count for 'mean';
  // exactly +0 at masked entries (they are never written).
  backward(g, { inputs: [z, y, m, p], attrs: { reduction }, saved: { count } }) {
    const n = z.data.length;
    const dz = new Float64Array(n);
    if (count === 0) return [dz, null, null, null];
    const scale = reduction === 'mean' ? g[0] / count : g[0];
    const ms = m.data.length === 1 ? 0 : 1;
    const ps = p.data.length === 1 ? 0 : 1;
    for (let i = 0; i < n; i++) {
      if (m.data[i * ms] === 0) continue;
      const yi = y.data[i];
      const pi = p.data[i * ps];
      const d = stableSigmoid(z.data[i]) * (1 + (pi - 1) * yi) - pi * yi;
      dz[i] = reduction === 'none' ? g[i] * d : scale * d;
    }
    return [dz, null, null, null];
  },
  samples: [
    {
      inputs: [
        [3, 4],
        { shape: [3, 4], low: 0, high: 1, requiresGrad: false },
        { shape: [3, 4], values: [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1], requiresGrad: false },
        { shape: [], values: [1], requiresGrad: false },
      ],
      attrs: { reduction: 'mean', hasMask: true },
      note: 'some entries masked',
    },
    {
      inputs: [
        [2, 3],
        { shape: [2, 3], values: [1, 0, 1, 0, 0, 1], requiresGrad: false },
        { shape: [3], values: [1, 0, 1], requiresGrad: false },
        { shape: [3], values: [2, 0.5, 3], requiresGrad: false },
      ],
      attrs: { reduction: 'sum', hasMask: true },
      note: 'per-class mask and posWeight broadcast over rows',
    },
    {
      inputs: [
        [2, 3],
        { shape: [2, 3], low: 0, high: 1, requiresGrad: false },
        { shape: [2, 3], values: [0, 1, 1, 1, 1, 0], requiresGrad: false },
        { shape: [], values: [1], requiresGrad: false },
      ],
      attrs: { reduction: 'none', hasMask: true },
      note: "reduction 'none'",
    },
  ],
});

/**
 * Binary cross-entropy from logits over the observed entries only: with mask m
 * (1 observed, 0 unknown), loss = sum over m=1 of l(z, y) / (number of m=1), where
 * l = max(z,0) - z y + log(1 + exp(-|z|)). Unknown entries add nothing to the loss
 * and exactly 0 to every gradient: dL/dz = m (sigmoid(z) - y) / nObserved.
 * No observed entry at all gives loss 0 and zero gradients.
 *
 * ```ts
 * const loss = maskedBinaryCrossEntropyWithLogits(logits, targets, mask);
 * loss.backward();
 * ```
 */
export function maskedBinaryCrossEntropyWithLogits(
  logits: Tensor,
  targets: Tensor | NestedArray,
  mask?: MaskLike,
  options: MaskedBceOptions = {},
): Tensor {
  const args = maskedBceArguments(FN, logits, targets, mask, options);
  return maskedBceOp([logits, args.targets, args.mask ?? 1, args.posWeight], {
    reduction: args.reduction,
    hasMask: args.mask !== null,
  });
}
