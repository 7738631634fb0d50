import { expect } from 'chai';
import { detectLabelColumns, parseCsv } from '../src';

describe('detectLabelColumns', () => {
  it('suggests the trailing run of columns holding only 0, 1 and the four unknowns', () => {
    const text = [
      'height,flag,weight,a,b,c',
      '170.5,1,60,1,,0',
      '180,0,70.25,?,0,NaN',
      '165,1,55,0,-1,1',
    ].join('\n');
    const found = detectLabelColumns(text);
    expect(found.columns).to.deep.equal(['height', 'flag', 'weight', 'a', 'b', 'c']);
    expect(found.kinds).to.deep.equal(['number', 'label', 'number', 'label', 'label', 'label']);
    // 'flag' looks like a label but is not in the trailing run: it stays a feature.
    expect(found.labels).to.deep.equal(['a', 'b', 'c']);
    expect(found.firstNonLabel[0]).to.deep.equal({ line: 2, value: '170.5' });
    expect(found.firstNonLabel[2]).to.deep.equal({ line: 2, value: '60' });
    expect(found.firstNonLabel[3]).to.equal(null);
    const data = parseCsv(text, { labels: found.labels });
    expect(data.labelNames).to.deep.equal(['a', 'b', 'c']);
    expect(Array.from(data.mask.data)).to.deep.equal([1, 0, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('calls a column text when parseCsv would refuse it as a feature, naming its first such value', () => {
    const found = detectLabelColumns('id,x,cat,y\nr1,0.5,,1\nr2,1.5,2,0\n');
    expect(found.kinds).to.deep.equal(['text', 'number', 'text', 'label']);
    expect(found.firstNonLabel[0]).to.deep.equal({ line: 2, value: 'r1' });
    // Empty is an unknown label, but 2 is not a label and empty is not a number.
    expect(found.firstNonLabel[2]).to.deep.equal({ line: 3, value: '2' });
    expect(found.firstNonNumber).to.deep.equal([
      { line: 2, value: 'r1' },
      null,
      { line: 2, value: '' },
      null,
    ]);
    expect(found.labels).to.deep.equal(['y']);
  });

  it('leaves the first column a feature when every column looks like a label', () => {
    expect(detectLabelColumns('a,b,c\n0,1,\n1,0,1\n').labels).to.deep.equal(['b', 'c']);
  });

  it('suggests no label when the last column is not 0, 1 or unknown', () => {
    expect(detectLabelColumns('y,x\n1,0.5\n0,2\n').labels).to.deep.equal([]);
  });

  it('reads tab-separated text with delimiter "\\t", quoted fields by the CSV grammar', () => {
    const found = detectLabelColumns('x\t"the label"\n"1.5"\t1\n2\t""\n', { delimiter: '\t' });
    expect(found.columns).to.deep.equal(['x', 'the label']);
    expect(found.labels).to.deep.equal(['the label']);
  });

  it('detects the delimiter from the header line by default, as parseCsv does, and says which', () => {
    const csv = 'id,x,a,b\nr1,1.5,1,\nr2,2,?,0\n';
    for (const delimiter of [',', '\t', ';'] as const) {
      const text = csv.replace(/,/g, delimiter);
      const found = detectLabelColumns(text);
      expect(found.delimiter, JSON.stringify(delimiter)).to.equal(delimiter);
      expect(found.columns).to.deep.equal(['id', 'x', 'a', 'b']);
      expect(found.kinds).to.deep.equal(['text', 'number', 'label', 'label']);
      expect(found.labels).to.deep.equal(['a', 'b']);
      expect(detectLabelColumns(text, { delimiter: 'detect' })).to.deep.equal(found);
      // parseCsv, detecting too, reads the columns the same way.
      const data = parseCsv(text, { labels: found.labels, id: 'id' });
      expect(data.featureNames).to.deep.equal(['x']);
      expect(data.ids).to.deep.equal(['r1', 'r2']);
    }
    // A delimiter given is used as given: a TSV read with commas is one column.
    const asCsv = detectLabelColumns(csv.replace(/,/g, '\t'), { delimiter: ',' });
    expect(asCsv.delimiter).to.equal(',');
    expect(asCsv.columns).to.deep.equal(['id\tx\ta\tb']);
    expect(asCsv.labels).to.deep.equal([]);
    expect(() => detectLabelColumns(csv, { delimiter: '|' as ',' })).to.throw(
      'detectLabelColumns: delimiter is "|"; expected ",", "\\t", ";" or "detect"',
    );
  });

  it('passes over text columns (an id, a note) in the trailing run of labels', () => {
    const found = detectLabelColumns('id,h,a,note,b,memo\nr1,170,1,ok,0,m\nr2,165,,fine,1,n\n');
    expect(found.kinds).to.deep.equal(['text', 'number', 'label', 'text', 'label', 'text']);
    expect(found.labels).to.deep.equal(['a', 'b']);
    // Still one column that is not text is left for a feature.
    expect(detectLabelColumns('note,a,b\nok,1,0\nfine,0,1\n').labels).to.deep.equal(['b']);
  });

  it('refuses what parseCsv refuses, naming itself and the line', () => {
    expect(() => detectLabelColumns('a,b\n1,2,3\n')).to.throw(
      'detectLabelColumns: line 2: expected 2 fields, found 3',
    );
    expect(() => detectLabelColumns('a,a\n1,2\n')).to.throw(
      'detectLabelColumns: line 1: column name "a" appears twice; expected unique names',
    );
    expect(() => detectLabelColumns('a,,b\n1,2,3\n')).to.throw(
      'detectLabelColumns: line 1: column 2 of the header has no name',
    );
    expect(() => detectLabelColumns('a,b\n')).to.throw(
      'detectLabelColumns: the text has a header (line 1) but no data rows',
    );
    expect(() => detectLabelColumns('')).to.throw('detectLabelColumns: the text is empty');
    expect(() => detectLabelColumns(3 as unknown as string)).to.throw(
      "detectLabelColumns: expected the file's text as a string, got 3",
    );
    expect(() =>
      detectLabelColumns('a\n1\n', { labels: 1 } as unknown as { delimiter: ',' }),
    ).to.throw(/detectLabelColumns: .*labels/);
  });
});
