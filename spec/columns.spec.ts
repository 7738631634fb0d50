// Columns as the user has them (issue 20, item 2): labels by count, names or a range, an id
// column kept through to predict's output, ignored columns, a text column as one error, and
// CSV, TSV and semicolon files with the delimiter detected from the header line.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  CsvTokenizer,
  datasetFromArff,
  detectDelimiter,
  type MultiLabelDataset,
  parseArff,
  parseCsv,
  parseLabelSpec,
  hideLabels,
  splitRows,
  standardize,
  takeRows,
} from '../src/core/data';
import { Random } from '../src/core/random';
import { Predictor } from '../src/core/model/predictor';
import { toSafetensors } from '../src/core/model/safetensors';
import { loadDataset, readModelFile } from '../src/node';
import { readRowsForModel } from '../src/node/input-rows';
import { runPredict } from '../src/app/cli/predict';
import { runTrain } from '../src/app/cli/train';
import { captureIo } from './support/capture-io';

const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-columns-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

/** The header of the user's file: an id, features, four labels in the middle, a note. */
const HEADER = ['id', 'height', 'weight', 'cat', 'dog', 'bird', 'fish', 'age', 'score', 'note'];
const UNKNOWN = ['', '?', 'NaN', '-1'];

/**
 * A user's rows: a text id, five features (raw values near 170), four labels with unknowns
 * written all four ways, and a note that is empty on the first rows.
 */
function userRows(n: number, seed: number, firstId: number): string[][] {
  const rng = new Random(seed);
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const f = Array.from({ length: 5 }, () => rng.normal());
    const truth = [f[0] + f[1] > 0, f[2] > 0.3, f[3] - f[4] > 0, f[0] > -0.5];
    const labels = truth.map((t, k) =>
      rng.uniform() < 0.25 ? UNKNOWN[(i + k) % 4] : t ? '1' : '0',
    );
    const [height, weight, age, score] = [170 + 10 * f[0], 70 + 5 * f[1], 40 + f[2], f[3] + f[4]];
    rows.push([
      `r${String(firstId + i).padStart(4, '0')}`,
      height.toFixed(2),
      weight.toFixed(2),
      ...labels,
      age.toFixed(3),
      score.toFixed(4),
      i < 3 ? '' : `note ${i}`,
    ]);
  }
  return rows;
}

/** The rows as delimited text, with the columns in `order` (names of HEADER). */
function text(rows: string[][], delimiter: string, order: readonly string[] = HEADER): string {
  const at = order.map((name) => HEADER.indexOf(name));
  return [order, ...rows.map((r) => at.map((c) => r[c]))].map((r) => r.join(delimiter)).join('\n');
}

const LABELS = ['cat', 'dog', 'bird', 'fish'];
const FEATURES = ['height', 'weight', 'age', 'score'];
const TRAIN_ROWS = userRows(120, 1, 0);
const TEST_ROWS = userRows(40, 2, 1000);
const SHUFFLED = ['score', 'fish', 'id', 'weight', 'note', 'cat', 'age', 'bird', 'height', 'dog'];

/** Everything a data set holds, as plain arrays, to compare two of them exactly. */
const plain = (d: MultiLabelDataset) => ({
  x: Array.from(d.x.data),
  y: Array.from(d.y.data),
  mask: Array.from(d.mask.data),
  featureNames: d.featureNames,
  labelNames: d.labelNames,
  ids: d.ids,
});

describe('columns: labels, id, ignore and text columns in the readers', () => {
  const csv = text(TRAIN_ROWS, ',');
  const columns = { id: 'id', ignore: ['note'] };

  it('labels by names, by a range and by parseLabelSpec name the same columns in the middle of the header', () => {
    const byNames = parseCsv(csv, { labels: LABELS, ...columns });
    const byRange = parseCsv(csv, { labels: { first: 'cat', last: 'fish' }, ...columns });
    const bySpec = parseCsv(csv, { labels: parseLabelSpec('cat:fish'), ...columns });
    expect(byNames.labelNames).to.deep.equal(LABELS);
    expect(byNames.featureNames).to.deep.equal(FEATURES);
    expect(plain(byRange)).to.deep.equal(plain(byNames));
    expect(plain(bySpec)).to.deep.equal(plain(byNames));
    // Row 0 as written: the features around the labels, in file order.
    expect(Array.from(byNames.x.data.subarray(0, 4))).to.deep.equal(
      [1, 2, 7, 8].map((c) => Number(TRAIN_ROWS[0][c])),
    );
  });

  it('labels by a count are the last N columns; by names, in the order given', () => {
    const count = parseCsv('a,b,L1,L2\n1,2,1,0\n', { labels: parseLabelSpec('2') });
    expect(count.labelNames).to.deep.equal(['L1', 'L2']);
    expect(count.featureNames).to.deep.equal(['a', 'b']);
    const named = parseCsv('a,b,L1,L2\n1,2,1,0\n', { labels: parseLabelSpec(' L2 , a ') });
    expect(named.labelNames).to.deep.equal(['L2', 'a']);
    expect(Array.from(named.y.data)).to.deep.equal([0, 1]);
    expect(named.featureNames).to.deep.equal(['b', 'L1']);
  });

  it('unknown labels in all four encodings (empty, ?, NaN, -1) are masked; 0 and 1 are known', () => {
    const d = parseCsv('x,L1,L2,L3,L4,L5\n1,,?,NaN,-1,1\n2,0,1,nan,-1.0,0\n', { labels: 5 });
    expect(Array.from(d.mask.data)).to.deep.equal([0, 0, 0, 0, 1, 1, 1, 0, 0, 1]);
    expect(Array.from(d.y.data)).to.deep.equal([0, 0, 0, 0, 1, 0, 1, 0, 0, 0]);
    const data = parseCsv(csv, { labels: LABELS, ...columns });
    TRAIN_ROWS.forEach((row, r) =>
      LABELS.forEach((_, k) => {
        const field = row[3 + k];
        expect(data.mask.data[r * 4 + k]).to.equal(UNKNOWN.includes(field) ? 0 : 1);
        expect(data.y.data[r * 4 + k]).to.equal(field === '1' ? 1 : 0);
      }),
    );
    // Every encoding occurs in the fixture.
    for (const u of UNKNOWN)
      expect(TRAIN_ROWS.some((r) => r.slice(3, 7).includes(u))).to.equal(true);
  });

  it('the id column becomes ids, kept by takeRows, splitRows, standardize and hideLabels; ignored columns are gone', () => {
    const d = parseCsv(csv, { labels: LABELS, ...columns });
    expect(d.ids).to.deep.equal(TRAIN_ROWS.map((r) => r[0]));
    expect(d.featureNames).to.not.include('note');
    expect(takeRows(d, [5, 2]).ids).to.deep.equal(['r0005', 'r0002']);
    const { train, val } = splitRows(d, 0.25, { seed: 3 });
    expect([...train.ids!, ...val.ids!].sort()).to.deep.equal(d.ids);
    expect(standardize(d).train.ids).to.deep.equal(d.ids);
    expect(hideLabels(d, 0.5, { seed: 1 }).ids).to.deep.equal(d.ids);
    const noId = parseCsv('a,L\n1,1\n', { labels: 1 });
    expect('ids' in noId).to.equal(false);
  });

  it('a text column is one error naming it; a later bad value in a numeric column names its line', () => {
    expect(() => parseCsv(csv, { labels: LABELS, ignore: ['note'] })).to.throw(
      'parseCsv: column "id" is text (line 2: "r0000"); name it with the option id or leave it out with the option ignore',
    );
    // The note is empty on the first three rows: its first value decides.
    expect(() => parseCsv(csv, { labels: LABELS, id: 'id' })).to.throw(
      'parseCsv: column "note" is text (line 5: "note 3"); name it with the option id or leave it out with the option ignore',
    );
    expect(() => parseCsv('a,L\n1,1\n2,1\nx,0\n', { labels: 1 })).to.throw(
      'parseCsv: line 4: feature "a" is "x"; expected a number',
    );
    // A missing-number spelling is not text: the field's own error.
    expect(() => parseCsv('a,L\nNaN,1\n', { labels: 1 })).to.throw(
      'parseCsv: line 2: feature "a" is "NaN"; expected a number',
    );
  });

  it('detectDelimiter picks the separator of the header line, outside quotes; a tie or none is a comma', () => {
    expect(detectDelimiter('a,b,c')).to.equal(',');
    expect(detectDelimiter('a\tb\tc,d')).to.equal('\t');
    expect(detectDelimiter('a;b;c,d')).to.equal(';');
    expect(detectDelimiter('"a;b;c",d')).to.equal(',');
    expect(detectDelimiter('a,b;c')).to.equal(',');
    expect(detectDelimiter('a\tb;c')).to.equal('\t');
    expect(detectDelimiter('abc')).to.equal(',');
    const tokenizer = new CsvTokenizer('spec', 'detect');
    tokenizer.push('\ufeff\n  \na;b\n1;2\n');
    tokenizer.end();
    expect([tokenizer.nextRecord(), tokenizer.nextRecord()]).to.deep.equal([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect([tokenizer.delimiter, tokenizer.detected]).to.deep.equal([';', true]);
  });

  it('TSV and semicolon files read as their CSV twin; the delimiter option overrides detection', () => {
    const options = { labels: LABELS, ...columns };
    const fromCsv = plain(parseCsv(csv, options));
    expect(plain(parseCsv(text(TRAIN_ROWS, '\t'), options))).to.deep.equal(fromCsv);
    expect(plain(parseCsv(text(TRAIN_ROWS, ';'), options))).to.deep.equal(fromCsv);
    const tsv = file('mine.tsv', text(TRAIN_ROWS, '\t'));
    const txt = file('mine.txt', text(TRAIN_ROWS, ';'));
    expect(plain(loadDataset(tsv, options))).to.deep.equal(fromCsv);
    expect(plain(loadDataset(txt, options))).to.deep.equal(fromCsv);
    // As many commas (in a name) as semicolons: a tie, so a comma; `;` has to be said.
    const commaNames = 'x,y,z;p;L\n1;2;1\n';
    expect(() => parseCsv(commaNames, { labels: 1 })).to.throw(
      'parseCsv: line 2: expected 3 fields, found 1',
    );
    const semicolons = parseCsv(commaNames, { labels: 1, delimiter: ';' });
    expect(semicolons.featureNames).to.deep.equal(['x,y,z', 'p']);
  });

  it('a file read as one column names the delimiter it used and the option', () => {
    expect(() => parseCsv('a|b|L\n1|2|1\n', { labels: 2 })).to.throw(
      'parseCsv: labels is 2 but there is only 1 column; expected at most 1; the header was read as one column (split on a comma, detected from the header line); if the file uses another separator, pass the option delimiter',
    );
  });

  it('ARFF: a string attribute is a text column, kept as the id or ignored', () => {
    const arff =
      "@relation r\n@attribute id string\n@attribute a numeric\n@attribute note string\n@attribute L {0,1}\n@data\n'r 1',1.5,?,1\nr2,2.5,'ok, fine',?\n";
    const parsed = parseArff(arff);
    expect(parsed.attributes.map((a) => a.type)).to.deep.equal([
      'string',
      'numeric',
      'string',
      'nominal',
    ]);
    expect(parsed.strings).to.deep.equal({ id: ['r 1', 'r2'], note: ['', 'ok, fine'] });
    const d = datasetFromArff(parsed, 1, { id: 'id', ignore: ['note'] });
    expect(plain(d)).to.deep.equal({
      x: [1.5, 2.5],
      y: [1, 0],
      mask: [1, 0],
      featureNames: ['a'],
      labelNames: ['L'],
      ids: ['r 1', 'r2'],
    });
    expect(() => datasetFromArff(parsed, 1, { id: 'id' })).to.throw(
      'datasetFromArff: column "note" is text (a string attribute, line 8: "ok, fine"); name it with the option id or leave it out with the option ignore',
    );
    const sparse = parseArff(
      '@relation r\n@attribute s string\n@attribute L {0,1}\n@data\n{1 1}\n',
    );
    expect(sparse.strings).to.deep.equal({ s: [''] });
  });

  it("predict's reader gives the id column's text and detects the delimiter", async () => {
    const input = file('rows.txt', text(TEST_ROWS, ';', SHUFFLED));
    const model = { features: { names: FEATURES }, labels: { names: LABELS } };
    const ids: string[] = [];
    let seen: string | null = null;
    for await (const batch of readRowsForModel(input, model, {
      id: 'id',
      batchRows: 7,
      onColumns: (_, id) => (seen = id),
    })) {
      ids.push(...batch.ids!);
    }
    expect(seen).to.equal('id');
    expect(ids).to.deep.equal(TEST_ROWS.map((r) => r[0]));
    let error = '';
    try {
      for await (const _ of readRowsForModel(input, model, { id: 'ID' })) break;
    } catch (e) {
      error = (e as Error).message;
    }
    expect(error).to.equal(
      `readRowsForModel: id column "ID" not found; the nearest of the 10 columns: "id", "bird", "cat" (in ${input})`,
    );
  });
});

describe('columns: train and predict on the user file', function () {
  this.timeout(60_000);
  const train = file('mine.csv', text(TRAIN_ROWS, ','));
  const shuffledTest = file('test.csv', text(TEST_ROWS, ';', SHUFFLED));
  const orderedTest = file('test-ordered.tsv', text(TEST_ROWS, '\t'));
  const model = join(dir, 'mine.model.json');
  const common = ['--strategy', 'masked', '--runs', '1', '--hide', '0', '--epochs', '4'];
  const trainArgs = [...common, '--hidden', '8', '--labels', 'cat:fish', '--id', 'id'];

  /** `train` on mine.csv with `test`, --json; its one record without the time it took. */
  function trainJson(test: string, extra: string[] = []) {
    const io = captureIo();
    const code = runTrain(
      ['--train', train, '--test', test, ...trainArgs, '--ignore', 'note', '--json', ...extra],
      io,
    );
    expect(code, io.stderr).to.equal(0);
    const { seconds: _seconds, ...record } = JSON.parse(io.stdout);
    return { record, stderr: io.stderr };
  }

  it('trains with labels named in the middle, an id and an ignored note; a shuffled semicolon test file gives the same run as the ordered TSV', () => {
    const shuffled = trainJson(shuffledTest, ['--save', model]);
    const ordered = trainJson(orderedTest);
    expect(shuffled.record).to.deep.equal(ordered.record);
    expect(shuffled.stderr).to.not.include('note:');
    const saved = readModelFile(model);
    expect(saved.training.idColumn).to.equal('id');
    expect(saved.features.names).to.deep.equal(FEATURES);
    expect(saved.labels.names).to.deep.equal(LABELS);
  });

  it('a text column in the training file is one line naming the flags, exit code 2', () => {
    const io = captureIo();
    const code = runTrain(
      ['--train', train, '--test', shuffledTest, ...common, '--labels', '4'],
      io,
    );
    expect(code).to.equal(2);
    expect(io.stderr).to.equal(
      `train: column "id" is text (line 2: "r0000"); name it with --id COL or leave it out with --ignore COL (in ${train})\n`,
    );
  });

  it('the test file: an extra column is left out with a note; --delimiter overrides detection', () => {
    const io = captureIo();
    const code = runTrain(['--train', train, '--test', shuffledTest, ...trainArgs, '--json'], io);
    // The note column of the training file is text and not ignored.
    expect(code).to.equal(2);
    const withNote = ['id', 'height', 'weight', 'cat', 'dog', 'bird', 'fish', 'age', 'score'];
    const trainNoNote = file('no-note.csv', text(TRAIN_ROWS, ',', withNote));
    const io2 = captureIo();
    expect(
      runTrain(['--train', trainNoNote, '--test', shuffledTest, ...trainArgs, '--json'], io2),
      io2.stderr,
    ).to.equal(0);
    expect(io2.stderr).to.include(
      'train: note: ignoring the test columns "note" (not in the training file)\n',
    );
    const io3 = captureIo();
    const args = ['--train', trainNoNote, '--test', shuffledTest, ...trainArgs, '--json'];
    expect(runTrain([...args, '--delimiter', 'tab'], io3)).to.equal(2);
    expect(io3.stderr).to.match(
      /^train: label column "cat" not found; the nearest of the 1 columns: .*; the header was read as one column \(split on a tab, as given\); if the file uses another separator, pass --delimiter comma, tab or semicolon \(in .*no-note\.csv\)\n$/,
    );
  });

  it('predict writes the id first, with its header name, and the probabilities of the model', async () => {
    const saved = readModelFile(model);
    const io = captureIo();
    expect(await runPredict(['--model', model, '--input', shuffledTest], io), io.stderr).to.equal(
      0,
    );
    expect(io.stderr).to.equal('predict: note: ignoring the columns "note" (not in the model)\n');
    const lines = io.stdout.trim().split('\n');
    expect(lines[0]).to.equal('id,cat,dog,bird,fish');
    const x = Float64Array.from(TEST_ROWS.flatMap((r) => [1, 2, 7, 8].map((c) => Number(r[c]))));
    const probs = new Predictor(saved).predict(x, TEST_ROWS.length);
    lines.slice(1).forEach((line, i) => {
      const [id, ...values] = line.split(',');
      expect(id).to.equal(TEST_ROWS[i][0]);
      expect(values.map(Number)).to.deep.equal(Array.from(probs.subarray(i * 4, i * 4 + 4)));
    });
  });

  it('predict --id names another column; without the model id column in the input, a note and no ids', async () => {
    const io = captureIo();
    expect(
      await runPredict(['--model', model, '--input', orderedTest, '--id', 'note'], io),
    ).to.equal(0);
    expect(io.stdout.split('\n')[0]).to.equal('note,cat,dog,bird,fish');
    expect(io.stdout.split('\n')[1]).to.match(/^,0\./);
    expect(io.stdout.split('\n')[4]).to.match(/^note 3,0\./);
    const noId = file(
      'no-id.csv',
      text(TEST_ROWS, ',', ['height', 'weight', 'cat', 'dog', 'bird', 'fish', 'age', 'score']),
    );
    const io2 = captureIo();
    expect(await runPredict(['--model', model, '--input', noId], io2)).to.equal(0);
    expect(io2.stderr).to.equal(
      `predict: note: the input has no column "id" (the model's id column); rows are written without ids\n`,
    );
    expect(io2.stdout.split('\n')[0]).to.equal('cat,dog,bird,fish');
    const io3 = captureIo();
    expect(await runPredict(['--model', model, '--input', noId, '--id', 'id'], io3)).to.equal(2);
    expect(io3.stderr).to.equal(
      `predict: id column "id" not found; the nearest of the 8 columns: "bird", "cat", "dog" (in ${noId})\n`,
    );
  });

  it('examples/pytorch reads the same file: ids first, the same probabilities; a text feature is one line', function () {
    const python = '/usr/bin/python3';
    if (!fs.existsSync(python) || spawnSync(python, ['-c', 'import torch']).status !== 0) {
      console.log(
        `\n  !!! SKIPPED: ${python} cannot import torch (apt-get install python3-torch) !!!\n`,
      );
      this.skip();
    }
    const saved = readModelFile(model);
    const weights = join(dir, 'mine.safetensors');
    fs.writeFileSync(weights, toSafetensors(saved, 'float64'));
    const script = join(__dirname, '..', 'examples', 'pytorch', 'maskgrad_torch.py');
    const output = join(dir, 'torch.csv');
    const run = spawnSync(
      python,
      [
        script,
        weights,
        '--input',
        shuffledTest,
        '--output',
        output,
        '--ignore',
        'note',
        '--train-epochs',
        '1',
      ],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).to.equal(0);
    const lines = fs.readFileSync(output, 'utf8').trim().split('\n');
    expect(lines[0]).to.equal('id,cat,dog,bird,fish');
    const x = Float64Array.from(TEST_ROWS.flatMap((r) => [1, 2, 7, 8].map((c) => Number(r[c]))));
    const probs = new Predictor(saved).predict(x, TEST_ROWS.length);
    let worst = 0;
    lines.slice(1).forEach((line, i) => {
      const [id, ...values] = line.split(',');
      expect(id).to.equal(TEST_ROWS[i][0]);
      values.forEach((v, k) => (worst = Math.max(worst, Math.abs(Number(v) - probs[i * 4 + k]))));
    });
    expect(worst).to.be.below(1e-12);
    const bad = file('bad.csv', 'id,height,weight,age,score\nr1,tall,70,40,0\n');
    const refused = spawnSync(python, [script, weights, '--input', bad], { encoding: 'utf8' });
    expect(refused.status).to.equal(2);
    expect(refused.stderr).to.equal(
      'maskgrad_torch.py: line 2: feature "height" is "tall"; expected a number\n',
    );
  });
});
