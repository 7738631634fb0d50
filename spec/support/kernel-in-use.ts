// Run by spec/kernel-ts.spec.ts in a child mocha with MASKGRAD_KERNEL set: checks that the
// variable chose the gemm kernel the other specs of that run use.
import { expect } from 'chai';
import { activeGemmKernel } from '../../src/core/kernels';

describe('the gemm kernel of this run', () => {
  it(`is the one MASKGRAD_KERNEL names (${process.env.MASKGRAD_KERNEL})`, () => {
    expect(activeGemmKernel()).to.equal(process.env.MASKGRAD_KERNEL);
  });
});
