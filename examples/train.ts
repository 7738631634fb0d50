// Train a multi-label classifier on data with missing labels, and compare how the unknown
// labels are handled: the `maskgrad train` command (src/cli/train.ts), run from a clone.
//
//   npx ts-node examples/train.ts --help
import { main } from '../src/app/cli/train';

export { main, type Io } from '../src/app/cli/train';

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
