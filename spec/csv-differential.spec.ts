import { expect } from 'chai';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { readCsv } from '../src/node/read-data';
import { readRowsForModel } from '../src/node/input-rows';
import { differentialFuzz, disagreement } from './fuzz/differential';

// Training's CSV reader (readCsv, parseCsv) and predict's (readRowsForModel) share one grammar
// (CsvTokenizer): on the same file they refuse with the same message or give the same numbers.
// `npm run fuzz -- differential` runs 100,000 cases of the differential fuzzer.

const model = { features: { names: ['a'] }, labels: { names: ['L'] } };

async function predictRows(file: string, chunkBytes?: number) {
  const rows: { x: number[]; y: number[]; mask: number[] } = { x: [], y: [], mask: [] };
  for await (const batch of readRowsForModel(file, model, { chunkBytes })) {
    rows.x.push(...batch.x);
    rows.y.push(...batch.y!);
    rows.mask.push(...batch.mask!);
  }
  return rows;
}

async function predictError(file: string): Promise<string> {
  try {
    await predictRows(file);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`readRowsForModel accepted ${file}`);
}

function trainingError(file: string): string {
  try {
    readCsv(file, { labels: ['L'] });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`readCsv accepted ${file}`);
}

describe('CSV: training and predict read files the same way', () => {
  const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-csv-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  // The audit's cases: predict used to glue the text after the closing quote onto the value
  // ("0.5"5 read as 0.55, "0"1 as the label 1) with exit code 0, while training refused them.
  for (const [name, row] of [
    ['a feature "0.5"5', '"0.5"5,1'],
    ['a label "0"1', '0.5,"0"1'],
  ]) {
    it(`${name}: both readers refuse it with the same message naming the line`, async () => {
      const file = join(dir, `audit-${name.length}.csv`);
      fs.writeFileSync(file, `a,L\n0.25,0\n${row}\n`);
      const what = 'line 3: text after a closing quote; expected a comma';
      expect(trainingError(file)).to.equal(`parseCsv: ${what} (in ${file})`);
      expect(await predictError(file)).to.equal(`readRowsForModel: ${what} (in ${file})`);
    });
  }

  it('the same numbers bit for bit, whatever size the chunks are read in', async () => {
    const file = join(dir, 'chunks.csv');
    const text =
      '\ufeff"a", L \r\n-0,"1"\r\n"  1e-310 ",?\r\n\r\n.5 ,\u00a0-1\r"-2.5e+3", NaN \r\n7.,""\n1,0';
    fs.writeFileSync(file, text);
    const training = readCsv(file, { labels: ['L'] });
    const expected = {
      x: Array.from(training.x.data),
      y: Array.from(training.y.data),
      mask: Array.from(training.mask.data),
    };
    expect(expected.x).to.deep.equal([-0, 1e-310, 0.5, -2500, 7, 1]);
    expect(Object.is(expected.x[0], -0)).to.equal(true);
    expect(expected.y).to.deep.equal([1, 0, 0, 0, 0, 0]);
    expect(expected.mask).to.deep.equal([1, 0, 0, 0, 0, 1]);
    for (let chunkBytes = 1; chunkBytes <= text.length + 1; chunkBytes++) {
      const rows = await predictRows(file, chunkBytes);
      expect(rows, `chunkBytes ${chunkBytes}`).to.deep.equal(expected);
      expect(Object.is(rows.x[0], -0)).to.equal(true);
    }
  });

  it('multi-byte characters split between chunks read as whole', async () => {
    const file = join(dir, 'split.csv');
    // In UTF-8 "é" and NBSP are 2 bytes, "€" and U+3000 3, "😀" 4: every chunk size cuts some.
    const text = 'é€😀,"a😀",L\r\n\u30001\u00a0,"\u00a02",?\r\n\u3000\u30003,4\u3000,1\r\n5,6,0';
    fs.writeFileSync(file, text);
    const m = { features: { names: ['é€😀', 'a😀'] }, labels: { names: ['L'] } };
    const training = readCsv(file, { labels: 1 });
    expect(training.featureNames).to.deep.equal(['é€😀', 'a😀']);
    expect(Array.from(training.x.data)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    for (let chunkBytes = 1; chunkBytes <= 12; chunkBytes++) {
      const x: number[] = [];
      const mask: number[] = [];
      for await (const b of readRowsForModel(file, m, { chunkBytes })) {
        x.push(...b.x);
        mask.push(...b.mask!);
      }
      expect(x, `chunkBytes ${chunkBytes}`).to.deep.equal([1, 2, 3, 4, 5, 6]);
      expect(mask).to.deep.equal(Array.from(training.mask.data));
    }
  });

  it('reads TSV with the delimiter option, as parseCsv does', async () => {
    const file = join(dir, 'tab.tsv.csv');
    fs.writeFileSync(file, 'a\tL\n1.5\t1\n"2,5"\t0\n');
    const rows: number[] = [];
    try {
      for await (const b of readRowsForModel(file, model, { delimiter: '\t' })) rows.push(...b.x);
      expect.fail('expected an error');
    } catch (e) {
      expect((e as Error).message).to.equal(
        `readRowsForModel: line 3: feature "a" is "2,5"; expected a number (in ${file})`,
      );
    }
    fs.writeFileSync(file, 'a\tL\n1.5\t1\n" 2"\t0\n');
    for await (const b of readRowsForModel(file, model, { delimiter: '\t' })) rows.push(...b.x);
    expect(rows).to.deep.equal([1.5, 2]);
  });

  it('refuses a chunk size that is not a positive integer, and another delimiter', async () => {
    const file = join(dir, 'options.csv');
    fs.writeFileSync(file, 'a,L\n1,1\n');
    const errors: string[] = [];
    for (const options of [{ chunkBytes: 0 }, { chunkBytes: 1.5 }, { delimiter: '|' as ',' }]) {
      try {
        for await (const _ of readRowsForModel(file, model, options)) break;
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
    expect(errors).to.deep.equal([
      'readRowsForModel: chunkBytes is 0; expected a positive integer',
      'readRowsForModel: chunkBytes is 1.5; expected a positive integer',
      `readRowsForModel: delimiter is "|"; expected ",", "\\t", ";" or "detect" (in ${file})`,
    ]);
  });

  it("the comparison takes training's text-column error for predict's bad number, a long value quoted as an excerpt too", () => {
    // Case 9396 of `npm run fuzz -- differential 30000 7`: the value is longer than a message
    // quotes in full, so both quote an excerpt with its length.
    const value = '"-20.17898391086428,1.7976931348623157e30..." (41 characters)';
    const training = {
      error: `column "f1" is text (line 2: ${value}); name it with the option id or leave it out with the option ignore`,
      x: [],
      y: [],
      mask: [],
    };
    const predict = {
      error: `line 2: feature "f1" is ${value}; expected a number`,
      x: [],
      y: [],
      mask: [],
    };
    expect(disagreement(training, predict)).to.equal(null);
    // Another value, another line or another column is a disagreement.
    for (const other of [
      `line 2: feature "f1" is "-20.1"; expected a number`,
      `line 3: feature "f1" is ${value}; expected a number`,
      `line 2: feature "f2" is ${value}; expected a number`,
    ]) {
      expect(disagreement(training, { ...predict, error: other }), other).to.be.a('string');
    }
  });

  it('3,000 fuzzed lines: the two readers agree on every one', async function () {
    this.timeout(60_000);
    const report = await differentialFuzz('npm-test', 3000);
    const shown = report.failures
      .slice(0, 5)
      .map((f) => `case ${f.caseIndex}: ${f.problem}\n  ${f.text}`)
      .join('\n');
    expect(report.failures, shown).to.deep.equal([]);
    // Not vacuous: many lines are read by both, many refused by both.
    expect(report.accepted).to.be.greaterThan(report.cases / 4);
    expect(report.cases - report.accepted).to.be.greaterThan(report.cases / 4);
  });
});
