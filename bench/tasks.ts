// What bench/run.ts asks of a worker process, and the data every library trains on.

/** The seeded data and initial weights every library starts the MLP benchmark from. */
export interface Fixture {
  /** Layer sizes, e.g. [103, 256, 256, 14]. */
  sizes: number[];
  batch: number;
  lr: number;
  /** Inputs [batch, sizes[0]], targets and 0/1 mask [batch, classes], row-major. */
  x: number[];
  y: number[];
  mask: number[];
  /** Per layer, PyTorch's layout: weight [out, in] row-major, bias [out]. */
  layers: { weight: number[]; bias: number[] }[];
}

export type Task =
  | { kind: 'info' }
  /** Loads the fixture and runs `steps` training steps; returns the loss after each. */
  | { kind: 'mlp-check'; fixture: string; steps: number }
  /** Runs `steps` more training steps; returns milliseconds per step. */
  | { kind: 'mlp-time'; steps: number }
  /** C = op(A) op(B) with op(A) [m,k], op(B) [k,n], repeated for at least minMs. */
  | {
      kind: 'matmul';
      m: number;
      n: number;
      k: number;
      transA: boolean;
      transB: boolean;
      minMs: number;
      /**
       * Also read the f64x2 peak (bench/simd-peak.ts) in short runs between slices of the
       * timing, and return the kernel's share of it: the median over the slices of the
       * slice's GFLOPS divided by the mean of the peak readings just before and just after.
       */
      withPeak?: boolean;
    }
  /** The machine's f64x2 multiply + add peak from WebAssembly (bench/simd-peak.ts); GFLOPS. */
  | { kind: 'simd-peak' }
  /** Builds a chain of n elementwise ops on a vector of `size` and backpropagates through it. */
  | { kind: 'chain'; n: number; size: number }
  /** Trains a small MLP for `steps` steps, reading the heap (after gc) at the checkpoints. */
  | { kind: 'heap'; steps: number; checkpoints: number[] }
  /** Trains MLP [103, hidden, hidden, 14] one epoch on `rows` yeast-like rows; seconds. */
  | { kind: 'epoch'; rows: number; hidden: number; batch: number; warmup: number };
