import { expect } from 'chai';
import { parseArff, parseCsv } from '../src/core/data';
import { createRandom } from '../src/core/random';
import { arffFile, csvFile } from './fuzz/generate';
import { MUTATIONS } from './fuzz/mutate';
import { referenceArff, referenceCsv } from './fuzz/reference';
import { fuzz, type Failure } from './fuzz/run-fuzz';

// The mutation fuzzer of spec/fuzz/ (readers and model loader), a few thousand cases here;
// `npm run fuzz` runs more. See spec/fuzz/run-fuzz.ts for what each case checks.

const show = (failures: Failure[]) =>
  failures
    .slice(0, 5)
    .map(
      (f) =>
        `${f.target} case ${f.caseIndex} [${f.mutations.join(', ')}]: ${f.problem}\n  ${f.excerpt}`,
    )
    .join('\n');

describe('fuzz: mutated ARFF, CSV and model files', () => {
  it('the reference parsers accept the unmutated files, and the readers agree with them', () => {
    const rng = createRandom('fuzz-reference');
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const arff = arffFile(rng);
      const a = referenceArff(arff);
      expect(a.kind, arff).to.not.equal('reject');
      if (a.kind === 'accept') {
        const p = parseArff(arff);
        expect(p.names).to.deep.equal(a.names);
        expect(Array.from(p.values)).to.deep.equal(a.values);
        checked++;
      }
      const labels = 1 + rng.int(2);
      const csv = csvFile(rng, labels);
      const c = referenceCsv(csv, labels);
      expect(c.kind, csv).to.not.equal('reject');
      if (c.kind === 'accept') {
        expect(Array.from(parseCsv(csv, { labels }).x.data)).to.deep.equal(c.x);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(450);
  });

  it('the line-ending mutation writes CR-only, CRLF-only and mixed files', () => {
    const rng = createRandom('fuzz-endings');
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const text = MUTATIONS.lineEndings('a\nb\r\nc\rd\ne\n', rng, 0);
      const kinds = new Set(text.match(/\r\n|\r|\n/g));
      seen.add(kinds.size > 1 ? 'mixed' : JSON.stringify([...kinds][0]));
    }
    expect([...seen].sort()).to.deep.equal(['"\\n"', '"\\r"', '"\\r\\n"', 'mixed'].sort());
  });

  it('3,000 cases: only MaskgradErrors, time linear in the size, results equal to the reference', () => {
    const report = fuzz({ seed: 'npm-test', cases: 3000, huge: 100_000 });
    expect(report.failures, show(report.failures)).to.deep.equal([]);
    // The comparison is not vacuous: many cases of each target are checked, many parse.
    for (const stats of Object.values(report.byTarget)) {
      expect(stats.checkedAgainstReference).to.be.greaterThan(stats.cases / 4);
      expect(stats.parsed).to.be.greaterThan(stats.cases / 10);
    }
  });
});
