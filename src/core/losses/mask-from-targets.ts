import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { NestedArray, Tensor } from '../tensor';
import { asTensor } from './validate';

/**
 * Splits targets that mark unknown labels in place (NaN, or -1) into clean targets
 * (unknowns replaced by 0) and a mask (1 observed, 0 unknown), the form the masked
 * losses take.
 *
 * ```ts
 * const { targets, mask } = maskFromTargets(tensor([[1, NaN], [0, 1]]));
 * ```
 */
export function maskFromTargets(
  targets: Tensor | NestedArray,
  options: { unknown?: 'nan' | -1 } = {},
): { targets: Tensor; mask: Tensor } {
  checkOptions('maskFromTargets', options, ['unknown']);
  const unknown = options.unknown ?? 'nan';
  if (unknown !== 'nan' && unknown !== -1) {
    throw new MaskgradError(
      `maskFromTargets: unknown must be 'nan' or -1, got ${JSON.stringify(unknown)}`,
    );
  }
  const t = asTensor('maskFromTargets', 'targets', targets);
  const clean = new Float64Array(t.size);
  const mask = new Float64Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    const isUnknown = unknown === 'nan' ? Number.isNaN(v) : v === -1;
    if (!isUnknown) {
      clean[i] = v;
      mask[i] = 1;
    }
  }
  return { targets: new Tensor(clean, t.shape), mask: new Tensor(mask, t.shape) };
}
