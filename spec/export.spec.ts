import { expect } from 'chai';
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ort from 'onnxruntime-node';
import { type ModelFile, modelFileToText, Predictor, toOnnx, toSafetensors } from '../src';
import { ProtoWriter } from '../src/core/model/protobuf';
import { encodeSafetensors } from '../src/core/model/safetensors';
import { trainedYeastModel, YEAST_TEST } from './model-fixture';
import { writeModelFile } from '../src/node';

const ascii = (text: string) => Buffer.from(text, 'latin1');

/** A minimal safetensors reader for the checks: header, metadata and raw tensor bytes. */
function readSafetensors(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
  const metadata = header.__metadata__ ?? {};
  delete header.__metadata__;
  const data = bytes.subarray(8 + n);
  const tensors: Record<string, { dtype: string; shape: number[]; bytes: Uint8Array }> = {};
  for (const [name, e] of Object.entries(header) as [
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] },
  ][]) {
    tensors[name] = {
      dtype: e.dtype,
      shape: e.shape,
      bytes: data.subarray(e.data_offsets[0], e.data_offsets[1]),
    };
  }
  return { headerLength: n, metadata, tensors, dataLength: data.length };
}

const f64le = (values: number[]) => {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => b.writeDoubleLE(v, i * 8));
  return b;
};

/** A hand-made model: 2 features, 1 label, no hidden layer. */
function tinyModel(): ModelFile {
  return {
    format: 'maskgrad-model',
    version: 1,
    architecture: { sizes: [2, 1], activation: 'relu' },
    features: { names: ['a', 'b'], mean: [0.5, -1], std: [2, 1] },
    labels: { names: ['y'], thresholds: [0.5] },
    training: {
      strategy: 'masked',
      hide: 0,
      seed: 1,
      epochs: 1,
      data: [],
      maskgradVersion: '0.0.0',
      date: '2026-01-01T00:00:00.000Z',
    },
    weights: {
      'layers.0.weight': { shape: [1, 2], data: [0.25, -0.5] },
      'layers.0.bias': { shape: [1], data: [1] },
    },
  };
}

describe('safetensors export', () => {
  it("reproduces the format's published serialization vectors byte for byte", () => {
    // safetensors' own test: {"test": zeros((2, 2), int32)}, header padded to 8 bytes with spaces
    const zeros = encodeSafetensors([
      { name: 'test', dtype: 'I32', shape: [2, 2], data: [0, 0, 0, 0] },
    ]);
    const expected = Buffer.concat([
      ascii('@\x00\x00\x00\x00\x00\x00\x00'),
      ascii('{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}    '),
      Buffer.alloc(16),
    ]);
    expect(Buffer.from(zeros).equals(expected)).to.equal(true);
    // the Rust README example: an F32 [1, 3] "weight" holding 3, 7, 11
    const weight = encodeSafetensors([
      { name: 'weight', dtype: 'F32', shape: [1, 3], data: [3, 7, 11] },
    ]);
    const json = '{"weight":{"dtype":"F32","shape":[1,3],"data_offsets":[0,12]}}';
    expect(json.length).to.equal(62);
    expect(
      Buffer.from(weight).equals(
        Buffer.concat([
          ascii('@\x00\x00\x00\x00\x00\x00\x00'),
          ascii(json + '  '),
          Buffer.from([0, 0, 0x40, 0x40, 0, 0, 0xe0, 0x40, 0, 0, 0x30, 0x41]),
        ]),
      ),
    ).to.equal(true);
  });

  it('the reader of these checks reads the published vector with metadata', () => {
    const published = Buffer.concat([
      ascii('f\x00\x00\x00\x00\x00\x00\x00'),
      ascii(
        '{"__metadata__":{"framework":"pt"},"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}       ',
      ),
      Buffer.alloc(16),
    ]);
    const read = readSafetensors(published);
    expect(read.metadata).to.deep.equal({ framework: 'pt' });
    expect(Object.keys(read.tensors)).to.deep.equal(['test1']);
    expect(read.tensors.test1.bytes.length).to.equal(16);
  });

  it('writes the layers under torch.nn.Sequential names with the model description as metadata', () => {
    const { file } = trainedYeastModel();
    const bytes = toSafetensors(file, 'float64');
    const read = readSafetensors(bytes);
    expect((8 + read.headerLength) % 8).to.equal(0);
    expect(Object.keys(read.tensors)).to.deep.equal(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(read.tensors['0.weight'].shape).to.deep.equal([16, 103]);
    expect(read.tensors['2.bias'].dtype).to.equal('F64');
    const w = file.weights['layers.1.weight'].data;
    expect(Buffer.from(read.tensors['2.weight'].bytes).equals(f64le(w))).to.equal(true);
    expect(Object.values(read.metadata).every((v) => typeof v === 'string')).to.equal(true);
    expect(read.metadata.format).to.equal('maskgrad-model');
    const { weights: _w, ...rest } = JSON.parse(modelFileToText(file));
    expect(JSON.parse(read.metadata.model)).to.deep.equal(rest);
    const sum = Object.values(read.tensors).reduce((n, t) => n + t.bytes.length, 0);
    expect(sum).to.equal(read.dataLength);
    const f32 = readSafetensors(toSafetensors(file, 'float32')).tensors['0.bias'];
    expect(f32.dtype).to.equal('F32');
    const back = new Float32Array(Uint8Array.from(f32.bytes).buffer);
    expect(Array.from(back)).to.deep.equal(file.weights['layers.0.bias'].data.map(Math.fround));
  });
});

describe('ONNX export', () => {
  it('protobuf wire format: varints, floats and nested messages', () => {
    const hex = (w: ProtoWriter) => Buffer.from(w.finish()).toString('hex');
    expect(hex(new ProtoWriter().int(1, 150))).to.equal('089601');
    expect(hex(new ProtoWriter().int(2, -1))).to.equal('10ffffffffffffffffff01');
    expect(hex(new ProtoWriter().string(2, 'testing'))).to.equal('120774657374696e67');
    expect(hex(new ProtoWriter().float(2, 1))).to.equal('150000803f');
    expect(hex(new ProtoWriter().message(3, new ProtoWriter().int(1, 150)))).to.equal('1a03089601');
  });

  it('writes the tiny model as the same bytes every time (pinned)', () => {
    const bytes = toOnnx(tinyModel(), 'float64');
    // opset_import { domain "", version 17 } and ir_version 8 are in the file
    expect(Buffer.from(bytes).subarray(0, 2).toString('hex')).to.equal('0808');
    expect(Buffer.from(bytes).includes(Buffer.from('42040a001011', 'hex'))).to.equal(true);
    // the weight initializer: dims 1, 2, data_type DOUBLE (11), name, raw_data of 16 bytes
    const weight = Buffer.concat([
      Buffer.from('08010802100b420f', 'hex'),
      Buffer.from('layers.0.weight'),
      Buffer.from([0x4a, 16]),
      f64le([0.25, -0.5]),
    ]);
    expect(Buffer.from(bytes).includes(weight)).to.equal(true);
    // The whole file, pinned, once the producer_version field (top level, after the
    // producer_name "maskgrad") is taken out, so a new maskgrad version does not change it.
    const version = JSON.parse(
      fs.readFileSync(join(__dirname, '..', 'package.json'), 'utf8'),
    ).version;
    const field = Buffer.concat([Buffer.from([0x1a, version.length]), Buffer.from(version)]);
    const at = Buffer.from(bytes).indexOf(field);
    expect(at).to.equal(2 + 10);
    const rest = Buffer.concat([
      Buffer.from(bytes).subarray(0, at),
      Buffer.from(bytes).subarray(at + field.length),
    ]);
    expect(rest.length).to.equal(PINNED_TINY_ONNX.length);
    expect(createHash('sha256').update(rest).digest('hex')).to.equal(PINNED_TINY_ONNX.sha256);
  });

  it('runs in ONNX Runtime and matches maskgrad: 1e-6 in float32, 1e-12 in float64', async () => {
    const { file, test } = trainedYeastModel();
    const [N, F] = test.x.shape;
    const expected = new Predictor(file).predict(test.x.data, N);
    for (const [dtype, tolerance] of [
      ['float32', 1e-6],
      ['float64', 1e-12],
    ] as const) {
      const session = await ort.InferenceSession.create(toOnnx(file, dtype));
      expect(session.inputNames).to.deep.equal(['features']);
      expect(session.outputNames).to.deep.equal(['probabilities']);
      const x =
        dtype === 'float32' ? Float32Array.from(test.x.data) : Float64Array.from(test.x.data);
      const out = await session.run({ features: new ort.Tensor(dtype, x, [N, F]) });
      const p = out.probabilities;
      expect(p.dims).to.deep.equal([N, 14]);
      expect(p.type).to.equal(dtype);
      let worst = 0;
      (p.data as Float32Array | Float64Array).forEach(
        (v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]))),
      );
      expect(worst, `${dtype}: largest difference`).to.be.below(tolerance);
    }
  });

  it('standardizes inside the graph: a hand-computed row of the tiny model', async () => {
    const session = await ort.InferenceSession.create(toOnnx(tinyModel(), 'float64'));
    const out = await session.run({
      features: new ort.Tensor('float64', Float64Array.from([2.5, 1]), [1, 2]),
    });
    // z = 0.25 * (2.5 - 0.5) / 2 - 0.5 * (1 + 1) / 1 + 1 = 0.25
    expect((out.probabilities.data as Float64Array)[0]).to.equal(1 / (1 + Math.exp(-0.25)));
  });
});

/** `toOnnx(tinyModel(), 'float64')` without its producer_version, checked by ONNX Runtime and onnx's checker. */
const PINNED_TINY_ONNX = {
  length: 909,
  sha256: '54b770dcc7e131628b45c3375adea77b0deb501445844297c8bc8e42a874b48d',
};

const SYSTEM_PYTHON = '/usr/bin/python3';

function systemPythonHas(module: string): boolean {
  if (!fs.existsSync(SYSTEM_PYTHON)) return false;
  return spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`]).status === 0;
}

describe('PyTorch and the onnx checker (Debian python3-torch, python3-onnx)', function () {
  this.timeout(120000);
  const hasTorch = systemPythonHas('torch');
  const hasOnnx = systemPythonHas('onnx');
  const made: string[] = [];
  after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('examples/pytorch loads the safetensors export and predicts as maskgrad does, to 1e-12', function () {
    if (!hasTorch) {
      console.log(
        `\n  !!! SKIPPED: ${SYSTEM_PYTHON} cannot import torch (apt-get install python3-torch) !!!\n`,
      );
      this.skip();
    }
    const { file, test } = trainedYeastModel();
    const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-torch-'));
    made.push(dir);
    const model = join(dir, 'yeast.safetensors');
    fs.writeFileSync(model, toSafetensors(file, 'float64'));
    const output = join(dir, 'probabilities.csv');
    const script = join(__dirname, '..', 'examples', 'pytorch', 'maskgrad_torch.py');
    const run = spawnSync(
      SYSTEM_PYTHON,
      [script, model, '--input', YEAST_TEST, '--output', output, '--train-epochs', '2'],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/epoch 2: masked loss \d+\.\d+/);
    const lines = fs.readFileSync(output, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).to.equal(file.labels.names.join(','));
    const got = lines.slice(1).flatMap((l) => l.split(',').map(Number));
    const expected = new Predictor(file).predict(test.x.data, test.x.shape[0]);
    expect(got.length).to.equal(expected.length);
    let worst = 0;
    got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[i]))));
    expect(worst).to.be.below(1e-12);
  });

  it("onnx's checker accepts the exported model (float32 and float64)", function () {
    if (!hasOnnx) {
      console.log(
        `\n  !!! SKIPPED: ${SYSTEM_PYTHON} cannot import onnx (apt-get install python3-onnx) !!!\n`,
      );
      this.skip();
    }
    const { file } = trainedYeastModel();
    const dir = fs.mkdtempSync(join(tmpdir(), 'maskgrad-onnx-'));
    made.push(dir);
    writeModelFile(join(dir, 'm.json'), file);
    for (const dtype of ['float32', 'float64'] as const) {
      const path = join(dir, `m-${dtype}.onnx`);
      fs.writeFileSync(path, toOnnx(file, dtype));
      const run = spawnSync(
        SYSTEM_PYTHON,
        [
          '-c',
          'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print("ok")',
          path,
        ],
        { encoding: 'utf8' },
      );
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stdout.trim()).to.equal('ok');
    }
  });
});
