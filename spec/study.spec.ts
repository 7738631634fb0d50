import { expect } from 'chai';
import { join } from 'path';
import { type MultiLabelDataset, takeRows } from '../src';
import {
  type Cell,
  type CellResults,
  main,
  mean,
  pairedDifference,
  runCell,
  type Settings,
} from '../examples/study';
import { loadDataset } from '../src/node';
import { type ExperimentResult } from '../src/app';

const DATA = join(__dirname, '..', 'examples', 'data');

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * The study's directions on a slice small enough for a spec: 300 training rows, 200 test
 * rows, MLP 103-16-14, Adam at lr 0.01 (so that 5 epochs of batch 32 get somewhere), seeds
 * 1-3. On this slice each direction below holds on every seed; the effects are the study's
 * (docs/methods.md), not tuned to pass.
 */
const SLICE: Settings = {
  hidden: [16],
  optimizer: 'adam',
  lr: 0.01,
  weightDecay: 0,
  batchSize: 32,
  epochs: 5,
  val: 0,
  patience: 1,
  refit: false,
};
const SEEDS = [1, 2, 3];

const maps = (runs: ExperimentResult[]) => runs.map((r) => r.mAP);

describe('the study, on a slice of yeast (directions of the table in docs/methods.md)', () => {
  let singlePositive: CellResults;
  let random: CellResults;

  before(() => {
    const train = takeRows(loadDataset(join(DATA, 'yeast-train.arff'), { labels: 14 }), range(300));
    const test: MultiLabelDataset = takeRows(
      loadDataset(join(DATA, 'yeast-test.arff'), { labels: 14 }),
      range(200),
    );
    const sp: Cell = {
      name: 'single positive',
      regime: 'single-positive',
      hide: 0,
      strategies: ['full', 'negative', 'wan', 'epr', 'masked'],
    };
    const half: Cell = {
      name: 'random, 50% known',
      regime: 'random',
      hide: 0.5,
      strategies: ['full', 'masked', 'negative'],
    };
    const fullRuns: ExperimentResult[] = [];
    singlePositive = runCell(train, test, sp, SEEDS, SLICE, { fullRuns });
    random = runCell(train, test, half, SEEDS, SLICE, { fullRuns });
  });

  it('full labels give the best test mAP of every method, in both regimes', () => {
    for (const cell of [singlePositive, random]) {
      const full = mean(maps(cell.get('full')!));
      for (const [strategy, runs] of cell) {
        if (strategy !== 'full') expect(full, strategy).to.be.greaterThan(mean(maps(runs)));
      }
    }
  });

  it('masked BCE on positives only collapses: mean predicted positives above 0.9 C', () => {
    const runs = singlePositive.get('masked')!;
    for (const r of runs) expect(r.meanPredictedPositives, `seed ${r.seed}`).to.be.above(0.9 * 14);
    // ... while assume negative does not.
    for (const r of singlePositive.get('negative')!)
      expect(r.meanPredictedPositives).to.be.below(7);
  });

  it('random regime: masked beats assume negative on every seed (paired t > 2)', () => {
    const masked = maps(random.get('masked')!);
    const an = maps(random.get('negative')!);
    masked.forEach((m, i) => expect(m, `seed ${SEEDS[i]}`).to.be.greaterThan(an[i]));
    expect(pairedDifference(masked, an).t).to.be.above(2);
  });

  it('single positive: EPR or WAN beats assume negative on every seed (paired t > 2)', () => {
    const an = maps(singlePositive.get('negative')!);
    const winners = (['epr', 'wan'] as const).filter((strategy) => {
      const runs = maps(singlePositive.get(strategy)!);
      return runs.every((m, i) => m > an[i]) && pairedDifference(runs, an).t > 2;
    });
    expect(winners).to.not.be.empty;
  });
});

describe('pairedDifference', () => {
  it('is the mean of the differences and mean / (sd / sqrt(n))', () => {
    // Differences 1, 2, 3: mean 2, sd 1, t = 2 / (1 / sqrt(3)).
    const { mean: m, t } = pairedDifference([2, 4, 6], [1, 2, 3]);
    expect(m).to.equal(2);
    expect(t).to.be.closeTo(2 * Math.sqrt(3), 1e-12);
  });
});

describe('the study CLI', () => {
  const run = (argv: string[]) => {
    let out = '';
    let err = '';
    const code = main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  };

  for (const [argv, message] of [
    [['--seeds', '0'], "study: --seeds must be a positive integer, got '0' (see --help)"],
    [['--epochs', '2.5'], "study: --epochs must be a positive integer, got '2.5' (see --help)"],
    [['--seed', '3'], "study: Unknown option '--seed' (see --help)"],
  ] as const) {
    it(`${argv.join(' ')}: a one-line error and exit code 2, before any training`, () => {
      const r = run([...argv]);
      expect(r.code).to.equal(2);
      expect(r.err).to.equal(message + '\n');
      expect(r.out).to.equal('');
    });
  }

  it('--help prints the usage', () => {
    const r = run(['--help']);
    expect(r.code).to.equal(0);
    expect(r.out).to.include('--seeds N');
    expect(r.out).to.include('--quick');
  });
});
