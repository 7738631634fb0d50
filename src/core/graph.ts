import { MaskgradError } from './errors';
import { describeValue } from './describe-value';
import { formatShape } from './shape';
import { Tensor } from './tensor';

/**
 * The computation graph below `root` as Graphviz DOT text: one box per op (its name
 * and output shape), one ellipse per leaf tensor. Render with `dot -Tsvg`.
 * Iterative, like backward, so deep graphs are fine.
 */
export function toDot(root: Tensor, options: { name?: string } = {}): string {
  if (!(root instanceof Tensor)) {
    throw new MaskgradError(
      `toDot: expected the Tensor whose graph to draw, got ${describeValue(root)}`,
    );
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new MaskgradError(
      `toDot: options must be an object ({ name?: string }), got ${describeValue(options)}`,
    );
  }
  if (options.name !== undefined && typeof options.name !== 'string') {
    throw new MaskgradError(
      `toDot: options.name must be a string (the graph's name), got ${describeValue(options.name)}`,
    );
  }
  const ids = new Map<Tensor, string>();
  const lines: string[] = [
    `digraph ${JSON.stringify(options.name ?? 'maskgrad')} {`,
    '  rankdir=LR;',
  ];
  const idOf = (t: Tensor): string => {
    let id = ids.get(t);
    if (id === undefined) {
      id = `t${ids.size}`;
      ids.set(t, id);
    }
    return id;
  };
  const stack: Tensor[] = [root];
  const seen = new Set<Tensor>([root]);
  while (stack.length > 0) {
    const t = stack.pop()!;
    const id = idOf(t);
    const shape = formatShape(t.shape);
    if (t.node) {
      lines.push(`  ${id} [shape=box, label=${JSON.stringify(`${t.node.op}\n${shape}`)}];`);
      for (const input of t.node.inputs) {
        lines.push(`  ${idOf(input)} -> ${id};`);
        if (!seen.has(input)) {
          seen.add(input);
          stack.push(input);
        }
      }
    } else {
      const kind = t.requiresGrad ? 'parameter' : 'constant';
      lines.push(`  ${id} [shape=ellipse, label=${JSON.stringify(`${kind}\n${shape}`)}];`);
    }
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
