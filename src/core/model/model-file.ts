import { MaskgradError, withContext } from '../errors';
import { describeValue, excerpt, quoteName } from '../describe-value';
import { activations, type ActivationName, MLP } from '../nn';
import { MASKGRAD_VERSION } from '../version';

/** One data file a model was trained or tested on: its name (no folder) and SHA-256. */
export interface DataFileDigest {
  /** What the file was used for, e.g. 'train' or 'test'. */
  role: string;
  file: string;
  sha256: string;
}

/** How a model was trained: enough to tell two models apart and to train it again. */
export interface TrainingRecord {
  strategy: string;
  hide: number;
  seed: number | string;
  epochs: number;
  data: DataFileDigest[];
  maskgradVersion: string;
  /** When the model was saved, ISO 8601 in UTC. */
  date: string;
  /** Anything else the trainer wants to keep (learning rate, hidden sizes, ...). */
  [key: string]: unknown;
}

/**
 * How often each label was observed in the training rows the model was fit on, per label in
 * the model's label order: known positive, known negative, and unknown entries.
 */
export interface ObservedCounts {
  positive: number[];
  negative: number[];
  unknown: number[];
}

/**
 * Version 1 of the model file: everything needed to predict. A raw row x is standardized as
 * `(x - mean) / std`, run through the MLP, and turned into probabilities by a sigmoid; a
 * probability `>= threshold` is a positive decision. `std` is the divisor used in training:
 * for a feature that was constant in the training rows (standard deviation 0) it is 1, so
 * such a feature only gets centred, as `standardize` does.
 */
export interface ModelFile {
  format: 'maskgrad-model';
  version: 1;
  architecture: { sizes: number[]; activation: ActivationName };
  features: { names: string[]; mean: number[]; std: number[] };
  /** `observed`: absent in files written before it was recorded. */
  labels: { names: string[]; thresholds: number[]; observed?: ObservedCounts };
  training: TrainingRecord;
  /** By parameter name (`layers.0.weight`, ...): shape and row-major values. */
  weights: Record<string, { shape: number[]; data: number[] }>;
}

export const MODEL_FORMAT = 'maskgrad-model';
export const MODEL_VERSION = 1;

/** The version of maskgrad itself (package.json's, held equal by a spec). */
export function maskgradVersion(): string {
  return MASKGRAD_VERSION;
}

export interface ModelFileParts {
  /** The feature names, in the order of the model's inputs. */
  features: readonly string[];
  /** The label names, in the order of the model's outputs. */
  labels: readonly string[];
  /** The statistics `standardize` returned for the training rows. */
  standardization: { mean: ArrayLike<number>; std: ArrayLike<number> };
  /** Per-class decision thresholds (default 0.5 for every class). */
  thresholds?: ArrayLike<number>;
  /** Each label's observed counts in the training rows (left out of the file when absent). */
  observed?: ObservedCounts;
  /** How it was trained; `maskgradVersion` and `date` are filled in when absent. */
  training: Pick<TrainingRecord, 'strategy' | 'hide' | 'seed' | 'epochs' | 'data'> & {
    maskgradVersion?: string;
    date?: string;
    [key: string]: unknown;
  };
}

/** The model file of a trained MLP (checked as `readModelFile` would check it). */
export function modelFileFrom(mlp: MLP, parts: ModelFileParts): ModelFile {
  if (!(mlp instanceof MLP)) {
    throw new MaskgradError(`modelFileFrom: expected an MLP, got ${describeValue(mlp)}`);
  }
  if (parts === null || typeof parts !== 'object' || Array.isArray(parts)) {
    throw new MaskgradError(
      `modelFileFrom: parts must be an object ({ features, labels, standardization, training }), got ${describeValue(parts)}`,
    );
  }
  const isObject = (v: unknown) => v !== null && typeof v === 'object';
  const std = parts.standardization as Partial<ModelFileParts['standardization']> | null;
  for (const [what, value, ok] of [
    ['parts.features', parts.features, isObject(parts.features)],
    ['parts.labels', parts.labels, isObject(parts.labels)],
    ['parts.standardization', std, isObject(std) && isObject(std!.mean) && isObject(std!.std)],
    [
      'parts.thresholds',
      parts.thresholds,
      parts.thresholds === undefined || isObject(parts.thresholds),
    ],
    ['parts.training', parts.training, isObject(parts.training) && !Array.isArray(parts.training)],
  ] as const) {
    if (!ok) {
      const expected =
        what === 'parts.standardization'
          ? 'an object { mean, std } of two arrays of numbers'
          : what === 'parts.training'
            ? 'an object (the training record)'
            : `an array${what === 'parts.thresholds' ? ' of numbers, or left out' : ' of names'}`;
      throw new MaskgradError(
        `modelFileFrom: ${what} must be ${expected}, got ${describeValue(value)}`,
      );
    }
  }
  const outputs = mlp.sizes[mlp.sizes.length - 1];
  const file: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    architecture: { sizes: mlp.sizes.slice(), activation: mlp.activation },
    features: {
      names: Array.from(parts.features),
      mean: Array.from(parts.standardization.mean),
      std: Array.from(parts.standardization.std),
    },
    labels: {
      names: Array.from(parts.labels),
      thresholds: parts.thresholds ? Array.from(parts.thresholds) : new Array(outputs).fill(0.5),
      ...(parts.observed === undefined ? {} : { observed: copyObserved(parts.observed) }),
    },
    training: {
      ...(parts.training as TrainingRecord),
      maskgradVersion: parts.training.maskgradVersion ?? maskgradVersion(),
      date: parts.training.date ?? new Date().toISOString(),
    },
    weights: mlp.stateDict(),
  };
  return checkModelFile(file, 'modelFileFrom');
}

/** A copy of `observed` with arrays of its own; anything else is left for checkModelFile. */
function copyObserved(observed: ObservedCounts): ObservedCounts {
  if (observed === null || typeof observed !== 'object') return observed;
  const copy = (v: unknown) => (Array.isArray(v) ? v.slice() : v) as number[];
  return {
    ...observed,
    positive: copy(observed.positive),
    negative: copy(observed.negative),
    unknown: copy(observed.unknown),
  };
}

/** An MLP with the model file's architecture and weights. */
export function mlpFromModelFile(file: ModelFile): MLP {
  checkModelFile(file, 'mlpFromModelFile');
  const mlp = new MLP(file.architecture.sizes, {
    activation: file.architecture.activation,
    seed: 0,
  });
  mlp.loadStateDict(file.weights);
  return mlp.eval();
}

/** A number as JSON, keeping -0 (JSON.stringify writes it as 0). Shortest round-trip digits. */
function numberJson(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** JSON with two-space indents, except that arrays of numbers stay on one line. */
function toJson(value: unknown, indent: string): string {
  if (typeof value === 'number') return numberJson(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number' || typeof v === 'string')) {
      return `[${value.map((v) => (typeof v === 'number' ? numberJson(v) : JSON.stringify(v))).join(',')}]`;
    }
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + toJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const inner = indent + '  ';
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The text of a model file. Every float is written with the fewest digits that read back exactly. */
export function modelFileToText(file: ModelFile): string {
  checkModelFile(file, 'modelFileToText');
  return toJson(file, '') + '\n';
}

/** Parses and checks the text of a model file (`readModelFile` in maskgrad/node reads a file). */
export function parseModelFile(text: string): ModelFile {
  if (typeof text !== 'string') {
    throw new MaskgradError(
      `readModelFile: expected the text of a model file, got ${describeValue(text)}`,
    );
  }
  // A byte order mark carries no data (editors on Windows add one); JSON allows ignoring it.
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    // JSON.parse's message quotes the text, line breaks and all: shown on one line here,
    // with an invisible byte order mark spelled out.
    const reason = (error as Error).message
      .replace(/\r\n|\r|\n/g, '\\n')
      .replace(/\ufeff/g, '\\ufeff');
    const bom = bomNote(json, json === text ? 0 : 1);
    throw new MaskgradError(
      `readModelFile: not valid JSON (truncated or edited?): ${reason}${bom}`,
      {
        code: 'ERR_PARSE',
        cause: error,
      },
    );
  }
  const duplicate = firstDuplicateKey(json);
  if (duplicate) {
    throw new MaskgradError(
      `readModelFile: ${duplicate.path} has the key ${JSON.stringify(duplicate.key)} twice; a model file holds each key once (JSON.parse would keep the last silently)`,
      { code: 'ERR_PARSE' },
    );
  }
  return checkModelFile(value, 'readModelFile');
}

/**
 * When the only thing wrong with `json` is a byte order mark (U+FEFF) after the first
 * character, a note saying where (`skipped` leading characters counted too); else ''.
 */
function bomNote(json: string, skipped: number): string {
  const mark = json.indexOf('\ufeff');
  if (mark < 0) return '';
  try {
    JSON.parse(json.replace(/\ufeff/g, ''));
  } catch {
    return '';
  }
  return ` (a byte order mark, U+FEFF, at character ${mark + 1 + skipped}; one is allowed only at the very start)`;
}

/** A key as a step of a path: `.name` for an identifier, else `["key"]`. */
function pathStep(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

type ScanFrame =
  | { kind: 'object'; path: string; keys: Set<string>; key: string | null; wantKey: boolean }
  | { kind: 'array'; path: string; index: number };

/**
 * The first object in the valid JSON `text` that holds a key twice, with its path
 * (`features`, `weights["layers.0.weight"]`, `the model file` for the top level), or null.
 * A scan of its own, without recursion, since JSON.parse keeps the last value silently.
 * Keys are compared after unescaping, so "a" and "\u0061" are the same key.
 */
export function firstDuplicateKey(text: string): { path: string; key: string } | null {
  const stack: ScanFrame[] = [];
  const valuePath = (): string => {
    const top = stack[stack.length - 1];
    if (!top) return '';
    return top.kind === 'object' ? top.path + pathStep(top.key ?? '') : `${top.path}[${top.index}]`;
  };
  const where = (path: string) => (path === '' ? 'the model file' : path.replace(/^\./, ''));
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let end = i + 1;
      while (text.charCodeAt(end) !== 0x22) end += text.charCodeAt(end) === 0x5c ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.wantKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        if (top.keys.has(key)) return { path: where(top.path), key };
        top.keys.add(key);
        top.key = key;
        top.wantKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      stack.push({ kind: 'object', path: valuePath(), keys: new Set(), key: null, wantKey: true });
    } else if (c === 0x5b /* [ */) {
      stack.push({ kind: 'array', path: valuePath(), index: 0 });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') top.wantKey = true;
      else if (top) top.index++;
    }
  }
  return null;
}

/** The smallest positive normal double, 2^-1022: a std below it overflows `(x - mean) / std`. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * Whether `date` is an ISO 8601 date in the form `toISOString` writes, or a shorter one:
 * `YYYY-MM-DD`, optionally `THH:MM[:SS[.fff]]` and a zone (`Z` or `+HH:MM`), naming a real day
 * and time.
 */
export function isIsoDate(date: unknown): boolean {
  if (typeof date !== 'string') return false;
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))?)?$/.exec(
      date,
    );
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  if (
    utc.getUTCFullYear() !== year ||
    utc.getUTCMonth() !== month - 1 ||
    utc.getUTCDate() !== day
  ) {
    return false;
  }
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) {
    return false;
  }
  return m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
}

const TOP_KEYS = ['format', 'version', 'architecture', 'features', 'labels', 'training', 'weights'];

/**
 * The deepest nesting of arrays and objects a model file may have. A valid file nests 4 deep
 * (weights, a layer, its data, the numbers); the `training` record may hold more, up to this.
 * Deeper values (the audit's `training` record nested 5,000 arrays deep) are refused when
 * read, so nothing that walks the file later (export's metadata) can overflow the stack.
 */
export const MODEL_FILE_DEPTH_LIMIT = 64;

/**
 * The path of the first value in `value` nested deeper than MODEL_FILE_DEPTH_LIMIT
 * (`training.notes[0][0]...`, cut short), or null when none is; a value that contains itself
 * is reported as too deep. Walks with its own stack, so any depth is safe to check.
 */
function tooDeep(value: unknown): string | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MODEL_FILE_DEPTH_LIMIT) return item.path;
    const push = (v: unknown, step: string) => {
      if (v !== null && typeof v === 'object') {
        stack.push({ value: v, depth: item.depth + 1, path: item.path + step });
      }
    };
    if (Array.isArray(item.value)) {
      for (let i = 0; i < item.value.length; i++) {
        if (typeof item.value[i] === 'object') push(item.value[i], `[${i}]`);
      }
    } else {
      for (const [k, v] of Object.entries(item.value)) push(v, item.path === '' ? k : `.${k}`);
    }
  }
  return null;
}

/** Checks that `value` is a valid version-1 model file and returns it; else an ERR_PARSE error. */
export function checkModelFile(value: unknown, where = 'checkModelFile'): ModelFile {
  if (typeof where !== 'string') {
    throw new MaskgradError(
      `checkModelFile: where must be a string (the name its errors begin with), got ${describeValue(where)}`,
    );
  }
  const fail = (message: string): never => {
    throw new MaskgradError(`${where}: ${message}`, { code: 'ERR_PARSE' });
  };
  const deep = tooDeep(value);
  if (deep !== null) {
    fail(
      `${excerpt(deep, 60)} nests arrays or objects more than ${MODEL_FILE_DEPTH_LIMIT} deep ` +
        `(or contains itself); expected at most ${MODEL_FILE_DEPTH_LIMIT} levels`,
    );
  }
  const object = (v: unknown, what: string, keys: string[] | null): Record<string, unknown> => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      fail(`${what} must be an object, got ${describeValue(v)}`);
    }
    const o = v as Record<string, unknown>;
    if (keys) {
      for (const k of keys) if (!(k in o)) fail(`${what} has no "${k}"`);
      for (const k of Object.keys(o)) {
        if (!keys.includes(k))
          fail(`${what} has an unknown field ${quoteName(k)} (expected ${keys.join(', ')})`);
      }
    }
    return o;
  };
  const numbers = (v: unknown, what: string, length: number): number[] => {
    if (!Array.isArray(v)) fail(`${what} must be an array of numbers, got ${describeValue(v)}`);
    const a = v as unknown[];
    if (a.length !== length) fail(`${what} has ${a.length} values; expected ${length}`);
    for (let i = 0; i < a.length; i++) {
      if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) {
        fail(`${what}[${i}] is ${describeValue(a[i])}; expected a finite number`);
      }
    }
    return a as number[];
  };
  const names = (v: unknown, what: string, length: number): string[] => {
    if (!Array.isArray(v)) fail(`${what} must be an array of names, got ${describeValue(v)}`);
    const a = v as unknown[];
    if (a.length !== length) fail(`${what} has ${a.length} names; expected ${length}`);
    const seen = new Set<string>();
    for (let i = 0; i < a.length; i++) {
      if (typeof a[i] !== 'string' || a[i] === '') {
        fail(`${what}[${i}] is ${describeValue(a[i])}; expected a non-empty name`);
      }
      if (seen.has(a[i] as string)) fail(`${what} lists ${quoteName(a[i] as string)} twice`);
      seen.add(a[i] as string);
    }
    return a as string[];
  };

  const top = object(value, 'the model file', TOP_KEYS);
  if (top.format !== MODEL_FORMAT) {
    fail(`format is ${describeValue(top.format)}; expected "${MODEL_FORMAT}"`);
  }
  if (top.version !== MODEL_VERSION) {
    fail(
      `version ${describeValue(top.version)} is not supported; this maskgrad reads version ${MODEL_VERSION}`,
    );
  }
  const architecture = object(top.architecture, 'architecture', ['sizes', 'activation']);
  const sizes = architecture.sizes;
  if (
    !Array.isArray(sizes) ||
    sizes.length < 2 ||
    !sizes.every((n) => Number.isInteger(n) && (n as number) >= 1)
  ) {
    fail(
      `architecture.sizes is ${describeValue(sizes)}; expected at least two positive integers [inputs, ..., outputs]`,
    );
  }
  const s = sizes as number[];
  if (
    typeof architecture.activation !== 'string' ||
    !Object.prototype.hasOwnProperty.call(activations, architecture.activation)
  ) {
    fail(
      `architecture.activation is ${describeValue(architecture.activation)}; expected one of ${Object.keys(activations).join(', ')}`,
    );
  }
  const inputs = s[0];
  const outputs = s[s.length - 1];
  const features = object(top.features, 'features', ['names', 'mean', 'std']);
  const featureNames = names(features.names, 'features.names', inputs);
  numbers(features.mean, 'features.mean', inputs);
  const std = numbers(features.std, 'features.std', inputs);
  std.forEach((v, i) => {
    if (!(v >= MIN_NORMAL))
      fail(
        `features.std[${i}] is ${v}; expected a normal number > 0 (at least ${MIN_NORMAL}; 1 for a constant feature)`,
      );
  });
  const labelKeys = ['names', 'thresholds'];
  const labels = object(
    top.labels,
    'labels',
    top.labels !== null && typeof top.labels === 'object' && 'observed' in top.labels
      ? [...labelKeys, 'observed']
      : labelKeys,
  );
  const labelNames = names(labels.names, 'labels.names', outputs);
  numbers(labels.thresholds, 'labels.thresholds', outputs).forEach((v, i) => {
    if (v < 0 || v > 1) fail(`labels.thresholds[${i}] is ${v}; expected a number from 0 to 1`);
  });
  if ('observed' in labels) {
    const observed = object(labels.observed, 'labels.observed', [
      'positive',
      'negative',
      'unknown',
    ]);
    for (const kind of ['positive', 'negative', 'unknown']) {
      numbers(observed[kind], `labels.observed.${kind}`, outputs).forEach((v, i) => {
        if (!Number.isSafeInteger(v) || v < 0 || Object.is(v, -0)) {
          fail(`labels.observed.${kind}[${i}] is ${v}; expected a count (a whole number >= 0)`);
        }
      });
    }
  }
  const both = labelNames.find((n) => featureNames.includes(n));
  if (both !== undefined) fail(`${quoteName(both)} is both a feature and a label`);

  const training = object(top.training, 'training', null);
  const field = (key: string, ok: (v: unknown) => boolean, expected: string) => {
    if (!ok(training[key])) {
      fail(`training.${key} is ${describeValue(training[key])}; expected ${expected}`);
    }
  };
  const isString = (v: unknown) => typeof v === 'string';
  const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  field('strategy', isString, 'a string');
  field('hide', isNumber, 'a number');
  field('seed', (v) => isString(v) || isNumber(v), 'a number or a string');
  field('epochs', (v) => Number.isInteger(v) && (v as number) >= 0, 'a whole number');
  field('maskgradVersion', isString, 'a string');
  field('date', isIsoDate, 'a date as an ISO 8601 string, e.g. "2026-12-08T01:00:00.000Z"');
  field('data', Array.isArray, 'an array of { role, file, sha256 }');
  (training.data as unknown[]).forEach((d, i) => {
    const o = object(d, `training.data[${i}]`, ['role', 'file', 'sha256']);
    if (typeof o.role !== 'string' || typeof o.file !== 'string') {
      fail(`training.data[${i}]: role and file must be strings`);
    }
    if (typeof o.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(o.sha256)) {
      fail(`training.data[${i}].sha256 is ${describeValue(o.sha256)}; expected 64 hex digits`);
    }
  });

  const expected: [string, number[]][] = [];
  for (let i = 0; i + 1 < s.length; i++) {
    expected.push([`layers.${i}.weight`, [s[i + 1], s[i]]]);
    expected.push([`layers.${i}.bias`, [s[i + 1]]]);
  }
  const weights = object(
    top.weights,
    'weights',
    expected.map(([n]) => n),
  );
  for (const [name, shape] of expected) {
    const w = object(weights[name], `weights["${name}"]`, ['shape', 'data']);
    if (
      !Array.isArray(w.shape) ||
      w.shape.length !== shape.length ||
      !shape.every((d, i) => (w.shape as unknown[])[i] === d)
    ) {
      fail(
        `weights["${name}"].shape is ${describeValue(w.shape)}; expected [${shape.join(',')}] for sizes [${s.join(',')}]`,
      );
    }
    numbers(
      w.data,
      `weights["${name}"].data`,
      shape.reduce((a, b) => a * b, 1),
    );
  }
  checkNoOverflow(
    weights as ModelFile['weights'],
    s,
    architecture.activation as ActivationName,
    fail,
  );
  return top as unknown as ModelFile;
}

/**
 * Refuses weights whose layers can overflow for ordinary rows, where the result would be
 * Infinity or NaN: with every standardized input within [-1, 1] (each raw feature within one
 * training standard deviation of its mean), a bound on each layer's outputs,
 * `sum_j |w_ij| * bound + |b_i|`, must stay finite. The bound after an activation is 1 for
 * tanh and sigmoid and the layer's bound for relu. A row further out can still overflow;
 * `Predictor.predict` refuses that row by number.
 */
function checkNoOverflow(
  weights: ModelFile['weights'],
  sizes: number[],
  activation: ActivationName,
  fail: (message: string) => never,
): void {
  let bound = 1;
  for (let layer = 0; layer + 1 < sizes.length; layer++) {
    const [inputs, outputs] = [sizes[layer], sizes[layer + 1]];
    const w = weights[`layers.${layer}.weight`].data;
    const b = weights[`layers.${layer}.bias`].data;
    let next = 0;
    for (let i = 0; i < outputs; i++) {
      let sum = Math.abs(b[i]);
      for (let j = 0; j < inputs; j++) sum += Math.abs(w[i * inputs + j]) * bound;
      if (!Number.isFinite(sum)) {
        fail(
          `weights["layers.${layer}.weight"] row ${i} overflows: with inputs within one standard deviation of the training mean its output can reach Infinity (sum of |weight| x ${bound} + |bias|), so predictions would be NaN or infinite`,
        );
      }
      next = Math.max(next, sum);
    }
    bound = activation === 'relu' ? next : 1;
  }
}
