import { parseArgs } from 'util';
import { isMaskgradError } from '../../core/errors';

/** Where a command writes: stdout, stderr, and whether stderr is a terminal (for progress). */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  tty: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: Boolean(process.stderr.isTTY),
};

/** A bad flag or input: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** A command's flags: a name, whether it takes a value, and its help line. */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; arg?: string; help: string }>;

/** The parsed flags of `argv`, strict: an unknown flag or a stray argument is a UsageError. */
export function parseFlags(
  argv: string[],
  flags: FlagSpec,
): Record<string, string | boolean | undefined> {
  try {
    const options = Object.fromEntries(
      Object.entries(flags).map(([k, f]) => [k, { type: f.type }]),
    );
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see --help)`);
  }
}

/** The help text of a command. */
export function helpText(usage: string, flags: FlagSpec, notes: string[] = []): string {
  const lines = [`Usage: ${usage}`, '', 'Options:'];
  for (const [name, f] of Object.entries(flags)) {
    const flag = f.arg ? `--${name} ${f.arg}` : `--${name}`;
    lines.push(`  ${flag.padEnd(24)} ${f.help}`);
  }
  if (notes.length > 0) lines.push('', ...notes);
  return lines.join('\n') + '\n';
}

/**
 * The exit code for an error of a command: a usage error or a MaskgradError (bad input, bad
 * model file, unwritable output) is reported as one line, code 2; anything else is a bug
 * and is thrown on.
 */
export function reportError(command: string, e: unknown, io: Io): number {
  if (e instanceof UsageError || isMaskgradError(e)) {
    io.err(`${command}: ${e.message.split('\n')[0]}\n`);
    return 2;
  }
  throw e;
}

/** A progress line on a terminal, redrawn at most every 200 ms; nothing otherwise. */
export function progressLine(
  io: Io,
  label: string,
): { update(done: number, total: number): void; end(): void } {
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      if (!io.tty) return;
      const now = Date.now();
      if (now - last < 200 && done < total) return;
      last = now;
      shown = true;
      const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
      io.err(
        `\r${label}: ${percent}% (${(done / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB)`,
      );
    },
    end() {
      if (shown) io.err('\n');
    },
  };
}
