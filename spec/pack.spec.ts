import { expect } from 'chai';
import { spawnSync, type SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Predictor } from '../src';
import { trainedYeastModel } from './model-fixture';
import { writeModelFile } from '../src/node';

const ROOT = join(__dirname, '..');

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

  before(() => {
    dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-pack-'));
    const out = run('npm', ['pack', ROOT, '--pack-destination', dir, '--json'], { cwd: dir });
    tarball = join(
      dir,
      (JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[])[0].filename,
    );
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ships the built library, its types, the README and the LICENSE, and nothing else', () => {
    const files = run('tar', ['-tzf', tarball]).trim().split('\n');
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/app/cli/main.js',
      'README.md',
      'LICENSE',
      'package.json',
    ]) {
      expect(files).to.include(`package/${f}`);
    }
    expect(
      files.filter(
        (f) => !/^package\/(dist\/.*\.(js|d\.ts)|README\.md|LICENSE|package\.json)$/.test(f),
      ),
    ).to.deep.equal([]);
  });

  it('installs offline and runs maskgrad --help, train --help and a small predict from the installed bin', () => {
    const app = join(dir, 'app');
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
    const bin = join(app, 'node_modules', '.bin', 'maskgrad');
    expect(run(bin, ['--help'], { cwd: app })).to.include('predict');
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
});
