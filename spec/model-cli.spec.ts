import { expect } from 'chai';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { modelFileToText, type ModelFile } from '../src';
import { runExport } from '../src/app/cli/export';
import { captureIo } from './support/capture-io';
import { main } from '../src/app/cli/main';
import { runPredict } from '../src/app/cli/predict';
import { trainedYeastModel, YEAST_TEST } from './model-fixture';
import { writeModelFile } from '../src/node';
import { evaluate } from '../src/app';

const made: string[] = [];
after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function setup(edit?: (f: ModelFile) => void) {
  const { file } = trainedYeastModel();
  const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-cli-'));
  made.push(dir);
  const model = join(dir, 'yeast.model.json');
  const copy = JSON.parse(modelFileToText(file)) as ModelFile;
  edit?.(copy);
  if (edit) fs.writeFileSync(model, JSON.stringify(copy));
  else writeModelFile(model, file);
  return { dir, model };
}

/** Runs predict and expects a one-line error, exit code 2, and `output` left as it was. */
async function expectBadInput(argv: string[], words: string[], output?: string) {
  const before = output && fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : null;
  const io = captureIo();
  expect(await runPredict(argv, io)).to.equal(2);
  const lines = io.stderr.trim().split('\n');
  expect(lines.filter((l) => !l.startsWith('predict: note:'))).to.have.length(1);
  for (const w of words) expect(io.stderr).to.include(w);
  if (output) {
    expect(fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : null).to.equal(before);
    const dir = join(output, '..');
    if (fs.existsSync(dir))
      expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).to.deep.equal([]);
  }
}

describe('the predict command', () => {
  it('writes one row of probabilities per input row, exactly those of training', async () => {
    const { testProbs } = trainedYeastModel();
    const { dir, model } = setup();
    const output = join(dir, 'out.csv');
    const io = captureIo();
    expect(
      await runPredict(['--model', model, '--input', YEAST_TEST, '--output', output], io),
    ).to.equal(0);
    const lines = fs.readFileSync(output, 'utf8').trim().split('\n');
    expect(lines[0]).to.equal(
      'Class1,Class2,Class3,Class4,Class5,Class6,Class7,Class8,Class9,Class10,Class11,Class12,Class13,Class14',
    );
    expect(lines.length - 1).to.equal(917);
    expect(lines.slice(1).flatMap((l) => l.split(',').map(Number))).to.deep.equal(
      Array.from(testProbs.data),
    );
  });

  it('--evaluate prints the metrics that evaluate() gives inside training', async () => {
    const { testProbs, testScaled } = trainedYeastModel();
    const m = evaluate(testProbs, testScaled);
    const { model } = setup();
    const io = captureIo();
    expect(await runPredict(['--model', model, '--input', YEAST_TEST, '--evaluate'], io)).to.equal(
      0,
    );
    expect(io.stdout).to.include(`mAP       ${m.mAP.toFixed(4)}`);
    expect(io.stdout).to.include(`LRAP      ${m.lrap.toFixed(4)}`);
    expect(io.stdout).to.include(`micro-F1  ${m.microF1.toFixed(4)}`);
    expect(io.stdout).to.include(`macro-F1  ${m.macroF1.toFixed(4)}`);
    expect(io.stdout).to.include(`Hamming   ${m.hamming.toFixed(4)}`);
    expect(io.stdout.split('\n')).to.have.length(7);
  });

  it("--decisions writes 0/1 with the model's per-class thresholds", async () => {
    const { testProbs } = trainedYeastModel();
    const thresholds = Array.from({ length: 14 }, (_, k) => 0.2 + k * 0.04);
    const { dir, model } = setup((f) => (f.labels.thresholds = thresholds));
    const output = join(dir, 'out.csv');
    expect(
      await runPredict(
        ['--model', model, '--input', YEAST_TEST, '--output', output, '--decisions'],
        captureIo(),
      ),
    ).to.equal(0);
    const got = fs
      .readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .flatMap((l) => l.split(',').map(Number));
    expect(got).to.deep.equal(
      Array.from(testProbs.data, (p, i) => (p >= thresholds[i % 14] ? 1 : 0)),
    );
  });

  it('notes extra columns on stderr and ignores them', async () => {
    const { dir, model } = setup();
    const input = join(dir, 'in.csv');
    const arff = fs.readFileSync(YEAST_TEST, 'utf8');
    const names = [...arff.matchAll(/^@attribute\s+(\S+)/gim)].map((m) => m[1]);
    const rows = arff.split(/@data/i)[1].trim().split('\n').slice(0, 5);
    fs.writeFileSync(
      input,
      ['note', ...names].join(',') + '\n' + rows.map((r) => `x,${r.trim()}`).join('\n') + '\n',
    );
    const io = captureIo();
    expect(await runPredict(['--model', model, '--input', input], io)).to.equal(0);
    expect(io.stderr).to.equal('predict: note: ignoring the columns "note" (not in the model)\n');
    expect(io.stdout.trim().split('\n')).to.have.length(6);
  });

  describe('bad input: one line, exit code 2, nothing overwritten', () => {
    it('a model file of another format or version', async () => {
      const a = setup((f) => ((f as { format: string }).format = 'other'));
      const out = join(a.dir, 'out.csv');
      fs.writeFileSync(out, 'keep me');
      await expectBadInput(
        ['--model', a.model, '--input', YEAST_TEST, '--output', out],
        ['format', a.model],
        out,
      );
      const b = setup((f) => ((f as { version: number }).version = 2));
      await expectBadInput(
        ['--model', b.model, '--input', YEAST_TEST],
        ['version 2 is not supported'],
      );
    });

    it('edited weights: NaN and a wrong shape', async () => {
      const { model, dir } = setup();
      const text = fs.readFileSync(model, 'utf8');
      fs.writeFileSync(
        model,
        text.replace(/("layers\.1\.bias": \{\s*"shape": \[14\],\s*"data": \[)[^,]+/, '$1NaN'),
      );
      const out = join(dir, 'out.csv');
      fs.writeFileSync(out, 'keep me');
      await expectBadInput(
        ['--model', model, '--input', YEAST_TEST, '--output', out],
        ['not valid JSON'],
        out,
      );
      const shaped = setup((f) => (f.weights['layers.1.weight'].shape = [16, 14]));
      await expectBadInput(
        ['--model', shaped.model, '--input', YEAST_TEST],
        ['weights["layers.1.weight"].shape'],
      );
    });

    it('an input with a feature column missing', async () => {
      const { dir, model } = setup();
      const input = join(dir, 'in.arff');
      fs.writeFileSync(
        input,
        fs
          .readFileSync(YEAST_TEST, 'utf8')
          .replace(/^@attribute Att5 .*$/m, '@attribute Other numeric'),
      );
      const out = join(dir, 'out.csv');
      fs.writeFileSync(out, 'keep me');
      await expectBadInput(
        ['--model', model, '--input', input, '--output', out],
        ['no column "Att5"', input],
        out,
      );
    });

    it('an unwritable --output', async () => {
      const { dir, model } = setup();
      await expectBadInput(
        ['--model', model, '--input', YEAST_TEST, '--output', join(dir, 'no', 'out.csv')],
        ['cannot write'],
      );
      await expectBadInput(
        ['--model', model, '--input', YEAST_TEST, '--output', dir],
        ['is a folder'],
      );
    });

    it('--evaluate without the label columns, a missing flag, an unknown flag', async () => {
      const { dir, model } = setup();
      const input = join(dir, 'in.arff');
      fs.writeFileSync(
        input,
        fs
          .readFileSync(YEAST_TEST, 'utf8')
          .replace(/^@attribute Class3 .*$/m, '@attribute Other numeric'),
      );
      await expectBadInput(
        ['--model', model, '--input', input, '--evaluate'],
        ['--evaluate needs every label column', '"Class3"'],
      );
      await expectBadInput(['--input', YEAST_TEST], ['--model FILE is required']);
      await expectBadInput(['--model', model, '--input', YEAST_TEST, '--fast'], ["'--fast'"]);
    });
  });
});

describe('the export command and the maskgrad bin', () => {
  it('exports ONNX and safetensors; a bad format is a one-line error with nothing written', () => {
    const { dir, model } = setup();
    for (const format of ['onnx', 'safetensors']) {
      const out = join(dir, `m.${format}`);
      const io = captureIo();
      expect(runExport(['--model', model, '--format', format, '--output', out], io)).to.equal(0);
      expect(fs.statSync(out).size).to.be.greaterThan(10000);
    }
    const io = captureIo();
    expect(
      runExport(['--model', model, '--format', 'tflite', '--output', join(dir, 'x')], io),
    ).to.equal(2);
    expect(io.stderr).to.equal("export: --format must be onnx or safetensors, got 'tflite'\n");
    expect(fs.existsSync(join(dir, 'x'))).to.equal(false);
  });

  it('maskgrad --help lists the commands; an unknown command is exit code 2', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).to.equal(0);
    for (const c of ['train', 'predict', 'export']) expect(io.stdout).to.include(`  ${c} `);
    const bad = captureIo();
    expect(await main(['serve'], bad)).to.equal(2);
    expect(bad.stderr).to.include("unknown command 'serve'");
  });
});
