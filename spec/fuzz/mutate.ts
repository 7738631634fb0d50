import type { Random } from '../../src/core/random';

/** The characters a mutation inserts: Unicode separators and spaces, and line ends. */
export const SEPARATORS = ['\u2028', '\u2029', '\u00a0', '\ufeff', '\r', '\n', '\r\n', '\t', ' '];

/** Short pieces of the file formats, inserted to reach the readers' less common paths. */
const TOKENS = [
  '@',
  '@ relation',
  '@relation',
  '@attribute',
  '@data',
  '{',
  '}',
  '{0,1}',
  "'",
  '"',
  '""',
  ',',
  ',,',
  '?',
  '%',
  '\\',
  'e',
  'E+',
  '-',
  '+',
  '.',
  'nan',
  'NaN',
  '1e999',
  '-1e999',
  '-1',
  '-0',
  '0x1F',
  'Infinity',
  'numeric',
  '\u0000',
  '\ud800',
  '"__proto__"',
  '{"shape":[1],"data":[1]}',
  '1e-400',
];

const pick = <T>(rng: Random, items: readonly T[]): T => items[rng.int(items.length)];

/** The tail after a huge run of digits: a letter (the old quadratic case), a fraction, ... */
const HUGE_TAILS = ['x', '', '.5', 'e', 'e5', '.', ',', '\n'];

/**
 * The mutations, each a pure function of the text and the generator. `hugeCell` takes the
 * largest cell length it may write.
 */
export const MUTATIONS: Record<string, (text: string, rng: Random, huge: number) => string> = {
  truncate: (text, rng) => text.slice(0, rng.int(text.length + 1)),
  byteFlips: (text, rng) => {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length === 0) return text;
    const flips = 1 + rng.int(4);
    for (let k = 0; k < flips; k++) bytes[rng.int(bytes.length)] ^= 1 << rng.int(8);
    return bytes.toString('utf8');
  },
  lineEndings: (text, rng) => {
    const style = rng.int(4);
    const ends = ['\r', '\r\n', '\n'];
    return text.replace(/\r\n|\r|\n/g, () => (style < 3 ? ends[style] : pick(rng, ends)));
  },
  insertSeparator: (text, rng) => {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + pick(rng, SEPARATORS) + text.slice(at);
  },
  insertToken: (text, rng) => {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + pick(rng, TOKENS) + text.slice(at);
  },
  deleteSpan: (text, rng) => {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + text.slice(at + 1 + rng.int(8));
  },
  duplicateLine: (text, rng) => {
    const lines = text.split('\n');
    const i = rng.int(lines.length);
    lines.splice(i, 0, lines[i]);
    return lines.join('\n');
  },
  swapLines: (text, rng) => {
    const lines = text.split('\n');
    const [i, j] = [rng.int(lines.length), rng.int(lines.length)];
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join('\n');
  },
  manyFields: (text, rng, huge) => {
    // Repeats a piece of a line (a field, a declaration, a JSON entry) up to huge / 8 times:
    // wide headers, long nominal sets, long rows; catches work quadratic in the field count.
    const lines = text.split('\n');
    const i = rng.int(lines.length);
    const line = lines[i];
    const at = rng.int(line.length + 1);
    const piece = line.slice(at, at + 1 + rng.int(8)) || ',';
    const times = 1 + rng.int(Math.max(1, Math.floor(huge / 8 / piece.length)));
    lines[i] = line.slice(0, at) + piece.repeat(times) + line.slice(at);
    return lines.join('\n');
  },
  hugeCell: (text, rng, huge) => {
    // Replaces the number (or the token) at a random place with a run of up to `huge` digits.
    const at = rng.int(text.length + 1);
    let start = at;
    while (start > 0 && !/[,\s{}[\]:]/.test(text[start - 1])) start--;
    let end = at;
    while (end < text.length && !/[,\s{}[\]:]/.test(text[end])) end++;
    const digits = String(1 + rng.int(9)).repeat(1 + rng.int(huge));
    return text.slice(0, start) + digits + pick(rng, HUGE_TAILS) + text.slice(end);
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** `text` after one to three random mutations; returns the text and the mutations' names. */
export function mutate(text: string, rng: Random, huge: number): [string, string[]] {
  const count = 1 + rng.int(3);
  const used: string[] = [];
  for (let k = 0; k < count; k++) {
    const name = pick(rng, MUTATION_NAMES);
    // Huge cells and many fields are rarer: they make a case slower, and one is enough.
    const large = name === 'hugeCell' || name === 'manyFields';
    if (
      large &&
      (used.some((u) => u === 'hugeCell' || u === 'manyFields') || rng.uniform() < 0.7)
    ) {
      continue;
    }
    text = MUTATIONS[name](text, rng, huge);
    used.push(name);
  }
  return [text, used];
}
