import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { MLP, modelFileFrom, type ModelFile } from '../src';
import { listNames } from '../src/core/describe-value';
import { matchColumns } from '../src/core/model/columns';
import { modelFileKind } from '../src/core/model/file-kind';
import { toOnnx } from '../src/core/model/onnx';
import { toSafetensors } from '../src/core/model/safetensors';
import { runExport } from '../src/app/cli/export';
import { main } from '../src/app/cli/main';
import { runPredict } from '../src/app/cli/predict';
import { runStudy } from '../src/app/cli/study';
import { closestName } from '../src/app/cli/suggest';
import { editDistance } from '../src/core/edit-distance';
import { runTrain } from '../src/app/cli/train';
import { readModelFile, writeModelFile } from '../src/node';
import { AtomicFile, writeFileAtomic } from '../src/node/atomic-write';
import { captureIo } from './support/capture-io';

const ROOT = join(__dirname, '..');

let dir: string;
before(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-command-line-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const smallModel = (): ModelFile =>
  modelFileFrom(new MLP([2, 2], { seed: 1 }), {
    features: ['a', 'b'],
    labels: ['x', 'y'],
    standardization: { mean: [0, 0], std: [1, 1] },
    training: { strategy: 'masked', hide: 0, seed: 1, epochs: 0, data: [] },
  });

describe('did you mean: the nearest command or flag by edit distance', () => {
  it('editDistance counts insertions, deletions, substitutions and neighbour swaps', () => {
    expect(editDistance('trian', 'train')).to.equal(1);
    expect(editDistance('epoch', 'epochs')).to.equal(1);
    expect(editDistance('out', 'output')).to.equal(3);
    expect(editDistance('kitten', 'sitting')).to.equal(3);
    expect(editDistance('', 'abc')).to.equal(3);
    expect(editDistance('same', 'same')).to.equal(0);
  });

  it('closestName: near names and names the word begins; nothing for a far word', () => {
    const flags = ['model', 'format', 'output', 'dtype', 'help'];
    expect(closestName('out', flags)).to.equal('output');
    expect(closestName('fromat', flags)).to.equal('format');
    expect(closestName('Model', flags)).to.equal('model');
    expect(closestName('bogus', flags)).to.equal(undefined);
    expect(closestName('trian', ['train', 'predict', 'export', 'study'])).to.equal('train');
    expect(closestName('serve', ['train', 'predict', 'export', 'study'])).to.equal(undefined);
  });

  it('maskgrad trian: exit 2, did you mean train', async () => {
    const io = captureIo();
    expect(await main(['trian'], io)).to.equal(2);
    expect(io.stderr).to.equal(
      "maskgrad: unknown command 'trian'; did you mean train? (see --help)\n",
    );
    expect(io.stdout).to.equal('');
  });

  it('maskgrad serve: exit 2, the commands listed', async () => {
    const io = captureIo();
    expect(await main(['serve'], io)).to.equal(2);
    expect(io.stderr).to.equal(
      "maskgrad: unknown command 'serve'; expected train, predict, export, inspect or study (see --help)\n",
    );
  });

  it('train --epoch: did you mean --epochs, before reading any file', async () => {
    const io = captureIo();
    expect(await runTrain(['--epoch', '3'], io)).to.equal(2);
    expect(io.stderr).to.equal(
      "train: Unknown option '--epoch'; did you mean --epochs? (see --help)\n",
    );
  });

  it("predict --outptu, study --seed: the command's own flags are the candidates", async () => {
    const io = captureIo();
    expect(await runPredict(['--outptu', 'p.csv'], io)).to.equal(2);
    expect(io.stderr).to.equal(
      "predict: Unknown option '--outptu'; did you mean --output? (see --help)\n",
    );
    const study = captureIo();
    expect(runStudy(['--seed', '3'], study)).to.equal(2);
    expect(study.stderr).to.equal(
      "study: Unknown option '--seed'; did you mean --seeds? (see --help)\n",
    );
  });

  it('an unknown flag near nothing gets no suggestion', async () => {
    const io = captureIo();
    expect(await runPredict(['--zzzzzz'], io)).to.equal(2);
    expect(io.stderr).to.equal("predict: Unknown option '--zzzzzz' (see --help)\n");
  });
});

describe('export --output (one flag name per meaning)', () => {
  it('writes the file named by --output', () => {
    const model = join(dir, 'export.model.json');
    writeModelFile(model, smallModel());
    const out = join(dir, 'export.onnx');
    const io = captureIo();
    expect(runExport(['--model', model, '--format', 'onnx', '--output', out], io)).to.equal(0);
    expect(
      Buffer.from(fs.readFileSync(out)).equals(
        Buffer.from(toOnnx(readModelFile(model), 'float32')),
      ),
    ).to.equal(true);
  });

  it('--out is refused with a pointer to --output, nothing written', () => {
    const model = join(dir, 'export-out.model.json');
    writeModelFile(model, smallModel());
    const out = join(dir, 'export-out.onnx');
    const io = captureIo();
    expect(runExport(['--model', model, '--format', 'onnx', '--out', out], io)).to.equal(2);
    expect(io.stderr).to.equal(
      "export: Unknown option '--out'; did you mean --output? (see --help)\n",
    );
    expect(fs.existsSync(out)).to.equal(false);
  });
});

describe("the atomic writer's message: the user's path and the reason, once prefixed", () => {
  const noTemporaries = (folder: string) =>
    expect(fs.readdirSync(folder).filter((n) => n.endsWith('.tmp'))).to.deep.equal([]);

  it('a failed rename names the target and the reason, not the temporary file', () => {
    const target = join(dir, 'renamed.json');
    let message = '';
    try {
      writeFileAtomic(target, '{}', 'writer', {
        afterWrite: (temporary) => fs.rmSync(temporary),
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.equal(`writer: cannot write ${target}: ENOENT: no such file or directory`);
    noTemporaries(dir);
  });

  it('a folder that goes away before the rename is "no such folder"', () => {
    const folder = join(dir, 'gone');
    fs.mkdirSync(folder);
    const target = join(folder, 'm.json');
    expect(() =>
      writeFileAtomic(target, '{}', 'writer', {
        afterWrite: () => fs.rmSync(folder, { recursive: true }),
      }),
    ).to.throw(`writer: cannot write ${target}: no such folder: ${folder}`);
  });

  it('AtomicFile.commit into a removed folder: the same message', () => {
    const folder = join(dir, 'gone-later');
    fs.mkdirSync(folder);
    const target = join(folder, 'p.csv');
    const file = new AtomicFile(target, '--output');
    file.write('x\n');
    fs.rmSync(folder, { recursive: true });
    expect(() => file.commit()).to.throw(
      `--output: cannot write ${target}: no such folder: ${folder}`,
    );
  });

  it('predict --output into a missing folder: one prefix, exit 2', async () => {
    const model = join(dir, 'p.model.json');
    writeModelFile(model, smallModel());
    const input = join(dir, 'p-rows.csv');
    fs.writeFileSync(input, 'a,b\n1,2\n');
    const output = join(dir, 'nodir', 'p.csv');
    const io = captureIo();
    expect(await runPredict(['--model', model, '--input', input, '--output', output], io)).to.equal(
      2,
    );
    expect(io.stderr).to.equal(
      `predict: --output: cannot write ${output}: no such folder: ${join(dir, 'nodir')}\n`,
    );
  });

  it('export --output into a missing folder: one prefix, exit 2', () => {
    const model = join(dir, 'e.model.json');
    writeModelFile(model, smallModel());
    const output = join(dir, 'nodir', 'm.onnx');
    const io = captureIo();
    expect(runExport(['--model', model, '--format', 'onnx', '--output', output], io)).to.equal(2);
    expect(io.stderr).to.equal(
      `export: --output: cannot write ${output}: no such folder: ${join(dir, 'nodir')}\n`,
    );
  });
});

describe('listNames: long lists of names capped', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `Att${i + 1}`);

  it('0, 1, 2, 3, 4 and 103 names', () => {
    expect(listNames(names(0))).to.equal('none');
    expect(listNames(names(1))).to.equal('"Att1"');
    expect(listNames(names(2))).to.equal('"Att1" and "Att2"');
    expect(listNames(names(3))).to.equal('"Att1", "Att2" and "Att3"');
    expect(listNames(names(4))).to.equal('"Att1", "Att2", "Att3" and 1 more');
    expect(listNames(names(103))).to.equal('"Att1", "Att2", "Att3" and 100 more');
  });

  it('names are escaped as quoteName escapes them', () => {
    expect(listNames(['a\x1b[2J', 'b'])).to.equal('"a\\x1b[2J" and "b"');
  });

  it("a model of 103 features on another data set's columns: a short message", () => {
    const model = {
      features: { names: names(103) },
      labels: { names: ['y'] },
    };
    expect(() => matchColumns(['x1', 'x2', 'y'], model, 'predict')).to.throw(
      'predict: the input has no column "Att1", "Att2", "Att3" and 100 more: features the model needs',
    );
  });
});

describe('a model file that is not JSON says what it looks like', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  const EXPECTED =
    'not a maskgrad model file; expected the JSON file that writeModelFile (or maskgrad train --save) writes';

  /** The message readModelFile gives for a file holding `content`. */
  function readAs(name: string, content: Uint8Array | string): string {
    const file = join(dir, name);
    fs.writeFileSync(file, content);
    try {
      readModelFile(file);
    } catch (e) {
      return (e as Error).message;
    }
    expect.fail('expected an error');
  }

  it('ONNX (as toOnnx writes it) and safetensors (as toSafetensors writes it)', () => {
    expect(modelFileKind(toOnnx(smallModel(), 'float32'))).to.equal('an ONNX file');
    expect(readAs('m.onnx', toOnnx(smallModel(), 'float32'))).to.equal(
      `readModelFile: ${join(dir, 'm.onnx')} is an ONNX file, ${EXPECTED}`,
    );
    expect(readAs('m.safetensors', toSafetensors(smallModel(), 'float64'))).to.equal(
      `readModelFile: ${join(dir, 'm.safetensors')} is a safetensors file, ${EXPECTED}`,
    );
  });

  it('every kind, by its first bytes', () => {
    const header = new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x22]);
    expect(modelFileKind(new Uint8Array([0x08, 0x07, 0x12, 0x07]))).to.equal('an ONNX file');
    expect(modelFileKind(header, 10)).to.equal('a safetensors file');
    // A header length past the end of the file is not safetensors.
    expect(modelFileKind(header, 9)).to.equal('a binary file');
    expect(modelFileKind(bytes('a,b,x\n1,2,0\n'))).to.equal('CSV text');
    expect(modelFileKind(bytes('a;b;x\n1;2;0\n'))).to.equal('CSV text');
    expect(modelFileKind(bytes('a\tb\tx\n1\t2\t0\n'))).to.equal('TSV text');
    expect(modelFileKind(bytes('% yeast\n\n@RELATION yeast\n@attribute a numeric\n'))).to.equal(
      'an ARFF file',
    );
    expect(modelFileKind(bytes(''))).to.equal('empty');
    expect(modelFileKind(bytes(' \n\t\n'))).to.equal('empty');
    expect(modelFileKind(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).to.equal('a zip archive');
    expect(modelFileKind(new Uint8Array([0x1f, 0x8b, 8, 0]))).to.equal('a gzip file');
    expect(modelFileKind(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).to.equal(
      'a binary file',
    );
  });

  it('JSON, and text that is neither JSON nor a table, are left to the JSON parser', () => {
    expect(modelFileKind(bytes('{"format": "maskgrad-model"'))).to.equal(null);
    expect(modelFileKind(bytes('\ufeff  [1, 2]'))).to.equal(null);
    expect(modelFileKind(bytes('hello'))).to.equal(null);
  });

  it('CSV, TSV, ARFF, empty and binary files given to readModelFile', () => {
    for (const [name, content, kind] of [
      ['d.csv', 'a,b,x\n1,2,0\n', 'CSV text'],
      ['d.tsv', 'a\tb\tx\n1\t2\t0\n', 'TSV text'],
      ['d.arff', '@relation r\n@attribute a numeric\n@data\n1\n', 'an ARFF file'],
      ['empty.json', '', 'empty'],
      ['m.bin', new Uint8Array([0, 1, 2, 3]), 'a binary file'],
    ] as const) {
      expect(readAs(name, content)).to.equal(
        `readModelFile: ${join(dir, name)} is ${kind}, ${EXPECTED}`,
      );
    }
  });

  it('predict and export say what they read instead', async () => {
    const onnx = join(dir, 'cli.onnx');
    fs.writeFileSync(onnx, toOnnx(smallModel(), 'float32'));
    const input = join(dir, 'cli-rows.csv');
    fs.writeFileSync(input, 'a,b\n1,2\n');
    const io = captureIo();
    expect(await runPredict(['--model', onnx, '--input', input], io)).to.equal(2);
    expect(io.stderr).to.equal(
      `predict: ${onnx} is an ONNX file, not a maskgrad model file; predict reads the JSON model file that train --save writes\n`,
    );
    const exported = captureIo();
    const out = join(dir, 'cli-out.onnx');
    expect(runExport(['--model', input, '--format', 'onnx', '--output', out], exported)).to.equal(
      2,
    );
    expect(exported.stderr).to.equal(
      `export: ${input} is CSV text, not a maskgrad model file; export reads the JSON model file that train --save writes\n`,
    );
  });
});

describe('the maskgrad command in the repository, without a build', function () {
  this.timeout(120000);

  it('node bin/maskgrad.js --help lists every command', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'maskgrad.js'), '--help'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).to.equal(0);
    for (const command of ['train', 'predict', 'export', 'inspect', 'study']) {
      expect(r.stdout).to.match(new RegExp(`\\n  ${command} +\\S`));
    }
    expect(r.stderr).to.equal('');
  });

  it("npx maskgrad runs this project's own bin, and npm warns about nothing", () => {
    const r = spawnSync('npx', ['--no-install', 'maskgrad', 'trian'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal(
      "maskgrad: unknown command 'trian'; did you mean train? (see --help)\n",
    );
  });

  it('npm run maskgrad -- and npm run train -- reach the same command', () => {
    const r = spawnSync('npm', ['run', '--silent', 'train', '--', '--epoch', '2'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal(
      "train: Unknown option '--epoch'; did you mean --epochs? (see --help)\n",
    );
    const help = spawnSync('npm', ['run', '--silent', 'maskgrad', '--', 'export', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(help.status, help.stderr).to.equal(0);
    expect(help.stdout).to.include('--output FILE');
    expect(help.stderr).to.equal('');
  });
});
