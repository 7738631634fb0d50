import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  batches,
  datasetFromArff,
  hideLabels,
  type MultiLabelDataset,
  parseArff,
  parseCsv,
  splitRows,
  standardize,
  takeRows,
} from '../src/core/data';
import { isMaskgradError } from '../src/core/errors';
import { parseDecimal } from '../src/core/data/number';
import { Random } from '../src/core/random';
import { Tensor } from '../src/core/tensor';
import { loadDataset, readArff } from '../src/node';

const DATA = join(__dirname, '..', 'examples', 'data');
const rows2d = (t: Tensor): number[][] => t.toArray() as number[][];

/** A small data set: row r has x = [r, 10 r] and labels derived from r. */
function small(n: number): MultiLabelDataset {
  const x = new Float64Array(n * 2);
  const y = new Float64Array(n * 3);
  const mask = new Float64Array(n * 3).fill(1);
  for (let r = 0; r < n; r++) {
    x[r * 2] = r;
    x[r * 2 + 1] = 10 * r;
    y[r * 3] = r % 2;
    y[r * 3 + 1] = r % 3 === 0 ? 1 : 0;
  }
  mask[2] = 0;
  return {
    x: new Tensor(x, [n, 2]),
    y: new Tensor(y, [n, 3]),
    mask: new Tensor(mask, [n, 3]),
    featureNames: ['a', 'b'],
    labelNames: ['p', 'q', 'r'],
  };
}

describe('data', () => {
  describe('parseArff', () => {
    const dense = [
      '% a comment',
      '@RELATION  "tiny set"',
      '',
      "@attribute 'first feature' NUMERIC",
      '@Attribute "second one" real % trailing comment',
      '@attribute third integer',
      '@attribute L1 {0,1}',
      '@attribute L2 { 0 , 1 }',
      '',
      '@DATA',
      '% another comment',
      '1.5, -2, 3, 1, 0',
      '',
      '?,1e-3,4,?,1',
      '  .5,+2,0,0,?  ',
    ].join('\n');

    it('reads dense rows, quoted names, comments, blank lines and ? as NaN', () => {
      const p = parseArff(dense);
      expect(p.relation).to.equal('tiny set');
      expect(
        parseArff('\uFEFF@relation yeast: -C 14\n@attribute a numeric\n@data\n').relation,
      ).to.equal('yeast: -C 14');
      expect(p.names).to.deep.equal(['first feature', 'second one', 'third', 'L1', 'L2']);
      expect(p.attributes.map((a) => a.type)).to.deep.equal([
        'numeric',
        'real',
        'integer',
        'nominal',
        'nominal',
      ]);
      expect(p.attributes[3].nominalValues).to.deep.equal(['0', '1']);
      expect(p.attributes[4].encoding).to.equal('number');
      expect(p.rows).to.equal(3);
      expect(p.columns).to.equal(5);
      expect(Array.from(p.values)).to.deep.equal([
        1.5,
        -2,
        3,
        1,
        0,
        NaN,
        1e-3,
        4,
        NaN,
        1,
        0.5,
        2,
        0,
        0,
        NaN,
      ]);
      expect(Array.from(p.lines)).to.deep.equal([12, 14, 15]);
      expect(p.sparse).to.equal(false);
    });

    it('reads CRLF line endings', () => {
      const p = parseArff(dense.replace(/\n/g, '\r\n'));
      expect(p.rows).to.equal(3);
      expect(p.values[0]).to.equal(1.5);
    });

    it('reads sparse rows: omitted entries are 0, ? is unknown, {} is all zeros', () => {
      const text = [
        '@relation sparse',
        '@attribute a numeric',
        '@attribute b numeric',
        '@attribute c numeric',
        '@attribute L {0,1}',
        '@data',
        '{0 1.5, 3 1}',
        '{}',
        '{ 2 -4 , 1 ? }',
        '7,8,9,0',
      ].join('\n');
      const p = parseArff(text);
      expect(p.sparse).to.equal(true);
      expect(Array.from(p.values)).to.deep.equal([
        1.5,
        0,
        0,
        1,
        0,
        0,
        0,
        0,
        0,
        NaN,
        -4,
        0,
        7,
        8,
        9,
        0,
      ]);
    });

    it('stores non-numeric nominal values as their index in the declared set', () => {
      const p = parseArff(
        "@relation r\n@attribute f {yes,no,'not sure'}\n@data\nno\n'not sure'\nyes\n",
      );
      expect(p.attributes[0].encoding).to.equal('index');
      expect(Array.from(p.values)).to.deep.equal([1, 2, 0]);
    });

    it('checks label values as it reads when given { labels }', () => {
      const text = '@relation r\n@attribute a numeric\n@attribute L numeric\n@data\n1,1\n2,0.5\n';
      expect(parseArff(text).rows).to.equal(2);
      expect(
        parseArff('@relation r\n@attribute a numeric\n@attribute L numeric\n@data\n1,1\n', {
          labels: 1,
        }).labels,
      ).to.equal(1);
      expect(() => parseArff(text, { labels: 1 })).to.throw(
        'parseArff: line 6: label "L" has value 0.5; expected 0, 1 or ? (unknown)',
      );
      expect(() => parseArff(text, { labels: 3 })).to.throw(
        'parseArff: labels is 3 but the file declares only 2 attributes; expected at most 2',
      );
    });

    describe('malformed files name the line and what was expected', () => {
      const header =
        '@relation r\n@attribute a numeric\n@attribute b numeric\n@attribute L {0,1}\n@data\n';
      const cases: [string, string, string][] = [
        [
          'a missing value',
          header + '1,2,1\n3,4\n',
          'parseArff: line 7: expected 3 values, found 2',
        ],
        ['an extra value', header + '1,2,1,0\n', 'parseArff: line 6: expected 3 values, found 4'],
        [
          'a non-number',
          header + '1,abc,1\n',
          'parseArff: line 6: value 2 ("abc") of attribute "b" is not a number; expected a number or ?',
        ],
        [
          'an empty value',
          header + '1,,1\n',
          'parseArff: line 6: value 2 ("") of attribute "b" is not a number; expected a number or ?',
        ],
        [
          'a nominal value outside the set',
          header + '1,2,2\n',
          'parseArff: line 6: value 3 ("2") of attribute "L" is not one of {0,1}',
        ],
        [
          'an unknown attribute type',
          '@relation r\n@attribute name date\n@data\n',
          'parseArff: line 2: unknown type "date" for attribute "name"; expected numeric, real, integer, string or a nominal set such as {0,1}',
        ],
        [
          'a sparse index out of range',
          header + '{0 1, 3 1}\n',
          'parseArff: line 6: sparse index 3 is out of range; expected an integer from 0 to 2',
        ],
        [
          'a repeated sparse index',
          header + '{1 1, 1 2}\n',
          'parseArff: line 6: sparse index 1 appears twice; expected each at most once',
        ],
        [
          'a sparse row without its closing brace',
          header + '{0 1, 2 1\n',
          'parseArff: line 6: sparse row has no closing }; expected {index value, index value, ...}',
        ],
        [
          'no @data section',
          '@relation r\n@attribute a numeric\n',
          'parseArff: no @data section; expected a line "@data" after the @attribute lines',
        ],
        [
          'a duplicate attribute',
          '@relation r\n@attribute a numeric\n@attribute a numeric\n@data\n',
          'parseArff: line 3: attribute "a" is declared twice; expected unique names',
        ],
        [
          'an unknown declaration',
          '@relation r\n@attrib a numeric\n@data\n',
          'parseArff: line 2: unknown declaration "@attrib"; expected @relation, @attribute or @data',
        ],
        [
          'data before @data',
          '@relation r\n@attribute a numeric\n1\n',
          'parseArff: line 3: expected @relation, @attribute or @data before the data, found "1"',
        ],
        [
          'a declaration after @data',
          header + '1,2,1\n@attribute c numeric\n',
          'parseArff: line 7: unexpected "@attribute c numeric" after @data; expected a data row',
        ],
        [
          'no attributes',
          '@relation r\n@data\n',
          'parseArff: line 2: no @attribute before @data; expected at least one',
        ],
      ];
      for (const [what, text, message] of cases) {
        it(what, () => {
          expect(() => parseArff(text)).to.throw(Error, message);
        });
      }

      it('the yeast file with a value removed from line 130', () => {
        const lines = readArff(join(DATA, 'yeast-train.arff')).lines;
        expect(lines[0]).to.equal(124);
        const text = readFileSync(join(DATA, 'yeast-train.arff'), 'utf8').split('\n');
        text[129] = text[129].replace(/,[^,]*$/, '');
        expect(() => parseArff(text.join('\n'))).to.throw(
          'parseArff: line 130: expected 117 values, found 116',
        );
      });
    });

    it('readArff adds the file name to errors', () => {
      const dir = mkdtempSync(join(tmpdir(), 'maskgrad-'));
      const path = join(dir, 'bad.arff');
      writeFileSync(path, '@relation r\n@attribute a numeric\n@data\nx\n');
      expect(() => readArff(path)).to.throw(
        `parseArff: line 4: value 1 ("x") of attribute "a" is not a number; expected a number or ? (in ${path})`,
      );
    });
  });

  describe('parseCsv', () => {
    const csv = ['f1,"f 2",L1,L2,L3', '1.5,2,1,0,', '-3,"4",?,NaN,-1', '', '0,1e2,0,1,1', ''].join(
      '\n',
    );

    it('takes the last N columns as labels; empty, ?, NaN and -1 are unknown', () => {
      const d = parseCsv(csv, { labels: 3 });
      expect(d.featureNames).to.deep.equal(['f1', 'f 2']);
      expect(d.labelNames).to.deep.equal(['L1', 'L2', 'L3']);
      expect(rows2d(d.x)).to.deep.equal([
        [1.5, 2],
        [-3, 4],
        [0, 100],
      ]);
      expect(rows2d(d.y)).to.deep.equal([
        [1, 0, 0],
        [0, 0, 0],
        [0, 1, 1],
      ]);
      expect(rows2d(d.mask)).to.deep.equal([
        [1, 1, 0],
        [0, 0, 0],
        [1, 1, 1],
      ]);
    });

    it('takes labels by name, in the order given; the other columns are features', () => {
      const d = parseCsv('a,L1,b,L2\n1,0,2,1\n3,?,4,0.0\n', { labels: ['L2', 'L1'] });
      expect(d.featureNames).to.deep.equal(['a', 'b']);
      expect(d.labelNames).to.deep.equal(['L2', 'L1']);
      expect(rows2d(d.x)).to.deep.equal([
        [1, 2],
        [3, 4],
      ]);
      expect(rows2d(d.y)).to.deep.equal([
        [1, 0],
        [0, 0],
      ]);
      expect(rows2d(d.mask)).to.deep.equal([
        [1, 1],
        [1, 0],
      ]);
    });

    it('reads quoted fields with commas and doubled quotes in the header', () => {
      const d = parseCsv('"a, b","say ""hi""",L\n1,2,1\n', { labels: 1 });
      expect(d.featureNames).to.deep.equal(['a, b', 'say "hi"']);
    });

    it('errors name the line and what was expected', () => {
      expect(() => parseCsv('a,L\n1,1\nx,0\n', { labels: 1 })).to.throw(
        'parseCsv: line 3: feature "a" is "x"; expected a number',
      );
      expect(() => parseCsv('a,L\n1,1\n,0\n', { labels: 1 })).to.throw(
        'parseCsv: line 3: feature "a" is ""; expected a number',
      );
      expect(() => parseCsv('a,L\n1,2\n', { labels: 1 })).to.throw(
        'parseCsv: line 2: label "L" is "2"; expected 0, 1, or empty, ?, NaN or -1 for unknown',
      );
      expect(() => parseCsv('a,L\n1,1,3\n', { labels: 1 })).to.throw(
        'parseCsv: line 2: expected 2 fields, found 3',
      );
      expect(() => parseCsv('a,L\n1,1\n', { labels: ['M'] })).to.throw(
        'parseCsv: label column "M" not found; the nearest of the 2 columns: "a", "L"',
      );
      expect(() => parseCsv('a,L\n1,1\n', { labels: 3 })).to.throw(
        'parseCsv: labels is 3 but there are only 2 columns; expected at most 2',
      );
      expect(() => parseCsv('a,L\n"1,1\n', { labels: 1 })).to.throw(
        'parseCsv: line 2: unterminated quoted field; expected a closing "',
      );
      expect(() => parseCsv('a,a\n1,1\n', { labels: 1 })).to.throw(
        'parseCsv: line 1: column name "a" appears twice; expected unique names',
      );
    });
  });

  describe('datasetFromArff and loadDataset', () => {
    it('yeast-train-missing50.arff: 1500 rows, 103 features, 14 labels, with unknowns', () => {
      const d = datasetFromArff(readArff(join(DATA, 'yeast-train-missing50.arff')), 14);
      expect(d.x.shape).to.deep.equal([1500, 103]);
      expect(d.y.shape).to.deep.equal([1500, 14]);
      expect(d.mask.shape).to.deep.equal([1500, 14]);
      expect(d.featureNames[0]).to.equal('Att1');
      expect(d.labelNames).to.deep.equal(Array.from({ length: 14 }, (_, i) => `Class${i + 1}`));
      let unknown = 0;
      for (let i = 0; i < d.mask.size; i++) {
        if (d.mask.data[i] === 0) {
          unknown++;
          expect(d.y.data[i]).to.equal(0);
        } else expect(d.mask.data[i]).to.equal(1);
      }
      expect(unknown).to.be.greaterThan(0);
    });

    it('yeast-train.arff: no unknowns, and the same known labels as the missing50 file', () => {
      const full = loadDataset(join(DATA, 'yeast-train.arff'), { labels: 14 });
      const missing = loadDataset(join(DATA, 'yeast-train-missing50.arff'), { labels: 14 });
      expect(full.x.shape).to.deep.equal([1500, 103]);
      expect(Array.from(full.mask.data).every((m) => m === 1)).to.equal(true);
      expect(Array.from(full.x.data)).to.deep.equal(Array.from(missing.x.data));
      for (let i = 0; i < full.y.size; i++) {
        if (missing.mask.data[i] === 1) expect(missing.y.data[i]).to.equal(full.y.data[i]);
      }
    });

    it('label values other than 0, 1 and ? are errors naming the line and column', () => {
      const p = parseArff(
        '@relation r\n@attribute a numeric\n@attribute L numeric\n@data\n1,1\n2,3\n',
      );
      expect(() => datasetFromArff(p, 1)).to.throw(
        'datasetFromArff: line 6: label "L" has value 3; expected 0, 1 or ? (unknown)',
      );
    });

    it('unknown feature values are errors', () => {
      const p = parseArff(
        '@relation r\n@attribute a numeric\n@attribute L numeric\n@data\n1,1\n?,0\n',
      );
      expect(() => datasetFromArff(p, 1)).to.throw(
        'datasetFromArff: line 6: feature "a" is unknown (?); expected a number (features cannot be missing)',
      );
    });

    it('more labels than attributes is an error', () => {
      const p = parseArff('@relation r\n@attribute a numeric\n@attribute L numeric\n@data\n1,1\n');
      expect(() => datasetFromArff(p, 3)).to.throw(
        'datasetFromArff: labels is 3 but there are only 2 columns; expected at most 2',
      );
      expect(() => datasetFromArff(p, 0)).to.throw(
        'datasetFromArff: labels must be a positive integer',
      );
    });

    it('loadDataset reads CSV by extension and rejects other extensions', () => {
      const dir = mkdtempSync(join(tmpdir(), 'maskgrad-'));
      const path = join(dir, 'tiny.csv');
      writeFileSync(path, 'a,L\n1,1\n2,?\n');
      const d = loadDataset(path, { labels: ['L'] });
      expect(Array.from(d.mask.data)).to.deep.equal([1, 0]);
      expect(() => loadDataset(join(dir, 'tiny.json'), { labels: 1 })).to.throw(
        'loadDataset: cannot tell the format',
      );
    });
  });

  describe('standardize', () => {
    const train = loadDataset(join(DATA, 'yeast-train.arff'), { labels: 14 });
    const test = loadDataset(join(DATA, 'yeast-test.arff'), { labels: 14 });

    it('gives the training features mean 0 and population std 1 (to 1e-12)', () => {
      const { train: t, mean, std } = standardize(train, test);
      const [N, D] = t.x.shape;
      for (let j = 0; j < D; j++) {
        let m = 0;
        for (let i = 0; i < N; i++) m += t.x.data[i * D + j];
        m /= N;
        let v = 0;
        for (let i = 0; i < N; i++) v += (t.x.data[i * D + j] - m) ** 2;
        expect(Math.abs(m)).to.be.lessThan(1e-12);
        expect(Math.abs(Math.sqrt(v / N) - 1)).to.be.lessThan(1e-12);
      }
      expect(mean.length).to.equal(103);
      expect(std.length).to.equal(103);
    });

    it('applies the training statistics to the other data sets', () => {
      const { others, mean, std } = standardize(train, test);
      const D = 103;
      for (const i of [0, 1, 500, 916]) {
        for (const j of [0, 50, 102]) {
          expect(others[0].x.data[i * D + j]).to.equal((test.x.data[i * D + j] - mean[j]) / std[j]);
        }
      }
      expect(Array.from(others[0].y.data)).to.deep.equal(Array.from(test.y.data));
    });

    it('leaves a constant feature centered with divisor 1, and does not change its input', () => {
      const d = small(4);
      const constant: MultiLabelDataset = {
        ...d,
        x: new Tensor(Float64Array.from([0.1, 1, 0.1, 2, 0.1, 3, 0.1, 4]), [4, 2]),
      };
      const before = Array.from(constant.x.data);
      const { train: t, mean, std } = standardize(constant);
      expect(std[0]).to.equal(1);
      expect(mean[1]).to.equal(2.5);
      for (let i = 0; i < 4; i++) expect(t.x.data[i * 2]).to.equal(0.1 - mean[0]);
      expect(Array.from(constant.x.data)).to.deep.equal(before);
    });

    it('rejects data sets with different feature counts', () => {
      const other = {
        ...small(2),
        x: new Tensor(new Float64Array(6), [2, 3]),
        featureNames: ['a', 'b', 'c'],
      };
      expect(() => standardize(small(3), other)).to.throw(
        'standardize: data set 1 after train has 3 features but train has 2',
      );
    });
  });

  describe('hideLabels', () => {
    const yeast = loadDataset(join(DATA, 'yeast-train.arff'), { labels: 14 });
    const missing = loadDataset(join(DATA, 'yeast-train-missing50.arff'), { labels: 14 });

    it('the same seed gives a bit-identical mask; another seed a different one', () => {
      const a = hideLabels(yeast, 0.3, { seed: 7 });
      const b = hideLabels(yeast, 0.3, { seed: 7 });
      const c = hideLabels(yeast, 0.3, { seed: 8 });
      expect(Buffer.from(a.mask.data.buffer).equals(Buffer.from(b.mask.data.buffer))).to.equal(
        true,
      );
      expect(Buffer.from(a.y.data.buffer).equals(Buffer.from(b.y.data.buffer))).to.equal(true);
      expect(Buffer.from(a.mask.data.buffer).equals(Buffer.from(c.mask.data.buffer))).to.equal(
        false,
      );
    });

    it('rate 0 changes nothing; rate 1 hides everything', () => {
      const none = hideLabels(missing, 0, { seed: 1 });
      expect(Array.from(none.mask.data)).to.deep.equal(Array.from(missing.mask.data));
      expect(Array.from(none.y.data)).to.deep.equal(Array.from(missing.y.data));
      const all = hideLabels(missing, 1, { seed: 1 });
      expect(Array.from(all.mask.data).every((m) => m === 0)).to.equal(true);
      expect(Array.from(all.y.data).every((v) => v === 0)).to.equal(true);
    });

    it('already-unknown entries stay unknown, and hidden entries get y = 0', () => {
      const h = hideLabels(missing, 0.5, { seed: 3 });
      for (let i = 0; i < h.mask.size; i++) {
        if (missing.mask.data[i] === 0) expect(h.mask.data[i]).to.equal(0);
        if (h.mask.data[i] === 0) expect(h.y.data[i]).to.equal(0);
        else expect(h.y.data[i]).to.equal(missing.y.data[i]);
      }
      expect(Array.from(h.x.data)).to.deep.equal(Array.from(missing.x.data));
    });

    it('hides about half of yeast at rate 0.5 (within 0.02)', () => {
      const h = hideLabels(yeast, 0.5, { seed: 2024 });
      let hidden = 0;
      for (let i = 0; i < h.mask.size; i++) if (h.mask.data[i] === 0) hidden++;
      expect(Math.abs(hidden / h.mask.size - 0.5)).to.be.lessThan(0.02);
    });

    it('rejects a rate outside [0, 1]', () => {
      expect(() => hideLabels(yeast, 1.5, { seed: 1 })).to.throw(
        'hideLabels: rate must be a number from 0 to 1, got 1.5',
      );
      expect(() => hideLabels(yeast, NaN, { seed: 1 })).to.throw(
        'hideLabels: rate must be a number from 0 to 1, got NaN',
      );
    });
  });

  describe('splitRows and takeRows', () => {
    it('holds out round(rate * N) rows, every row in exactly one part, seeded', () => {
      const d = small(11);
      const { train, val } = splitRows(d, 0.3, { seed: 5 });
      expect(val.x.shape).to.deep.equal([3, 2]);
      expect(train.x.shape).to.deep.equal([8, 2]);
      const ids = [...rows2d(train.x), ...rows2d(val.x)].map((r) => r[0]).sort((a, b) => a - b);
      expect(ids).to.deep.equal(Array.from({ length: 11 }, (_, i) => i));
      const again = splitRows(d, 0.3, { seed: 5 });
      expect(rows2d(again.val.x)).to.deep.equal(rows2d(val.x));
    });

    it('takeRows copies the given rows in order', () => {
      const d = small(5);
      const t = takeRows(d, [4, 0, 4]);
      expect(rows2d(t.x)).to.deep.equal([
        [4, 40],
        [0, 0],
        [4, 40],
      ]);
      expect(rows2d(t.mask)[1]).to.deep.equal([1, 1, 0]);
      t.x.data[0] = 99;
      expect(d.x.data[8]).to.equal(4);
      expect(() => takeRows(d, [5])).to.throw(
        'takeRows: index 5 (at position 0) is not a row; expected an integer from 0 to 4',
      );
    });
  });

  describe('batches', () => {
    const d = small(10);
    const firstColumn = (b: { x: Tensor }) => rows2d(b.x).map((r) => r[0]);

    it('covers every row exactly once per epoch; the last batch may be smaller', () => {
      const all = [...batches(d, 3, { seed: 1 })];
      expect(all.map((b) => b.x.shape[0])).to.deep.equal([3, 3, 3, 1]);
      const seen = all.flatMap(firstColumn).sort((a, b) => a - b);
      expect(seen).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      for (const b of all) {
        expect(Array.from(b.indices)).to.deep.equal(firstColumn(b));
        expect(b.y.shape).to.deep.equal([b.x.shape[0], 3]);
        expect(b.mask.shape).to.deep.equal([b.x.shape[0], 3]);
      }
    });

    it('the same seed gives the same order; a generator moves on each epoch', () => {
      const order = (it: Iterable<{ x: Tensor }>) => [...it].flatMap(firstColumn);
      expect(order(batches(d, 4, { seed: 9 }))).to.deep.equal(order(batches(d, 4, { seed: 9 })));
      expect(order(batches(d, 4, { seed: 9 }))).to.not.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const rng = new Random(3);
      const e1 = order(batches(d, 4, { rng }));
      const e2 = order(batches(d, 4, { rng }));
      expect(e1).to.not.deep.equal(e2);
      expect([...e2].sort((a, b) => a - b)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('without shuffling, visits rows in order; shuffling without a seed is an error', () => {
      expect([...batches(d, 4)].flatMap(firstColumn)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(() => batches(d, 4, { shuffle: true })).to.throw(
        'batches: shuffle needs { seed } or { rng }',
      );
      expect(() => batches(d, 0)).to.throw('batches: batchSize must be a positive integer, got 0');
    });
  });

  describe('hardening: line endings, separators, empty files and huge cells', () => {
    const arff = [
      '@relation r',
      '@attribute a numeric',
      '@attribute b {x,y}',
      '@attribute L {0,1}',
      '@data',
      '1.5,x,1',
      '-2,y,?',
    ];
    const expected = parseArff(arff.join('\n'));

    /** The error `run` throws, failing unless it is a MaskgradError with code ERR_PARSE. */
    function parseError(run: () => unknown): string {
      try {
        run();
      } catch (e) {
        expect(isMaskgradError(e, 'ERR_PARSE'), String(e)).to.equal(true);
        return (e as Error).message;
      }
      return expect.fail('expected an ERR_PARSE error');
    }

    it('parseArff reads CR (old Mac), CRLF and mixed line endings like LF, line numbers too', () => {
      const mixed = arff.map((l, i) => l + ['\n', '\r', '\r\n'][i % 3]).join('');
      for (const text of [arff.join('\r'), arff.join('\r\n'), mixed, '\uFEFF' + arff.join('\r')]) {
        const p = parseArff(text);
        expect(Array.from(p.values)).to.deep.equal(Array.from(expected.values));
        expect(Array.from(p.lines)).to.deep.equal([6, 7]);
        expect(p.names).to.deep.equal(['a', 'b', 'L']);
      }
    });

    it('parseArff keeps U+2028, U+2029 and NBSP inside a line (they are white space there)', () => {
      const p = parseArff(
        '@relation a\u2028b\n@attribute\u2029a\u00a0numeric\n@attribute L {0,1}\n@data\n\u20281,\u00a01\u2029\n',
      );
      expect(p.relation).to.equal('a\u2028b');
      expect(p.names).to.deep.equal(['a', 'L']);
      expect(Array.from(p.values)).to.deep.equal([1, 1]);
    });

    it('parseArff: a lone @, "@ relation" or a CR inside a header line is an ERR_PARSE naming the line', () => {
      expect(parseError(() => parseArff('@\n@data\n'))).to.equal(
        'parseArff: line 1: "@" has no keyword after @; expected @relation, @attribute or @data',
      );
      expect(parseError(() => parseArff('@relation r\n@ relation r\n@data\n'))).to.equal(
        'parseArff: line 2: "@ relation r" has no keyword after @; expected @relation, @attribute or @data',
      );
      expect(
        parseError(() => parseArff('@relation r\n@attribute a\r numeric\n@data\n1\n')),
      ).to.equal(
        'parseArff: line 2: unknown type "" for attribute "a"; expected numeric, real, integer, string or a nominal set such as {0,1}',
      );
    });

    it('parseArff: a file truncated inside its header is an error, whatever the cut', () => {
      const text = arff.join('\n') + '\n';
      const dataStart = text.indexOf('@data') + '@data'.length;
      for (let cut = 0; cut < dataStart; cut++) {
        expect(() => parseArff(text.slice(0, cut)), `cut at ${cut}`).to.throw(Error);
      }
    });

    it('problems in the file are ERR_PARSE; a wrong argument or option is ERR_ARGUMENT', () => {
      const code = (run: () => unknown) => {
        try {
          run();
        } catch (e) {
          return isMaskgradError(e) ? e.code : 'not a MaskgradError';
        }
        return 'no error';
      };
      const head = '@relation r\n@attribute a numeric\n@attribute L {no,yes}\n@data\n';
      expect(code(() => parseArff(head + '1,yes\n', { labels: 1 }))).to.equal('ERR_PARSE');
      const numeric = '@relation r\n@attribute a numeric\n@attribute L numeric\n@data\n';
      expect(code(() => datasetFromArff(parseArff(head + '1,yes\n'), ['L']))).to.equal('ERR_PARSE');
      expect(code(() => datasetFromArff(parseArff(numeric + '?,1\n'), 1))).to.equal('ERR_PARSE');
      expect(code(() => datasetFromArff(parseArff(numeric + '1,2\n'), 1))).to.equal('ERR_PARSE');
      expect(code(() => parseArff('@relation r\n'))).to.equal('ERR_PARSE');
      expect(code(() => parseArff('@relation r\n@attribute a {1e999}\n@data\n'))).to.equal(
        'ERR_PARSE',
      );
      expect(code(() => parseCsv('', { labels: 1 }))).to.equal('ERR_PARSE');
      expect(code(() => parseCsv(',L\n1,1\n', { labels: 1 }))).to.equal('ERR_PARSE');
      expect(code(() => parseCsv(5 as never, { labels: 1 }))).to.equal('ERR_ARGUMENT');
      expect(code(() => parseArff(head, { labels: 0 }))).to.equal('ERR_ARGUMENT');
    });

    it('parseArff reads a header with an empty @data as 0 rows; datasetFromArff refuses it', () => {
      const p = parseArff(arff.slice(0, 5).join('\n'));
      expect([p.rows, p.columns, p.values.length]).to.deep.equal([0, 3, 0]);
      expect(parseError(() => datasetFromArff(p, 1))).to.equal(
        'datasetFromArff: the file has no data rows (its @data section is empty); expected at least one row',
      );
    });

    const csv = ['a,b,L1,L2', '1,2,1,0', '3,4,?,1'];
    const csvExpected = parseCsv(csv.join('\n'), { labels: 2 });

    it('parseCsv reads CR (old Mac), CRLF and mixed line endings like LF', () => {
      const mixed = csv[0] + '\r' + csv[1] + '\r\n' + csv[2] + '\n';
      for (const text of [csv.join('\r'), csv.join('\r\n'), mixed, '\uFEFF' + csv.join('\r')]) {
        const d = parseCsv(text, { labels: 2 });
        expect(d.x.toArray()).to.deep.equal(csvExpected.x.toArray());
        expect(d.y.toArray()).to.deep.equal(csvExpected.y.toArray());
        expect(d.mask.toArray()).to.deep.equal(csvExpected.mask.toArray());
      }
      expect(() => parseCsv('a,L\r1,1\r2,x\r', { labels: 1 })).to.throw(
        'parseCsv: line 3: label "L" is "x"',
      );
    });

    it('parseCsv: a header without data rows (or cut inside the header) is an ERR_PARSE', () => {
      for (const text of ['a,b,L1,L2', 'a,b,L1,L2\n', 'a,b,L1,L2\r\n\r\n  \n', 'a,b,L1']) {
        expect(parseError(() => parseCsv(text, { labels: 1 }))).to.match(
          /^parseCsv: the text has a header \(line 1\) but no data rows; expected at least one row after it$/,
        );
      }
    });

    it('parseCsv stores a label written -0 or 0.0 as +0, and 1.0 or 1e0 as 1', () => {
      const d = parseCsv('a,L1,L2,L3\n1,-0,0.0,1e0\n', { labels: 3 });
      expect(Object.is(d.y.data[0], 0)).to.equal(true);
      expect(Array.from(d.y.data)).to.deep.equal([0, 0, 1]);
      expect(Array.from(d.mask.data)).to.deep.equal([1, 1, 1]);
    });

    it('a cell of 160,000 digits and a letter is rejected at once, and the message echoes 40 of them', () => {
      const cell = '7'.repeat(160_000) + 'x';
      const head = '7'.repeat(40);
      const csvMessage = parseError(() => parseCsv(`a,L\n1,1\n${cell},1\n`, { labels: 1 }));
      expect(csvMessage).to.equal(
        `parseCsv: line 3: feature "a" is "${head}..." (160001 characters); expected a number`,
      );
      const arffMessage = parseError(() =>
        parseArff(`@relation r\n@attribute a numeric\n@data\n${cell}\n`),
      );
      expect(arffMessage).to.equal(
        `parseArff: line 4: value 1 ("${head}..." (160001 characters)) of attribute "a" is not a number; expected a number or ?`,
      );
      const line = parseError(() => parseArff(`@relation r\n${cell}\n`));
      expect(line.length).to.be.lessThan(200);
    });

    /** Milliseconds taken by `work`. */
    function timed(work: () => void): number {
      const start = process.hrtime.bigint();
      work();
      return Number(process.hrtime.bigint() - start) / 1e6;
    }

    /**
     * How much longer `parse` takes on `make(4n)` than on `make(n)` (n = 250,000 unless
     * given): about 4 when linear, 16 when quadratic.
     */
    const ratio = (make: (n: number) => string, parse: (text: string) => unknown, n = 250_000) => {
      const [small, large] = [make(n), make(4 * n)];
      parse(small); // flattens the strings and warms up, outside the timing
      parse(large);
      // Interleaved, the fastest of 15 runs of each, and the best of 3 such ratios: a busy
      // machine slows single runs (a quadratic parse would take minutes at 1 MB anyway).
      const ratios: number[] = [];
      for (let attempt = 0; attempt < 3 && !(Math.min(...ratios) < 10); attempt++) {
        let [bestSmall, bestLarge] = [Infinity, Infinity];
        for (let run = 0; run < 15; run++) {
          bestSmall = Math.min(
            bestSmall,
            timed(() => parse(small)),
          );
          bestLarge = Math.min(
            bestLarge,
            timed(() => parse(large)),
          );
        }
        ratios.push(bestLarge / Math.max(bestSmall, 1e-3));
      }
      return Math.min(...ratios);
    };

    it('number parsing is linear: a 1 MB cell takes less than 10 times a 0.25 MB one', () => {
      // A regular expression with two adjacent digit runs took time quadratic in the length
      // of a digit run followed by a letter: 4 times the length, 16 times the time. Linear
      // parsing gives about 4, up to 7 or so when the 1 MB text no longer fits in the cache.
      for (const tail of ['x', '', '.5e3', 'e']) {
        const r = ratio((n) => '9'.repeat(n) + tail, parseDecimal);
        expect(r, `parseDecimal, a digit run followed by "${tail}"`).to.be.lessThan(10);
      }
      const csv = (n: number) => `a,L\n${'1'.repeat(n)}x,1\n`;
      const rejected = (text: string) => expect(() => parseCsv(text, { labels: 1 })).to.throw();
      expect(ratio(csv, rejected), 'parseCsv').to.be.lessThan(10);
      const arff = (n: number) => `@relation r\n@attribute a numeric\n@data\n${'1'.repeat(n)}e\n`;
      const arffRejected = (text: string) => expect(() => parseArff(text)).to.throw();
      expect(ratio(arff, arffRejected), 'parseArff').to.be.lessThan(10);
    });

    it('a header of 4,000 columns, or a list of 4,000 label names, is read in linear time', () => {
      // Checking for a repeated name with indexOf took time quadratic in the number of columns.
      const names = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
      const header = (n: number) => names(n).join(',') + '\n' + '1,'.repeat(n - 1) + '1\n';
      const csv = (text: string) => parseCsv(text, { labels: 1 });
      expect(ratio(header, csv, 1000), 'parseCsv').to.be.lessThan(10);
      const byName = (n: number) => names(n).join('\n');
      const labels = (text: string) => {
        const all = text.split('\n');
        const small = `${all.join(',')}\n${all.map(() => '1').join(',')}\n`;
        return parseCsv(small, { labels: all.slice(1) });
      };
      expect(ratio(byName, labels, 1000), 'labels by name').to.be.lessThan(10);
    });

    it('parseDecimal takes exactly the decimal literals, whatever their length', () => {
      const good = ['0', '-0', '+1', '1.', '.5', '1.5e-3', '2E+10', '00012', '9'.repeat(400)];
      for (const t of good) expect(parseDecimal(t), t).to.equal(Number(t));
      const bad = ['', '+', '.', '-.', 'e5', '1e', '1e+', '1.2.3', ' 1', '1 ', '0x10', 'NaN'];
      for (const t of [...bad, 'Infinity', '1_000', '\u0661', '1'.repeat(1000) + 'e']) {
        expect(parseDecimal(t), t).to.be.NaN;
      }
      expect(parseDecimal('1e999')).to.equal(Infinity);
    });
  });

  describe('hardening: standardize without overflow or underflow', () => {
    const column = (values: number[]): MultiLabelDataset => ({
      x: new Tensor(Float64Array.from(values), [values.length, 1]),
      y: new Tensor(new Float64Array(values.length), [values.length, 1]),
      mask: new Tensor(new Float64Array(values.length).fill(1), [values.length, 1]),
      featureNames: ['f'],
      labelNames: ['L'],
    });
    const unit = [-1.3416407864998738, -0.4472135954999579, 0.4472135954999579, 1.3416407864998738];

    for (const size of [1e200, 1e-170, 1e300, 1e-300, 1e-307]) {
      it(`features near ${size} standardize like features near 1 (to 1e-15)`, () => {
        const { train, mean, std } = standardize(column([1, 2, 3, 4].map((k) => k * size)));
        train.x.data.forEach((v, i) => expect(Math.abs(v - unit[i])).to.be.lessThan(1e-15));
        expect(Math.abs(mean[0] / size - 2.5)).to.be.lessThan(1e-15);
        expect(Math.abs(std[0] / size - Math.sqrt(1.25))).to.be.lessThan(1e-15);
      });
    }

    it('features at ±1e308 (whose sum and squares overflow) give finite values of mean 0, std 1', () => {
      const { train, mean, std } = standardize(column([1e308, -1e308, 1.7e308, -1.7e308, 0]));
      const v = Array.from(train.x.data);
      expect(v.every(Number.isFinite)).to.equal(true);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
      expect(Math.abs(m)).to.be.lessThan(1e-15);
      expect(Math.abs(s - 1)).to.be.lessThan(1e-15);
      expect(mean[0]).to.equal(0);
      expect(Number.isFinite(std[0])).to.equal(true);
    });

    it('a constant feature at 1e308 is centered to 0, with divisor 1', () => {
      const { train, mean, std } = standardize(column([1e308, 1e308, 1e308]));
      expect(Array.from(train.x.data)).to.deep.equal([0, 0, 0]);
      expect([mean[0], std[0]]).to.deep.equal([1e308, 1]);
    });
  });

  describe('hardening: data functions reject bad arguments with their own error', () => {
    const messageOf = (run: () => unknown): string => {
      try {
        run();
      } catch (e) {
        expect(isMaskgradError(e), String(e)).to.equal(true);
        return (e as Error).message;
      }
      return expect.fail('expected an error');
    };
    const parsed = parseArff('@relation r\n@attribute a numeric\n@attribute L {0,1}\n@data\n1,1\n');

    it('datasetFromArff of something that is not a parsed file', () => {
      for (const bad of [{}, null, undefined, 5, { ...parsed, values: [1, 1] }]) {
        expect(messageOf(() => datasetFromArff(bad as never, 1))).to.match(
          /^datasetFromArff: expected a parsed ARFF file \(what parseArff returns\)/,
        );
      }
      expect(messageOf(() => datasetFromArff({ ...parsed, rows: 2 }, 1))).to.equal(
        'datasetFromArff: expected a parsed ARFF file (what parseArff returns); its values must be a Float64Array of rows * columns = 4 numbers, got a Float64Array of 2',
      );
    });

    it('takeRows with indices that are not an array of row numbers', () => {
      const d = small(3);
      for (const bad of [null, undefined, 5, 'ab', {}]) {
        expect(messageOf(() => takeRows(d, bad as never))).to.match(
          /^takeRows: indices must be an array \(or typed array\) of row numbers, got /,
        );
      }
      expect(messageOf(() => takeRows(d, [0, Symbol('s')] as never))).to.equal(
        'takeRows: index a symbol (at position 1) is not a row; expected an integer from 0 to 2',
      );
      expect(messageOf(() => takeRows(d, [1n] as never))).to.equal(
        'takeRows: index 1n (at position 0) is not a row; expected an integer from 0 to 2',
      );
    });

    it('a data set without its names is refused by every data function', () => {
      const d = { ...small(2), featureNames: undefined } as never;
      const runs: [string, () => unknown][] = [
        ['standardize', () => standardize(d)],
        ['takeRows', () => takeRows(d, [0])],
        ['splitRows', () => splitRows(d, 0.5, { seed: 1 })],
        ['hideLabels', () => hideLabels(d, 0.5, { seed: 1 })],
        ['batches', () => [...batches(d, 1)]],
      ];
      for (const [where, run] of runs) {
        expect(messageOf(run)).to.equal(
          `${where}: expected featureNames to be an array of 2 names (one per column of x), got undefined`,
        );
      }
    });

    it('labels that are not a count or a list of names', () => {
      for (const bad of [Symbol('s'), 2n, null, [Symbol('t')], [{}]]) {
        const message = messageOf(() => parseCsv('a,L\n1,1\n', { labels: bad as never }));
        expect(message).to.match(/^parseCsv: label/);
        expect(messageOf(() => datasetFromArff(parsed, bad as never))).to.match(
          /^datasetFromArff: label/,
        );
      }
    });
  });
});
