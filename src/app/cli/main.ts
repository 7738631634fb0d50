#!/usr/bin/env node
import { escapeControls } from '../../core/describe-value';
import { maskgradVersion } from '../../core/model/model-file';
import { runExport } from './export';
import { type Io, processIo } from './io';
import { runPredict } from './predict';
import { runTrain } from './train';

const HELP = `Usage: maskgrad <command> [options]

Commands:
  train     train a multi-label classifier on data with missing labels (--save FILE keeps it)
  predict   predict with a saved model: maskgrad predict --model FILE --input FILE.csv
  export    export a saved model to ONNX or safetensors

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
        `maskgrad: unknown command '${escapeControls(command)}'; expected train, predict or export (see --help)\n`,
      );
      return 2;
  }
}

if (require.main === module) {
  // `maskgrad predict ... | head`: a closed pipe ends the output, not with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
