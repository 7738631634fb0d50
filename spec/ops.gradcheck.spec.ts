import { expect } from 'chai';
import { readdirSync } from 'fs';
import { join } from 'path';
import { registeredOps } from '../src';
import { gradcheckSample } from './properties/op-kinds';

// Every registered op, primitive or composite, is gradient-checked on every one of its
// samples. An op added under src/ops/ (or anywhere else) is picked up here without
// touching this file.

// The ops registered by importing the library (src/index.ts imports src/ops/index.ts).
// Then every file under src/ops/ is loaded directly: a file that registers new ops now
// was not imported by the index, and is reported below by name.
const viaIndex = new Set(registeredOps().map((op) => op.name));
const opsDir = join(__dirname, '..', 'src', 'core', 'ops');
const notImported: string[] = [];
for (const file of readdirSync(opsDir).filter((f) => f.endsWith('.ts'))) {
  const before = registeredOps().length;
  require(join(opsDir, file));
  const added = registeredOps()
    .slice(before)
    .filter((op) => !viaIndex.has(op.name));
  if (added.length > 0) notImported.push(`${file} (${added.map((op) => op.name).join(', ')})`);
}

describe('gradient check of every registered op', () => {
  const ops = registeredOps();

  it('every op file under src/core/ops/ is imported by src/core/ops/index.ts', () => {
    expect(
      notImported,
      `not imported by src/core/ops/index.ts: ${notImported.join('; ')}`,
    ).to.deep.equal([]);
  });

  it('has ops registered', () => {
    expect(ops.length).to.be.greaterThan(0);
  });

  for (const op of ops) {
    describe(`${op.name} (${op.definition}, ${op.kind})`, () => {
      op.samples.forEach((sample, index) => {
        const shapes = sample.inputs
          .map((s) => `[${(Array.isArray(s) ? s : s.shape).join(',')}]`)
          .join(' ');
        const label = `sample ${index + 1}: ${shapes}${sample.note ? ` (${sample.note})` : ''}`;
        it(`passes gradcheck on ${label}`, () => {
          expect(gradcheckSample(op, index)).to.equal(true);
        });
      });
    });
  }
});
