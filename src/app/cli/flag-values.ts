// A flag's text read as a value of an option's kind (src/app/options.ts), with the same
// range check as runExperiment's, worded for the command line.
import { choiceWords, expectedWords, isValueOf, type OptionValue } from '../options';
import { UsageError } from './io';

/** Plain decimal notation only: Number() would also take '0x2', '' or ' 3 '. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** What the text of a flag taking `value` must be, for an error message. */
export function expectedText(value: OptionValue): string {
  if (value.kind === 'choice') return choiceWords(value.values, (v) => v);
  if (value.kind === 'integers') return 'positive integers separated by commas';
  if (value.kind === 'seed') return 'an integer below 2^53, or text';
  return expectedWords(value);
}

/** The value `text` stands for, before its range check; undefined when it stands for none. */
function fromText(value: OptionValue, text: string): unknown {
  switch (value.kind) {
    case 'number':
    case 'integer':
      return DECIMAL.test(text) ? Number(text) : undefined;
    case 'integers':
      return text.split(',').map((s) => (DECIMAL.test(s.trim()) ? Number(s) : NaN));
    case 'choice':
      return text;
    case 'seed':
      // An integer stays a number (run i of the train command uses seed + i); the rest is text.
      return /^-?\d+$/.test(text) ? Number(text) : text;
    case 'boolean':
      return undefined;
  }
}

/**
 * The value of `--flag` given as `text`: a number, a list of numbers, or a string, checked
 * against `value`; text that stands for no value of it is a UsageError naming the flag.
 */
export function flagValue(flag: string, value: OptionValue, text: string): unknown {
  const v = fromText(value, text);
  if (v === undefined || !isValueOf(value, v)) {
    throw new UsageError(`--${flag} must be ${expectedText(value)}, got '${text}'`);
  }
  return v;
}
