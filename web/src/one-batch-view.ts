// The "one batch" view: examples/masked-gradients.ts, one stage at a time.
import { drawGradient } from './draw';
import {
  oneBatch,
  oneBatchStepTable,
  ONE_BATCH_CLASSES,
  type OneBatchStage,
} from '../../examples/one-batch';

function table(head: string[], rows: string[][], caption: string): HTMLTableElement {
  const t = document.createElement('table');
  const c = document.createElement('caption');
  c.textContent = caption;
  t.append(c);
  const tr = document.createElement('tr');
  for (const h of head) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    tr.append(th);
  }
  t.append(tr);
  for (const row of rows) {
    const r = document.createElement('tr');
    for (const cell of row) {
      const td = document.createElement('td');
      td.textContent = cell;
      r.append(td);
    }
    t.append(r);
  }
  return t;
}

function step(title: string, text: string, ...content: HTMLElement[]): HTMLElement {
  const li = document.createElement('li');
  const h = document.createElement('h3');
  h.textContent = title;
  const p = document.createElement('p');
  p.textContent = text;
  li.append(h, p, ...content);
  return li;
}

function gradCanvas(stage: OneBatchStage, label: string): HTMLElement {
  const figure = document.createElement('figure');
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `Output-layer weight gradient, ${label}`);
  const flat = Float64Array.from(stage.gradWeight.flat());
  let scale = 0;
  for (const g of flat) scale = Math.max(scale, Math.abs(g));
  drawGradient(
    canvas,
    flat,
    ONE_BATCH_CLASSES,
    stage.gradWeight[0].length,
    stage.gradWeight.map((_, c) => `class ${c}`),
    scale || 1,
  );
  const caption = document.createElement('figcaption');
  caption.textContent = label;
  figure.append(canvas, caption);
  return figure;
}

export function renderOneBatch(root: HTMLElement): void {
  const run = oneBatch();
  const stepTable = oneBatchStepTable(run);
  const classes = Array.from({ length: ONE_BATCH_CLASSES }, (_, c) => `class ${c}`);
  const known = classes.map((_, c) => run.mask.reduce((n, row) => n + row[c], 0));
  const list = document.createElement('ol');
  list.className = 'one-batch';
  list.append(
    step(
      '1. The batch',
      'Eight samples with five features (seeded "demo-inputs") and four labels. "?" marks an ' +
        'unknown label: class 2 is unknown for every sample, class 3 for the first four.',
      table(
        ['sample', ...classes],
        run.targets.map((row, i) => [
          String(i),
          ...row.map((y, c) => (run.mask[i][c] === 1 ? String(y) : '?')),
        ]),
        'Targets (? = unknown)',
      ),
    ),
    step(
      '2. Forward',
      'The same MLP 5-16-4 (seed 42) gives these logits. The masked loss averages over the ' +
        `${known.reduce((a, b) => a + b, 0)} known entries only; "unknown = negative" uses all 32, ` +
        'with every ? read as 0.',
      table(
        ['sample', ...classes],
        run.masked.logits.map((row, i) => [String(i), ...row.map((z) => z.toFixed(3))]),
        `Logits; loss: masked ${run.masked.loss.toFixed(4)}, unknown = negative ${run.negative.loss.toFixed(4)}`,
      ),
    ),
    step(
      '3. Backward',
      'The gradient of the loss for each output-layer weight (class x hidden unit). Under the ' +
        'masked loss the row of class 2 is exactly zero (hatched grey): no known label, no gradient.',
      gradCanvas(run.masked, 'masked'),
      gradCanvas(run.negative, 'unknown = negative'),
    ),
    step(
      '4. One SGD step (lr 0.1)',
      "Each class's output row: its gradient norm and its largest change after the step. " +
        'Class 2 stays bit-for-bit the same under the masked loss.',
      table(
        stepTable.header,
        stepTable.rows,
        'Output layer rows after one step (the table examples/masked-gradients.ts prints)',
      ),
    ),
  );
  root.replaceChildren(list);
}
