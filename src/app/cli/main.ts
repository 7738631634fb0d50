#!/usr/bin/env node
import { escapeControls } from '../../core/describe-value';
import { maskgradVersion } from '../../core/model/model-file';
import { runExport } from './export';
import { runInspect } from './inspect';
import { type Io, processIo } from './io';
import { runPredict } from './predict';
import { runTrain } from './train';

const HELP = `Usage: maskgrad <command> [options]

Commands:
  train     train a multi-label classifier on data with missing labels (--save FILE keeps it)
  predict   predict with a saved model: maskgrad predict --model FILE --input FILE.csv
  export    export a saved model to ONNX or safetensors
  inspect   summarize a saved model: maskgrad inspect FILE (layers, features, labels, training)

maskgrad <command> --help shows a command's options.
`;

/** The \`maskgrad\` command line: dispatches to a subcommand; resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'train':
      return runTrain(rest, io);
    case 'predict':
      return runPredict(rest, io);
    case 'export':
      return runExport(rest, io);
    case 'inspect':
      return runInspect(rest, io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      io.out(HELP);
      return 0;
    case '--version':
      io.out(`${maskgradVersion()}\n`);
      return 0;
    default:
      io.err(
        `maskgrad: unknown command '${escapeControls(command)}'; expected train, predict, export or inspect (see --help)\n`,
      );
      return 2;
  }
}

if (require.main === module) {
  // `maskgrad predict ... | head`: a closed pipe ends the output, exit 0. Any other write
  // error on stdout (`> /dev/full`: ENOSPC, EIO, ...) is one line on stderr and exit code 2,
  // as an unwritable --output is; never a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    const command = process.argv[2] && !process.argv[2].startsWith('-') ? process.argv[2] : '';
    process.stderr.write(`${stdoutErrorLine(command, e)}\n`);
    process.exit(2);
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

/** The one line a failed write to standard output is reported with. */
export function stdoutErrorLine(command: string, e: NodeJS.ErrnoException): string {
  const who =
    command === 'train' || command === 'predict' || command === 'export' || command === 'inspect'
      ? command
      : 'maskgrad';
  const reason = e.code ? `${e.code}: ${e.message.replace(/^[A-Z]+: /, '')}` : e.message;
  return `${who}: cannot write to standard output (${reason}); the output is incomplete`;
}
