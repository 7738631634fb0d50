// "Did you mean": the nearest name of a command's own commands or flags to a misspelt one.
import { editDistance } from '../../core/edit-distance';

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
