// The child process of spec/raw-errors.spec.ts's probe: calls every function and class
// exported by 'maskgrad', 'maskgrad/node' and 'maskgrad/experiment' (found at run time), and a
// few methods of Tensor, Module and the optimizers, with each argument in turn replaced by a
// hostile value, and writes one JSON line per call: `{ i, start: label }` before it and
// `{ i, outcome, name, message }` after. The parent restarts it past a call that hangs or
// crashes it (MASKGRAD_PROBE_FROM is the first case to run). It runs in a temporary folder,
// so a call that writes a file writes it there.
import * as fs from 'fs';
import { join } from 'path';
import * as core from '../../src';
import * as node from '../../src/node';
import * as app from '../../src/app';

/** The hostile values, by name. */
export function hostileValues(): [string, unknown][] {
  let deep: unknown = [1];
  for (let i = 0; i < 20_000; i++) deep = [deep];
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;
  const circularArray: unknown[] = [1];
  circularArray.push(circularArray);
  return [
    ['null', null],
    ['undefined', undefined],
    ['a number', 7],
    ['a string', 'probe-string'],
    ['a plain object', {}],
    ['an array', [1, 2]],
    ['a 20,000-deep array', deep],
    ['a circular object', circular],
    ['a circular array', circularArray],
  ];
}

/** A callable thing to probe: `run(args)` calls it with `args`. */
export interface Target {
  label: string;
  arity: number;
  /** Arguments that are valid, where known: the probe replaces one of them at a time. */
  base: unknown[];
  run: (args: unknown[]) => unknown;
}

const isClass = (fn: unknown) =>
  typeof fn === 'function' && /^class\b/.test(Function.prototype.toString.call(fn));

/** Valid arguments for exports whose bad values are easier to reach past the first. */
function baseArgs(name: string): unknown[] {
  const t = () => core.tensor([[0.2, 0.7]]);
  const y = () => core.tensor([[0, 1]]);
  const model = () =>
    core.modelFileFrom(new core.MLP([2, 2], { seed: 1 }), {
      features: ['a', 'b'],
      labels: ['x', 'y'],
      standardization: { mean: [0, 0], std: [1, 1] },
      training: { strategy: 'masked', hide: 0, seed: 1, epochs: 0, data: [] },
    });
  const table: Record<string, () => unknown[]> = {
    broadcastShapes: () => ['probe', [2], [2]],
    sumToShape: () => [new Float64Array(2), [2], [2]],
    toDot: () => [t(), {}],
    applyThresholds: () => [t(), [0.5, 0.5]],
    tuneThresholds: () => [t(), y()],
    alignDataset: () => [core.parseCsv('a,b,x,y\n1,2,0,1\n', { labels: 2 }), model()],
    matchColumns: () => [['a', 'b'], model()],
    // Not a model file, so that the error uses `where`.
    checkModelFile: () => [{}, 'probe'],
    toOnnx: () => [model(), 'float32'],
    toSafetensors: () => [model(), 'float64'],
    mlpFromModelFile: () => [model()],
    modelFileToText: () => [model()],
    matmul: () => [core.tensor([[1, 2]]), core.tensor([[1], [2]])],
    f1: () => [t(), y(), { threshold: 0.5 }],
    hammingLoss: () => [t(), y(), {}],
    averagePrecision: () => [t(), y()],
    precisionRecallCurve: () => [t(), y()],
    confusionCounts: () => [t(), y(), { thresholds: [0.5, 0.5] }],
    meanAveragePrecision: () => [t(), y()],
    labelRankingAveragePrecision: () => [t(), y()],
    maskedBinaryCrossEntropy: () => [t(), y(), y()],
    maskedBinaryCrossEntropyWithLogits: () => [t(), y(), y()],
    maskFromTargets: () => [y()],
    Predictor: () => [model()],
    zeros: () => [[2]],
    ones: () => [[2]],
    full: () => [[2], 1],
    rand: () => [[2], { seed: 1 }],
    randn: () => [[2], { seed: 1 }],
    arange: () => [0, 2],
    fit: () => {
      const m = new core.Linear(2, 2, { seed: 1 });
      const data = core.parseCsv('a,b,x,y\n1,2,0,1\n', { labels: 2 });
      return [
        m,
        data,
        {
          loss: core.maskedBinaryCrossEntropyWithLogits,
          optimizer: new core.SGD(m.parameters(), { lr: 0.1 }),
          epochs: 1,
          seed: 1,
        },
      ];
    },
    gradcheck: () => [
      (x: core.Tensor) => x.mul(x).sum(),
      [core.tensor([1, 2], { requiresGrad: true })],
    ],
    modelFileFrom: () => [
      new core.MLP([2, 2], { seed: 1 }),
      {
        features: ['a', 'b'],
        labels: ['x', 'y'],
        standardization: { mean: [0, 0], std: [1, 1] },
        training: { strategy: 'masked', hide: 0, seed: 1, epochs: 0, data: [] },
      },
    ],
    parseCsv: () => ['a,b,x\n1,2,0\n', { labels: 1 }],
    parseArff: () => [
      '@relation r\n@attribute a numeric\n@attribute L {0,1}\n@data\n1,0\n',
      { labels: 1 },
    ],
    hideLabels: () => [core.parseCsv('a,b,x\n1,2,0\n', { labels: 1 }), 0.5, { seed: 1 }],
    standardize: () => [core.parseCsv('a,b,x\n1,2,0\n', { labels: 1 })],
    batches: () => [core.parseCsv('a,b,x\n1,2,0\n', { labels: 1 }), 1, { seed: 1 }],
    evaluate: () => [t(), core.parseCsv('a,b,x,y\n1,2,0,1\n', { labels: 2 })],
    checkOption: () => ['probe', 'lr', 0.1],
    // Files go to the probe's temporary folder (its working directory).
    writeModelFile: () => ['probe.model.json', model()],
    saveModule: () => [new core.MLP([2, 2], { seed: 1 }), 'probe-module.json'],
    loadModule: () => [new core.MLP([2, 2], { seed: 1 }), 'probe-module.json'],
    readRowsForModel: () => ['probe.csv', model(), {}],
    readCsv: () => ['probe.csv', { labels: 1 }],
    loadDataset: () => ['probe.csv', { labels: 1 }],
    Trainer: () => {
      const m = new core.Linear(2, 2, { seed: 1 });
      const data = core.parseCsv('a,b,x,y\n1,2,0,1\n', { labels: 2 });
      const loss = core.maskedBinaryCrossEntropyWithLogits;
      return [m, data, { loss, optimizer: new core.SGD(m.parameters(), { lr: 0.1 }) }];
    },
    predictProbabilities: () => [new core.MLP([2, 2], { seed: 1 }), t()],
    validationMap: () => [t(), core.parseCsv('a,b,x,y\n1,2,0,1\n', { labels: 2 })],
    runExperiment: () => [
      core.parseCsv('a,b,x,y\n1,2,0,1\n3,4,1,0\n', { labels: 2 }),
      { hidden: [2], epochs: 1, seed: 1, strategy: 'masked', hide: 0, val: 0, refit: false },
    ],
    Linear: () => [2, 2, { seed: 1 }],
    MLP: () => [[2, 2], { seed: 1 }],
    SGD: () => [[core.tensor([1], { requiresGrad: true })], { lr: 0.1 }],
    Adam: () => [[core.tensor([1], { requiresGrad: true })], { lr: 0.1 }],
    AdamW: () => [[core.tensor([1], { requiresGrad: true })], { lr: 0.1 }],
  };
  const made = table[name]?.();
  if (made) return made;
  // An op: tensors in every place, so that each place's check is reached in turn.
  if (core.registeredOps().some((op) => op.name === name)) return [t(), t(), t()];
  return [];
}

/** Methods left out of the probe as private (not in api/maskgrad.api.md). */
export const skippedMethods: string[] = [];

let apiText: string | undefined;
/** The text of api/maskgrad.api.md, which lists every public and protected member. */
function apiReport(): string {
  apiText ??= fs.readFileSync(join(__dirname, '..', '..', 'api', 'maskgrad.api.md'), 'utf8');
  return apiText;
}

/** Every exported function and class, the functions of exported namespaces, and methods. */
export function targets(): Target[] {
  const out: Target[] = [];
  const seen = new Set<unknown>();
  const addExports = (module: string, exports: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value === 'function') {
        if (seen.has(value)) continue;
        seen.add(value);
        const fn = value as (...a: unknown[]) => unknown;
        const klass = isClass(fn);
        out.push({
          label: `${module} ${name}`,
          arity: Math.max(fn.length, baseArgs(name).length, 1),
          base: baseArgs(name),
          run: klass
            ? (args) => new (fn as unknown as new (...a: unknown[]) => unknown)(...args)
            : (args) => fn(...args),
        });
      } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        // A namespace of functions (math) or a table of them (activations).
        for (const [inner, f] of Object.entries(value as Record<string, unknown>)) {
          if (typeof f !== 'function' || seen.has(f)) continue;
          seen.add(f);
          const fn = f as (...a: unknown[]) => unknown;
          out.push({
            label: `${module} ${name}.${inner}`,
            arity: Math.max(fn.length, 1),
            base: [],
            run: (args) => fn(...args),
          });
        }
      }
    }
  };
  addExports('maskgrad', core as unknown as Record<string, unknown>);
  addExports('maskgrad/node', node as unknown as Record<string, unknown>);
  addExports('maskgrad/experiment', app as unknown as Record<string, unknown>);

  // Methods: every method of a Tensor (the op methods too), of a Module, of each optimizer,
  // each called on a fresh instance.
  const methodsOf = (label: string, make: () => object) => {
    const names = new Set<string>();
    for (let p = Object.getPrototypeOf(make()); p && p !== Object.prototype;) {
      for (const n of Object.getOwnPropertyNames(p)) {
        const d = Object.getOwnPropertyDescriptor(p, n)!;
        if (n !== 'constructor' && typeof d.value === 'function') names.add(n);
      }
      p = Object.getPrototypeOf(p);
    }
    for (const n of [...names].sort()) {
      // A TypeScript-private method is no part of the API (the report does not list it).
      if (!new RegExp(`^  (protected )?${n}[(<:]`, 'm').test(apiReport())) {
        skippedMethods.push(`${label}.${n}`);
        continue;
      }
      const arity = (make() as Record<string, (...a: unknown[]) => unknown>)[n].length;
      out.push({
        label: `${label}.${n}`,
        arity: Math.max(arity, 1),
        base: [],
        run: (args) => {
          const self = make() as Record<string, (...a: unknown[]) => unknown>;
          return self[n](...args);
        },
      });
    }
  };
  methodsOf('Tensor', () => core.tensor([[1, 2]], { requiresGrad: true }));
  methodsOf('Module', () => new core.MLP([2, 2], { seed: 1 }));
  const params = () => [core.tensor([1, 2], { requiresGrad: true })];
  methodsOf('SGD', () => new core.SGD(params(), { lr: 0.1 }));
  methodsOf('Adam', () => new core.Adam(params(), { lr: 0.1 }));
  methodsOf('AdamW', () => new core.AdamW(params(), { lr: 0.1 }));
  const file = () =>
    core.modelFileFrom(new core.MLP([2, 2], { seed: 1 }), {
      features: ['a', 'b'],
      labels: ['x', 'y'],
      standardization: { mean: [0, 0], std: [1, 1] },
      training: { strategy: 'masked', hide: 0, seed: 1, epochs: 0, data: [] },
    });
  methodsOf('Predictor', () => new core.Predictor(file()));
  methodsOf('Random', () => new core.Random(1));
  methodsOf('CsvTokenizer', () => new core.CsvTokenizer('probe'));
  methodsOf('Trainer', () => {
    const m = new core.Linear(2, 2, { seed: 1 });
    const data = core.parseCsv('a,b,x,y\n1,2,0,1\n', { labels: 2 });
    const loss = (z: core.Tensor, y: core.Tensor, mask: core.Tensor) =>
      core.maskedBinaryCrossEntropyWithLogits(z, y, mask);
    return new core.Trainer(m, data, {
      loss,
      optimizer: new core.SGD(m.parameters(), { lr: 0.1 }),
    });
  });
  return out;
}

/** One call of the probe: target `t` with argument `position` replaced by a hostile value. */
export interface Case {
  label: string;
  run: () => unknown;
}

export function cases(): Case[] {
  const values = hostileValues();
  const out: Case[] = [];
  for (const t of targets()) {
    for (let position = 0; position < t.arity; position++) {
      for (const [valueName, value] of values) {
        out.push({
          label: `${t.label} (argument ${position + 1} ${valueName})`,
          run: () => {
            const args = t.base.slice();
            while (args.length <= position) args.push(undefined);
            args[position] = value;
            return t.run(args);
          },
        });
      }
    }
  }
  return out;
}

/** The name and message of what a call threw, and whether it is a MaskgradError. */
function outcome(error: unknown): { outcome: string; name: string; message: string } {
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return {
    outcome: core.isMaskgradError(error) ? 'maskgrad' : 'raw',
    name,
    message: message.slice(0, 300),
  };
}

/** Awaits a promise or the first item of an async iterator a call returned. */
async function settle(result: unknown): Promise<void> {
  if (result === null || typeof result !== 'object') return;
  const r = result as {
    then?: unknown;
    [Symbol.asyncIterator]?: () => AsyncIterator<unknown>;
    [Symbol.iterator]?: () => Iterator<unknown>;
  };
  if (typeof r.then === 'function') await (result as Promise<unknown>);
  else if (typeof r[Symbol.asyncIterator] === 'function') {
    const it = r[Symbol.asyncIterator]!();
    await it.next();
    await it.return?.();
  } else if (
    Object.prototype.toString.call(result) === '[object Generator]' &&
    typeof r[Symbol.iterator] === 'function'
  ) {
    r[Symbol.iterator]!().next();
  }
}

/**
 * Writes `line` and a newline to standard output synchronously, so that the parent has it
 * even if the next call ends the process. A pipe may be non-blocking: EAGAIN is retried.
 */
function writeLine(line: object): void {
  let bytes = Buffer.from(JSON.stringify(line) + '\n');
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(fs.writeSync(1, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

async function main(): Promise<void> {
  fs.writeFileSync('probe.csv', 'a,b,x\n1,2,0\n');
  const from = Number(process.env.MASKGRAD_PROBE_FROM ?? 0);
  const all = cases();
  const write = writeLine;
  write({ total: all.length, skipped: skippedMethods });
  for (let i = from; i < all.length; i++) {
    write({ i, start: all[i].label });
    let line: object = { i, outcome: 'returned' };
    try {
      await settle(all[i].run());
    } catch (error) {
      line = { i, ...outcome(error) };
    }
    write(line);
  }
  write({ done: true });
}

if (require.main === module) {
  // Rejections a call leaves behind are findings too, for the call that made them.
  process.on('unhandledRejection', (error) => writeLine({ unhandled: outcome(error) }));
  void main();
}
