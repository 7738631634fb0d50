/**
 * A seeded mutation fuzzer for the readers (parseArff, parseCsv) and the model loader
 * (Module.load, loadStateDict). Each case takes a random well-formed file, mutates it
 * (truncation, byte flips, line-ending changes, Unicode separators, inserted tokens, many
 * fields, huge cells) and checks three things:
 *   1. the only error is maskgrad's own (a MaskgradError, code ERR_PARSE or ERR_ARGUMENT);
 *   2. the time spent in the library stays under a bound linear in the text's length;
 *   3. the result agrees with an independent simple parse (spec/fuzz/reference.ts) wherever
 *      that reference models the text: what it accepts must parse to the same values, and
 *      what it rejects must be rejected.
 * Case i of seed s uses the generator seeded `${s}:${i}`, so any failure replays alone.
 *
 * Run longer than `npm test` does with `npm run fuzz -- [cases] [seed]`; `npm run fuzz --
 * differential [cases] [seed]` runs the differential fuzzer of the two CSV readers instead
 * (spec/fuzz/differential.ts, 100,000 cases by default), `npm run fuzz -- serve [cases] [seed]`
 * the playground server's (spec/fuzz/serve-fuzz.ts, 20,000 cases by default).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { datasetFromArff, parseArff, parseCsv } from '../../src/core/data';
import { MaskgradError } from '../../src/core/errors';
import { MLP } from '../../src/core/nn';
import { createRandom, type Random } from '../../src/core/random';
import { arffFile, csvFile } from './generate';
import { mutate } from './mutate';
import { modelFileFuzz } from './model-file-fuzz';
import { referenceArff, referenceCsv, referenceState } from './reference';
import { loadModule } from '../../src/node';
import { differentialFuzz } from './differential';
import { serveMain } from './serve-fuzz';

export type Target = 'arff' | 'csv' | 'model';

export interface Failure {
  target: Target;
  caseIndex: number;
  mutations: string[];
  problem: string;
  /** The start of the mutated text, to look at; replay the case for all of it. */
  excerpt: string;
}

export interface FuzzReport {
  cases: number;
  byTarget: Record<Target, { cases: number; parsed: number; checkedAgainstReference: number }>;
  failures: Failure[];
  seconds: number;
}

export interface FuzzOptions {
  seed: number | string;
  cases: number;
  /** The longest run of digits a huge-cell mutation writes. */
  huge: number;
  /** Where loader cases write their files (one in ten goes through Module.load). */
  dir?: string;
}

/**
 * The time bound of the library's calls in one case: 200 ms plus 5 µs per character, a
 * linear bound with room for code not yet optimized and a busy machine. (A quadratic reader
 * took 40 s on a 300,000-character cell and 2 minutes on a 125,000-column header.)
 */
export function timeBoundMs(length: number): number {
  return 200 + length / 200;
}

/** Milliseconds spent in the library's calls in the current case (not in the reference's). */
let libraryMs = 0;

function library<T>(work: () => T): T {
  const start = process.hrtime.bigint();
  try {
    return work();
  } finally {
    libraryMs += Number(process.hrtime.bigint() - start) / 1e6;
  }
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

/** A problem with an error the library threw, or null if it is one of its own. */
function errorProblem(error: unknown): string | null {
  if (!(error instanceof MaskgradError)) {
    return `raw ${(error as Error)?.name ?? typeof error}: ${String((error as Error)?.message ?? error).slice(0, 200)}`;
  }
  if (error.code !== 'ERR_PARSE' && error.code !== 'ERR_ARGUMENT') {
    return `MaskgradError with code ${error.code}: ${error.message.slice(0, 200)}`;
  }
  if (error.message.length > 1000) return `a message of ${error.message.length} characters`;
  return null;
}

interface Outcome {
  problem: string | null;
  parsed: boolean;
  checked: boolean;
}

/**
 * The reader's result (`parsed`, or the `error` it threw) against the reference's verdict:
 * both reject, or both accept with the same values (`agrees`).
 */
function judged<P, R extends { kind: 'accept' }>(
  parsed: P | null,
  error: unknown,
  reference: R | { kind: 'reject'; why: string },
  agrees: (parsed: P, reference: R) => boolean,
): Outcome {
  if (reference.kind === 'reject') {
    const problem = parsed ? `parsed, but the reference rejects it (${reference.why})` : null;
    return { problem, parsed: parsed !== null, checked: true };
  }
  if (!parsed) {
    return {
      problem: `rejected (${(error as Error).message.slice(0, 200)}) but the reference accepts it`,
      parsed: false,
      checked: true,
    };
  }
  return {
    problem: agrees(parsed, reference as R) ? null : 'parsed values differ from the reference',
    parsed: true,
    checked: true,
  };
}

function arffCase(text: string): Outcome {
  let parsed: ReturnType<typeof parseArff> | null = null;
  let error: unknown = null;
  try {
    parsed = library(() => parseArff(text));
  } catch (e) {
    error = e;
  }
  if (error !== null) {
    const problem = errorProblem(error);
    if (problem) return { problem, parsed: false, checked: false };
  }
  const reference = referenceArff(text);
  if (reference.kind === 'skip') {
    if (parsed) {
      try {
        library(() => datasetFromArff(parsed!, 1));
      } catch (e) {
        const problem = errorProblem(e);
        if (problem)
          return { problem: `datasetFromArff: ${problem}`, parsed: true, checked: false };
      }
    }
    return { problem: null, parsed: parsed !== null, checked: false };
  }
  return judged(
    parsed,
    error,
    reference,
    (p, r) =>
      p.rows === r.rows &&
      JSON.stringify(p.names) === JSON.stringify(r.names) &&
      same(p.values, r.values),
  );
}

function csvCase(text: string, labels: number): Outcome {
  let parsed: ReturnType<typeof parseCsv> | null = null;
  let error: unknown = null;
  try {
    parsed = library(() => parseCsv(text, { labels }));
  } catch (e) {
    error = e;
  }
  if (error !== null) {
    const problem = errorProblem(error);
    if (problem) return { problem, parsed: false, checked: false };
  }
  const reference = referenceCsv(text, labels);
  if (reference.kind === 'skip') return { problem: null, parsed: parsed !== null, checked: false };
  return judged(
    parsed,
    error,
    reference,
    (p, r) =>
      p.x.shape[0] === r.rows &&
      same(p.x.data, r.x) &&
      same(p.y.data, r.y) &&
      same(p.mask.data, r.mask),
  );
}

/** A random small model, and the text of its saved state. */
function modelFile(rng: Random): { sizes: number[]; text: string } {
  const sizes = [1 + rng.int(3), 1 + rng.int(3), 1 + rng.int(2)];
  const text = JSON.stringify(new MLP(sizes, { seed: rng.int(1000) }).stateDict());
  return { sizes, text };
}

function modelCase(sizes: number[], text: string, file: string | null): Outcome {
  const model = new MLP(sizes, { seed: 7 });
  const before = model.parameters().map((p) => Array.from(p.data));
  const shapes = model.namedParameters().map(([name, p]) => [name, p.shape] as [string, number[]]);
  let state: unknown;
  let json = true;
  try {
    state = JSON.parse(text);
  } catch {
    json = false; // not the library's concern: Module.load must still reject it cleanly
  }
  let error: unknown = null;
  try {
    if (file !== null) {
      fs.writeFileSync(file, text);
      library(() => loadModule(model, file));
    } else if (json) {
      library(() => model.loadStateDict(state as never));
    } else {
      return { problem: null, parsed: false, checked: false };
    }
  } catch (e) {
    error = e;
  }
  const after = model.parameters().map((p) => Array.from(p.data));
  if (error !== null) {
    const problem = errorProblem(error);
    if (problem) return { problem, parsed: false, checked: false };
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      return { problem: 'a failed load changed the model', parsed: false, checked: false };
    }
  }
  if (!json) {
    return { problem: error ? null : 'loaded text that is not JSON', parsed: false, checked: true };
  }
  const reference = referenceState(state, shapes);
  if (reference.kind === 'reject') {
    const problem = error ? null : `loaded, but the reference rejects it (${reference.why})`;
    return { problem, parsed: error === null, checked: true };
  }
  if (error) {
    return {
      problem: `rejected (${(error as Error).message.slice(0, 200)}) but the reference accepts it`,
      parsed: false,
      checked: true,
    };
  }
  const agrees = after.every((values, k) => same(values, reference.values[k]));
  return {
    problem: agrees ? null : 'loaded values differ from the reference',
    parsed: true,
    checked: true,
  };
}

/** Runs `options.cases` cases, a third per target in turn. */
export function fuzz(options: FuzzOptions): FuzzReport {
  const start = process.hrtime.bigint();
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'maskgrad-fuzz-'));
  const targets: Target[] = ['arff', 'csv', 'model'];
  const report: FuzzReport = {
    cases: options.cases,
    byTarget: {
      arff: { cases: 0, parsed: 0, checkedAgainstReference: 0 },
      csv: { cases: 0, parsed: 0, checkedAgainstReference: 0 },
      model: { cases: 0, parsed: 0, checkedAgainstReference: 0 },
    },
    failures: [],
    seconds: 0,
  };
  try {
    for (let i = 0; i < options.cases; i++) {
      const target = targets[i % 3];
      const rng = createRandom(`${options.seed}:${i}`);
      let run: () => Outcome;
      let text: string;
      let mutations: string[];
      if (target === 'arff') {
        [text, mutations] = mutate(arffFile(rng), rng, options.huge);
        const t = text;
        run = () => arffCase(t);
      } else if (target === 'csv') {
        const labels = 1 + rng.int(2);
        [text, mutations] = mutate(csvFile(rng, labels), rng, options.huge);
        const t = text;
        run = () => csvCase(t, labels);
      } else {
        const { sizes, text: saved } = modelFile(rng);
        [text, mutations] = mutate(saved, rng, options.huge);
        const t = text;
        const file = i % 30 === 2 ? path.join(dir, `case-${i}.json`) : null;
        run = () => modelCase(sizes, t, file);
      }
      let outcome: Outcome = { problem: null, parsed: false, checked: false };
      // A busy machine can stall one run; a superlinear case is slow every time.
      let time = Infinity;
      for (let attempt = 0; attempt < 3 && time > timeBoundMs(text.length); attempt++) {
        libraryMs = 0;
        outcome = run();
        time = Math.min(time, libraryMs);
      }
      const stats = report.byTarget[target];
      stats.cases++;
      if (outcome.parsed) stats.parsed++;
      if (outcome.checked) stats.checkedAgainstReference++;
      const problems = [outcome.problem];
      if (time > timeBoundMs(text.length)) {
        problems.push(
          `took ${time.toFixed(0)} ms for ${text.length} characters (bound ${timeBoundMs(text.length).toFixed(0)} ms)`,
        );
      }
      for (const problem of problems) {
        if (problem === null) continue;
        report.failures.push({
          target,
          caseIndex: i,
          mutations,
          problem,
          excerpt: JSON.stringify(text.slice(0, 300)),
        });
      }
    }
  } finally {
    if (options.dir === undefined) fs.rmSync(dir, { recursive: true, force: true });
  }
  report.seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return report;
}

const USAGE =
  'usage: npm run fuzz -- [cases (default 30000)] [seed (default fuzz)]\n' +
  '       npm run fuzz -- differential [cases (default 100000)] [seed (default fuzz)]\n' +
  '       npm run fuzz -- model-file [cases (default 30000)] [seed (default fuzz)]\n' +
  '       npm run fuzz -- serve [cases (default 20000)] [seed (default fuzz)]';

/** Cases of one mode of `npm run fuzz`, from its command line. */
function caseCount(text: string | undefined, fallback: number): number {
  const cases = Number(text ?? fallback);
  if (!Number.isInteger(cases) || cases < 1) {
    console.error(USAGE);
    process.exit(2);
  }
  return cases;
}

async function differentialMain(args: string[]): Promise<void> {
  const cases = caseCount(args[0], 100_000);
  const seed = args[1] ?? 'fuzz';
  const report = await differentialFuzz(seed, cases);
  console.log(
    `differential: ${report.cases} cases in ${report.seconds.toFixed(1)} s (seed ${JSON.stringify(seed)}): ` +
      `${report.accepted} read by both readers with the same numbers, ` +
      `${report.cases - report.accepted - report.failures.length} refused by both with the same message, ` +
      `${report.failures.length} disagreements`,
  );
  for (const f of report.failures.slice(0, 20)) {
    console.log(`FAIL case ${f.caseIndex}: ${f.problem}\n  ${f.text}`);
  }
  if (report.failures.length > 0) process.exit(1);
  console.log('no failures');
}

/**
 * `npm run fuzz -- model-file [cases] [seed]`: the structure-aware fuzzer of model files
 * (spec/fuzz/model-file-fuzz.ts), 30,000 cases by default.
 */
function modelFileMain(args: string[]): void {
  const cases = caseCount(args[0], 30_000);
  const seed = args[1] ?? 'fuzz';
  const report = modelFileFuzz(seed, cases);
  console.log(
    `model-file: ${report.cases} cases in ${report.seconds.toFixed(1)} s, ` +
      `${Math.round(report.cases / report.seconds)} cases per second (seed ${JSON.stringify(seed)}): ` +
      `${report.accepted} accepted, ${report.refused} refused, ${report.duplicatesFound} duplicate keys, ` +
      `${report.verdictsChecked} known verdicts checked, ${report.rowsPredicted} rows predicted`,
  );
  for (const f of report.failures.slice(0, 20)) {
    console.log(
      `FAIL case ${f.caseIndex} [${f.mutations.join(', ')}]: ${f.problem}\n  ${f.excerpt}`,
    );
  }
  if (report.failures.length > 0) process.exit(1);
  console.log('no failures');
}

function main(): void {
  if (process.argv[2] === 'model-file') {
    modelFileMain(process.argv.slice(3));
    return;
  }
  if (process.argv[2] === 'differential') {
    differentialMain(process.argv.slice(3)).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
    return;
  }
  if (process.argv[2] === 'serve') {
    const args = process.argv.slice(3);
    serveMain(caseCount(args[0], 20_000), args[1] ?? 'fuzz');
    return;
  }
  const cases = caseCount(process.argv[2], 30_000);
  const seed = process.argv[3] ?? 'fuzz';
  const report = fuzz({ seed, cases, huge: 300_000 });
  for (const [target, s] of Object.entries(report.byTarget)) {
    console.log(
      `${target}: ${s.cases} cases, ${s.parsed} parsed or loaded, ${s.checkedAgainstReference} checked against the reference`,
    );
  }
  console.log(
    `${report.cases} cases in ${report.seconds.toFixed(1)} s: ${Math.round(report.cases / report.seconds)} cases per second (seed ${JSON.stringify(seed)})`,
  );
  for (const f of report.failures.slice(0, 20)) {
    console.log(
      `FAIL ${f.target} case ${f.caseIndex} [${f.mutations.join(', ')}]: ${f.problem}\n  ${f.excerpt}`,
    );
  }
  if (report.failures.length > 0) {
    console.log(`${report.failures.length} failures`);
    process.exit(1);
  }
  console.log('no failures');
}

if (require.main === module) main();
