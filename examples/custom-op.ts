// Adding an op to maskgrad, outside src/: swish(x) = x * sigmoid(x) as a primitive with
// a hand-written derivative, in one call, then gradient-checked and used like any built-in.
//
//   npx ts-node examples/custom-op.ts
//
// defineElementwise takes the math for one element; for an op that is not elementwise,
// defineOp takes a forward and a backward over whole arrays (see src/ops/ for both).
import { defineElementwise, gradcheck, randn, registeredOps, sigmoid, tensor } from '../src';
import type { OpMethod } from '../src';

const sigmoidOf = (x: number) => 1 / (1 + Math.exp(-x));

// 1. The op: its math, its derivative, its kind, its Tensor method and the samples on
//    which the gradient check (and the property suites, by its kind) run it.
export const swish = defineElementwise({
  name: 'swish',
  kind: 'unary',
  method: 'swish',
  forward: (x) => x * sigmoidOf(x),
  // d swish / dx = s + x s (1 - s) = s (1 + x (1 - s)), with s = sigmoid(x).
  backward: [(g, x) => g * (sigmoidOf(x) * (1 + x * (1 - sigmoidOf(x))))],
  samples: [{ inputs: [[2, 3]] }, { inputs: [{ shape: [4], values: [-3, -0.5, 0.5, 3] }] }],
});

// 2. The type of the method `x.swish()`, by declaration merging.
declare module '../src/core/tensor' {
  interface Tensor {
    swish: OpMethod<typeof swish>;
  }
}

// 3. Check the derivative against finite differences, as the spec suite does for every op.
const x = randn([3, 4], { seed: 1, requiresGrad: true });
gradcheck(swish, [x]);
console.log('gradcheck passed for swish on a [3,4] input');
const registered = registeredOps().find((op) => op.name === 'swish')!;
console.log(
  `swish is registered as a ${registered.kind} op with ${registered.samples.length} gradient-check samples`,
);

// 4. Use it: forward, backward, and a comparison with the composite x * sigmoid(x).
const v = tensor([-2, 0, 2], { requiresGrad: true });
const y = v.swish();
y.sum().backward();
const w = tensor([-2, 0, 2], { requiresGrad: true });
w.mul(sigmoid(w)).sum().backward();
console.log(`swish([-2, 0, 2])          = ${y.toString()}`);
console.log(`d/dx sum(swish(x))         = ${v.grad!.toString()}`);
console.log(`same, from x * sigmoid(x)  = ${w.grad!.toString()}`);
