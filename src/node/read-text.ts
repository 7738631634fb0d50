import { MaskgradError } from '../core/errors';
import { readFileSync } from 'fs';
import { describeValue } from '../core/describe-value';

/** The text of the file at `path`; a missing or unreadable file is an error naming `where` and the path. */
export function readText(where: string, path: string): string {
  if (typeof path !== 'string' || path === '') {
    throw new MaskgradError(
      `${where}: expected a file path (a non-empty string), got ${describeValue(path)}`,
    );
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new MaskgradError(`${where}: cannot read ${path}: ${(error as Error).message}`, {
      code: 'ERR_IO',
      cause: error,
    });
  }
}
