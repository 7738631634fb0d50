import { expect } from 'chai';
import { OP_KINDS, registeredOps } from '../../src/core/ops';
import { KIND_CHECKS, opsOfKind } from './op-kinds';

// Every registered op keeps the promise of the kind it declares (src/ops/define.ts),
// checked on its own samples. The registry is the only list: an op added anywhere,
// with any kind, is checked here without touching this file.
describe('property: every op keeps the promise of its kind', () => {
  it('every registered op declares a known kind, and the suites draw from each elementwise kind', () => {
    for (const op of registeredOps()) expect(OP_KINDS, op.name).to.include(op.kind);
    expect(opsOfKind('unary').length).to.be.greaterThan(10);
    expect(opsOfKind('binary')).to.include.members([
      'add',
      'sub',
      'mul',
      'div',
      'maximum',
      'minimum',
    ]);
    expect(opsOfKind('reduction')).to.include.members(['sum', 'max', 'mean', 'logSumExp']);
  });

  for (const op of registeredOps()) {
    it(`${op.name} (${op.kind})`, () => KIND_CHECKS[op.kind](op));
  }
});
