import { describeValue, escapeControls } from './describe-value';

/**
 * What kind of failure a MaskgradError reports. Callers decide by this code (or by the
 * error's class), never by its message text, which is written for people and may change.
 */
export type MaskgradErrorCode =
  /** An argument or option of the wrong type, range or name. */
  | 'ERR_ARGUMENT'
  /** Shapes that do not fit together (broadcasting, matmul, reshape, a state dict). */
  | 'ERR_SHAPE'
  /** A malformed data file, model file or text. */
  | 'ERR_PARSE'
  /** A file that cannot be read or written. */
  | 'ERR_IO'
  /** Training stopped at a loss that is NaN or infinite. */
  | 'ERR_DIVERGED'
  /** A tensor used in a way its state does not allow (changed after forward, no graph). */
  | 'ERR_STATE'
  /** A bug in maskgrad or in a user-defined op (an op's backward returned the wrong size). */
  | 'ERR_INTERNAL';

/**
 * Every error maskgrad throws on purpose: a message for people, a stable `code` for programs.
 * The message never holds a character that drives or reorders a terminal: whatever input it
 * echoes (a cell, a column name, a path), controls other than its own line breaks are shown
 * escaped (`\x1b`, `\u202e`; see `escapeControls`).
 */
export class MaskgradError extends Error {
  readonly code: MaskgradErrorCode;

  constructor(message: string, options: { code?: MaskgradErrorCode; cause?: unknown } = {}) {
    super(
      escapeControlsKeepingLines(typeof message === 'string' ? message : describeValue(message)),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'MaskgradError';
    this.code = options.code ?? 'ERR_ARGUMENT';
  }
}

/** `escapeControls` line by line: the message's own line breaks stay. */
function escapeControlsKeepingLines(message: string): string {
  return message.split('\n').map(escapeControls).join('\n');
}

/**
 * A new error that says where `error` happened (`(in file.csv)`), keeping its code and
 * carrying it as `cause`. The original error is left as it was. A suffix is added once: an
 * error that already carries it (a reader inside a reader of the same file) is returned as is.
 */
export function withContext(error: unknown, suffix: string): Error {
  const carried = (error as { [CONTEXTS]?: ReadonlySet<string> } | null)?.[CONTEXTS];
  if (error instanceof Error && carried?.has(suffix)) return error;
  const wrapped =
    error instanceof Error
      ? new MaskgradError(`${error.message} ${suffix}`, {
          code: error instanceof MaskgradError ? error.code : 'ERR_ARGUMENT',
          cause: error,
        })
      : new MaskgradError(`${typeof error === 'string' ? error : describeValue(error)} ${suffix}`);
  Object.defineProperty(wrapped, CONTEXTS, { value: new Set([...(carried ?? []), suffix]) });
  return wrapped;
}

/** Whether `error` is a MaskgradError, optionally of one code. */
export function isMaskgradError(error: unknown, code?: MaskgradErrorCode): error is MaskgradError {
  return error instanceof MaskgradError && (code === undefined || error.code === code);
}

/** The context suffixes an error made by `withContext` already carries. */
const CONTEXTS = Symbol('maskgrad.contexts');
