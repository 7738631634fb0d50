// Issue 21, class 4: text from a file (a header, a cell, a name, a path) never reaches the
// terminal raw. Every message that echoes it shows its control characters escaped.
import { expect } from 'chai';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  checkModelFile,
  MaskgradError,
  MLP,
  modelFileFrom,
  modelFileToText,
  parseArff,
  parseCsv,
} from '../src';
import { escapeControls, excerpt, quoteExcerpt, describeValue } from '../src/core/describe-value';
import { captureIo } from './support/capture-io';
import { runPredict } from '../src/app/cli/predict';
import { runTrain } from '../src/app/cli/train';
import { main } from '../src/app/cli/main';
import { readModelFile, readRowsForModel } from '../src/node';

/** Clears the screen, sets the window title (OSC ... BEL). */
const HOSTILE = '\x1b[2J\x1b]0;title\x07';
const SHOWN = '\\x1b[2J\\x1b]0;title\\x07';
/** Any character that drives or reorders a terminal. */
const RAW =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** The message of what `run` throws (it must throw a MaskgradError). */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).to.be.instanceOf(MaskgradError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

/** `text` holds no raw control character, and shows `shown` (the escaped input). */
function expectEscaped(text: string, shown = SHOWN) {
  expect(text).not.to.match(RAW);
  expect(text).to.include(shown);
}

let dir: string;
before(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-escapes-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A 2-feature, 2-label model whose first feature is named `feature`. */
function modelWith(feature: string) {
  return modelFileFrom(new MLP([2, 3, 2], { seed: 1 }), {
    features: [feature, 'f2'],
    labels: ['l1', 'l2'],
    standardization: { mean: [0, 0], std: [1, 1] },
    training: { strategy: 'masked', hide: 0, seed: 1, epochs: 0, data: [] },
  });
}

function writeModel(feature: string): string {
  const file = join(dir, `m${Math.random().toString(36).slice(2)}.model.json`);
  fs.writeFileSync(file, modelFileToText(modelWith(feature)));
  return file;
}

describe('escapeControls and the helpers that echo input', () => {
  it('escapes C0, DEL, C1, bidi and format characters, and nothing else', () => {
    expect(escapeControls(HOSTILE)).to.equal(SHOWN);
    expect(escapeControls('a\tb\nc\rd\x00\x7f\x85\x9b')).to.equal(
      'a\\tb\\nc\\rd\\x00\\x7f\\x85\\x9b',
    );
    expect(escapeControls('abc\u202edcba\u2066x\u2069\u200f\u061c\u2028')).to.equal(
      'abc\\u202edcba\\u2066x\\u2069\\u200f\\u061c\\u2028',
    );
    expect(escapeControls('café, 日本, \u{1F600}, "q" \\')).to.equal(
      'café, 日本, \u{1F600}, "q" \\',
    );
  });

  it('quoteExcerpt, excerpt and describeValue escape what they echo, long or short', () => {
    expect(quoteExcerpt(HOSTILE)).to.equal(`"${SHOWN}"`);
    expect(excerpt(HOSTILE)).to.equal(SHOWN);
    expect(describeValue(HOSTILE)).to.equal(`"${SHOWN}"`);
    expect(describeValue('x\u202e"\\')).to.equal('"x\\u202e\\"\\\\"');
    const long = HOSTILE + 'x'.repeat(100);
    expectEscaped(quoteExcerpt(long));
    expectEscaped(excerpt(long));
    expectEscaped(describeValue(long));
  });

  it('a MaskgradError escapes any control its message was given, keeping its own lines', () => {
    const e = new MaskgradError(`bad ${HOSTILE}\nsecond line \u202e`);
    expect(e.message).to.equal(`bad ${SHOWN}\nsecond line \\u202e`);
  });
});

describe('messages that echo a hostile header, cell, name or path', () => {
  it("predict's note on extra columns", async () => {
    const model = writeModel('f1');
    const input = join(dir, 'extra.csv');
    fs.writeFileSync(input, `f1,f2,${HOSTILE}\n1,2,3\n`);
    const io = captureIo();
    expect(await runPredict(['--model', model, '--input', input], io)).to.equal(0);
    expect(io.stderr).to.equal(
      `predict: note: ignoring the columns "${SHOWN}" (not in the model)\n`,
    );
  });

  it("predict's error on a feature value, naming the column and the cell", async () => {
    const model = writeModel(`f${HOSTILE}`);
    const input = join(dir, 'value.csv');
    fs.writeFileSync(input, `"f${HOSTILE}",f2\n"1${HOSTILE}",2\n`);
    const io = captureIo();
    expect(await runPredict(['--model', model, '--input', input], io)).to.equal(2);
    expect(io.stderr.split('\n')).to.have.length(2);
    expectEscaped(io.stderr.slice(0, -1), `f${SHOWN}`);
    expectEscaped(io.stderr.slice(0, -1), `1${SHOWN}`);
  });

  it("predict's error on a missing feature column and on an input path", async () => {
    const model = writeModel(`f${HOSTILE}`);
    const input = join(dir, 'missing.csv');
    fs.writeFileSync(input, 'f2\n1\n');
    const io = captureIo();
    expect(await runPredict(['--model', model, '--input', input], io)).to.equal(2);
    expectEscaped(io.stderr.slice(0, -1), `f${SHOWN}`);
    const io2 = captureIo();
    const path = join(dir, `no${HOSTILE}.csv`);
    expect(await runPredict(['--model', model, '--input', path], io2)).to.equal(2);
    expectEscaped(io2.stderr.slice(0, -1), `no${SHOWN}.csv`);
  });

  it("train's error on a feature value of a hostile CSV", async () => {
    const train = join(dir, 'train.csv');
    const test = join(dir, 'test.csv');
    fs.writeFileSync(train, `"${HOSTILE}",f2,l1\n1,2,1\n"x${HOSTILE}",2,0\n`);
    fs.writeFileSync(test, `"${HOSTILE}",f2,l1\n1,2,1\n`);
    const io = captureIo();
    const code = await runTrain(['--train', train, '--test', test, '--labels', '1'], io);
    expect(code).to.equal(2);
    expect(io.stderr.split('\n')).to.have.length(2);
    expectEscaped(io.stderr.slice(0, -1), `x${SHOWN}`);
  });

  it('parseCsv, on a header and on a cell', () => {
    const header = messageOf(() => parseCsv(`a,"${HOSTILE}",a,l\n1,2,3,1\n`, { labels: 1 }));
    expect(header).not.to.match(RAW);
    const cell = messageOf(() => parseCsv(`"${HOSTILE}",l\n"2${HOSTILE}",1\n`, { labels: 1 }));
    expectEscaped(cell, `2${SHOWN}`);
    const label = messageOf(() => parseCsv(`a,l\n1,"${HOSTILE}"\n`, { labels: 1 }));
    expectEscaped(label);
    const names = messageOf(() => parseCsv(`a,l\n1,1\n`, { labels: [`l${HOSTILE}`] }));
    expectEscaped(names, `l${SHOWN}`);
  });

  it('parseArff, on an attribute name, a value and a header line', () => {
    const value = messageOf(() =>
      parseArff(
        `@relation r\n@attribute 'a${HOSTILE}' numeric\n@attribute l {0,1}\n@data\n'x${HOSTILE}',1\n`,
        { labels: 1 },
      ),
    );
    expectEscaped(value, `x${SHOWN}`);
    const line = messageOf(() =>
      parseArff(`@relation r\n@bogus${HOSTILE} x\n@data\n`, { labels: 1 }),
    );
    expectEscaped(line, `@bogus${SHOWN}`);
  });

  it('readRowsForModel, on a feature value, a header and a path', async () => {
    const model = modelWith(`f${HOSTILE}`);
    const input = join(dir, 'rows.csv');
    fs.writeFileSync(input, `"f${HOSTILE}",f2\n1,"${HOSTILE}"\n`);
    const drain = async (file: string) => {
      try {
        for await (const _ of readRowsForModel(file, model)) void _;
      } catch (e) {
        expect(e).to.be.instanceOf(MaskgradError);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expectEscaped(await drain(input));
    const arff = join(dir, 'rows.arff');
    fs.writeFileSync(
      arff,
      `@relation r\n@attribute 'f${HOSTILE}' numeric\n@attribute f2 numeric\n@data\n?,1\n`,
    );
    expectEscaped(await drain(arff), `f${SHOWN}`);
    expectEscaped(await drain(join(dir, `none${HOSTILE}.csv`)), `none${SHOWN}`);
    expectEscaped(await drain(join(dir, `x${HOSTILE}.txt`)), `x${SHOWN}.txt`);
  });

  it('the model file reader, on a field name, a repeated name and a file name', () => {
    const file = JSON.parse(modelFileToText(modelWith('f1'))) as Record<string, unknown>;
    (file.features as Record<string, unknown>)[`x${HOSTILE}`] = 1;
    expectEscaped(
      messageOf(() => checkModelFile(file)),
      `x${SHOWN}`,
    );
    const twice = JSON.parse(modelFileToText(modelWith('f1'))) as {
      labels: { names: string[] };
    };
    twice.labels.names = [HOSTILE, HOSTILE];
    expectEscaped(messageOf(() => checkModelFile(twice)));
    const both = JSON.parse(modelFileToText(modelWith(HOSTILE))) as {
      labels: { names: string[] };
    };
    both.labels.names = [HOSTILE, 'l2'];
    expectEscaped(messageOf(() => checkModelFile(both)));
    const path = join(dir, `bad${HOSTILE}.model.json`);
    fs.writeFileSync(path, '{');
    expectEscaped(
      messageOf(() => readModelFile(path)),
      `bad${SHOWN}`,
    );
    expectEscaped(
      messageOf(() => readModelFile(join(dir, `gone${HOSTILE}.json`))),
      `gone${SHOWN}`,
    );
  });

  it('the command line, on an unknown command and an unknown flag', async () => {
    const io = captureIo();
    expect(await main([`x${HOSTILE}`], io)).to.equal(2);
    expectEscaped(io.stderr.slice(0, -1), `x${SHOWN}`);
    const io2 = captureIo();
    expect(await runPredict([`--x${HOSTILE}`], io2)).to.equal(2);
    expectEscaped(io2.stderr.slice(0, -1));
  });
});

describe("train's report on a hostile file name and seed", () => {
  it('shows the paths, the seed and the saved file escaped on stdout and stderr', async () => {
    const sub = join(dir, `d${HOSTILE}`);
    fs.mkdirSync(sub);
    const rows = (n: number, seed: number) =>
      Array.from({ length: n }, (_, i) => {
        const a = Math.sin(i * 12.9898 + seed);
        const b = Math.cos(i * 78.233 + seed);
        return `${a.toFixed(3)},${b.toFixed(3)},${a > 0 ? 1 : 0},${b > 0 ? 1 : 0}`;
      }).join('\n');
    const train = join(sub, 'train.csv');
    const test = join(sub, 'test.csv');
    fs.writeFileSync(train, `f1,f2,l1,l2\n${rows(60, 1)}\n`);
    fs.writeFileSync(test, `f1,f2,l1,l2\n${rows(20, 2)}\n`);
    const save = join(sub, 'm.model.json');
    const io = captureIo();
    const argv = ['--train', train, '--test', test, '--labels', '2', '--strategy', 'masked'];
    const code = await runTrain([...argv, '--seed', `s${HOSTILE}`, '--save', save], io);
    expect(code, io.stderr).to.equal(0);
    expect(io.stdout + io.stderr).not.to.match(RAW);
    expect(io.stdout).to.include(`d${SHOWN}`);
    expect(io.stdout).to.include(`seeds s${SHOWN}`);
    expect(io.stdout).to.include(`to ${dir}/d${SHOWN}/m.model.json`);
  });
});
