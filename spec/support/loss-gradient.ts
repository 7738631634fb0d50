// The loss and the logits' gradient of a masked loss `(logits, targets, mask, options)`, as
// the loss specs compare them with the PyTorch references.
import { Tensor } from '../../src';

export type LossFn = (z: Tensor, y: Tensor, m: Tensor, options?: any) => Tensor;

/** The loss value and the gradient of the logits (a copy), on flat values of shape [n, c]. */
export function lossAndGradientFlat(
  fn: LossFn,
  n: number,
  c: number,
  z: ArrayLike<number>,
  y: ArrayLike<number>,
  m: ArrayLike<number>,
  options?: object,
): { loss: number; grad: Float64Array } {
  const zt = new Tensor(Float64Array.from(z), [n, c], true);
  const loss = fn(
    zt,
    new Tensor(Float64Array.from(y), [n, c]),
    new Tensor(Float64Array.from(m), [n, c]),
    options,
  );
  loss.backward();
  return { loss: loss.item(), grad: Float64Array.from(zt.grad!.data) };
}

/** The same on [B][C] rows. */
export function lossAndGradient(
  fn: LossFn,
  z: number[][],
  y: number[][],
  m: number[][],
  options?: object,
): { loss: number; grad: Float64Array } {
  return lossAndGradientFlat(fn, z.length, z[0].length, z.flat(), y.flat(), m.flat(), options);
}
