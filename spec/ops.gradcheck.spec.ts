import { expect } from 'chai';
import { spawnSync } from 'child_process';
import { readFileSync, readdirSync } from 'fs';
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

  it('every op of the library with a Tensor method has its type in src/core/ops/tensor-methods.ts', () => {
    // The library's own ops, registered in a fresh process (specs register ops of their own).
    const listed = spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        "process.stdout.write(JSON.stringify(require('./src').registeredOps().map((op) => op.method ?? null)))",
      ],
      { cwd: join(__dirname, '..'), encoding: 'utf8' },
    );
    expect(listed.status, listed.stderr).to.equal(0);
    const methods = (JSON.parse(listed.stdout) as (string | null)[]).filter(
      (m): m is string => m !== null,
    );
    expect(methods).to.include.members(['add', 'sum', 'matmul']);
    const declared = readFileSync(join(opsDir, 'tensor-methods.ts'), 'utf8');
    const missing = methods.filter((m) => !new RegExp(`^\\s+${m}[(:]`, 'm').test(declared));
    expect(
      missing,
      `methods without a type in tensor-methods.ts: ${missing.join(', ')}`,
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
