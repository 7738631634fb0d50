// The train side of the model file: train --save writes a model that predict reads back
// with the same metrics, --thresholds tune, and the test file's columns matched by name.
import { expect } from 'chai';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { applyThresholds, Tensor } from '../src';
import type { Io as PredictIo } from '../src/app/cli/io';
import { runPredict } from '../src/app/cli/predict';
import { runTrainCli } from './support/train-cli';
import { YEAST_TEST, YEAST_TRAIN } from './model-fixture';
import { loadDataset, readModelFile } from '../src/node';

/** Runs the train CLI in-process and captures what it prints (err: without the epoch lines). */
/** `train argv`, without the per-epoch progress lines on stderr. */
function train(argv: string[]): { code: number; out: string; err: string } {
  const r = runTrainCli(argv);
  const err = r.err
    .split('\n')
    .filter((l) => !/^[^:]*, seed \S+: epoch \d+ loss /.test(l))
    .join('\n');
  return { ...r, err };
}

async function predict(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io: PredictIo & { stdout: string; stderr: string } = {
    stdout: '',
    stderr: '',
    tty: false,
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  const code = await runPredict(argv, io);
  return { code, out: io.stdout, err: io.stderr };
}

/** A short run on the bundled yeast data: one strategy, one seed, a small MLP. */
const SHORT = ['--strategy', 'masked', '--runs', '1', '--epochs', '3', '--hidden', '16'];

/** The training metrics of the --json record compared with predict's. */
const METRICS = ['mAP', 'lrap', 'microF1', 'macroF1', 'hamming'] as const;

/** The yeast test file as CSV with its columns in a shuffled order (values written exactly). */
function shuffledCsv(path: string, drop?: string): void {
  const data = loadDataset(YEAST_TEST, { labels: 14 });
  const names = [...data.featureNames, ...data.labelNames];
  const [n, d] = data.x.shape;
  const c = data.y.shape[1];
  const value = (i: number, k: number) =>
    k < d ? String(data.x.data[i * d + k]) : String(data.y.data[i * c + k - d]);
  // A fixed interleaving: reversed, labels mixed among the features.
  const order = names.map((_, k) => k).reverse();
  order.sort((a, b) => ((a * 37) % names.length) - ((b * 37) % names.length));
  const kept = order.filter((k) => names[k] !== drop);
  const lines = [kept.map((k) => names[k]).join(',')];
  for (let i = 0; i < n; i++) lines.push(kept.map((k) => value(i, k)).join(','));
  fs.writeFileSync(path, lines.join('\n') + '\n');
}

describe('train --save, --thresholds and the test file matched by name', function () {
  let dir: string;
  let model: string;
  let record: Record<string, unknown>;

  before(function () {
    dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-model-train-'));
    model = join(dir, 'yeast.model.json');
    const r = train([...SHORT, '--thresholds', 'tune', '--json', '--save', model]);
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    const lines = r.out.trim().split('\n');
    expect(lines).to.have.length(1);
    record = JSON.parse(lines[0]) as Record<string, unknown>;
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves a version-1 model file with the training standardization and tuned thresholds', () => {
    const file = readModelFile(model);
    expect(file.version).to.equal(1);
    expect(file.architecture.sizes).to.deep.equal([103, 16, 14]);
    expect(file.features.names[0]).to.equal('Att1');
    expect(file.labels.names[0]).to.equal('Class1');
    expect(file.labels.thresholds).to.deep.equal(record.thresholds);
    expect(file.labels.thresholds.some((t) => t !== 0.5)).to.equal(true);
    expect(file.training.strategy).to.equal('masked');
    expect(file.training.data.map((d) => d.role)).to.deep.equal(['train', 'test']);
    // Refit on every training row: the mean is of all 1500 rows, which yeast-train's first
    // feature gives independently.
    const all = loadDataset(YEAST_TRAIN, { labels: 14 });
    let sum = 0;
    for (let i = 0; i < 1500; i++) sum += all.x.data[i * 103];
    expect(file.features.mean[0]).to.be.closeTo(sum / 1500, 1e-12);
  });

  it('predict --evaluate on the same test file gives the metrics training printed, bit for bit', async () => {
    // The same float64 operations in the same order: predict standardizes as (x - mean) / std,
    // which standardize computes in units of a power of two (no rounding changes); the saved
    // weights read back exactly; the forward pass and the metric functions are the same code.
    const r = await predict(['--model', model, '--input', YEAST_TEST, '--evaluate', '--json']);
    expect(r.code).to.equal(0);
    const m = JSON.parse(r.out) as Record<string, number>;
    for (const key of METRICS) {
      expect(
        Object.is(m[key], record[key]),
        `${key}: ${m[key]} vs ${String(record[key])}`,
      ).to.equal(true);
    }
    expect(Object.is(m.thresholdMicroF1, record.tunedMicroF1)).to.equal(true);
    expect(Object.is(m.thresholdMacroF1, record.tunedMacroF1)).to.equal(true);
  });

  it('predict --decisions applies the saved per-class thresholds', async () => {
    const probsOut = join(dir, 'probs.csv');
    const decisionsOut = join(dir, 'decisions.csv');
    expect(
      (await predict(['--model', model, '--input', YEAST_TEST, '--output', probsOut])).code,
    ).to.equal(0);
    expect(
      (
        await predict([
          '--model',
          model,
          '--input',
          YEAST_TEST,
          '--decisions',
          '--output',
          decisionsOut,
        ])
      ).code,
    ).to.equal(0);
    const rows = (file: string) =>
      fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .flatMap((l) => l.split(',').map(Number));
    const probs = new Tensor(Float64Array.from(rows(probsOut)), [917, 14]);
    const thresholds = readModelFile(model).labels.thresholds;
    const decisions = rows(decisionsOut);
    expect(decisions).to.deep.equal(Array.from(applyThresholds(probs, thresholds).data));
    // Not the 0.5 decisions: the tuned thresholds change some of them.
    const atHalf = Array.from(applyThresholds(probs, new Array(14).fill(0.5)).data);
    expect(decisions.filter((v, i) => v !== atHalf[i]).length).to.be.greaterThan(0);
  });

  it('a test file with its columns shuffled gives the same metrics, bit for bit', () => {
    const shuffled = join(dir, 'shuffled.csv');
    shuffledCsv(shuffled);
    const argv = ['--train', YEAST_TRAIN, '--labels', '14', ...SHORT, '--json'];
    const a = train([...argv, '--test', YEAST_TEST]);
    const b = train([...argv, '--test', shuffled]);
    expect(b.code).to.equal(0);
    expect(b.err).to.equal('');
    const ra = JSON.parse(a.out) as Record<string, number>;
    const rb = JSON.parse(b.out) as Record<string, number>;
    for (const key of METRICS) expect(Object.is(rb[key], ra[key]), key).to.equal(true);
    // And the same as the run with the bundled defaults above (same seed and settings).
    expect(Object.is(ra.mAP, record.mAP)).to.equal(true);
  });

  it('a test file without a feature column: a one-line error naming it, exit code 2, nothing saved', () => {
    const lacking = join(dir, 'lacking.csv');
    shuffledCsv(lacking, 'Att42');
    const target = join(dir, 'kept.model.json');
    fs.writeFileSync(target, 'an earlier model\n');
    const r = train([
      ...['--train', YEAST_TRAIN, '--test', lacking, '--labels', '14', ...SHORT],
      ...['--save', target],
    ]);
    expect(r.code).to.equal(2);
    expect(r.out).to.equal('');
    expect(r.err.split('\n')).to.have.length(2);
    expect(r.err)
      .to.match(/^train: .*"Att42"/)
      .and.include(lacking);
    expect(fs.readFileSync(target, 'utf8')).to.equal('an earlier model\n');
  });

  it('extra test columns: a note on stderr, and the same metrics', () => {
    const extra = join(dir, 'extra.csv');
    shuffledCsv(extra);
    const lines = fs.readFileSync(extra, 'utf8').trim().split('\n');
    fs.writeFileSync(extra, lines.map((l, i) => `${i === 0 ? 'id' : i},${l}`).join('\n') + '\n');
    const r = train([
      '--train',
      YEAST_TRAIN,
      '--test',
      extra,
      '--labels',
      '14',
      ...SHORT,
      '--json',
    ]);
    expect(r.code).to.equal(0);
    expect(r.err).to.equal(
      'train: note: ignoring the test columns "id" (not in the training file)\n',
    );
    expect(Object.is((JSON.parse(r.out) as Record<string, number>).mAP, record.mAP)).to.equal(true);
  });

  const bad: [string, string[], string][] = [
    [
      '--thresholds tune with --val 0',
      ['--thresholds', 'tune', '--val', '0'],
      'train: --thresholds tune picks thresholds on the validation rows: it needs --val > 0',
    ],
    [
      '--thresholds 0.3',
      ['--thresholds', '0.3'],
      "train: --thresholds must be tune or 0.5, got '0.3'",
    ],
  ];
  for (const [what, argv, message] of bad) {
    it(`${what}: a one-line error and exit code 2`, () => {
      const r = train([...SHORT, ...argv]);
      expect(r.code).to.equal(2);
      expect(r.err).to.equal(message + '\n');
      expect(r.out).to.equal('');
    });
  }

  it('an unwritable --save (under a file, or a folder): a one-line error before training', () => {
    const plain = join(dir, 'plain.txt');
    fs.writeFileSync(plain, 'not a folder\n');
    for (const target of [join(plain, 'm.json'), dir]) {
      const r = train([...SHORT, '--save', target]);
      expect(r.code).to.equal(2);
      expect(r.out).to.equal('');
      expect(r.err.split('\n')).to.have.length(2);
      expect(r.err).to.match(/^train: --save: /);
    }
    expect(fs.readFileSync(plain, 'utf8')).to.equal('not a folder\n');
  });
});
