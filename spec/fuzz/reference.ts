/**
 * Independent, deliberately simple parsers for the well-formed subset of ARFF and CSV that
 * the fuzzer checks the readers against. Each says `accept` (with the values), `reject`
 * (the text breaks a rule the readers document), or `skip` (the text uses something this
 * reference does not model: quotes, sparse rows).
 */

export type Verdict =
  | { kind: 'accept'; names: string[]; values: number[]; rows: number }
  | { kind: 'reject'; why: string }
  | { kind: 'skip'; why: string };

export type CsvVerdict =
  | { kind: 'accept'; x: number[]; y: number[]; mask: number[]; rows: number }
  | { kind: 'reject'; why: string }
  | { kind: 'skip'; why: string };

/** White space as ECMAScript defines it (WhiteSpace and LineTerminator), listed by hand. */
const WHITE = new Set(
  [
    0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
    0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
  ].map((c) => String.fromCharCode(c)),
);

function trim(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && WHITE.has(text[a])) a++;
  while (b > a && WHITE.has(text[b - 1])) b--;
  return text.slice(a, b);
}

/** Lines ending at CRLF, LF or CR, after dropping one leading byte order mark. */
function lines(text: string): string[] {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\n' || body[i] === '\r') {
      out.push(body.slice(start, i));
      if (body[i] === '\r' && body[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

/** A decimal literal's value, or NaN; this regular expression is linear (no nested runs). */
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
function decimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}

const reject = (why: string) => ({ kind: 'reject' as const, why });
const skip = (why: string) => ({ kind: 'skip' as const, why });

/** The word at the start of `text` (up to white space) and the trimmed rest. */
function firstWord(text: string): [string, string] {
  let i = 0;
  while (i < text.length && !WHITE.has(text[i])) i++;
  return [text.slice(0, i), trim(text.slice(i))];
}

/** What parseArff (without options) must do with `text`. */
export function referenceArff(text: string): Verdict {
  if (text.includes("'") || text.includes('"')) return skip('quotes');
  const all = lines(text);
  const uncomment = (line: string) =>
    trim(line.includes('%') ? line.slice(0, line.indexOf('%')) : line);
  const names: string[] = [];
  const lookups: (Map<string, number> | null)[] = [];
  let i = 0;
  let sawData = false;
  for (; i < all.length; i++) {
    const line = uncomment(all[i]);
    if (line === '') continue;
    if (line[0] !== '@') return reject('text before @data');
    const [keyword, rest] = firstWord(line.slice(1));
    const lower = keyword.toLowerCase();
    if (lower === 'data') {
      sawData = true;
      i++;
      break;
    }
    if (lower === 'relation') continue;
    if (lower !== 'attribute') return reject(`declaration @${keyword}`);
    const [name, type] = firstWord(rest);
    if (name === '' || names.includes(name)) return reject('attribute name');
    names.push(name);
    if (type.startsWith('{')) {
      if (!type.endsWith('}') || type.length < 2) return reject('nominal set without }');
      const inner = trim(type.slice(1, -1));
      const values = inner === '' ? [] : inner.split(',').map(trim);
      if (values.length === 0 || values.includes('')) return reject('empty nominal value');
      if (new Set(values).size !== values.length) return reject('repeated nominal value');
      const numbers = values.map(decimal);
      const asNumbers = numbers.every((v) => !Number.isNaN(v));
      if (asNumbers && !numbers.every(Number.isFinite)) return reject('nominal 1e999');
      lookups.push(new Map(values.map((v, k) => [v, asNumbers ? numbers[k] : k])));
    } else if (['numeric', 'real', 'integer'].includes(type.toLowerCase())) {
      lookups.push(null);
    } else {
      return reject(`type ${type}`);
    }
  }
  if (!sawData) return reject('no @data');
  const columns = names.length;
  if (columns === 0) return reject('no attributes');
  const values: number[] = [];
  let rows = 0;
  for (; i < all.length; i++) {
    const line = uncomment(all[i]);
    if (line === '') continue;
    if (line[0] === '@') return reject('declaration after @data');
    if (line[0] === '{') return skip('sparse row');
    const tokens = line.split(',').map(trim);
    if (tokens.length !== columns) return reject('value count');
    for (let c = 0; c < columns; c++) {
      const token = tokens[c];
      const lookup = lookups[c];
      if (token === '?') values.push(NaN);
      else if (lookup === null) {
        const v = decimal(token);
        if (!Number.isFinite(v)) return reject(`value ${token}`);
        values.push(v);
      } else {
        const v = lookup.get(token);
        if (v === undefined) return reject(`nominal value ${token}`);
        values.push(v);
      }
    }
    rows++;
  }
  return { kind: 'accept', names, values, rows };
}

/** What parseCsv(text, { labels }) (a count) must do with `text`. */
export function referenceCsv(text: string, labels: number): CsvVerdict {
  if (text.includes('"')) return skip('quotes');
  const all = lines(text);
  let h = 0;
  while (h < all.length && trim(all[h]) === '') h++;
  if (h === all.length) return reject('empty');
  const names = all[h].split(',').map(trim);
  if (names.includes('') || new Set(names).size !== names.length) return reject('header names');
  const columns = names.length;
  if (labels > columns) return reject('too many labels');
  const features = columns - labels;
  const x: number[] = [];
  const y: number[] = [];
  const mask: number[] = [];
  let rows = 0;
  for (let i = h + 1; i < all.length; i++) {
    if (trim(all[i]) === '') continue;
    const fields = all[i].split(',').map(trim);
    if (fields.length !== columns) return reject('field count');
    for (let c = 0; c < features; c++) {
      const v = decimal(fields[c]);
      if (!Number.isFinite(v)) return reject(`feature ${fields[c]}`);
      x.push(v);
    }
    for (let c = features; c < columns; c++) {
      const field = fields[c];
      const v = decimal(field);
      if (v === 0 || v === 1) {
        y.push(v === 1 ? 1 : 0);
        mask.push(1);
      } else if (field === '' || field === '?' || field.toLowerCase() === 'nan' || v === -1) {
        y.push(0);
        mask.push(0);
      } else {
        return reject(`label ${field}`);
      }
    }
    rows++;
  }
  if (rows === 0) return reject('no data rows');
  return { kind: 'accept', x, y, mask, rows };
}

/** What loadStateDict must do with `state`, for a model with these parameter shapes. */
export function referenceState(
  state: unknown,
  shapes: [string, number[]][],
): { kind: 'accept'; values: number[][] } | { kind: 'reject'; why: string } {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    return reject('not an object');
  }
  const entries = state as Record<string, unknown>;
  const keys = Object.keys(entries).sort();
  const expected = shapes.map(([name]) => name).sort();
  if (keys.length !== expected.length || keys.some((k, i) => k !== expected[i])) {
    return reject('names');
  }
  const values: number[][] = [];
  for (const [name, shape] of shapes) {
    const entry = entries[name] as { shape?: unknown; data?: unknown } | null;
    if (typeof entry !== 'object' || entry === null) return reject(`${name} not an object`);
    if (JSON.stringify(entry.shape) !== JSON.stringify(shape)) return reject(`${name} shape`);
    const data = entry.data;
    const size = shape.reduce((a, b) => a * b, 1);
    if (!Array.isArray(data) || data.length !== size) return reject(`${name} data`);
    if (!data.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return reject(`${name} value`);
    }
    values.push(data as number[]);
  }
  return { kind: 'accept', values };
}
