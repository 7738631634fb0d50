// A user's own data set, as issue 20 tried it: 300 training rows and 100 test rows, an `id`
// text column, a `note` text column, six named features (one with raw values near 170), four
// label columns named in the middle of the header with unknowns written in all four encodings
// (empty, `?`, `NaN`, `-1`), and a test file whose columns come in another order. The TSV twins
// hold the same fields. Seeded: the same files on every run.
import { createRandom } from '../../src/core/random';

export const FEATURES = ['height', 'weight', 'age', 'score', 'ratio', 'steps'];
export const LABELS = ['cat', 'dog', 'bird', 'fish'];
const UNKNOWN = ['', '?', 'NaN', '-1'];

export interface UserRow {
  id: string;
  note: string;
  features: number[];
  /** 0, 1, or NaN for unknown. */
  labels: number[];
  /** How each label field is written. */
  labelText: string[];
}

export function userRows(count: number, firstId: number, seed: number): UserRow[] {
  const rng = createRandom(seed);
  const rows: UserRow[] = [];
  for (let r = 0; r < count; r++) {
    const height = 150 + 40 * rng.uniform();
    const weight = 40 + 60 * rng.uniform();
    const age = 10 + 60 * rng.uniform();
    const score = rng.uniform();
    const ratio = weight / height;
    const steps = Math.round(2000 + 10000 * rng.uniform());
    const truth = [height > 170, weight > 70, age > 40, score > 0.5].map((b) => (b ? 1 : 0));
    const labels: number[] = [];
    const labelText: string[] = [];
    truth.forEach((t, c) => {
      if (rng.uniform() < 0.3) {
        labels.push(NaN);
        labelText.push(UNKNOWN[(r + c) % UNKNOWN.length]);
      } else {
        labels.push(t);
        labelText.push(String(t));
      }
    });
    rows.push({
      id: `r${String(firstId + r).padStart(4, '0')}`,
      note: r % 7 === 0 ? '"ok, fine"' : 'fine',
      features: [height, weight, age, score, ratio, steps].map((v) => Number(v.toFixed(4))),
      labels,
      labelText,
    });
  }
  return rows;
}

/** The training file's column order: id, three features, the labels, the rest, a note. */
export const TRAIN_COLUMNS = [
  'id',
  'height',
  'weight',
  'age',
  ...LABELS,
  'score',
  'ratio',
  'steps',
  'note',
];
/** The test file's: shuffled. */
export const TEST_COLUMNS = [
  'note',
  'steps',
  'fish',
  'ratio',
  'id',
  'cat',
  'score',
  'age',
  'dog',
  'weight',
  'bird',
  'height',
];

export function userFile(rows: UserRow[], columns: string[], delimiter: ',' | '\t'): string {
  const field = (row: UserRow, column: string): string => {
    if (column === 'id') return row.id;
    if (column === 'note') return delimiter === ',' ? row.note : row.note.replace(/"/g, '');
    const f = FEATURES.indexOf(column);
    if (f >= 0) return String(row.features[f]);
    return row.labelText[LABELS.indexOf(column)];
  };
  const lines = [
    columns.join(delimiter),
    ...rows.map((row) => columns.map((c) => field(row, c)).join(delimiter)),
  ];
  return lines.join('\n') + '\n';
}
