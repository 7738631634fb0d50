// The type of every op's Tensor method, in one place. defineOp installs each method at run
// time (its `method` field); these declarations give it its type: `x.add(y)` is `add(x, y)`.
// An op with a method adds its line here (spec/ops.gradcheck.spec.ts fails naming an op that
// has none). Explicit members, not `interface Tensor extends Record<...>`: in the built .d.ts
// that makes Tensor its own base type (TS2310 for a consumer without skipLibCheck).
import type { relu, sigmoid, softplus, tanh } from './activations';
import type { add, div, mul, sub } from './arithmetic';
import type { maximum, minimum } from './compare';
import type { OpMethod } from './define';
import type { matmul } from './matmul';
import type { pow } from './pow';
import type { logSumExp, max, mean, sum } from './reduce';
import type { broadcastTo, permute, reshape, transpose } from './shape-ops';
import type { take } from './take';
import type { abs, clamp, exp, log, log1p, neg, sqrt } from './unary';
import type { TensorLike } from '../tensor';

declare module '../tensor' {
  interface Tensor {
    add: OpMethod<typeof add>;
    sub: OpMethod<typeof sub>;
    mul: OpMethod<typeof mul>;
    div: OpMethod<typeof div>;
    pow: OpMethod<typeof pow>;
    maximum: OpMethod<typeof maximum>;
    minimum: OpMethod<typeof minimum>;
    /** `a.where(cond, b)` is `where(cond, a, b)`, as in PyTorch. */
    where(cond: TensorLike, other: TensorLike): Tensor;
    neg: OpMethod<typeof neg>;
    exp: OpMethod<typeof exp>;
    log: OpMethod<typeof log>;
    log1p: OpMethod<typeof log1p>;
    sqrt: OpMethod<typeof sqrt>;
    abs: OpMethod<typeof abs>;
    clamp: OpMethod<typeof clamp>;
    relu: OpMethod<typeof relu>;
    sigmoid: OpMethod<typeof sigmoid>;
    tanh: OpMethod<typeof tanh>;
    softplus: OpMethod<typeof softplus>;
    sum: OpMethod<typeof sum>;
    max: OpMethod<typeof max>;
    mean: OpMethod<typeof mean>;
    logSumExp: OpMethod<typeof logSumExp>;
    reshape: OpMethod<typeof reshape>;
    broadcastTo: OpMethod<typeof broadcastTo>;
    permute: OpMethod<typeof permute>;
    transpose: OpMethod<typeof transpose>;
    take: OpMethod<typeof take>;
    matmul: OpMethod<typeof matmul>;
    /** `a.concat([b, c], axis)` is `concat([a, b, c], axis)`. */
    concat(others: Tensor | readonly Tensor[], axis?: number): Tensor;
  }
}
