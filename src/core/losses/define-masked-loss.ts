import { stableSigmoid as sigmoid } from '../ops/activations';
import { defineOp, OpSample, TensorView } from '../ops/define';
import type { Tensor, TensorLike } from '../tensor';
import type { Reduction } from './validate';
import * as math from '../math';

/**
 * The skeleton every masked loss shares. A loss says, per entry of the logits z, how much
 * of "the target is 1" (`pos`) and of "the target is 0" (`neg`) it charges there; the
 * skeleton adds up `pos * lossIfPositive(z) + neg * lossIfNegative(z)` over the entries it
 * uses, divides, and writes the backward. An entry with both weights 0 is not used: its
 * logit is never read, its gradient is exactly +0, so a NaN or Infinity there changes
 * nothing. A loss that reads the targets only where the mask is 1 (all of them do) keeps
 * the same promise for the targets.
 */

/** softplus(x) = log(1 + exp(x)), without overflow for any x; softplus(+-Infinity) = Infinity, 0. */
export function softplus(x: number): number {
  return Math.max(x, 0) + math.log1p(math.exp(-Math.abs(x)));
}

/**
 * The weights of one batch: `pos[i]` and `neg[i]` for each entry, 0 and 0 where unused;
 * `unknownPos[i]` and `unknownNeg[i]`, the weights of the loss's own term at an unknown
 * entry (`unknownEntry`: EM's entropy, SPLC's pseudo-positive, GR's robust term), stay 0 in
 * a loss without one.
 */
export interface EntryWeights {
  readonly pos: Float64Array;
  readonly neg: Float64Array;
  readonly unknownPos: Float64Array;
  readonly unknownNeg: Float64Array;
}

/**
 * One entry's loss `pos * lossIfPositive(z) + neg * lossIfNegative(z)` and its derivative
 * in z, written to out[0] and out[1]. A term whose weight is 0 is left out rather than
 * multiplied by 0, so that an infinite logit whose other term vanishes gives a finite loss.
 */
export type EntryKernel<A> = (
  z: number,
  pos: number,
  neg: number,
  attrs: A,
  out: Float64Array,
) => void;

/**
 * Binary cross-entropy of one entry. With `epsilon` 0, the exact
 * `-log p = softplus(-z)` and `-log(1 - p) = softplus(z)`, whose derivatives are
 * `-sigmoid(-z)` and `sigmoid(z)`: at a 0/1 target only one term is present, so
 * `sigmoid(z) - y` is never formed by a cancelling subtraction (at y = 1 and z = 40 the
 * gradient is -4.2e-18, not 0). With `epsilon` > 0, Cole et al.'s `-log(x + epsilon)`.
 */
export function binaryCrossEntropyEntry(
  z: number,
  pos: number,
  neg: number,
  epsilon: number,
  out: Float64Array,
): void {
  const e = math.exp(-Math.abs(z));
  const p = z >= 0 ? 1 / (1 + e) : e / (1 + e); // sigmoid(z)
  const q = z >= 0 ? e / (1 + e) : 1 / (1 + e); // sigmoid(-z) = 1 - p
  let loss = 0;
  let slope = 0;
  if (epsilon === 0) {
    const log1pE = math.log1p(e);
    if (pos !== 0) {
      loss += pos * (Math.max(-z, 0) + log1pE);
      slope -= pos * q;
    }
    if (neg !== 0) {
      loss += neg * (Math.max(z, 0) + log1pE);
      slope += neg * p;
    }
  } else {
    if (pos !== 0) {
      loss -= pos * math.log(p + epsilon);
      slope -= (pos * p * q) / (p + epsilon);
    }
    if (neg !== 0) {
      loss -= neg * math.log(q + epsilon);
      slope += (neg * p * q) / (q + epsilon);
    }
  }
  out[0] = loss;
  out[1] = slope;
}

/** The entry kernel of the exact binary cross-entropy from logits. */
export const exactBceEntry: EntryKernel<unknown> = (z, pos, neg, _attrs, out) =>
  binaryCrossEntropyEntry(z, pos, neg, 0, out);

/** The entry kernel of Cole et al.'s binary cross-entropy, with the attributes' epsilon. */
export const epsilonBceEntry: EntryKernel<{ epsilon: number }> = (z, pos, neg, attrs, out) =>
  binaryCrossEntropyEntry(z, pos, neg, attrs.epsilon, out);

/**
 * The expected-positive penalty of Cole et al. on logits z [B, C]:
 * `factor * ((1/B) sum_n sum_c sigmoid(z_nc) - k)^2 / C^2`. Adds its derivative to
 * `slope` (every entry is used) and returns its value.
 */
export function expectedPositivePenalty(
  z: TensorView,
  k: number,
  factor: number,
  slope: Float64Array,
): number {
  const [rows, cols] = z.shape;
  let total = 0;
  for (let i = 0; i < z.data.length; i++) total += sigmoid(z.data[i]);
  const gap = total / rows - k;
  const scale = (2 * factor * gap) / (cols * cols * rows);
  for (let i = 0; i < z.data.length; i++) {
    const v = z.data[i];
    slope[i] += scale * sigmoid(v) * sigmoid(-v);
  }
  return (factor * gap * gap) / (cols * cols);
}

/** Attributes with `reduction: 'none'` ask for per-entry losses instead of one number. */
function perEntryOutput(attrs: unknown): boolean {
  return (attrs as { reduction?: Reduction }).reduction === 'none';
}

export interface MaskedLossSpec<A> {
  name: string;
  /**
   * Fills the weights from the inputs (logits first, then the loss's own inputs, all of
   * the logits' shape) and returns the divisor of the summed loss. Reads the targets only
   * where the mask is 1.
   */
  weigh(inputs: readonly TensorView[], attrs: A, weights: EntryWeights): number;
  entry: EntryKernel<A>;
  /**
   * The term of an unknown entry, for a loss whose unknowns are neither positives nor
   * negatives: called as `unknownEntry(z, unknownPos[i], unknownNeg[i], attrs, out)`, its
   * loss and derivative added to `entry`'s.
   */
  unknownEntry?: EntryKernel<A>;
  /** A term over every logit added after the division (EPR's penalty); adds to `slope`. */
  extra?(z: TensorView, attrs: A, slope: Float64Array): number;
  samples: OpSample<A>[];
}

interface Saved {
  divisor: number;
  /** Each entry's derivative before the division; +0 where unused. */
  slope: Float64Array;
  /** 1 where an entry is used (by the weights or by `extra`). */
  used: Uint8Array;
  /** The derivative of `extra`, after the division, or null. */
  extraSlope: Float64Array | null;
}

/**
 * Defines a masked loss as one primitive op: input 0 is the logits (the only input with a
 * gradient), the others are broadcast to its shape. The sum runs over used entries in
 * index order; a divisor of 0 (nothing observed) gives loss 0 and zero gradients.
 */
export function defineMaskedLoss<A>(
  spec: MaskedLossSpec<A>,
): (inputs: TensorLike[], attrs: A) => Tensor {
  const out = new Float64Array(2);
  return defineOp<A, Saved>({
    name: spec.name,
    kind: 'loss',
    broadcast: true,
    nonDifferentiable: [1, 2, 3, 4, 5], // every input but the logits
    forward(inputs, attrs) {
      const z = inputs[0];
      const n = z.data.length;
      const weights = {
        pos: new Float64Array(n),
        neg: new Float64Array(n),
        unknownPos: new Float64Array(n),
        unknownNeg: new Float64Array(n),
      };
      const divisor = spec.weigh(inputs, attrs, weights);
      const { pos, neg, unknownPos, unknownNeg } = weights;
      const perEntry = perEntryOutput(attrs) ? new Float64Array(n) : null;
      const slope = new Float64Array(n);
      const used = new Uint8Array(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const unknown = unknownPos[i] !== 0 || unknownNeg[i] !== 0;
        if (pos[i] === 0 && neg[i] === 0 && !unknown) continue;
        let loss = 0;
        let entrySlope = 0;
        if (pos[i] !== 0 || neg[i] !== 0) {
          spec.entry(z.data[i], pos[i], neg[i], attrs, out);
          loss = out[0];
          entrySlope = out[1];
        }
        if (unknown && spec.unknownEntry) {
          spec.unknownEntry(z.data[i], unknownPos[i], unknownNeg[i], attrs, out);
          loss += out[0];
          entrySlope += out[1];
        }
        if (perEntry) perEntry[i] = loss;
        sum += loss;
        slope[i] = entrySlope;
        used[i] = 1;
      }
      let extraSlope: Float64Array | null = null;
      let extra = 0;
      if (spec.extra) {
        extraSlope = new Float64Array(n);
        extra = spec.extra(z, attrs, extraSlope);
        used.fill(1);
      }
      const saved = { divisor, slope, used, extraSlope };
      if (perEntry) return { data: perEntry, shape: z.shape.slice(), saved };
      const value = divisor === 0 ? 0 : sum / divisor;
      return { data: new Float64Array([value + extra]), shape: [], saved };
    },
    backward(g, { inputs, attrs, saved: { divisor, slope, used, extraSlope } }) {
      const n = slope.length;
      const dz = new Float64Array(n);
      // Only the logits (input 0) get a gradient; the others are targets, masks and weights.
      const result = inputs.map((_, i) => (i === 0 ? dz : null));
      if (perEntryOutput(attrs)) {
        for (let i = 0; i < n; i++) if (used[i]) dz[i] = g[i] * slope[i];
        return result;
      }
      const scale = divisor === 0 ? 0 : g[0] / divisor;
      for (let i = 0; i < n; i++) {
        if (!used[i]) continue;
        dz[i] = scale * slope[i];
        if (extraSlope) dz[i] += g[0] * extraSlope[i];
      }
      return result;
    },
    samples: spec.samples,
  });
}
