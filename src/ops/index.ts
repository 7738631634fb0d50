// Importing this module defines every op (and its Tensor method).
// Each op file registers itself; add a line here for a new file.
export * from './define';
export * from './arithmetic';
export * from './matmul';
