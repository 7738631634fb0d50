// `maskgrad train` on a person's own file: the defaults (one masked run, nothing hidden, a
// seeded held-out test share), the warning about labels never observed, and the observed
// counts the model file records.
import { expect } from 'chai';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { parseCsv, splitRows } from '../src';
import { readModelFile } from '../src/node';
import { main } from '../src/app/cli/main';
import { captureIo } from './support/capture-io';

const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-defaults-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const LABELS = ['cat', 'dog', 'bird', 'fish'];

/**
 * 300 rows, features f1..f3 made by formula (no randomness needed), labels: cat known
 * everywhere, dog unknown in every fourth row, bird never positive, fish never observed.
 */
function mineCsv(): string {
  const lines = ['f1,f2,f3,' + LABELS.join(',')];
  for (let i = 0; i < 300; i++) {
    const f = [((i * 7) % 17) / 3, ((i * 11) % 13) / 2, ((i * 5) % 19) / 4];
    const cat = f[0] > 2.5 ? '1' : '0';
    const dog = i % 4 === 0 ? '' : f[1] > 3 ? '1' : '0';
    lines.push(`${f.join(',')},${cat},${dog},0,`);
  }
  return lines.join('\n') + '\n';
}

const mine = join(dir, 'mine.csv');
fs.writeFileSync(mine, mineCsv());

/** `maskgrad train` in-process with `argv`, and what it printed. */
async function train(argv: string[]) {
  const io = captureIo();
  const code = await main(['train', ...argv], io);
  return { code, out: io.stdout, err: io.stderr };
}

/** Each label's known positives, known negatives and empty cells over the rows `keep` of the CSV text. */
function countsOf(text: string, keep: (row: number) => boolean) {
  const rows = text.trim().split('\n').slice(1);
  const counts = { positive: [0, 0, 0, 0], negative: [0, 0, 0, 0], unknown: [0, 0, 0, 0] };
  rows.forEach((line, i) => {
    if (!keep(i)) return;
    line
      .split(',')
      .slice(3)
      .forEach((cell, j) => {
        if (cell === '') counts.unknown[j]++;
        else if (cell === '1') counts.positive[j]++;
        else counts.negative[j]++;
      });
  });
  return counts;
}

/** stderr without the progress lines (`masked, seed 1: epoch 3 loss ...`). */
const withoutProgress = (err: string) =>
  err
    .split('\n')
    .filter((l) => !/: epoch \d+ /.test(l))
    .join('\n');

const WARNINGS =
  'train: warning: the label "fish" has no observed value in the 240 rows the model trained on ' +
  '(every entry unknown): its predictions carry no information\n' +
  'train: warning: the label "bird" has no observed positive in the 240 rows the model trained on ' +
  '(only negatives and unknowns): its predictions carry no information\n';

describe("train's defaults for a person's data", () => {
  it('with only --train and --labels: one masked run, nothing hidden, 20% of the rows held out as test rows (said in the output)', async () => {
    const r = await train(['--train', mine, '--labels', '4']);
    expect(r.code).to.equal(0);
    const lines = r.out.split('\n');
    expect(lines[0]).to.equal(
      `Training on ${relative(process.cwd(), mine)} (240 rows, 3 features, 4 labels), testing on ` +
        `60 rows held out of ${relative(process.cwd(), mine)} (--test-share 0.2, seed 1).`,
    );
    expect(lines[1]).to.match(
      /^every known training label used \(nothing hidden; --hide RATE hides a share\); MLP 3-128-128-4, .*; seeds 1\.$/,
    );
    // One row in the table: one strategy, one run.
    const table = lines.filter((l) => l.startsWith('| '));
    expect(table).to.have.length(2);
    expect(table[1]).to.match(/^\| masked +\| /);
    expect(r.out).to.include('Test metrics, over the test set');
  });

  it('--json: one record, masked, hide 0, seed 1; the same command gives the same record, another --seed other test rows', async () => {
    const argv = ['--train', mine, '--labels', '4', '--json', '--epochs', '4', '--hidden', '8'];
    const strip = (out: string) =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => ({ ...JSON.parse(l), seconds: 0 }));
    const a = await train(argv);
    const b = await train(argv);
    const c = await train([...argv, '--seed', '2']);
    expect(strip(a.out)).to.have.length(1);
    const [record] = strip(a.out);
    expect([record.strategy, record.hide, record.seed, record.regime]).to.deep.equal([
      'masked',
      0,
      1,
      'random',
    ]);
    expect(strip(b.out)).to.deep.equal(strip(a.out));
    expect(strip(c.out)[0].lossCurve).to.not.deep.equal(record.lossCurve);
  });

  it('the model file records the held-out share and seed, and observed counts equal to those of the training rows counted here', async () => {
    const file = join(dir, 'm.json');
    const r = await train(['--train', mine, '--labels', '4', '--epochs', '3', '--save', file]);
    expect(r.code).to.equal(0);
    const model = readModelFile(file);
    expect(model.training.heldOutTest).to.deep.equal({
      share: 0.2,
      seed: '1:test',
      rows: 60,
      of: 300,
    });
    expect(model.training.data.map((d) => d.role)).to.deep.equal(['train']);
    // The held-out rows are splitRows' `val` with the recorded seed: marked by a row number
    // in the first feature, then counted from the file's text.
    const text = fs.readFileSync(mine, 'utf8');
    const numbered = parseCsv(
      text
        .trim()
        .split('\n')
        .map((l, i) => (i === 0 ? l : `${i - 1},${l.split(',').slice(1).join(',')}`))
        .join('\n'),
      { labels: 4 },
    );
    const heldOut = new Set(
      Array.from(splitRows(numbered, 0.2, { seed: '1:test' }).val.x.data).filter(
        (_, k) => k % 3 === 0,
      ),
    );
    expect(heldOut.size).to.equal(60);
    const expected = countsOf(text, (row) => !heldOut.has(row));
    expect(model.labels.observed).to.deep.equal(expected);
    expect(expected.unknown).to.deep.equal([0, expected.unknown[1], 0, 240]);
    expect(expected.positive[2]).to.equal(0);
  });

  it('a label never positive and a label never observed: a warning on stderr naming each', async () => {
    const r = await train(['--train', mine, '--labels', '4', '--epochs', '2', '--hidden', '8']);
    expect(r.code).to.equal(0);
    expect(withoutProgress(r.err)).to.equal(WARNINGS);
    expect(r.out).to.not.include('warning');
  });

  it('--json: the labels as a field of the record, stdout only JSON, the warning on stderr', async () => {
    const r = await train([
      '--train',
      mine,
      '--labels',
      '4',
      '--epochs',
      '2',
      '--hidden',
      '8',
      '--json',
    ]);
    expect(r.code).to.equal(0);
    const lines = r.out.trim().split('\n');
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0]).unobserved).to.deep.equal({
      noValue: ['fish'],
      noPositive: ['bird'],
    });
    expect(withoutProgress(r.err)).to.equal(WARNINGS);
  });

  it('many such labels: three named, then how many more', async () => {
    const header = 'f1,a,b,c,d,e,g';
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i % 2},0,0,0,0,0`);
    const file = join(dir, 'many.csv');
    fs.writeFileSync(file, [header, ...rows].join('\n') + '\n');
    const r = await train([
      '--train',
      file,
      '--labels',
      '6',
      '--epochs',
      '1',
      '--hidden',
      '4',
      '--val',
      '0',
    ]);
    expect(r.code).to.equal(0);
    expect(withoutProgress(r.err)).to.equal(
      'train: warning: the labels "b", "c", "d" and 2 more have no observed positive in the 16 rows ' +
        'the model trained on (only negatives and unknowns): their predictions carry no information\n',
    );
  });

  it('every label observed positive somewhere: no warning', async () => {
    const file = join(dir, 'fine.csv');
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i % 2},${(i + 1) % 2}`);
    fs.writeFileSync(file, ['f,a,b', ...rows].join('\n') + '\n');
    const r = await train([
      '--train',
      file,
      '--labels',
      '2',
      '--epochs',
      '1',
      '--hidden',
      '4',
      '--val',
      '0',
    ]);
    expect(r.code).to.equal(0);
    expect(withoutProgress(r.err)).to.equal('');
  });

  it('--test-share that holds out no row, or every row, of a small file: a one-line error', async () => {
    const file = join(dir, 'three.csv');
    fs.writeFileSync(file, 'f,a\n1,0\n2,1\n3,0\n');
    for (const [share, what] of [
      ['0.1', 'no'],
      ['0.9', 'every'],
    ]) {
      const r = await train(['--train', file, '--labels', '1', '--test-share', share]);
      expect(r.code).to.equal(2);
      expect(r.err).to.equal(
        `train: --test-share ${share} holds out ${what} row of the 3 in ${file}; give a share that leaves rows for both, or a --test file\n`,
      );
    }
  });
});
