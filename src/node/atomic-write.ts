import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { MaskgradError } from '../core/errors';
import { checkFilePath } from './read-text';

/**
 * Temporary files are named `.mg<pid>-<tag>-<random>.tmp`, `tag` naming the writer's PID
 * namespace (see `namespaceTag`); short, so any legal target name works. The older form
 * `.mg<pid>-<random>.tmp` has no tag: its namespace is unknown.
 */
const TEMPORARY = /^\.mg(\d+)-(?:([0-9a-f]{8})-)?[0-9a-f]+\.tmp$/;

/**
 * How old (by modification time) a temporary of another PID namespace, or of an unknown one,
 * must be before it is removed: a day. Its process id means nothing here, so only its age
 * shows that it is stale; a live writer touches its file at every write, and writes whole
 * files in moments, so a day-old temporary has no writer.
 */
export const FOREIGN_TEMPORARY_AGE_MS = 24 * 60 * 60 * 1000;

let ownTag: string | null = null;

/**
 * Eight hex digits naming this process's PID namespace on this host: a hash of the host's
 * boot id and the namespace's inode (/proc/self/ns/pid). Two containers sharing a folder
 * have different tags (their process ids are not comparable), and so do two hosts sharing
 * it over a network file system. Where /proc does not tell (not Linux), the tag is that of
 * "no namespaces": process ids there are the host's.
 */
export function namespaceTag(): string {
  if (ownTag === null) {
    const read = (what: () => string) => {
      try {
        return what().trim();
      } catch {
        return '';
      }
    };
    const boot = read(() => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
    const namespace = read(() => fs.readlinkSync('/proc/self/ns/pid'));
    ownTag = createHash('sha256').update(`${boot}\n${namespace}`).digest('hex').slice(0, 8);
  }
  return ownTag;
}

function temporaryName(dir: string): string {
  const random = randomBytes(4).toString('hex');
  return path.join(dir, `.mg${process.pid}-${namespaceTag()}-${random}.tmp`);
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
 * Removes the temporary files a crashed writer left in `dir`. A temporary of this PID
 * namespace (its tag is ours) is stale when its process is no longer running; one of another
 * namespace (a container sharing the folder) or of an unknown one, whose process id cannot be
 * checked from here, only when it is older than FOREIGN_TEMPORARY_AGE_MS. A reader never
 * looks at them, so one left behind is harmless until then.
 */
export function removeStaleTemporaries(dir: string, now = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMPORARY.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    const pid = Number(m[1]);
    if (m[2] === namespaceTag()) {
      if (pid === process.pid || isRunning(pid)) continue;
    } else {
      let modified: number;
      try {
        modified = fs.lstatSync(file).mtimeMs;
      } catch {
        continue; // removed meanwhile by its writer or another cleaner
      }
      if (now - modified < FOREIGN_TEMPORARY_AGE_MS) continue;
    }
    try {
      fs.rmSync(file, { force: true });
      removed.push(name);
    } catch {
      // another writer removed it first, or it cannot be removed: it is still ignored
    }
  }
  return removed;
}

/**
 * The file a write to `file` changes: `file` itself, or, for a symbolic link, the file the
 * link names in the end (which need not exist yet: a dangling link writes the file it names).
 * The folders on the way are resolved too, so a temporary file beside the result is on the
 * same file system and its rename replaces exactly that file, leaving every link in place.
 */
export function writeTarget(file: string, where = 'writeTarget'): string {
  let current = path.resolve(file);
  for (let hops = 0; hops <= 40; hops++) {
    let link: string;
    try {
      return fs.realpathSync(current);
    } catch {
      // missing, or a link to a missing file: followed below, one link at a time
    }
    try {
      link = fs.readlinkSync(current);
    } catch {
      // not a link: a new file in a folder that may itself be reached through links
      try {
        return path.join(fs.realpathSync(path.dirname(current)), path.basename(current));
      } catch {
        return current; // no such folder: the write reports it
      }
    }
    // A relative link is relative to the folder holding it, as the system resolves it.
    let folder = path.dirname(current);
    try {
      folder = fs.realpathSync(folder);
    } catch {
      // no such folder: the write reports it
    }
    current = path.resolve(folder, link);
  }
  throw new MaskgradError(
    `${where}: cannot write ${file}: too many levels of symbolic links; expected a link chain that ends`,
    { code: 'ERR_IO' },
  );
}

/**
 * Whether `target` (resolved by writeTarget) exists and is not a regular file or folder: a
 * character or block device (/dev/null), a FIFO, a socket. Such a file is written to
 * directly; replacing it by a rename would destroy it.
 */
function isSpecial(target: string): boolean {
  try {
    const stat = fs.statSync(target);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false;
  }
}

/** Opens a device, FIFO or socket for writing, as it is: no temporary file, no truncation. */
function openSpecial(target: string): number {
  return fs.openSync(target, fs.constants.O_WRONLY | (fs.constants.O_NOCTTY ?? 0));
}

/**
 * Creates the temporary file for `target`, with the permissions of the file it replaces (a
 * private 0600 model stays private), or 0644 (less the umask) for a new file.
 */
function openTemporary(temporary: string, target: string): number {
  const mode = statOf(target, fs.statSync)?.mode;
  const fd = fs.openSync(temporary, 'wx', 0o644);
  if (mode !== undefined) {
    try {
      fs.fchmodSync(fd, mode & 0o7777);
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(temporary, { force: true });
      throw error;
    }
  }
  return fd;
}

/** The stat of `file` (by `stat` or `lstat`), or undefined where there is none to take. */
function statOf(file: string, stat: (file: string) => fs.Stats): fs.Stats | undefined {
  try {
    return stat(file);
  } catch {
    return undefined;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) {
    written += fs.writeSync(fd, bytes, written, bytes.length - written);
  }
}

/**
 * Why a write to `file` failed, in the user's terms: the system's code and words without the
 * path it names (`ENOENT: no such file or directory, open '<dir>/.mg1-2-3.tmp'` names this
 * writer's temporary file, which the user never asked for), or, when `file`'s folder is
 * missing, `no such folder: <folder>`.
 */
function reasonOf(file: string, error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  if (e?.code === 'ENOENT' && !fs.existsSync(path.dirname(path.resolve(file)))) {
    return `no such folder: ${path.dirname(file)}`;
  }
  if (typeof e?.syscall !== 'string') return message;
  const at = message.indexOf(`, ${e.syscall}`);
  return at < 0 ? message : message.slice(0, at);
}

function ioError(where: string, file: string, error: unknown): MaskgradError {
  return new MaskgradError(`${where}: cannot write ${file}: ${reasonOf(file, error)}`, {
    code: 'ERR_IO',
    cause: error,
  });
}

/**
 * Checks, without changing `file`, that it can be written: its folder exists and takes a new
 * file, and `file` is not a folder; a device or FIFO (written to directly) must be writable.
 * A symbolic link is checked as the file it names. Call it before a long computation whose
 * result goes there.
 */
export function checkWritable(file: string, where = 'checkWritable'): void {
  checkFilePath(where, file);
  const target = writeTarget(file, where);
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
  if (stat !== null && !stat.isFile()) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (error) {
      throw ioError(where, file, error);
    }
    return;
  }
  // Through a symbolic link, the folder that matters is that of the file the link names.
  const linked = statOf(file, fs.lstatSync)?.isSymbolicLink() ?? false;
  const folder = linked ? path.dirname(target) : path.dirname(file);
  const via = linked ? ` (${file} is a symbolic link to ${target})` : '';
  let folderStat: fs.Stats | null = null;
  try {
    folderStat = fs.statSync(path.dirname(target));
  } catch {
    throw new MaskgradError(`${where}: cannot write ${file}: no such folder: ${folder}${via}`, {
      code: 'ERR_IO',
    });
  }
  if (!folderStat.isDirectory()) {
    throw new MaskgradError(`${where}: cannot write ${file}: ${folder} is not a folder${via}`, {
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
 * A symbolic link stays: the file it names is replaced. A device, FIFO or socket (/dev/null,
 * a named pipe) is written to directly, as a shell's `>` does; it is never replaced.
 */
export function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  where = 'writeFileAtomic',
  hooks: AtomicWriteHooks = {},
): void {
  checkFilePath(where, file);
  const target = writeTarget(file, where);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (isSpecial(target)) {
    let fd: number | null = null;
    try {
      fd = openSpecial(target);
      writeAll(fd, bytes);
    } catch (error) {
      throw ioError(where, file, error);
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
    return;
  }
  const dir = path.dirname(target);
  removeStaleTemporaries(dir);
  const temporary = temporaryName(dir);
  let fd: number | null = null;
  try {
    fd = openTemporary(temporary, target);
    writeAll(fd, bytes);
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
 * and leaves the target as it was. As with writeFileAtomic, a symbolic link is followed, and
 * a device or FIFO is written to directly: its pieces go out as they are written (`abort()`
 * cannot take them back) and `commit()` only closes it.
 */
export class AtomicFile {
  private fd: number | null;
  /** The temporary file, or null when the target (a device, a FIFO) is written directly. */
  private readonly temporary: string | null;
  private readonly target: string;

  constructor(
    readonly file: string,
    private readonly where = 'AtomicFile',
  ) {
    checkFilePath(where, file);
    this.target = writeTarget(file, where);
    const special = isSpecial(this.target);
    if (!special) removeStaleTemporaries(path.dirname(this.target));
    this.temporary = special ? null : temporaryName(path.dirname(this.target));
    try {
      this.fd =
        this.temporary === null
          ? openSpecial(this.target)
          : openTemporary(this.temporary, this.target);
    } catch (error) {
      throw ioError(where, file, error);
    }
  }

  /** Appends text (UTF-8). */
  write(text: string): void {
    if (this.fd === null)
      throw new MaskgradError(`${this.where}: the file is already closed`, { code: 'ERR_STATE' });
    try {
      writeAll(this.fd, Buffer.from(text, 'utf8'));
    } catch (error) {
      this.abort();
      throw ioError(this.where, this.file, error);
    }
  }

  /** Flushes and renames the temporary file over the target (closes a device or FIFO). */
  commit(): void {
    if (this.fd === null)
      throw new MaskgradError(`${this.where}: the file is already closed`, { code: 'ERR_STATE' });
    try {
      if (this.temporary !== null) fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = null;
      if (this.temporary !== null) fs.renameSync(this.temporary, this.target);
    } catch (error) {
      this.abort();
      throw ioError(this.where, this.file, error);
    }
    if (this.temporary !== null) syncFolder(path.dirname(this.target));
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
    if (this.temporary !== null) fs.rmSync(this.temporary, { force: true });
  }
}
