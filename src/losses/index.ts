export * from './masked-bce';
export * from './masked-bce-composite';
export * from './masked-bce-probs';
export * from './mask-from-targets';
export type { MaskLike, NestedMask, Reduction } from './validate';
export type { Loss, LossContext, LossFunction, StatefulLoss } from './loss';
