import { expect } from 'chai';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ort from 'onnxruntime-node';
import { parseCsv, splitRows } from '../src';
import { pathToFileURL } from 'url';
import { main } from '../src/app/cli/main';
import { launchChromium } from '../web/scripts/chromium';
import { chromiumOrSkip } from './support/chromium-path';
import { captureIo } from './support/capture-io';
import {
  FEATURES,
  LABELS,
  TEST_COLUMNS,
  TRAIN_COLUMNS,
  userFile,
  userRows,
} from './support/user-files';

// Issue 20's new user, typed as they type it: a CSV of their own with a text `id` column, a
// text `note` column, label columns named in the middle of the header with unknowns in all
// four encodings, a test file with its columns shuffled, and the TSV twin of each. No --test:
// train holds out a seeded share. Then predict with ids, inspect, export to ONNX.
describe('your own data, end to end (train, predict, inspect, export)', function () {
  this.timeout(120000);
  const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-user-'));
  const at = (name: string) => join(dir, name);
  const trainRows = userRows(300, 0, 1);
  const testRows = userRows(100, 1000, 2);
  fs.writeFileSync(at('mine.csv'), userFile(trainRows, TRAIN_COLUMNS, ','));
  fs.writeFileSync(at('mine.tsv'), userFile(trainRows, TRAIN_COLUMNS, '\t'));
  fs.writeFileSync(at('new.csv'), userFile(testRows, TEST_COLUMNS, ','));
  fs.writeFileSync(at('new.tsv'), userFile(testRows, TEST_COLUMNS, '\t'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function maskgrad(...argv: string[]) {
    const io = captureIo();
    const code = await main(argv, io);
    return { code, out: io.stdout, err: io.stderr };
  }
  const trainArgs = (file: string, save: string) => [
    'train',
    ...['--train', at(file), '--labels', 'cat:fish', '--id', 'id', '--ignore', 'note'],
    ...['--save', at(save)],
  ];

  let trained: { code: number; out: string; err: string };
  before(async () => {
    trained = await maskgrad(
      ...trainArgs('mine.csv', 'm.json'),
      ...['--log', at('run.jsonl'), '--report', at('run.html')],
    );
  });
  const model = () => JSON.parse(fs.readFileSync(at('m.json'), 'utf8'));

  it('train with no --test: one masked run, nothing hidden, 60 of 300 rows held out and said so', () => {
    expect(trained.code, trained.err).to.equal(0);
    expect(trained.out).to.match(
      /^Training on \S*mine\.csv \(240 rows, 6 features, 4 labels\), testing on 60 rows held out of \S*mine\.csv \(--test-share 0\.2, seed 1\)\.\n/,
    );
    expect(trained.out).to.contain('nothing hidden');
    const m = model();
    expect(m.training.strategy).to.equal('masked');
    expect(m.training.hide).to.equal(0);
    expect(m.training.idColumn).to.equal('id');
    expect(m.features.names).to.deep.equal(FEATURES);
    expect(m.labels.names).to.deep.equal(LABELS);
    expect(m.training.heldOutTest).to.deep.include({ share: 0.2, rows: 60, of: 300 });
  });

  it("the model file's observed counts are the training rows': every unknown encoding counted as unknown", () => {
    // The rows the model trained on: the file's rows less the held-out share, which is
    // splitRows' \`val\` with the recorded seed; counted here from the rows as generated.
    const m = model();
    const file = parseCsv(fs.readFileSync(at('mine.csv'), 'utf8'), {
      labels: { first: 'cat', last: 'fish' },
      id: 'id',
      ignore: ['note'],
    });
    const kept = new Set(splitRows(file, 0.2, { seed: m.training.heldOutTest.seed }).train.ids);
    expect(kept.size).to.equal(240);
    const rows = trainRows.filter((r) => kept.has(r.id));
    const count = (test: (v: number) => boolean) =>
      LABELS.map((_, c) => rows.filter((r) => test(r.labels[c])).length);
    expect(m.labels.observed).to.deep.equal({
      positive: count((v) => v === 1),
      negative: count((v) => v === 0),
      unknown: count((v) => Number.isNaN(v)),
    });
    const encodings = new Set(
      rows.flatMap((r) => r.labelText.filter((t) => t !== '0' && t !== '1')),
    );
    expect([...encodings].sort()).to.deep.equal(['', '-1', '?', 'NaN']);
  });

  it('the TSV twin trains the same model, weight for weight', async () => {
    const tsv = await maskgrad(...trainArgs('mine.tsv', 'm-tsv.json'));
    expect(tsv.code, tsv.err).to.equal(0);
    const twin = JSON.parse(fs.readFileSync(at('m-tsv.json'), 'utf8'));
    const m = model();
    expect(twin.weights).to.deep.equal(m.weights);
    expect(twin.features).to.deep.equal(m.features);
    expect(twin.labels).to.deep.equal(m.labels);
  });

  it('predict writes the ids first, in the input order, for shuffled columns; the TSV input gives the same bytes', async () => {
    const csv = await maskgrad(
      'predict',
      '--model',
      at('m.json'),
      '--input',
      at('new.csv'),
      '--output',
      at('p.csv'),
    );
    expect(csv.code, csv.err).to.equal(0);
    expect(csv.err).to.equal('predict: note: ignoring the columns "note" (not in the model)\n');
    const lines = fs.readFileSync(at('p.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).to.equal('id,cat,dog,bird,fish');
    expect(lines.slice(1).map((l) => l.split(',')[0])).to.deep.equal(testRows.map((r) => r.id));
    for (const line of lines.slice(1)) {
      const p = line.split(',').slice(1).map(Number);
      expect(p).to.have.length(4);
      for (const v of p) expect(v > 0 && v < 1, line).to.equal(true);
    }
    const tsv = await maskgrad(
      'predict',
      '--model',
      at('m.json'),
      '--input',
      at('new.tsv'),
      '--output',
      at('p-tsv.csv'),
    );
    expect(tsv.code, tsv.err).to.equal(0);
    expect(fs.readFileSync(at('p-tsv.csv'), 'utf8')).to.equal(fs.readFileSync(at('p.csv'), 'utf8'));
  });

  it('the model learned the rule behind the labels: --evaluate on the new rows gives mAP above 0.9', async () => {
    const r = await maskgrad(
      'predict',
      '--model',
      at('m.json'),
      '--input',
      at('new.csv'),
      '--evaluate',
      '--json',
    );
    expect(r.code, r.err).to.equal(0);
    expect(JSON.parse(r.out).mAP).to.be.above(0.9);
  });

  it("inspect shows the layers, the features' names and each label's observed counts", async () => {
    const r = await maskgrad('inspect', at('m.json'));
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain('Total parameters: 17,924'); // 6*128+128 + 128*128+128 + 128*4+4
    for (const name of FEATURES) expect(r.out).to.match(new RegExp(`\\b${name}\\b`));
    const { positive, negative, unknown } = model().labels.observed;
    LABELS.forEach((name, c) => {
      expect(r.out).to.match(
        new RegExp(`\\b${name}\\s+0\\.5\\s+${positive[c]}\\s+${negative[c]}\\s+${unknown[c]}\\n`),
      );
    });
  });

  it("export to ONNX: ONNX Runtime's float64 probabilities equal predict's to 1e-12", async () => {
    const r = await maskgrad(
      'export',
      '--model',
      at('m.json'),
      '--format',
      'onnx',
      '--dtype',
      'float64',
      '--output',
      at('m.onnx'),
    );
    expect(r.code, r.err).to.equal(0);
    const session = await ort.InferenceSession.create(fs.readFileSync(at('m.onnx')));
    const x = Float64Array.from(testRows.flatMap((row) => row.features));
    const out = await session.run({
      features: new ort.Tensor('float64', x, [testRows.length, FEATURES.length]),
    });
    const onnx = out.probabilities.data as Float64Array;
    const predicted = fs
      .readFileSync(at('p.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .flatMap((l) => l.split(',').slice(1).map(Number));
    expect(onnx.length).to.equal(predicted.length);
    let worst = 0;
    onnx.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - predicted[i]))));
    expect(worst).to.be.at.most(1e-12);
  });

  it('--log has one line per epoch trained; --report opens from file:// in Chromium with every chart drawn', async function () {
    const log = fs
      .readFileSync(at('run.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const m = model();
    // The early-stopped run, then the refit for the best epoch count, which the model file keeps.
    expect(log.filter((e) => e.phase === 'refit')).to.have.length(m.training.epochs);
    expect(log.filter((e) => e.phase === 'fit').length).to.be.above(m.training.epochs);
    const executablePath = chromiumOrSkip(
      this,
      'the run report of your own data (spec/user-data.spec.ts)',
    );
    const browser = await launchChromium(at('profile'), executablePath, {
      viewport: { width: 1200, height: 900 },
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(pathToFileURL(at('run.html')).href);
      const charts = await page.$$eval('svg', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          return {
            width: box.width,
            height: box.height,
            marks: svg.querySelectorAll('path, polyline, rect, line').length,
          };
        }),
      );
      expect(charts.length).to.be.above(2);
      for (const chart of charts) {
        expect(chart.width * chart.height, JSON.stringify(chart)).to.be.above(0);
        expect(chart.marks).to.be.above(0);
      }
      const text = await page.$eval('body', (body) => body.textContent ?? '');
      for (const name of LABELS) expect(text).to.contain(name);
      expect(errors).to.deep.equal([]);
    } finally {
      await browser.close();
    }
  });
});
