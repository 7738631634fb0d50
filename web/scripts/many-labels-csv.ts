// A CSV with many label columns, for web/scripts/measure-frames.ts and the browser spec.

/** A CSV of `rows` rows: `features` numeric columns, then `labels` 0/1/? columns. */
export function manyLabelsCsv(rows: number, features: number, labels: number): string {
  const header = [
    ...Array.from({ length: features }, (_, j) => `x${j}`),
    ...Array.from({ length: labels }, (_, c) => `L${c}`),
  ];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: features }, (_, j) => (((i * (j + 3)) % 17) / 8 - 1).toFixed(3));
    const y = Array.from({ length: labels }, (_, c) =>
      (i + c) % 5 === 0 ? '?' : (i * 7 + c) % 3 === 0 ? 1 : 0,
    );
    lines.push([...x, ...y].join(','));
  }
  return lines.join('\n') + '\n';
}
