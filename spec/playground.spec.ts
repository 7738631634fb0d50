// The playground's training core, run in Node: what the page's worker computes.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'fs';
import { builtinModules } from 'module';
import { tmpdir } from 'os';
import { join } from 'path';
import { serialize } from 'v8';
import { bundlePage } from '../web/scripts/build';
import { manyLabelsCsv } from '../web/scripts/many-labels-csv';
import {
  Adam,
  detectLabelColumns,
  fit,
  isMaskgradError,
  keepOnePositive,
  MLP,
  modelFileToText,
  parseCsv,
  parseModelFile,
  Predictor,
  tensor,
  type MultiLabelDataset,
} from '../src';
import { STRATEGIES, STRATEGY_NAMES } from '../src/app';
import { configFromQuery, configToQuery, DEFAULT_CONFIG, type RunConfig } from '../web/src/config';
import { columnChoice, defaultRoles, roleProblem } from '../web/src/columns';
import { drawGraph, GRAPH_PRESETS } from '../web/src/graph-core';
import { oneBatch } from '../examples/one-batch';
import { toyDataset } from '../web/src/toy';
import {
  classesNote,
  MAX_CLASSES_DRAWN,
  MAX_TOY_MAPS,
  namesList,
  pointCost,
  ToyRegions,
  TOY_GRID_MAX,
  TOY_GRID_MIN,
  TOY_WORK_PER_FRAME,
} from '../web/src/frame-budget';
import {
  lossOptions,
  parseDataFile,
  PlaygroundTrainer,
  predictFromWeights,
  prepareData,
} from '../web/src/train-core';

const toyConfig: RunConfig = {
  ...DEFAULT_CONFIG,
  strategies: ['masked', 'negative', 'full'],
  hidden: [8],
  batch: 16,
};

/** The toy set with label 0 unknown in every row. */
function toyWithoutLabel0(): MultiLabelDataset {
  const d = toyDataset(200);
  const mask = d.mask.data.slice();
  const y = d.y.data.slice();
  const C = d.y.shape[1];
  for (let i = 0; i < d.y.shape[0]; i++) {
    mask[i * C] = 0;
    y[i * C] = 0;
  }
  return { ...d, y: tensor(y, { shape: d.y.shape }), mask: tensor(mask, { shape: d.mask.shape }) };
}

describe('playground: training core', () => {
  it('gives the same losses, bit for bit, on every run with the same settings', () => {
    const run = () => {
      const t = new PlaygroundTrainer(prepareData(toyDataset(), toyConfig), toyConfig);
      t.trainEpoch();
      t.trainStep();
      return t.lossLog;
    };
    const a = run();
    const b = run();
    expect(Object.keys(a)).to.deep.equal(['masked', 'negative', 'full']);
    for (const s of Object.keys(a)) {
      expect(a[s].length).to.equal(31); // 480 training rows / 16 = 30 batches, then one more
      a[s].forEach((v, i) => expect(Object.is(v, b[s][i]), `${s} batch ${i}`).to.equal(true));
    }
  });

  it('trains the strategies from the same initial weights but on different labels', () => {
    const t = new PlaygroundTrainer(prepareData(toyDataset(), toyConfig), toyConfig);
    const before = t.snapshot();
    const w0 = before.strategies.map((s) => s.layers[0].weight);
    expect(Array.from(w0[1])).to.deep.equal(Array.from(w0[0]));
    expect(before.strategies[0].valMap).to.have.length(1); // epoch 0: before training
    t.trainStep();
    const [masked, negative, full] = t.lossLog.masked.concat(t.lossLog.negative, t.lossLog.full);
    expect(masked).to.not.equal(negative);
    expect(masked).to.not.equal(full);
  });

  it('hides the share of training labels asked for, and none of the validation labels', () => {
    const data = prepareData(toyDataset(), { hide: 0.5, regime: 'random', seed: 3 });
    const { y, mask } = data.observed;
    const known = mask.data.reduce((a, b) => a + b, 0);
    expect(known / mask.data.length).to.be.within(0.45, 0.55);
    expect(data.full.mask.data.every((m) => m === 1)).to.equal(true);
    expect(data.val.mask.data.every((m) => m === 1)).to.equal(true);
    // A hidden label is a 0 in the targets (what unknown = negative trains on); a known one is the file's.
    for (let i = 0; i < mask.data.length; i++) {
      expect(y.data[i]).to.equal(mask.data[i] === 0 ? 0 : data.full.y.data[i]);
    }
  });

  it('keeps one positive label per row in the single-positive regime (keepOnePositive)', () => {
    const data = prepareData(toyDataset(), { hide: 0.5, regime: 'single-positive', seed: 1 });
    const { y, mask } = data.observed;
    const [N, C] = mask.shape;
    let rowsWithOne = 0;
    for (let r = 0; r < N; r++) {
      const known = [];
      let positives = 0;
      for (let c = 0; c < C; c++) {
        positives += data.full.y.data[r * C + c];
        if (mask.data[r * C + c] === 1) known.push(c);
      }
      expect(known.length).to.equal(positives > 0 ? 1 : 0);
      for (const c of known) {
        expect(y.data[r * C + c]).to.equal(1);
        expect(data.full.y.data[r * C + c]).to.equal(1);
      }
      rowsWithOne += known.length;
    }
    expect(rowsWithOne).to.be.greaterThan(N / 2);
    expect(
      keepOnePositive(data.full, { seed: '1:hide' }).mask.data.every((m, i) => m === mask.data[i]),
    ).to.equal(true);
  });

  it("trains any strategy of the library's table as fit does, loss for loss (stateful ROLE and LL-Cp too)", () => {
    const config: RunConfig = {
      ...toyConfig,
      regime: 'single-positive',
      strategies: ['role', 'll-cp', 'epr', 'full'],
    };
    const data = prepareData(toyDataset(), config);
    const t = new PlaygroundTrainer(data, config);
    t.trainEpoch();
    t.trainStep();
    for (const strategy of config.strategies) {
      const train = STRATEGIES[strategy].hidesLabels ? data.observed : data.full;
      const model = new MLP([2, ...config.hidden, 4], { seed: config.seed });
      const losses: number[] = [];
      fit(model, train, {
        loss: STRATEGIES[strategy].makeLoss(train, lossOptions(strategy, config, data.full)),
        optimizer: new Adam(model.parameters(), { lr: config.lr }),
        epochs: 2,
        batchSize: config.batch,
        seed: `${config.seed}:batches`,
        hooks: { onBatch: (r) => losses.push(r.loss) },
      });
      const page = t.lossLog[strategy];
      expect(page).to.have.length(31);
      expect(
        page.every((v, i) => Object.is(v, losses[i])),
        strategy,
      ).to.equal(true);
    }
  });

  it('gives a class with no known label in the batch an exactly zero output row under the masked loss', () => {
    const config: RunConfig = { ...toyConfig, strategies: ['masked', 'negative'] };
    const t = new PlaygroundTrainer(prepareData(toyWithoutLabel0(), config), config);
    for (let i = 0; i < 5; i++) t.trainStep();
    const s = t.snapshot();
    expect(s.observedInBatch[0]).to.equal(0);
    const [masked, negative] = s.strategies;
    const H = s.hiddenUnits;
    for (let j = 0; j < H; j++) expect(Object.is(masked.gradWeight[j], 0)).to.equal(true);
    expect(Object.is(masked.gradBias[0], 0)).to.equal(true);
    expect(negative.gradWeight.subarray(0, H).some((g) => g !== 0)).to.equal(true);
    // never observed: the row has not moved at all under Adam; unknown = negative moved it
    expect(masked.rowUnchanged[0]).to.equal(true);
    expect(masked.rowChange[0]).to.equal(0);
    expect(masked.rowUnchanged.slice(1)).to.deep.equal([false, false, false]);
    expect(negative.rowUnchanged[0]).to.equal(false);
  });

  it('draws from copied weights what the model computes', () => {
    const t = new PlaygroundTrainer(prepareData(toyDataset(), toyConfig), toyConfig);
    t.trainEpoch();
    const layers = t.snapshot().strategies[0].layers;
    const out = new Float64Array(4);
    predictFromWeights(layers, Float64Array.from([0.3, -0.2]), out);
    // by hand: relu(W0 x + b0), then sigmoid(W1 h + b1)
    const [l0, l1] = layers;
    const h = Array.from({ length: 8 }, (_, o) =>
      Math.max(0, l0.bias[o] + l0.weight[o * 2] * 0.3 + l0.weight[o * 2 + 1] * -0.2),
    );
    for (let c = 0; c < 4; c++) {
      let z = l1.bias[c];
      for (let j = 0; j < 8; j++) z += l1.weight[c * 8 + j] * h[j];
      expect(out[c]).to.be.closeTo(1 / (1 + Math.exp(-z)), 1e-15);
    }
  });

  it('reads a file of your own with the readers and their errors', () => {
    const d = parseDataFile('mine.csv', 'a,b,l1,l2\n1,2,0,1\n3,4,?,0\n', 2);
    expect(d.x.shape).to.deep.equal([2, 2]);
    expect(Array.from(d.mask.data)).to.deep.equal([1, 1, 0, 1]);
    const arff = '@relation r\n@attribute a numeric\n@attribute l {0,1}\n@data\n1,0\n2,1\n';
    expect(parseDataFile('mine.arff', arff, 1).labelNames).to.deep.equal(['l']);
    const bad = 'a,b,l1\n1,2,0\n"3,4,1\n';
    let thrown: unknown;
    try {
      parseDataFile('bad.csv', bad, 1);
    } catch (e) {
      thrown = e;
    }
    expect(isMaskgradError(thrown, 'ERR_PARSE')).to.equal(true);
    expect(() => parseCsv(bad, { labels: 1 })).to.throw((thrown as Error).message);
  });
});

describe('playground: the one-batch view', () => {
  it('reproduces the table of examples/masked-gradients.ts', () => {
    const run = oneBatch();
    const fmt = (v: number) => (v === 0 ? '0' : v.toExponential(3));
    expect(run.masked.gradNorm.map(fmt)).to.deep.equal(['1.070e-1', '1.139e-1', '0', '8.230e-2']);
    expect(run.masked.unchanged).to.deep.equal([false, false, true, false]);
    expect(run.masked.maxChange.map(fmt)).to.deep.equal(['5.873e-3', '5.547e-3', '0', '5.368e-3']);
    expect(run.negative.gradNorm.map(fmt)).to.deep.equal([
      '6.686e-2',
      '7.118e-2',
      '1.498e-1',
      '1.113e-1',
    ]);
    expect(run.negative.unchanged).to.deep.equal([false, false, false, false]);
    expect(run.masked.gradWeight[2].every((g) => Object.is(g, 0))).to.equal(true);
  });
});

describe('playground: settings in the URL', () => {
  it('round-trips every setting through the query string', () => {
    const config: RunConfig = {
      dataset: 'yeast',
      hide: 0.3,
      regime: 'single-positive',
      strategies: ['full', 'masked'],
      hidden: [64, 8],
      optimizer: 'sgd',
      lr: 0.05,
      batch: 16,
      seed: 7,
      labels: 3,
      patience: 25,
    };
    const query = configToQuery(config);
    expect(configFromQuery(query)).to.deep.equal({ config, problems: [] });
    expect(configToQuery(DEFAULT_CONFIG)).to.equal('');
  });

  it('keeps the default and names the parameter for a bad value', () => {
    const { config, problems } = configFromQuery(
      'hide=2&strategies=masked,bogus&lr=abc&hidden=0&patience=0',
    );
    expect(config.patience).to.equal(DEFAULT_CONFIG.patience);
    expect(config.hide).to.equal(DEFAULT_CONFIG.hide);
    expect(config.strategies).to.deep.equal(DEFAULT_CONFIG.strategies);
    expect(config.lr).to.equal(DEFAULT_CONFIG.lr);
    expect(config.hidden).to.deep.equal(DEFAULT_CONFIG.hidden);
    expect(problems).to.deep.equal([
      'URL: hide=2 is not valid; expected a number from 0 to 1',
      `URL: strategies=masked,bogus is not valid; expected a comma-separated list of ${STRATEGY_NAMES.join(', ')}`,
      'URL: hidden=0 is not valid; expected up to 4 comma-separated layer sizes from 1 to 512',
      'URL: lr=abc is not valid; expected a number above 0, at most 10',
      'URL: patience=0 is not valid; expected an integer from 1 to 10000',
    ]);
  });

  it("reads an old link's regime=positives as single-positive, and says so", () => {
    const { config, problems } = configFromQuery('regime=positives&hide=0.3');
    expect(config.regime).to.equal('single-positive');
    expect(problems).to.deep.equal([
      'URL: regime=positives is the old name of single-positive, read as that: one positive ' +
        'label per row, every other label unknown',
    ]);
    expect(configToQuery(config)).to.equal('hide=0.3&regime=single-positive');
  });

  it("takes the strategies in the order given, any of the library's table", () => {
    const { config, problems } = configFromQuery('strategies=role,masked,asl');
    expect(problems).to.deep.equal([]);
    expect(config.strategies).to.deep.equal(['role', 'masked', 'asl']);
    expect(configFromQuery('strategies=masked,masked').problems).to.have.length(1);
  });

  it('allows no hidden layer', () => {
    expect(configFromQuery('hidden=').config.hidden).to.deep.equal([]);
  });
});

describe('playground: the graph view', () => {
  it("names toDot's nodes by the same walk toDot takes", () => {
    for (const preset of GRAPH_PRESETS) {
      const drawn = drawGraph(preset, {});
      for (const node of drawn.nodes) {
        const kind = node.op ?? '(parameter|constant)';
        expect(drawn.dot).to.match(new RegExp(`${node.id} \\[shape=[a-z]+, label="[^"]*${kind}`));
      }
    }
  });

  it("gives micrograd's gradients for its neuron", () => {
    const drawn = drawGraph(
      GRAPH_PRESETS.find((p) => p.id === 'neuron')!,
      {},
    );
    const grad = (name: string) => drawn.nodes.find((n) => n.name === name)!.grad![0];
    expect(drawn.output[0]).to.be.closeTo(0.7071, 1e-4);
    expect(grad('x1')).to.be.closeTo(-1.5, 1e-4);
    expect(grad('w1')).to.be.closeTo(1, 1e-4);
    expect(grad('x2')).to.be.closeTo(0.5, 1e-4);
    expect(grad('w2')).to.equal(0);
    expect(grad('n')).to.be.closeTo(0.5, 1e-4);
    expect(grad('x1*w1')).to.be.closeTo(0.5, 1e-4);
  });

  it('shows an exactly zero gradient at the masked logit', () => {
    const drawn = drawGraph(
      GRAPH_PRESETS.find((p) => p.id === 'masked-loss')!,
      {
        z: [2, -1, 0.5],
      },
    );
    const z = drawn.nodes.find((n) => n.name === 'z')!;
    expect(Object.is(z.grad![1], 0)).to.equal(true);
    expect(z.grad![0]).to.not.equal(0);
    expect(drawn.nodes.find((n) => n.name === 'm')!.grad).to.equal(null);
  });

  it('maps every tensor of the graph to one id', () => {
    const drawn = drawGraph(GRAPH_PRESETS[1], {});
    expect(drawn.nodes.map((n) => n.id)).to.have.members(
      Array.from({ length: drawn.nodes.length }, (_, i) => `t${i}`),
    );
  });
});

describe('playground: the browser bundle', () => {
  it('builds with no esbuild warning and no Node built-in among its inputs, not even an empty stand-in', async () => {
    const out = mkdtempSync(join(tmpdir(), 'maskgrad-bundle-'));
    try {
      const { warnings, metafile } = await bundlePage(out);
      expect(warnings.map((w) => w.text)).to.deep.equal([]);
      // A browser field's `false` ('(disabled):crypto') or an external import would name the
      // built-in here; so would the stub plugin this build used to have.
      const builtins = new Set(builtinModules);
      const isBuiltin = (path: string) =>
        builtins.has(path.replace(/^\(disabled\):/, '').replace(/^node:/, ''));
      const inputs = Object.keys(metafile.inputs);
      expect(inputs.filter(isBuiltin)).to.deep.equal([]);
      const imports = Object.values(metafile.inputs).flatMap((input) =>
        input.imports.map((i) => i.path),
      );
      expect(imports.filter(isBuiltin)).to.deep.equal([]);
      // The page is the library's core and the page's own files; nothing of src/node or src/app's CLI.
      expect(inputs.filter((i) => /^src\/(node|app\/cli)\//.test(i))).to.deep.equal([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("playground: the page's work per frame is bounded (web/src/frame-budget.ts)", () => {
  /** Random layers of the given sizes, as a snapshot holds them. */
  const layersOf = (sizes: number[], seed = 1) => {
    let x = seed;
    const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 2;
    return sizes.slice(1).map((out, l) => {
      const inn = sizes[l];
      return {
        weight: Float64Array.from({ length: out * inn }, next),
        bias: Float64Array.from({ length: out }, next),
        shape: [out, inn] as [number, number],
      };
    });
  };
  const mean = [0.1, -0.2];
  /** A colour map of the spec's own (web/src/draw.ts needs the DOM): grey levels. */
  const grey = (t: number): [number, number, number] => {
    const v = Math.round(255 * t);
    return [v, 255 - v, v >> 1];
  };
  const std = [0.9, 1.1];

  /** Runs a ToyRegions to the end; returns the work of each slice. */
  const slices = (job: ToyRegions) => {
    const work: number[] = [];
    for (let i = 0; i < 1e6 && !job.finished; i++) work.push(job.advance());
    expect(job.finished).to.equal(true);
    return work;
  };

  it('the largest page allowed (1,000 labels, 4 layers of 512, 12 strategies): every slice within the budget', () => {
    const strategies = Array.from({ length: 12 }, (_, k) => ({
      layers: layersOf([2, 512, 512, 512, 512, 1000], k + 1),
    }));
    const job = new ToyRegions(strategies, 1000, mean, std, grey);
    expect(job.shown).to.equal(MAX_TOY_MAPS);
    expect(job.grid).to.equal(TOY_GRID_MIN);
    // One point: 2*512 + 3*512*512 + 6*512 multiply-adds (6 of the 1,000 outputs computed).
    const onePoint = 2 * 512 + 3 * 512 * 512 + MAX_TOY_MAPS * 512;
    expect(job.costs).to.deep.equal(new Array(12).fill(onePoint));
    const work = slices(job);
    expect(Math.max(...work)).to.be.at.most(Math.max(TOY_WORK_PER_FRAME, onePoint));
    expect(work.reduce((a, b) => a + b, 0)).to.equal(12 * 8 * 8 * onePoint);
    expect(job.pixels).to.have.length(12);
    expect(job.pixels[0]).to.have.length(MAX_TOY_MAPS);
  });

  it('1,000 labels at the default size: 6 maps per strategy at full resolution, in slices within the budget', () => {
    const strategies = [1, 2].map((seed) => ({ layers: layersOf([2, 16, 16, 1000], seed) }));
    const job = new ToyRegions(strategies, 1000, mean, std, grey);
    expect(job.grid).to.equal(TOY_GRID_MAX);
    const work = slices(job);
    const onePoint = pointCost(strategies[0].layers, MAX_TOY_MAPS);
    expect(onePoint).to.equal(2 * 16 + 16 * 16 + 6 * 16);
    expect(Math.max(...work)).to.be.at.most(TOY_WORK_PER_FRAME);
    expect(work.length).to.be.above(1);
    expect(work.reduce((a, b) => a + b, 0)).to.equal(2 * 48 * 48 * onePoint);
  });

  it("the maps it computes in slices are the colours of the model's probabilities", () => {
    const layers = layersOf([2, 8, 4], 3);
    const job = new ToyRegions([{ layers }], 4, mean, std, grey);
    expect(job.shown).to.equal(4);
    slices(job);
    const out = new Float64Array(4);
    for (const [gx, gy] of [
      [0, 0],
      [47, 0],
      [13, 29],
      [47, 47],
    ]) {
      const x = Float64Array.from([
        (-1 + (2 * (gx + 0.5)) / 48 - mean[0]) / std[0],
        (1 - (2 * (gy + 0.5)) / 48 - mean[1]) / std[1],
      ]);
      predictFromWeights(layers, x, out);
      for (let c = 0; c < 4; c++) {
        const at = (gy * 48 + gx) * 4;
        expect(Array.from(job.pixels[0][c].subarray(at, at + 4))).to.deep.equal([
          ...grey(out[c]),
          255,
        ]);
      }
    }
  });

  it('the per-class pictures draw at most MAX_CLASSES_DRAWN classes, and say so', () => {
    expect(MAX_CLASSES_DRAWN).to.equal(40);
    expect(classesNote(1000)).to.equal('Showing the first 40 of 1000 classes.');
    expect(classesNote(40)).to.equal('');
    expect(classesNote(14)).to.equal('');
    const names = Array.from({ length: 1000 }, (_, c) => `L${c}`);
    expect(namesList(names)).to.equal(`${names.slice(0, 40).join(', ')} and 960 more`);
    expect(namesList(names.slice(0, 40))).to.equal(names.slice(0, 40).join(', '));
    expect(namesList([])).to.equal('');
  });
});

describe("playground: the worker's reports stay small at any allowed size (bytes, not timing)", () => {
  const bits = (v: number) => Buffer.from(Float64Array.of(v).buffer).toString('hex');
  // v8.serialize is Node's structured clone, the format postMessage copies between threads.
  it('the largest page allowed (1,000 labels, 4 layers of 512, every strategy): a report holds no weights and 40 gradient rows, under 200 kB per strategy', function () {
    this.timeout(120000);
    const { config } = configFromQuery(
      `?dataset=custom&labels=1000&hidden=512,512,512,512&strategies=${STRATEGY_NAMES.join(',')}`,
    );
    expect(config.strategies).to.have.length(STRATEGY_NAMES.length);
    // Labels 5, 700 and 999 never known: under the masked strategy their rows' gradient is 0.
    const unknown = [5, 700, 999];
    const csv = manyLabelsCsv(400, 2, 1000)
      .trimEnd()
      .split('\n')
      .map((line, i) => {
        const fields = line.split(',');
        if (i > 0) for (const c of unknown) fields[2 + c] = '?';
        return fields.join(',');
      })
      .join('\n');
    const data = parseDataFile('many.csv', csv, 1000);
    const t = new PlaygroundTrainer(prepareData(data, config), config);
    t.trainStep();
    const report = t.report();
    const bytes = serialize({
      type: 'progress',
      snapshot: report,
      losses: t.lossLog,
      epochMs: [],
      playing: true,
    }).length;
    // Before: every layer's weights and all 1,000 gradient rows, about 14 MB per strategy.
    expect(bytes).to.be.below(200_000 * config.strategies.length);
    const full = t.snapshot({ weights: false });
    report.strategies.forEach((s, k) => {
      expect(s.layers).to.deep.equal([]);
      expect(s.gradRows).to.equal(MAX_CLASSES_DRAWN);
      // The drawn rows are the first 40 of the full gradient, bit for bit.
      expect(Buffer.from(s.gradWeight.buffer)).to.deep.equal(
        Buffer.from(full.strategies[k].gradWeight.slice(0, MAX_CLASSES_DRAWN * 512).buffer),
      );
      // The zero rows are found among all 1,000 classes, not only the drawn ones.
      const g = full.strategies[k].gradWeight;
      const zero = Array.from({ length: 1000 }, (_, c) => c).filter(
        (c) =>
          full.strategies[k].gradBias[c] === 0 &&
          g.subarray(c * 512, (c + 1) * 512).every((v) => v === 0),
      );
      expect(s.zeroGradRows, s.strategy).to.deep.equal(zero);
    });
    expect(report.strategies.find((s) => s.strategy === 'masked')!.zeroGradRows).to.deep.equal(
      unknown,
    );
    // The decision regions' weights: the hidden layers, and 6 output rows of 1,000.
    const regions = t.regionWeights();
    for (const s of regions.strategies) {
      expect(s.layers.map((l) => l.shape)).to.deep.equal([
        [512, 2],
        [512, 512],
        [512, 512],
        [512, 512],
        [MAX_TOY_MAPS, 512],
      ]);
    }
  });

  it("the region weights are the model's own: the same probabilities as the full weights", () => {
    const t = new PlaygroundTrainer(prepareData(toyDataset(), toyConfig), toyConfig);
    for (let i = 0; i < 3; i++) t.trainStep();
    const regions = t.regionWeights();
    expect(regions.step).to.equal(3);
    const full = t.snapshot();
    regions.strategies.forEach((s, k) => {
      const layers = full.strategies[k].layers;
      const C = layers[layers.length - 1].shape[0];
      const shown = Math.min(C, MAX_TOY_MAPS);
      const fromRegions = new Float64Array(shown);
      const fromFull = new Float64Array(C);
      predictFromWeights(s.layers, Float64Array.from([0.3, -0.2]), fromRegions);
      predictFromWeights(layers, Float64Array.from([0.3, -0.2]), fromFull);
      expect(Array.from(fromRegions).map(bits)).to.deep.equal(
        Array.from(fromFull.subarray(0, shown)).map(bits),
      );
    });
  });
});

describe("playground: a file's column roles (web/src/columns.ts)", () => {
  const detected = detectLabelColumns('id,x,a,b,note\nr1,0.5,1,2,ok\nr2,2,0,3,fine\n');

  it('starts with the suggested labels, the first text column as id, other text columns left out', () => {
    expect(detected.kinds).to.deep.equal(['text', 'number', 'label', 'number', 'text']);
    expect(defaultRoles(detected)).to.deep.equal(['id', 'feature', 'feature', 'feature', 'ignore']);
    const found = detectLabelColumns('note,x,id,a,b,memo\nok,1,r1,1,0,m\nfine,2,r2,?,1,n\n');
    expect(found.labels).to.deep.equal(['a', 'b']);
    expect(defaultRoles(found)).to.deep.equal([
      'id',
      'feature',
      'ignore',
      'label',
      'label',
      'ignore',
    ]);
    expect(columnChoice(found, defaultRoles(found))).to.deep.equal({
      labels: ['a', 'b'],
      id: 'note',
      ignore: ['id', 'memo'],
    });
    expect(
      columnChoice(found, ['ignore', 'feature', 'ignore', 'label', 'feature', 'ignore']),
    ).to.deep.equal({
      labels: ['a'],
      ignore: ['note', 'id', 'memo'],
    });
  });

  it('names the column whose role to change, the value that rules the role out, and what to set', () => {
    const roles = defaultRoles(detected);
    const with_ = (c: number, role: (typeof roles)[number]) =>
      roles.map((r, k) => (k === c ? role : r));
    expect(roleProblem(detected, roles)).to.equal(
      'Column roles: no column is set to label; set the columns that hold 0, 1 or unknown (empty, ?, NaN, -1) to label.',
    );
    expect(roleProblem(detected, with_(3, 'label'))).to.equal(
      'Column roles: "b" is set to label but has a value that is not 0, 1 or unknown (line 2: "2"); set it to feature, id or leave out.',
    );
    expect(roleProblem(detected, ['id', 'feature', 'label', 'feature', 'feature'])).to.equal(
      'Column roles: "note" is set to feature but is text (line 2: "ok"); set it to id or leave out.',
    );
    // Empty is an unknown label but not a number: a label column with a gap cannot be a feature.
    const gap = detectLabelColumns('x,a,y\n1,,1\n2,1,0\n');
    expect(roleProblem(gap, ['feature', 'feature', 'label'])).to.equal(
      'Column roles: "a" is set to feature but has a value that is not a number (line 2: ""); set it to id or leave out, or to label if it holds labels.',
    );
    expect(roleProblem(detected, ['id', 'feature', 'label', 'feature', 'id'])).to.equal(
      'Column roles: "id" and "note" are set to id; a file has one id column: set the others to leave out.',
    );
    expect(roleProblem(detected, ['id', 'ignore', 'label', 'ignore', 'ignore'])).to.equal(
      'Column roles: no column is set to feature; set at least one column of numbers to feature.',
    );
    expect(roleProblem(detected, with_(2, 'label'))).to.equal(null);
    const oneColumn = detectLabelColumns('x|a\n1|0\n');
    expect(oneColumn.columns).to.deep.equal(['x|a']);
    expect(roleProblem(oneColumn, defaultRoles(oneColumn))).to.equal(
      'Column roles: the header line was read as one column ("x|a"): it has no comma, tab or semicolon between names; save the file with one of them between the columns.',
    );
  });

  it('passes a choice parseCsv reads, and parseCsv reads it, the delimiter detected', () => {
    const text = 'x,a,y,b\n0.5,1,2,\n1.5,0,3,1\n';
    const found = detectLabelColumns(text);
    expect(roleProblem(found, ['feature', 'label', 'feature', 'label'])).to.equal(null);
    const data = parseDataFile('mine.csv', text, ['a', 'b']);
    expect(data.featureNames).to.deep.equal(['x', 'y']);
    expect(data.labelNames).to.deep.equal(['a', 'b']);
    const tsv = text.replace(/,/g, '\t');
    expect(detectLabelColumns(tsv).delimiter).to.equal('\t');
    expect(parseDataFile('mine.csv', tsv, ['a', 'b'])).to.deep.equal(data);
    const choice = columnChoice(detected, ['id', 'feature', 'label', 'feature', 'ignore']);
    const withIds = parseDataFile(
      'mine.csv',
      'id,x,a,b,note\nr1,0.5,1,1,ok\nr2,2,0,3,fine\n',
      choice.labels,
      {
        ...choice,
        delimiter: ',',
      },
    );
    expect(withIds.ids).to.deep.equal(['r1', 'r2']);
    expect(withIds.featureNames).to.deep.equal(['x', 'b']);
    expect(withIds.labelNames).to.deep.equal(['a']);
  });
});

describe('playground: early stopping and the model file (train-core)', () => {
  const config: RunConfig = { ...DEFAULT_CONFIG, strategies: ['masked', 'negative'], lr: 0.3 };

  it('epochsSinceBest counts from the latest strictly better validation mAP, the fewest over the strategies', () => {
    const trainer = new PlaygroundTrainer(prepareData(toyDataset(), config), config);
    const maps = () => trainer.snapshot({ weights: false }).strategies.map((s) => s.valMap);
    const since = (map: number[]) => {
      let best = 0;
      map.forEach((v, e) => {
        if (v > map[best]) best = e;
      });
      return map.length - 1 - best;
    };
    expect(trainer.epochsSinceBest()).to.equal(0);
    let stalled = 0;
    for (let e = 0; e < 40; e++) {
      trainer.trainEpoch();
      expect(trainer.epochsSinceBest()).to.equal(Math.min(...maps().map(since)));
      if (trainer.epochsSinceBest() > 0) stalled++;
    }
    // At lr 0.3 the toy run does stall: the count is not always 0.
    expect(stalled).to.be.above(0);
  });

  it("the model file predicts what the trainer's network computes, bit for bit", () => {
    const trainer = new PlaygroundTrainer(prepareData(toyDataset(), config), config);
    trainer.trainEpoch();
    trainer.trainEpoch();
    const digest = { role: 'train', file: 'toy.csv', sha256: 'a'.repeat(64) };
    const file = parseModelFile(modelFileToText(trainer.modelFile('negative', [digest])));
    expect(file.training).to.include({ strategy: 'negative', hide: 0.5, epochs: 2, seed: 1 });
    expect(file.training.data).to.deep.equal([digest]);
    expect(file.training).to.not.have.property('idColumn');
    const withId = trainer.modelFile('negative', [digest], 'row');
    expect(parseModelFile(modelFileToText(withId)).training.idColumn).to.equal('row');
    expect(file.labels.thresholds).to.deep.equal([0.5, 0.5, 0.5, 0.5]);
    const x = toyDataset().x;
    const predicted = new Predictor(file).predict(x.data as Float64Array, x.shape[0]);
    expect(Array.from(predicted)).to.deep.equal(Array.from(trainer.probabilities('negative', x)));
    expect(() => trainer.modelFile('full', [])).to.throw(
      "playground: no model is trained with the strategy 'full'; trained: masked, negative",
    );
  });
});
