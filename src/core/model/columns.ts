import { describeValue, listNames, quoteName } from '../describe-value';
import { MaskgradError } from '../errors';
import { Tensor } from '../tensor';
import { type MultiLabelDataset } from '../data';

/** The names a model was trained with, in the order of its inputs and outputs. */
export interface ModelColumns {
  features: { names: readonly string[] };
  labels: { names: readonly string[] };
}

/** Where each of the model's columns is in a file. */
export interface ColumnMatch {
  /** For each model feature, in the model's order: its column in the file. */
  features: number[];
  /** For each model label: its column in the file, or -1 where the file has no such column. */
  labels: number[];
  /** Labels the file lacks (empty when it has them all). */
  missingLabels: string[];
  /** File columns that are neither a feature nor a label of the model; they are not used. */
  extra: string[];
}

/** Checks that `names` is an array of strings (of `length` of them, when given). */
function checkNames(where: string, what: string, names: unknown, length?: number): void {
  const ok =
    Array.isArray(names) &&
    (length === undefined || names.length === length) &&
    names.every((n) => typeof n === 'string');
  if (!ok) {
    throw new MaskgradError(
      `${where}: ${what} must be an array of ${length === undefined ? '' : `${length} `}strings (names), got ${describeValue(names)}`,
    );
  }
}

/** Checks that `model` has `features.names` and `labels.names`, arrays of strings. */
function checkModelColumns(where: string, model: unknown): void {
  const m = model as { features?: { names?: unknown }; labels?: { names?: unknown } } | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    m.features === null ||
    typeof m.features !== 'object' ||
    m.labels === null ||
    typeof m.labels !== 'object'
  ) {
    throw new MaskgradError(
      `${where}: model must be a model file or { features: { names }, labels: { names } }, got ${describeValue(model)}`,
    );
  }
  checkNames(where, 'model.features.names', m.features.names);
  checkNames(where, 'model.labels.names', m.labels.names);
}

/**
 * Matches a file's columns to a model's by name, never by position: another column order
 * gives the same rows. A feature the file lacks is an error naming every missing one (the
 * model cannot predict without it); label columns are optional; other columns (ids, notes)
 * are listed in `extra` and not used.
 */
export function matchColumns(
  columns: readonly string[],
  model: ModelColumns,
  where = 'matchColumns',
): ColumnMatch {
  if (typeof where !== 'string') {
    throw new MaskgradError(
      `matchColumns: where must be a string (the name its errors begin with), got ${describeValue(where)}`,
    );
  }
  checkNames(where, 'columns', columns);
  checkModelColumns(where, model);
  const index = new Map<string, number>();
  columns.forEach((name, i) => {
    if (index.has(name)) {
      throw new MaskgradError(
        `${where}: the column ${quoteName(name)} appears twice; expected unique names`,
        {
          code: 'ERR_PARSE',
        },
      );
    }
    index.set(name, i);
  });
  const missing = model.features.names.filter((n) => !index.has(n));
  if (missing.length > 0) {
    const list = listNames(missing);
    throw new MaskgradError(
      `${where}: the input has no column ${list}: ${missing.length === 1 ? 'a feature' : 'features'} the model needs`,
      { code: 'ERR_PARSE' },
    );
  }
  const features = model.features.names.map((n) => index.get(n)!);
  const labels = model.labels.names.map((n) => index.get(n) ?? -1);
  const used = new Set([...features, ...labels]);
  return {
    features,
    labels,
    missingLabels: model.labels.names.filter((n) => !index.has(n)),
    extra: columns.filter((_, i) => !used.has(i)),
  };
}

/**
 * A data set's features and labels reordered to a model's names (a test set read with the
 * model's label names, e.g. `loadDataset(file, { labels: model.labels.names })`). Missing
 * features or labels are errors naming them; extra feature columns are dropped and returned
 * in `extra` so the caller can mention them.
 */
export function alignDataset(
  data: MultiLabelDataset,
  model: ModelColumns,
): { data: MultiLabelDataset; extra: string[] } {
  const where = 'alignDataset';
  const d = data as Partial<MultiLabelDataset> | null;
  if (
    d === null ||
    typeof d !== 'object' ||
    !(d.x instanceof Tensor) ||
    !(d.y instanceof Tensor) ||
    d.x.shape.length !== 2 ||
    d.y.shape.length !== 2 ||
    d.x.shape[0] !== d.y.shape[0]
  ) {
    throw new MaskgradError(
      `${where}: data must be a data set ({ x: [N,D], y: [N,C], mask, featureNames, labelNames }), got ${describeValue(data)}`,
    );
  }
  checkNames(where, 'data.featureNames', d.featureNames, d.x.shape[1]);
  checkNames(where, 'data.labelNames', d.labelNames, d.y.shape[1]);
  checkModelColumns(where, model);
  const featureMatch = matchColumns(
    data.featureNames,
    { features: model.features, labels: { names: [] } },
    where,
  );
  const labelIndex = model.labels.names.map((n) => data.labelNames.indexOf(n));
  const lacking = model.labels.names.filter((_, k) => labelIndex[k] < 0);
  if (lacking.length > 0) {
    throw new MaskgradError(
      `${where}: the data has no label ${listNames(lacking)}; the model's labels are ${listNames(model.labels.names)}`,
      { code: 'ERR_PARSE' },
    );
  }
  const [N, D] = data.x.shape;
  const C = data.y.shape[1];
  const F = featureMatch.features.length;
  const L = labelIndex.length;
  const x = new Float64Array(N * F);
  const y = new Float64Array(N * L);
  const mask = new Float64Array(N * L);
  for (let r = 0; r < N; r++) {
    for (let j = 0; j < F; j++) x[r * F + j] = data.x.data[r * D + featureMatch.features[j]];
    for (let k = 0; k < L; k++) {
      y[r * L + k] = data.y.data[r * C + labelIndex[k]];
      mask[r * L + k] = data.mask.data[r * C + labelIndex[k]];
    }
  }
  return {
    data: {
      x: new Tensor(x, [N, F]),
      y: new Tensor(y, [N, L]),
      mask: new Tensor(mask, [N, L]),
      featureNames: model.features.names.slice(),
      labelNames: model.labels.names.slice(),
      ...(data.ids ? { ids: data.ids.slice() } : {}),
    },
    extra: featureMatch.extra,
  };
}
