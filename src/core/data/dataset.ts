import { MaskgradError } from '../errors';
import { formatShape, shapesEqual } from '../shape';
import { Tensor } from '../tensor';
import { describeValue, excerpt, quoteExcerpt } from '../describe-value';
import type { ArffAttribute, ParsedArff } from './arff';

/**
 * A multi-label data set. `y` holds 0/1 targets with unknown entries set to 0; `mask` is 1
 * where a label is observed and 0 where it is unknown.
 */
export interface MultiLabelDataset {
  /** Features, [N, D]. */
  x: Tensor;
  /** Targets, [N, C]: 0 or 1, and 0 wherever `mask` is 0. */
  y: Tensor;
  /** The mask, [N, C]: 1 observed, 0 unknown. */
  mask: Tensor;
  featureNames: string[];
  labelNames: string[];
}

/** Which columns are labels: a count (the last N columns) or a list of column names. */
export type LabelSpec = number | readonly string[];

const shapeText = (t: Tensor) => formatShape(t.shape);

/** Checks that `dataset` is a well-formed MultiLabelDataset; returns [N, D, C]. */
export function checkDataset(dataset: MultiLabelDataset, where: string): [number, number, number] {
  if (
    dataset === null ||
    typeof dataset !== 'object' ||
    !(dataset.x instanceof Tensor) ||
    !(dataset.y instanceof Tensor) ||
    !(dataset.mask instanceof Tensor)
  ) {
    throw new MaskgradError(
      `${where}: expected a data set { x, y, mask, featureNames, labelNames } of Tensors`,
    );
  }
  const { x, y, mask } = dataset;
  if (
    x.shape.length !== 2 ||
    y.shape.length !== 2 ||
    !shapesEqual(y.shape, mask.shape) ||
    x.shape[0] !== y.shape[0]
  ) {
    throw new MaskgradError(
      `${where}: expected x [N,D], y [N,C] and mask [N,C] with the same N and C, got x ${shapeText(x)}, y ${shapeText(y)}, mask ${shapeText(mask)}`,
    );
  }
  const [D, C] = [x.shape[1], y.shape[1]];
  for (const [key, count] of [
    ['featureNames', D],
    ['labelNames', C],
  ] as const) {
    const names: unknown = dataset[key];
    if (!Array.isArray(names) || names.length !== count) {
      throw new MaskgradError(
        `${where}: expected ${key} to be an array of ${count} names (one per column of ${key === 'featureNames' ? 'x' : 'y'}), got ${describeValue(names)}`,
      );
    }
  }
  return [x.shape[0], D, C];
}

/** The column indices that `labels` selects from `names`, in the order given (or file order for a count). */
export function resolveLabelColumns(
  names: readonly string[],
  labels: LabelSpec,
  where: string,
): number[] {
  if (typeof labels === 'number') {
    if (!Number.isInteger(labels) || labels < 1) {
      throw new MaskgradError(
        `${where}: labels must be a positive integer or a list of column names, got ${describeValue(labels)}`,
      );
    }
    if (labels > names.length) {
      throw new MaskgradError(
        `${where}: labels is ${labels} but there are only ${names.length} columns; expected at most ${names.length}`,
      );
    }
    const out: number[] = [];
    for (let c = names.length - labels; c < names.length; c++) out.push(c);
    return out;
  }
  if (!Array.isArray(labels) || labels.length === 0) {
    throw new MaskgradError(
      `${where}: labels must be a positive integer or a non-empty list of column names`,
    );
  }
  const indexOf = new Map<string, number>();
  for (let c = names.length - 1; c >= 0; c--) indexOf.set(names[c], c);
  const out: number[] = [];
  const listed = new Set<number>();
  for (const name of labels) {
    const index = indexOf.get(name) ?? -1;
    if (index < 0) {
      throw new MaskgradError(
        `${where}: label column ${typeof name === 'string' ? quoteExcerpt(name) : describeValue(name)} not found; the columns are ${excerpt(names.join(', '), 200)}`,
      );
    }
    if (listed.has(index)) {
      throw new MaskgradError(`${where}: label column ${quoteExcerpt(name)} is listed twice`);
    }
    listed.add(index);
    out.push(index);
  }
  return out;
}

/** The label columns (as `resolveLabelColumns` finds them) and the feature columns: the rest, in order. */
export function splitColumns(
  names: readonly string[],
  labels: LabelSpec,
  where: string,
): { labelColumns: number[]; featureColumns: number[] } {
  const labelColumns = resolveLabelColumns(names, labels, where);
  const isLabel = new Uint8Array(names.length);
  for (const c of labelColumns) isLabel[c] = 1;
  const featureColumns: number[] = [];
  for (let c = 0; c < names.length; c++) if (!isLabel[c]) featureColumns.push(c);
  return { labelColumns, featureColumns };
}

/**
 * A label must be stored as its number: a numeric attribute or a nominal set of numbers
 * such as {0,1}. Word values ({yes,no}) are stored by position, which could flip 0 and 1.
 */
export function checkLabelAttribute(where: string, attribute: ArffAttribute | undefined): void {
  if (attribute?.type === 'nominal' && attribute.encoding === 'index') {
    throw new MaskgradError(
      `${where}: label ${quoteExcerpt(attribute.name)} is declared {${excerpt(attribute.nominalValues!.join(','), 80)}}; ` +
        'expected a numeric attribute or a nominal set of numbers such as {0,1}',
      { code: 'ERR_PARSE' },
    );
  }
}

/**
 * Builds a data set from a parsed ARFF file: the label attributes (the last `labels` ones, or
 * the named ones; default `parsed.labels`) must hold 0, 1 or `?`; every other attribute is a
 * feature and must be known.
 */
export function datasetFromArff(parsed: ParsedArff, labels?: LabelSpec): MultiLabelDataset {
  const where = 'datasetFromArff';
  checkParsedArff(parsed, where);
  if (labels === undefined) labels = parsed.labels;
  if (labels === undefined) {
    throw new MaskgradError(
      `${where}: pass the number of labels (the last attributes) or their names`,
    );
  }
  const { names, rows, columns, values } = parsed;
  const { labelColumns, featureColumns } = splitColumns(names, labels, where);
  for (const c of labelColumns) checkLabelAttribute(where, parsed.attributes[c]);
  const D = featureColumns.length;
  const C = labelColumns.length;
  if (rows === 0) {
    throw new MaskgradError(
      `${where}: the file has no data rows (its @data section is empty); expected at least one row`,
      { code: 'ERR_PARSE' },
    );
  }
  const at = (r: number) =>
    parsed.lines && parsed.lines.length === rows ? `line ${parsed.lines[r]}` : `row ${r}`;
  const x = new Float64Array(rows * D);
  const y = new Float64Array(rows * C);
  const mask = new Float64Array(rows * C);
  for (let r = 0; r < rows; r++) {
    const base = r * columns;
    for (let j = 0; j < D; j++) {
      const v = values[base + featureColumns[j]];
      if (Number.isNaN(v)) {
        throw new MaskgradError(
          `${where}: ${at(r)}: feature ${quoteExcerpt(names[featureColumns[j]])} is unknown (?); expected a number (features cannot be missing)`,
          { code: 'ERR_PARSE' },
        );
      }
      x[r * D + j] = v;
    }
    for (let k = 0; k < C; k++) {
      const v = values[base + labelColumns[k]];
      if (v === 1) {
        y[r * C + k] = 1;
        mask[r * C + k] = 1;
      } else if (v === 0) {
        mask[r * C + k] = 1;
      } else if (!Number.isNaN(v)) {
        throw new MaskgradError(
          `${where}: ${at(r)}: label ${quoteExcerpt(names[labelColumns[k]])} has value ${v}; expected 0, 1 or ? (unknown)`,
          { code: 'ERR_PARSE' },
        );
      }
    }
  }
  return {
    x: new Tensor(x, [rows, D]),
    y: new Tensor(y, [rows, C]),
    mask: new Tensor(mask, [rows, C]),
    featureNames: featureColumns.map((c) => names[c]),
    labelNames: labelColumns.map((c) => names[c]),
  };
}

/** Checks that `parsed` has the fields of a ParsedArff that `datasetFromArff` reads, consistently. */
function checkParsedArff(parsed: ParsedArff, where: string): void {
  const expected = `${where}: expected a parsed ARFF file (what parseArff returns)`;
  if (parsed === null || typeof parsed !== 'object') {
    throw new MaskgradError(`${expected}, got ${describeValue(parsed)}`);
  }
  const { names, attributes, rows, columns, values } = parsed;
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!count(rows) || !count(columns)) {
    throw new MaskgradError(
      `${expected}; its rows and columns must be non-negative integers, got ${describeValue(rows)} and ${describeValue(columns)}`,
    );
  }
  if (!Array.isArray(names) || names.length !== columns || !Array.isArray(attributes)) {
    throw new MaskgradError(
      `${expected}; it must list ${columns} names and attributes, got names ${describeValue(names)} and attributes ${describeValue(attributes)}`,
    );
  }
  if (!(values instanceof Float64Array) || values.length !== rows * columns) {
    throw new MaskgradError(
      `${expected}; its values must be a Float64Array of rows * columns = ${rows * columns} numbers, got ${describeValue(values)}${values instanceof Float64Array ? ` of ${values.length}` : ''}`,
    );
  }
}

/** A copy of `dataset` (features and names copied) with new label values `y` and `mask`. */
export function withLabels(
  dataset: MultiLabelDataset,
  y: Float64Array,
  mask: Float64Array,
): MultiLabelDataset {
  return {
    x: new Tensor(dataset.x.data.slice(), dataset.x.shape),
    y: new Tensor(y, dataset.y.shape),
    mask: new Tensor(mask, dataset.mask.shape),
    featureNames: dataset.featureNames.slice(),
    labelNames: dataset.labelNames.slice(),
  };
}

/** A new data set holding the given rows (in that order; repeats allowed), copied. */
export function takeRows(
  dataset: MultiLabelDataset,
  indices: ArrayLike<number>,
): MultiLabelDataset {
  const [N, D, C] = checkDataset(dataset, 'takeRows');
  if (!Array.isArray(indices) && !(ArrayBuffer.isView(indices) && !(indices instanceof DataView))) {
    throw new MaskgradError(
      `takeRows: indices must be an array (or typed array) of row numbers, got ${describeValue(indices)}`,
    );
  }
  const n = indices.length;
  for (let i = 0; i < n; i++) {
    const r: unknown = indices[i];
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= N) {
      throw new MaskgradError(
        `takeRows: index ${describeValue(r)} (at position ${i}) is not a row; expected an integer from 0 to ${N - 1}`,
      );
    }
  }
  const [x, y, mask] = copyRows(dataset, indices, 0, n, D, C);
  return {
    x: new Tensor(x, [n, D]),
    y: new Tensor(y, [n, C]),
    mask: new Tensor(mask, [n, C]),
    featureNames: dataset.featureNames.slice(),
    labelNames: dataset.labelNames.slice(),
  };
}

/** Copies rows indices[start..end) of x, y and mask into new arrays (indices already checked). */
export function copyRows(
  dataset: MultiLabelDataset,
  indices: ArrayLike<number>,
  start: number,
  end: number,
  D: number,
  C: number,
): [Float64Array, Float64Array, Float64Array] {
  const n = end - start;
  const xs = dataset.x.data;
  const ys = dataset.y.data;
  const ms = dataset.mask.data;
  const x = new Float64Array(n * D);
  const y = new Float64Array(n * C);
  const mask = new Float64Array(n * C);
  for (let i = 0; i < n; i++) {
    const r = indices[start + i];
    x.set(xs.subarray(r * D, r * D + D), i * D);
    y.set(ys.subarray(r * C, r * C + C), i * C);
    mask.set(ms.subarray(r * C, r * C + C), i * C);
  }
  return [x, y, mask];
}
