// A two-feature multi-label toy set whose decision regions can be drawn as pictures.
import { createRandom, tensor, type MultiLabelDataset } from '../../src';

/** The toy labels as functions of the point (x1, x2) in [-1, 1]^2. */
export const TOY_LABELS: { name: string; test: (x1: number, x2: number) => boolean }[] = [
  { name: 'disc', test: (x1, x2) => x1 * x1 + x2 * x2 < 0.4 },
  { name: 'upper-left', test: (x1, x2) => x2 > x1 + 0.2 },
  { name: 'ring', test: (x1, x2) => Math.abs(Math.hypot(x1 - 0.35, x2 + 0.35) - 0.45) < 0.17 },
  { name: 'right', test: (x1) => x1 > 0.3 },
];

/** `rows` points drawn uniformly from [-1, 1]^2 (seeded), each with all four labels known. */
export function toyDataset(rows = 600, seed: number | string = 'toy'): MultiLabelDataset {
  const rng = createRandom(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const x1 = rng.uniform(-1, 1);
    const x2 = rng.uniform(-1, 1);
    x.push([x1, x2]);
    y.push(TOY_LABELS.map((label) => (label.test(x1, x2) ? 1 : 0)));
  }
  return {
    x: tensor(x),
    y: tensor(y),
    mask: tensor(y.map((row) => row.map(() => 1))),
    featureNames: ['x1', 'x2'],
    labelNames: TOY_LABELS.map((label) => label.name),
  };
}
