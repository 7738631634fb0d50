import * as path from 'path';
import { type Io, processIo } from './io';

/**
 * The `train` command. It runs the `main` of examples/train.ts, which lives beside the
 * library in the repository (run through ts-node); a package installed from npm does not
 * ship the examples, and says so. Repoint this module once the training CLI moves to src/cli.
 */
export function runTrain(argv: string[], io: Io = processIo): number {
  const file = path.join(__dirname, '..', '..', 'examples', 'train');
  let main: (argv: string[], io: unknown) => number;
  try {
    main = (require(file) as { main: typeof main }).main;
  } catch {
    io.err(
      'train: this installation has no training command yet; run it from a clone of maskgrad: npx ts-node examples/train.ts\n',
    );
    return 2;
  }
  return main(argv, { ...io, colors: Boolean(process.stdout.isTTY) });
}
