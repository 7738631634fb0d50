// CSV parse speed: maskgrad's CsvTokenizer against papaparse (when given) on one large
// generated CSV, unquoted and quoted, in turns in one process; predict's streaming reader on
// it as a file; then the edge cases side by side.
//
//   npx ts-node --transpile-only bench/csv-parse.ts [--rows=100000] [--columns=110]
//     [--rounds=5] [--papaparse=/tmp/pp/node_modules/papaparse] [--baseline=REV]
//
// papaparse is not a dependency of maskgrad: install it in a scratch folder
// (mkdir /tmp/pp && cd /tmp/pp && npm init -y && npm install papaparse) and pass its path.
// --baseline=REV adds parseCsv as it was at a git revision (bench/revision.ts).
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CsvTokenizer } from '../src/core/data/csv-tokenizer';
import { parseCsv } from '../src/core/data/csv';
import { parseDecimal } from '../src/core/data/number';
import { createRandom } from '../src/core/random';
import { readRowsForModel } from '../src/node/input-rows';
import { extractRevision } from './revision';

interface PapaResult {
  data: string[][];
  errors: { type: string; code: string; message: string; row?: number }[];
  meta: { delimiter: string; linebreak: string };
}
interface Papa {
  parse(text: string, config: Record<string, unknown>): PapaResult;
}

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

const rows = Number(flag('rows') ?? 100_000);
const columns = Number(flag('columns') ?? 110);
const rounds = Number(flag('rounds') ?? 5);
const papaPath = flag('papaparse');
const baseline = flag('baseline');
const papa: Papa | null = papaPath ? (require(papaPath) as Papa) : null;
const baselineDir = baseline ? extractRevision(baseline, ['src']) : null;
const oldParseCsv: typeof parseCsv | null = baselineDir
  ? (require(join(baselineDir, 'src/core/data/csv')).parseCsv as typeof parseCsv)
  : null;
const oldReadRows: typeof readRowsForModel | null = baselineDir
  ? (require(join(baselineDir, 'src/node/input-rows')).readRowsForModel as typeof readRowsForModel)
  : null;

/** A CSV of `rows` rows: columns - 10 numeric features and 10 labels (0, 1 or ?). */
function generate(quoted: boolean): string {
  const rng = createRandom('bench-csv');
  const q = quoted ? '"' : '';
  const names: string[] = [];
  for (let c = 0; c < columns; c++) names.push(`${q}${c < columns - 10 ? 'f' : 'L'}${c}${q}`);
  const lines = [names.join(',')];
  const labels = ['0', '1', '?'];
  for (let r = 0; r < rows; r++) {
    const fields: string[] = [];
    for (let c = 0; c < columns; c++) {
      const v = c < columns - 10 ? rng.normal(0, 10).toFixed(1 + rng.int(8)) : labels[rng.int(3)];
      fields.push(q + v + q);
    }
    lines.push(fields.join(','));
  }
  return lines.join('\n') + '\n';
}

/** Sums the numbers of every field but the header's, so no work can be skipped. */
function tokenizerSum(text: string, chunk: number): number {
  const t = new CsvTokenizer('bench');
  let sum = 0;
  let header = true;
  for (let at = 0; at < text.length; at += chunk) {
    t.push(text.slice(at, at + chunk));
    for (let r = t.nextRecord(); r !== null; r = t.nextRecord()) {
      if (header) header = false;
      else for (const f of r) sum += parseDecimal(f.trim()) || 0;
    }
  }
  t.end();
  for (let r = t.nextRecord(); r !== null; r = t.nextRecord()) {
    for (const f of r) sum += parseDecimal(f.trim()) || 0;
  }
  return sum;
}

function papaSum(text: string, config: Record<string, unknown>): number {
  let sum = 0;
  const result = papa!.parse(text, config);
  for (let i = 1; i < result.data.length; i++) {
    for (const f of result.data[i]) sum += parseDecimal(f.trim()) || 0;
  }
  return sum;
}

function papaStepSum(text: string): number {
  let sum = 0;
  let header = true;
  papa!.parse(text, {
    delimiter: ',',
    skipEmptyLines: 'greedy',
    step: (row: { data: string[] }) => {
      if (header) header = false;
      else for (const f of row.data) sum += parseDecimal(f.trim()) || 0;
    },
  });
  return sum;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function bench(): void {
  const contenders: [string, (text: string) => number][] = [
    ['CsvTokenizer, whole text', (t) => tokenizerSum(t, t.length)],
    ['CsvTokenizer, 64 Ki chunks', (t) => tokenizerSum(t, 1 << 16)],
    ['parseCsv (to a data set)', (t) => parseCsv(t, { labels: 10 }).x.size],
  ];
  if (oldParseCsv) {
    contenders.push([`parseCsv at ${baseline}`, (t) => oldParseCsv(t, { labels: 10 }).x.size]);
  }
  if (papa) {
    contenders.push(
      ['papaparse, delimiter ","', (t) => papaSum(t, { delimiter: ',', skipEmptyLines: 'greedy' })],
      ['papaparse, delimiter detected', (t) => papaSum(t, { skipEmptyLines: 'greedy' })],
      ['papaparse, step per row', papaStepSum],
    );
  }
  for (const quoted of [false, true]) {
    const text = generate(quoted);
    const times = contenders.map(() => [] as number[]);
    const results = contenders.map(() => new Set<number>());
    for (let round = 0; round < rounds; round++) {
      // Each round starts one later in the list, so each contender follows each other.
      for (let k = 0; k < contenders.length; k++) {
        const i = (k + round) % contenders.length;
        const start = performance.now();
        results[i].add(contenders[i][1](text));
        times[i].push(performance.now() - start);
      }
    }
    const mb = (Buffer.byteLength(text) / 1e6).toFixed(1);
    console.log(
      `\n${rows} rows x ${columns} columns, ${quoted ? 'every field quoted' : 'unquoted'} (${mb} MB), median of ${rounds} rounds:`,
    );
    contenders.forEach(([name], i) => {
      const ms = median(times[i]);
      console.log(
        `  ${name.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms  ${(Number(mb) / (ms / 1000)).toFixed(0).padStart(4)} MB/s  [${times[i].map((t) => t.toFixed(0)).join(' ')}]`,
      );
    });
    const sums = [...new Set(results.slice(0, 2).flatMap((s) => [...s]))];
    if (papa) sums.push(...results.slice(-3).flatMap((s) => [...s]));
    if (new Set(sums).size !== 1)
      throw new Error(`the contenders' sums differ: ${sums.join(', ')}`);
  }
}

/** The edge cases: what each parser makes of them. */
const EDGE_CASES: [string, string][] = [
  ['quoted field with delimiter', 'a,b\n"1,5",2\n'],
  ['doubled quotes', 'a,b\n"say ""hi""",2\n'],
  ['text after a closing quote', 'a,b\n"0.5"5,1\n'],
  ['space after a closing quote', 'a,b\n"0.5" ,1\n'],
  ['space before an opening quote', 'a,b\n "0.5",1\n'],
  ['quote inside an unquoted field', 'a,b\n0"5,1\n'],
  ['unterminated quote', 'a,b\n"0.5,1\n'],
  ['newline inside quotes', 'a,b\n"0\n5",1\n'],
  ['CRLF', 'a,b\r\n1,2\r\n'],
  ['lone CR', 'a,b\r1,2\r'],
  ['mixed line ends', 'a,b\n1,2\r\n3,4\r5,6'],
  ['BOM', '\ufeffa,b\n1,2\n'],
  ['empty fields', 'a,b,c\n,,\n'],
  ['blank and space-only lines', 'a,b\n\n  \n1,2\n'],
  ['missing field', 'a,b\n1\n'],
  ['extra field', 'a,b\n1,2,3\n'],
  ['tab-separated (detection)', 'a\tb\n1\t2\n'],
  ['semicolon-separated (detection)', 'a;b\n1,5;2\n'],
];

function ours(text: string, delimiter: ',' | '\t'): string {
  const t = new CsvTokenizer('parseCsv', delimiter);
  const out: string[][] = [];
  try {
    t.push(text);
    t.end();
    for (let r = t.nextRecord(); r !== null; r = t.nextRecord()) out.push(r);
    return JSON.stringify(out);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function theirs(text: string): string {
  const r = papa!.parse(text, { skipEmptyLines: 'greedy' });
  const errors = r.errors.map((e) => `${e.code} row ${e.row}`).join('; ');
  return `${JSON.stringify(r.data)} delimiter ${JSON.stringify(r.meta.delimiter)}${errors ? ` errors: ${errors}` : ''}`;
}

function edgeCases(): void {
  console.log('\nEdge cases (blank lines skipped by both):');
  for (const [name, text] of EDGE_CASES) {
    console.log(`  ${name}: ${JSON.stringify(text)}`);
    console.log(`    CsvTokenizer: ${ours(text, text.includes('\t') ? '\t' : ',')}`);
    if (papa) console.log(`    papaparse:    ${theirs(text)}`);
  }
}

/** Predict's streaming reader on the unquoted file, against the baseline's, in turns. */
async function benchPredictReader(): Promise<void> {
  const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-bench-csv-'));
  const file = join(dir, 'big.csv');
  fs.writeFileSync(file, generate(false));
  const names = Array.from({ length: columns }, (_, c) => `${c < columns - 10 ? 'f' : 'L'}${c}`);
  const model = { features: { names: names.slice(0, -10) }, labels: { names: names.slice(-10) } };
  const readers: [string, typeof readRowsForModel][] = [['readRowsForModel', readRowsForModel]];
  if (oldReadRows) readers.push([`readRowsForModel at ${baseline}`, oldReadRows]);
  const times = readers.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < readers.length; k++) {
      const i = (k + round) % readers.length;
      const start = performance.now();
      let n = 0;
      for await (const batch of readers[i][1](file, model)) n += batch.rows;
      times[i].push(performance.now() - start);
      if (n !== rows) throw new Error(`${readers[i][0]} read ${n} rows`);
    }
  }
  const mb = fs.statSync(file).size / 1e6;
  console.log(
    `\npredict's reader on the unquoted file (${mb.toFixed(1)} MB), median of ${rounds} rounds:`,
  );
  readers.forEach(([name], i) => {
    const ms = median(times[i]);
    console.log(
      `  ${name.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms  ${(mb / (ms / 1000)).toFixed(0).padStart(4)} MB/s  [${times[i].map((t) => t.toFixed(0)).join(' ')}]`,
    );
  });
  fs.rmSync(dir, { recursive: true, force: true });
}

bench();
benchPredictReader()
  .then(edgeCases)
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
