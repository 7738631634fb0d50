import * as ops from '../../src/ops';
import '../../src/losses';
import { registeredOps, type RegisteredOp } from '../../src/ops';

/**
 * How the property suites use each registered op. An op defined under src/ops/ and
 * exported from it must appear here, so a new op is either drawn by the properties or
 * left out with a stated reason (the registry spec still gradient-checks its samples).
 */
export const OP_KINDS: Record<string, { kind: OpKind; reason?: string }> = {
  add: { kind: 'binary' },
  sub: { kind: 'binary' },
  mul: { kind: 'binary' },
  div: { kind: 'binary' },
  maximum: { kind: 'binary' },
  minimum: { kind: 'binary' },
  where: { kind: 'where' },
  neg: { kind: 'unary' },
  exp: { kind: 'unary' },
  log: { kind: 'unary' },
  log1p: { kind: 'unary' },
  sqrt: { kind: 'unary' },
  abs: { kind: 'unary' },
  clamp: { kind: 'unary' },
  pow: { kind: 'unary' },
  relu: { kind: 'unary' },
  sigmoid: { kind: 'unary' },
  tanh: { kind: 'unary' },
  softplus: { kind: 'unary' },
  sum: { kind: 'reduction' },
  max: { kind: 'reduction' },
  mean: { kind: 'reduction' },
  logSumExp: { kind: 'reduction' },
  reshape: { kind: 'excluded', reason: 'rearranges values: the round-trip property covers it' },
  permute: { kind: 'excluded', reason: 'rearranges values: the round-trip property covers it' },
  transpose: { kind: 'excluded', reason: 'rearranges values: the round-trip property covers it' },
  broadcastTo: { kind: 'excluded', reason: 'binary ops broadcast in every random graph' },
  take: { kind: 'excluded', reason: 'needs integer indices; its samples cover repeats' },
  concat: { kind: 'excluded', reason: 'changes shapes by axis; its samples cover it' },
  matmul: { kind: 'excluded', reason: 'not elementwise; its samples cover transposes and batches' },
  linear: { kind: 'excluded', reason: 'the fused layer op, not elementwise; its samples cover it' },
};

export type OpKind = 'binary' | 'where' | 'unary' | 'reduction' | 'excluded';

/** The registered op called `name` (the properties run ops through the registry). */
export function registeredOp(name: string): RegisteredOp {
  const op = registeredOps().find((o) => o.name === name);
  if (!op) throw new Error(`no op named '${name}' is registered`);
  return op;
}

/** Names of registered ops that src/ops exports a function for but OP_KINDS does not list. */
export function unclassifiedOps(): string[] {
  const exported = new Set(Object.keys(ops));
  return registeredOps()
    .map((o) => o.name)
    .filter((name) => exported.has(name) && !(name in OP_KINDS));
}

/** The names of the ops of one kind, each checked to be registered. */
export function opsOfKind(kind: OpKind): string[] {
  const names = Object.keys(OP_KINDS).filter((name) => OP_KINDS[name].kind === kind);
  for (const name of names) registeredOp(name);
  return names;
}
