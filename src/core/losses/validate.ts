import { MaskgradError } from '../errors';
import { checkOptions } from '../check-options';
import { describeValue } from '../describe-value';
import { broadcastShapes, expandData, formatShape, shapesEqual, stridesOf } from '../shape';
import { flattenNested, MAX_NESTED_DEPTH, NestedArray, Tensor, tensor } from '../tensor';

/** A mask as the losses accept it: a Tensor of 0/1, or nested arrays of 0/1 numbers or booleans. */
export type MaskLike = Tensor | NestedMask;
export type NestedMask = number | boolean | NestedMask[];

export type Reduction = 'mean' | 'sum' | 'none';

/** The position of flat index `i` in a tensor of `shape`, as "[i,j]". */
export function formatIndex(i: number, shape: readonly number[]): string {
  const strides = stridesOf(shape);
  return `[${strides.map((s, ax) => Math.floor(i / s) % shape[ax]).join(',')}]`;
}

export function checkReduction(fn: string, reduction: unknown): Reduction {
  if (reduction === 'mean' || reduction === 'sum' || reduction === 'none') return reduction;
  throw new MaskgradError(
    `${fn}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`,
  );
}

/**
 * `value` as a Tensor: a Tensor as it is, anything else through tensor(), whose error
 * (a ragged array, a non-number) is reported under the loss's name and the argument's.
 */
export function asTensor(fn: string, what: string, value: unknown): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value !== 'number' && !Array.isArray(value)) {
    throw new MaskgradError(
      `${fn}: ${what} must be a Tensor or nested arrays of numbers, got ${describeValue(value)}`,
    );
  }
  const { data, shape } = flattenNested(
    `${fn}: ${what} must be a Tensor or nested arrays of numbers`,
    what,
    value,
  );
  return new Tensor(data, shape);
}

/** Checks that the first argument of a loss is a Tensor. */
export function checkInputTensor(fn: string, what: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) {
    throw new MaskgradError(`${fn}: ${what} must be a Tensor, got ${describeValue(value)}`);
  }
  return value;
}

/** Targets as a Tensor of exactly the logits' shape. */
export function targetsTensor(
  fn: string,
  targets: Tensor | NestedArray,
  shape: readonly number[],
): Tensor {
  const t = asTensor(fn, 'targets', targets);
  if (!shapesEqual(t.shape, shape)) {
    throw new MaskgradError(
      `${fn}: targets has shape ${formatShape(t.shape)} but the input has shape ${formatShape(shape)}; they must match`,
    );
  }
  return t;
}

/**
 * Booleans to 1 and 0, down to MAX_NESTED_DEPTH: an array nested deeper (or one that contains
 * itself) is left as it is, for asTensor's error to name.
 */
function booleansToNumbers(value: NestedMask, depth = 0): NestedArray {
  if (Array.isArray(value)) {
    return depth >= MAX_NESTED_DEPTH
      ? (value as NestedArray)
      : value.map((v) => booleansToNumbers(v, depth + 1));
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/**
 * The mask as a Tensor that broadcasts to `shape`, checked to hold only 0 and 1.
 * Booleans become 1 (observed) and 0 (unknown).
 */
export function maskTensor(fn: string, mask: MaskLike, shape: readonly number[]): Tensor {
  const m = asTensor(fn, 'mask', mask instanceof Tensor ? mask : booleansToNumbers(mask));
  let out: number[];
  try {
    out = broadcastShapes(fn, m.shape, shape);
  } catch {
    out = [];
  }
  if (!shapesEqual(out, shape)) {
    throw new MaskgradError(
      `${fn}: mask of shape ${formatShape(m.shape)} does not broadcast to the input's shape ${formatShape(shape)} ` +
        '(use the same shape, or [C] for one flag per class)',
    );
  }
  for (let i = 0; i < m.data.length; i++) {
    const v = m.data[i];
    if (v !== 0 && v !== 1) {
      throw new MaskgradError(
        `${fn}: mask must hold only 0 (unknown) and 1 (observed), or booleans; found ${v} at ${formatIndex(i, m.shape)}`,
      );
    }
  }
  return m;
}

/** posWeight as a Tensor of shape [C] (one weight per class, the last axis), or a number. */
export function posWeightTensor(
  fn: string,
  posWeight: Tensor | number[] | number,
  shape: readonly number[],
): Tensor {
  const p = asTensor(fn, 'posWeight', posWeight);
  const classes = shape.length === 0 ? 1 : shape[shape.length - 1];
  if (p.shape.length !== 0 && (p.shape.length !== 1 || p.shape[0] !== classes)) {
    throw new MaskgradError(
      `${fn}: posWeight must have shape [${classes}] (one weight per class, the input's last axis), got ${formatShape(p.shape)}`,
    );
  }
  for (let i = 0; i < p.data.length; i++) {
    const v = p.data[i];
    if (!(v >= 0 && v < Infinity)) {
      throw new MaskgradError(
        `${fn}: posWeight must hold finite numbers >= 0; found ${v}${p.shape.length === 0 ? '' : ` at [${i}]`}`,
      );
    }
  }
  return p;
}

/**
 * Checks targets at observed entries (mask 1, or every entry without a mask):
 * they must lie in [0, 1]. A NaN target without a mask points to maskFromTargets.
 */
export function checkObservedTargets(
  fn: string,
  targets: Float64Array,
  mask: Float64Array | null,
  shape: readonly number[],
): void {
  const step = mask !== null && mask.length === 1 ? 0 : 1; // a one-element mask is a scalar
  for (let i = 0; i < targets.length; i++) {
    if (mask !== null && mask[i * step] === 0) continue;
    const y = targets[i];
    if (y >= 0 && y <= 1) continue;
    const at = formatIndex(i, shape);
    if (Number.isNaN(y) && mask === null) {
      throw new MaskgradError(
        `${fn}: targets is NaN at ${at} and no mask was given; if NaN marks an unknown label, ` +
          'build the mask with maskFromTargets(targets) and pass both',
      );
    }
    const where = mask === null ? '' : ' where the mask is 1 (observed)';
    throw new MaskgradError(`${fn}: targets must lie in [0, 1]${where}; found ${y} at ${at}`);
  }
}

/** Expands a (validated) mask tensor to `shape`. */
export function expandMask(mask: Tensor, shape: readonly number[]): Float64Array {
  return shapesEqual(mask.shape, shape) ? mask.data : expandData(mask.data, mask.shape, shape);
}

/** The checked arguments of the masked BCE-from-logits losses (fused and composite). */
export interface MaskedBceArguments {
  reduction: Reduction;
  targets: Tensor;
  /** null when no mask was given (every entry observed). */
  mask: Tensor | null;
  /** A scalar 1 when no posWeight was given. */
  posWeight: Tensor;
}

/** Checks the arguments both masked BCE-from-logits losses take, naming `fn` in every error. */
export function maskedBceArguments(
  fn: string,
  logits: unknown,
  targets: Tensor | NestedArray,
  mask: MaskLike | undefined,
  options: { reduction?: Reduction; posWeight?: Tensor | number[] | number },
): MaskedBceArguments {
  const z = checkInputTensor(fn, 'logits', logits);
  checkOptions(fn, options, ['reduction', 'posWeight']);
  return {
    reduction: checkReduction(fn, options.reduction ?? 'mean'),
    targets: targetsTensor(fn, targets, z.shape),
    mask: mask === undefined ? null : maskTensor(fn, mask, z.shape),
    posWeight:
      options.posWeight === undefined
        ? new Tensor(new Float64Array([1]), [])
        : posWeightTensor(fn, options.posWeight, z.shape),
  };
}

/** The checked arguments of a missing-label loss: logits [B, C] and targets and mask of that shape. */
export interface MissingLabelArguments {
  logits: Tensor;
  targets: Tensor;
  /** The mask expanded to [B, C]; all ones when no mask was given. */
  mask: Tensor;
  rows: number;
  classes: number;
}

/**
 * Checks the arguments every missing-label loss takes: logits a 2-D Tensor [B, C] with
 * B, C >= 1; targets of the same shape, in [0, 1] where observed; a 0/1 mask of that
 * shape or [C] (optional: every entry observed).
 */
export function missingLabelArguments(
  fn: string,
  logits: unknown,
  targets: Tensor | NestedArray,
  mask: MaskLike | undefined,
): MissingLabelArguments {
  const z = checkInputTensor(fn, 'logits', logits);
  if (z.shape.length !== 2 || z.shape[0] < 1 || z.shape[1] < 1) {
    throw new MaskgradError(
      `${fn}: logits must have shape [B, C] (a batch of rows, one column per class, both >= 1), got ${formatShape(z.shape)}`,
      { code: 'ERR_SHAPE' },
    );
  }
  const y = targetsTensor(fn, targets, z.shape);
  const m =
    mask === undefined
      ? new Tensor(new Float64Array(z.size).fill(1), z.shape)
      : new Tensor(expandMask(maskTensor(fn, mask, z.shape), z.shape), z.shape);
  checkObservedTargets(fn, y.data, m.data, z.shape);
  return { logits: z, targets: y, mask: m, rows: z.shape[0], classes: z.shape[1] };
}

/** The ranges of the losses' number options: a test and how an error message states it. */
const RANGES = {
  finite: { ok: (v: number) => Number.isFinite(v), text: 'a finite number' },
  nonNegative: { ok: (v: number) => v >= 0 && v < Infinity, text: 'a finite number >= 0' },
  unit: { ok: (v: number) => v >= 0 && v <= 1, text: 'a number in [0, 1]' },
  belowOne: { ok: (v: number) => v >= 0 && v < 1, text: 'a number in [0, 1)' },
};

/**
 * A number option: `fallback` when absent (undefined makes it required), else checked to
 * lie in `range`; the error names the function, the option, the value and the range.
 */
export function numberOption(
  fn: string,
  options: object,
  key: string,
  fallback: number | undefined,
  range: keyof typeof RANGES,
  meaning = '',
): number {
  const value = (options as Record<string, unknown>)[key];
  if (value === undefined && fallback !== undefined) return fallback;
  const { ok, text } = RANGES[range];
  if (typeof value !== 'number' || !ok(value)) {
    throw new MaskgradError(
      value === undefined
        ? `${fn}: option '${key}' is required (${text}${meaning})`
        : `${fn}: ${key} = ${describeValue(value)} is out of range: must be ${text}${meaning}`,
    );
  }
  return value;
}

/** The `epsilon` of Cole et al.'s nl(x) = -log(x + epsilon): in [0, 1), default 1e-5. */
export function epsilonOption(fn: string, options: object): number {
  return numberOption(fn, options, 'epsilon', 1e-5, 'belowOne');
}

/** A string option that must be one of `choices`; the first is the default. */
export function choiceOption<T extends string>(
  fn: string,
  options: object,
  key: string,
  choices: readonly T[],
): T {
  const value = (options as Record<string, unknown>)[key];
  if (value === undefined) return choices[0];
  if (!choices.includes(value as T)) {
    throw new MaskgradError(
      `${fn}: ${key} must be ${choices.map((c) => `'${c}'`).join(' or ')}, got ${describeValue(value)}`,
    );
  }
  return value as T;
}

/** Checks the context's row indices: one per batch row, each an integer in [0, n). */
export function checkRows(where: string, indices: unknown, batchRows: number, n: number): void {
  if (!(indices instanceof Int32Array) && !Array.isArray(indices)) {
    throw new MaskgradError(`${where}: context.rows must be an Int32Array of training-row indices`);
  }
  const list = indices as ArrayLike<number>;
  if (list.length !== batchRows) {
    throw new MaskgradError(
      `${where}: context.rows has ${list.length} indices for a batch of ${batchRows} rows`,
      { code: 'ERR_SHAPE' },
    );
  }
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (!Number.isInteger(r) || r < 0 || r >= n) {
      throw new MaskgradError(
        `${where}: context.rows[${i}] = ${r} is not a row of the training set (expected an integer in [0, ${n - 1}])`,
      );
    }
  }
}
