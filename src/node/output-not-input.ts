import * as fs from 'fs';
import { MaskgradError } from '../core/errors';
import { writeTarget } from './atomic-write';

/** One of a command's input files, and the flag that names it (`--model`). */
export interface NamedInput {
  flag: string;
  file: string;
}

/**
 * Refuses an output that is one of the command's own inputs, before any work: writing it
 * would destroy the input (predict --output naming its --model); `where` names the output
 * (`--output`). The same file is found
 * through symbolic links, hard links and any spelling of its path: by device and inode where
 * both exist, by the resolved path otherwise (an output not yet written). Inputs that are not
 * regular files (a terminal, a pipe) are not destroyed by writing and are not compared.
 */
export function checkOutputNotInput(where: string, output: string, inputs: NamedInput[]): void {
  const target = writeTarget(output, where);
  const outStat = statOrNull(target);
  for (const input of inputs) {
    const inStat = statOrNull(input.file);
    if (inStat !== null && !inStat.isFile()) continue;
    const same =
      outStat !== null && inStat !== null
        ? outStat.dev === inStat.dev && outStat.ino === inStat.ino
        : target === writeTarget(input.file, where);
    if (same) {
      throw new MaskgradError(
        `${where}: cannot write ${output}: it is the ${input.flag} file ${input.file}; writing it would destroy that input: choose another file`,
        { code: 'ERR_ARGUMENT' },
      );
    }
  }
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}
