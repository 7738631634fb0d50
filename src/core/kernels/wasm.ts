// The WebAssembly kernels (source: wasm/kernels.wat): the gemm, wrapped as a GemmKernel,
// and ReLU's forward and backward over arrays. Their bytes are embedded (wasm-module.ts),
// so they need no file access and run in Node and in browsers alike. The gemm gives the
// same bits as the TypeScript kernel: both add each element's products in the same order
// (see wasm/kernels.wat); the ReLU kernels give the bits of relu's formulas.
import { gemm as gemmTypeScript, gemmReference, GemmKernel, isSmallProduct } from './gemm';
import { KERNELS_WASM_BASE64 } from './wasm-module';

// The little of the WebAssembly JS API used here (lib.dom is not in this project's types).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
type WasmReluExport = (x: number, out: number, n: number) => void;
type WasmReluBackwardExport = (g: number, x: number, gx: number, n: number) => void;
type WasmGemmExport = (
  transA: number,
  transB: number,
  m: number,
  n: number,
  k: number,
  a: number,
  b: number,
  c: number,
  cZero: number,
) => void;

const PAGE_BYTES = 65536;
/**
 * The most memory the kernel grows to: 2 GiB, half of what 32-bit wasm addresses. A
 * product whose A, B and C do not fit is left to the TypeScript kernel (same bits).
 */
export const WASM_MAX_BYTES = 2 ** 31;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * An array kernel that may decline: it returns false, having written nothing, when its
 * arrays do not fit in the module's memory; the caller then runs its own loop.
 */
export interface ReluKernels {
  /** out[i] = relu(x[i]) for i < x.length (out as long as x). */
  forward(x: Float64Array, out: Float64Array): boolean;
  /** gx[i] = x[i] > 0 ? g[i] : 0 for i < x.length (all three as long). */
  backward(g: Float64Array, x: Float64Array, gx: Float64Array): boolean;
}

/** The WebAssembly kernels and what they hold; `memoryBytes` is the memory's current size. */
export interface WasmKernels {
  readonly gemm: GemmKernel;
  readonly relu: ReluKernels;
  memoryBytes(): number;
}

/**
 * Instantiates the module (synchronously: it is about 2 KB, under the 4 KB browsers
 * allow on their main thread), or says why it cannot: no WebAssembly, or no SIMD.
 * `maxBytes` (default WASM_MAX_BYTES) caps its memory; specs set it lower.
 */
export function createWasmKernels(
  maxBytes: number = WASM_MAX_BYTES,
): WasmKernels | { unavailable: string } {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) return { unavailable: 'this runtime has no WebAssembly' };
  if (typeof atob !== 'function') return { unavailable: 'this runtime has no atob' };
  const bytes = decodeBase64(KERNELS_WASM_BASE64);
  if (!api.validate(bytes)) {
    return { unavailable: "this runtime's WebAssembly has no 128-bit SIMD" };
  }
  const { exports } = new api.Instance(new api.Module(bytes), {});
  const memory = exports.memory as WasmMemory;
  const run = exports.gemm as WasmGemmExport;
  const runRelu = exports.relu as WasmReluExport;
  const runReluBackward = exports.relu_backward as WasmReluBackwardExport;
  const work = (exports.work as { value: number }).value;
  let heap = new Float64Array(memory.buffer);

  /** Grows the memory to at least `bytes`; false if the runtime refuses. */
  function reserve(bytes: number): boolean {
    const have = memory.buffer.byteLength;
    if (bytes > have) {
      try {
        memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
      } catch {
        return false;
      }
    }
    // Growing detaches the old buffer: views are made again on the new one.
    if (heap.buffer !== memory.buffer) heap = new Float64Array(memory.buffer);
    return true;
  }

  /**
   * C[cOff..] += op(A[aOff..]) op(B[bOff..]): A, B and C are copied into the module's
   * memory after its packing buffers, multiplied there, and C is copied back. A C the
   * caller says is all +0 is not copied in: the module then does not read it.
   */
  const gemmWasm: GemmKernel = (
    transA,
    transB,
    m,
    n,
    k,
    a,
    aOff,
    b,
    bOff,
    c,
    cOff,
    cIsZero = false,
  ) => {
    if (m === 0 || n === 0 || k === 0) return;
    if (isSmallProduct(m, n, k)) {
      gemmReference(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
      return;
    }
    const aLength = m * k;
    const bLength = k * n;
    const cLength = m * n;
    const bytes = work + 8 * (aLength + bLength + cLength);
    if (bytes > maxBytes || !reserve(bytes)) {
      gemmTypeScript(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
      return;
    }
    const aAt = work / 8;
    const bAt = aAt + aLength;
    const cAt = bAt + bLength;
    heap.set(a.subarray(aOff, aOff + aLength), aAt);
    heap.set(b.subarray(bOff, bOff + bLength), bAt);
    if (!cIsZero) heap.set(c.subarray(cOff, cOff + cLength), cAt);
    run(transA ? 1 : 0, transB ? 1 : 0, m, n, k, aAt * 8, bAt * 8, cAt * 8, cIsZero ? 1 : 0);
    c.set(heap.subarray(cAt, cAt + cLength), cOff);
  };

  /**
   * Runs an elementwise kernel of the module: the inputs go after `work` one after another,
   * each given an even number of slots (the module processes whole vectors, see relu in
   * wasm/kernels.wat), then the output; `run` gets the byte address of array i (the
   * output is the last), and the output is copied into `out`. False, having written
   * nothing, if they do not fit.
   */
  function elementwise(
    inputs: Float64Array[],
    out: Float64Array,
    run: (at: (i: number) => number) => void,
  ): boolean {
    const n = out.length;
    const slotBytes = 8 * (n + (n & 1));
    const at = (i: number) => work + i * slotBytes;
    const end = at(inputs.length + 1);
    if (end > maxBytes || !reserve(end)) return false;
    for (let i = 0; i < inputs.length; i++) heap.set(inputs[i], at(i) / 8);
    run(at);
    const outAt = at(inputs.length) / 8;
    out.set(heap.subarray(outAt, outAt + n));
    return true;
  }

  const relu: ReluKernels = {
    forward: (x, out) => elementwise([x], out, (at) => runRelu(at(0), at(1), x.length)),
    backward: (g, x, gx) =>
      elementwise([g, x], gx, (at) => runReluBackward(at(0), at(1), at(2), x.length)),
  };

  return { gemm: gemmWasm, relu, memoryBytes: () => memory.buffer.byteLength };
}
