// Issue 21, classes 1, 5 and 8 for model files and predict: no NaN or infinite probability is
// written or decided, predict's output promise on errors, stdout write errors, a BOM, duplicate
// keys, dates, and a file named once in a message.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { MaskgradError, withContext } from '../src/core/errors';
import {
  firstDuplicateKey,
  isIsoDate,
  modelFileToText,
  parseModelFile,
} from '../src/core/model/model-file';
import { captureIo } from './support/capture-io';
import { runPredict } from '../src/app/cli/predict';
import { readModelFile } from '../src/node/model-file';
import { trainedYeastModel } from './model-fixture';

const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-model-hardening-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

/**
 * A one-layer model, 2 features (a, b) -> 2 labels (p, q), weights [[1,2],[3,4]]: finite for
 * every ordinary row, NaN for q on the row (1e308, -1e308) (3e308 - 4e308 = Inf - Inf).
 */
function smallModel(edit: (text: string) => string = (t) => t): string {
  return edit(
    JSON.stringify({
      format: 'maskgrad-model',
      version: 1,
      architecture: { sizes: [2, 2], activation: 'relu' },
      features: { names: ['a', 'b'], mean: [0, 0], std: [1, 1] },
      labels: { names: ['p', 'q'], thresholds: [0.5, 0.5] },
      training: {
        strategy: 'masked',
        hide: 0,
        seed: 1,
        epochs: 1,
        data: [],
        maskgradVersion: '0.0.0',
        date: '2026-12-08T01:00:00.000Z',
      },
      weights: {
        'layers.0.weight': { shape: [2, 2], data: [1, 2, 3, 4] },
        'layers.0.bias': { shape: [2], data: [0, 0] },
      },
    }),
  );
}

/** A CSV of `n` rows `i,1`, with `bad` (1-based) replaced by `badLine`. */
function rowsCsv(n: number, bad: number, badLine: string): string {
  const lines = ['a,b'];
  for (let i = 1; i <= n; i++) lines.push(i === bad ? badLine : `${i % 7},1`);
  return lines.join('\n') + '\n';
}

describe('model files: read-time checks (issue 21, classes 1 and 8)', () => {
  it('a leading byte order mark is accepted: the same model as without it', () => {
    const text = modelFileToText(trainedYeastModel().file);
    const withBom = write('bom.model.json', '\ufeff' + text);
    expect(readModelFile(withBom)).to.deep.equal(JSON.parse(text));
    // Only a leading one: a BOM elsewhere is invalid JSON, and the message says where it is.
    const at = (bad: string) => {
      try {
        parseModelFile(bad);
      } catch (e) {
        expect(e).to.be.instanceOf(MaskgradError);
        return (e as Error).message;
      }
      return expect.fail('accepted');
    };
    for (const [bad, where] of [
      ['\ufeff\ufeff' + text, 2],
      [text.replace('{', '{\ufeff'), 2],
      [text.replace(',', ',\ufeff'), text.indexOf(',') + 2],
    ] as const) {
      const message = at(bad);
      expect(message).to.match(/^readModelFile: not valid JSON \(truncated or edited\?\): /);
      expect(message).to.match(
        new RegExp(
          `\\(a byte order mark, U\\+FEFF, at character ${where}; one is allowed only at the very start\\)$`,
        ),
      );
      expect(message).to.not.include('\ufeff');
      expect(message).to.not.include('\n');
    }
    // Another JSON error: one line (JSON.parse quotes the text with its line breaks), no note.
    const cut = at(text.slice(0, 200));
    expect(cut).to.not.include('\n');
    expect(cut).to.not.include('byte order mark');
  });

  it('the duplicate-key scan finds no duplicates in keys of different objects, strings or arrays', () => {
    expect(firstDuplicateKey(modelFileToText(trainedYeastModel().file))).to.equal(null);
    const text = JSON.stringify({
      a: [{ k: 1 }, { k: 2 }, [{ k: '{"k":1,"k":2}' }]],
      b: { a: { a: { b: 'a\\"b, {' } } },
      'x"y': { 'x"y': 1, '': 2, '\\': [] },
    });
    expect(firstDuplicateKey(text)).to.equal(null);
  });

  it('the duplicate-key scan names the key (unescaped) and the path of its object', () => {
    expect(firstDuplicateKey('{"a":[1,{"b":{"c":1,"c":2}}]}')).to.deep.equal({
      path: 'a[1].b',
      key: 'c',
    });
    expect(firstDuplicateKey('{"w":{"x.y":{"d":[],"\\u0064":[]}}}')).to.deep.equal({
      path: 'w["x.y"]',
      key: 'd',
    });
    expect(firstDuplicateKey('{"a":1 , "a" :2}')).to.deep.equal({
      path: 'the model file',
      key: 'a',
    });
    // 100,000 levels deep: no recursion, no stack overflow.
    const deep = '['.repeat(100000) + '{"k":1,"k":2}' + ']'.repeat(100000);
    expect(firstDuplicateKey(deep)?.key).to.equal('k');
  });

  it('training.date must be an ISO 8601 date naming a real day and time', () => {
    for (const ok of [
      '2026-12-08T01:00:00.000Z',
      '2026-12-08',
      '2024-02-29T23:59:59Z',
      '2026-12-08T01:00+02:00',
      '2026-12-08T01:00:00.123456789-05:30',
    ]) {
      expect(isIsoDate(ok), ok).to.equal(true);
    }
    for (const bad of [
      'not a date',
      '',
      '2026-12-08 01:00:00',
      '2025-02-29',
      '2026-13-01',
      '2026-12-08T24:00:00Z',
      '2026-12-08T01:60Z',
      '08/12/2026',
      'Tue Dec 08 2026',
      12345,
      null,
    ]) {
      expect(isIsoDate(bad), String(bad)).to.equal(false);
    }
  });

  it('the smallest normal std is accepted, the largest subnormal refused', () => {
    const std = (v: string) => () =>
      parseModelFile(smallModel((t) => t.replace('"std":[1,1]', `"std":[${v},1]`)));
    expect(std('2.2250738585072014e-308')).to.not.throw();
    expect(std('2.225073858507201e-308')).to.throw(
      'features.std[0] is 2.225073858507201e-308; expected a normal number > 0',
    );
  });

  it('weights that overflow only through a relu chain are refused; tanh bounds them', () => {
    // Each of two layers alone is finite with inputs in [-1, 1], but relu passes the first
    // layer's 1e200 on, and 1e200 x 1e200 overflows in the second.
    const twoLayers = (activation: string) =>
      JSON.stringify({
        ...JSON.parse(smallModel()),
        architecture: { sizes: [2, 1, 2], activation },
        weights: {
          'layers.0.weight': { shape: [1, 2], data: [1e200, 0] },
          'layers.0.bias': { shape: [1], data: [0] },
          'layers.1.weight': { shape: [2, 1], data: [1e200, 1] },
          'layers.1.bias': { shape: [2], data: [0, 0] },
        },
      });
    expect(() => parseModelFile(twoLayers('relu'))).to.throw(
      'readModelFile: weights["layers.1.weight"] row 0 overflows: with inputs within one standard deviation of the training mean its output can reach Infinity (sum of |weight| x 1e+200 + |bias|)',
    );
    expect(() => parseModelFile(twoLayers('tanh'))).to.not.throw();
  });

  it('a file is named once in a message, even when a reader inside a reader adds it too', async () => {
    const arff = write(
      'dup.arff',
      '@relation r\n@attribute a numeric\n@attribute a numeric\n@attribute p {0,1}\n@data\n1,2,0\n',
    );
    const io = captureIo();
    expect(
      await runPredict(['--model', write('m.json', smallModel()), '--input', arff], io),
    ).to.equal(2);
    expect(io.stderr.split(`(in ${arff})`)).to.have.length(2);
    expect(io.stderr).to.match(/^predict: .*declared twice.*\(in .*dup\.arff\)\n$/);
  });

  it('withContext adds a suffix once, and another suffix after it', () => {
    const once = withContext(new MaskgradError('bad', { code: 'ERR_PARSE' }), '(in a)');
    expect(withContext(once, '(in a)')).to.equal(once);
    const both = withContext(once, '(in b)') as MaskgradError;
    expect(both.message).to.equal('bad (in a) (in b)');
    expect(both.code).to.equal('ERR_PARSE');
    expect(withContext(both, '(in a)')).to.equal(both);
    // A new error that merely mentions the text is not mistaken for a wrapped one.
    expect(withContext(new Error('bad (in a)'), '(in a)').message).to.equal('bad (in a) (in a)');
  });
});

describe('predict: no NaN or infinite probability written or decided (issue 21, class 1)', () => {
  const NAN_ROW = '1e308,-1e308';

  it('refuses a model with std 5e-324 or weights of ±1e308 before reading any row', async () => {
    const input = write('ok.csv', 'a,b\n1,2\n');
    for (const [edit, words] of [
      [(t: string) => t.replace('"std":[1,1]', '"std":[5e-324,1]'), 'features.std[0] is 5e-324'],
      [
        (t: string) => t.replace('"data":[1,2,3,4]', '"data":[1e308,-1e308,3,4]'),
        'weights["layers.0.weight"] row 0 overflows',
      ],
    ] as const) {
      const model = write('extreme.model.json', smallModel(edit));
      const io = captureIo();
      expect(await runPredict(['--model', model, '--input', input, '--decisions'], io)).to.equal(2);
      expect(io.stdout).to.equal('');
      expect(io.stderr).to.include(words);
      expect(io.stderr.trim().split('\n')).to.have.length(1);
    }
  });

  it('with --output: a NaN row is an error naming it, exit 2, the file untouched', async () => {
    const model = write('small.model.json', smallModel());
    const input = write('nan.csv', rowsCsv(10, 7, NAN_ROW));
    const out = write('out.csv', 'keep me');
    for (const flags of [[], ['--decisions']]) {
      const io = captureIo();
      const code = await runPredict(
        ['--model', model, '--input', input, '--output', out, ...flags],
        io,
      );
      expect(code).to.equal(2);
      expect(io.stderr).to.equal(
        'predict: row 7 gives a probability of NaN for "q": the row\'s features overflow the model\'s numbers (a feature far from the training mean, or extreme weights); no probability or decision is made for it\n',
      );
      expect(fs.readFileSync(out, 'utf8')).to.equal('keep me');
      expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).to.deep.equal([]);
    }
  });

  it('to stdout: rows of earlier batches stay, none of the bad batch, and stderr says how many', async () => {
    const model = write('small.model.json', smallModel());
    // Batches of 4096 rows: the bad row 5000 is in the second, so the first 4096 are out.
    for (const [name, badLine, words] of [
      ['nan-late.csv', NAN_ROW, 'row 5000 gives a probability of NaN'],
      ['extra-field.csv', '1,2,3', 'line 5001'],
    ] as const) {
      const input = write(name, rowsCsv(6000, 5000, badLine));
      const io = captureIo();
      expect(await runPredict(['--model', model, '--input', input, '--decisions'], io)).to.equal(2);
      const lines = io.stdout.trim().split('\n');
      expect(lines[0]).to.equal('p,q');
      expect(lines.length - 1).to.equal(4096);
      expect(lines.slice(1).every((l) => l === '0,1' || l === '1,1')).to.equal(true);
      const err = io.stderr.trim().split('\n');
      expect(err).to.have.length(2);
      expect(err[0]).to.include(words);
      expect(err[1]).to.equal(
        'predict: 4096 rows were already written to standard output before the error (incomplete; use --output FILE to get all rows or nothing)',
      );
    }
  });

  it('--help says what an error leaves behind on stdout and with --output', async () => {
    const io = captureIo();
    expect(await runPredict(['--help'], io)).to.equal(0);
    const help = io.stdout.replace(/\s+/g, ' ');
    expect(help).to.include('a row whose probability would be NaN or infinite');
    expect(help).to.include('With --output, nothing is written then');
    expect(help).to.include(
      'the batches printed before the error stay (stderr says how many rows)',
    );
    expect(help).to.include('A write error on stdout (a full disk) is exit code 2');
    expect(help).to.not.include('with nothing written');
  });
});

describe('predict: a write error on standard output (issue 21, class 5)', () => {
  it('> /dev/full is one line on stderr and exit code 2, no stack trace', function () {
    if (!fs.existsSync('/dev/full')) this.skip();
    this.timeout(60000);
    const model = write('small.model.json', smallModel());
    const input = write('many.csv', rowsCsv(20000, 0, ''));
    const full = fs.openSync('/dev/full', 'w');
    try {
      const run = spawnSync(
        process.execPath,
        [
          '-r',
          'ts-node/register/transpile-only',
          'src/app/cli/main.ts',
          'predict',
          '--model',
          model,
          '--input',
          input,
        ],
        { cwd: join(__dirname, '..'), stdio: ['ignore', full, 'pipe'], encoding: 'utf8' },
      );
      expect(run.stderr).to.equal(
        'predict: cannot write to standard output (ENOSPC: no space left on device, write); the output is incomplete\n',
      );
      expect(run.status).to.equal(2);
    } finally {
      fs.closeSync(full);
    }
  });
});
