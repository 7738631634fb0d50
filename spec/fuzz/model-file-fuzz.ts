/**
 * A structure-aware fuzzer of the model-file reader (`parseModelFile`) and of what it
 * promises to `Predictor`. Each case generates a valid model file as an object, applies 1 to 3
 * mutations that know its structure (nesting, duplicate keys, extreme numbers, a byte order
 * mark, dates, type swaps, missing and unknown keys, `__proto__` keys, truncation) and writes
 * it with a serializer of its own (which can write a key twice and nest 100,000 deep). Then:
 *   1. the only error is a one-line MaskgradError (ERR_PARSE) starting `readModelFile: `;
 *   2. a text that is not JSON (after one leading BOM) is refused as not valid JSON; a JSON
 *      text with a key written twice is refused naming that key and its object's path;
 *   3. a mutation whose verdict is known (a subnormal std, a threshold above 1, an invalid
 *      date, a top-level unknown key, ...) gets it, with its words; only harmless mutations
 *      (a BOM, shallow extra fields, a valid date) must be accepted;
 *   4. an accepted file equals JSON.parse of the text, round-trips through modelFileToText
 *      bit for bit, and its Predictor gives finite probabilities for rows within one training
 *      standard deviation of the mean (the read-time overflow guarantee), and for extreme
 *      rows either finite probabilities or an error naming the row: never NaN or Infinity;
 *   5. nothing is added to Object.prototype; time stays linear in the text's length.
 * Case i of seed s uses the generator seeded `${s}:model-file:${i}`, so a failure replays alone.
 */
import { MaskgradError } from '../../src/core/errors';
import { modelFileToText, parseModelFile } from '../../src/core/model/model-file';
import { Predictor } from '../../src/core/model/predictor';
import { noGrad } from '../../src/core/autograd';
import { Tensor } from '../../src/core/tensor';
import { createRandom, type Random } from '../../src/core/random';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json } | Deep | Dup;

/** Arrays nested `depth` deep around `inner` (written as text: no recursion). */
class Deep {
  constructor(
    readonly depth: number,
    readonly inner: string,
  ) {}
}

/** An object written with `key` a second time, holding `value`, after `after` pairs. */
class Dup {
  constructor(
    readonly object: { [key: string]: Json },
    readonly key: string,
    readonly spelled: string,
    readonly value: Json,
    readonly after: number,
  ) {}
}

/** What a mutation makes of the file, when that is known. */
type Verdict = { kind: 'accept' } | { kind: 'refuse'; words: string } | { kind: 'unknown' };

export interface ModelFuzzFailure {
  caseIndex: number;
  mutations: string[];
  problem: string;
  excerpt: string;
}

export interface ModelFuzzReport {
  cases: number;
  accepted: number;
  refused: number;
  /** Cases whose verdict (accept, or refuse with which words) was known and checked. */
  verdictsChecked: number;
  duplicatesFound: number;
  rowsPredicted: number;
  failures: ModelFuzzFailure[];
  seconds: number;
}

const MIN_NORMAL = 2.2250738585072014e-308;
const EXTREMES = [
  5e-324,
  -5e-324,
  1e-320,
  2.225073858507201e-308,
  MIN_NORMAL,
  1e308,
  -1e308,
  1.7976931348623157e308,
  -1.7976931348623157e308,
  1e200,
  -0,
  9007199254740993,
  1e-300,
];
const DATES: [string, boolean][] = [
  ['2026-12-08T01:00:00.000Z', true],
  ['2026-12-08', true],
  ['2024-02-29T12:00+05:30', true],
  ['not a date', false],
  ['2025-02-29', false],
  ['2026-12-08T25:00:00Z', false],
  ['08/12/2026', false],
  ['', false],
  ['2026-12-08T01:00:00.000Z\n', false],
];

const gaussian = (rng: Random) => rng.normal();

/** A valid model file as a plain object. */
function modelObject(rng: Random): { [key: string]: Json } {
  const layers = 1 + rng.int(3);
  const sizes = Array.from({ length: layers + 1 }, () => 1 + rng.int(4));
  const [F, L] = [sizes[0], sizes[layers]];
  const weights: { [key: string]: Json } = {};
  for (let i = 0; i < layers; i++) {
    const n = sizes[i + 1] * sizes[i];
    weights[`layers.${i}.weight`] = {
      shape: [sizes[i + 1], sizes[i]],
      data: Array.from({ length: n }, () => gaussian(rng) * 0.5),
    };
    weights[`layers.${i}.bias`] = {
      shape: [sizes[i + 1]],
      data: Array.from({ length: sizes[i + 1] }, () => gaussian(rng) * 0.1),
    };
  }
  const name = (prefix: string, i: number) =>
    rng.uniform() < 0.2 ? `${prefix} "${i}", ü\t${i}` : `${prefix}${i}`;
  return {
    format: 'maskgrad-model',
    version: 1,
    architecture: { sizes, activation: ['relu', 'tanh', 'sigmoid'][rng.int(3)] },
    features: {
      names: Array.from({ length: F }, (_, i) => name('f', i)),
      mean: Array.from({ length: F }, () => gaussian(rng) * 10),
      std: Array.from({ length: F }, () => 0.1 + rng.uniform() * 10),
    },
    labels: {
      names: Array.from({ length: L }, (_, i) => name('l', i)),
      thresholds: Array.from({ length: L }, () => rng.uniform()),
    },
    training: {
      strategy: 'masked',
      hide: rng.uniform(),
      seed: rng.uniform() < 0.5 ? rng.int(1000) : 'seed',
      epochs: rng.int(50),
      data: [{ role: 'train', file: 'a.arff', sha256: 'ab'.repeat(32) }],
      maskgradVersion: '0.1.0',
      date: new Date(Date.UTC(2020, 0, 1) + rng.int(2e9) * 1000).toISOString(),
      lr: 0.01,
      hidden: sizes.slice(1, -1),
    },
    weights,
  };
}

/** The JSON text of `value` (Deep and Dup written as they say), and where each Dup's key is. */
function serialize(
  value: Json,
  pretty: boolean,
): { text: string; dups: { at: number; path: string; key: string }[] } {
  const out: string[] = [];
  let length = 0;
  const dups: { at: number; path: string; key: string }[] = [];
  const emit = (s: string) => {
    out.push(s);
    length += s.length;
  };
  const step = (key: string) =>
    /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  const walk = (v: Json, path: string, indent: string) => {
    const nl = pretty ? '\n' + indent + '  ' : '';
    if (v instanceof Deep) {
      emit('['.repeat(v.depth) + v.inner + ']'.repeat(v.depth));
    } else if (v instanceof Dup || (v !== null && typeof v === 'object' && !Array.isArray(v))) {
      const object = v instanceof Dup ? v.object : v;
      const entries = Object.entries(object);
      emit('{');
      let first = true;
      const pair = (spelled: string, value: Json, key: string) => {
        emit((first ? '' : ',') + nl + spelled + (pretty ? ': ' : ':'));
        first = false;
        walk(value, path + step(key), indent + '  ');
      };
      entries.forEach(([k, value], i) => {
        pair(JSON.stringify(k), value, k);
        if (v instanceof Dup && i + 1 === v.after) {
          dups.push({
            at: length,
            path: path === '' ? 'the model file' : path.replace(/^\./, ''),
            key: v.key,
          });
          pair(v.spelled, v.value, v.key);
        }
      });
      emit((pretty && entries.length > 0 ? '\n' + indent : '') + '}');
    } else if (Array.isArray(v)) {
      emit('[');
      v.forEach((item, i) => {
        if (i > 0) emit(',');
        walk(item, `${path}[${i}]`, indent);
      });
      emit(']');
    } else if (typeof v === 'number') {
      emit(Object.is(v, -0) ? '-0' : String(v));
    } else {
      emit(JSON.stringify(v));
    }
  };
  walk(value, '', '');
  return { text: out.join(''), dups };
}

/** Every object in `root` (not inside Deep or Dup), with a function that puts another value in its place. */
function objectsOf(root: {
  [key: string]: Json;
}): { object: { [key: string]: Json }; replace: (v: Json) => void }[] {
  const found: { object: { [key: string]: Json }; replace: (v: Json) => void }[] = [];
  const stack: [Json, (v: Json) => void][] = [[root, () => undefined]];
  while (stack.length > 0) {
    const [v, replace] = stack.pop()!;
    if (v instanceof Deep || v instanceof Dup || v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, (x) => (v[i] = x)]));
    } else {
      found.push({ object: v, replace });
      for (const [k, item] of Object.entries(v)) {
        stack.push([
          item,
          (x) =>
            Object.defineProperty(v, k, {
              value: x,
              enumerable: true,
              writable: true,
              configurable: true,
            }),
        ]);
      }
    }
  }
  return found;
}

const pick = <T>(rng: Random, items: readonly T[]): T => items[rng.int(items.length)];

type Mutation = (file: { [key: string]: Json }, rng: Random) => Verdict;
type Model = { [key: string]: Json } & {
  features: { names: string[]; mean: number[]; std: number[] };
  labels: { names: string[]; thresholds: number[] };
  training: { [key: string]: Json };
  weights: { [key: string]: { shape: number[]; data: Json[] } };
  architecture: { sizes: number[]; activation: string };
};

/** Object-level mutations, by name. */
const OBJECT_MUTATIONS: Record<string, Mutation> = {
  shallowNesting(file, rng) {
    // Up to 60 levels inside the training record: a valid file (the training record is free).
    (file as Model).training.notes = new Deep(1 + rng.int(60), pick(rng, ['', '1', '"x"', '{}']));
    return { kind: 'accept' };
  },
  deepNesting(file, rng) {
    const depth = pick(rng, [100, 1000, 5000, 100_000]);
    const f = file as Model;
    const where = rng.int(4);
    if (where === 0) f.training.strategy = new Deep(depth, '');
    else if (where === 1) f.features.names[0] = new Deep(depth, '"a"') as never;
    else if (where === 2) f.weights['layers.0.bias'].data[0] = new Deep(depth, '0');
    else f.architecture.sizes = new Deep(depth, '1') as never;
    return { kind: 'refuse', words: '' };
  },
  extremeStd(file, rng) {
    const f = file as Model;
    const i = rng.int(f.features.std.length);
    const v = pick(rng, EXTREMES);
    f.features.std[i] = v;
    return v >= MIN_NORMAL
      ? { kind: 'unknown' } // a huge std is fine; a normal but tiny one may overflow rows
      : { kind: 'refuse', words: `features.std[${i}] is ${v}; expected a normal number > 0` };
  },
  extremeMean(file, rng) {
    const f = file as Model;
    f.features.mean[rng.int(f.features.mean.length)] = pick(rng, EXTREMES);
    return { kind: 'accept' };
  },
  extremeWeight(file, rng) {
    const f = file as Model;
    const names = Object.keys(f.weights);
    const w =
      f.weights[
        pick(
          rng,
          names.filter((n) => n.endsWith('.weight')),
        )
      ].data;
    for (let k = 1 + rng.int(3); k > 0; k--) w[rng.int(w.length)] = pick(rng, EXTREMES);
    return { kind: 'unknown' }; // accepted or refused by the overflow bound: checked by rows
  },
  overflowingRow(file, rng) {
    // Two or more huge weights in one row of one layer: refused by the overflow bound when
    // they can add up past the largest float (unknown here: other mutations may change them).
    const f = file as Model;
    const names = Object.keys(f.weights).filter((n) => n.endsWith('.weight'));
    const { shape, data } = f.weights[pick(rng, names)];
    const [rows, inputs] = shape as [number, number];
    const row = rng.int(rows);
    for (let j = 0; j < inputs; j++) {
      if (rng.uniform() < 0.7) {
        data[row * inputs + j] =
          (rng.uniform() < 0.5 ? -1 : 1) * pick(rng, [1e308, 1.7e308, 9e307]);
      }
    }
    return { kind: 'unknown' };
  },
  overflowingNumber(file, rng) {
    // 1e309 is read by JSON.parse as Infinity.
    (file as Model).training.hide = new Deep(0, pick(rng, ['1e309', '-1e309']));
    return { kind: 'refuse', words: 'training.hide is ' };
  },
  threshold(file, rng) {
    const f = file as Model;
    const v = pick(rng, [1.0000000000000002, -5e-324, 2, 1e308]);
    f.labels.thresholds[0] = v;
    return { kind: 'refuse', words: `labels.thresholds[0] is ${v}; expected a number from 0 to 1` };
  },
  date(file, rng) {
    const [date, valid] = pick(rng, DATES);
    (file as Model).training.date = date;
    return valid
      ? { kind: 'accept' }
      : {
          kind: 'refuse',
          words: `training.date is ${JSON.stringify(date)}; expected a date as an ISO 8601 string`,
        };
  },
  typeSwap(file, rng) {
    const { object } = pick(rng, objectsOf(file));
    const keys = Object.keys(object);
    if (keys.length === 0) return { kind: 'unknown' };
    object[pick(rng, keys)] = pick(rng, [null, true, 'x', [], {}, 0, -1, [[]]] as Json[]);
    return { kind: 'unknown' };
  },
  deleteKey(file, rng) {
    const { object } = pick(rng, objectsOf(file));
    const keys = Object.keys(object);
    if (keys.length > 0) delete object[pick(rng, keys)];
    return { kind: 'unknown' };
  },
  unknownTopKey(file) {
    file.comment = 'hello';
    return { kind: 'refuse', words: 'the model file has an unknown field' };
  },
  protoKey(file, rng) {
    const { object } = pick(rng, objectsOf(file));
    // An own property named `__proto__` (JSON.parse makes one; assignment would not).
    Object.defineProperty(object, pick(rng, ['__proto__', 'constructor', 'prototype']), {
      value: { polluted: true },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return { kind: 'unknown' };
  },
};

/**
 * Writes one key of a random object of `file` twice (a Dup in the object's place), spelled
 * plainly or with an escape; returns the Dup when it is the top level object itself.
 */
function duplicateKey(file: { [key: string]: Json }, rng: Random): Dup | null {
  const objects = objectsOf(file).filter(({ object }) => Object.keys(object).length > 0);
  const { object, replace } = pick(rng, objects);
  const keys = Object.keys(object);
  const index = rng.int(keys.length);
  const key = keys[index];
  const spelled =
    rng.uniform() < 0.3 && /^[A-Za-z_]/.test(key)
      ? `"\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${JSON.stringify(key).slice(2)}`
      : JSON.stringify(key);
  const dup = new Dup(
    { ...object },
    key,
    spelled,
    rng.uniform() < 0.5 ? object[key] : pick(rng, [0, 'x', null, [1]] as Json[]),
    index + 1 + rng.int(keys.length - index),
  );
  if (object === file) return dup;
  replace(dup);
  return null;
}

/** Rows for `predictor`: within one std of the mean (must be finite), and extreme ones. */
function rowsFor(mean: number[], std: number[], rng: Random) {
  const F = mean.length;
  const inBound: number[] = [];
  for (let r = 0; r < 8; r++) {
    // The mean, corners (each feature one std away, either side), and points between.
    const step = (j: number) =>
      r === 0 ? 0 : r < 5 ? (rng.uniform() < 0.5 ? -1 : 1) : 2 * rng.uniform() - 1;
    const row = mean.map((m, j) => m + step(j) * std[j]);
    // Keep only rows whose standardized values, computed as Predictor does, are within [-1, 1].
    if (row.every((x, j) => Number.isFinite(x) && Math.abs((x - mean[j]) / std[j]) <= 1)) {
      inBound.push(...row);
    }
  }
  const extreme = Array.from({ length: 4 * F }, () => pick(rng, [1e308, -1e308, 1e150, -3, 0]));
  return { inBound: Float64Array.from(inBound), extreme: Float64Array.from(extreme) };
}

function oneLineParseError(error: unknown): string | null {
  if (!(error instanceof MaskgradError)) {
    return `raw ${(error as Error)?.name}: ${String((error as Error)?.message ?? error).slice(0, 200)}`;
  }
  if (error.code !== 'ERR_PARSE') return `code ${error.code}: ${error.message.slice(0, 200)}`;
  if (!error.message.startsWith('readModelFile: ')) return `message ${error.message.slice(0, 100)}`;
  if (error.message.includes('\n')) return 'a message of several lines';
  if (error.message.length > 1000) return `a message of ${error.message.length} characters`;
  return null;
}

/** The time bound of one case: 200 ms plus 5 µs per character. */
const timeBoundMs = (length: number) => 200 + length / 200;

export function modelFileFuzz(seed: string | number, cases: number): ModelFuzzReport {
  const start = process.hrtime.bigint();
  const report: ModelFuzzReport = {
    cases,
    accepted: 0,
    refused: 0,
    verdictsChecked: 0,
    duplicatesFound: 0,
    rowsPredicted: 0,
    failures: [],
    seconds: 0,
  };
  const names = Object.keys(OBJECT_MUTATIONS);
  const protoKeys = Object.getOwnPropertyNames(Object.prototype).join();
  for (let i = 0; i < cases; i++) {
    const rng = createRandom(`${seed}:model-file:${i}`);
    const file = modelObject(rng);
    const mutations: string[] = [];
    const verdicts: Verdict[] = [];
    // Distinct mutations, each touching its own places, so no verdict is overwritten.
    const chosen = rng.permutation(names.length).slice(0, rng.int(3));
    for (const n of chosen) {
      const name = names[n];
      mutations.push(name);
      try {
        verdicts.push(OBJECT_MUTATIONS[name](file, rng));
      } catch {
        // An earlier mutation (a type swap, a deleted key) left no place for this one.
        verdicts.push({ kind: 'unknown' });
      }
    }
    let duplicated = false;
    let top: Dup | null = null;
    if (rng.uniform() < 0.3) {
      top = duplicateKey(file, rng);
      mutations.push('duplicateKey');
      duplicated = true;
    }
    const written = serialize(top ?? file, rng.uniform() < 0.5);
    let text = written.text;
    // Text-level mutations: a BOM (leading, inside a string, between tokens), truncation.
    const bom = rng.uniform();
    let bomVerdict: Verdict = { kind: 'accept' };
    if (bom < 0.15) {
      text = '\ufeff' + text;
      mutations.push('leadingBom');
    } else if (bom < 0.2) {
      text = text.replace('"masked"', '"mas\ufeffked"');
      mutations.push('bomInString');
    } else if (bom < 0.25) {
      const at = text.indexOf(',');
      text = text.slice(0, at + 1) + '\ufeff' + text.slice(at + 1);
      mutations.push('bomBetweenTokens');
      bomVerdict = { kind: 'unknown' }; // not JSON unless the comma was inside a string
    } else if (bom < 0.3) {
      text = '\ufeff\ufeff' + text;
      mutations.push('twoBoms');
      bomVerdict = { kind: 'refuse', words: 'readModelFile: not valid JSON' };
    }
    let truncated = false;
    if (rng.uniform() < 0.1) {
      text = text.slice(0, rng.int(text.length));
      mutations.push('truncate');
      truncated = true;
    }
    verdicts.push(bomVerdict);

    const fail = (problem: string) =>
      report.failures.push({
        caseIndex: i,
        mutations,
        problem,
        excerpt: JSON.stringify(text.slice(0, 300)),
      });

    let parsed: ReturnType<typeof parseModelFile> | null = null;
    let error: unknown = null;
    const t0 = process.hrtime.bigint();
    try {
      parsed = parseModelFile(text);
    } catch (e) {
      error = e;
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms > timeBoundMs(text.length)) {
      // Retry once: a busy machine can stall one run.
      const t1 = process.hrtime.bigint();
      try {
        parseModelFile(text);
      } catch {
        // the same verdict as above
      }
      const again = Number(process.hrtime.bigint() - t1) / 1e6;
      if (again > timeBoundMs(text.length))
        fail(`took ${again.toFixed(0)} ms for ${text.length} characters`);
    }
    if (
      Object.getOwnPropertyNames(Object.prototype).join() !== protoKeys ||
      ({} as { polluted?: unknown }).polluted !== undefined
    ) {
      fail('Object.prototype changed');
    }

    // The reference verdict of JSON and of duplicates.
    const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    let jsonOk = true;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      jsonOk = false;
    }
    const message = error instanceof Error ? error.message : '';
    if (error !== null) {
      report.refused++;
      const problem = oneLineParseError(error);
      if (problem) {
        fail(problem);
        continue;
      }
      if (!jsonOk && !message.startsWith('readModelFile: not valid JSON')) {
        fail(`not JSON, but refused otherwise: ${message.slice(0, 200)}`);
      }
    } else {
      report.accepted++;
      if (!jsonOk) fail('accepted a text that is not JSON');
    }
    if (!jsonOk) continue;

    const dup = duplicated && !truncated ? written.dups.sort((a, b) => a.at - b.at)[0] : undefined;
    if (dup) {
      report.duplicatesFound++;
      const words = `readModelFile: ${dup.path} has the key ${JSON.stringify(dup.key)} twice`;
      if (!message.startsWith(words))
        fail(`expected "${words}", got ${message.slice(0, 200) || 'no error'}`);
      continue;
    }
    if (message.includes('twice; a model file holds each key once'))
      fail(`a duplicate reported where none is: ${message}`);

    // Known verdicts.
    if (verdicts.every((v) => v.kind === 'accept')) {
      report.verdictsChecked++;
      if (error !== null)
        fail(`refused (${message.slice(0, 200)}) though every mutation keeps it valid`);
    } else if (verdicts.some((v) => v.kind === 'refuse')) {
      report.verdictsChecked++;
      const words = verdicts.flatMap((v) => (v.kind === 'refuse' ? [v.words] : []));
      if (error === null) fail(`accepted, though ${words.join(' / ')}`);
      else if (
        verdicts.every((v) => v.kind !== 'unknown') &&
        words.every((w) => w !== '') &&
        !words.some((w) => message.includes(w))
      ) {
        fail(`refused, but not with "${words.join(' / ')}": ${message.slice(0, 200)}`);
      }
    }
    if (parsed === null) continue;

    // Accepted: what JSON.parse gives, round-trips, and never predicts NaN or Infinity.
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (!same(parsed, value)) fail('the accepted file differs from JSON.parse of its text');
    try {
      const again = parseModelFile(modelFileToText(parsed));
      if (!same(again, parsed)) fail('modelFileToText does not round-trip');
      const bits = (f: typeof parsed) =>
        Object.values(f.weights)
          .flatMap((w) => w.data)
          .concat(f.features.mean, f.features.std);
      if (!bits(again).every((v, k) => Object.is(v, bits(parsed!)[k])))
        fail('numbers change in the round trip');
    } catch (e) {
      fail(`the round trip throws: ${(e as Error).message.slice(0, 200)}`);
    }
    try {
      const predictor = new Predictor(parsed);
      const { inBound, extreme } = rowsFor(parsed.features.mean, parsed.features.std, rng);
      const F = predictor.features;
      const probs = predictor.predict(inBound, inBound.length / F);
      report.rowsPredicted += inBound.length / F;
      if (!probs.every(Number.isFinite)) {
        fail('a row within one std of the mean gave a NaN or infinite probability');
      }
      // Nor may a logit overflow there (a probability of exactly 0 or 1 from Infinity).
      const z = inBound.map(
        (x, k) => (x - parsed!.features.mean[k % F]) / parsed!.features.std[k % F],
      );
      const logits = noGrad(() => predictor.mlp.forward(new Tensor(z, [z.length / F, F]))).data;
      if (!logits.every(Number.isFinite))
        fail('a row within one std of the mean overflowed a logit');
      try {
        const p = predictor.predict(extreme, extreme.length / F, { firstRow: 10 });
        if (!p.every(Number.isFinite)) fail('an extreme row gave a NaN or infinite probability');
        predictor.decide(p);
      } catch (e) {
        if (
          !(e instanceof MaskgradError) ||
          !/^Predictor\.predict: row 1[1-4] gives a probability of (NaN|-?Infinity) for /.test(
            e.message,
          )
        ) {
          fail(`an extreme row: ${(e as Error).message.slice(0, 200)}`);
        }
      }
    } catch (e) {
      fail(`predicting within one std threw: ${(e as Error).message.slice(0, 200)}`);
    }
  }
  report.seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return report;
}
