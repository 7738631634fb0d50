/**
 * A differential fuzzer for the two CSV readers: training's (readCsv: the file's text, then
 * parseCsv) and predict's (readRowsForModel: the file's bytes streamed in chunks of random
 * size). Each case is a file with a header, one valid row and one fuzzed line (quotes, doubled
 * quotes, text after a closing quote, spaces around quotes, empty fields, unknown-label marks,
 * numbers in forms parseDecimal accepts and refuses, line breaks, BOMs, extra and missing
 * fields, non-ASCII text and invalid UTF-8 bytes). The readers must agree: both refuse with the
 * same message (but for the reader's name), or both give the same features, labels and mask,
 * bit for bit. Case i of seed s uses the generator seeded `${s}:${i}`, so any failure replays
 * alone.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRandom, type Random } from '../../src/core/random';
import { readCsv } from '../../src/node/read-data';
import { readRowsForModel } from '../../src/node/input-rows';

const pick = <T>(rng: Random, items: readonly T[]): T => items[rng.int(items.length)];

/** Numbers written the ways parseDecimal accepts. */
function goodNumber(rng: Random): string {
  const v = rng.normal(0, 100);
  switch (rng.int(9)) {
    case 0:
      return String(Math.round(v));
    case 1:
      return v.toExponential(rng.int(8));
    case 2:
      return v.toFixed(rng.int(5));
    case 3:
      return (v < 0 ? '-' : '') + '.' + String(rng.int(1000));
    case 4:
      return '+' + Math.abs(v).toPrecision(1 + rng.int(17));
    case 5:
      return String(rng.int(10)) + '.';
    case 6:
      return pick(rng, [
        '-0',
        '+0',
        '0.0',
        '-0.0',
        '1E5',
        '1e-5',
        '5e-324',
        '1.7976931348623157e308',
      ]);
    case 7:
      return (
        '0'.repeat(rng.int(5)) +
        String(rng.int(100)) +
        'e' +
        pick(rng, ['+', '-', '']) +
        rng.int(400)
      );
    default:
      return String(v);
  }
}

/** Texts that look like numbers but that parseDecimal refuses (or that overflow). */
const BAD_NUMBERS = [
  '1e999',
  '-1e400',
  '0x10',
  '1_000',
  'Infinity',
  '-Infinity',
  'inf',
  '1e',
  'e5',
  '.',
  '-',
  '+',
  '--1',
  '1.2.3',
  '1,5',
  '1 2',
  '١٢',
  '１',
  '1e+',
  '.e1',
  '1f',
  '1d',
  'O',
  'true',
  'abc',
];

/** Label fields: known, unknown and refused. */
const LABELS = [
  '0',
  '1',
  '0',
  '1',
  '-1',
  '?',
  'NaN',
  'nan',
  'NAN',
  '',
  '1.0',
  '-0',
  '0.0',
  '1e0',
  '+1',
  '.0',
  '-1.0',
  '-1e0',
  '2',
  '0.5',
  'yes',
  'true',
  '??',
  '- 1',
  '1e999',
  '0x1',
];

/** White space and other characters to put around or inside a value. */
const AROUND = [' ', '  ', '\t', '\u00a0', '\u2028', '\u3000', '\ufeff', 'é', '€', '😀', 'x'];

function rawValue(rng: Random, label: boolean): string {
  const r = rng.uniform();
  if (label && r < 0.7) return pick(rng, LABELS);
  if (r < 0.75) return goodNumber(rng);
  if (r < 0.85) return pick(rng, BAD_NUMBERS);
  if (r < 0.9) return pick(rng, ['', '?', 'NaN', '-1']);
  return pick(rng, AROUND) + goodNumber(rng);
}

/** A field both readers accept: a number or label mark, maybe padded with spaces or quoted. */
function validFieldText(rng: Random, label: boolean): string {
  let v = label ? pick(rng, LABELS.slice(0, 16)) : goodNumber(rng);
  if (rng.uniform() < 0.2) v = pick(rng, [' ', '\t', '\u00a0', '\u3000']) + v;
  if (rng.uniform() < 0.2) v = v + pick(rng, [' ', '\t', '\u2028']);
  return rng.uniform() < 0.3 ? `"${v}"` : v;
}

/** One field as written in the file: the value, maybe padded, quoted or broken. */
function fieldText(rng: Random, label: boolean): string {
  let v = rawValue(rng, label);
  if (rng.uniform() < 0.15) v = pick(rng, AROUND) + v;
  if (rng.uniform() < 0.15) v = v + pick(rng, AROUND);
  const r = rng.uniform();
  if (r < 0.55) return v;
  if (r < 0.7) return `"${v}"`;
  if (r < 0.75)
    return `"${v}"${pick(rng, ['5', '1', 'x', ' ', '"', '\t', 'é'])}${rng.uniform() < 0.5 ? rawValue(rng, label) : ''}`;
  if (r < 0.8) return `${pick(rng, [' ', '  ', '\t'])}"${v}"`;
  if (r < 0.83) return `"${v}` + (rng.uniform() < 0.5 ? '' : ' ');
  if (r < 0.87) return `"${v}""${rawValue(rng, label)}"`;
  if (r < 0.9) return '""';
  if (r < 0.93) return `"${v},${rawValue(rng, label)}"`;
  if (r < 0.96) return `${v}"${rawValue(rng, label)}`;
  return `"${v}${pick(rng, ['\n', '\r', '\r\n'])}${rawValue(rng, label)}"`;
}

export interface DifferentialCase {
  bytes: Buffer;
  /** The model's (and the header's) feature names, and its label names. */
  features: string[];
  labels: string[];
  chunkBytes: number;
  batchRows: number;
}

/** A file of a header, one valid row and one fuzzed line, with the columns to read it by. */
export function differentialCase(rng: Random): DifferentialCase {
  const D = 1 + rng.int(3);
  const L = 1 + rng.int(2);
  const labels = Array.from({ length: L }, (_, k) => pick(rng, ['L', 'Class', '€']) + k);
  const header = rng.shuffle([
    ...Array.from({ length: D }, (_, j) => pick(rng, ['f', 'Att', 'x é']) + j),
    ...labels,
  ]);
  const isLabel = header.map((name) => labels.includes(name));
  // The model's features are in the header's order, as parseCsv gives them.
  const features = header.filter((_, c) => !isLabel[c]);
  const eol = () => pick(rng, ['\n', '\n', '\r\n', '\r']);
  const headerText = header
    .map((name) => (rng.uniform() < 0.2 ? `"${name}"` : rng.uniform() < 0.1 ? ` ${name} ` : name))
    .join(',');
  const validRow = isLabel.map((l) => (l ? pick(rng, ['0', '1', '?']) : goodNumber(rng))).join(',');
  // Two cases in five write only valid fields, so that many lines are read by both readers.
  const valid = rng.uniform() < 0.4;
  const fields = isLabel.map((l) => (valid ? validFieldText(rng, l) : fieldText(rng, l)));
  const r = rng.uniform();
  if (r < 0.05) fields.push(fieldText(rng, false));
  else if (r < 0.1) fields.pop();
  else if (r < 0.12) fields.length = 0;
  const delimiter = rng.uniform() < 0.05 ? pick(rng, ['\t', ';', ', ']) : ',';
  let line = fields.join(delimiter);
  if (rng.uniform() < 0.05) {
    const at = rng.int(line.length + 1);
    line =
      line.slice(0, at) +
      pick(rng, ['\n', '\r', '\r\n', '\ufeff', '\u2029', '\u0000']) +
      line.slice(at);
  }
  let text = (rng.uniform() < 0.15 ? '\ufeff' : '') + headerText + eol();
  const headerBytes = Buffer.byteLength(text);
  if (rng.uniform() < 0.05) text += pick(rng, ['', ' ', '\t']) + eol();
  const validFirst = rng.uniform() < 0.5;
  text += validFirst ? validRow + eol() + line : line + eol() + validRow;
  if (rng.uniform() < 0.7) text += eol();
  let bytes = Buffer.from(text, 'utf8');
  if (rng.uniform() < 0.03) {
    // Invalid UTF-8 after the header (in the header it would change the columns' names).
    const at = headerBytes + rng.int(bytes.length - headerBytes + 1);
    const junk = pick(rng, [[0xff], [0xe2, 0x82], [0xc3], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98]]);
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(junk), bytes.subarray(at)]);
  }
  return {
    bytes,
    features,
    labels,
    chunkBytes: rng.uniform() < 0.8 ? 1 + rng.int(16) : 1 << 16,
    batchRows: 1 + rng.int(3),
  };
}

export interface ReaderResult {
  /** The error message without the reader's name and the file name, or null. */
  error: string | null;
  x: number[];
  y: number[];
  mask: number[];
}

const READER_NAME = /^(parseCsv|readRowsForModel): /;

function errorText(e: unknown, file: string): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(READER_NAME, '').replace(` (in ${file})`, '');
}

/**
 * Training's reader on the file, asked for the labels in the model's order (so that both
 * readers check a row's labels in the same order and report the same first bad one).
 */
export function trainingRead(file: string, c: DifferentialCase): ReaderResult {
  try {
    const d = readCsv(file, { labels: c.labels });
    return {
      error: null,
      x: Array.from(d.x.data),
      y: Array.from(d.y.data),
      mask: Array.from(d.mask.data),
    };
  } catch (e) {
    return { error: errorText(e, file), x: [], y: [], mask: [] };
  }
}

/** Predict's streaming reader on the file. */
export async function predictRead(file: string, c: DifferentialCase): Promise<ReaderResult> {
  const model = { features: { names: c.features }, labels: { names: c.labels } };
  const result: ReaderResult = { error: null, x: [], y: [], mask: [] };
  try {
    const options = { chunkBytes: c.chunkBytes, batchRows: c.batchRows };
    for await (const batch of readRowsForModel(file, model, options)) {
      result.x.push(...batch.x);
      result.y.push(...batch.y!);
      result.mask.push(...batch.mask!);
    }
    return result;
  } catch (e) {
    return { error: errorText(e, file), x: [], y: [], mask: [] };
  }
}

const sameBits = (a: number[], b: number[]) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * Whether training's error for a feature column whose first non-empty value is text is
 * predict's error about the same column: predict reads the model's feature columns, which
 * cannot be an id or ignored, so it calls that value a bad number at its line, or the empty
 * value before it (`line 2: feature "a" is ""`) a bad number at an earlier line. The value is
 * compared as the messages quote it: in full, or as an excerpt with its length
 * (`"-20.17898391086428,1.7976931348623157e30..." (41 characters)`).
 */
function sameColumnError(training: string | null, predict: string | null): boolean {
  const text =
    /^column (".*") is text \(line (\d+): (.*)\); name it with the option id or leave it out with the option ignore$/s.exec(
      training ?? '',
    );
  const field = /^line (\d+): feature (".*") is (.*); expected a number$/s.exec(predict ?? '');
  if (text === null || field === null || text[1] !== field[2]) return false;
  const [line, predictLine] = [Number(text[2]), Number(field[1])];
  return (
    (predictLine === line && field[3] === text[3]) || (predictLine < line && field[3] === '""')
  );
}

/** How the two results differ, or null when they agree. */
export function disagreement(training: ReaderResult, predict: ReaderResult): string | null {
  if (training.error !== null || predict.error !== null) {
    if (training.error === predict.error) return null;
    if (sameColumnError(training.error, predict.error)) return null;
    return `training: ${training.error ?? 'accepted'}; predict: ${predict.error ?? 'accepted'}`;
  }
  for (const key of ['x', 'y', 'mask'] as const) {
    if (!sameBits(training[key], predict[key])) {
      return `${key} differs: training ${JSON.stringify(training[key])}, predict ${JSON.stringify(predict[key])}`;
    }
  }
  return null;
}

export interface DifferentialReport {
  cases: number;
  /** Cases both readers accepted (the rest both refused, or disagreed). */
  accepted: number;
  failures: { caseIndex: number; problem: string; text: string }[];
  seconds: number;
}

/** Runs `cases` differential cases of `seed`, each in its own file under a temporary folder. */
export async function differentialFuzz(seed: string, cases: number): Promise<DifferentialReport> {
  const start = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maskgrad-csv-diff-'));
  const report: DifferentialReport = { cases, accepted: 0, failures: [], seconds: 0 };
  try {
    for (let i = 0; i < cases; i++) {
      const c = differentialCase(createRandom(`${seed}:${i}`));
      // A new file each time, removed after: rewriting one file was 10x slower here.
      const file = path.join(dir, `case-${i}.csv`);
      fs.writeFileSync(file, c.bytes);
      const training = trainingRead(file, c);
      const predict = await predictRead(file, c);
      fs.unlinkSync(file);
      const problem = disagreement(training, predict);
      if (problem !== null) {
        report.failures.push({
          caseIndex: i,
          problem,
          text: JSON.stringify(c.bytes.toString('utf8')),
        });
      } else if (training.error === null) report.accepted++;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  report.seconds = (Date.now() - start) / 1000;
  return report;
}
