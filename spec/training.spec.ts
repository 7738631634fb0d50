import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  Adam,
  fit,
  isMaskgradError,
  maskedBinaryCrossEntropyWithLogits,
  MLP,
  type MultiLabelDataset,
  SGD,
  standardize,
  takeRows,
  tensor,
  estimateExpectedPositives,
  TrainingDivergedError,
} from '../src';
import { runTrainCli as runCli } from './support/train-cli';
import { loadDataset, readModelFile } from '../src/node';
import {
  type ExperimentOptions,
  REGIMES,
  STRATEGIES,
  STRATEGY_NAMES,
  type Strategy,
  evaluate,
  runExperiment,
} from '../src/app';

const DATA = join(__dirname, '..', 'examples', 'data');

/** The first `rows` data rows of an ARFF file, written to `path`. */
function sliceArff(source: string, path: string, rows: number): void {
  const lines = readFileSync(source, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim().toLowerCase() === '@data') + 1;
  writeFileSync(
    path,
    [...lines.slice(0, start), ...lines.slice(start, start + rows)].join('\n') + '\n',
  );
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const base: Omit<ExperimentOptions, 'strategy' | 'hide' | 'val' | 'refit'> = {
  hidden: [16],
  optimizer: 'adam' as const,
  lr: 0.01,
  weightDecay: 0,
  epochs: 4,
  patience: 10,
  batchSize: 32,
  seed: 1,
};

describe('training on yeast with missing labels', () => {
  let train: MultiLabelDataset;
  let fullTrain: MultiLabelDataset;
  let test: MultiLabelDataset;
  let dir: string;
  let smallTrain: string;
  let smallTest: string;

  before(() => {
    const full = loadDataset(join(DATA, 'yeast-train-missing50.arff'), { labels: 14 });
    train = takeRows(full, range(300));
    fullTrain = takeRows(loadDataset(join(DATA, 'yeast-train.arff'), { labels: 14 }), range(300));
    test = takeRows(loadDataset(join(DATA, 'yeast-test.arff'), { labels: 14 }), range(200));
    dir = mkdtempSync(join(tmpdir(), 'maskgrad-train-'));
    smallTrain = join(dir, 'train.arff');
    smallTest = join(dir, 'test.arff');
    sliceArff(join(DATA, 'yeast-train-missing50.arff'), smallTrain, 300);
    sliceArff(join(DATA, 'yeast-test.arff'), smallTest, 200);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a short masked run of an MLP on a slice of yeast: the loss goes down and nothing is NaN', () => {
    const scaled = standardize(train, test);
    const model = new MLP([103, 16, 14], { seed: 1 });
    const { history } = fit(model, scaled.train, {
      loss: (z, y, mask) => maskedBinaryCrossEntropyWithLogits(z, y, mask),
      optimizer: new Adam(model.parameters(), { lr: 0.01 }),
      epochs: 4,
      batchSize: 32,
      seed: 1,
    });
    expect(history).to.have.length(4);
    for (const h of history) expect(Number.isFinite(h.loss), `epoch ${h.epoch}`).to.equal(true);
    expect(history[3].loss).to.be.lessThan(history[0].loss);
    for (const p of model.parameters()) expect(p.data.every(Number.isFinite)).to.equal(true);
  });

  it('every strategy gives finite test metrics, and masked beats unknown = negative on micro-F1', () => {
    const results = (['full', 'masked', 'negative'] as const).map((strategy) =>
      runExperiment(train, test, {
        ...base,
        epochs: 8,
        strategy,
        hide: 0.3,
        val: 0.2,
        refit: true,
      }),
    );
    for (const r of results) {
      for (const key of ['mAP', 'lrap', 'microF1', 'macroF1', 'hamming'] as const) {
        expect(Number.isFinite(r[key]), `${r.strategy} ${key}`).to.equal(true);
      }
      expect(r.bestEpoch).to.be.within(1, r.epochs);
    }
    const [, masked, negative] = results;
    expect(masked.microF1).to.be.greaterThan(negative.microF1);
  });

  it('stops at the first non-finite loss, naming the epoch and batch, and keeps the last good weights', () => {
    const scaled = standardize(train);
    const model = new MLP([103, 16, 14], { seed: 1 });
    let error: unknown;
    try {
      fit(model, scaled.train, {
        loss: (z, y, mask) => maskedBinaryCrossEntropyWithLogits(z, y, mask),
        optimizer: new SGD(model.parameters(), { lr: 1e300 }),
        epochs: 4,
        batchSize: 32,
        seed: 1,
      });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(TrainingDivergedError);
    const e = error as TrainingDivergedError;
    expect(e.message).to.match(
      /^fit: the training loss became (NaN|Infinity) at epoch 1, batch 2; stopped, and the model keeps the weights of the last step with a finite loss/,
    );
    expect([e.source, e.epoch, e.batch]).to.deep.equal(['loss', 1, 2]);
    expect(e.model).to.equal(model);
    // The weights it kept are finite and give a finite loss.
    for (const p of e.model.parameters()) expect(p.data.every(Number.isFinite)).to.equal(true);
    const loss = maskedBinaryCrossEntropyWithLogits(
      e.model.forward(scaled.train.x),
      scaled.train.y,
      scaled.train.mask,
    );
    expect(Number.isFinite(loss.item())).to.equal(true);
  });

  describe('runExperiment', () => {
    const options: ExperimentOptions = {
      ...base,
      epochs: 3,
      strategy: 'masked',
      hide: 0.3,
      val: 0.2,
      refit: true,
    };

    it("builds each run's loss from the strategy table, afresh for every fit, from the rows it trains on", () => {
      const definition = STRATEGIES.masked;
      const original = definition.makeLoss;
      const calls: [number, ExperimentOptions][] = [];
      definition.makeLoss = (data, opts) => {
        calls.push([data.x.shape[0], opts]);
        return original(data, opts);
      };
      try {
        runExperiment(train, test, options);
      } finally {
        definition.makeLoss = original;
      }
      // The early-stopping run trains on 240 of the 300 rows, the refit on all 300.
      expect(calls.map(([rows]) => rows)).to.deep.equal([240, 300]);
      expect(calls[0][1]).to.equal(options);
    });

    const bad: [string, Partial<ExperimentOptions> & Record<string, unknown>, string][] = [
      [
        'a misspelt option',
        { weight_decay: 0.1 },
        "runExperiment: unknown option 'weight_decay' (allowed: strategy, regime, hide, epochs, val, " +
          'patience, refit, batchSize, hidden, activation, optimizer, lr, weightDecay, seed, ' +
          'expectedPositives, deltaRel, labelSmoothing, unknownWeight, lrMultiplier, gammaPos, gammaNeg, clip, hillLambda, splcTau, emAlpha, emAplAlpha, emAplBeta, emAplNegProportion, emAplWarmupEpoch, emAplNumEpochs, grEpochs, grQ2, grQ3, pwA, pwB, pwEstimator, hooks, refitHooks)',
      ],
      [
        'an unknown strategy',
        { strategy: 'negativ' as never },
        "runExperiment: strategy must be one of 'full', 'masked', 'negative', 'an-ls', 'wan', 'epr', " +
          "'role', 'll-r', 'll-ct', 'll-cp', 'partial-bce', 'asl', 'hill', 'splc', 'em', 'em-apl', 'gr', 'pw', got \"negativ\"",
      ],
      [
        'a validation share that leaves no training row',
        { val: 0.999 },
        'runExperiment: val 0.999 holds out all 300 rows, leaving none to train on; use a smaller share',
      ],
      [
        'a negative learning rate',
        { lr: -1 },
        'runExperiment: lr must be a finite number > 0, got -1',
      ],
      [
        'an unknown optimizer',
        { optimizer: 'adagrad' as never },
        "runExperiment: optimizer must be 'adam' or 'sgd', got \"adagrad\"",
      ],
      [
        'an unknown regime',
        { regime: 'single' as never },
        "runExperiment: regime must be 'random' or 'single-positive', got \"single\"",
      ],
      [
        'a method option out of range',
        { strategy: 'll-r', deltaRel: 2 },
        'runExperiment: deltaRel must be a number from 0 to 1, got 2',
      ],
    ];
    it('a NaN feature: an error naming runExperiment and the row of the data set it was given', () => {
      const poisoned = takeRows(train, range(300));
      poisoned.x.data[5 * 103 + 2] = NaN;
      expect(() => runExperiment(poisoned, test, options)).to.throw(
        `runExperiment: feature 2 (${JSON.stringify(train.featureNames[2])}) of training row 5 is NaN; ` +
          'expected a finite number (this is bad input data, not a learning-rate problem: fix or drop the row)',
      );
    });

    for (const [what, change, message] of bad) {
      it(`${what}: an error naming runExperiment`, () => {
        expect(() => runExperiment(train, test, { ...options, ...change })).to.throw(message);
      });
    }

    /** The training labels each strategy's loss was built from, by spying on makeLoss. */
    function lossInputs(strategies: Strategy[], change: Partial<ExperimentOptions>) {
      const seen = new Map<Strategy, [MultiLabelDataset, ExperimentOptions]>();
      for (const strategy of strategies) {
        const definition = STRATEGIES[strategy];
        const original = definition.makeLoss;
        definition.makeLoss = (data, opts) => {
          if (!seen.has(strategy)) seen.set(strategy, [data, opts]);
          return original(data, opts);
        };
        try {
          runExperiment(fullTrain, test, { ...options, epochs: 1, ...change, strategy });
        } finally {
          definition.makeLoss = original;
        }
      }
      return seen;
    }

    it('single positive: every method sees the same draw for a seed, at most one known label per row, all positive', () => {
      const seen = lossInputs(['masked', 'negative', 'epr'], {
        regime: 'single-positive',
        val: 0,
        seed: 7,
      });
      const [masked] = seen.get('masked')!;
      for (const strategy of ['negative', 'epr'] as const) {
        const [data] = seen.get(strategy)!;
        expect(Buffer.from(data.mask.data.buffer).equals(Buffer.from(masked.mask.data.buffer))).to
          .be.true;
        expect(Buffer.from(data.y.data.buffer).equals(Buffer.from(masked.y.data.buffer))).to.be
          .true;
      }
      const [N, C] = masked.y.shape;
      let rowsWithOne = 0;
      for (let r = 0; r < N; r++) {
        let known = 0;
        for (let c = 0; c < C; c++) {
          if (masked.mask.data[r * C + c] === 1) {
            known++;
            expect(masked.y.data[r * C + c]).to.equal(1);
          }
        }
        expect(known).to.be.at.most(1);
        rowsWithOne += known;
      }
      expect(rowsWithOne).to.be.greaterThan(0.9 * N);
      // Another seed, another draw.
      const [other] = lossInputs(['masked'], { regime: 'single-positive', val: 0, seed: 8 }).get(
        'masked',
      )!;
      expect(Buffer.from(other.mask.data.buffer).equals(Buffer.from(masked.mask.data.buffer))).to.be
        .false;
    });

    it('single positive: early stopping scores the held-out rows on their clean labels', () => {
      // With their single observed positives every label column of the validation rows would
      // rank perfectly (mAP exactly 1); on the clean labels it is below 1.
      const scores: number[] = [];
      runExperiment(fullTrain, test, {
        ...options,
        regime: 'single-positive',
        refit: false,
        hooks: { onEpoch: (r) => scores.push(r.valMetric) },
      });
      expect(scores).to.have.length(3);
      for (const v of scores) expect(v).to.be.within(0.2, 0.99);
    });

    it("EPR's expected positives: estimated from the training file's labels unless given", () => {
      const estimated = lossInputs(['epr'], { regime: 'single-positive', val: 0 }).get('epr')!;
      const k = estimateExpectedPositives(fullTrain.y, fullTrain.mask);
      expect(estimated[1].expectedPositives).to.equal(k);
      expect(k).to.be.within(3, 6); // yeast: about 4.2 labels per row
      const given = lossInputs(['epr'], { expectedPositives: 2.5 }).get('epr')!;
      expect(given[1].expectedPositives).to.equal(2.5);
      const result = runExperiment(fullTrain, test, { ...options, strategy: 'epr', epochs: 1 });
      expect(result.expectedPositives).to.equal(
        estimateExpectedPositives(fullTrain.y, fullTrain.mask),
      );
    });

    it('every strategy of the table trains in both regimes with finite metrics', () => {
      for (const regime of REGIMES) {
        for (const strategy of STRATEGY_NAMES) {
          const r = runExperiment(fullTrain, test, {
            ...options,
            strategy,
            regime,
            epochs: 1,
            val: 0,
            hidden: [4],
          });
          for (const key of ['mAP', 'lrap', 'microF1', 'meanPredictedPositives'] as const) {
            expect(Number.isFinite(r[key]), `${regime} ${strategy} ${key}`).to.equal(true);
          }
          expect(r.regime).to.equal(regime);
        }
      }
    });

    it('meanPredictedPositives is the mean over rows of the sum of predicted probabilities', () => {
      const data: MultiLabelDataset = {
        x: tensor([[0], [0]]),
        y: tensor([
          [1, 0],
          [0, 1],
        ]),
        mask: tensor([
          [1, 1],
          [1, 1],
        ]),
        featureNames: ['f'],
        labelNames: ['a', 'b'],
      };
      const probs = tensor([
        [0.5, 0.25],
        [1, 0],
      ]);
      expect(evaluate(probs, data).meanPredictedPositives).to.equal(0.875);
    });
  });

  describe('the training CLI', () => {
    const small = () => ['--train', smallTrain, '--test', smallTest, '--labels', '14'];

    it('--json prints one JSON object per run and nothing else; the same seed gives bit-identical curves and metrics', () => {
      const argv = [
        ...small(),
        '--epochs',
        '3',
        '--runs',
        '1',
        '--hidden',
        '16',
        '--json',
        '--seed',
        '5',
        '--strategy',
        'full,masked,negative',
      ];
      const a = runCli(argv);
      const b = runCli(argv);
      expect(a.code).to.equal(0);
      const lines = a.out.trim().split('\n');
      expect(lines).to.have.length(3);
      const records = lines.map((l) => JSON.parse(l));
      expect(records.map((r) => r.strategy)).to.deep.equal(['full', 'masked', 'negative']);
      for (const r of records) {
        expect(Object.keys(r)).to.include.members([
          'strategy',
          'hide',
          'seed',
          'epochs',
          'bestEpoch',
          'mAP',
          'lrap',
          'microF1',
          'macroF1',
          'hamming',
          'seconds',
        ]);
        expect(r.seed).to.equal(5);
      }
      const strip = (out: string) =>
        out
          .trim()
          .split('\n')
          .map((l) => ({ ...JSON.parse(l), seconds: 0 }));
      expect(strip(b.out)).to.deep.equal(strip(a.out));
      expect(records[1].lossCurve.every((v: number) => Number.isFinite(v))).to.equal(true);
    });

    it('--help lists every strategy of the STRATEGIES table, with its title and description', () => {
      const r = runCli(['--help']);
      expect(r.code).to.equal(0);
      const names = Object.keys(STRATEGIES) as (keyof typeof STRATEGIES)[];
      for (const name of names) {
        const { title, describe } = STRATEGIES[name];
        expect(r.out).to.include(`  ${name.padEnd(22)} ${title}: ${describe}\n`);
      }
      expect(r.out).to.include(
        `--strategy NAME          one or more of ${names.join(', ')}, comma separated, or all`,
      );
    });

    it('--save writes the model file, which loads back', () => {
      const file = join(dir, 'model.json');
      const r = runCli([
        ...small(),
        '--epochs',
        '2',
        '--runs',
        '1',
        '--hidden',
        '8',
        '--strategy',
        'masked',
        '--save',
        file,
      ]);
      expect(r.code).to.equal(0);
      expect(r.out).to.include(`Saved the masked model (seed 1) to ${file}`);
      const saved = readModelFile(file);
      expect(Object.keys(saved.weights)).to.deep.equal([
        'layers.0.weight',
        'layers.0.bias',
        'layers.1.weight',
        'layers.1.bias',
      ]);
      expect(saved.weights['layers.0.weight'].shape).to.deep.equal([8, 103]);
      expect(saved.labels.thresholds).to.deep.equal(new Array(14).fill(0.5));
    });

    const bad: [string, string[], string][] = [
      ['an unknown flag', ['--bogus'], "train: Unknown option '--bogus' (see --help)"],
      [
        'an unknown regime',
        ['--regime', 'sideways'],
        "train: --regime must be random or single-positive, got 'sideways'",
      ],
      [
        '--hide with single positives',
        ['--regime', 'single-positive', '--hide', '0.3'],
        'train: --hide is for --regime random; single-positive keeps one positive label per training row',
      ],
      [
        'a misspelt strategy in a list',
        ['--strategy', 'masked,wann'],
        'train: --strategy must be one or more of full, masked, negative, an-ls, wan, epr, role, ' +
          "ll-r, ll-ct, ll-cp, partial-bce, asl, hill, splc, em, em-apl, gr, pw (comma separated) or all, got 'wann'",
      ],
      [
        'a method flag out of range',
        ['--strategy', 'll-r', '--delta-rel', '1.5'],
        "train: --delta-rel must be a number from 0 to 1, got '1.5'",
      ],
      [
        'a method flag no chosen strategy uses',
        ['--strategy', 'epr', '--delta-rel', '0.1'],
        'train: --delta-rel is an option of ll-r, ll-ct, ll-cp; --strategy epr does not use it',
      ],
      [
        'a negative expected-positives',
        ['--strategy', 'epr', '--expected-positives', '-1'],
        "train: --expected-positives must be a finite number >= 0, got '-1'",
      ],
      [
        'a rate outside 0..1',
        ['--hide', '1.5'],
        "train: --hide must be a number from 0 to 1, got '1.5'",
      ],
      [
        'a non-number',
        ['--epochs', 'ten'],
        "train: --epochs must be a positive integer, got 'ten'",
      ],
      [
        'an unknown strategy',
        ['--strategy', 'guess'],
        'train: --strategy must be one or more of full, masked, negative, an-ls, wan, epr, role, ' +
          "ll-r, ll-ct, ll-cp, partial-bce, asl, hill, splc, em, em-apl, gr, pw (comma separated) or all, got 'guess'",
      ],
      [
        'bad hidden sizes',
        ['--hidden', '128,x'],
        "train: --hidden must be positive integers separated by commas, got '128,x'",
      ],
      [
        '--train without --labels',
        ['--train', 'a.arff', '--test', 'b.arff'],
        'train: --train needs --labels: which columns are the labels (see --help)',
      ],
      [
        '--labels without --train',
        ['--labels', '3'],
        'train: --labels is for your own data: give --train FILE and --labels too (or neither, for the bundled yeast data)',
      ],
      [
        '--test without --train',
        ['--test', 'b.arff'],
        'train: --test is for your own data: give --train FILE and --labels too (or neither, for the bundled yeast data)',
      ],
      [
        '--test-share with --test',
        ['--train', 'a.arff', '--test', 'b.arff', '--labels', '3', '--test-share', '0.3'],
        'train: --test-share holds out test rows when there is no --test file; give one or the other',
      ],
      [
        '--test-share of all rows',
        ['--train', 'a.arff', '--labels', '3', '--test-share', '1'],
        "train: --test-share must be a number above 0 up to (not including) 1, got '1'",
      ],
      [
        'a number in hexadecimal',
        ['--epochs', '0x2'],
        "train: --epochs must be a positive integer, got '0x2'",
      ],
      [
        'a seed too large to stay exact',
        ['--seed', '9007199254740993'],
        "train: --seed must be an integer below 2^53 (or text), got '9007199254740993'",
      ],
      [
        '--save with an empty name',
        ['--strategy', 'masked', '--save', ''],
        'train: --save: expected a file path (a non-empty string), got ""',
      ],
      ['--lr -1', ['--lr', '-1'], "train: --lr must be a finite number > 0, got '-1'"],
      ['--lr=-1', ['--lr=-1'], "train: --lr must be a finite number > 0, got '-1'"],
      [
        '--seed -3 is a seed, not a flag',
        ['--seed', '-3', '--bogus'],
        "train: Unknown option '--bogus' (see --help)",
      ],
      [
        'a missing file',
        ['--train', 'nope.arff', '--test', 'nope.arff', '--labels', '3'],
        'train: no such file: nope.arff',
      ],
      [
        '--save with three strategies',
        ['--strategy', 'full,masked,negative', '--save', 'x.json'],
        'train: --save needs a single --strategy (full, masked, negative, an-ls, wan, epr, role, ' +
          'll-r, ll-ct, ll-cp, partial-bce, asl, hill, splc, em, em-apl, gr or pw)',
      ],
    ];
    for (const [what, argv, message] of bad) {
      it(`${what}: a one-line error and exit code 2`, () => {
        const r = runCli(argv);
        expect(r.code).to.equal(2);
        expect(r.err).to.equal(message + '\n');
        expect(r.out).to.equal('');
      });
    }

    it('--regime single-positive --strategy all: says what it skipped and why; --json records carry regime and meanPredictedPositives', () => {
      const r = runCli([
        ...small(),
        '--regime',
        'single-positive',
        '--strategy',
        'all',
        '--epochs',
        '1',
        '--val',
        '0',
        '--hidden',
        '4',
        '--runs',
        '1',
        '--json',
      ]);
      expect(r.code).to.equal(0);
      expect(r.err).to.include(
        'Skipped partial-bce in the single-positive regime: it sees only the observed labels, all positive here',
      );
      const records = r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(records.map((x) => x.strategy)).to.deep.equal(
        STRATEGY_NAMES.filter((s) => s !== 'partial-bce'),
      );
      for (const x of records) {
        expect(x.regime).to.equal('single-positive');
        expect(x.meanPredictedPositives).to.be.within(0, 14);
      }
      expect(records.find((x) => x.strategy === 'epr').expectedPositives).to.be.within(3, 6);
    });

    it('--expected-positives and --delta-rel reach the losses', () => {
      const r = runCli([
        ...small(),
        '--strategy',
        'epr,ll-r',
        '--expected-positives',
        '2',
        '--delta-rel',
        '0.3',
        '--epochs',
        '1',
        '--val',
        '0',
        '--hidden',
        '4',
        '--runs',
        '1',
        '--json',
      ]);
      expect(r.code).to.equal(0);
      const records = r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(records.map((x) => [x.strategy, x.regime])).to.deep.equal([
        ['epr', 'random'],
        ['ll-r', 'random'],
      ]);
      expect(records[0].expectedPositives).to.equal(2);
    });

    it('--save into a missing folder or onto a folder: a one-line error before any training', () => {
      for (const [target, message] of [
        [
          join(dir, 'no-such-folder', 'm.json'),
          `--save: cannot write ${join(dir, 'no-such-folder', 'm.json')}: no such folder: ${join(dir, 'no-such-folder')}`,
        ],
        [dir, `--save: cannot write ${dir}: it is a folder; expected a file name`],
      ]) {
        const r = runCli([...small(), '--strategy', 'masked', '--save', target]);
        expect(r.code).to.equal(2);
        expect(r.err).to.equal(`train: ${message}\n`);
        expect(r.out).to.equal('');
      }
      expect(existsSync(join(dir, 'no-such-folder'))).to.equal(false);
    });

    it('a header-only training file: a one-line error and exit code 2', () => {
      const empty = join(dir, 'empty.arff');
      sliceArff(smallTrain, empty, 0);
      const r = runCli(['--train', empty, '--test', smallTest, '--labels', '14']);
      expect(r.code).to.equal(2);
      // One line naming the file (the reader may reject it before the CLI's own check does).
      expect(r.err.split('\n')).to.have.length(2);
      expect(r.err)
        .to.match(/^train: /)
        .and.include(empty);
    });

    it('--val so large that no training row remains: a one-line error and exit code 2', () => {
      const r = runCli([...small(), '--val', '0.999', '--strategy', 'masked', '--runs', '1']);
      expect(r.code).to.equal(2);
      expect(r.err).to.equal(
        'train: val 0.999 holds out all 300 rows, leaving none to train on; use a smaller share\n',
      );
    });

    // One batch per epoch, so the step that ruins the weights is the epoch's last.
    for (const val of ['0.2', '0']) {
      it(`a divergence on the last batch of an epoch (--val ${val}): the divergence message and exit code 1`, () => {
        const r = runCli([
          ...small(),
          ...['--batch-size', '2000', '--optimizer', 'sgd', '--lr', '1e300', '--val', val],
          ...['--strategy', 'masked', '--runs', '1', '--hidden', '16', '--epochs', '1'],
          ...['--hide', '0.5'],
        ]);
        expect(r.code).to.equal(1);
        const lines = r.err.trim().split('\n');
        const rows = val === '0' ? 'training' : 'validation';
        expect(lines[lines.length - 1]).to.equal(
          `train: masked, seed 1: fit: the model's output on the ${rows} rows became NaN after epoch 1 ` +
            '(last batch 1); stopped, and the model keeps the weights from before its last step (try a smaller learning rate)',
        );
      });
    }

    it('a label count larger than the attribute count: a one-line error and exit code 2', () => {
      const r = runCli(['--train', smallTrain, '--test', smallTest, '--labels', '200']);
      expect(r.code).to.equal(2);
      expect(r.err.trim().split('\n')).to.have.length(1);
      expect(r.err).to.match(/^train: .*labels is 200 but there are only 117 columns/);
    });
  });
});
