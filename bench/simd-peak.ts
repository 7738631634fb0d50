// The machine's peak for the arithmetic the WebAssembly gemm does: f64x2 multiplies and
// f64x2 adds, separately rounded (no FMA), from Node's WebAssembly. The loop keeps six
// independent multiply chains and six independent add chains busy (12 of the 15 vector
// registers V8 allocates; the chains are independent, so the loop is bound by how many
// multiplies and adds the core issues per cycle, not by their latency). Nothing in it can
// be hoisted or folded: each chain depends on its own previous value. The multiplier is
// 1 and the addend 2^-60, so every value stays a normal number (no subnormal slow path).
// Each iteration is 6 x 2 multiplies and 6 x 2 adds: 24 flops, counted as gemm counts
// them (2 m n k for m n k multiply-adds).
import wabt from 'wabt';

// The little of the WebAssembly JS API used here (lib.dom is not in this project's types).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

function peakWat(): string {
  const chains = [0, 1, 2, 3, 4, 5];
  const locals = chains.map((i) => `(local $x${i} v128) (local $y${i} v128)`).join(' ');
  const body = chains
    .map(
      (i) =>
        `(local.set $x${i} (f64x2.mul (local.get $x${i}) (local.get $m)))` +
        `(local.set $y${i} (f64x2.add (local.get $y${i}) (local.get $d)))`,
    )
    .join('\n');
  const sum = chains.reduce(
    (acc, i) =>
      `(f64.add (f64.add ${acc} (f64x2.extract_lane 0 (local.get $x${i}))) (f64x2.extract_lane 1 (local.get $y${i})))`,
    '(f64.const 0)',
  );
  return `(module
  (memory (export "memory") 1)
  (func (export "peak") (param $n i32) (result f64)
    (local $m v128) (local $d v128) ${locals}
    ;; The multiplier and addend come from memory, so the compiler cannot fold them.
    (local.set $m (v128.load (i32.const 0)))
    (local.set $d (v128.load (i32.const 16)))
    ${chains.map((i) => `(local.set $x${i} (local.get $m)) (local.set $y${i} (local.get $m))`).join(' ')}
    (loop $l
      ${body}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    ${sum}))`;
}

/** Compiles WebAssembly text (128-bit SIMD allowed) with wabt and instantiates it: its exports. */
export async function instantiateWat(name: string, text: string): Promise<Record<string, unknown>> {
  const tools = await wabt();
  const parsed = tools.parseWat(name, text, { simd: true });
  let bytes: Uint8Array;
  try {
    parsed.validate();
    bytes = parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  return new api.Instance(new api.Module(bytes), {}).exports;
}

/** Reads the peak: GFLOPS over a run of about `ms` milliseconds (`peak.ms`). */
export interface SimdPeak {
  (ms: number): number;
}

/**
 * Compiles the peak loop once and returns a reader of it: each call runs the loop for
 * about `ms` milliseconds and returns the GFLOPS of that run. The loop is warmed up here,
 * so that V8 has compiled it with its optimizing tier before the first reading. Short
 * readings (10-20 ms) can be interleaved with the runs of a kernel, so that a kernel's
 * share of the peak compares two speeds measured at the same moment: on a shared host the
 * core's speed changes by up to 2x from one minute to the next.
 */
export async function createSimdPeak(): Promise<SimdPeak> {
  const exports = await instantiateWat('simd-peak.wat', peakWat());
  const memory = exports.memory as { buffer: ArrayBuffer };
  const heap = new Float64Array(memory.buffer);
  heap.set([1, 1, 2 ** -60, 2 ** -60]);
  const peak = exports.peak as (n: number) => number;
  peak(1000); // runs in the baseline tier; later calls get the optimized code
  peak(1_000_000);
  // Iterations per millisecond, from the last run: the next run is sized from it.
  let perMs = 1_000_000 / 100;
  return (ms: number) => {
    const iterations = Math.max(10_000, Math.min(2 ** 30, Math.round(perMs * ms)));
    const start = performance.now();
    peak(iterations);
    const elapsed = performance.now() - start;
    perMs = iterations / Math.max(elapsed, 1e-3);
    return (24 * iterations) / (elapsed * 1e6);
  };
}

/**
 * GFLOPS of separately rounded f64x2 multiplies and adds on one core: the best of `reps`
 * timed runs of about `ms` milliseconds each.
 */
export async function measureSimdPeak(ms = 150, reps = 5): Promise<number> {
  const read = await createSimdPeak();
  read(ms); // sizes the runs
  let best = 0;
  for (let r = 0; r < reps; r++) best = Math.max(best, read(ms));
  return best;
}
