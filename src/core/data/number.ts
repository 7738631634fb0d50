/**
 * Strict decimal number parsing shared by the ARFF and CSV readers: one left-to-right scan, so
 * the time is linear in the length of the text whatever it holds (a regular expression with
 * two adjacent digit runs backtracks quadratically on a long run of digits followed by a letter).
 */

const PLUS = 43;
const MINUS = 45;
const POINT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/** Whether the character code is an ASCII digit (false for NaN, past the end). */
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The index just past the run of digits that starts at `i`. */
function skipDigits(text: string, i: number): number {
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  return i;
}

/**
 * The value of a decimal literal `[+-]digits[.digits][(e|E)[+-]digits]` (digits on at least one
 * side of the point, as in `-1.5e3`, `1.` or `.5`), or NaN if `text` is anything else
 * (including '', `NaN`, `Infinity`, hexadecimal and surrounding spaces). A literal too large for
 * a float64 gives ±Infinity.
 */
export function parseDecimal(text: string): number {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === PLUS || c === MINUS) c = text.charCodeAt(++i);
  const intStart = i;
  i = skipDigits(text, i);
  let digits = i - intStart;
  if (text.charCodeAt(i) === POINT) {
    const fracStart = ++i;
    i = skipDigits(text, i);
    digits += i - fracStart;
  }
  if (digits === 0) return NaN;
  c = text.charCodeAt(i);
  if (c === LOWER_E || c === UPPER_E) {
    c = text.charCodeAt(++i);
    if (c === PLUS || c === MINUS) i++;
    const expStart = i;
    i = skipDigits(text, i);
    if (i === expStart) return NaN;
  }
  return i === n ? Number(text) : NaN;
}
