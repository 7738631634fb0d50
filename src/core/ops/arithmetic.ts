import { defineElementwise, passThrough } from './elementwise';

// Elementwise add, sub, mul, div with NumPy broadcasting, each stated for one element
// (defineElementwise broadcasts, loops, and sums each gradient back to its input's shape).

const broadcastSamples = [
  {
    inputs: [
      [2, 3],
      [2, 3],
    ],
  },
  { inputs: [[2, 3], [3]], note: 'row vector broadcast over rows' },
  {
    inputs: [
      [3, 1],
      [1, 4],
    ],
    note: 'both inputs broadcast',
  },
  { inputs: [[2, 3], []], note: 'scalar' },
  { inputs: [[], [2, 3]], note: 'scalar first' },
  {
    inputs: [
      [1, 1],
      [2, 3],
    ],
    note: 'one element of shape [1,1]',
  },
];

/** a + b, elementwise with broadcasting; d/da = 1, d/db = 1. */
export const add = defineElementwise({
  name: 'add',
  kind: 'binary',
  method: 'add',
  forward: (a, b) => a + b,
  backward: [passThrough, passThrough],
  samples: broadcastSamples,
});

/** a - b, elementwise with broadcasting; d/da = 1, d/db = -1. */
export const sub = defineElementwise({
  name: 'sub',
  kind: 'binary',
  method: 'sub',
  forward: (a, b) => a - b,
  backward: [passThrough, (g) => -g],
  samples: broadcastSamples,
});

/** a * b, elementwise with broadcasting; d/da = b, d/db = a. */
export const mul = defineElementwise({
  name: 'mul',
  kind: 'binary',
  method: 'mul',
  forward: (a, b) => a * b,
  backward: [(g, a, b) => g * b, (g, a) => g * a],
  samples: broadcastSamples,
});

/** a / b, elementwise with broadcasting; d/da = 1/b, d/db = -a/b^2. */
export const div = defineElementwise({
  name: 'div',
  kind: 'binary',
  method: 'div',
  forward: (a, b) => a / b,
  backward: [(g, a, b) => g / b, (g, a, b) => (-g * a) / (b * b)],
  samples: [
    { inputs: [[2, 3], { shape: [2, 3], low: 0.5, high: 2 }] },
    { inputs: [[2, 3], { shape: [3], low: 0.5, high: 2 }], note: 'broadcast divisor' },
    { inputs: [[4, 1], { shape: [1, 3], low: -2, high: -0.5 }], note: 'both broadcast' },
    { inputs: [[2, 3], { shape: [], low: 0.5, high: 2 }], note: 'scalar divisor' },
    { inputs: [[], { shape: [2, 3], low: 0.5, high: 2 }], note: 'scalar dividend' },
  ],
});
