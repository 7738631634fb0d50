// Which column of a file is what: labels (by count, names or a range of names), the id column,
// the ignored columns, and the features (the rest). Shared by the CSV and ARFF readers and by
// predict's reader, so every reader names and refuses columns the same way.
import { MaskgradError } from '../errors';
import { describeValue, quoteExcerpt } from '../describe-value';
import { editDistance } from '../edit-distance';

/**
 * Which columns are labels: a count (the last N columns), a list of column names, or a range
 * of names `{ first, last }` (both ends included, in the file's column order).
 */
export type LabelSpec = number | readonly string[] | { first: string; last: string };

/** The roles of a file's columns, as column indices. */
export interface ColumnRoles {
  /** The label columns: in the order given (names), or in file order (a count or a range). */
  labelColumns: number[];
  /** Every other column that is neither the id nor ignored, in file order. */
  featureColumns: number[];
  /** The id column, or -1 when none was named. */
  idColumn: number;
  /** The ignored columns, in the order given. */
  ignoredColumns: number[];
}

/** Which columns are the id and which are left out, besides the labels. */
export interface ColumnOptions {
  /** The name of a text column kept as each row's id (`ids` in the data set), not a feature. */
  id?: string;
  /** Names of columns left out: neither features nor labels. */
  ignore?: readonly string[];
}

/**
 * The end of the message for a text column that is neither the id nor ignored. The CLI puts
 * its flags in its place (`--id COL`, `--ignore COL`); the library's words name the options.
 */
export const TEXT_COLUMN_ADVICE =
  'name it with the option id or leave it out with the option ignore';

/** The end of the hint for a file read as one column; the CLI puts `--delimiter` in its place. */
export const DELIMITER_ADVICE = 'pass the option delimiter';

/** The message for a column of text where a feature's numbers were expected. */
export function textColumnMessage(where: string, name: string, at: string, value: string): string {
  return `${where}: column ${quoteExcerpt(name)} is text (${at}: ${quoteExcerpt(value)}); ${TEXT_COLUMN_ADVICE}`;
}

/**
 * Up to `count` of `names` nearest to `name`: by edit distance ignoring case, then with case,
 * then in their order. For "did you mean" in messages about a column that is not there.
 */
export function nearestNames(name: string, names: readonly string[], count = 3): string[] {
  const lower = name.toLowerCase();
  return names
    .map((n, i) => ({ n, i, d: editDistance(lower, n.toLowerCase()), e: editDistance(name, n) }))
    .sort((a, b) => a.d - b.d || a.e - b.e || a.i - b.i)
    .slice(0, count)
    .map((c) => c.n);
}

/** Throws `where: WHAT "x" not found; the nearest of the N columns: "a", "b", "c"`. */
export function columnNotFound(
  where: string,
  what: string,
  name: unknown,
  names: readonly string[],
): never {
  const shown = typeof name === 'string' ? quoteExcerpt(name) : describeValue(name);
  const near =
    typeof name === 'string' && names.length > 0
      ? `; the nearest of the ${names.length} columns: ${nearestNames(name, names)
          .map((n) => quoteExcerpt(n))
          .join(', ')}`
      : '';
  throw new MaskgradError(`${where}: ${what} ${shown} not found${near}`);
}

/** Each name's column index (the first, should a name appear twice). */
function columnIndex(names: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let c = names.length - 1; c >= 0; c--) index.set(names[c], c);
  return index;
}

/** Whether `labels` is a range `{ first, last }` (and nothing else). */
function isRange(labels: unknown): labels is { first: string; last: string } {
  return (
    labels !== null &&
    typeof labels === 'object' &&
    !Array.isArray(labels) &&
    Object.keys(labels).sort().join() === 'first,last'
  );
}

/**
 * The column indices that `labels` selects from `names`: the last N for a count, the named
 * ones in the order given, or every column from `first` to `last` in file order.
 */
export function resolveLabelColumns(
  names: readonly string[],
  labels: LabelSpec,
  where: string,
): number[] {
  const expected =
    'a positive integer (the last N columns), a non-empty list of column names or a range { first, last }';
  if (typeof labels === 'number') {
    if (!Number.isInteger(labels) || labels < 1) {
      throw new MaskgradError(`${where}: labels must be ${expected}, got ${describeValue(labels)}`);
    }
    if (labels > names.length) {
      throw new MaskgradError(
        `${where}: labels is ${labels} but there ${names.length === 1 ? 'is only 1 column' : `are only ${names.length} columns`}; expected at most ${names.length}`,
      );
    }
    const out: number[] = [];
    for (let c = names.length - labels; c < names.length; c++) out.push(c);
    return out;
  }
  const index = columnIndex(names);
  if (isRange(labels)) {
    const { first, last } = labels;
    for (const end of [first, last]) {
      if (typeof end !== 'string') {
        throw new MaskgradError(
          `${where}: labels { first, last } must be two column names, got ${describeValue(end)}`,
        );
      }
      if (!index.has(end)) columnNotFound(where, 'label column', end, names);
    }
    const from = index.get(first)!;
    const to = index.get(last)!;
    if (from > to) {
      throw new MaskgradError(
        `${where}: labels range ${quoteExcerpt(first)} to ${quoteExcerpt(last)} is reversed: ` +
          `${quoteExcerpt(first)} is column ${from + 1} and ${quoteExcerpt(last)} column ${to + 1}; ` +
          'expected the first end before the last in the header',
      );
    }
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new MaskgradError(`${where}: labels must be ${expected}, got ${describeValue(labels)}`);
  }
  const out: number[] = [];
  const listed = new Set<number>();
  for (const name of labels) {
    const c = index.get(name) ?? -1;
    if (c < 0) columnNotFound(where, 'label column', name, names);
    if (listed.has(c)) {
      throw new MaskgradError(`${where}: label column ${quoteExcerpt(name)} is listed twice`);
    }
    listed.add(c);
    out.push(c);
  }
  return out;
}

/**
 * The roles of the columns `names`: the labels `labels` selects, the id column and the
 * ignored ones `options` names, and the features (the rest, in file order). A name that is
 * not a column, or a column given two roles, is an error naming it.
 */
export function assignColumns(
  names: readonly string[],
  labels: LabelSpec,
  options: ColumnOptions,
  where: string,
): ColumnRoles {
  const labelColumns = resolveLabelColumns(names, labels, where);
  const index = columnIndex(names);
  const role = new Map<number, string>();
  for (const c of labelColumns) role.set(c, 'a label');
  let idColumn = -1;
  if (options.id !== undefined) {
    if (typeof options.id !== 'string') {
      throw new MaskgradError(
        `${where}: id must be a column name (a string), got ${describeValue(options.id)}`,
      );
    }
    idColumn = index.get(options.id) ?? -1;
    if (idColumn < 0) columnNotFound(where, 'id column', options.id, names);
    if (role.has(idColumn)) {
      throw new MaskgradError(
        `${where}: column ${quoteExcerpt(options.id)} is both the id and ${role.get(idColumn)}; expected one role`,
      );
    }
    role.set(idColumn, 'the id');
  }
  const ignoredColumns: number[] = [];
  if (options.ignore !== undefined) {
    if (!Array.isArray(options.ignore)) {
      throw new MaskgradError(
        `${where}: ignore must be a list of column names, got ${describeValue(options.ignore)}`,
      );
    }
    for (const name of options.ignore) {
      const c = typeof name === 'string' ? (index.get(name) ?? -1) : -1;
      if (c < 0) columnNotFound(where, 'ignored column', name, names);
      if (role.has(c)) {
        const other = role.get(c)!;
        throw new MaskgradError(
          other === 'ignored'
            ? `${where}: ignored column ${quoteExcerpt(name)} is listed twice`
            : `${where}: column ${quoteExcerpt(name)} is both ignored and ${other}; expected one role`,
        );
      }
      role.set(c, 'ignored');
      ignoredColumns.push(c);
    }
  }
  const featureColumns: number[] = [];
  for (let c = 0; c < names.length; c++) if (!role.has(c)) featureColumns.push(c);
  return { labelColumns, featureColumns, idColumn, ignoredColumns };
}

/**
 * A `--labels` text as a LabelSpec: all digits is a count (`4`: the last 4 columns);
 * `FIRST:LAST` a range of names; otherwise column names separated by commas (`cat,dog`).
 * Names are trimmed; an empty name is an error.
 */
export function parseLabelSpec(text: string, where = 'parseLabelSpec'): LabelSpec {
  if (typeof text !== 'string') {
    throw new MaskgradError(
      `${where}: expected the labels as text (a count, names or FIRST:LAST), got ${describeValue(text)}`,
    );
  }
  const trimmed = text.trim();
  if (/^[0-9]+$/.test(trimmed)) {
    const count = Number(trimmed);
    if (count < 1 || !Number.isSafeInteger(count)) {
      throw new MaskgradError(
        `${where}: labels is ${quoteExcerpt(trimmed)}; expected a count of at least 1, names, or FIRST:LAST`,
      );
    }
    return count;
  }
  const empty = () =>
    new MaskgradError(
      `${where}: labels ${quoteExcerpt(text)} has an empty name; expected a count (4), names (cat,dog) or a range (cat:dog)`,
    );
  if (!trimmed.includes(',') && trimmed.includes(':')) {
    const parts = trimmed.split(':').map((s) => s.trim());
    if (parts.length !== 2) {
      throw new MaskgradError(
        `${where}: labels ${quoteExcerpt(text)} has ${parts.length - 1} colons; expected one range FIRST:LAST`,
      );
    }
    if (parts.some((p) => p === '')) throw empty();
    return { first: parts[0], last: parts[1] };
  }
  const list = trimmed.split(',').map((s) => s.trim());
  if (list.some((n) => n === '')) throw empty();
  return list;
}

/**
 * `run()`, its MaskgradError extended when a header was read as one column (`columns` is 1):
 * the delimiter it was split on (`delimiter`, e.g. 'a comma') and what to do.
 */
export function withOneColumnHint<T>(
  columns: number,
  delimiter: string,
  detected: boolean,
  run: () => T,
): T {
  try {
    return run();
  } catch (e) {
    if (columns !== 1 || !(e instanceof MaskgradError)) throw e;
    throw new MaskgradError(
      `${e.message}; the header was read as one column (split on ${delimiter}, ` +
        `${detected ? 'detected from the header line' : 'as given'}); ` +
        `if the file uses another separator, ${DELIMITER_ADVICE}`,
      { code: e.code },
    );
  }
}
