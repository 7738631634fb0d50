import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { formatShape, normalizeAxis, shapeSize } from '../shape';
import { Tensor, TensorLike } from '../tensor';
import { defineOp } from './define';

interface TakeAttrs {
  /** Integer positions along `axis`, each in [0, size). */
  indices: ArrayLike<number>;
  /** The shape of the indices (1-D by default); it replaces `axis` in the output shape. */
  indexShape?: readonly number[];
  axis?: number;
}

interface TakeSaved {
  axis: number;
  /** The checked indices, copied so that later changes to the caller's array cannot reach backward. */
  positions: Int32Array;
}

/** Sizes before, along and after `axis`: the input is [outer, n, inner] in row-major order. */
function splitAt(
  shape: readonly number[],
  axis: number,
): { outer: number; n: number; inner: number } {
  return {
    outer: shapeSize(shape.slice(0, axis)),
    n: shape[axis],
    inner: shapeSize(shape.slice(axis + 1)),
  };
}

/**
 * The slices of x at `indices` along `axis` (NumPy's take): output[..., j, ...] =
 * x[..., indices[j], ...]. A Tensor of indices gives its shape to the output. The
 * gradient is scatter-added back, so repeated indices accumulate.
 *
 * ```ts
 * take(embeddings, [3, 1, 3]); // rows 3, 1 and 3 of a [V, D] table: shape [3, D]
 * ```
 */
export const take = defineOp<
  TakeAttrs,
  TakeSaved,
  [x: TensorLike, indices: readonly number[] | Int32Array | Tensor, axis?: number]
>({
  name: 'take',
  kind: 'shape',
  method: 'take',
  args: (x, indices, axis = 0) => {
    if (indices instanceof Tensor)
      return [[x], { indices: indices.data, indexShape: indices.shape, axis }];
    if (!Array.isArray(indices) && !(indices instanceof Int32Array)) {
      throw new MaskgradError(
        `take: indices must be a number[], an Int32Array or a Tensor, got ${describeValue(indices)}`,
      );
    }
    return [[x], { indices, axis }];
  },
  forward([x], { indices, indexShape, axis = 0 }) {
    const ax = normalizeAxis('take', axis, x.shape.length);
    const { outer, n, inner } = splitAt(x.shape, ax);
    const k = indices.length;
    const idxShape = indexShape ? indexShape.slice() : [k];
    if (shapeSize(idxShape) !== k) {
      throw new MaskgradError(
        `take: ${k} indices do not fill the index shape ${formatShape(idxShape)}`,
      );
    }
    const positions = new Int32Array(k);
    for (let j = 0; j < k; j++) {
      const v = indices[j];
      if (!Number.isInteger(v) || v < 0 || v >= n) {
        throw new MaskgradError(
          `take: index ${typeof v === 'number' ? v : describeValue(v)} (position ${j}) is out of range for axis ${ax} of size ${n} ` +
            `(shape ${formatShape(x.shape)}; expected an integer in [0, ${n - 1}])`,
        );
      }
      positions[j] = v;
    }
    const out = new Float64Array(outer * k * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < k; j++) {
        const src = (o * n + positions[j]) * inner;
        const dst = (o * k + j) * inner;
        for (let i = 0; i < inner; i++) out[dst + i] = x.data[src + i];
      }
    }
    const shape = [...x.shape.slice(0, ax), ...idxShape, ...x.shape.slice(ax + 1)];
    return { data: out, shape, saved: { axis: ax, positions } };
  },
  // Scatter-add: each taken position adds its output gradient back, so repeats accumulate.
  backward(g, { inputs: [x], saved: { axis, positions } }) {
    const { outer, n, inner } = splitAt(x.shape, axis);
    const k = positions.length;
    const gx = new Float64Array(x.data.length);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < k; j++) {
        const dst = (o * n + positions[j]) * inner;
        const src = (o * k + j) * inner;
        for (let i = 0; i < inner; i++) gx[dst + i] += g[src + i];
      }
    }
    return [gx];
  },
  samples: [
    { inputs: [[4, 3]], attrs: { indices: [0, 2, 0, 3] }, note: 'repeated rows' },
    { inputs: [[2, 3, 2]], attrs: { indices: [2, 2, 0], axis: 1 }, note: 'middle axis, repeats' },
    { inputs: [[2, 3]], attrs: { indices: [1, 1, 1, 0], axis: -1 }, note: 'last axis' },
    { inputs: [[5]], attrs: { indices: [4, 1, 4, 4], indexShape: [2, 2] }, note: '2-D indices' },
  ],
});
