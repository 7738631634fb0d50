import { expect } from 'chai';
import { spawnSync, type SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { build } from 'esbuild';
import { Predictor } from '../src';
import { isNodeBuiltin } from '../scripts/build-package';
import { trainedYeastModel } from './model-fixture';
import { runtimeBinary } from './support/runtime-binaries';
import { writeModelFile } from '../src/node';

const ROOT = join(__dirname, '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * A consumer's TypeScript: Tensor methods, a loss, fit, an op of its own with a Tensor method
 * (declared on 'maskgrad''s Tensor), and the model file through 'maskgrad' and 'maskgrad/node'.
 * Run, it prints what it computed as JSON.
 */
const CONSUMER = `import {
  Adam,
  defineOp,
  fit,
  maskedBinaryCrossEntropyWithLogits,
  MLP,
  modelFileFrom,
  Predictor,
  Tensor,
  tensor,
  type FitResult,
  type ModelFile,
  type OpCall,
  type OpMethod,
} from 'maskgrad';
import { readModelFile, writeModelFile } from 'maskgrad/node';

/** x^3 elementwise, an op of the consumer's own, with the Tensor method cube. */
export const cube = defineOp({
  name: 'consumerCube',
  kind: 'unary',
  method: 'cube',
  args: (x: Tensor): OpCall<{}> => [[x], {}],
  forward: ([x]) => ({ data: x.data.map((v) => v * v * v), shape: [...x.shape] }),
  backward: (g, { inputs: [x] }) => [g.map((gi, i) => 3 * x.data[i] * x.data[i] * gi)],
  samples: [{ inputs: [[3]] }],
});

declare module 'maskgrad' {
  interface Tensor {
    cube: OpMethod<typeof cube>;
  }
}

const x: Tensor = tensor([
  [0.5, -1],
  [1.5, 2],
  [-0.5, 0.25],
  [2, -2],
]);
const y = tensor([
  [1, 0],
  [1, 1],
  [0, 0],
  [1, 0],
]);
const mask = tensor([
  [1, 1],
  [1, 0],
  [1, 1],
  [0, 1],
]);
const w = tensor([[0.1], [0.2]], { requiresGrad: true });
const out: Tensor = x.add(1).matmul(w).sigmoid().cube().sum();
out.backward();
const grad: Tensor | null = w.grad;

const model = new MLP([2, 3, 2], { seed: 1 });
const trained: FitResult<MLP> = fit(
  model,
  { x, y, mask, featureNames: ['a', 'b'], labelNames: ['p', 'q'] },
  {
    loss: (logits, targets, m) => maskedBinaryCrossEntropyWithLogits(logits, targets, m),
    optimizer: new Adam(model.parameters(), { lr: 0.01 }),
    epochs: 3,
    seed: 1,
  },
);
const file: ModelFile = modelFileFrom(trained.model, {
  features: ['a', 'b'],
  labels: ['p', 'q'],
  standardization: { mean: [0, 0], std: [1, 1] },
  training: { strategy: 'masked', hide: 0, seed: 1, epochs: 3, data: [] },
});
writeModelFile(process.argv[2], file);
const back: ModelFile = readModelFile(process.argv[2]);
const probabilities: Float64Array = new Predictor(back).predict(x.data, 4);
console.log(
  JSON.stringify({
    out: out.item(),
    grad: Array.from(grad!.data),
    epochs: trained.history.length,
    probabilities: Array.from(probabilities),
  }),
);
`;

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  expect(r.status, `${command} ${args.join(' ')}\n${r.stderr}`).to.equal(0);
  return r.stdout as string;
}

describe('the npm package', function () {
  // npm pack builds the library (tsc) first: tens of seconds on a busy machine.
  this.timeout(300000);
  let dir: string;
  let tarball: string;

  let app: string;

  before(() => {
    dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-pack-'));
    const out = run('npm', ['pack', ROOT, '--pack-destination', dir, '--json'], { cwd: dir });
    tarball = join(
      dir,
      (JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[])[0].filename,
    );
    // A scratch project with the tarball installed, for the tests below.
    app = join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
    // The one runtime dependency, packed from this checkout, so the install needs no network.
    run('npm', ['pack', join(ROOT, 'node_modules', 'seedrandom'), '--pack-destination', dir], {
      cwd: dir,
    });
    const seedrandom = fs.readdirSync(dir).find((f) => f.startsWith('seedrandom-'))!;
    run(
      'npm',
      ['install', '--offline', '--no-audit', '--no-fund', tarball, join(dir, seedrandom)],
      { cwd: app },
    );
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ships the built library, its types, the README and the LICENSE, and nothing else', () => {
    const files = run('tar', ['-tzf', tarball]).trim().split('\n');
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/index.mjs',
      'dist/index.d.mts',
      'dist/node/index.mjs',
      'dist/app/index.mjs',
      'dist/browser/index.mjs',
      'dist/browser/experiment.mjs',
      'dist/app/cli/main.js',
      'bin/maskgrad.js',
      'README.md',
      'LICENSE',
      'package.json',
    ]) {
      expect(files).to.include(`package/${f}`);
    }
    expect(
      files.filter(
        (f) =>
          !/^package\/(dist\/.*\.(m?js|d\.m?ts)|bin\/maskgrad\.js|README\.md|LICENSE|package\.json)$/.test(
            f,
          ),
      ),
    ).to.deep.equal([]);
  });

  it('installs offline and runs maskgrad --help, train --help and a small predict from the installed bin', () => {
    const bin = join(app, 'node_modules', '.bin', 'maskgrad');
    expect(run(bin, ['--help'], { cwd: app })).to.include('predict');
    // npx maskgrad in the consumer: the package's bin runs dist/ (no src/, no ts-node there).
    expect(() => require.resolve('ts-node', { paths: [app] })).to.throw();
    const npx = spawnSync('npx', ['--no-install', 'maskgrad', '--help'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(npx.status, npx.stderr).to.equal(0);
    expect(npx.stdout).to.match(/\n  study +\S/);
    expect(npx.stderr).to.equal('');
    // train from the built JavaScript, without the repository's chart and progress packages.
    const trainHelp = run(bin, ['train', '--help'], { cwd: app });
    expect(trainHelp).to.include('Usage: maskgrad train [options]');
    expect(trainHelp).to.include('--thresholds tune|0.5');
    const data = join(ROOT, 'examples', 'data');
    const trained = run(
      bin,
      [
        ...['train', '--train', join(data, 'yeast-train.arff'), '--test'],
        ...[join(data, 'yeast-test.arff'), '--labels', '14', '--strategy', 'masked'],
        ...['--runs', '1', '--epochs', '2', '--hidden', '4', '--val', '0'],
      ],
      { cwd: app },
    );
    // The loss curve as numbers: the chart package is not installed with maskgrad.
    expect(trained).to.match(/\nTraining loss per epoch, masked: \d\.\d{3} \d\.\d{3}\n/);

    const { file, test } = trainedYeastModel();
    writeModelFile(join(app, 'yeast.model.json'), file);
    const rows = 5;
    const [, F] = test.x.shape;
    const header = [...test.featureNames].reverse();
    const lines = [header.join(',')];
    for (let r = 0; r < rows; r++) {
      lines.push(
        header.map((n) => String(test.x.data[r * F + test.featureNames.indexOf(n)])).join(','),
      );
    }
    fs.writeFileSync(join(app, 'rows.csv'), lines.join('\n') + '\n');
    const out = run(bin, ['predict', '--model', 'yeast.model.json', '--input', 'rows.csv'], {
      cwd: app,
    });
    const outLines = out.trim().split('\n');
    expect(outLines[0]).to.equal(file.labels.names.join(','));
    const expected = new Predictor(file).predict(test.x.data.subarray(0, rows * F), rows);
    expect(outLines.slice(1).flatMap((l) => l.split(',').map(Number))).to.deep.equal(
      Array.from(expected),
    );
  });

  it('import and require share one copy of maskgrad, with the same names, in Node, Bun and Deno', () => {
    fs.writeFileSync(
      join(app, 'one-copy.mjs'),
      `import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const out = {};
for (const entry of ['maskgrad', 'maskgrad/node', 'maskgrad/experiment']) {
  const esm = await import(entry);
  const cjs = require(entry);
  out[entry] = {
    esm: Object.keys(esm).sort(),
    cjs: Object.keys(cjs).filter((k) => k !== '__esModule').sort(),
    same: Object.keys(esm).every((k) => esm[k] === cjs[k]),
  };
}
out.version = require('maskgrad/package.json').version;
console.log(JSON.stringify(out));
`,
    );
    const out = JSON.parse(run(process.execPath, ['one-copy.mjs'], { cwd: app }));
    const env = { ...process.env, DENO_DIR: join(dir, 'deno-cache'), NO_COLOR: '1' };
    const deno = ['run', '--no-prompt', `--allow-read=${app}`, 'one-copy.mjs'];
    expect(
      JSON.parse(run(runtimeBinary('bun'), ['one-copy.mjs'], { cwd: app })),
      'bun',
    ).to.deep.equal(out);
    expect(JSON.parse(run(runtimeBinary('deno'), deno, { cwd: app, env })), 'deno').to.deep.equal(
      out,
    );
    for (const entry of ['maskgrad', 'maskgrad/node', 'maskgrad/experiment']) {
      expect(out[entry].esm, entry).to.deep.equal(out[entry].cjs);
      expect(out[entry].same, entry).to.equal(true);
    }
    expect(out.maskgrad.esm).to.include.members(['Tensor', 'tensor', 'fit', 'defineOp']);
    expect(out['maskgrad/node'].esm).to.include.members(['readModelFile', 'writeModelFile']);
    expect(out['maskgrad/experiment'].esm).to.include('runExperiment');
    expect(out.version).to.equal(
      (JSON.parse(fs.readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
        .version,
    );
  });

  it("esbuild bundles 'maskgrad' and 'maskgrad/experiment' for the browser: no warnings, no Node built-in, one copy, the same API", async () => {
    const result = await build({
      stdin: {
        contents: "export * from 'maskgrad';\nexport * as experiment from 'maskgrad/experiment';\n",
        resolveDir: app,
        loader: 'js',
      },
      absWorkingDir: app,
      outfile: join(app, 'browser-bundle.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      metafile: true,
      logLevel: 'silent',
    });
    expect(result.warnings).to.deep.equal([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter(isNodeBuiltin)).to.deep.equal([]);
    // The browser build only: none of the CommonJS build, whose core would be a second copy.
    expect(inputs).to.include.members([
      'node_modules/maskgrad/dist/browser/index.mjs',
      'node_modules/maskgrad/dist/browser/experiment.mjs',
    ]);
    expect(
      inputs.filter((f) => f !== '<stdin>' && !f.startsWith('node_modules/maskgrad/dist/browser/')),
    ).to.deep.equal([]);
    const out = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { experiment, ...m } = await import('./browser-bundle.mjs');
const require = (await import('module')).createRequire(import.meta.url);
const cjs = require('maskgrad');
const names = (o) => Object.keys(o).filter((k) => k !== '__esModule').sort();
console.log(JSON.stringify({
  names: names(m),
  cjs: names(cjs),
  experiment: names(experiment),
  cjsExperiment: names(require('maskgrad/experiment')),
  sum: m.tensor([1, 2]).add(1).sigmoid().sum().item(),
  cjsSum: cjs.tensor([1, 2]).add(1).sigmoid().sum().item(),
}));`,
      ],
      { cwd: app },
    );
    const r = JSON.parse(out);
    expect(r.names).to.deep.equal(r.cjs);
    expect(r.experiment).to.deep.equal(r.cjsExperiment);
    expect(r.experiment).to.include('runExperiment');
    expect(r.sum).to.be.closeTo(1.8, 0.1);
    expect(Object.is(r.sum, r.cjsSum)).to.equal(true);
  });

  describe('a consumer compiles against the installed types with tsc --strict, without skipLibCheck', () => {
    const tsconfig = (options: Record<string, unknown>, files: string[]) =>
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'ES2022',
          lib: ['ES2022'],
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          skipLibCheck: false,
          ...options,
        },
        files,
      });

    function compile(name: string, options: Record<string, unknown>, file: string): string {
      const folder = join(app, name);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(join(folder, file), CONSUMER);
      fs.writeFileSync(join(folder, 'tsconfig.json'), tsconfig(options, [file]));
      const r = spawnSync(process.execPath, [TSC, '-p', folder], { encoding: 'utf8' });
      expect(r.stdout + r.stderr, `tsc ${name}`).to.equal('');
      expect(r.status).to.equal(0);
      return folder;
    }

    let cjsOutput = '';

    it('CommonJS, module node16: compiles, and runs (require)', () => {
      const folder = compile(
        'cjs',
        { module: 'node16', moduleResolution: 'node16', outDir: 'out' },
        'consumer.cts',
      );
      cjsOutput = run(process.execPath, [join(folder, 'out', 'consumer.cjs'), 'cjs.model.json'], {
        cwd: folder,
      });
      const result = JSON.parse(cjsOutput);
      expect(result.epochs).to.equal(3);
      expect(result.probabilities).to.have.length(8);
    });

    it('ES module, module node16: compiles, and runs (import) to the same numbers', () => {
      const folder = compile(
        'esm',
        { module: 'node16', moduleResolution: 'node16', outDir: 'out' },
        'consumer.mts',
      );
      const out = run(process.execPath, [join(folder, 'out', 'consumer.mjs'), 'esm.model.json'], {
        cwd: folder,
      });
      expect(cjsOutput).to.not.equal('');
      expect(out).to.equal(cjsOutput);
    });

    it('moduleResolution bundler: compiles', () => {
      compile(
        'bundler',
        { module: 'preserve', moduleResolution: 'bundler', noEmit: true },
        'consumer.ts',
      );
    });

    it("moduleResolution bundler with the 'browser' condition: compiles", () => {
      compile(
        'bundler-browser',
        {
          module: 'preserve',
          moduleResolution: 'bundler',
          customConditions: ['browser'],
          noEmit: true,
        },
        'consumer.ts',
      );
    });
  });
});
