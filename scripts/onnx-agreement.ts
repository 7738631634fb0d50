// How closely ONNX Runtime's float32 and float64 runs of an exported model agree with
// maskgrad's own float64 prediction, on yeast and on a user-like file whose raw features are
// near 170 (6 named features, 4 labels, a quarter of them unknown).
//
//   npx ts-node --transpile-only scripts/onnx-agreement.ts          (a table)
//   npx ts-node --transpile-only scripts/onnx-agreement.ts --json   (one JSON object per case)
//
// For each case it trains a model as `maskgrad train` does by default (masked loss, nothing
// hidden, one run, the option table's defaults), exports it with toOnnx and runs it on the
// test rows. Figures, over every test row and label (p64: maskgrad's float64 probability):
//   absolute   max |p - p64|
//   relative   max |p - p64| / p64 over the entries with p64 >= 1e-6: the error as a share of
//              the probability (for p64 near 1 this is the absolute error; for small p64 it
//              is about the error of the logit before the sigmoid)
//   relative >= 0.01  the same over the entries with p64 >= 0.01
//   below      how many entries have p64 < 1e-6, and the largest p64 of those for which
//              ONNX Runtime's float32 Sigmoid returned exactly 0 (its relative error is 1)
//   decisions  entries whose 0/1 decision at the model's thresholds differs from maskgrad's
//   input      the same for maskgrad in float64 on the features rounded to float32: the part
//              of the float32 error that rounding the input alone makes
import * as ort from 'onnxruntime-node';
import { join } from 'path';
import {
  modelFileFrom,
  type ModelFile,
  type MultiLabelDataset,
  Predictor,
  Random,
  Tensor,
  toOnnx,
} from '../src';
import { loadDataset } from '../src/node';
import { type ExperimentOptions, OPTION_FIELDS, OPTION_TABLE, runExperiment } from '../src/app';

/** The agreement of one prediction with maskgrad's float64 one. */
export interface Agreement {
  absolute: number;
  /** Over the entries with p64 >= RELATIVE_FLOOR. */
  relative: number;
  /** Over the entries with p64 >= 0.01, where decisions are made. */
  relativeAbove001: number;
  /** Entries with p64 < RELATIVE_FLOOR. */
  below: number;
  /** The largest p64 for which the prediction is exactly 0 (-Infinity if none). */
  largestZeroed: number;
  /** Entries whose 0/1 decision at the model's thresholds differs from maskgrad's. */
  decisionsChanged: number;
}

/** The smallest probability the relative figure counts. */
export const RELATIVE_FLOOR = 1e-6;

export interface AgreementCase {
  name: string;
  rows: number;
  labels: number;
  /** ONNX Runtime, float32 graph, float32 input. */
  float32: Agreement;
  /** ONNX Runtime, float64 graph. */
  float64: Agreement;
  /** maskgrad in float64 on the input rounded to float32. */
  float32Input: Agreement;
}

const DATA = join(__dirname, '..', 'examples', 'data');

/** The user-like data: raw features near 170 (heights in cm, say), 4 labels, unknowns. */
export function userLikeData(rows: number, seed: string): MultiLabelDataset {
  const rng = new Random(seed);
  const featureNames = ['height', 'arm', 'leg', 'shoulder', 'reach', 'standing'];
  const spread = [9, 6, 4, 3, 8, 1.5];
  const labelNames = ['tall', 'sporty', 'senior', 'left_handed'];
  const F = featureNames.length;
  const C = labelNames.length;
  const weights = Array.from({ length: C * F }, () => rng.normal());
  const x = new Float64Array(rows * F);
  const y = new Float64Array(rows * C);
  const mask = new Float64Array(rows * C);
  for (let i = 0; i < rows; i++) {
    const z = Array.from({ length: F }, () => rng.normal());
    for (let j = 0; j < F; j++) {
      // Recorded to one decimal, as a person's measurements are.
      x[i * F + j] = Math.round((170 + spread[j] * z[j]) * 10) / 10;
    }
    for (let c = 0; c < C; c++) {
      let dot = rng.normal(0, 0.5);
      for (let j = 0; j < F; j++) dot += weights[c * F + j] * z[j];
      const known = rng.uniform() < 0.75;
      mask[i * C + c] = known ? 1 : 0;
      y[i * C + c] = known && dot > 0 ? 1 : 0;
    }
  }
  return {
    x: new Tensor(x, [rows, F]),
    y: new Tensor(y, [rows, C]),
    mask: new Tensor(mask, [rows, C]),
    featureNames,
    labelNames,
  };
}

/** Trains with the masked loss and the option table's defaults, nothing hidden; one run. */
function trainModel(train: MultiLabelDataset, test: MultiLabelDataset): ModelFile {
  const defaults: Record<string, unknown> = {};
  for (const field of OPTION_FIELDS) {
    const row = OPTION_TABLE[field];
    if (row.required && row.default && 'value' in row.default) defaults[field] = row.default.value;
  }
  const options = { ...defaults, strategy: 'masked', hide: 0, seed: 1 } as ExperimentOptions;
  const result = runExperiment(train, test, options);
  return modelFileFrom(result.model, {
    features: train.featureNames,
    labels: train.labelNames,
    standardization: result.standardization,
    training: {
      strategy: 'masked',
      hide: 0,
      seed: 1,
      epochs: result.bestEpoch,
      data: [],
      date: '2026-01-01T00:00:00.000Z',
    },
  });
}

function agreement(p: ArrayLike<number>, p64: Float64Array, thresholds: number[]): Agreement {
  let absolute = 0;
  let relative = 0;
  let relativeAbove001 = 0;
  let below = 0;
  let largestZeroed = -Infinity;
  let decisionsChanged = 0;
  for (let i = 0; i < p64.length; i++) {
    const t = thresholds[i % thresholds.length];
    if (p[i] >= t !== p64[i] >= t) decisionsChanged++;
    const d = Math.abs(p[i] - p64[i]);
    absolute = Math.max(absolute, d);
    if (p64[i] >= RELATIVE_FLOOR) relative = Math.max(relative, d / p64[i]);
    else below++;
    if (p64[i] >= 0.01) relativeAbove001 = Math.max(relativeAbove001, d / p64[i]);
    if (p[i] === 0 && p64[i] > 0) largestZeroed = Math.max(largestZeroed, p64[i]);
  }
  return { absolute, relative, relativeAbove001, below, largestZeroed, decisionsChanged };
}

async function runOnnx(
  file: ModelFile,
  x: Float64Array,
  rows: number,
  dtype: 'float32' | 'float64',
) {
  const session = await ort.InferenceSession.create(toOnnx(file, dtype));
  const input = dtype === 'float32' ? Float32Array.from(x) : Float64Array.from(x);
  const F = file.features.names.length;
  const out = await session.run({ features: new ort.Tensor(dtype, input, [rows, F]) });
  return out.probabilities.data as Float32Array | Float64Array;
}

/** Measures one case: maskgrad's float64 prediction against ONNX Runtime's. */
export async function measureCase(
  name: string,
  file: ModelFile,
  test: MultiLabelDataset,
): Promise<AgreementCase> {
  const [rows] = test.x.shape;
  const predictor = new Predictor(file);
  const p64 = predictor.predict(test.x.data, rows);
  const rounded = Float64Array.from(Float32Array.from(test.x.data));
  const thresholds = file.labels.thresholds;
  return {
    name,
    rows,
    labels: file.labels.names.length,
    float32: agreement(await runOnnx(file, test.x.data, rows, 'float32'), p64, thresholds),
    float64: agreement(await runOnnx(file, test.x.data, rows, 'float64'), p64, thresholds),
    float32Input: agreement(predictor.predict(rounded, rows), p64, thresholds),
  };
}

/** Both cases: yeast (its own split) and the user-like data (300 training rows, 100 test rows). */
export async function measureAgreement(): Promise<AgreementCase[]> {
  const yeastTrain = loadDataset(join(DATA, 'yeast-train.arff'), { labels: 14 });
  const yeastTest = loadDataset(join(DATA, 'yeast-test.arff'), { labels: 14 });
  const userTrain = userLikeData(300, 'onnx-agreement-train');
  const userTest = userLikeData(100, 'onnx-agreement-test');
  return [
    await measureCase('yeast', trainModel(yeastTrain, yeastTest), yeastTest),
    await measureCase('features near 170', trainModel(userTrain, userTest), userTest),
  ];
}

async function main() {
  const cases = await measureAgreement();
  if (process.argv.includes('--json')) {
    for (const c of cases) console.log(JSON.stringify(c));
    return;
  }
  const e = (v: number) => v.toExponential(1);
  const zeroed = (a: Agreement) =>
    a.largestZeroed > 0 ? `, 0 up to p64 = ${e(a.largestZeroed)}` : '';
  console.log(
    `| data | rows x labels (p64 < ${e(RELATIVE_FLOOR)}) | float32: absolute | relative | ` +
      'relative, p64 >= 0.01 | decisions changed | float32 input alone: absolute | relative | ' +
      'float64: absolute | relative |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const c of cases) {
    const [a, i, d] = [c.float32, c.float32Input, c.float64];
    console.log(
      `| ${c.name} | ${c.rows} x ${c.labels} (${a.below}${zeroed(a)}) | ${e(a.absolute)} | ` +
        `${e(a.relative)} | ${e(a.relativeAbove001)} | ${a.decisionsChanged} | ` +
        `${e(i.absolute)} | ${e(i.relative)} | ${e(d.absolute)} | ${e(d.relative)} |`,
    );
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(`onnx-agreement: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
