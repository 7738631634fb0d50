import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';

/**
 * The one CSV/TSV grammar of maskgrad, used by parseCsv (the whole text at once) and by
 * predict's streaming reader (the text in chunks as the file is read), so both read every
 * file the same way and refuse it with the same messages.
 *
 * - A record is one line. A line ends at LF, CRLF or a lone CR; one leading byte order mark
 *   is dropped; a line that is empty or only white space (String.prototype.trim) is skipped.
 * - Fields are separated by the delimiter (',', '\t' or ';'; or detected from the header line,
 *   see `detectDelimiter`). A field that starts with `"` is
 *   quoted: it runs to the next `"` that is not doubled (`""` is one quote inside), may hold
 *   the delimiter, and must be followed by the delimiter or the end of the line. Text after
 *   the closing quote (`"0.5"5`) and a quote left open at the end of the line are errors
 *   naming the line. A `"` inside an unquoted field is an ordinary character.
 * - Fields are returned as written (untrimmed); the readers trim them.
 */

export type CsvDelimiter = ',' | '\t' | ';';

/** The delimiters `detectDelimiter` chooses from, in the order that breaks a tie. */
const DELIMITERS: readonly CsvDelimiter[] = [',', '\t', ';'];

/** How messages name a delimiter: 'a comma', 'a tab', 'a semicolon'. */
export function delimiterName(delimiter: CsvDelimiter): string {
  return delimiter === ',' ? 'a comma' : delimiter === '\t' ? 'a tab' : 'a semicolon';
}

/**
 * The delimiter a header line is split on: whichever of ',', '\t' and ';' occurs most often
 * outside double-quoted fields. A tie goes to the first of comma, tab, semicolon; a line with
 * none of them (a single column) gives a comma.
 */
export function detectDelimiter(headerLine: string): CsvDelimiter {
  if (typeof headerLine !== 'string') {
    throw new MaskgradError(
      `detectDelimiter: expected the header line as a string, got ${describeValue(headerLine)}`,
    );
  }
  const counts = [0, 0, 0];
  let quoted = false;
  for (let i = 0; i < headerLine.length; i++) {
    const ch = headerLine[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted) {
      const d = DELIMITERS.indexOf(ch as CsvDelimiter);
      if (d >= 0) counts[d]++;
    }
  }
  let best = 0;
  for (let d = 1; d < DELIMITERS.length; d++) if (counts[d] > counts[best]) best = d;
  return DELIMITERS[best];
}

const LF = 10;
const CR = 13;

/**
 * Splits a stream of text into records. Feed it with `push` (chunks may end anywhere: inside a
 * quoted field, between CR and LF), mark the end with `end`, and take records with
 * `nextRecord` until it returns null.
 */
export class CsvTokenizer {
  /** The line number of the record `nextRecord` returned last (1-based, counting every line). */
  lineNo = 0;
  /** The field separator: the one given, or the one detected from the first line. */
  get delimiter(): CsvDelimiter {
    return this.separator;
  }
  private separator: CsvDelimiter;
  /** Whether the delimiter was detected from the first line rather than given. */
  readonly detected: boolean;
  /** The chunk being read, and where in it the next line starts. */
  private text = '';
  private pos = 0;
  /** The start of a line that the chunks before `text` left unfinished. */
  private partial: string[] = [];
  /** The previous chunk ended with CR: a LF at the start of the next one ends no new line. */
  private afterCR = false;
  private ended = false;
  /** Whether the first non-blank line was read (and, when detecting, the delimiter found). */
  private sawLine = false;
  /** The next CR and LF at or after `pos` in `text` (-1: none), cached so each is found once. */
  private nextCR = -1;
  private nextLF = -1;

  /**
   * @param where the reader's name, the start of every error message
   * @param delimiter the field separator: ',' (CSV, the default), '\t' (TSV), ';', or 'detect'
   *   (the one `detectDelimiter` finds in the first line)
   */
  constructor(
    private readonly where: string,
    delimiter: CsvDelimiter | 'detect' = ',',
  ) {
    if (delimiter !== 'detect' && !DELIMITERS.includes(delimiter)) {
      throw new MaskgradError(
        `${where}: delimiter is ${describeValue(delimiter)}; expected ",", "\\t", ";" or "detect"`,
      );
    }
    this.detected = delimiter === 'detect';
    this.separator = delimiter === 'detect' ? ',' : delimiter;
  }

  /** Adds the next chunk of text; call only once the records of the previous one were taken. */
  push(chunk: string): void {
    if (typeof chunk !== 'string') {
      throw new MaskgradError(
        `CsvTokenizer.push: expected a chunk of text, got ${describeValue(chunk)}`,
      );
    }
    if (this.ended) throw new MaskgradError('CsvTokenizer.push: the text has ended');
    if (this.pos < this.text.length) {
      throw new MaskgradError(
        'CsvTokenizer.push: the previous chunk still holds records; take them with nextRecord first',
      );
    }
    if (this.afterCR && chunk.length > 0) {
      this.afterCR = false;
      if (chunk.charCodeAt(0) === LF) chunk = chunk.slice(1);
    }
    this.text = chunk;
    this.pos = 0;
    this.nextCR = chunk.indexOf('\r');
    this.nextLF = chunk.indexOf('\n');
  }

  /** Marks the end of the text: an unfinished last line becomes a record. */
  end(): void {
    this.ended = true;
  }

  /**
   * The fields of the next record, or null when the text pushed so far holds no complete line
   * (push more, or end) or, after `end`, when every record was taken.
   */
  nextRecord(): string[] | null {
    for (;;) {
      const line = this.nextLine();
      if (line === null) return null;
      if (line.trim() === '') continue;
      return this.split(line);
    }
  }

  /** The next line (its line number in `lineNo`), or null if none is complete yet. */
  private nextLine(): string | null {
    const text = this.text;
    const start = this.pos;
    if (this.nextCR >= 0 && this.nextCR < start) this.nextCR = text.indexOf('\r', start);
    if (this.nextLF >= 0 && this.nextLF < start) this.nextLF = text.indexOf('\n', start);
    const cr = this.nextCR;
    const lf = this.nextLF;
    if (cr < 0 && lf < 0) {
      if (start < text.length) this.partial.push(text.slice(start));
      this.pos = text.length;
      if (!this.ended || this.partial.length === 0) return null;
      return this.finishLine(this.partial.join(''));
    }
    const lineEnd = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
    let line = text.slice(start, lineEnd);
    if (this.partial.length > 0) {
      this.partial.push(line);
      line = this.partial.join('');
    }
    this.pos = lineEnd + 1;
    if (lineEnd === cr) {
      if (lineEnd + 1 === text.length) this.afterCR = true;
      else if (text.charCodeAt(lineEnd + 1) === LF) this.pos++;
    }
    return this.finishLine(line);
  }

  /** Counts the line, and drops the byte order mark from the first. */
  private finishLine(line: string): string {
    this.partial = [];
    this.lineNo++;
    if (this.lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (this.detected && !this.sawLine && line.trim() !== '') {
      this.sawLine = true;
      this.separator = detectDelimiter(line);
    }
    return line;
  }

  /** The fields of one line. */
  private split(line: string): string[] {
    const d = this.separator;
    if (line.indexOf('"') < 0) return line.split(d);
    const fields: string[] = [];
    let i = 0;
    for (;;) {
      if (line.charCodeAt(i) === 34) {
        // The field runs to the next quote that is not doubled; whole runs are sliced at once.
        let value = '';
        let j = i + 1;
        for (;;) {
          const quote = line.indexOf('"', j);
          if (quote < 0) this.fail('unterminated quoted field; expected a closing "');
          value += line.slice(j, quote);
          if (line.charCodeAt(quote + 1) === 34) {
            value += '"';
            j = quote + 2;
            continue;
          }
          j = quote + 1;
          break;
        }
        fields.push(value);
        if (j === line.length) return fields;
        if (line[j] !== d) {
          this.fail(`text after a closing quote; expected ${delimiterName(d)}`);
        }
        i = j + 1;
      } else {
        const next = line.indexOf(d, i);
        if (next < 0) {
          fields.push(line.slice(i));
          return fields;
        }
        fields.push(line.slice(i, next));
        i = next + 1;
      }
    }
  }

  private fail(what: string): never {
    throw new MaskgradError(`${this.where}: line ${this.lineNo}: ${what}`, { code: 'ERR_PARSE' });
  }
}
