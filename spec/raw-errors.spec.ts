// Issue 21, class 5: the public API's entry points answer bad input with a MaskgradError
// naming the function, never a raw RangeError or TypeError (a stack overflow on a deep model
// file, `raw.map is not a function` on a defineOp op called with a bare tensor).
import { expect } from 'chai';
import { spawn } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  add,
  checkModelFile,
  exp,
  Linear,
  permute,
  reshape,
  take,
  where,
  defineComposite,
  defineOp,
  isMaskgradError,
  MaskgradError,
  MLP,
  modelFileFrom,
  modelFileToText,
  registeredOps,
  type ModelFile,
  tensor,
  toOnnx,
  toSafetensors,
} from '../src';
import { readModelFile } from '../src/node';
import * as core from '../src';
import * as nodeExports from '../src/node';
import * as appExports from '../src/app';
import { captureIo } from './support/capture-io';
import { runExport } from '../src/app/cli/export';
import { runPredict } from '../src/app/cli/predict';
import { MODEL_FILE_DEPTH_LIMIT } from '../src/core/model/model-file';
import { modelDescription } from '../src/core/model/onnx';

/** The error `run` throws, which must be a MaskgradError. */
function errorOf(run: () => unknown): MaskgradError {
  try {
    run();
  } catch (e) {
    if (!isMaskgradError(e)) throw e;
    return e;
  }
  throw new Error('expected an error');
}

function smallModel(): ModelFile {
  return modelFileFrom(new MLP([2, 3, 2], { seed: 1 }), {
    features: ['f1', 'f2'],
    labels: ['l1', 'l2'],
    standardization: { mean: [0, 0], std: [1, 1] },
    training: { strategy: 'masked', hide: 0, seed: 1, epochs: 0, data: [] },
  });
}

/** `levels` arrays nested in one another around a 0. */
function nested(levels: number): unknown {
  let deep: unknown = 0;
  for (let i = 0; i < levels; i++) deep = [deep];
  return deep;
}

describe('a model file nested deeper than the limit', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-deep-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is refused by the reader with the path and the limit (64 levels)', () => {
    expect(MODEL_FILE_DEPTH_LIMIT).to.equal(64);
    const text = modelFileToText(smallModel()).replace(
      '"training": {',
      `"training": {\n"notes": ${'['.repeat(5000)}0${']'.repeat(5000)},`,
    );
    expect(text.length).to.be.within(10_000, 14_000);
    const file = join(dir, 'deep.model.json');
    fs.writeFileSync(file, text);
    const e = errorOf(() => readModelFile(file));
    expect(e.code).to.equal('ERR_PARSE');
    expect(e.message).to.match(
      /^readModelFile: training\.notes(\[0\])+.*\.\.\. \(\d+ characters\) nests arrays or objects more than 64 deep \(or contains itself\); expected at most 64 levels/,
    );
    expect(e.message).to.include('(in ');
  });

  it('export refuses it in both formats with one line and exit code 2, writing nothing', async () => {
    const text = modelFileToText(smallModel()).replace(
      '"training": {',
      `"training": {\n"notes": ${'['.repeat(5000)}0${']'.repeat(5000)},`,
    );
    const file = join(dir, 'deep.model.json');
    fs.writeFileSync(file, text);
    for (const format of ['onnx', 'safetensors']) {
      const out = join(dir, `deep.${format}`);
      const io = captureIo();
      expect(runExport(['--model', file, '--format', format, '--output', out], io)).to.equal(2);
      expect(io.stderr).to.match(/^export: training\.notes\[0\].* more than 64 deep/);
      expect(io.stderr.trim().split('\n')).to.have.length(1);
      expect(fs.existsSync(out)).to.equal(false);
    }
    const io = captureIo();
    const input = join(dir, 'in.csv');
    fs.writeFileSync(input, 'f1,f2\n1,2\n');
    expect(await runPredict(['--model', file, '--input', input], io)).to.equal(2);
    expect(io.stderr).to.match(/^predict: training\.notes.* more than 64 deep/);
  });

  it('64 levels are read; 65 are not, whether an array, an object or a cycle', () => {
    const at = (levels: number) => {
      const file = smallModel() as unknown as { training: Record<string, unknown> };
      // The top object and `training` are two levels of the file.
      file.training.notes = nested(levels - 2);
      return file;
    };
    expect(() => checkModelFile(at(64))).not.to.throw();
    const path = 'training.notes' + '[0]'.repeat(62);
    expect(errorOf(() => checkModelFile(at(65))).message).to.equal(
      `checkModelFile: ${path.slice(0, 60)}... (${path.length} characters) nests arrays or objects ` +
        'more than 64 deep (or contains itself); expected at most 64 levels',
    );
    const objects = smallModel() as unknown as { training: Record<string, unknown> };
    let deep: Record<string, unknown> = {};
    objects.training.notes = deep;
    for (let i = 0; i < 100; i++) deep = deep.a = {};
    expect(errorOf(() => checkModelFile(objects)).message).to.match(
      /^checkModelFile: training\.notes\.a\.a.* more than 64 deep/,
    );
    const circular = smallModel() as unknown as { training: Record<string, unknown> };
    circular.training.self = circular.training;
    expect(errorOf(() => checkModelFile(circular)).message).to.match(
      /^checkModelFile: training\.self\.self.* \(or contains itself\)/,
    );
  });

  it('toOnnx, toSafetensors and modelDescription check a file given to them directly', () => {
    const file = smallModel() as unknown as { training: Record<string, unknown> };
    file.training.notes = nested(20_000);
    for (const [name, run] of [
      ['toOnnx', () => toOnnx(file as never)],
      ['toSafetensors', () => toSafetensors(file as never)],
      ['modelDescription', () => modelDescription(file as never)],
    ] as const) {
      const e = errorOf(run);
      expect(e.message).to.match(
        new RegExp(`^${name}: training\\.notes\\[0\\].* more than 64 deep`),
      );
    }
    const e = errorOf(() => toOnnx({} as never));
    expect(e.message).to.equal('toOnnx: the model file has no "format"');
  });

  it('modelFileFrom refuses a training record that contains itself', () => {
    const training: Record<string, unknown> = {
      strategy: 'masked',
      hide: 0,
      seed: 1,
      epochs: 0,
      data: [],
    };
    training.again = training;
    const e = errorOf(() =>
      modelFileFrom(new MLP([2, 2], { seed: 1 }), {
        features: ['a', 'b'],
        labels: ['x', 'y'],
        standardization: { mean: [0, 0], std: [1, 1] },
        training: training as never,
      }),
    );
    expect(e.message).to.match(/^modelFileFrom: training\.again\.again.*contains itself/);
  });
});

describe('a defineOp or defineComposite op called the wrong way', () => {
  let counter = 0;
  const unique = (name: string) => `${name}${++counter}Raw21`;
  const identity = {
    kind: 'other' as const,
    forward([x]: readonly { data: Float64Array; shape: readonly number[] }[]) {
      return { data: x.data.slice(), shape: x.shape.slice() };
    },
    backward(g: Float64Array) {
      return [g.slice()];
    },
    samples: [{ inputs: [[2]] }],
  };

  it('an op taking (inputs, attrs) called with a bare tensor names the op and the call', () => {
    const name = unique('plain');
    const op = defineOp({ name, ...identity });
    const x = tensor([1, 2]);
    const e = errorOf(() => (op as unknown as (x: unknown) => unknown)(x));
    expect(e.message).to.equal(
      `${name}: expected (inputs, attrs) with inputs an array of tensors, got a Tensor of shape [2] (pass [x], not x: ${name}([x], attrs))`,
    );
    expect(errorOf(() => (op as unknown as () => unknown)()).message).to.equal(
      `${name}: expected (inputs, attrs) with inputs an array of tensors, got undefined`,
    );
    expect(op([x], {}).toArray()).to.deep.equal([1, 2]);
    const registered = registeredOps().find((o) => o.name === name)!;
    expect(errorOf(() => registered.run(x as never)).message).to.include(
      `${name}: run expects an array of tensors, got a Tensor of shape [2]`,
    );
  });

  it('an op with args called as (inputs, attrs) names the op and its input', () => {
    const name = unique('withArgs');
    const op = defineOp({ name, ...identity, args: (x: unknown) => [[x as never], {}] });
    const e = errorOf(() => op([tensor([1])]));
    expect(e.message).to.equal(
      `${name} (input 1): expected a Tensor or a number, got [a Tensor of shape [1]]`,
    );
  });

  it('args, methodArgs, forward or compute returning the wrong thing is an ERR_INTERNAL naming the op', () => {
    const badArgs = unique('badArgs');
    const op1 = defineOp({ name: badArgs, ...identity, args: (x: unknown) => x as never });
    const e1 = errorOf(() => op1(tensor([1])));
    expect(e1.code).to.equal('ERR_INTERNAL');
    expect(e1.message).to.equal(
      `${badArgs}: its args must return [inputs, attrs] (an array of tensors and the attributes), got a Tensor of shape [1] (a bug in the op's definition)`,
    );
    const badForward = unique('badForward');
    const op2 = defineOp({ name: badForward, ...identity, forward: () => undefined as never });
    const e2 = errorOf(() => op2([tensor([1])], {}));
    expect(e2.code).to.equal('ERR_INTERNAL');
    expect(e2.message).to.equal(
      `${badForward}: forward must return { data: Float64Array, shape } with data of the shape's size, got undefined (a bug in the op's forward)`,
    );
    const wrongSize = unique('wrongSize');
    const op3 = defineOp({
      name: wrongSize,
      ...identity,
      forward: () => ({ data: new Float64Array(3), shape: [2] }),
    });
    expect(errorOf(() => op3([tensor([1, 2])], {})).code).to.equal('ERR_INTERNAL');
    const badCompute = unique('badCompute');
    const op4 = defineComposite({
      name: badCompute,
      kind: 'other',
      compute: () => 5 as never,
      samples: [{ inputs: [[2]] }],
    });
    const e4 = errorOf(() => op4([tensor([1])], {}));
    expect(e4.message).to.equal(
      `${badCompute}: compute must return a Tensor, got 5 (a bug in the op's definition)`,
    );
    const badMethod = unique('badMethod');
    defineOp({ name: badMethod, ...identity, method: badMethod, methodArgs: () => 1 as never });
    const e5 = errorOf(() =>
      (tensor([1]) as unknown as Record<string, () => unknown>)[badMethod](),
    );
    expect(e5.message).to.equal(
      `${badMethod}: its methodArgs must return the op's arguments as an array, got 1 (a bug in the op's definition)`,
    );
  });
});

describe('other entry points given a missing input or a deeply nested argument', () => {
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  let deep: unknown = [2];
  for (let i = 0; i < 20_000; i++) deep = [deep];

  it('an elementwise op given too few inputs names the op and how many it takes', () => {
    expect(errorOf(() => (add as unknown as (a: unknown) => unknown)(x)).message).to.equal(
      'add: expected 2 inputs (tensors or numbers), got 1',
    );
    expect(
      errorOf(() => (where as unknown as (a: unknown, b: unknown) => unknown)(x, x)).message,
    ).to.equal('where: expected 3 inputs (tensors or numbers), got 2');
    expect(errorOf(() => (exp as unknown as () => unknown)()).message).to.equal(
      'exp: expected 1 input (tensors or numbers), got 0',
    );
  });

  it('reshape, permute, take, Linear and MaskgradError describe a 20,000-deep array instead of overflowing', () => {
    expect(errorOf(() => reshape(x, deep as never)).message).to.equal(
      'reshape: cannot reshape [2,2] (4 elements) into [[[[[...]]]]] (axis 0 is [[[[...]]]]; expected a non-negative integer or -1)',
    );
    expect(errorOf(() => permute(x, deep as never)).message).to.equal(
      'permute: axes [[[[[...]]]]] have 1 entries but the tensor of shape [2,2] has 2 dimensions (expected a permutation of 0..1)',
    );
    expect(errorOf(() => take(x, deep as never)).message).to.match(
      /^take: index \[\[\[\[\.\.\.\]\]\]\] \(position 0\)/,
    );
    expect(errorOf(() => new Linear(deep as never, 2, { seed: 1 })).message).to.equal(
      'Linear: inFeatures must be a positive integer, got [[[[...]]]]',
    );
    expect(new MaskgradError(deep as never).message).to.equal('[[[[...]]]]');
  });
});

/** One call of the probe that did not end in a MaskgradError or a plain return. */
interface Finding {
  label: string;
  what: string;
}

/**
 * Runs spec/support/raw-errors-probe.ts in child processes: one from the first case, and a
 * new one past any call that hangs (no answer in `callLimitMs`) or ends the process.
 */
function runProbe(probe: string, callLimitMs: number, totalLimitMs: number) {
  const cwd = fs.mkdtempSync(join(tmpdir(), 'maskgrad-probe-'));
  const findings: Finding[] = [];
  const outcomes: Record<string, number> = {};
  const labels: string[] = [];
  let total = -1;
  let skipped: string[] = [];
  const deadline = Date.now() + totalLimitMs;
  const runFrom = (from: number) =>
    new Promise<number>((resolve) => {
      const child = spawn(
        process.execPath,
        ['-r', require.resolve('ts-node/register/transpile-only'), probe],
        {
          cwd,
          env: {
            ...process.env,
            TS_NODE_PROJECT: join(__dirname, '..', 'tsconfig.json'),
            MASKGRAD_PROBE_FROM: String(from),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let current = -1;
      let currentLabel = '';
      let finished = false;
      let stderr = '';
      let buffered = '';
      let timer: NodeJS.Timeout;
      const watch = () => {
        clearTimeout(timer);
        timer = setTimeout(
          () => {
            findings.push({
              label: currentLabel || `case ${current}`,
              what: `no answer in ${callLimitMs} ms`,
            });
            child.kill('SIGKILL');
          },
          Math.min(callLimitMs, Math.max(0, deadline - Date.now())),
        );
      };
      watch();
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const text of lines) {
          const line = JSON.parse(text);
          if (line.total !== undefined) {
            total = line.total;
            skipped = line.skipped ?? [];
          } else if (line.done) finished = true;
          else if (line.unhandled) {
            findings.push({
              label: currentLabel,
              what: `an unhandled rejection: ${line.unhandled.name}: ${line.unhandled.message}`,
            });
          } else if (line.start !== undefined) {
            current = line.i;
            currentLabel = line.start;
            labels.push(line.start);
            watch();
          } else {
            outcomes[line.outcome] = (outcomes[line.outcome] ?? 0) + 1;
            if (line.outcome === 'raw') {
              findings.push({ label: currentLabel, what: `${line.name}: ${line.message}` });
            }
          }
        }
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (finished) return resolve(-1);
        const killed = findings.some((f) => f.label === currentLabel);
        if (!killed) {
          findings.push({
            label: currentLabel || 'the probe',
            what: `the process ended (${signal ?? `exit code ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' / ')}`,
          });
        }
        // Go on past the call that ended it, unless the time is up or it never started one.
        resolve(current < 0 || Date.now() >= deadline ? -1 : current + 1);
      });
    });
  return (async () => {
    try {
      for (let from = 0; from >= 0;) from = await runFrom(from);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
    return { total, findings, outcomes, labels, skipped };
  })();
}

describe('every export of maskgrad, maskgrad/node and maskgrad/experiment given hostile arguments', () => {
  it('throws a MaskgradError or returns: never a raw TypeError or RangeError, a hang or a crash', async function () {
    this.timeout(180_000);
    const probe = join(__dirname, 'support', 'raw-errors-probe.ts');
    const { total, findings, outcomes, labels, skipped } = await runProbe(probe, 20_000, 150_000);
    if (findings.length > 0) {
      expect.fail(
        `${findings.length} calls did not end in a MaskgradError or a return:\n` +
          findings.map((f) => `${f.label}: ${f.what}`).join('\n'),
      );
    }
    expect(labels.length, 'every case ran').to.equal(total);
    // Every function and class of the three entry points (read now, so a new export is in),
    // and the functions of their namespaces, was called.
    const called = new Set(labels.map((l) => l.split(' (argument')[0]));
    for (const [module, exports] of [
      ['maskgrad', core],
      ['maskgrad/node', nodeExports],
      ['maskgrad/experiment', appExports],
    ] as const) {
      for (const [name, value] of Object.entries(exports)) {
        if (typeof value === 'function') {
          const seenAs = [...called].some((l) => l.endsWith(` ${name}`));
          expect(seenAs, `${module} ${name} was probed`).to.equal(true);
        }
      }
    }
    for (const name of Object.keys(core.math)) {
      expect(called.has(`maskgrad math.${name}`), `math.${name} was probed`).to.equal(true);
    }
    for (const method of [
      'Tensor.add',
      'Tensor.concat',
      'Module.loadStateDict',
      'Adam.step',
      'Predictor.predict',
      'Random.shuffle',
      'CsvTokenizer.push',
      'Trainer.step',
    ]) {
      expect(called.has(method), `${method} was probed`).to.equal(true);
    }
    // Only private methods (not in the API report) are left out, e.g. CsvTokenizer's split.
    expect(skipped).to.include('CsvTokenizer.split');
    for (const method of skipped) expect(called.has(method), method).to.equal(false);
    expect(total).to.be.greaterThan(2000);
    expect(outcomes.maskgrad).to.be.greaterThan(2000);
  });
});

describe("the probe's harness", () => {
  it('reports a call that hangs and one that ends the process, and runs the cases after them', async function () {
    this.timeout(30_000);
    const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-harness-'));
    const fake = join(dir, 'fake-probe.js');
    fs.writeFileSync(
      fake,
      `const from = Number(process.env.MASKGRAD_PROBE_FROM);
       const say = (o) => require('fs').writeSync(1, JSON.stringify(o) + '\\n');
       say({ total: 4 });
       for (let i = from; i < 4; i++) {
         say({ i, start: 'case ' + i });
         if (i === 1) for (;;);
         if (i === 2) process.exit(3);
         say({ i, outcome: i === 3 ? 'raw' : 'maskgrad', name: 'TypeError', message: 'x' });
       }
       say({ done: true });`,
    );
    try {
      const { total, findings, labels } = await runProbe(fake, 2_000, 20_000);
      expect(total).to.equal(4);
      expect(labels).to.deep.equal(['case 0', 'case 1', 'case 2', 'case 3']);
      expect(findings.map((f) => `${f.label}: ${f.what.replace(/: .*/, '')}`)).to.deep.equal([
        'case 1: no answer in 2000 ms',
        'case 2: the process ended (exit code 3)',
        'case 3: TypeError',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
