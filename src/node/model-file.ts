import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { MaskgradError, withContext } from '../core/errors';
import { describeValue } from '../core/describe-value';
import { modelFileKind } from '../core/model/file-kind';
import {
  type DataFileDigest,
  type ModelFile,
  modelFileToText,
  parseModelFile,
} from '../core/model/model-file';
import { writeFileAtomic } from './atomic-write';
import { checkFilePath } from './read-text';

/** The SHA-256 of a file (read in chunks), with its base name, for `training.data`. */
export function fileDigest(role: string, file: string): DataFileDigest {
  for (const [what, value] of [
    ['role', role],
    ['file', file],
  ] as const) {
    if (typeof value !== 'string') {
      throw new MaskgradError(
        `fileDigest: ${what} must be a string (${what === 'role' ? "the file's role, e.g. 'train'" : 'a path'}), got ${describeValue(value)}`,
      );
    }
  }
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(1 << 20);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new MaskgradError(`fileDigest: cannot read ${file}: ${(error as Error).message}`, {
      code: 'ERR_IO',
      cause: error,
    });
  }
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    fs.closeSync(fd);
  }
  return { role, file: path.basename(file), sha256: hash.digest('hex') };
}

/**
 * Writes the model file atomically (see `writeFileAtomic`): a crash leaves the old file or
 * the new one. Call `checkWritable(path)` before training to fail early.
 */
export function writeModelFile(file: string, model: ModelFile): void {
  writeFileAtomic(file, modelFileToText(model), 'writeModelFile');
}

/** Reads and checks a model file; anything wrong is an error (ERR_PARSE) naming it. */
export function readModelFile(file: string): ModelFile {
  return readModelFileFor(
    'readModelFile',
    file,
    'expected the JSON file that writeModelFile (or maskgrad train --save) writes',
  );
}

/**
 * readModelFile for `where` (a command): a file that is plainly not a model file (ONNX,
 * safetensors, CSV, empty, ...; see modelFileKind) is an error saying what it is, ending with
 * `expected` (what `where` reads instead).
 */
export function readModelFileFor(where: string, file: string, expected: string): ModelFile {
  checkFilePath(where, file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new MaskgradError(`${where}: cannot read ${file}: ${(error as Error).message}`, {
      code: 'ERR_IO',
      cause: error,
    });
  }
  const kind = modelFileKind(bytes);
  if (kind !== null) {
    throw new MaskgradError(
      `${where}: ${file} is ${kind}, not a maskgrad model file; ${expected}`,
      { code: 'ERR_PARSE' },
    );
  }
  try {
    return parseModelFile(bytes.toString('utf8'));
  } catch (e) {
    throw withContext(e, `(in ${file})`);
  }
}
