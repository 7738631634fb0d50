// The graph view, in its own script (graph-view-script.ts, with Graphviz): loaded only when the view is opened.
import { instance } from '@viz-js/viz';
import { drawGraph, GRAPH_PRESETS, type GraphPreset } from './graph-core';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export async function openGraphView(): Promise<void> {
  const viz = await instance();
  const select = $<HTMLSelectElement>('graph-preset');
  const leavesBox = $<HTMLDivElement>('graph-leaves');
  const output = $<HTMLDivElement>('graph-output');
  select.replaceChildren(
    ...GRAPH_PRESETS.map((p) => {
      const option = document.createElement('option');
      option.value = p.id;
      option.textContent = p.title;
      return option;
    }),
  );
  const note = document.createElement('p');
  note.className = 'graph-note';
  note.setAttribute('role', 'alert');
  output.before(note);
  const values: Record<string, Record<string, number | number[]>> = {};

  const render = (preset: GraphPreset) => {
    try {
      const drawn = drawGraph(preset, values[preset.id]);
      const svg = viz.renderSVGElement(drawn.dot);
      // Scale with the page: the viewBox keeps the proportions.
      svg.removeAttribute('width');
      svg.removeAttribute('height');
      svg.setAttribute('role', 'img');
      svg.setAttribute(
        'aria-label',
        `Computation graph of ${preset.title}; output ${drawn.output.map((v) => v.toPrecision(4)).join(', ')}`,
      );
      output.replaceChildren(svg);
    } catch (error) {
      output.textContent = `Could not draw this expression: ${(error as Error).message}`;
    }
  };

  const showPreset = () => {
    const preset = GRAPH_PRESETS.find((p) => p.id === select.value) ?? GRAPH_PRESETS[0];
    values[preset.id] ??= { ...preset.leaves };
    leavesBox.replaceChildren(
      ...Object.entries(values[preset.id]).map(([name, value]) => {
        const field = document.createElement('div');
        field.className = 'field';
        const id = `graph-leaf-${name}`;
        const label = document.createElement('label');
        label.htmlFor = id;
        label.textContent = Array.isArray(value) ? `${name} (comma-separated)` : name;
        const input = document.createElement('input');
        input.id = id;
        input.type = 'text';
        input.value = Array.isArray(value) ? value.join(', ') : String(value);
        input.addEventListener('change', () => {
          const parts = input.value.split(',').map((s) => Number(s.trim()));
          const expected = Array.isArray(preset.leaves[name])
            ? (preset.leaves[name] as number[]).length
            : 1;
          if (parts.length !== expected || parts.some((v) => !Number.isFinite(v))) {
            input.setAttribute('aria-invalid', 'true');
            note.textContent = `${name}: expected ${expected} number${expected > 1 ? 's' : ''}, got "${input.value}"`;
            return;
          }
          input.removeAttribute('aria-invalid');
          note.textContent = '';
          values[preset.id][name] = Array.isArray(value) ? parts : parts[0];
          render(preset);
        });
        field.append(label, input);
        return field;
      }),
    );
    render(preset);
  };
  select.addEventListener('change', showPreset);
  showPreset();
}
