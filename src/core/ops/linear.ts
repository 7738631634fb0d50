import { MaskgradError } from '../errors';
import { formatShape } from '../shape';
import { Tensor, TensorLike } from '../tensor';
import { defineOp } from './define';
import { gemm } from '../kernels';

// The fully connected layer's op, fused: one node instead of matmul + add, no bias
// broadcast copy in forward, and the bias gradient summed straight from the rows of G.

function checkShapes(x: readonly number[], w: readonly number[], b: readonly number[]): void {
  if (w.length !== 2 || x.length !== 2 || x[1] !== w[1] || b.length !== 1 || b[0] !== w[0]) {
    throw new MaskgradError(
      `linear: expects an input [N,in], a weight [out,in] and a bias [out], got ` +
        `${formatShape(x)}, ${formatShape(w)} and ${formatShape(b)}`,
    );
  }
}

/**
 * `x W^T + b` for x [N,in], weight [out,in] and bias [out]: what `nn.Linear` computes,
 * as one node (PyTorch's `F.linear`). The same numbers, bit for bit, as
 * `matmul(x, weight, { transposeB: true }).add(bias)`.
 * dX = G W, dW = G^T X, db = sum over rows of G.
 */
export const linear = defineOp({
  name: 'linear',
  kind: 'other',
  args: (x: TensorLike, weight: TensorLike, bias: TensorLike) => [[x, weight, bias], {}],
  forward([x, w, b]) {
    checkShapes(x.shape, w.shape, b.shape);
    const [n, inFeatures] = x.shape;
    const outFeatures = w.shape[0];
    const out = new Float64Array(n * outFeatures);
    gemm(false, true, n, outFeatures, inFeatures, x.data, 0, w.data, 0, out, 0, true);
    // The bias is added to the finished product, as matmul(...).add(bias) adds it, so
    // both give the same numbers bit for bit.
    const bias = b.data;
    for (let i = 0; i < n; i++) {
      const row = i * outFeatures;
      for (let j = 0; j < outFeatures; j++) out[row + j] += bias[j];
    }
    return { data: out, shape: [n, outFeatures] };
  },
  // With Y = X W^T + b: dX = G W, dW = G^T X, db = the sum of G's rows.
  backward(g, { inputs: [x, w, b], needsGrad }) {
    const [n, inFeatures] = x.shape;
    const outFeatures = w.shape[0];
    let gx: Float64Array | null = null;
    let gw: Float64Array | null = null;
    let gb: Float64Array | null = null;
    if (needsGrad[0]) {
      gx = new Float64Array(x.data.length);
      gemm(false, false, n, inFeatures, outFeatures, g, 0, w.data, 0, gx, 0, true);
    }
    if (needsGrad[1]) {
      gw = new Float64Array(w.data.length);
      gemm(true, false, outFeatures, inFeatures, n, g, 0, x.data, 0, gw, 0, true);
    }
    if (needsGrad[2]) {
      gb = new Float64Array(b.data.length);
      for (let i = 0; i < n; i++) {
        const row = i * outFeatures;
        for (let j = 0; j < outFeatures; j++) gb[j] += g[row + j];
      }
    }
    return [gx, gw, gb];
  },
  samples: [
    { inputs: [[3, 4], [2, 4], [2]] },
    { inputs: [[1, 3], [5, 3], [5]], note: 'one row' },
    { inputs: [[9, 24], [20, 24], [20]], note: 'large enough for the packed gemm kernel' },
  ],
});
