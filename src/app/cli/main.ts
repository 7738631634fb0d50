#!/usr/bin/env node
import { escapeControls } from '../../core/describe-value';
import { maskgradVersion } from '../../core/model/model-file';
import { runExport } from './export';
import { runInspect } from './inspect';
import { type Io, processIo } from './io';
import { runPredict } from './predict';
import { runStudy } from './study';
import { closestName } from './suggest';
import { runTrain } from './train';

/** A subcommand of `maskgrad`: its one-line summary and what runs it (resolving to the exit code). */
interface Subcommand {
  summary: string;
  run: (argv: string[], io: Io) => number | Promise<number>;
}

/** Every subcommand, in the order `maskgrad --help` lists them. */
const COMMANDS: Record<string, Subcommand> = {
  train: {
    summary: 'train a multi-label classifier on data with missing labels (--save FILE keeps it)',
    run: runTrain,
  },
  predict: {
    summary: 'predict with a saved model: maskgrad predict --model FILE --input FILE.csv',
    run: runPredict,
  },
  export: {
    summary: 'export a saved model to ONNX or safetensors: --format onnx --output FILE',
    run: runExport,
  },
  inspect: {
    summary: 'summarize a saved model: maskgrad inspect FILE (layers, features, labels, training)',
    run: runInspect,
  },
  study: {
    summary: 'compare the missing-label methods on yeast, over seeds (in a clone)',
    run: runStudy,
  },
};

const NAMES = Object.keys(COMMANDS);

const HELP = `Usage: maskgrad <command> [options]

Commands:
${NAMES.map((name) => `  ${name.padEnd(9)} ${COMMANDS[name].summary}`).join('\n')}

maskgrad <command> --help shows a command's options.
`;

/** `a, b, c or d`. */
function orList(words: string[]): string {
  return words.length < 2
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** The \`maskgrad\` command line: dispatches to a subcommand; resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, command)) {
    return COMMANDS[command].run(rest, io);
  }
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(HELP);
      return 0;
    case '--version':
      io.out(`${maskgradVersion()}\n`);
      return 0;
    default: {
      const near = closestName(command, NAMES);
      const hint = near === undefined ? `expected ${orList(NAMES)}` : `did you mean ${near}?`;
      io.err(`maskgrad: unknown command '${escapeControls(command)}'; ${hint} (see --help)\n`);
      return 2;
    }
  }
}

/**
 * Runs `maskgrad` as a process with `argv` (without node and the script): the exit code and
 * standard output's errors as a command line expects. The bin script (bin/maskgrad.js) calls
 * it, from dist/ once built or from src/ in a clone.
 */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  // `maskgrad predict ... | head`: a closed pipe ends the output, exit 0. Any other write
  // error on stdout (`> /dev/full`: ENOSPC, EIO, ...) is one line on stderr and exit code 2,
  // as an unwritable --output is; never a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    const command = argv[0] && !argv[0].startsWith('-') ? argv[0] : '';
    process.stderr.write(`${stdoutErrorLine(command, e)}\n`);
    process.exit(2);
  });
  void main(argv).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runCli();

/** The one line a failed write to standard output is reported with. */
export function stdoutErrorLine(command: string, e: NodeJS.ErrnoException): string {
  const who = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? command : 'maskgrad';
  const reason = e.code ? `${e.code}: ${e.message.replace(/^[A-Z]+: /, '')}` : e.message;
  return `${who}: cannot write to standard output (${reason}); the output is incomplete`;
}
