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
  labels: { names: string[]; thresholds: number[] };
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

/** An MLP with the model file's architecture and weights. */
export function mlpFromModelFile(file: ModelFile): MLP {
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MaskgradError(
      `readModelFile: not valid JSON (truncated or edited?): ${(error as Error).message}`,
      { code: 'ERR_PARSE', cause: error },
    );
  }
  return checkModelFile(value, 'readModelFile');
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
    if (!(v > 0))
      fail(`features.std[${i}] is ${v}; expected a number > 0 (1 for a constant feature)`);
  });
  const labels = object(top.labels, 'labels', ['names', 'thresholds']);
  const labelNames = names(labels.names, 'labels.names', outputs);
  numbers(labels.thresholds, 'labels.thresholds', outputs).forEach((v, i) => {
    if (v < 0 || v > 1) fail(`labels.thresholds[${i}] is ${v}; expected a number from 0 to 1`);
  });
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
  field('date', isString, 'a date as an ISO 8601 string');
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
  return top as unknown as ModelFile;
}
