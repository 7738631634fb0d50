// The option table (src/app/options.ts) and what is made from it: runExperiment's range
// checks, the train command's flags, their errors and --help, and the strategies'
// descriptions. Each spec runs over every row, so a new row is covered without a new spec.
import { expect } from 'chai';
import { join } from 'path';
import { takeRows, type MultiLabelDataset } from '../src';
import { describeValue } from '../src/core/describe-value';
import { runTrainCli as runCli } from './support/train-cli';
import { loadDataset } from '../src/node';
import {
  type ExperimentOptions,
  METHOD_OPTIONS,
  type MethodOption,
  OPTION_FIELDS,
  OPTION_TABLE,
  type OptionField,
  type OptionValue,
  runExperiment,
  STRATEGIES,
  STRATEGY_NAMES,
  type Strategy,
} from '../src/app';
import {
  defaultWords,
  expectedWords,
  isPositiveInteger,
  methodOption,
  optionsOf,
} from '../src/app/options';
import { expectedText } from '../src/app/cli/flag-values';
import { parseFlags } from '../src/app/cli/io';
import { TRAIN, trainConfig } from '../src/app/cli/train-arguments';

/** The configuration of `train argv`. */
const configOf = (argv: string[]) => trainConfig(parseFlags(argv, TRAIN.flags));

const DATA = join(__dirname, '..', 'examples', 'data');

/** Values outside `value`'s range, at and beyond each bound, as the API would get them. */
function valuesOutside(value: OptionValue): unknown[] {
  switch (value.kind) {
    case 'number': {
      const out: unknown[] = [value.min - 1, NaN, Infinity];
      if (value.minExcluded) out.push(value.min);
      if (value.max !== undefined) out.push(value.max + 1);
      if (value.maxExcluded) out.push(value.max);
      return out;
    }
    case 'integer':
      return [value.min - 1, value.min + 0.5, '3'];
    case 'integers':
      return [[0], [2.5], '8', [8, -1]];
    case 'choice':
      return ['nope', 1];
    case 'boolean':
      return ['yes', 0];
    case 'seed':
      return [NaN, null, [1]];
  }
}

/** Flag texts that are no value of `value`. */
function textsOutside(value: OptionValue): string[] {
  switch (value.kind) {
    case 'number':
      return valuesOutside(value).map(String).concat('x', '', '0x2', '1,2');
    case 'integer':
      return ['0', '1.5', '-2', 'x', '', '0x2'];
    case 'integers':
      return ['0', '2.5', '8,-1', '8,x', '8,', ''];
    case 'choice':
      return ['nope', ''];
    default:
      return [];
  }
}

/** The values at the bounds that `value` includes. */
function valuesAtBounds(value: OptionValue): number[] {
  if (value.kind === 'integer') return [value.min];
  if (value.kind !== 'number') return [];
  const out = value.minExcluded ? [] : [value.min];
  if (value.max !== undefined && !value.maxExcluded) out.push(value.max);
  return out;
}

/** A strategy that reads `field`, or any strategy for an option of the run itself. */
function readerOf(field: OptionField): Strategy {
  return OPTION_TABLE[field].strategies?.[0] ?? 'masked';
}

const FLAGGED = OPTION_FIELDS.filter((f) => OPTION_TABLE[f].flag !== null);

describe('the option table', () => {
  let train: MultiLabelDataset;
  let test: MultiLabelDataset;
  const rows = (n: number) => Array.from({ length: n }, (_, i) => i);
  before(() => {
    train = takeRows(
      loadDataset(join(DATA, 'yeast-train-missing50.arff'), { labels: 14 }),
      rows(200),
    );
    test = takeRows(loadDataset(join(DATA, 'yeast-test.arff'), { labels: 14 }), rows(100));
  });
  const valid: ExperimentOptions = {
    strategy: 'masked',
    hide: 0,
    val: 0,
    refit: false,
    hidden: [8],
    optimizer: 'adam',
    lr: 0.01,
    weightDecay: 0,
    epochs: 3,
    patience: 1,
    batchSize: 32,
    seed: 1,
  };

  it('has a row for every option runExperiment takes, and runExperiment takes no other', () => {
    const r = (): never => runExperiment(train, test, { ...valid, nope: 1 } as never) as never;
    expect(r).to.throw(
      `runExperiment: unknown option 'nope' (allowed: ${[...OPTION_FIELDS, 'hooks', 'refitHooks'].join(', ')})`,
    );
    for (const field of OPTION_FIELDS) {
      const row = OPTION_TABLE[field];
      expect(row.required, field).to.equal(field in valid);
    }
  });

  describe('a value out of range: the generated error, through the API and through the CLI', () => {
    for (const field of OPTION_FIELDS) {
      const row = OPTION_TABLE[field];
      it(`${field}: runExperiment names itself, ${field}, the value and ${expectedWords(row.value)}`, () => {
        for (const bad of valuesOutside(row.value)) {
          const options = { ...valid, strategy: readerOf(field), [field]: bad };
          expect(() => runExperiment(train, test, options as ExperimentOptions)).to.throw(
            `runExperiment: ${field} must be ${expectedWords(row.value)}, got ${describeValue(bad)}`,
          );
        }
      });
      if (row.flag === null || row.value.kind === 'boolean' || row.value.kind === 'seed') continue;
      it(`--${row.flag}: train names the flag, the text and ${expectedText(row.value)}`, () => {
        for (const text of textsOutside(row.value)) {
          const r = runCli(['--strategy', readerOf(field), `--${row.flag}`, text]);
          expect(r.code, text).to.equal(2);
          expect(r.err).to.equal(
            `train: --${row.flag} must be ${expectedText(row.value)}, got '${text}'\n`,
          );
          expect(r.out).to.equal('');
        }
      });
      it(`--${row.flag}: the values at its bounds are taken as they are`, () => {
        for (const v of valuesAtBounds(row.value)) {
          const config = configOf(['--strategy', readerOf(field), `--${row.flag}`, `${v}`]);
          expect(Object.is(config.options[field as keyof typeof config.options], v)).to.equal(true);
        }
      });
    }
  });

  it('train --help lists every flag of the table with its help, its range and its default', () => {
    const r = runCli(['--help']);
    expect(r.code).to.equal(0);
    for (const field of FLAGGED) {
      const row = OPTION_TABLE[field];
      const line = r.out.split('\n').find((l) => l.startsWith(`  --${row.flag} `));
      expect(line, field).to.be.a('string');
      expect(line).to.include(row.help);
      for (const s of row.strategies ?? []) expect(line).to.include(STRATEGIES[s].title);
      if (row.value.kind === 'boolean') continue;
      expect(line).to.include(`--${row.flag} ${row.arg} `);
      expect(line).to.include(`; ${expectedText(row.value)} (default ${defaultWords(field)})`);
    }
    // The rows without a flag: the strategy (train's --strategy takes a list, its own flag)
    // and the activation (relu, the default, in every run of the CLI).
    expect(OPTION_FIELDS.filter((f) => OPTION_TABLE[f].flag === null)).to.deep.equal([
      'strategy',
      'activation',
    ]);
    expect(r.out).to.not.include('--activation');
  });

  it("the parseArgs configuration: a flag per row, taking a value unless the row's is a boolean", () => {
    for (const field of FLAGGED) {
      const row = OPTION_TABLE[field];
      expect(TRAIN.flags[row.flag!].type).to.equal(
        row.value.kind === 'boolean' ? 'boolean' : 'string',
      );
    }
    const given = configOf(['--no-refit', '--hidden', '8,4', '--seed', 'abc']);
    const byDefault = configOf([]);
    expect([given.options.refit, byDefault.options.refit]).to.deep.equal([false, true]);
    expect(given.options.hidden).to.deep.equal([8, 4]);
    expect([given.seed, byDefault.seed]).to.deep.equal(['abc', 1]);
    // Every option of the run without a flag takes its row's default; method options stay unset.
    for (const field of FLAGGED) {
      const d = OPTION_TABLE[field].default;
      const v = byDefault.options[field as keyof typeof byDefault.options];
      if (METHOD_OPTIONS.includes(field as never)) expect(v, field).to.equal(undefined);
      else if (field !== 'seed') expect(v, field).to.deep.equal(d && 'value' in d ? d.value : NaN);
    }
  });

  describe("the strategies' descriptions and options", () => {
    for (const strategy of STRATEGY_NAMES) {
      it(`${strategy}: reads the rows naming it, and its description gives their flags and defaults`, () => {
        const { uses, describe } = STRATEGIES[strategy];
        expect(uses).to.deep.equal(
          METHOD_OPTIONS.filter((f) => OPTION_TABLE[f].strategies!.includes(strategy)),
        );
        expect(uses).to.deep.equal(optionsOf(strategy));
        const flags = uses.map(
          (f) => `--${OPTION_TABLE[f].flag}, default ${defaultWords(f, strategy)}`,
        );
        if (flags.length === 0) expect(describe).to.not.include('--');
        else expect(describe.endsWith(` (${flags.join('; ')})`)).to.equal(true);
      });
    }
  });

  describe('an option the strategy does not read', () => {
    it('runExperiment: checked for its range, then ignored (the run is the same bit for bit)', () => {
      for (const field of METHOD_OPTIONS) {
        const row = OPTION_TABLE[field];
        const bad = valuesOutside(row.value)[0];
        expect(() => runExperiment(train, test, { ...valid, [field]: bad })).to.throw(
          `runExperiment: ${field} must be`,
        );
      }
      const plain = runExperiment(train, test, valid);
      const withOthers = runExperiment(train, test, {
        ...valid,
        labelSmoothing: 0.3,
        deltaRel: 0.2,
        gammaNeg: 1,
        unknownWeight: 0.5,
      });
      expect(withOthers.lossCurve).to.deep.equal(plain.lossCurve);
      expect(Object.is(withOthers.mAP, plain.mAP)).to.equal(true);
    });

    for (const field of METHOD_OPTIONS) {
      const row = OPTION_TABLE[field];
      const other = STRATEGY_NAMES.find((s) => !row.strategies!.includes(s))!;
      it(`train --${row.flag} with --strategy ${other}: an error naming the strategies that read it`, () => {
        // A value in the row's range: the flag is refused for its reader, not its value.
        const value =
          row.value.kind === 'choice'
            ? row.value.values[0]
            : row.value.kind === 'integer'
              ? '2'
              : '0.5';
        const r = runCli(['--strategy', other, `--${row.flag}`, value]);
        expect(r.code).to.equal(2);
        expect(r.err).to.equal(
          `train: --${row.flag} is an option of ${row.strategies!.join(', ')}; ` +
            `--strategy ${other} does not use it\n`,
        );
      });
    }
  });

  describe('defaults', () => {
    /** Each method option with a number for a default, and a strategy reading it. */
    const numeric: [MethodOption, Strategy, number][] = [];
    for (const field of METHOD_OPTIONS) {
      const d = OPTION_TABLE[field].default!;
      for (const s of OPTION_TABLE[field].strategies!) {
        if ('value' in d && typeof d.value === 'number') numeric.push([field, s, d.value]);
        if ('byStrategy' in d) numeric.push([field, s, d.byStrategy[s]!]);
      }
    }

    it('methodOption: the given value, else the default of the row for the strategy', () => {
      for (const [field, strategy, value] of numeric) {
        const options = { ...valid, strategy };
        expect(Object.is(methodOption(options, field), value), `${field} ${strategy}`).to.equal(
          true,
        );
        expect(methodOption({ ...options, [field]: 0.25 }, field)).to.equal(0.25);
      }
      expect(() => methodOption({ ...valid, strategy: 'wan' }, 'unknownWeight')).to.throw(
        "methodOption: unknownWeight has no default for the strategy 'wan'",
      );
    });

    it("runExperiment's optional options of the run take their rows' defaults", () => {
      const options = { ...valid, strategy: 'negative' as const, hide: 0.5 };
      const omitted = runExperiment(train, test, options);
      const given = runExperiment(train, test, {
        ...options,
        regime: 'random',
        activation: 'relu',
      });
      expect([defaultWords('regime'), defaultWords('activation')]).to.deep.equal([
        'random',
        'relu',
      ]);
      expect(given.regime).to.equal('random');
      expect(given.lossCurve).to.deep.equal(omitted.lossCurve);
      expect(Object.is(given.mAP, omitted.mAP)).to.equal(true);
      const tanh = runExperiment(train, test, { ...options, activation: 'tanh' });
      expect(tanh.lossCurve).to.not.deep.equal(omitted.lossCurve);
    });

    it("each loss trains with its row's default when the option is left out, and otherwise with the value given", () => {
      // EM + APL's pseudo-labels first weigh in at epoch 6 (after its default warm-up of 5).
      const epochsOf: Partial<Record<Strategy, number>> = { 'em-apl': 7 };
      for (const [field, strategy, value] of numeric) {
        const epochs = epochsOf[strategy] ?? valid.epochs;
        const options = { ...valid, strategy, hide: 0.5, expectedPositives: 3, epochs };
        const omitted = runExperiment(train, test, options).lossCurve;
        const explicit = runExperiment(train, test, { ...options, [field]: value }).lossCurve;
        // Another value in the row's range (0.6, SPLC's tau, is its own value / 2 + 0.3).
        const halved = value / 2 + 0.3 === value ? value / 2 : value / 2 + 0.3;
        const changed = OPTION_TABLE[field].value.kind === 'integer' ? value + 1 : halved;
        const other = runExperiment(train, test, { ...options, [field]: changed });
        expect(explicit, `${field} ${strategy}`).to.deep.equal(omitted);
        expect(other.lossCurve, `${field} ${strategy} changes the run`).to.not.deep.equal(omitted);
      }
    });
  });

  it('isPositiveInteger: integers from 1, no other value', () => {
    expect([1, 2, 2 ** 53].map(isPositiveInteger)).to.deep.equal([true, true, true]);
    expect([0, -1, 1.5, NaN, Infinity, '1', null].map(isPositiveInteger)).to.deep.equal(
      new Array(7).fill(false),
    );
  });
});
