import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { join } from 'path';

/** Runs an example the way the guide (README.md, docs/) does (ts-node), returning what it printed. */
function runExample(name: string): string {
  return execFileSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join('examples', name)],
    {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
    },
  );
}

describe('the examples the guide runs', () => {
  it('masked-gradients.ts: the class unknown in every row has zero gradient and a bit-identical row', () => {
    const out = runExample('masked-gradients.ts');
    const row2 = out.split('\n').find((l) => l.startsWith('2 '));
    expect(row2).to.match(/^2\s+0\/8 known\s+0\s+0 \(bit-identical\)\s+\d\.\d+e-\d\s+\d\.\d+e-\d$/);
    const row3 = out.split('\n').find((l) => l.startsWith('3 '));
    expect(row3).to.not.include('bit-identical');
  });

  it('custom-op.ts: swish passes gradcheck and matches x * sigmoid(x)', () => {
    const out = runExample('custom-op.ts');
    expect(out).to.include('gradcheck passed for swish on a [3,4] input');
    const lines = out.split('\n');
    const fused = lines
      .find((l) => l.startsWith('d/dx sum(swish(x))'))!
      .split('=')[1]
      .trim();
    const composite = lines
      .find((l) => l.startsWith('same, from x * sigmoid(x)'))!
      .split('=')[1]
      .trim();
    expect(fused).to.equal(composite);
  });
});
