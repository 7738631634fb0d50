import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  alignDataset,
  isMaskgradError,
  matchColumns,
  MaskgradError,
  type ModelFile,
  modelFileToText,
  parseModelFile,
  Predictor,
} from '../src';
import {
  checkWritable,
  namespaceTag,
  removeStaleTemporaries,
  writeFileAtomic,
} from '../src/node/atomic-write';
import { trainedYeastModel, YEAST_TEST } from './model-fixture';
import { loadDataset, readModelFile, readRowsForModel, writeModelFile } from '../src/node';

const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-model-'));
  made.push(dir);
  return dir;
}

function expectParseError(fn: () => unknown, ...words: string[]): void {
  try {
    fn();
  } catch (e) {
    expect(isMaskgradError(e, 'ERR_PARSE'), String(e)).to.equal(true);
    for (const w of words) expect((e as Error).message).to.include(w);
    return;
  }
  expect.fail('expected an ERR_PARSE error');
}

/** A deep copy of the model file with `edit` applied. */
function edited(file: ModelFile, edit: (f: ModelFile) => void): string {
  const copy = JSON.parse(modelFileToText(file)) as ModelFile;
  edit(copy);
  return JSON.stringify(copy);
}

/** The rows of a data set as CSV text with the columns in `order`. */
function csvText(
  data: { x: { data: Float64Array; shape: number[] }; featureNames: string[] },
  labels: { y: Float64Array; mask: Float64Array; names: string[] },
  order: string[],
): string {
  const [N, D] = data.x.shape;
  const L = labels.names.length;
  const lines = [order.join(',')];
  for (let r = 0; r < N; r++) {
    const cells = order.map((name) => {
      const j = data.featureNames.indexOf(name);
      if (j >= 0) return String(data.x.data[r * D + j]);
      const k = labels.names.indexOf(name);
      if (k >= 0) return labels.mask[r * L + k] ? String(labels.y[r * L + k]) : '?';
      return `id${r}`;
    });
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

async function predictFile(file: ModelFile, input: string): Promise<Float64Array> {
  const predictor = new Predictor(file);
  const parts: number[] = [];
  for await (const batch of readRowsForModel(input, file, { batchRows: 100 })) {
    parts.push(...predictor.predict(batch.x, batch.rows));
  }
  return Float64Array.from(parts);
}

describe('model file', () => {
  const { file, test, testProbs } = trainedYeastModel();

  it('round-trips every float bit for bit, -0 included', () => {
    const copy = JSON.parse(modelFileToText(file)) as ModelFile;
    copy.weights['layers.0.bias'].data[0] = -0;
    copy.weights['layers.0.bias'].data[1] = 5e-324;
    copy.weights['layers.0.bias'].data[2] = 0.1 + 0.2;
    copy.features.mean[0] = -1.7976931348623157e308;
    const back = parseModelFile(modelFileToText(copy));
    for (const [name, w] of Object.entries(copy.weights)) {
      const got = back.weights[name].data;
      expect(got.length).to.equal(w.data.length);
      w.data.forEach((v, i) => expect(Object.is(got[i], v), `${name}[${i}]`).to.equal(true));
    }
    copy.features.mean.forEach((v, i) =>
      expect(Object.is(back.features.mean[i], v)).to.equal(true),
    );
    expect(back).to.deep.equal(copy);
  });

  it('holds the fields of version 1', () => {
    const parsed = JSON.parse(modelFileToText(file));
    expect(Object.keys(parsed)).to.deep.equal([
      'format',
      'version',
      'architecture',
      'features',
      'labels',
      'training',
      'weights',
    ]);
    expect(parsed.format).to.equal('maskgrad-model');
    expect(parsed.version).to.equal(1);
    expect(parsed.architecture).to.deep.equal({ sizes: [103, 16, 14], activation: 'relu' });
    expect(parsed.labels.thresholds).to.deep.equal(new Array(14).fill(0.5));
    expect(parsed.training.data[0].file).to.equal('yeast-train.arff');
    expect(parsed.training.data[0].sha256).to.match(/^[0-9a-f]{64}$/);
    expect(parsed.training.maskgradVersion).to.equal(
      JSON.parse(fs.readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version,
    );
  });

  it('predicts from raw rows exactly what training computed on standardized rows', () => {
    const p = new Predictor(readModelFileFromText(file)).predict(test.x.data, test.x.shape[0]);
    expect(Array.from(p)).to.deep.equal(Array.from(testProbs.data));
  });

  it('rejects another format or version, naming what is wrong', () => {
    expectParseError(
      () => parseModelFile(edited(file, (f) => ((f as { format: string }).format = 'onnx'))),
      'format',
      'maskgrad-model',
    );
    expectParseError(
      () => parseModelFile(edited(file, (f) => ((f as { version: number }).version = 2))),
      'version 2',
    );
    expectParseError(() => parseModelFile('{"format": "maskgrad-model", "vers'), 'not valid JSON');
  });

  it('rejects edited weights: NaN, a wrong shape, a missing or unknown tensor', () => {
    const nan = modelFileToText(file).replace(
      /("layers\.1\.bias": \{\s*"shape": \[14\],\s*"data": \[)[^,]+/,
      '$1NaN',
    );
    expect(() => JSON.parse(nan)).to.throw();
    expectParseError(() => parseModelFile(nan), 'not valid JSON');
    expectParseError(
      () =>
        parseModelFile(edited(file, (f) => (f.weights['layers.1.bias'].data[3] = null as never))),
      'weights["layers.1.bias"].data[3]',
      'finite',
    );
    expectParseError(
      () => parseModelFile(edited(file, (f) => (f.weights['layers.0.weight'].shape = [103, 16]))),
      'weights["layers.0.weight"].shape',
      '[16,103]',
    );
    expectParseError(
      () => parseModelFile(edited(file, (f) => f.weights['layers.1.bias'].data.pop())),
      'weights["layers.1.bias"].data has 13 values; expected 14',
    );
    expectParseError(
      () =>
        parseModelFile(
          edited(file, (f) => delete (f.weights as Record<string, unknown>)['layers.1.bias']),
        ),
      'weights has no "layers.1.bias"',
    );
    expectParseError(
      () => parseModelFile(edited(file, (f) => (f.architecture.sizes = [103, 32, 14]))),
      'weights["layers.0.weight"].shape',
    );
  });

  it('rejects bad names, statistics and thresholds', () => {
    expectParseError(
      () => parseModelFile(edited(file, (f) => (f.features.names[5] = 'Att1'))),
      'features.names lists "Att1" twice',
    );
    expectParseError(
      () => parseModelFile(edited(file, (f) => f.labels.names.pop())),
      'labels.names has 13 names; expected 14',
    );
    expectParseError(
      () => parseModelFile(edited(file, (f) => (f.features.std[2] = 0))),
      'features.std[2] is 0',
    );
    expectParseError(
      () => parseModelFile(edited(file, (f) => (f.labels.thresholds[0] = 1.5))),
      'labels.thresholds[0]',
    );
    expectParseError(
      () => parseModelFile(edited(file, (f) => (f.architecture.activation = 'gelu' as never))),
      'architecture.activation',
    );
  });

  it('names the file in a read error', () => {
    const dir = tempDir();
    const path = join(dir, 'm.json');
    fs.writeFileSync(
      path,
      edited(file, (f) => ((f as { version: number }).version = 3)),
    );
    expectParseError(() => readModelFile(path), 'version 3', path);
    expect(() => readModelFile(join(dir, 'absent.json'))).to.throw(MaskgradError, 'cannot read');
  });
});

function readModelFileFromText(file: ModelFile): ModelFile {
  return parseModelFile(modelFileToText(file));
}

describe('writing a model file atomically', () => {
  const { file } = trainedYeastModel();

  it('writes a file that reads back equal, and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'a model with a long name.model.json');
    writeModelFile(path, file);
    expect(readModelFile(path)).to.deep.equal(file);
    expect(fs.readdirSync(dir)).to.deep.equal(['a model with a long name.model.json']);
  });

  it('keeps the old file when the writer dies before the rename, and cleans up after it', () => {
    const dir = tempDir();
    const target = join(dir, 'model.json');
    fs.writeFileSync(target, 'old');
    // A child process writes, then is killed (SIGKILL) between the flush and the rename.
    const script =
      "const { writeFileAtomic } = require('./src/node/atomic-write');" +
      `writeFileAtomic(${JSON.stringify(target)}, 'new'.repeat(100000), 'w', ` +
      "{ afterWrite: () => process.kill(process.pid, 'SIGKILL') });";
    const child = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', script],
      {
        cwd: join(__dirname, '..'),
      },
    );
    expect(child.signal).to.equal('SIGKILL');
    expect(fs.readFileSync(target, 'utf8')).to.equal('old');
    const left = fs.readdirSync(dir).filter((n) => n !== 'model.json');
    expect(left).to.have.length(1);
    expect(left[0]).to.match(new RegExp(`^\\.mg\\d+-${namespaceTag()}-[0-9a-f]{8}\\.tmp$`));
    expect(fs.statSync(join(dir, left[0])).size).to.equal(300000);
    writeFileAtomic(target, 'new');
    expect(fs.readFileSync(target, 'utf8')).to.equal('new');
    expect(fs.readdirSync(dir)).to.deep.equal(['model.json']);
  });

  it('removes only the temporary files of processes of this PID namespace that are gone', () => {
    const dir = tempDir();
    const mine = `.mg${process.pid}-${namespaceTag()}-abcd1234.tmp`;
    const gone = `.mg999999999-${namespaceTag()}-abcd1234.tmp`;
    fs.writeFileSync(join(dir, mine), '');
    fs.writeFileSync(join(dir, gone), '');
    fs.writeFileSync(join(dir, 'notes.tmp'), '');
    expect(removeStaleTemporaries(dir)).to.deep.equal([gone]);
    expect(fs.readdirSync(dir).sort()).to.deep.equal([mine, 'notes.tmp'].sort());
  });

  it('checkWritable fails early for a missing folder or a folder as target, and writes nothing', () => {
    const dir = tempDir();
    expect(() => checkWritable(join(dir, 'no', 'such', 'folder', 'm.json'))).to.throw(
      MaskgradError,
      'cannot write',
    );
    expect(() => checkWritable(dir)).to.throw(MaskgradError, 'is a folder');
    checkWritable(join(dir, 'm.json'));
    expect(fs.readdirSync(dir)).to.deep.equal([]);
    try {
      writeModelFile(join(dir, 'missing', 'm.json'), file);
      expect.fail('expected an error');
    } catch (e) {
      expect(isMaskgradError(e, 'ERR_IO')).to.equal(true);
    }
  });
});

describe('columns matched by name', () => {
  const { file, test, testProbs } = trainedYeastModel();
  const labels = { y: test.y.data, mask: test.mask.data, names: test.labelNames };

  it('gives the same predictions for columns in another order, with extra columns', async () => {
    const dir = tempDir();
    const inOrder = join(dir, 'in-order.csv');
    const shuffled = join(dir, 'shuffled.csv');
    const names = [...test.featureNames, ...test.labelNames];
    fs.writeFileSync(inOrder, csvText(test, labels, names));
    const other = ['id', ...names.slice().reverse()];
    fs.writeFileSync(shuffled, csvText(test, labels, other));
    let extra: string[] = [];
    const a = await predictFile(file, inOrder);
    const b = await predictFile(file, shuffled);
    for await (const _ of readRowsForModel(shuffled, file, {
      onColumns: (m) => (extra = m.extra),
    })) {
      break;
    }
    expect(extra).to.deep.equal(['id']);
    expect(Array.from(a)).to.deep.equal(Array.from(testProbs.data));
    expect(Array.from(b)).to.deep.equal(Array.from(testProbs.data));
  });

  it('reads the label columns by the model label names, in any order', async () => {
    const dir = tempDir();
    const path = join(dir, 'shuffled.csv');
    const names = [...test.labelNames.slice().reverse(), ...test.featureNames];
    fs.writeFileSync(path, csvText(test, labels, names));
    const ys: number[] = [];
    const masks: number[] = [];
    for await (const batch of readRowsForModel(path, file)) {
      ys.push(...batch.y!);
      masks.push(...batch.mask!);
    }
    expect(ys).to.deep.equal(Array.from(test.y.data));
    expect(masks).to.deep.equal(Array.from(test.mask.data));
  });

  it('names a missing feature column', async () => {
    const dir = tempDir();
    const path = join(dir, 'missing.csv');
    const names = [...test.featureNames.filter((n) => n !== 'Att7'), ...test.labelNames];
    fs.writeFileSync(path, csvText(test, labels, names));
    try {
      for await (const _ of readRowsForModel(path, file)) break;
      expect.fail('expected an error');
    } catch (e) {
      expect(isMaskgradError(e, 'ERR_PARSE')).to.equal(true);
      expect((e as Error).message)
        .to.include('no column "Att7"')
        .and.include(path);
    }
    expect(() =>
      matchColumns(['a', 'b'], { features: { names: ['b', 'c', 'd'] }, labels: { names: [] } }),
    ).to.throw('no column "c" and "d": features the model needs');
  });

  it('alignDataset reorders a data set read with the label names to the model', () => {
    const dir = tempDir();
    const path = join(dir, 'shuffled.csv');
    const names = ['id', ...test.labelNames, ...test.featureNames.slice().reverse()];
    fs.writeFileSync(path, csvText(test, labels, names).replace(/id\d+/g, '1'));
    const loaded = loadDataset(path, { labels: file.labels.names });
    const { data, extra } = alignDataset(loaded, file);
    expect(extra).to.deep.equal(['id']);
    expect(Array.from(data.x.data)).to.deep.equal(Array.from(test.x.data));
    expect(Array.from(data.mask.data)).to.deep.equal(Array.from(test.mask.data));
  });

  it('reads ARFF input with the columns of the model', async () => {
    expect(Array.from(await predictFile(file, YEAST_TEST))).to.deep.equal(
      Array.from(testProbs.data),
    );
  });
});
