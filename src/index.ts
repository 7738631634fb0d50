// maskgrad's public API: re-exports only.
export { Tensor, tensor, zeros, ones, full, rand, randn, arange } from './tensor';
export type { TensorLike, NestedArray, TensorOptions, RandomOptions } from './tensor';
export { noGrad, isGradEnabled } from './autograd';
export { MaskgradError, isMaskgradError } from './errors';
export type { MaskgradErrorCode } from './errors';
export { Random, createRandom } from './random';
// exp, log, log1p, expm1, tanh, pow, sin, cos with the same bits in every JavaScript engine.
export * as math from './math';
export { broadcastShapes, sumToShape } from './shape';
export { gradcheck } from './gradcheck';
export { toDot } from './graph';
export type { GradcheckOptions } from './gradcheck';
export * from './ops';
export * from './losses';
export * from './data';
export * from './metrics';
export * from './nn';
export * from './optim';
export * from './training';
export * from './model';
