// train --log, --report and --verbose: the log has one valid JSON line per epoch trained, the
// report's numbers are those computed here from the saved model, every user string in it is
// escaped, and its renderer stays browser-safe.
import { expect } from 'chai';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { Predictor, parseCsv } from '../src';
import { readModelFile } from '../src/node';
import { nodeGlobalsIn, specifiersOf } from './support/layers';
import { synthetic } from './support/synthetic-data';
import { runTrainCli } from './support/train-cli';

/** A hostile label name and feature name: HTML in a column name must come out as text. */
const HOSTILE_LABEL = "<script>alert('x')</script>";
const HOSTILE_FEATURE = 'a&b "c" <img src=x>';

/** A CSV cell: quoted when it holds a comma, a quote or a newline. */
const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** Rows `from` to `to` of a seeded data set as CSV, with `?` for an unknown label. */
function writeCsv(file: string, from: number, to: number): void {
  const data = synthetic(300, 4, 3, 'train-record');
  const features = ['f0', HOSTILE_FEATURE, 'f2', 'f3'];
  const labels = [HOSTILE_LABEL, 'L1', 'L2'];
  const lines = [[...features, ...labels].map(cell).join(',')];
  for (let i = from; i < to; i++) {
    const x = Array.from(data.x.data.subarray(i * 4, i * 4 + 4), String);
    const y = Array.from({ length: 3 }, (_, c) =>
      data.mask.data[i * 3 + c] === 0 ? '?' : String(data.y.data[i * 3 + c]),
    );
    lines.push([...x, ...y].join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Average precision as its definition reads: the mean over positives of the precision at their score. */
function referenceAp(scores: number[], targets: number[]): number {
  const positives = scores.filter((_, i) => targets[i] === 1);
  if (positives.length === 0) return NaN;
  let sum = 0;
  for (const s of positives) {
    const above = scores.filter((v) => v >= s).length;
    const positiveAbove = positives.filter((v) => v >= s).length;
    sum += positiveAbove / above;
  }
  return sum / positives.length;
}

/** The rows of the report's table of counts: label, threshold, known counts, AP, TP, FP, FN, TN. */
function labelRows(html: string) {
  const table = html.slice(html.indexOf('<table class="labels">'));
  const body = table.slice(0, table.indexOf('</table>'));
  const rows = [...body.matchAll(/<tr>(.*?)<\/tr>/g)].slice(1).map((m) => m[1]);
  return rows.map((row) => {
    const cells = [...row.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]);
    const ap = /data-ap="([^"]*)"/.exec(cells[5])![1];
    return {
      label: cells[0],
      threshold: cells[1],
      known: cells.slice(2, 5).map(Number),
      ap: Number(ap),
      counts: cells.slice(6).map(Number),
    };
  });
}

describe('train --log, --report, --verbose', function () {
  this.timeout(60000);
  let dir: string;
  let train: string;
  let test: string;

  before(() => {
    dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-train-record-'));
    // A file name that is HTML too: the report's title and settings show it.
    train = join(dir, '<i>train.csv');
    test = join(dir, 'test.csv');
    writeCsv(train, 0, 200);
    writeCsv(test, 200, 300);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const data = () => ['--train', train, '--test', test, '--labels', '3', '--hidden', '8'];

  describe('a run with validation and a refit, two seeds', () => {
    let records: { epochs: number; bestEpoch: number; lossCurve: number[]; seed: number }[];
    let log: string;
    let report: string;
    let model: string;
    let err: string;

    before(() => {
      log = join(dir, 'run.jsonl');
      report = join(dir, 'run.html');
      model = join(dir, 'model.json');
      const r = runTrainCli([
        ...data(),
        ...['--strategy', 'masked', '--runs', '2', '--epochs', '12', '--patience', '3'],
        ...['--hide', '0', '--json', '--save', model, '--log', log, '--report', report],
      ]);
      expect(r.err).to.equal('');
      expect(r.code).to.equal(0);
      err = r.err;
      records = r.out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as (typeof records)[number]);
    });

    it('logs one JSON line per epoch trained: the early-stopping run and the refit of each run', () => {
      const lines = fs.readFileSync(log, 'utf8').split('\n');
      expect(lines.pop()).to.equal('');
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      const expected = records.reduce((n, r) => n + r.epochs + r.bestEpoch, 0);
      expect(parsed).to.have.length(expected);
      let k = 0;
      records.forEach((record, run) => {
        let bestSoFar = -Infinity;
        let seconds = 0;
        for (let epoch = 1; epoch <= record.epochs; epoch++, k++) {
          const line = parsed[k];
          expect(Object.keys(line)).to.deep.equal([
            'strategy',
            'run',
            'seed',
            'phase',
            'epoch',
            'loss',
            'valMAP',
            'best',
            'seconds',
          ]);
          expect(line).to.include({
            strategy: 'masked',
            run: run + 1,
            seed: record.seed,
            phase: 'fit',
            epoch,
          });
          expect(line.loss).to.equal(record.lossCurve[epoch - 1]);
          const valMAP = line.valMAP as number;
          expect(valMAP).to.be.within(0, 1);
          expect(line.best).to.equal(valMAP > bestSoFar);
          bestSoFar = Math.max(bestSoFar, valMAP);
          expect(line.seconds as number).to.be.at.least(seconds);
          seconds = line.seconds as number;
        }
        for (let epoch = 1; epoch <= record.bestEpoch; epoch++, k++) {
          const line = parsed[k];
          expect(Object.keys(line)).to.deep.equal([
            'strategy',
            'run',
            'seed',
            'phase',
            'epoch',
            'loss',
            'seconds',
          ]);
          expect(line).to.include({ run: run + 1, phase: 'refit', epoch });
          expect(line.loss as number).to.be.above(0);
          expect(line.seconds as number).to.be.at.least(seconds);
          seconds = line.seconds as number;
        }
      });
      expect(err).to.equal('');
    });

    it("shows per label the AP and the counts at the saved thresholds that the saved model gives on the test rows' known labels", () => {
      const html = fs.readFileSync(report, 'utf8');
      const file = readModelFile(model);
      const testData = parseCsv(fs.readFileSync(test, 'utf8'), { labels: 3 });
      const [n, C] = testData.y.shape;
      const probs = new Predictor(file).predict(testData.x.data, n);
      const rows = labelRows(html);
      expect(rows).to.have.length(C);
      for (let c = 0; c < C; c++) {
        const scores: number[] = [];
        const targets: number[] = [];
        const known = [0, 0, 0];
        const counts = [0, 0, 0, 0]; // TP, FP, FN, TN
        const threshold = file.labels.thresholds[c];
        for (let i = 0; i < n; i++) {
          const k = i * C + c;
          if (testData.mask.data[k] === 0) {
            known[2]++;
            continue;
          }
          const y = testData.y.data[k];
          known[y === 1 ? 0 : 1]++;
          scores.push(probs[k]);
          targets.push(y);
          const predicted = probs[k] >= threshold;
          counts[y === 1 ? (predicted ? 0 : 2) : predicted ? 1 : 3]++;
        }
        const row = rows[c];
        expect(row.threshold).to.equal(threshold.toFixed(3));
        expect(row.known, `label ${c}`).to.deep.equal(known);
        expect(row.counts, `label ${c}`).to.deep.equal(counts);
        expect(Math.abs(row.ap - referenceAp(scores, targets)), `label ${c}`).to.be.below(1e-12);
      }
      const map = Number(/data-map="([^"]*)"/.exec(html)![1]);
      expect(Math.abs(map - rows.reduce((a, r) => a + r.ap, 0) / C)).to.be.below(1e-12);
    });

    it('draws a loss chart, a validation chart, the AP bars and a precision-recall chart per label', () => {
      const html = fs.readFileSync(report, 'utf8');
      expect(html).to.include('<figure id="loss-chart">');
      expect(html).to.include('<figure id="validation-chart">');
      expect(html).to.include('<figure id="ap-chart">');
      expect(html.match(/<figure class="pr">/g)).to.have.length(3);
      // Two runs, each with a refit: four lines in the loss chart.
      const loss = html.slice(html.indexOf('<figure id="loss-chart">'));
      expect(loss.slice(0, loss.indexOf('</figure>')).match(/<polyline /g)).to.have.length(4);
    });

    it('escapes every user string: a column named <script> and a file named <i> come out as text', () => {
      const html = fs.readFileSync(report, 'utf8');
      expect(html).not.to.match(/<script/i);
      expect(html).not.to.include('<i>');
      expect(html).to.include('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
      expect(html).to.include('&lt;i&gt;train.csv');
      expect(labelRows(html)[0].label).to.equal('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
      // No network and no script, even if an escape were missed.
      expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    });
  });

  it('without validation: a line per epoch, no valMAP, no refit; --verbose prints each on stderr', () => {
    const log = join(dir, 'no-val.jsonl');
    const r = runTrainCli([
      ...data(),
      ...['--strategy', 'masked,negative', '--runs', '1', '--epochs', '4', '--val', '0'],
      ...['--hide', '0', '--log', log, '--verbose'],
    ]);
    expect(r.code).to.equal(0);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => `${l.strategy} ${l.phase} ${l.epoch}`)).to.deep.equal([
      'masked fit 1',
      'masked fit 2',
      'masked fit 3',
      'masked fit 4',
      'negative fit 1',
      'negative fit 2',
      'negative fit 3',
      'negative fit 4',
    ]);
    for (const line of parsed) {
      expect(Object.keys(line)).to.deep.equal([
        'strategy',
        'run',
        'seed',
        'phase',
        'epoch',
        'loss',
        'seconds',
      ]);
    }
    const verbose = r.err.trim().split('\n');
    expect(verbose).to.have.length(8);
    verbose.forEach((line, i) => {
      const strategy = i < 4 ? 'masked' : 'unknown = negative \\(AN\\)';
      expect(line).to.match(
        new RegExp(
          `^${strategy}, seed 1: epoch ${(i % 4) + 1} loss ${(parsed[i].loss as number).toFixed(4)} \\d+\\.\\d s$`,
        ),
      );
    });
  });

  it('keeps the log of the epochs before a run that diverges, and says where it is', () => {
    const log = join(dir, 'diverged.jsonl');
    const r = runTrainCli([
      ...data(),
      ...['--strategy', 'masked', '--runs', '1', '--epochs', '3', '--val', '0'],
      ...['--batch-size', '500', '--optimizer', 'sgd', '--lr', '1e300', '--log', log],
    ]);
    expect(r.code).to.equal(1);
    const [failure, where] = r.err.trim().split('\n');
    // One batch per epoch: the step of epoch 1 breaks the weights, the loss of epoch 2 is NaN.
    expect(failure).to.match(
      /^train: masked, seed 1: fit: the training loss became NaN at epoch 2, batch 1;/,
    );
    expect(where).to.equal(`train: the epochs before the failure are in ${log}`);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).to.have.length(1);
    expect(JSON.parse(lines[0])).to.include({ strategy: 'masked', run: 1, phase: 'fit', epoch: 1 });
  });

  it('without --test: the report names the rows held out of the training file as its test rows', () => {
    const report = join(dir, 'held-out.html');
    const r = runTrainCli([
      ...['--train', train, '--labels', '3', '--hidden', '8', '--epochs', '2'],
      ...['--test-share', '0.25', '--report', report],
    ]);
    expect(r.code, r.err).to.equal(0);
    const html = fs.readFileSync(report, 'utf8');
    expect(html).to.include(
      `The test rows: 50 rows held out of ${relative(process.cwd(), train).replace(/</g, '&lt;').replace(/>/g, '&gt;')} (--test-share 0.25, seed 1), never trained on.`,
    );
    expect(labelRows(html).map((row) => row.known.reduce((a, b) => a + b, 0))).to.deep.equal([
      50, 50, 50,
    ]);
  });

  it('prints no line per epoch without --verbose', () => {
    const r = runTrainCli([
      ...data(),
      '--strategy',
      'masked',
      '--runs',
      '1',
      '--epochs',
      '2',
      '--hide',
      '0',
    ]);
    expect(r.code).to.equal(0);
    expect(r.err).to.equal('');
  });

  it('refuses, before training, a --report or --log that cannot be written or names another file of the command', () => {
    const base = [...data(), '--strategy', 'masked', '--runs', '1', '--epochs', '2'];
    const missing = join(dir, 'nodir', 'r.html');
    expect(runTrainCli([...base, '--report', missing])).to.deep.equal({
      code: 2,
      out: '',
      err: `train: --report: cannot write ${missing}: no such folder: ${join(dir, 'nodir')}\n`,
    });
    const same = join(dir, 'same.out');
    expect(runTrainCli([...base, '--log', same, '--report', same])).to.deep.equal({
      code: 2,
      out: '',
      err: `train: --report and --log name the same file ${same}; give each its own\n`,
    });
    const r = runTrainCli([...base, '--log', test]);
    expect(r.code).to.equal(2);
    expect(r.err).to.equal(
      `train: --log: cannot write ${test}: it is the --test file ${test}; writing it would destroy that input: choose another file\n`,
    );
    expect(fs.existsSync(missing)).to.equal(false);
  });

  it("keeps the report's renderer browser-safe: src/app/report imports the core and itself only, no Node global", () => {
    const folder = join(__dirname, '..', 'src', 'app', 'report');
    for (const name of fs.readdirSync(folder)) {
      const text = fs.readFileSync(join(folder, name), 'utf8');
      for (const specifier of specifiersOf(text)) {
        expect(specifier, `${name} imports ${specifier}`).to.match(/^(\.\/|\.\.\/\.\.\/core\/)/);
      }
      expect(nodeGlobalsIn(name, text), name).to.deep.equal([]);
    }
  });
});
