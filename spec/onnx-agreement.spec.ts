import { expect } from 'chai';
import { type AgreementCase, measureAgreement } from '../scripts/onnx-agreement';

// The figures docs/model-file.md states for ONNX Runtime against maskgrad come from
// scripts/onnx-agreement.ts; this holds the bounds the page gives, on the same two cases.
describe('ONNX Runtime against maskgrad (scripts/onnx-agreement.ts)', function () {
  this.timeout(120000);
  let cases: AgreementCase[];
  before(async () => {
    cases = await measureAgreement();
  });
  const named = (name: string) => cases.find((c) => c.name === name)!;

  it('float32 agrees within 1e-6 absolute and 2e-5 relative (p >= 0.01) on yeast, and changes no decision', () => {
    const yeast = named('yeast');
    expect(yeast.float32.absolute).to.be.below(1e-6);
    expect(yeast.float32.relativeAbove001).to.be.below(2e-5);
    expect(yeast.float32.decisionsChanged).to.equal(0);
  });

  it('with raw features near 170, rounding the input to float32 alone moves a probability by more than 1e-6', () => {
    // maskgrad's own float64 arithmetic on the rounded features: the same on every machine.
    const user = named('features near 170');
    expect(user.float32Input.absolute).to.be.above(1e-6);
    expect(user.float32.absolute).to.be.above(1e-6).and.below(2e-5);
    expect(user.float32.relative).to.be.below(0.1);
    expect(user.float32.relativeAbove001).to.be.below(1e-4);
    expect(user.float32.decisionsChanged).to.equal(0);
  });

  it('float64 agrees within 1e-12 absolute and 1e-9 relative on both', () => {
    for (const c of cases) {
      expect(c.float64.absolute, c.name).to.be.below(1e-12);
      expect(c.float64.relative, c.name).to.be.below(1e-9);
      expect(c.float64.decisionsChanged, c.name).to.equal(0);
    }
  });
});
