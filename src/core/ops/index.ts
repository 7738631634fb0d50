// Importing this module defines every op (and its Tensor method).
// Each op file registers itself; add a line here for a new file.
export * from './define';
export * from './arithmetic';
export * from './pow';
export * from './unary';
export * from './activations';
export * from './compare';
export * from './reduce';
export * from './shape-ops';
export * from './take';
export * from './concat';
export * from './matmul';
export * from './linear';
export * from './elementwise';
import './tensor-methods';
