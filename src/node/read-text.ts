import { readFileSync } from 'fs';
import { MaskgradError } from '../core/errors';
import { describeValue } from '../core/describe-value';

/** Refuses anything but a non-empty string as a file path, naming `where`. */
export function checkFilePath(where: string, file: unknown): asserts file is string {
  if (typeof file !== 'string' || file === '') {
    throw new MaskgradError(
      `${where}: expected a file path (a non-empty string), got ${describeValue(file)}`,
    );
  }
}

/** The text of the file at `path`; a missing or unreadable file is an error naming `where` and the path. */
export function readText(where: string, path: string): string {
  checkFilePath(where, path);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new MaskgradError(`${where}: cannot read ${path}: ${(error as Error).message}`, {
      code: 'ERR_IO',
      cause: error,
    });
  }
}
