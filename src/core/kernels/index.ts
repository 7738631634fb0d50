// The numeric kernels the ops call: not part of maskgrad's public API.
// A kernel computes into arrays it is handed and knows nothing of tensors or graphs.
//
// `gemm` is the one the ops call. It runs the WebAssembly SIMD kernel where the runtime
// has WebAssembly SIMD, and the TypeScript kernel otherwise; both give the same bits, so
// which one runs changes the speed and nothing else. The environment variable
// MASKGRAD_KERNEL picks one: 'ts' (the TypeScript kernel), 'wasm' (the WebAssembly one,
// an error if unavailable), 'auto' or unset (the default).
//
// `reluKernels` are relu's array kernels from the same WebAssembly module, in use when the
// WebAssembly gemm is; with 'ts', relu runs its formulas' loops (the same bits).
import { MaskgradError } from '../errors';
import { describeValue } from '../describe-value';
import { gemm as gemmTypeScript, gemmReference, GemmKernel } from './gemm';
import { createWasmKernels, ReluKernels, WasmKernels } from './wasm';

export type { GemmKernel } from './gemm';
export type { ReluKernels } from './wasm';
export { gemmReference, isSmallProduct } from './gemm';
export { gemmTypeScript };

/** The fast kernels: 'wasm' (WebAssembly SIMD) and 'ts' (TypeScript). */
export type GemmKernelName = 'wasm' | 'ts';

let wasm: WasmKernels | { unavailable: string } | null = null;

function wasmState(): WasmKernels | { unavailable: string } {
  if (wasm === null) wasm = createWasmKernels();
  return wasm;
}

/** Why the WebAssembly kernel cannot run here, or null if it can. */
export function wasmGemmUnavailable(): string | null {
  const state = wasmState();
  return 'unavailable' in state ? state.unavailable : null;
}

/** The bytes the WebAssembly kernel's memory holds now (0 if it never ran). */
export function wasmGemmMemoryBytes(): number {
  const state = wasm;
  return state === null || 'unavailable' in state ? 0 : state.memoryBytes();
}

/** The kernel of that name; an ERR_STATE error for 'wasm' where it cannot run. */
export function gemmKernel(name: GemmKernelName): GemmKernel {
  if (name === 'ts') return gemmTypeScript;
  const state = wasmState();
  if ('unavailable' in state) {
    throw new MaskgradError(`gemm: the WebAssembly kernel cannot run: ${state.unavailable}`, {
      code: 'ERR_STATE',
    });
  }
  return state.gemm;
}

let active: GemmKernel | null = null;
let activeName: GemmKernelName = 'ts';

/**
 * Makes `gemm` run the named kernel ('auto': WebAssembly if it can run, else TypeScript)
 * and returns the name of the one now in use. For specs and benchmarks.
 */
export function useGemmKernel(name: GemmKernelName | 'auto'): GemmKernelName {
  if (name !== 'wasm' && name !== 'ts' && name !== 'auto') {
    throw new MaskgradError(
      `useGemmKernel: expects 'wasm', 'ts' or 'auto', got ${describeValue(name)}`,
    );
  }
  const chosen: GemmKernelName =
    name === 'auto' ? (wasmGemmUnavailable() === null ? 'wasm' : 'ts') : name;
  active = gemmKernel(chosen);
  activeName = chosen;
  return chosen;
}

/** The name of the kernel `gemm` runs (choosing it from MASKGRAD_KERNEL if not yet done). */
export function activeGemmKernel(): GemmKernelName {
  if (active === null) chooseFromEnvironment();
  return activeName;
}

/**
 * MASKGRAD_KERNEL, where there is a `process` whose environment may be read: not in a
 * browser, nor in Deno without --allow-env (where reading it throws NotCapable).
 */
function environmentSetting(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  try {
    return proc?.env?.MASKGRAD_KERNEL;
  } catch {
    return undefined;
  }
}

function chooseFromEnvironment(): GemmKernel {
  const setting = environmentSetting();
  if (setting === undefined || setting === '' || setting === 'auto') useGemmKernel('auto');
  else if (setting === 'ts') useGemmKernel('ts');
  else if (setting === 'wasm') {
    const reason = wasmGemmUnavailable();
    if (reason !== null) {
      throw new MaskgradError(
        `gemm: MASKGRAD_KERNEL=wasm asks for the WebAssembly kernel, which cannot run: ${reason}`,
        { code: 'ERR_STATE' },
      );
    }
    useGemmKernel('wasm');
  } else {
    throw new MaskgradError(
      `gemm: the environment variable MASKGRAD_KERNEL must be 'wasm', 'ts' or 'auto', ` +
        `got ${describeValue(setting)}`,
    );
  }
  return active!;
}

/**
 * C[cOff..] += op(A[aOff..]) op(B[bOff..]) with the active kernel (see `GemmKernel`):
 * the function every op calls.
 */
export const gemm: GemmKernel = (transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, cIsZero) => {
  (active ?? chooseFromEnvironment())(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, cIsZero);
};

/**
 * relu's WebAssembly array kernels while the WebAssembly gemm is in use, else null (the op
 * then runs its formulas' loops, which give the same bits).
 */
export function reluKernels(): ReluKernels | null {
  if (active === null) chooseFromEnvironment();
  return activeName === 'wasm' ? (wasmState() as WasmKernels).relu : null;
}
