// An Io for running a maskgrad command in-process: what it writes to standard output and
// standard error, kept as text.
import type { Io } from '../../src/app/cli/io';

export function captureIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    tty: false,
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}
