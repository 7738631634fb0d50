// Predict with a saved model: columns are matched by name, the rows streamed in batches.
//
//   npx ts-node examples/predict.ts --model yeast.model.json --input examples/data/yeast-test.arff
//   npx ts-node examples/predict.ts --help
import { runPredict } from '../src/app/cli/predict';

export { runPredict as main };

if (require.main === module) {
  void runPredict(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
