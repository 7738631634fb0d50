import type { Random } from '../../src/core/random';

/** Well-formed files to mutate: random ARFF and CSV data sets and saved models. */

const pick = <T>(rng: Random, items: readonly T[]): T => items[rng.int(items.length)];

/** A number written one of the ways the readers accept. */
function numberText(rng: Random): string {
  const v = rng.normal(0, 10);
  switch (rng.int(7)) {
    case 0:
      return String(Math.round(v));
    case 1:
      return v.toExponential(rng.int(6));
    case 2:
      return v.toFixed(rng.int(4));
    case 3:
      return (v < 0 ? '-' : '') + '.' + String(rng.int(1000));
    case 4:
      return '+' + Math.abs(v).toPrecision(3);
    case 5:
      return String(rng.int(10)) + '.';
    default:
      return String(v);
  }
}

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789_-.é€ß';

function nameText(rng: Random, taken: Set<string>): string {
  for (;;) {
    let name = pick(rng, NAME_CHARS.slice(0, 26).split(''));
    const length = rng.int(6);
    for (let i = 0; i < length; i++) name += pick(rng, NAME_CHARS.split(''));
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** A random ARFF file: numeric and nominal attributes, some labels, dense (and sometimes sparse) rows. */
export function arffFile(rng: Random): string {
  const taken = new Set<string>();
  const lines: string[] = [];
  if (rng.uniform() < 0.3) lines.push('% a comment');
  lines.push(`@relation ${nameText(rng, taken)}`);
  const kinds: ('numeric' | 'words' | 'label')[] = [];
  const columns = 1 + rng.int(6);
  for (let c = 0; c < columns; c++) {
    const kind = c >= columns - 2 ? 'label' : rng.uniform() < 0.2 ? 'words' : 'numeric';
    kinds.push(kind);
    const name = nameText(rng, taken);
    const keyword = rng.uniform() < 0.2 ? '@ATTRIBUTE' : '@attribute';
    const type =
      kind === 'label'
        ? pick(rng, ['{0,1}', '{ 0 , 1 }', 'numeric'])
        : kind === 'words'
          ? '{red,green,blue}'
          : pick(rng, ['numeric', 'REAL', 'integer']);
    lines.push(`${keyword} ${name} ${type}`);
    if (rng.uniform() < 0.1) lines.push('');
  }
  lines.push(rng.uniform() < 0.2 ? '@DATA' : '@data');
  const rows = 1 + rng.int(6);
  for (let r = 0; r < rows; r++) {
    const values = kinds.map((kind) => {
      if (rng.uniform() < 0.1) return '?';
      if (kind === 'label') return pick(rng, ['0', '1']);
      if (kind === 'words') return pick(rng, ['red', 'green', 'blue']);
      return numberText(rng);
    });
    if (rng.uniform() < 0.1) {
      const entries = values.map((v, c) => `${c} ${v}`).filter((_, c) => rng.uniform() < 0.5);
      lines.push(`{${entries.join(', ')}}`);
    } else {
      lines.push(values.join(rng.uniform() < 0.2 ? ' , ' : ','));
    }
  }
  return lines.join(rng.uniform() < 0.2 ? '\r\n' : '\n') + (rng.uniform() < 0.8 ? '\n' : '');
}

/** A random CSV file with a header; the last `labels` columns hold 0, 1 or an unknown mark. */
export function csvFile(rng: Random, labels: number): string {
  const taken = new Set<string>();
  const features = 1 + rng.int(3);
  const names: string[] = [];
  for (let c = 0; c < features + labels; c++) names.push(nameText(rng, taken));
  const lines = [names.join(',')];
  const rows = 1 + rng.int(6);
  for (let r = 0; r < rows; r++) {
    const fields: string[] = [];
    for (let c = 0; c < features; c++) fields.push(numberText(rng));
    for (let c = 0; c < labels; c++)
      fields.push(pick(rng, ['0', '1', '1', '0', '', '?', 'NaN', '-1']));
    lines.push(fields.join(','));
    if (rng.uniform() < 0.1) lines.push('');
  }
  if (rng.uniform() < 0.1) lines[1] = lines[1].replace(/^[^,]*/, (f) => `"${f}"`);
  return lines.join(rng.uniform() < 0.2 ? '\r\n' : '\n') + (rng.uniform() < 0.8 ? '\n' : '');
}
