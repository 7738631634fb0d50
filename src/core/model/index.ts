// Models leave maskgrad: the model file, prediction with columns matched by name, and
// export to ONNX and safetensors.
export {
  checkModelFile,
  maskgradVersion,
  mlpFromModelFile,
  MODEL_FORMAT,
  MODEL_VERSION,
  modelFileFrom,
  modelFileToText,
  parseModelFile,
} from './model-file';
export type {
  DataFileDigest,
  ModelFile,
  ModelFileParts,
  ObservedCounts,
  TrainingRecord,
} from './model-file';
export { alignDataset, matchColumns } from './columns';
export type { ColumnMatch, ModelColumns } from './columns';
export { Predictor } from './predictor';
export { modelDescription, ONNX_IR_VERSION, ONNX_OPSET, toOnnx } from './onnx';
export type { ExportDtype } from './onnx';
export { encodeSafetensors, toSafetensors } from './safetensors';
export type { SafetensorsEntry } from './safetensors';
