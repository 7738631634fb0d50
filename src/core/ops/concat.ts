import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { formatShape, normalizeAxis, shapeSize } from '../shape';
import { Tensor, TensorLike, toTensor } from '../tensor';
import { defineOp } from './define';

interface ConcatAttrs {
  axis?: number;
}

interface ConcatSaved {
  axis: number;
}

/** The product of the sizes before `axis` and after it. */
function outerInner(shape: readonly number[], axis: number): { outer: number; inner: number } {
  return { outer: shapeSize(shape.slice(0, axis)), inner: shapeSize(shape.slice(axis + 1)) };
}

/**
 * Joins tensors along `axis` (negative counts from the end); their shapes must agree on
 * every other axis. Each input's gradient is its slice of the output gradient.
 */
export const concat = defineOp<
  ConcatAttrs,
  ConcatSaved,
  [tensors: readonly TensorLike[], axis?: number]
>({
  name: 'concat',
  kind: 'shape',
  method: 'concat',
  methodArgs: (self: Tensor, others: Tensor | readonly Tensor[], axis?: number) => {
    if (!(others instanceof Tensor) && !Array.isArray(others)) {
      throw new MaskgradError(
        `concat: t.concat(others, axis) expects a Tensor or an array of tensors to join to t, got ${describeValue(others)}`,
      );
    }
    return [[self, ...(others instanceof Tensor ? [others] : others)], axis];
  },
  args: (tensors, axis = 0) => {
    if (!Array.isArray(tensors)) {
      throw new MaskgradError(
        `concat: expected an array of tensors, got ${describeValue(tensors)}`,
      );
    }
    return [tensors.map((t, i) => toTensor(t, `concat (tensor ${i + 1})`)), { axis }];
  },
  forward(inputs, { axis = 0 }) {
    if (inputs.length === 0)
      throw new MaskgradError('concat: expected at least one tensor, got none');
    const first = inputs[0].shape;
    if (first.length === 0)
      throw new MaskgradError(
        'concat: cannot join scalars (shape []), which have no axis; reshape them to [1] first, or use tensor([...])',
      );
    const ax = normalizeAxis('concat', axis, first.length);
    let total = 0;
    for (const t of inputs) {
      const ok =
        t.shape.length === first.length && t.shape.every((d, i) => i === ax || d === first[i]);
      if (!ok) {
        throw new MaskgradError(
          `concat: cannot concatenate shapes ${inputs.map((v) => formatShape(v.shape)).join(', ')} ` +
            `along axis ${ax} (expected the same number of dimensions and equal sizes on every other axis)`,
        );
      }
      total += t.shape[ax];
    }
    const shape = first.slice();
    shape[ax] = total;
    const { outer, inner } = outerInner(first, ax);
    const out = new Float64Array(shapeSize(shape));
    const row = total * inner;
    let offset = 0;
    for (const t of inputs) {
      const block = t.shape[ax] * inner;
      for (let o = 0; o < outer; o++) {
        const dst = o * row + offset;
        const src = o * block;
        for (let i = 0; i < block; i++) out[dst + i] = t.data[src + i];
      }
      offset += block;
    }
    return { data: out, shape, saved: { axis: ax } };
  },
  // Each input gets its own slice of the output gradient back.
  backward(g, { inputs, output, saved: { axis }, needsGrad }) {
    const { outer, inner } = outerInner(output.shape, axis);
    const row = output.shape[axis] * inner;
    let offset = 0;
    return inputs.map((t, k) => {
      const block = t.shape[axis] * inner;
      let gt: Float64Array | null = null;
      if (needsGrad[k]) {
        gt = new Float64Array(t.data.length);
        for (let o = 0; o < outer; o++) {
          const src = o * row + offset;
          const dst = o * block;
          for (let i = 0; i < block; i++) gt[dst + i] = g[src + i];
        }
      }
      offset += block;
      return gt;
    });
  },
  samples: [
    {
      inputs: [
        [1, 3],
        [2, 3],
      ],
      attrs: {},
      note: 'rows',
    },
    {
      inputs: [
        [2, 1],
        [2, 3],
        [2, 2],
      ],
      attrs: { axis: 1 },
      note: 'three inputs',
    },
    {
      inputs: [
        [2, 2, 1],
        [2, 2, 2],
        [2, 2, 1],
      ],
      attrs: { axis: -1 },
      note: 'negative axis',
    },
    {
      inputs: [
        [2, 3],
        [2, 3],
      ],
      attrs: { axis: 0 },
    },
  ],
});
