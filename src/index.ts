// maskgrad: the core, which runs in any JavaScript runtime (Node, Bun, Deno, a browser, a
// worker). Files on disk are in 'maskgrad/node'; the experiment runner and its strategy tables
// in 'maskgrad/experiment'. Every name is listed: the API report (api/maskgrad.api.md) shows
// each one's signature, and spec/api-report.spec.ts fails when they change without it.

// Importing the ops defines every op and its Tensor method (`t.add(u)`, `t.sigmoid()`, ...).
import './core/ops';

// The engine: tensors, autograd, errors, randomness, broadcasting, gradient checks.
export { Tensor, tensor, zeros, ones, full, rand, randn, arange } from './core/tensor';
export type { TensorLike, NestedArray, TensorOptions, RandomOptions } from './core/tensor';
export { noGrad, isGradEnabled } from './core/autograd';
export { MaskgradError, isMaskgradError } from './core/errors';
export type { MaskgradErrorCode } from './core/errors';
export { Random, createRandom } from './core/random';
/** exp, log, log1p, expm1, tanh, pow, sin, cos with the same bits in every JavaScript engine. */
export * as math from './core/math/public';
export { broadcastShapes, sumToShape } from './core/shape';
export { gradcheck } from './core/gradcheck';
export type { GradcheckOptions } from './core/gradcheck';
export { toDot } from './core/graph';
export { MASKGRAD_VERSION } from './core/version';

// Ops, and the one definition that makes a new one.
export {
  abs,
  add,
  broadcastTo,
  clamp,
  concat,
  div,
  exp,
  linear,
  log,
  log1p,
  logSumExp,
  matmul,
  max,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  permute,
  pow,
  relu,
  reshape,
  sigmoid,
  softplus,
  sqrt,
  sub,
  sum,
  take,
  tanh,
  transpose,
  where,
} from './core/ops';
export type { MatmulOptions, ReduceOptions } from './core/ops';
export { defineComposite, defineElementwise, defineOp, OP_KINDS, registeredOps } from './core/ops';
export type {
  CompositeOpSpec,
  OpCall,
  OpContext,
  OpDescription,
  OpKind,
  OpMethod,
  OpSample,
  PrimitiveOpSpec,
  RegisteredOp,
  SampleInput,
  TensorView,
} from './core/ops';

// Losses: the masked loss and the missing-label methods.
export {
  assumeNegativeLoss,
  aplPseudoLabelRound,
  asymmetricLoss,
  AsymmetricPseudoLabelLoss,
  asymmetricPseudoLabelLoss,
  entropyMaximizationLoss,
  estimateExpectedPositives,
  expectedPositiveLoss,
  hillLoss,
  largeLossLoss,
  largeLossPerEpoch,
  maskedBinaryCrossEntropy,
  maskedBinaryCrossEntropyWithLogits,
  maskedBinaryCrossEntropyWithLogitsComposite,
  maskFromTargets,
  partialBinaryCrossEntropy,
  PermanentCorrectionLoss,
  RoleLoss,
  splcLoss,
} from './core/losses';
export type {
  AplRoundOptions,
  AplRoundResult,
  AssumeNegativeOptions,
  AsymmetricLossOptions,
  AsymmetricPseudoLabelLossOptions,
  AsymmetricPseudoLabelOptions,
  EpochContext,
  EntropyMaximizationOptions,
  ExpectedPositiveOptions,
  HillLossOptions,
  LargeLossMode,
  LargeLossOptions,
  Loss,
  LossContext,
  LossFunction,
  MaskedBceOptions,
  MaskLike,
  NestedMask,
  PartialBceOptions,
  PseudoLabelTable,
  Reduction,
  RoleOptions,
  SplcLossOptions,
  StatefulLoss,
} from './core/losses';
// Round two: the generalized robust loss and propensity-weighted BCE.
export {
  generalizedRobustLoss,
  generalizedRobustPerEpoch,
  grSchedule,
  inversePropensity,
  propensityWeightedBce,
} from './core/losses';
export type {
  GeneralizedRobustOptions,
  GeneralizedRobustPerEpochOptions,
  GrParameters,
  GrScheduleOptions,
  InversePropensities,
  InversePropensityOptions,
  PropensityEstimator,
  PropensityWeightedOptions,
} from './core/losses';

// Data: text parsers (text in, data set out), preprocessing, batching.
export {
  batches,
  CsvTokenizer,
  datasetFromArff,
  detectDelimiter,
  detectLabelColumns,
  hideLabels,
  keepOnePositive,
  parseArff,
  parseCsv,
  parseLabelSpec,
  splitRows,
  standardize,
  takeRows,
} from './core/data';
export type {
  ArffAttribute,
  ArffOptions,
  Batch,
  BatchOptions,
  ColumnKind,
  ColumnOptions,
  CsvDelimiter,
  CsvOptions,
  DetectedColumns,
  LabelSpec,
  MultiLabelDataset,
  ParsedArff,
  Standardized,
} from './core/data';

// Metrics, as scikit-learn defines them, each able to ignore unknown labels.
export {
  applyThresholds,
  averagePrecision,
  confusionCounts,
  f1,
  hammingLoss,
  labelRankingAveragePrecision,
  meanAveragePrecision,
  precisionRecallCurve,
  tuneThresholds,
} from './core/metrics';
export type {
  ConfusionCounts,
  ConfusionCountsOptions,
  F1Options,
  HammingLossOptions,
  MeanAveragePrecision,
  PrecisionRecallCurve,
} from './core/metrics';

// Models and optimizers.
export { activations, Linear, MLP, Module } from './core/nn';
export type { ActivationName, InitOptions, MLPOptions, ParameterState, StateDict } from './core/nn';
export { Adam, AdamW, Optimizer, SGD } from './core/optim';
export type { AdamOptions, SGDOptions } from './core/optim';

// Training: the one training step, and fit, which runs it over epochs and batches.
export {
  fit,
  predictProbabilities,
  Trainer,
  TrainingDivergedError,
  validationMap,
} from './core/training';
export type {
  BatchReport,
  StepReport,
  TrainerOptions,
  DivergenceSource,
  EpochReport,
  FitHooks,
  FitOptions,
  FitResult,
  ValidationMetric,
  ValidationOptions,
} from './core/training';

// The model file (as text: reading and writing files is in 'maskgrad/node'), prediction with
// columns matched by name, and export to ONNX and safetensors.
export {
  alignDataset,
  checkModelFile,
  matchColumns,
  mlpFromModelFile,
  MODEL_FORMAT,
  MODEL_VERSION,
  modelFileFrom,
  modelFileToText,
  ONNX_IR_VERSION,
  ONNX_OPSET,
  parseModelFile,
  Predictor,
  toOnnx,
  toSafetensors,
} from './core/model';
export type {
  ColumnMatch,
  DataFileDigest,
  ExportDtype,
  ModelColumns,
  ModelFile,
  ModelFileParts,
  ObservedCounts,
  TrainingRecord,
} from './core/model';
