// The flags that say which column of a data file is what (--labels, --id, --ignore) and how
// its fields are separated (--delimiter): one definition each, for train and predict.
import { escapeControls } from '../../core/describe-value';
import { isMaskgradError } from '../../core/errors';
import type { CsvDelimiter } from '../../core/data/csv-tokenizer';
import {
  DELIMITER_ADVICE,
  type LabelSpec,
  parseLabelSpec,
  TEXT_COLUMN_ADVICE,
} from '../../core/data/column-roles';
import { type Flags, type FlagSpec, UsageError } from './io';

/** The column flags, as `--help` shows them. */
export const COLUMN_FLAGS = {
  labels: {
    type: 'string',
    arg: 'SPEC',
    help: 'the label columns: a count N (the last N columns), names (cat,dog) or a range of names (cat:dog)',
  },
  id: {
    type: 'string',
    arg: 'COL',
    help: 'a column of row ids (text allowed): not a feature; predict writes it first',
  },
  ignore: {
    type: 'string',
    arg: 'COL,COL',
    help: 'columns to leave out (neither features nor labels), comma separated',
  },
  delimiter: {
    type: 'string',
    arg: 'D',
    help: 'the field separator of a .csv, .tsv or .txt file: comma, tab or semicolon',
    default: 'detected from the header line',
  },
} satisfies FlagSpec;

/** What --id, --ignore and --delimiter ask for (each absent when not given). */
export interface ColumnFlags {
  id?: string;
  ignore?: string[];
  delimiter?: CsvDelimiter;
}

const DELIMITERS: Record<string, CsvDelimiter> = {
  comma: ',',
  ',': ',',
  tab: '\t',
  '\t': '\t',
  semicolon: ';',
  ';': ';',
};

/** The delimiter `--delimiter` names: comma, tab or semicolon, or the character itself. */
export function delimiterFlag(text: string): CsvDelimiter {
  const delimiter = Object.prototype.hasOwnProperty.call(DELIMITERS, text)
    ? DELIMITERS[text]
    : undefined;
  if (delimiter === undefined) {
    throw new UsageError(
      `--delimiter must be comma, tab or semicolon (or the character itself), got '${escapeControls(text)}'`,
    );
  }
  return delimiter;
}

/** The label columns `--labels SPEC` names (see parseLabelSpec). */
export function labelsFlag(text: string): LabelSpec {
  try {
    return parseLabelSpec(text, '--labels');
  } catch (e) {
    if (!isMaskgradError(e)) throw e;
    throw new UsageError(e.message);
  }
}

/** The column names of `--ignore COL,COL`. */
export function ignoreFlag(text: string): string[] {
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) {
    throw new UsageError(
      `--ignore ${escapeControls(text)} has an empty name; expected column names separated by commas`,
    );
  }
  return names;
}

/** --id, --ignore and --delimiter of `flags`, checked; those not given are absent. */
export function columnFlags(flags: Flags): ColumnFlags {
  const out: ColumnFlags = {};
  if (typeof flags.id === 'string') {
    if (flags.id.trim() === '') throw new UsageError('--id must name a column, got an empty name');
    out.id = flags.id.trim();
  }
  if (typeof flags.ignore === 'string') out.ignore = ignoreFlag(flags.ignore);
  if (typeof flags.delimiter === 'string') out.delimiter = delimiterFlag(flags.delimiter);
  return out;
}

/**
 * `e` with the library's advice (the options id, ignore, delimiter) put in the command line's
 * words (--id COL, --ignore COL, --delimiter); any other error as it is.
 */
export function inFlagTerms(e: unknown): unknown {
  if (!isMaskgradError(e)) return e;
  const message = e.message
    .replace(TEXT_COLUMN_ADVICE, 'name it with --id COL or leave it out with --ignore COL')
    .replace(DELIMITER_ADVICE, 'pass --delimiter comma, tab or semicolon');
  return message === e.message ? e : new UsageError(message);
}
