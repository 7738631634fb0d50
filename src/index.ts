// maskgrad's public API (the core: any JavaScript runtime). Files on disk: 'maskgrad/node';
// the experiment runner and strategy tables: 'maskgrad/experiment'.
export { Tensor, tensor, zeros, ones, full, rand, randn, arange } from './core/tensor';
export type { TensorLike, NestedArray, TensorOptions, RandomOptions } from './core/tensor';
export { noGrad, isGradEnabled } from './core/autograd';
export { MaskgradError, isMaskgradError } from './core/errors';
export type { MaskgradErrorCode } from './core/errors';
export { Random, createRandom } from './core/random';
// exp, log, log1p, expm1, tanh, pow, sin, cos with the same bits in every JavaScript engine.
export * as math from './core/math';
export { broadcastShapes, sumToShape } from './core/shape';
export { gradcheck } from './core/gradcheck';
export { toDot } from './core/graph';
export type { GradcheckOptions } from './core/gradcheck';
export * from './core/ops';
export * from './core/losses';
export * from './core/data';
export * from './core/metrics';
export * from './core/nn';
export * from './core/optim';
export * from './core/training';
export * from './core/model';
