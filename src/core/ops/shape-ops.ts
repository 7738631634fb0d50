import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import {
  checkShape,
  formatShape,
  shapeSize,
  shapesEqual,
  stridedIndexMap,
  stridesOf,
  sumToShape,
  expandData,
} from '../shape';
import { Tensor, TensorLike, toTensor } from '../tensor';
import { defineComposite, defineOp, type OpContext } from './define';

// Ops that rearrange values without changing them: reshape, permute (and transpose),
// broadcastTo. Each returns a fresh array, so no output shares data with an input.

interface ReshapeAttrs {
  shape: readonly number[];
}

/** The target shape with a -1 filled in, or an error naming both shapes. */
function resolveReshape(from: readonly number[], to: readonly number[]): number[] {
  const size = shapeSize(from);
  const fail = (why: string) => {
    throw new MaskgradError(
      `reshape: cannot reshape ${formatShape(from)} (${size} elements) into ${formatShape(to)} (${why})`,
    );
  };
  if (!Array.isArray(to)) {
    throw new MaskgradError(
      `reshape: the shape must be an array of integers, got ${describeValue(to)}`,
    );
  }
  let unknown = -1;
  let known = 1;
  for (let i = 0; i < to.length; i++) {
    const d = to[i];
    if (d === -1) {
      if (unknown >= 0) fail('only one axis may be -1');
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      fail(`axis ${i} is ${describeValue(d)}; expected a non-negative integer or -1`);
    } else known *= d;
  }
  const shape = to.slice();
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      fail(`${size} elements cannot be split into the known sizes, whose product is ${known}`);
    }
    shape[unknown] = size / known;
  } else if (known !== size) {
    fail(`${known} elements`);
  }
  return shape;
}

/**
 * The same values in a new shape (one axis may be -1, inferred); row-major order is kept.
 * The gradient is the output gradient in the input's shape.
 */
export const reshape = defineOp({
  name: 'reshape',
  kind: 'shape',
  method: 'reshape',
  args: (x: TensorLike, shape: readonly number[]) => [[x], { shape }],
  forward([x], { shape }: ReshapeAttrs) {
    return { data: x.data.slice(), shape: resolveReshape(x.shape, shape) };
  },
  // The gradient is the output gradient, read in the input's shape.
  backward(g) {
    return [g];
  },
  samples: [
    { inputs: [[2, 3]], attrs: { shape: [3, 2] } },
    { inputs: [[2, 3]], attrs: { shape: [-1] } },
    { inputs: [[2, 3, 2]], attrs: { shape: [3, -1, 1] } },
    { inputs: [[]], attrs: { shape: [1, 1] }, note: 'scalar' },
  ],
});

interface PermuteAttrs {
  axes: readonly number[];
}

/** The axes as non-negative integers, checked to be a permutation of 0..ndim-1. */
function checkPermutation(op: string, axes: readonly number[], shape: readonly number[]): number[] {
  if (!Array.isArray(axes)) {
    throw new MaskgradError(`${op}: axes must be an array of integers, got ${describeValue(axes)}`);
  }
  const ndim = shape.length;
  const list = formatShape(axes);
  if (axes.length !== ndim) {
    throw new MaskgradError(
      `${op}: axes ${list} have ${axes.length} entries but the tensor of shape ${formatShape(shape)} ` +
        `has ${ndim} dimensions (expected a permutation of 0..${ndim - 1})`,
    );
  }
  const seen = new Array<boolean>(ndim).fill(false);
  const out = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    const a = axes[i];
    const na = a < 0 ? a + ndim : a;
    if (!Number.isInteger(a) || na < 0 || na >= ndim || seen[na]) {
      throw new MaskgradError(
        `${op}: axes ${list} are not a permutation of 0..${ndim - 1} (tensor of shape ${formatShape(shape)})`,
      );
    }
    seen[na] = true;
    out[i] = na;
  }
  return out;
}

/** Output axis i is input axis axes[i]: walks the output in order, reading the input by its strides. */
function permuteData(
  data: Float64Array,
  shape: readonly number[],
  axes: readonly number[],
): Float64Array {
  const out = new Float64Array(data.length);
  const inStrides = stridesOf(shape);
  const map = stridedIndexMap(
    axes.map((a) => shape[a]),
    axes.map((a) => inStrides[a]),
  );
  for (let k = 0; k < out.length; k++) out[k] = data[map[k]];
  return out;
}

/**
 * Reorders the axes: output axis i is input axis axes[i] (negative axes allowed).
 * The gradient is permuted back by the inverse permutation.
 */
export const permute = defineOp({
  name: 'permute',
  kind: 'shape',
  method: 'permute',
  args: (x: TensorLike, axes: readonly number[]) => [[x], { axes }],
  forward([x], { axes }: PermuteAttrs) {
    const perm = checkPermutation('permute', axes, x.shape);
    return {
      data: permuteData(x.data, x.shape, perm),
      shape: perm.map((a) => x.shape[a]),
      saved: perm,
    };
  },
  // The gradient is permuted back by the inverse permutation.
  backward(g, { output, saved: perm }: OpContext<PermuteAttrs, number[]>) {
    const inverse = new Array<number>(perm.length);
    for (let i = 0; i < perm.length; i++) inverse[perm[i]] = i;
    return [permuteData(g, output.shape, inverse)];
  },
  samples: [
    { inputs: [[2, 3]], attrs: { axes: [1, 0] } },
    { inputs: [[2, 3, 4]], attrs: { axes: [2, 0, 1] } },
    { inputs: [[2, 1, 3]], attrs: { axes: [-1, 0, 1] }, note: 'negative axis' },
    { inputs: [[2, 3, 2]], attrs: { axes: [0, 1, 2] }, note: 'identity' },
  ],
});

/** The transpose of a 2-D tensor, permute(x, [1, 0]); the gradient is transposed back. */
export const transpose = defineComposite({
  name: 'transpose',
  kind: 'shape',
  method: 'transpose',
  args: (x: TensorLike) => [[x], {}],
  compute([x]) {
    if (x.ndim !== 2) {
      throw new MaskgradError(
        `transpose: expected a 2-D tensor, got shape ${formatShape(x.shape)} (${x.ndim} dimensions); ` +
          'use permute for other ranks',
      );
    }
    return permute(x, [1, 0]);
  },
  samples: [{ inputs: [[2, 3]] }, { inputs: [[1, 4]] }],
});

interface BroadcastToAttrs {
  shape: readonly number[];
}

/**
 * x repeated to `shape` by NumPy broadcasting; the gradient is summed back over the
 * repeated axes.
 */
export const broadcastTo = defineOp({
  name: 'broadcastTo',
  kind: 'shape',
  method: 'broadcastTo',
  args: (x: TensorLike, shape: readonly number[]) => [[x], { shape }],
  forward([x], attrs: BroadcastToAttrs) {
    const shape = checkShape(attrs.shape, 'broadcastTo');
    const offset = shape.length - x.shape.length;
    const fail = (why: string) => {
      throw new MaskgradError(
        `broadcastTo: cannot broadcast shape ${formatShape(x.shape)} to ${formatShape(shape)} (${why})`,
      );
    };
    if (offset < 0) fail(`the target has fewer dimensions, ${shape.length} < ${x.shape.length}`);
    for (let i = 0; i < x.shape.length; i++) {
      const d = x.shape[i];
      const t = shape[offset + i];
      if (d !== t && d !== 1) fail(`axis ${i - x.shape.length}: size ${d} must equal ${t} or be 1`);
    }
    return { data: expandData(x.data, x.shape, shape), shape };
  },
  // The gradient is summed over the broadcast axes, back to the input's shape.
  backward(g, { inputs: [x], output }) {
    return [sumToShape(g, output.shape, x.shape)];
  },
  samples: [
    { inputs: [[3]], attrs: { shape: [2, 3] } },
    { inputs: [[3, 1]], attrs: { shape: [2, 3, 4] } },
    { inputs: [[]], attrs: { shape: [2, 2] }, note: 'scalar' },
    { inputs: [[2, 3]], attrs: { shape: [2, 3] }, note: 'same shape' },
  ],
});
