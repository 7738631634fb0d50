import { parseArgs } from 'util';
import { escapeControls } from '../../core/describe-value';
import { isMaskgradError } from '../../core/errors';
import { closestName } from './suggest';

/** Where a command writes: stdout, stderr, and what they are connected to. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether progress may redraw a line or a bar (stderr is a terminal). */
  tty: boolean;
  /** Whether a chart may use colors (stdout is a terminal); none: no colors. */
  colors?: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  tty: Boolean(process.stderr.isTTY),
  colors: Boolean(process.stdout.isTTY),
};

/** A bad flag or input: printed as one line, exit code 2. */
export class UsageError extends Error {}

/**
 * A command's flags: a name, whether it takes a value (and what `--help` calls it), its
 * help line, and its default in words.
 */
export type FlagSpec = Record<
  string,
  { type: 'string' | 'boolean'; arg?: string; help: string; default?: string }
>;

/** The flags of a command line, by name: a string, true, or undefined when not given. */
export type Flags = Record<string, string | boolean | undefined>;

/**
 * `--lr -1` as `--lr=-1`: parseArgs takes a value starting with '-' for a flag, so a
 * negative number after a flag that takes a value is joined to it (and then range-checked).
 */
function joinNegativeNumbers(argv: string[], flags: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    const flag = Object.prototype.hasOwnProperty.call(flags, name) ? flags[name] : null;
    if (flag?.type === 'string' && i + 1 < argv.length && /^-[\d.]/.test(argv[i + 1])) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

/** Whether `e` is one of node's parseArgs errors (a bad flag, not a bug). */
function isParseArgsError(e: unknown): e is Error {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** The flag every command has. */
const HELP_FLAG: FlagSpec = { help: { type: 'boolean', help: 'print this help' } };

/**
 * The parsed flags of `argv` (`flags` and --help), strict: an unknown flag or a stray
 * argument is a UsageError.
 */
export function parseFlags(argv: string[], flags: FlagSpec): Flags {
  const all = { ...flags, ...HELP_FLAG };
  const options = Object.fromEntries(Object.entries(all).map(([k, f]) => [k, { type: f.type }]));
  try {
    return parseArgs({
      args: joinNegativeNumbers(argv, all),
      options,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    if (!isParseArgsError(e)) throw e;
    const line = e.message.split('\n')[0];
    const unknown = /^Unknown option '--([^']*)'/.exec(line);
    const near = unknown ? closestName(unknown[1], Object.keys(all)) : undefined;
    throw new UsageError(
      near === undefined
        ? `${line} (see --help)`
        : `${line.replace(/\.$/, '')}; did you mean --${near}? (see --help)`,
    );
  }
}

/**
 * The help text of a command: its usage, a line per flag (with its default) and --help,
 * then `notes`.
 */
export function helpText(usage: string, flags: FlagSpec, notes: string[] = []): string {
  const lines = [`Usage: ${usage}`, '', 'Options:'];
  for (const [name, f] of Object.entries({ ...flags, ...HELP_FLAG })) {
    const flag = f.arg ? `--${name} ${f.arg}` : `--${name}`;
    const byDefault = f.default === undefined ? '' : ` (default ${f.default})`;
    lines.push(`  ${flag.padEnd(24)} ${f.help}${byDefault}`);
  }
  if (notes.length > 0) lines.push('', ...notes);
  return lines.join('\n') + '\n';
}

/** A command's usage line, its flags (besides --help), and the notes its help ends with. */
export interface Command {
  usage: string;
  flags: FlagSpec;
  notes?: string[];
}

/** The flags `argv` gives `command`; null once its help is printed, for --help. */
export function commandFlags(argv: string[], command: Command, io: Pick<Io, 'out'>): Flags | null {
  const flags = parseFlags(argv, command.flags);
  if (!flags.help) return flags;
  io.out(helpText(command.usage, command.flags, command.notes));
  return null;
}

/**
 * A library function's or class's name leading a message: a camelCase function (`parseCsv: `,
 * `readModelFile: `) or a class, with or without its method (`CsvTokenizer: `,
 * `Random.shuffle: `).
 */
const LIBRARY_PREFIX = /^([a-z]+[A-Z][A-Za-z0-9]*|[A-Z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)?): /;

/**
 * The exit code for an error of a command: a usage error or a MaskgradError (bad input, bad
 * model file, unwritable output) is reported as one line (any control character in it
 * escaped), code 2; anything else is a bug and is thrown on.
 */
export function reportError(command: string, e: unknown, io: Io): number {
  if (e instanceof UsageError || isMaskgradError(e)) {
    // One prefix, the command's: a message that already names the command does not name it
    // twice, and the library function a message comes from (`parseCsv: `, `readModelFile: `)
    // is the command's business, not the user's.
    const line = e.message.split('\n')[0];
    const own = line.startsWith(`${command}: `) ? line.slice(command.length + 2) : line;
    const text = `${command}: ${own.replace(LIBRARY_PREFIX, '')}`;
    io.err(`${escapeControls(text)}\n`);
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
