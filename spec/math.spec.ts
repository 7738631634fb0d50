// maskgrad's own exp, log, pow, ... (src/math) against the table Node 20 made of its Math
// functions (spec/fixtures/math-node20.json, scripts/make-math-fixture.ts). The table is the
// contract, not this engine's Math: the same check runs in Chromium in
// spec/playground-browser.spec.ts.
import { expect } from 'chai';
import * as math from '../src/math';
import { fromHex, judge, mathFixture, toHex, UNARY } from './support/math-fixture';

describe('maskgrad math: the bits of Node 20 Math.*', () => {
  const table = mathFixture();

  for (const name of UNARY) {
    it(`${name} gives Node 20's bits for ${table[name].length} inputs`, () => {
      const f = math[name];
      const results = table[name].map(([x]) => toHex(f(fromHex(x))));
      const verdict = judge(name, table[name], results);
      expect(verdict.total).to.be.at.least(2000);
      expect(verdict.wrong, 'results that differ').to.deep.equal([]);
      // Only sin and cos of |x| > 2^19 pi/2 may be one ulp off (a handful in the table).
      if (name === 'sin' || name === 'cos') expect(verdict.oneUlp.length).to.be.at.most(10);
      else expect(verdict.oneUlp).to.deep.equal([]);
    });
  }

  it(`pow gives Node 20's bits (of x ** y) for ${table.pow.length} pairs`, () => {
    const results = table.pow.map(([x, y]) => toHex(math.pow(fromHex(x), fromHex(y))));
    const verdict = judge('pow', table.pow, results);
    expect(verdict.total).to.be.at.least(3000);
    expect(verdict.wrong, 'results that differ').to.deep.equal([]);
  });

  it('has the special values of JavaScript', () => {
    expect(Object.is(math.exp(-Infinity), 0)).to.equal(true);
    expect(Object.is(math.log(0), -Infinity)).to.equal(true);
    expect(Number.isNaN(math.log(-1))).to.equal(true);
    expect(Object.is(math.log1p(-0), -0)).to.equal(true);
    expect(Object.is(math.tanh(-Infinity), -1)).to.equal(true);
    expect(Number.isNaN(math.pow(1, Infinity))).to.equal(true);
    expect(math.pow(NaN, 0)).to.equal(1);
    expect(Object.is(math.pow(-0, 3), -0)).to.equal(true);
    expect(Object.is(math.sin(-0), -0)).to.equal(true);
    expect(Number.isNaN(math.cos(Infinity))).to.equal(true);
  });
});
