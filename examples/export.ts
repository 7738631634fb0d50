// Export a saved model to ONNX (for ONNX Runtime) or safetensors (for PyTorch).
//
//   npx ts-node examples/export.ts --model yeast.model.json --format onnx --out yeast.onnx
//   npx ts-node examples/export.ts --help
import { runExport } from '../src/app/cli/export';

export { runExport as main };

if (require.main === module) {
  process.exitCode = runExport(process.argv.slice(2));
}
