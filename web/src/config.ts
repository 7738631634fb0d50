// The playground's settings and their URL form: every control lives in the query string,
// so a link reproduces a run. No DOM here: the worker and the Node specs use it too.
// The strategies and regimes are the library's (maskgrad/experiment's tables).
import { type Regime, REGIMES, type Strategy, STRATEGY_NAMES } from '../../src/app';

export const DATASETS = ['toy', 'yeast', 'custom'] as const;
export type DatasetName = (typeof DATASETS)[number];

export const OPTIMIZERS = ['adam', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface RunConfig {
  dataset: DatasetName;
  /** Share of known training labels hidden, 0 to 1, in the random regime. */
  hide: number;
  /**
   * How labels go missing: 'random' hides each known label with probability `hide`;
   * 'single-positive' keeps one positive label per row (keepOnePositive), every other unknown.
   */
  regime: Regime;
  /** The strategies trained side by side (STRATEGIES' names), each its own model from the same initial weights. */
  strategies: Strategy[];
  /** Hidden layer sizes. */
  hidden: number[];
  optimizer: OptimizerName;
  lr: number;
  batch: number;
  seed: number;
  /** For an ARFF file of your own: the label columns are the last `labels` ones. */
  labels: number;
  /** Play stops by itself after this many epochs without a better validation mAP. */
  patience: number;
}

/** What links made before the page used the library's regimes call single-positive. */
const OLD_SINGLE_POSITIVE = 'positives';

export const DEFAULT_CONFIG: RunConfig = {
  dataset: 'toy',
  hide: 0.5,
  regime: 'random',
  strategies: ['masked', 'negative'],
  hidden: [16, 16],
  optimizer: 'adam',
  lr: 0.01,
  batch: 32,
  seed: 1,
  labels: 1,
  patience: 10,
};

/** The query string of `config`: only the settings that differ from the defaults. */
export function configToQuery(config: RunConfig): string {
  const params = new URLSearchParams();
  const d = DEFAULT_CONFIG;
  if (config.dataset !== d.dataset) params.set('dataset', config.dataset);
  if (config.hide !== d.hide) params.set('hide', String(config.hide));
  if (config.regime !== d.regime) params.set('regime', config.regime);
  if (config.strategies.join(',') !== d.strategies.join(','))
    params.set('strategies', config.strategies.join(','));
  if (config.hidden.join(',') !== d.hidden.join(',')) params.set('hidden', config.hidden.join(','));
  if (config.optimizer !== d.optimizer) params.set('optimizer', config.optimizer);
  if (config.lr !== d.lr) params.set('lr', String(config.lr));
  if (config.batch !== d.batch) params.set('batch', String(config.batch));
  if (config.seed !== d.seed) params.set('seed', String(config.seed));
  if (config.labels !== d.labels) params.set('labels', String(config.labels));
  if (config.patience !== d.patience) params.set('patience', String(config.patience));
  return params.toString();
}

/**
 * Reads settings from a query string. A value that is not valid keeps the default and adds
 * a problem naming the parameter, what it got and what it expected (shown in the status line).
 */
export function configFromQuery(query: string): { config: RunConfig; problems: string[] } {
  const params = new URLSearchParams(query);
  const config: RunConfig = {
    ...DEFAULT_CONFIG,
    strategies: DEFAULT_CONFIG.strategies.slice(),
    hidden: DEFAULT_CONFIG.hidden.slice(),
  };
  const problems: string[] = [];
  const bad = (key: string, value: string, expected: string) =>
    problems.push(`URL: ${key}=${value} is not valid; expected ${expected}`);
  const choice = <T extends string>(key: string, options: readonly T[]): T | undefined => {
    const value = params.get(key);
    if (value === null) return undefined;
    if ((options as readonly string[]).includes(value)) return value as T;
    bad(key, value, `one of ${options.join(', ')}`);
    return undefined;
  };
  const number = (
    key: string,
    ok: (v: number) => boolean,
    expected: string,
  ): number | undefined => {
    const value = params.get(key);
    if (value === null) return undefined;
    const v = value.trim() === '' ? NaN : Number(value);
    if (ok(v)) return v;
    bad(key, value, expected);
    return undefined;
  };
  config.dataset = choice('dataset', DATASETS) ?? config.dataset;
  if (config.dataset === 'custom') {
    problems.push('URL: a file of your own cannot travel in a link; showing the toy data instead');
    config.dataset = 'toy';
  }
  config.hide = number('hide', (v) => v >= 0 && v <= 1, 'a number from 0 to 1') ?? config.hide;
  if (params.get('regime') === OLD_SINGLE_POSITIVE) {
    problems.push(
      `URL: regime=${OLD_SINGLE_POSITIVE} is the old name of single-positive, read as that: ` +
        'one positive label per row, every other label unknown',
    );
    params.set('regime', 'single-positive');
  }
  config.regime = choice('regime', REGIMES) ?? config.regime;
  const strategies = params.get('strategies');
  if (strategies !== null) {
    const list = strategies.split(',').filter((s) => s !== '');
    const unique = list.filter((s, i) => list.indexOf(s) === i);
    if (
      unique.length > 0 &&
      unique.length === list.length &&
      unique.every((s) => (STRATEGY_NAMES as readonly string[]).includes(s))
    ) {
      config.strategies = unique as Strategy[];
    } else {
      bad('strategies', strategies, `a comma-separated list of ${STRATEGY_NAMES.join(', ')}`);
    }
  }
  const hidden = params.get('hidden');
  if (hidden !== null) {
    const sizes = hidden === '' ? [] : hidden.split(',').map(Number);
    if (sizes.length <= 4 && sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 512)) {
      config.hidden = sizes;
    } else bad('hidden', hidden, 'up to 4 comma-separated layer sizes from 1 to 512');
  }
  config.optimizer = choice('optimizer', OPTIMIZERS) ?? config.optimizer;
  config.lr = number('lr', (v) => v > 0 && v <= 10, 'a number above 0, at most 10') ?? config.lr;
  config.batch =
    number(
      'batch',
      (v) => Number.isInteger(v) && v >= 1 && v <= 4096,
      'an integer from 1 to 4096',
    ) ?? config.batch;
  config.seed =
    number('seed', (v) => Number.isSafeInteger(v) && v >= 0, 'a whole number 0 or above') ??
    config.seed;
  config.labels =
    number(
      'labels',
      (v) => Number.isInteger(v) && v >= 1 && v <= 1000,
      'an integer from 1 to 1000',
    ) ?? config.labels;
  config.patience =
    number(
      'patience',
      (v) => Number.isInteger(v) && v >= 1 && v <= 10000,
      'an integer from 1 to 10000',
    ) ?? config.patience;
  return { config, problems };
}
