// npm run bench:micro
//
// Where the wasm gemm's speed goes: its micro-kernel ($micro in wasm/kernels.wat, the 4x4
// tile held by diagonals) on panels that stay in L1, in turns with the f64x2 multiply + add
// peak loop of bench/simd-peak.ts, as V8 compiles it; then the same algorithm compiled by
// gcc (bench/native/micro-kernel.c), when gcc is on the machine. Each prints the median of
// the per-turn shares of the peak read just before and after the kernel ran. The gap
// between the two is the code V8 generates for the loop, not the algorithm.
import { execFileSync, spawnSync } from 'child_process';
import { readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { WAT_PATH } from '../scripts/build-wasm';
import { createSimdPeak, instantiateWat } from './simd-peak';

type Micro = (
  kc: number,
  pa: number,
  pb: number,
  c: number,
  ldc: number,
  rows: number,
  cols: number,
) => void;

const KC = 256;
const TURNS = 40;
const CALLS = 20_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The kernels module with $micro exported, so that it can be called alone. */
async function microOfKernels(): Promise<{ micro: Micro; work: number }> {
  const text = readFileSync(WAT_PATH, 'utf8').replace(
    '(func $micro',
    '(func $micro (export "micro")',
  );
  const exports = await instantiateWat('kernels.wat', text);
  const heap = new Float64Array((exports.memory as { buffer: ArrayBuffer }).buffer);
  // Panels of A at 0 and of B at PB = 262144 bytes, as the gemm packs them.
  for (let i = 0; i < 4 * KC; i++) {
    heap[i] = 1 / (i + 1);
    heap[262144 / 8 + i] = 1 - i * 1e-4;
  }
  // C's 4x4 tile goes where the module's operands start.
  return { micro: exports.micro as Micro, work: (exports.work as { value: number }).value };
}

async function main(): Promise<void> {
  const { micro, work } = await microOfKernels();
  const peak = await createSimdPeak();
  const run = () => {
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) micro(KC, 0, 262144, work, 32, 4, 4);
    return (32 * KC * CALLS) / ((performance.now() - start) * 1e6);
  };
  for (let w = 0; w < 5; w++) run(); // V8's optimizing tier
  peak(15);
  let before = peak(15);
  const shares: number[] = [];
  const speeds: number[] = [];
  for (let t = 0; t < TURNS; t++) {
    const gflops = run();
    const after = peak(15);
    speeds.push(gflops);
    shares.push(gflops / ((before + after) / 2));
    before = after;
  }
  process.stdout.write(
    `wasm 4x4 diagonal micro-kernel (V8), kc = ${KC}, in L1: ${median(speeds).toFixed(1)} GFLOPS ` +
      `(median of ${TURNS}), ${(100 * median(shares)).toFixed(0)}% of the f64x2 peak read around it ` +
      `(median of the per-turn shares)\n`,
  );
  const source = join(__dirname, 'native', 'micro-kernel.c');
  const binary = join(tmpdir(), `maskgrad-micro-kernel-${process.pid}`);
  const gcc = spawnSync('gcc', ['-O2', '-mavx2', '-mno-fma', '-o', binary, source], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (gcc.error || gcc.status !== 0) {
    process.stdout.write(`(the native version needs gcc with AVX2: ${gcc.error ?? gcc.stderr})\n`);
    return;
  }
  process.stdout.write(execFileSync(binary, { encoding: 'utf8' }));
  rmSync(binary, { force: true });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
