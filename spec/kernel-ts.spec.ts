import { expect } from 'chai';
import { spawnSync } from 'child_process';
import { join } from 'path';

const root = join(__dirname, '..');

/** Runs node in the project root with MASKGRAD_KERNEL set; its exit status and output. */
function runNode(kernel: string, args: string[]): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, args, {
    cwd: root,
    env: { ...process.env, MASKGRAD_KERNEL: kernel },
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Prints the kernel that the first gemm call chose, or the code of the error it threw. */
const PROBE = [
  '-r',
  'ts-node/register/transpile-only',
  '-e',
  "const k = require('./src/core/kernels'); const c = new Float64Array(1);" +
    'try { k.gemm(false, false, 1, 1, 1, c, 0, c, 0, c, 0); console.log(k.activeGemmKernel()); }' +
    ' catch (e) { console.log(e.code); }',
];

describe('MASKGRAD_KERNEL', function () {
  it('picks the kernel: wasm (required), auto, or an error for an unknown name', function () {
    expect(runNode('wasm', PROBE).output.trim()).to.equal('wasm');
    expect(runNode('auto', PROBE).output.trim()).to.equal('wasm');
    expect(runNode('gpu', PROBE).output.trim()).to.equal('ERR_ARGUMENT');
  });

  it('=ts: the gradient checks, the PyTorch parity specs and the kernel specs pass with the TypeScript kernel', function () {
    this.timeout(180_000);
    const specs = [
      'spec/support/kernel-in-use.ts',
      'spec/gemm.spec.ts',
      'spec/gemm-wasm.spec.ts',
      'spec/ops.gradcheck.spec.ts',
      'spec/gradcheck.spec.ts',
      'spec/linear.spec.ts',
      'spec/losses.spec.ts',
      'spec/optim.spec.ts',
      'spec/nn.spec.ts',
      'spec/masked-training.spec.ts',
    ];
    const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const args = ['--no-config', '-r', 'ts-node/register/transpile-only', '--extension', 'ts'];
    const { status, output } = runNode('ts', [
      mocha,
      ...args,
      '--reporter',
      'dot',
      '--timeout',
      '60000',
      ...specs,
    ]);
    expect(status, output.slice(-4000)).to.equal(0);
    expect(output).to.match(/[1-9]\d* passing/);
    expect(output).not.to.match(/failing/);
  });
});
