// The columns of a file of your own: the role the page's column picker gives each one, and
// what it sends to the worker. No DOM here: the Node specs use it too.
import type { DetectedColumns } from '../../src';

/**
 * A column's role on the page, parseCsv's options by another name: a label (`labels`), a
 * feature (the rest), the rows' id (`id`), or left out (`ignore`).
 */
export type ColumnRole = 'label' | 'feature' | 'id' | 'ignore';

/** The words the page shows for each role. */
export const ROLE_TITLES: Record<ColumnRole, string> = {
  label: 'label',
  feature: 'feature',
  id: 'id',
  ignore: 'leave out',
};

/** What the page passes to parseCsv for a choice of roles: `labels`, `id` and `ignore`. */
export interface ColumnChoice {
  labels: string[];
  id?: string;
  ignore: string[];
}

const quote = (name: string) => JSON.stringify(name);

/**
 * The roles the page starts with, one per column of `detected`: the suggested labels
 * (`detected.labels`) as label; the first text column as id and any other text column left
 * out; every other column a feature.
 */
export function defaultRoles(detected: DetectedColumns): ColumnRole[] {
  let idGiven = false;
  return detected.columns.map((name, c) => {
    if (detected.labels.includes(name)) return 'label';
    if (detected.kinds[c] !== 'text') return 'feature';
    if (idGiven) return 'ignore';
    idGiven = true;
    return 'id';
  });
}

/** parseCsv's options for `roles` (one per column of `detected`), names in header order. */
export function columnChoice(
  detected: DetectedColumns,
  roles: readonly ColumnRole[],
): ColumnChoice {
  const named = (role: ColumnRole) => detected.columns.filter((_, c) => roles[c] === role);
  const id = named('id');
  return {
    labels: named('label'),
    ...(id.length > 0 ? { id: id[0] } : {}),
    ignore: named('ignore'),
  };
}

/**
 * What is wrong with giving the columns of `detected` the roles `roles`, as a sentence naming
 * the column whose role to change and what to set it to; null when parseCsv will read the
 * file so.
 */
export function roleProblem(
  detected: DetectedColumns,
  roles: readonly ColumnRole[],
): string | null {
  const field = 'Column roles';
  const { columns } = detected;
  if (columns.length === 1) {
    return (
      `${field}: the header line was read as one column (${quote(columns[0])}): it has no comma, ` +
      'tab or semicolon between names; save the file with one of them between the columns.'
    );
  }
  if (!roles.includes('label')) {
    return `${field}: no column is set to label; set the columns that hold 0, 1 or unknown (empty, ?, NaN, -1) to label.`;
  }
  for (let c = 0; c < columns.length; c++) {
    const bad = detected.firstNonLabel[c];
    if (roles[c] === 'label' && bad) {
      return (
        `${field}: ${quote(columns[c])} is set to label but has a value that is not 0, 1 or unknown ` +
        `(line ${bad.line}: ${quote(bad.value)}); set it to feature, id or leave out.`
      );
    }
  }
  for (let c = 0; c < columns.length; c++) {
    const bad = detected.firstNonNumber[c];
    if (roles[c] === 'feature' && bad) {
      const what = detected.kinds[c] === 'text' ? 'is text' : 'has a value that is not a number';
      return (
        `${field}: ${quote(columns[c])} is set to feature but ${what} ` +
        `(line ${bad.line}: ${quote(bad.value)}); set it to id or leave out` +
        `${detected.firstNonLabel[c] ? '' : ', or to label if it holds labels'}.`
      );
    }
  }
  const ids = columns.filter((_, c) => roles[c] === 'id');
  if (ids.length > 1) {
    return (
      `${field}: ${ids.slice(0, -1).map(quote).join(', ')} and ${quote(ids[ids.length - 1])} are set to id; ` +
      'a file has one id column: set the others to leave out.'
    );
  }
  if (!roles.includes('feature')) {
    return `${field}: no column is set to feature; set at least one column of numbers to feature.`;
  }
  return null;
}
