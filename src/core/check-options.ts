import { MaskgradError } from './errors';
import { describeValue } from './describe-value';

/**
 * Checks an options argument: an object whose keys are all in `known`. Catches a typo
 * (`weight_decay`, `reductio`) that would otherwise be ignored without a word.
 */
export function checkOptions(where: string, options: unknown, known: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new MaskgradError(`${where}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new MaskgradError(`${where}: unknown option '${key}' (allowed: ${known.join(', ')})`);
    }
  }
}
