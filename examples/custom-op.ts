// Adding an op to maskgrad, outside src/: swish(x) = x * sigmoid(x) as a primitive with
// a hand-written backward, gradient-checked, then used like any built-in op.
//
//   npx ts-node examples/custom-op.ts
import { defineOp, gradcheck, randn, registeredOps, sigmoid, Tensor, tensor } from '../src';

// 1. Forward, backward and gradient-check samples, together in one definition.
const swishOp = defineOp({
  name: 'swish',
  forward([x]) {
    const out = new Float64Array(x.data.length);
    const sig = new Float64Array(x.data.length);
    for (let i = 0; i < out.length; i++) {
      sig[i] = 1 / (1 + Math.exp(-x.data[i]));
      out[i] = x.data[i] * sig[i];
    }
    // `saved` is handed to backward: sigmoid(x) is needed there, so keep it.
    return { data: out, shape: x.shape.slice(), saved: sig };
  },
  // d swish / dx = s + x s (1 - s), with s = sigmoid(x).
  backward(g, { inputs: [x], saved: sig }) {
    const dx = new Float64Array(g.length);
    for (let i = 0; i < g.length; i++) {
      const s = sig[i];
      dx[i] = g[i] * (s + x.data[i] * s * (1 - s));
    }
    return [dx];
  },
  samples: [{ inputs: [[2, 3]] }, { inputs: [{ shape: [4], values: [-3, -0.5, 0.5, 3] }] }],
});

// 2. A function (and, if you like, a method) that users call.
export function swish(x: Tensor): Tensor {
  return swishOp([x], {});
}

// 3. Check the derivative against finite differences, as the spec suite does for every op.
const x = randn([3, 4], { seed: 1, requiresGrad: true });
gradcheck(swish, [x]);
console.log('gradcheck passed for swish on a [3,4] input');

// The same check on the op's own samples, as spec/ops.gradcheck.spec.ts runs it.
const registered = registeredOps().find((op) => op.name === 'swish');
console.log(`swish is registered with ${registered?.samples.length} gradient-check samples`);

// 4. Use it: forward, backward, and a comparison with the composite x * sigmoid(x).
const v = tensor([-2, 0, 2], { requiresGrad: true });
const y = swish(v);
y.sum().backward();
const w = tensor([-2, 0, 2], { requiresGrad: true });
w.mul(sigmoid(w)).sum().backward();
console.log(`swish([-2, 0, 2])          = ${y.toString()}`);
console.log(`d/dx sum(swish(x))         = ${v.grad!.toString()}`);
console.log(`same, from x * sigmoid(x)  = ${w.grad!.toString()}`);
