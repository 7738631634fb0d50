import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { MaskgradError } from '../core/errors';
import { checkFilePath } from './read-text';

/** Temporary files are named `.mg<pid>-<random>.tmp`: short, so any legal target name works. */
const TEMPORARY = /^\.mg(\d+)-[0-9a-f]+\.tmp$/;

function temporaryName(dir: string): string {
  const random = randomBytes(4).toString('hex');
  return path.join(dir, `.mg${process.pid}-${random}.tmp`);
}

/** Whether a process with this id is running (a temporary file of a dead one is stale). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files a crashed writer left in `dir`: those of a process that is no
 * longer running. A reader never looks at them, so one left behind is harmless until then.
 */
export function removeStaleTemporaries(dir: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMPORARY.exec(name);
    if (!m || Number(m[1]) === process.pid || isRunning(Number(m[1]))) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true });
      removed.push(name);
    } catch {
      // another writer removed it first, or it cannot be removed: it is still ignored
    }
  }
  return removed;
}

function ioError(where: string, file: string, error: unknown): MaskgradError {
  return new MaskgradError(`${where}: cannot write ${file}: ${(error as Error).message}`, {
    code: 'ERR_IO',
    cause: error,
  });
}

/**
 * Checks, without changing `file`, that it can be written: its folder exists and takes a new
 * file, and `file` is not a folder. Call it before a long computation whose result goes there.
 */
export function checkWritable(file: string, where = 'checkWritable'): void {
  checkFilePath(where, file);
  const target = path.resolve(file);
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(target);
  } catch {
    // a new file: its folder is checked below
  }
  if (stat?.isDirectory()) {
    throw new MaskgradError(
      `${where}: cannot write ${file}: it is a folder; expected a file name`,
      {
        code: 'ERR_IO',
      },
    );
  }
  const folder = path.dirname(file);
  let folderStat: fs.Stats | null = null;
  try {
    folderStat = fs.statSync(path.dirname(target));
  } catch {
    throw new MaskgradError(`${where}: cannot write ${file}: no such folder: ${folder}`, {
      code: 'ERR_IO',
    });
  }
  if (!folderStat.isDirectory()) {
    throw new MaskgradError(`${where}: cannot write ${file}: ${folder} is not a folder`, {
      code: 'ERR_IO',
    });
  }
  const probe = temporaryName(path.dirname(target));
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
  } catch (error) {
    throw ioError(where, file, error);
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/** Test hooks: `afterWrite` runs once the temporary file is complete, before the rename. */
export interface AtomicWriteHooks {
  afterWrite?: (temporary: string) => void;
}

/**
 * Writes `data` to `file` atomically: into a temporary file in the same folder, flushed to
 * disk (fsync), then renamed over `file`. A crash at any point leaves either the old file or
 * the new one, never a partial one; the temporary files of crashed writers are removed.
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  where = 'writeFileAtomic',
  hooks: AtomicWriteHooks = {},
): void {
  checkFilePath(where, file);
  const target = path.resolve(file);
  const dir = path.dirname(target);
  removeStaleTemporaries(dir);
  const temporary = temporaryName(dir);
  let fd: number | null = null;
  try {
    fd = fs.openSync(temporary, 'wx', 0o644);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) {
      written += fs.writeSync(fd, bytes, written, bytes.length - written);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    hooks.afterWrite?.(temporary);
    fs.renameSync(temporary, target);
  } catch (error) {
    if (fd !== null) fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error instanceof MaskgradError ? error : ioError(where, file, error);
  }
  syncFolder(dir);
}

/** Flushes the folder entry of a rename, where the platform allows it (not on Windows). */
function syncFolder(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // fsync of a folder is not supported everywhere; the rename itself is still atomic
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * A file written in pieces and put in place atomically: the pieces go to a temporary file in
 * the same folder; `commit()` flushes it and renames it over the target, `abort()` removes it
 * and leaves the target as it was.
 */
export class AtomicFile {
  private fd: number | null;
  private readonly temporary: string;
  private readonly target: string;

  constructor(
    readonly file: string,
    private readonly where = 'AtomicFile',
  ) {
    checkFilePath(where, file);
    this.target = path.resolve(file);
    removeStaleTemporaries(path.dirname(this.target));
    this.temporary = temporaryName(path.dirname(this.target));
    try {
      this.fd = fs.openSync(this.temporary, 'wx', 0o644);
    } catch (error) {
      throw ioError(where, file, error);
    }
  }

  /** Appends text (UTF-8). */
  write(text: string): void {
    if (this.fd === null)
      throw new MaskgradError(`${this.where}: the file is already closed`, { code: 'ERR_STATE' });
    const bytes = Buffer.from(text, 'utf8');
    try {
      let written = 0;
      while (written < bytes.length) {
        written += fs.writeSync(this.fd, bytes, written, bytes.length - written);
      }
    } catch (error) {
      this.abort();
      throw ioError(this.where, this.file, error);
    }
  }

  /** Flushes and renames the temporary file over the target. */
  commit(): void {
    if (this.fd === null)
      throw new MaskgradError(`${this.where}: the file is already closed`, { code: 'ERR_STATE' });
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = null;
      fs.renameSync(this.temporary, this.target);
    } catch (error) {
      this.abort();
      throw ioError(this.where, this.file, error);
    }
    syncFolder(path.dirname(this.target));
  }

  /** Removes the temporary file; the target is untouched. Safe to call more than once. */
  abort(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already closed by the system: nothing more to release
      }
      this.fd = null;
    }
    fs.rmSync(this.temporary, { force: true });
  }
}
