import { expect } from 'chai';
import { CsvTokenizer, type CsvDelimiter } from '../src/core/data/csv-tokenizer';
import { parseCsv } from '../src/core/data';

/** Every record of `chunks` fed in turn, with its line number, or the error thrown. */
function records(chunks: string[], delimiter: CsvDelimiter = ','): string[] {
  const t = new CsvTokenizer('spec', delimiter);
  const out: string[] = [];
  const take = () => {
    for (let r = t.nextRecord(); r !== null; r = t.nextRecord()) {
      out.push(`${t.lineNo}:${JSON.stringify(r)}`);
    }
  };
  try {
    for (const chunk of chunks) {
      t.push(chunk);
      take();
    }
    t.end();
    take();
  } catch (e) {
    out.push(`error: ${(e as Error).message}`);
  }
  return out;
}

/** The text cut into chunks at the given positions. */
function cut(text: string, at: number[]): string[] {
  const bounds = [0, ...at, text.length];
  return bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
}

describe('CsvTokenizer: the one CSV/TSV grammar', () => {
  it('splits fields, quoted fields with delimiters and doubled quotes, and keeps spaces', () => {
    expect(records(['a, b ,"c,d","say ""hi""",""\n'])).to.deep.equal([
      '1:["a"," b ","c,d","say \\"hi\\"",""]',
    ]);
    expect(records(['1,,\n'])).to.deep.equal(['1:["1","",""]']);
    // A quote inside an unquoted field, or after spaces, is an ordinary character.
    expect(records(['a"b, "c"\n'])).to.deep.equal(['1:["a\\"b"," \\"c\\""]']);
  });

  it('ends lines at LF, CRLF and a lone CR, skips blank lines and counts every line', () => {
    expect(records(['a\r\n\r\n  \rb\rc\n\nd'])).to.deep.equal([
      '1:["a"]',
      '4:["b"]',
      '5:["c"]',
      '7:["d"]',
    ]);
  });

  it('drops one byte order mark at the start of the text, and only there', () => {
    expect(records(['\ufeffa,b\n\ufeffc\n'])).to.deep.equal(['1:["a","b"]', '2:["\ufeffc"]']);
    expect(records(['\ufeff\ufeffa\n'])).to.deep.equal(['1:["\ufeffa"]']);
  });

  it('refuses text after a closing quote and an unterminated quote, naming the line', () => {
    expect(records(['a\n"0.5"5,1\n'])).to.deep.equal([
      '1:["a"]',
      'error: spec: line 2: text after a closing quote; expected a comma',
    ]);
    expect(records(['a\r\n\r\n"0" ,1\n'])).to.deep.equal([
      '1:["a"]',
      'error: spec: line 3: text after a closing quote; expected a comma',
    ]);
    // A quoted field does not run on past the end of its line.
    expect(records(['a\n"1\n2"\n'])).to.deep.equal([
      '1:["a"]',
      'error: spec: line 2: unterminated quoted field; expected a closing "',
    ]);
  });

  it('reads TSV with a tab delimiter: commas are ordinary characters there', () => {
    expect(records(['a\tb,c\t"d\te"\n'], '\t')).to.deep.equal(['1:["a","b,c","d\\te"]']);
    expect(records(['"a"x\tb\n'], '\t')).to.deep.equal([
      'error: spec: line 1: text after a closing quote; expected a tab',
    ]);
    expect(() => new CsvTokenizer('spec', '|' as CsvDelimiter)).to.throw(
      'spec: delimiter is "|"; expected ",", "\\t", ";" or "detect"',
    );
  });

  it('gives the same records and line numbers wherever the chunks are cut', () => {
    const texts = [
      '\ufeffa,"b,""c"""\r\n1,"2\r\n',
      'x,y\r\r\n"q""",é€😀\r\n\n 1 , "2" \r3,4',
      'h\n"0.5"5\n',
      'a\tb\r\n"c\td"\t"e"\r',
    ];
    for (const text of texts) {
      const delimiter: CsvDelimiter = text.includes('\t') ? '\t' : ',';
      const whole = records([text], delimiter);
      for (let i = 0; i <= text.length; i++) {
        expect(records(cut(text, [i]), delimiter), `cut at ${i}`).to.deep.equal(whole);
        for (let j = i; j <= text.length; j++) {
          expect(records(cut(text, [i, j]), delimiter), `cut at ${i}, ${j}`).to.deep.equal(whole);
        }
      }
      expect(records(text.split(''), delimiter)).to.deep.equal(whole);
    }
  });

  it('a CR at the end of one chunk and a LF at the start of the next end one line', () => {
    expect(records(['a\r', '\nb\r', '', '\n', 'c'])).to.deep.equal([
      '1:["a"]',
      '2:["b"]',
      '3:["c"]',
    ]);
    expect(records(['a\r', '\r\nb'])).to.deep.equal(['1:["a"]', '3:["b"]']);
  });

  it('refuses a push before the records of the previous chunk were taken, and after end', () => {
    const t = new CsvTokenizer('spec');
    t.push('a\nb\n');
    expect(() => t.push('c')).to.throw(
      'CsvTokenizer.push: the previous chunk still holds records; take them with nextRecord first',
    );
    expect(() => t.push(3 as unknown as string)).to.throw(
      'CsvTokenizer.push: expected a chunk of text, got 3',
    );
    t.nextRecord();
    t.nextRecord();
    expect(t.nextRecord()).to.equal(null);
    t.end();
    expect(() => t.push('c')).to.throw('CsvTokenizer.push: the text has ended');
  });
});

describe('parseCsv with the delimiter option', () => {
  it('reads TSV as CSV with tabs', () => {
    const tsv = parseCsv('a\tb, c\tL\n1\t2\t1\n"3"\t 4 \t?\n', { labels: 1, delimiter: '\t' });
    const csv = parseCsv('a,"b, c",L\n1,2,1\n"3", 4 ,?\n', { labels: 1 });
    expect(tsv).to.deep.equal(csv);
    expect(tsv.featureNames).to.deep.equal(['a', 'b, c']);
  });

  it('refuses another delimiter', () => {
    expect(() => parseCsv('a|L\n1|1\n', { labels: 1, delimiter: '|' as CsvDelimiter })).to.throw(
      'parseCsv: delimiter is "|"; expected ",", "\\t", ";" or "detect"',
    );
  });
});
