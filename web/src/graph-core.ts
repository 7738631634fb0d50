// The graph view's expressions: a few presets with editable leaf values, drawn from toDot
// with the data and the gradient of each node added to its label, as micrograd draws them.
// No DOM here.
import {
  add,
  maskedBinaryCrossEntropyWithLogits,
  mul,
  pow,
  relu,
  tanh,
  tensor,
  Tensor,
  toDot,
} from '../../src';

/** Inside a preset: `leaf(name)` is an input, `node(name, t)` names an intermediate result. */
export interface GraphBuilder {
  leaf(name: string): Tensor;
  node(name: string, t: Tensor): Tensor;
}

export interface GraphPreset {
  id: string;
  title: string;
  /** The leaves and their starting values (a number is a scalar, an array a vector). */
  leaves: Record<string, number | number[]>;
  /** Leaves that are data, not parameters: drawn without a gradient. */
  constants?: string[];
  build(g: GraphBuilder): Tensor;
}

export const GRAPH_PRESETS: GraphPreset[] = [
  {
    id: 'neuron',
    title: 'one neuron: o = tanh(x1 w1 + x2 w2 + b)',
    leaves: { x1: 2, w1: -3, x2: 0, w2: 1, b: 6.8813735870195432 },
    build: (g) => {
      const x1w1 = g.node('x1*w1', mul(g.leaf('x1'), g.leaf('w1')));
      const x2w2 = g.node('x2*w2', mul(g.leaf('x2'), g.leaf('w2')));
      const sum = g.node('x1w1+x2w2', add(x1w1, x2w2));
      const n = g.node('n', add(sum, g.leaf('b')));
      return g.node('o', tanh(n));
    },
  },
  {
    id: 'arithmetic',
    title: 'arithmetic: L = relu(a b + b^3) + a',
    leaves: { a: -4, b: 3 },
    build: (g) => {
      const a = g.leaf('a');
      const b = g.leaf('b');
      const ab = g.node('a*b', mul(a, b));
      const b3 = g.node('b^3', pow(b, 3));
      const e = g.node('ab+b^3', add(ab, b3));
      const r = g.node('relu', relu(e));
      return g.node('L', add(r, a));
    },
  },
  {
    id: 'masked-loss',
    title: 'masked loss: logits z, targets y, mask m (the middle label unknown)',
    leaves: { z: [2, -1, 0.5], y: [1, 0, 0], m: [1, 0, 1] },
    constants: ['y', 'm'],
    build: (g) =>
      g.node('loss', maskedBinaryCrossEntropyWithLogits(g.leaf('z'), g.leaf('y'), g.leaf('m'))),
  },
];

export interface GraphNodeInfo {
  /** The DOT id toDot gave the node (t0, t1, ...). */
  id: string;
  name: string;
  op: string | null;
  data: number[];
  /** d(output)/d(node), or null for a constant. */
  grad: number[] | null;
}

export interface DrawnGraph {
  /** toDot's text, with each node's name, data and gradient added to its label. */
  dot: string;
  nodes: GraphNodeInfo[];
  output: number[];
}

/**
 * Builds the preset with the given leaf values, runs backward, and annotates toDot's graph.
 * The gradient of an intermediate node is found by building the expression again with that
 * node cut off as a leaf (maskgrad keeps gradients of leaves only).
 */
export function drawGraph(
  preset: GraphPreset,
  values: Record<string, number | number[]>,
): DrawnGraph {
  const constants = new Set(preset.constants ?? []);
  const run = (cut: string | null) => {
    const names = new Map<Tensor, string>();
    const leaves = new Map<string, Tensor>();
    let cutLeaf: Tensor | null = null;
    const builder: GraphBuilder = {
      leaf(name) {
        let t = leaves.get(name);
        if (!t) {
          const value = values[name] ?? preset.leaves[name];
          t = tensor(value, { requiresGrad: !constants.has(name) });
          leaves.set(name, t);
          names.set(t, name);
        }
        return t;
      },
      node(name, t) {
        if (name === cut) {
          cutLeaf = tensor(t.data.slice(), { shape: t.shape, requiresGrad: true });
          names.set(cutLeaf, name);
          return cutLeaf;
        }
        names.set(t, name);
        return t;
      },
    };
    const root = preset.build(builder);
    root.backward();
    return { root, names, leaves, cutLeaf: cutLeaf as Tensor | null };
  };
  const main = run(null);
  const ids = dotIds(main.root);
  const nodes: GraphNodeInfo[] = [];
  for (const [id, t] of ids) {
    const name = main.names.get(t) ?? '';
    let grad: number[] | null = null;
    if (t === main.root) grad = Array.from({ length: t.data.length }, () => 1);
    else if (t.node === null) grad = t.requiresGrad && t.grad ? Array.from(t.grad.data) : null;
    else if (name !== '') {
      const cut = run(name).cutLeaf;
      grad = cut?.grad ? Array.from(cut.grad.data) : null;
    }
    nodes.push({ id, name, op: t.node ? t.node.op : null, data: Array.from(t.data), grad });
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const dot = toDot(main.root).replace(
    /^(\s*)(t\d+) \[(.*)label=("(?:[^"\\]|\\.)*")\];$/gm,
    (line, indent: string, id: string, attrs: string, label: string) => {
      const info = byId.get(id);
      if (!info) return line;
      const text = JSON.parse(label) as string;
      const extra =
        `${info.name ? `${info.name}\n` : ''}${text}\ndata ${formatValues(info.data)}` +
        (info.grad ? `\ngrad ${formatValues(info.grad)}` : '');
      return `${indent}${id} [${attrs}label=${JSON.stringify(extra)}];`;
    },
  );
  return { dot, nodes, output: Array.from(main.root.data) };
}

/** The tensors of toDot's graph by the ids toDot gives them (the same walk, the same order). */
export function dotIds(root: Tensor): Map<string, Tensor> {
  const ids = new Map<Tensor, string>();
  const idOf = (t: Tensor) => {
    if (!ids.has(t)) ids.set(t, `t${ids.size}`);
  };
  const stack = [root];
  const seen = new Set([root]);
  while (stack.length > 0) {
    const t = stack.pop()!;
    idOf(t);
    if (t.node) {
      for (const input of t.node.inputs) {
        idOf(input);
        if (!seen.has(input)) {
          seen.add(input);
          stack.push(input);
        }
      }
    }
  }
  return new Map([...ids].map(([t, id]) => [id, t]));
}

function formatValues(values: number[]): string {
  const one = (v: number) => (Object.is(v, 0) ? '0' : Number(v.toPrecision(4)).toString());
  return values.length === 1 ? one(values[0]) : `[${values.map(one).join(', ')}]`;
}
