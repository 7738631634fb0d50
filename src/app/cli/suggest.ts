// "Did you mean": the nearest name of a command's own commands or flags to a misspelt one.

/**
 * The optimal string alignment distance between `a` and `b`: the fewest insertions,
 * deletions, substitutions and swaps of two neighbouring characters that turn one into the
 * other ('trian' to 'train' is 1, 'epoch' to 'epochs' is 1).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        d[(i - 1) * cols + j] + 1,
        d[i * cols + j - 1] + 1,
        d[(i - 1) * cols + j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1];
}

/**
 * The name of `names` that `word` most likely misspells, or undefined when none is close: a
 * name within an edit distance of a third of the word's length (at least 1, at most 3), or one
 * that the word begins (`out` for `output`). The nearest wins; of equals, the first in `names`.
 */
export function closestName(word: string, names: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const distance = editDistance(typed, name.toLowerCase());
    const close = distance <= limit || (typed.length >= 2 && name.toLowerCase().startsWith(typed));
    if (close && name !== word && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}
