/** Strict decimal number parsing shared by the ARFF and CSV readers. */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The value of a decimal literal such as `-1.5e3`, or NaN if `text` is anything else (including ''). */
export function parseDecimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}
