import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  batches,
  datasetFromArff,
  hideLabels,
  loadDataset,
  type MultiLabelDataset,
  parseArff,
  parseCsv,
  readArff,
  splitRows,
  standardize,
  takeRows,
} from '../src/data';
import { Random } from '../src/random';
import { Tensor } from '../src/tensor';

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
          '@relation r\n@attribute name string\n@data\n',
          'parseArff: line 2: unknown type "string" for attribute "name"; expected numeric, real, integer or a nominal set such as {0,1}',
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
        'parseCsv: label column "M" not found; the columns are a, L',
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
      expect(() => loadDataset(join(dir, 'tiny.txt'), { labels: 1 })).to.throw(
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
      const other = { ...small(2), x: new Tensor(new Float64Array(6), [2, 3]) };
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
});
