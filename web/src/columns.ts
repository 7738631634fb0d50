// The label columns of a file of your own: what the page's column picker may send to the
// worker. No DOM here: the Node specs use it too.
import type { DetectedColumns } from '../../src';

const quote = (name: string) => JSON.stringify(name);

/**
 * What is wrong with taking `labels` as the label columns (every other column a feature) of
 * a file whose columns are `detected`, as a sentence naming the field to change; null when
 * parseCsv will read the file so.
 */
export function labelChoiceProblem(
  detected: DetectedColumns,
  labels: readonly string[],
): string | null {
  const field = 'Pick the label columns';
  if (labels.length === 0) {
    return `${field}: none is ticked; tick the columns that hold 0, 1 or unknown (empty, ?, NaN, -1).`;
  }
  for (const name of labels) {
    const c = detected.columns.indexOf(name);
    const bad = detected.firstNonLabel[c];
    if (bad) {
      return `${field}: ${quote(name)} has a value that is not 0, 1 or unknown (line ${bad.line}: ${quote(bad.value)}); untick it.`;
    }
  }
  if (labels.length === detected.columns.length) {
    return `${field}: every column is ticked; leave at least one feature column unticked.`;
  }
  for (let c = 0; c < detected.columns.length; c++) {
    const name = detected.columns[c];
    const bad = detected.firstNonNumber[c];
    if (!labels.includes(name) && bad) {
      return (
        `${field}: ${quote(name)} is not a label, and as a feature it needs numbers ` +
        `(line ${bad.line}: ${quote(bad.value)}); tick it if it holds labels, or remove the column from the file.`
      );
    }
  }
  return null;
}
