import { expect } from 'chai';
import { describeValue, excerpt, quoteExcerpt } from '../src/core/describe-value';
import { zeros } from '../src/core/tensor';

describe('describeValue: a short, faithful description of any value for a message', () => {
  it('numbers as written, -0 and NaN included; BigInts with their n', () => {
    expect([1.5, -0, 0, NaN, -Infinity].map(describeValue)).to.deep.equal([
      '1.5',
      '-0',
      '0',
      'NaN',
      '-Infinity',
    ]);
    expect(describeValue(10n)).to.equal('10n');
    expect(describeValue(-3n)).to.equal('-3n');
    expect(describeValue([NaN, 1n, -0])).to.equal('[NaN,1n,-0]');
  });

  it('cuts long strings, BigInts, arrays and deep nesting short', () => {
    expect(describeValue('x'.repeat(160_000))).to.equal(
      `"${'x'.repeat(40)}..." (160000 characters)`,
    );
    expect(describeValue(10n ** 100n)).to.equal(`1${'0'.repeat(39)}...n (a BigInt of 101 digits)`);
    expect(describeValue([1, 2, 3, 4, 5, 6, 7, 8, 9])).to.equal('[1,2,3,4,5,6,7,8,...]');
    let deep: unknown = [1];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(describeValue(deep)).to.equal('[[[[...]]]]');
    expect(describeValue('a\nb')).to.equal('"a\\nb"');
  });

  it('never splits a surrogate pair, and survives objects that throw when inspected', () => {
    const text = 'a'.repeat(39) + '\u{1F600}' + 'b'.repeat(10);
    expect(describeValue(text)).to.equal(`"${'a'.repeat(39)}..." (51 characters)`);
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
      },
    );
    expect(describeValue(hostile)).to.equal('an object');
    expect(describeValue(Object.create(null))).to.equal('an object');
    expect(describeValue(zeros([2, 3]))).to.equal('a Tensor of shape [2,3]');
    expect(describeValue(new Float32Array(2))).to.equal('a Float32Array');
    expect(describeValue(Symbol('s'))).to.equal('a symbol');
  });

  it('quoteExcerpt and excerpt echo a cell whole when short, else 40 characters and the length', () => {
    expect(quoteExcerpt('abc')).to.equal('"abc"');
    expect(quoteExcerpt('1'.repeat(41))).to.equal(`"${'1'.repeat(40)}..." (41 characters)`);
    expect(excerpt("'a numeric")).to.equal("'a numeric");
    expect(excerpt('z'.repeat(100), 10)).to.equal('zzzzzzzzzz... (100 characters)');
    expect(quoteExcerpt(5n as never)).to.equal('5n');
  });
});
