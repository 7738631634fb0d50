import { expect } from 'chai';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { gradcheck, registeredOps } from '../src';
import { Random } from '../src/random';
import { sampleTensors } from './support/samples';

// Every registered op, primitive or composite, is gradient-checked on every one of
// its samples. An op added under src/ops/ is picked up here without touching this file.
// Load every file under src/ops/ directly, so that an op file nobody re-exported is
// still defined, checked here, and reported below.
const opsDir = join(__dirname, '..', 'src', 'ops');
const opFiles = readdirSync(opsDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
for (const file of opFiles) require(join(opsDir, file));

describe('gradient check of every registered op', () => {
  const ops = registeredOps();

  it('every file under src/ops/ is re-exported by src/ops/index.ts', () => {
    const index = readFileSync(join(opsDir, 'index.ts'), 'utf8');
    const missing = opFiles.filter((f) => !index.includes(`'./${f.replace(/\.ts$/, '')}'`));
    expect(missing, `not in src/ops/index.ts: ${missing.join(', ')}`).to.deep.equal([]);
  });

  it('has ops registered', () => {
    expect(ops.length).to.be.greaterThan(0);
  });

  it('every registered op has gradient-check samples', () => {
    const missing = ops.filter((op) => op.samples.length === 0).map((op) => op.name);
    expect(missing, `ops without samples: ${missing.join(', ')}`).to.deep.equal([]);
  });

  for (const op of ops) {
    describe(`${op.name} (${op.kind})`, () => {
      op.samples.forEach((sample, index) => {
        const shapes = sample.inputs
          .map((s) => `[${(Array.isArray(s) ? s : s.shape).join(',')}]`)
          .join(' ');
        const label = `sample ${index + 1}: ${shapes}${sample.note ? ` (${sample.note})` : ''}`;
        it(`passes gradcheck on ${label}`, () => {
          const rng = new Random(`${op.name}-${index}`);
          const inputs = sampleTensors(sample.inputs, rng);
          expect(gradcheck((...xs) => op.run(xs, sample.attrs ?? {}), inputs)).to.equal(true);
        });
      });
    });
  }
});
