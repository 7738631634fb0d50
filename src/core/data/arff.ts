import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue, excerpt, quoteExcerpt } from '../describe-value';
import { checkLabelAttribute } from './dataset';
import { parseDecimal } from './number';
import { splitLines } from './lines';

/** One `@attribute` declaration of an ARFF file. */
export interface ArffAttribute {
  name: string;
  /**
   * `numeric`, `real` and `integer` are all stored as numbers; `nominal` is a `{a,b,...}` set;
   * `string` is text (an id, a note), kept in `ParsedArff.strings` (its `values` are NaN).
   */
  type: 'numeric' | 'real' | 'integer' | 'nominal' | 'string';
  /** The declared values of a nominal attribute, in order (absent for numeric ones). */
  nominalValues?: string[];
  /**
   * How a nominal value is stored: `'number'` when every declared value is a number (as in
   * `{0,1}`: the stored value is that number), `'index'` otherwise (the 0-based position in
   * `nominalValues`).
   */
  encoding?: 'number' | 'index';
}

/** A parsed ARFF file: its attributes and its values as one row-major matrix. */
export interface ParsedArff {
  relation: string;
  attributes: ArffAttribute[];
  /** The attribute names, in order (the same as `attributes.map((a) => a.name)`). */
  names: string[];
  rows: number;
  columns: number;
  /** Row-major [rows, columns]; NaN where the file has `?`. */
  values: Float64Array;
  /** The 1-based line of the file each data row came from, for error messages. */
  lines: Int32Array;
  /** Whether any data row was in sparse `{index value, ...}` form. */
  sparse: boolean;
  /**
   * The text of each `string` attribute, by attribute name: one entry per row ('' for `?` or
   * an entry a sparse row leaves out). Absent when the file declares no string attribute.
   */
  strings?: Record<string, string[]>;
  /** The label count passed to `parseArff`, if any (the last `labels` attributes are labels). */
  labels?: number;
}

export interface ArffOptions {
  /**
   * The number of label attributes (the last ones). When given, it is checked against the
   * attribute count, every label value is checked to be 0, 1 or `?` as the file is read, and
   * the count is kept in the result for `datasetFromArff`.
   */
  labels?: number;
}

const NUMERIC_TYPES = new Set(['numeric', 'real', 'integer']);

function fail(line: number, message: string): never {
  throw new MaskgradError(`parseArff: line ${line}: ${message}`, { code: 'ERR_PARSE' });
}

/**
 * Calls `visit` with each character of `text` that stands outside quotes ('...' or "...",
 * with backslash escapes inside them), until it returns false. Returns the quote still open
 * at the end of the text ('' when none is).
 */
function forEachUnquoted(text: string, visit: (ch: string, i: number) => boolean | void): string {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (visit(ch, i) === false) return '';
  }
  return quote;
}

/** Removes a `%` comment that is outside quotes. */
function stripComment(text: string): string {
  if (text.indexOf('%') < 0) return text;
  let end = text.length;
  forEachUnquoted(text, (ch, i) => {
    if (ch !== '%') return true;
    end = i;
    return false;
  });
  return text.slice(0, end);
}

/** Removes surrounding quotes (and backslash escapes inside them) from a trimmed token. */
function unquote(token: string, line: number): string {
  const q = token[0];
  if (q !== "'" && q !== '"') return token;
  if (token.length < 2 || token[token.length - 1] !== q) {
    fail(line, `unterminated quoted value ${excerpt(token)}; expected a closing ${q}`);
  }
  let out = '';
  for (let i = 1; i < token.length - 1; i++) {
    const ch = token[i];
    if (ch === '\\' && i + 1 < token.length - 1) out += token[++i];
    else out += ch;
  }
  return out;
}

/** Splits on commas outside quotes; each piece is trimmed but keeps its quotes. */
function splitCommas(text: string, line: number): string[] {
  if (text.indexOf("'") < 0 && text.indexOf('"') < 0) {
    const parts = text.split(',');
    for (let i = 0; i < parts.length; i++) parts[i] = parts[i].trim();
    return parts;
  }
  const parts: string[] = [];
  let start = 0;
  const quote = forEachUnquoted(text, (ch, i) => {
    if (ch !== ',') return;
    parts.push(text.slice(start, i).trim());
    start = i + 1;
  });
  if (quote) fail(line, `unterminated quoted value; expected a closing ${quote}`);
  parts.push(text.slice(start).trim());
  return parts;
}

/** Reads a name (quoted or not) at the start of `text`; returns it and the rest. */
function readName(text: string, line: number, what: string): [string, string] {
  const q = text[0];
  if (q === "'" || q === '"') {
    for (let i = 1; i < text.length; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === q)
        return [unquote(text.slice(0, i + 1), line), text.slice(i + 1).trim()];
    }
    fail(line, `unterminated quoted ${what} ${excerpt(text)}; expected a closing ${q}`);
  }
  const m = /^(\S+)\s*(.*)$/s.exec(text);
  if (!m) fail(line, `expected ${what}`);
  return [m[1], m[2]];
}

/**
 * A declaration line `@keyword rest` (already trimmed, starting with @) split into the keyword
 * (which ends at the first white space; '' when the @ stands alone) and the rest, trimmed.
 */
function splitDeclaration(line: string): [string, string] {
  let end = 1;
  while (end < line.length && !/\s/.test(line[end])) end++;
  return [line.slice(1, end), line.slice(end).trim()];
}

interface AttributeParser {
  attribute: ArffAttribute;
  /** Declared nominal value -> stored number (nominal attributes only). */
  lookup: Map<string, number> | null;
  /** What an entry omitted from a sparse row means: 0, or the first nominal value. */
  zero: number;
  /** The rows' texts of a string attribute (null for the others). */
  texts: string[] | null;
}

function parseAttribute(rest: string, line: number, seen: Set<string>): AttributeParser {
  if (rest === '') fail(line, 'expected "@attribute NAME TYPE"');
  const [name, typeText] = readName(rest, line, 'attribute name');
  if (seen.has(name))
    fail(line, `attribute ${quoteExcerpt(name)} is declared twice; expected unique names`);
  seen.add(name);
  if (typeText.startsWith('{')) {
    if (!typeText.endsWith('}')) {
      fail(
        line,
        `nominal type of attribute ${quoteExcerpt(name)} has no closing }; expected {value,value,...}`,
      );
    }
    const inner = typeText.slice(1, -1).trim();
    const values =
      inner === '' ? [] : splitCommas(inner, line).map((token) => unquote(token, line));
    if (values.length === 0 || values.some((v) => v === '')) {
      fail(
        line,
        `nominal type of attribute ${quoteExcerpt(name)} has an empty value; expected {value,value,...}`,
      );
    }
    const numbers = values.map(parseDecimal);
    const encoding = numbers.every((v) => !Number.isNaN(v)) ? 'number' : 'index';
    const huge = numbers.findIndex((v) => v === Infinity || v === -Infinity);
    if (encoding === 'number' && huge >= 0) {
      fail(
        line,
        `nominal type of attribute ${quoteExcerpt(name)} lists ${quoteExcerpt(values[huge])}, too large for a float64; expected finite numbers`,
      );
    }
    const lookup = new Map<string, number>();
    for (let i = 0; i < values.length; i++) {
      if (lookup.has(values[i])) {
        fail(
          line,
          `nominal type of attribute ${quoteExcerpt(name)} lists ${quoteExcerpt(values[i])} twice`,
        );
      }
      lookup.set(values[i], encoding === 'number' ? numbers[i] : i);
    }
    return {
      attribute: { name, type: 'nominal', nominalValues: values, encoding },
      lookup,
      zero: encoding === 'number' ? numbers[0] : 0,
      texts: null,
    };
  }
  const type = typeText.toLowerCase();
  if (type === 'string') return { attribute: { name, type }, lookup: null, zero: NaN, texts: [] };
  if (!NUMERIC_TYPES.has(type)) {
    fail(
      line,
      `unknown type ${quoteExcerpt(typeText)} for attribute ${quoteExcerpt(name)}; expected numeric, real, integer, string or a nominal set such as {0,1}`,
    );
  }
  return {
    attribute: { name, type: type as 'numeric' | 'real' | 'integer' },
    lookup: null,
    zero: 0,
    texts: null,
  };
}

/**
 * The stored number for one token of a data row (NaN for `?`). A string attribute's token is
 * kept, unquoted, as the row's text, and stored as NaN.
 */
function parseValue(
  token: string,
  parser: AttributeParser,
  line: number,
  column: number,
  row: number,
): number {
  if (parser.texts !== null) {
    parser.texts[row] = token === '?' ? '' : unquote(token, line);
    return NaN;
  }
  if (token === '?') return NaN;
  if (parser.lookup === null) {
    const v = parseDecimal(token);
    if (Number.isNaN(v)) {
      fail(
        line,
        `value ${column + 1} (${quoteExcerpt(token)}) of attribute ${quoteExcerpt(parser.attribute.name)} is not a number; expected a number or ?`,
      );
    }
    if (!Number.isFinite(v)) {
      fail(
        line,
        `value ${column + 1} (${quoteExcerpt(token)}) of attribute ${quoteExcerpt(parser.attribute.name)} is too large for a float64; expected a finite number or ?`,
      );
    }
    return v;
  }
  const v = parser.lookup.get(unquote(token, line));
  if (v === undefined) {
    fail(
      line,
      `value ${column + 1} (${quoteExcerpt(token)}) of attribute ${quoteExcerpt(parser.attribute.name)} is not one of ${nominalSet(parser.attribute)}`,
    );
  }
  return v;
}

/** The declared set of a nominal attribute as `{a,b,c}`, cut short when long. */
export function nominalSet(attribute: ArffAttribute): string {
  return `{${excerpt(attribute.nominalValues!.join(','), 80)}}`;
}

function checkLabelCount(labels: number | undefined, columns: number, where: string): void {
  if (labels === undefined) return;
  if (!Number.isInteger(labels) || labels < 1) {
    throw new MaskgradError(
      `${where}: labels must be a positive integer, got ${describeValue(labels)}`,
    );
  }
  if (labels > columns) {
    throw new MaskgradError(
      `${where}: labels is ${labels} but the file declares only ${columns} attributes; expected at most ${columns}`,
    );
  }
}

/**
 * Parses the text of a numeric ARFF file (dense or sparse rows, `?` for unknown) into a
 * row-major matrix. Entries omitted from a sparse row are 0 (for a nominal attribute: its
 * first declared value, as in Weka).
 */
export function parseArff(text: string, options: ArffOptions = {}): ParsedArff {
  if (typeof text !== 'string') {
    throw new MaskgradError(
      `parseArff: expected the file's text as a string, got ${describeValue(text)}`,
    );
  }
  checkOptions('parseArff', options, ['labels']);
  const lines = splitLines(text);
  let relation = '';
  const parsers: AttributeParser[] = [];
  const seen = new Set<string>();
  let i = 0;
  let dataLine = 0;
  for (; i < lines.length; i++) {
    const line = stripComment(lines[i]).trim();
    if (line === '') continue;
    if (line[0] !== '@') {
      fail(
        i + 1,
        `expected @relation, @attribute or @data before the data, found ${quoteExcerpt(line)}`,
      );
    }
    const [word, rest] = splitDeclaration(line);
    if (word === '') {
      fail(
        i + 1,
        `${quoteExcerpt(line)} has no keyword after @; expected @relation, @attribute or @data`,
      );
    }
    const keyword = word.toLowerCase();
    if (keyword === 'relation') {
      const q = rest[0];
      relation = q === "'" || q === '"' ? unquote(rest, i + 1) : rest;
    } else if (keyword === 'attribute') {
      parsers.push(parseAttribute(rest, i + 1, seen));
    } else if (keyword === 'data') {
      dataLine = i + 1;
      i++;
      break;
    } else {
      fail(
        i + 1,
        `unknown declaration ${quoteExcerpt('@' + word)}; expected @relation, @attribute or @data`,
      );
    }
  }
  if (dataLine === 0) {
    throw new MaskgradError(
      'parseArff: no @data section; expected a line "@data" after the @attribute lines',
      { code: 'ERR_PARSE' },
    );
  }
  const columns = parsers.length;
  if (columns === 0) fail(dataLine, 'no @attribute before @data; expected at least one');
  checkLabelCount(options.labels, columns, 'parseArff');
  const labelStart = options.labels === undefined ? columns : columns - options.labels;
  for (let c = labelStart; c < columns; c++) checkLabelAttribute('parseArff', parsers[c].attribute);

  let capacity = 64;
  let values = new Float64Array(capacity * columns);
  let rowLines = new Int32Array(capacity);
  let rows = 0;
  let sparse = false;
  for (; i < lines.length; i++) {
    const raw = lines[i];
    const line = (raw.indexOf('%') >= 0 ? stripComment(raw) : raw).trim();
    if (line === '') continue;
    const lineNo = i + 1;
    if (line[0] === '@') {
      fail(lineNo, `unexpected ${quoteExcerpt(line)} after @data; expected a data row`);
    }
    if (rows === capacity) {
      capacity *= 2;
      const grown = new Float64Array(capacity * columns);
      grown.set(values);
      values = grown;
      const grownLines = new Int32Array(capacity);
      grownLines.set(rowLines);
      rowLines = grownLines;
    }
    const base = rows * columns;
    if (line[0] === '{') {
      sparse = true;
      if (line[line.length - 1] !== '}') {
        fail(lineNo, 'sparse row has no closing }; expected {index value, index value, ...}');
      }
      for (let c = 0; c < columns; c++) {
        values[base + c] = parsers[c].zero;
        parsers[c].texts?.push('');
      }
      const inner = line.slice(1, -1).trim();
      if (inner !== '') {
        const entries = splitCommas(inner, lineNo);
        const filled = new Uint8Array(columns);
        for (const entry of entries) {
          const m = /^(\S+)\s+(.+)$/s.exec(entry);
          if (!m) fail(lineNo, `sparse entry ${quoteExcerpt(entry)} is not "index value"`);
          const index = Number(m[1]);
          if (!/^\d+$/.test(m[1]) || index >= columns) {
            fail(
              lineNo,
              `sparse index ${excerpt(m[1])} is out of range; expected an integer from 0 to ${columns - 1}`,
            );
          }
          if (filled[index])
            fail(lineNo, `sparse index ${index} appears twice; expected each at most once`);
          filled[index] = 1;
          values[base + index] = parseValue(m[2].trim(), parsers[index], lineNo, index, rows);
        }
      }
    } else {
      const tokens = splitCommas(line, lineNo);
      if (tokens.length !== columns) {
        fail(lineNo, `expected ${columns} values, found ${tokens.length}`);
      }
      for (let c = 0; c < columns; c++)
        values[base + c] = parseValue(tokens[c], parsers[c], lineNo, c, rows);
    }
    for (let c = labelStart; c < columns; c++) {
      const v = values[base + c];
      if (v !== 0 && v !== 1 && !Number.isNaN(v)) {
        fail(
          lineNo,
          `label ${quoteExcerpt(parsers[c].attribute.name)} has value ${v}; expected 0, 1 or ? (unknown)`,
        );
      }
    }
    rowLines[rows] = lineNo;
    rows++;
  }
  const attributes = parsers.map((p) => p.attribute);
  const result: ParsedArff = {
    relation,
    attributes,
    names: attributes.map((a) => a.name),
    rows,
    columns,
    values: values.slice(0, rows * columns),
    lines: rowLines.slice(0, rows),
    sparse,
  };
  if (options.labels !== undefined) result.labels = options.labels;
  const strings = parsers.filter((p) => p.texts !== null);
  if (strings.length > 0) {
    result.strings = Object.fromEntries(strings.map((p) => [p.attribute.name, p.texts!]));
  }
  return result;
}
