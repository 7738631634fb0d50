// `maskgrad inspect`: a saved model's summary (layers, features, labels with their observed
// counts, the training record), as text and as JSON, for new model files and old ones.
import { expect } from 'chai';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { MLP, type ModelFile, modelFileFrom, modelFileToText, parseModelFile } from '../src';
import { writeModelFile } from '../src/node';
import { runInspect } from '../src/app/cli/inspect';
import { main } from '../src/app/cli/main';
import { captureIo } from './support/capture-io';

const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-inspect-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A small model: 2 features, 3 hidden units, 2 labels; dog never observed positive. */
function smallModel(): ModelFile {
  return modelFileFrom(new MLP([2, 3, 2], { seed: 1 }), {
    features: ['height', 'weight'],
    labels: ['cat', 'dog'],
    standardization: { mean: [170.25, 0.123456789], std: [1, 2] },
    thresholds: [0.5, 0.25],
    observed: { positive: [12, 0], negative: [80, 90], unknown: [8, 10] },
    training: {
      strategy: 'masked',
      hide: 0,
      seed: 1,
      epochs: 7,
      data: [{ role: 'train', file: 'mine.csv', sha256: 'a'.repeat(64) }],
      date: '2026-12-08T01:00:00.000Z',
      maskgradVersion: '0.1.0',
      heldOutTest: { share: 0.2, seed: '1:test', rows: 25, of: 125 },
      lr: 0.001,
    },
  });
}

/** The model written to `name` in the spec's folder, `edit`ed first; its path. */
function written(name: string, edit?: (m: ModelFile) => void): string {
  const model = smallModel();
  edit?.(model);
  const file = join(dir, name);
  if (edit) fs.writeFileSync(file, JSON.stringify(model));
  else writeModelFile(file, model);
  return file;
}

function inspect(argv: string[]) {
  const io = captureIo();
  const code = runInspect(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

const TRAINING = [
  'Training:',
  '  strategy         masked',
  '  hide             0',
  '  seed             1',
  '  epochs           7',
  `  data             train: mine.csv (sha256 ${'a'.repeat(64)})`,
  '  heldOutTest      {"share":0.2,"seed":"1:test","rows":25,"of":125}',
  '  lr               0.001',
  '  date             2026-12-08T01:00:00.000Z',
  '  maskgradVersion  0.1.0',
];

const HEAD = (file: string) => [
  `Model: ${file} (maskgrad-model version 1)`,
  '',
  'Layer        Output shape  Parameters',
  '-------------------------------------',
  'standardize  [N, 2]                 0',
  'linear 0     [N, 3]                 9',
  'relu         [N, 3]                 0',
  'linear 1     [N, 2]                 8',
  'sigmoid      [N, 2]                 0',
  '-------------------------------------',
  'Total parameters: 17',
  '',
  'Features (2), standardized as (x - mean) / std (6 significant digits; --json gives them exactly):',
  '  #  name        mean  std',
  '  ------------------------',
  '  1  height    170.25    1',
  '  2  weight  0.123457    2',
  '',
];

describe('maskgrad inspect', () => {
  it('prints the layers with shapes and parameters, the features, the labels with their observed counts, and the training record', () => {
    const file = written('small.json');
    const r = inspect([file]);
    expect(r.code).to.equal(0);
    expect(r.err).to.equal('');
    expect(r.out).to.equal(
      [
        ...HEAD(file),
        'Labels (2), observed in the rows the model trained on:',
        '  #  name  threshold  positive  negative  unknown',
        '  -----------------------------------------------',
        '  1  cat   0.5              12        80        8',
        '  2  dog   0.25              0        90       10',
        '  No observed positive (their predictions carry no information): dog',
        '',
        ...TRAINING,
      ].join('\n') + '\n',
    );
  });

  it('a model file without observed counts (written before they were recorded): "not recorded"', () => {
    const file = written('old.json', (m) => delete m.labels.observed);
    const r = inspect([file]);
    expect(r.code).to.equal(0);
    expect(r.out).to.equal(
      [
        ...HEAD(file),
        'Labels (2):',
        '  #  name  threshold',
        '  ------------------',
        '  1  cat   0.5',
        '  2  dog   0.25',
        '  Observed counts: not recorded (the model file predates them).',
        '',
        ...TRAINING,
      ].join('\n') + '\n',
    );
    const json = JSON.parse(inspect([file, '--json']).out);
    expect(json.labels.map((l: { observed: unknown }) => l.observed)).to.deep.equal([null, null]);
  });

  it('--json prints one object: layers, parameter total, features and labels exactly, the training record as saved', () => {
    const file = written('small.json');
    const r = inspect([file, '--json']);
    expect(r.code).to.equal(0);
    expect(r.out.endsWith('}\n')).to.equal(true);
    expect(r.out.trim().split('\n')).to.have.length(1);
    const model = smallModel();
    expect(JSON.parse(r.out)).to.deep.equal({
      file,
      format: 'maskgrad-model',
      version: 1,
      layers: [
        { name: 'standardize', outputShape: [null, 2], parameters: 0 },
        { name: 'linear 0', outputShape: [null, 3], parameters: 9 },
        { name: 'relu', outputShape: [null, 3], parameters: 0 },
        { name: 'linear 1', outputShape: [null, 2], parameters: 8 },
        { name: 'sigmoid', outputShape: [null, 2], parameters: 0 },
      ],
      totalParameters: 17,
      features: [
        { name: 'height', mean: 170.25, std: 1 },
        { name: 'weight', mean: 0.123456789, std: 2 },
      ],
      labels: [
        { name: 'cat', threshold: 0.5, observed: { positive: 12, negative: 80, unknown: 8 } },
        { name: 'dog', threshold: 0.25, observed: { positive: 0, negative: 90, unknown: 10 } },
      ],
      training: JSON.parse(JSON.stringify(model.training)),
    });
  });

  it('the parameter total is the number of weights the file holds, for a deeper model', () => {
    const model = modelFileFrom(new MLP([5, 7, 4, 3], { seed: 2, activation: 'tanh' }), {
      features: ['a', 'b', 'c', 'd', 'e'],
      labels: ['x', 'y', 'z'],
      standardization: { mean: [0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1] },
      training: { strategy: 'masked', hide: 0, seed: 1, epochs: 1, data: [] },
    });
    const file = join(dir, 'deep.json');
    writeModelFile(file, model);
    const json = JSON.parse(inspect([file, '--json']).out);
    const stored = Object.values(model.weights).reduce((n, w) => n + w.data.length, 0);
    expect(json.totalParameters).to.equal(stored);
    expect(json.totalParameters).to.equal(5 * 7 + 7 + 7 * 4 + 4 + 4 * 3 + 3);
    expect(json.layers.map((l: { name: string }) => l.name)).to.deep.equal([
      'standardize',
      'linear 0',
      'tanh',
      'linear 1',
      'tanh',
      'linear 2',
      'sigmoid',
    ]);
    expect(inspect([file]).out).to.include('  data             none recorded\n');
  });

  it('--model FILE gives the same summary as the MODEL argument; `maskgrad inspect` runs it', async () => {
    const file = written('small.json');
    const byArgument = inspect([file]);
    expect(inspect(['--model', file])).to.deep.equal(byArgument);
    const io = captureIo();
    expect(await main(['inspect', file], io)).to.equal(0);
    expect(io.stdout).to.equal(byArgument.out);
  });

  it('--help: the usage and exit code 0', () => {
    const r = inspect(['--help']);
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^Usage: maskgrad inspect MODEL \[--json\]/);
  });
});

describe('labels.observed in the model file', () => {
  it('round-trips through the text; a file without it reads back without it', () => {
    const model = smallModel();
    expect(parseModelFile(modelFileToText(model)).labels.observed).to.deep.equal({
      positive: [12, 0],
      negative: [80, 90],
      unknown: [8, 10],
    });
    delete model.labels.observed;
    const text = modelFileToText(model);
    expect(text).to.not.include('observed');
    expect(parseModelFile(text).labels).to.deep.equal({
      names: ['cat', 'dog'],
      thresholds: [0.5, 0.25],
    });
  });

  it('modelFileFrom copies the counts: changing the given arrays later changes nothing', () => {
    const observed = { positive: [1, 2], negative: [3, 4], unknown: [0, 0] };
    const model = modelFileFrom(new MLP([1, 2], { seed: 1 }), {
      features: ['f'],
      labels: ['a', 'b'],
      standardization: { mean: [0], std: [1] },
      observed,
      training: { strategy: 'masked', hide: 0, seed: 1, epochs: 1, data: [] },
    });
    observed.positive[0] = 99;
    expect(model.labels.observed!.positive).to.deep.equal([1, 2]);
  });
});
