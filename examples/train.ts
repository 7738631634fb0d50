// Train a multi-label classifier on data with missing labels, and compare how the unknown
// labels are handled: the `maskgrad train` command (src/app/cli/train.ts), run from a clone.
//
//   npx ts-node examples/train.ts --help
import { runTrain } from '../src/app/cli/train';

export { runTrain as main } from '../src/app/cli/train';
export type { Io } from '../src/app/cli/io';

if (require.main === module) {
  process.exitCode = runTrain(process.argv.slice(2));
}
