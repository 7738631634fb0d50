// The core in four JavaScript runtimes: scripts/runtime-bits.ts trains a small MLP (seeded,
// masked loss, Adam) and prints each step's loss as float64 bits; Node, Bun, Deno and
// Chromium must print the same lines. Node and Bun run the TypeScript source; Deno and
// Chromium, which cannot resolve its extensionless imports, run an esbuild ES module bundle.
import { expect } from 'chai';
import { chromiumOrSkip } from './support/chromium-path';
import { spawnSync } from 'child_process';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isNodeBuiltin } from '../scripts/build-package';
import { launchChromium } from '../web/scripts/chromium';
import { runtimeBinary } from './support/runtime-binaries';

const ROOT = join(__dirname, '..');
const SCRIPT = join(ROOT, 'scripts', 'runtime-bits.ts');
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, MASKGRAD_KERNEL: undefined, ...env },
  });
  expect(r.status, `${command} ${args.join(' ')}\n${r.stderr}`).to.equal(0);
  return r.stdout;
}

/** The float64 whose bits are these 16 hex digits. */
function fromHex(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt('0x' + hex));
  return view.getFloat64(0);
}

describe('the core in Node, Bun, Deno and Chromium', function () {
  this.timeout(120000);
  let dir: string;
  let bundle: string;
  let nodeLines: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'maskgrad-runtimes-'));
    bundle = join(dir, 'runtime-bits.mjs');
    const result = await build({
      entryPoints: [SCRIPT],
      outfile: bundle,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.warnings).to.deep.equal([]);
    expect(Object.keys(result.metafile.inputs).filter(isNodeBuiltin)).to.deep.equal([]);
    nodeLines = run(process.execPath, ['-r', 'ts-node/register/transpile-only', SCRIPT], ROOT)
      .trim()
      .split('\n');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('Node prints one line per step, and the loss goes down', () => {
    expect(nodeLines).to.have.length(40);
    const losses = nodeLines.map((line, step) => {
      const [n, hex] = line.split(' ');
      expect(n).to.equal(String(step));
      expect(hex).to.match(/^[0-9a-f]{16}$/);
      return fromHex(hex);
    });
    expect(losses.every(Number.isFinite)).to.equal(true);
    expect(losses[39]).to.be.below(losses[0] * 0.8);
  });

  it('Node with the TypeScript gemm kernel (MASKGRAD_KERNEL=ts) prints the same bits', () => {
    const out = run(process.execPath, ['-r', 'ts-node/register/transpile-only', SCRIPT], ROOT, {
      MASKGRAD_KERNEL: 'ts',
    });
    expect(out.trim().split('\n')).to.deep.equal(nodeLines);
  });

  it('Bun, running the TypeScript source, prints the same bits', () => {
    const out = run(runtimeBinary('bun'), [SCRIPT], ROOT, {
      BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0',
    });
    expect(out.trim().split('\n')).to.deep.equal(nodeLines);
  });

  it('Deno, running the bundle with no permissions, prints the same bits', () => {
    const out = run(runtimeBinary('deno'), ['run', '--no-prompt', '--no-config', bundle], dir, {
      DENO_DIR: join(dir, 'deno-cache'),
      DENO_NO_UPDATE_CHECK: '1',
      NO_COLOR: '1',
    });
    expect(out.trim().split('\n')).to.deep.equal(nodeLines);
  });

  it('Chromium, running the bundle as a module script, prints the same bits', async function () {
    const executablePath = chromiumOrSkip(this, 'the Chromium run of scripts/runtime-bits.ts');
    const browser = await launchChromium(join(dir, 'profile'), executablePath);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><title>maskgrad runtime bits</title>');
      const printed = page.waitForEvent('console', { timeout: 60000 });
      await page.addScriptTag({ type: 'module', content: readFileSync(bundle, 'utf8') });
      const message = await printed;
      expect(errors).to.deep.equal([]);
      expect(message.text().trim().split('\n')).to.deep.equal(nodeLines);
    } finally {
      await browser.close();
    }
  });
});
