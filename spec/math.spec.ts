// maskgrad's own exp, log, pow, ... (src/math) against the table Node 20 made of its Math
// functions (spec/fixtures/math-node20.json, scripts/make-math-fixture.ts). The table is the
// contract, not this engine's Math: the same check runs in Chromium in
// spec/playground-browser.spec.ts.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'fs';
import { join, relative, resolve } from 'path';
import * as math from '../src/core/math';
import { twoOverPi24 } from '../src/core/math/trig';
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
      expect(verdict.exact).to.equal(verdict.total);
    });
  }

  it(`pow gives Node 20's bits (of x ** y) for ${table.pow.length} pairs`, () => {
    const results = table.pow.map(([x, y]) => toHex(math.pow(fromHex(x), fromHex(y))));
    const verdict = judge('pow', table.pow, results);
    expect(verdict.total).to.be.at.least(3000);
    expect(verdict.wrong, 'results that differ').to.deep.equal([]);
  });

  it("reduces huge sin and cos arguments with 2/pi's bits, computed once (0.a2f9836e4e44...)", () => {
    const chunks = Array.from(twoOverPi24().slice(0, 9), (c) => c.toString(16).padStart(6, '0'));
    expect(chunks.join('')).to.equal('a2f9836e4e441529fc2757d1f534ddc0db6295993c439041fe5163');
    expect(twoOverPi24().length).to.be.at.least(66); // 1584 bits: enough for x up to 2^1024
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

describe('the library calls no Math function whose rounding is left to the engine', () => {
  // Math.exp, Math.log, ..., Math.pow and ** may differ in the last bit between engines; the
  // library uses src/math instead. Allowed: 2 ** (an integer literal), exact in any engine, and
  // standardize's Math.log2 guess, which exact powers of two then correct.
  const ENGINE_ROUNDED =
    /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|tanh|sinh|cosh|asinh|acosh|atanh|sin|cos|tan|asin|acos|atan|atan2|cbrt|hypot)\b|\*\*/g;
  const ALLOWED = [
    /\b2 \*\* \d+\b/,
    /^src\/core\/data\/standardize\.ts: .*Math\.floor\(Math\.log2\(m\)\)/,
  ];
  const root = resolve(__dirname, '..');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? files(join(dir, e.name))
        : e.name.endsWith('.ts')
          ? [join(dir, e.name)]
          : [],
    );

  it('in src/ outside src/core/math (comments aside)', () => {
    const found: string[] = [];
    for (const file of files(join(root, 'src'))) {
      const name = relative(root, file).split('\\').join('/');
      if (name.startsWith('src/core/math/')) continue;
      readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')) // block comments
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, '');
          const where = `${name}: ${code.trim()}`;
          if (code.match(ENGINE_ROUNDED) && !ALLOWED.some((a) => a.test(where))) {
            found.push(`${name}:${i + 1}: ${code.trim()}`);
          }
        });
    }
    expect(found).to.deep.equal([]);
  });
});
