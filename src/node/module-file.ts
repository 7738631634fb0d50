import * as fs from 'fs';
import * as path from 'path';
import { MaskgradError } from '../core/errors';
import { describeValue } from '../core/describe-value';
import { Module, type StateDict } from '../core/nn/module';
import { writeFileAtomic } from './atomic-write';
import { checkFilePath, readText } from './read-text';

function checkModule(where: string, module: unknown): asserts module is Module {
  if (!(module instanceof Module)) {
    throw new MaskgradError(`${where}: expected a Module, got ${describeValue(module)}`);
  }
}

/**
 * Writes `module.stateDict()` to `file` as JSON, atomically (see `writeFileAtomic`): a crash
 * leaves the old file or the new one, never half of one. Refuses non-finite values, which
 * JSON cannot hold.
 */
export function saveModule(module: Module, file: string): void {
  checkModule('saveModule', module);
  checkFilePath('saveModule', file);
  const state = module.stateDict();
  for (const [name, { data }] of Object.entries(state)) {
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new MaskgradError(
        `saveModule: cannot save ${file}: parameter '${name}' has the non-finite value ${data[bad]} at index ${bad}`,
      );
    }
  }
  const folder = path.dirname(path.resolve(file));
  if (!isFolder(folder)) {
    throw new MaskgradError(
      `saveModule: cannot write ${file}: the folder ${folder} does not exist`,
      { code: 'ERR_IO' },
    );
  }
  if (isFolder(file)) {
    throw new MaskgradError(
      `saveModule: cannot write ${file}: it is a folder; expected a file name`,
      {
        code: 'ERR_IO',
      },
    );
  }
  writeFileAtomic(file, JSON.stringify(state), 'saveModule');
}

/**
 * Reads a file written by `saveModule` into `module` with `loadStateDict`. A missing,
 * truncated or edited file is an error naming the file, and the module is unchanged.
 */
export function loadModule(module: Module, file: string): void {
  checkModule('loadModule', module);
  const text = readText('loadModule', file);
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new MaskgradError(
      `loadModule: ${file} is not valid JSON (is it truncated or edited?): ${(error as Error).message}`,
      { code: 'ERR_PARSE', cause: error },
    );
  }
  try {
    module.loadStateDict(state as StateDict);
  } catch (error) {
    throw new MaskgradError(`loadModule: ${file}: ${(error as Error).message}`, {
      code: 'ERR_PARSE',
      cause: error,
    });
  }
}

function isFolder(where: string): boolean {
  try {
    return fs.statSync(where).isDirectory();
  } catch {
    return false;
  }
}
