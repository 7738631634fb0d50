import { expect } from 'chai';
import { modelFileFuzz } from './fuzz/model-file-fuzz';

// The structure-aware fuzzer of the model-file reader (spec/fuzz/model-file-fuzz.ts says what
// each case checks): a few thousand cases here; `npm run fuzz -- model-file [cases] [seed]`
// runs more.

describe('fuzz: structure-aware mutations of model files (issue 21)', () => {
  it('3,000 cases: one-line errors, duplicates named, verdicts kept, no NaN or Infinity predicted', function () {
    this.timeout(120000);
    const report = modelFileFuzz('npm-test', 3000);
    const shown = report.failures
      .slice(0, 5)
      .map((f) => `case ${f.caseIndex} [${f.mutations.join(', ')}]: ${f.problem}\n  ${f.excerpt}`)
      .join('\n');
    expect(report.failures, shown).to.deep.equal([]);
    // Not vacuous: both verdicts, many duplicates, known verdicts and predicted rows.
    expect(report.accepted).to.be.greaterThan(500);
    expect(report.refused).to.be.greaterThan(1000);
    expect(report.duplicatesFound).to.be.greaterThan(500);
    expect(report.verdictsChecked).to.be.greaterThan(1000);
    expect(report.rowsPredicted).to.be.greaterThan(2000);
  });
});
