import { MaskgradError } from '../errors';
import { broadcastShapes, formatShape, shapeSize, stridesOf } from '../shape';
import { Tensor, TensorLike } from '../tensor';
import { defineOp, type OpCall } from './define';
import { checkOptions } from '../check-options';
import { gemm } from '../kernels';

export interface MatmulOptions {
  /** Use the transpose of a's last two axes (without copying it). */
  transposeA?: boolean;
  /** Use the transpose of b's last two axes (without copying it). */
  transposeB?: boolean;
}

interface MatmulPlan {
  m: number;
  n: number;
  k: number;
  /** Offset of each output batch's matrix in a and in b (leading axes broadcast). */
  aOffsets: Int32Array;
  bOffsets: Int32Array;
}

function matrixDims(shape: readonly number[], transposed: boolean): [number, number] {
  const r = shape[shape.length - 2];
  const c = shape[shape.length - 1];
  return transposed ? [c, r] : [r, c];
}

/** The flat offset of every broadcast batch's matrix in an input with `batch` leading axes. */
function batchOffsets(
  batch: readonly number[],
  outBatch: readonly number[],
  matrixSize: number,
): Int32Array {
  const count = shapeSize(outBatch);
  const offsets = new Int32Array(count);
  const strides = stridesOf(batch);
  const shift = outBatch.length - batch.length;
  const outStrides = stridesOf(outBatch);
  for (let t = 0; t < count; t++) {
    let rest = t;
    let off = 0;
    for (let ax = 0; ax < outBatch.length; ax++) {
      const idx = Math.floor(rest / outStrides[ax]);
      rest -= idx * outStrides[ax];
      const inAx = ax - shift;
      if (inAx >= 0 && batch[inAx] !== 1) off += idx * strides[inAx];
    }
    offsets[t] = off * matrixSize;
  }
  return offsets;
}

/**
 * Matrix product of the last two axes, with leading (batch) axes broadcast:
 * [..., m, k] x [..., k, n] -> [..., m, n]. Transpose flags use a transposed input
 * without copying it. d(AB)/dA = G B^T, d(AB)/dB = A^T G.
 */
export const matmul = defineOp<
  Required<MatmulOptions>,
  MatmulPlan,
  [a: TensorLike, b: TensorLike, options?: MatmulOptions]
>({
  name: 'matmul',
  kind: 'matmul',
  method: 'matmul',
  args: (a, b, options = {}): OpCall<Required<MatmulOptions>> => {
    checkOptions('matmul', options, ['transposeA', 'transposeB']);
    const { transposeA = false, transposeB = false } = options;
    return [[a, b], { transposeA, transposeB }];
  },
  forward([a, b], { transposeA, transposeB }) {
    if (a.shape.length < 2 || b.shape.length < 2) {
      throw new MaskgradError(
        `matmul: expects inputs with at least 2 dimensions, got ${formatShape(a.shape)} and ${formatShape(b.shape)} ` +
          '(reshape a vector to [1,n] or [n,1])',
      );
    }
    const [m, ka] = matrixDims(a.shape, transposeA);
    const [kb, n] = matrixDims(b.shape, transposeB);
    if (ka !== kb) {
      const flags =
        transposeA || transposeB ? ` (transposeA ${transposeA}, transposeB ${transposeB})` : '';
      throw new MaskgradError(
        `matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)}${flags} (inner sizes ${ka} and ${kb} differ)`,
        { code: 'ERR_SHAPE' },
      );
    }
    const aBatch = a.shape.slice(0, -2);
    const bBatch = b.shape.slice(0, -2);
    let outBatch: number[];
    try {
      outBatch = broadcastShapes('matmul', aBatch, bBatch);
    } catch {
      throw new MaskgradError(
        `matmul: cannot multiply ${formatShape(a.shape)} by ${formatShape(b.shape)} (batch axes ` +
          `${formatShape(aBatch)} and ${formatShape(bBatch)} do not broadcast; each pair must be equal or contain a 1)`,
        { code: 'ERR_SHAPE' },
      );
    }
    const plan: MatmulPlan = {
      m,
      n,
      k: ka,
      aOffsets: batchOffsets(aBatch, outBatch, m * ka),
      bOffsets: batchOffsets(bBatch, outBatch, ka * n),
    };
    const batches = plan.aOffsets.length;
    const out = new Float64Array(batches * m * n);
    for (let t = 0; t < batches; t++) {
      gemm(
        transposeA,
        transposeB,
        m,
        n,
        ka,
        a.data,
        plan.aOffsets[t],
        b.data,
        plan.bOffsets[t],
        out,
        t * m * n,
        true, // a new array: each batch's slot is written once
      );
    }
    return { data: out, shape: [...outBatch, m, n], saved: plan };
  },
  // With C = op(A) op(B): d op(A) = G op(B)^T and d op(B) = op(A)^T G, written with
  // transpose flags so that no transpose is materialised. Batches that were
  // broadcast add their gradients into the same slot.
  backward(g, { inputs: [a, b], attrs: { transposeA, transposeB }, saved, needsGrad }) {
    const { m, n, k, aOffsets, bOffsets } = saved;
    let ga: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (needsGrad[0]) ga = new Float64Array(a.data.length);
    if (needsGrad[1]) gb = new Float64Array(b.data.length);
    for (let t = 0; t < aOffsets.length; t++) {
      const gOff = t * m * n;
      if (ga) {
        // A = [m,k]: G B_eff^T.  A = [k,m] (transposed): B_eff G^T.
        if (!transposeA)
          gemm(false, !transposeB, m, k, n, g, gOff, b.data, bOffsets[t], ga, aOffsets[t]);
        else gemm(transposeB, true, k, m, n, b.data, bOffsets[t], g, gOff, ga, aOffsets[t]);
      }
      if (gb) {
        // B = [k,n]: A_eff^T G.  B = [n,k] (transposed): G^T A_eff.
        if (!transposeB)
          gemm(!transposeA, false, k, n, m, a.data, aOffsets[t], g, gOff, gb, bOffsets[t]);
        else gemm(true, transposeA, n, k, m, g, gOff, a.data, aOffsets[t], gb, bOffsets[t]);
      }
    }
    return [ga, gb];
  },
  samples: [
    {
      inputs: [
        [2, 3],
        [3, 4],
      ],
    },
    {
      inputs: [
        [3, 2],
        [3, 4],
      ],
      attrs: { transposeA: true, transposeB: false },
    },
    {
      inputs: [
        [2, 3],
        [4, 3],
      ],
      attrs: { transposeA: false, transposeB: true },
    },
    {
      inputs: [
        [3, 2],
        [4, 3],
      ],
      attrs: { transposeA: true, transposeB: true },
    },
    {
      inputs: [
        [2, 2, 3],
        [3, 2],
      ],
      note: 'batched, b broadcast over the batch',
    },
    {
      inputs: [
        [2, 1, 2, 3],
        [3, 3, 2],
      ],
      note: 'batched, both broadcast',
    },
    {
      inputs: [
        [24, 9],
        [20, 24],
      ],
      attrs: { transposeA: true, transposeB: true },
      note: 'large enough for the packed gemm kernel',
    },
  ],
});
