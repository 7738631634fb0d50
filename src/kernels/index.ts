// The numeric kernels the ops call: not part of maskgrad's public API.
// A kernel computes into arrays it is handed and knows nothing of tensors or graphs.
export type { GemmKernel } from './gemm';
export { gemm, gemmReference } from './gemm';
