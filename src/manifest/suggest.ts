import { q } from './quote.js';

/**
 * Levenshtein distance (insertions, deletions, substitutions) that also counts swapping two adjacent
 * characters as one edit, the commonest typo ('skpi' for 'skip'); the optimal-string-alignment variant.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      }
      current[j] = best;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `maxDeletes`, `max_deletes` and `Max-Deletes` are all the same intent as `max-deletes`. */
function normalize(word: string): string {
  return word.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate nearest to `word`, or undefined when none is close enough to be a plausible typo.
 * Case and separators are ignored first, so camelCase and snake_case spellings of kebab-case keys are found.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const wanted = normalize(word);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = levenshtein(wanted, normalize(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  // A third of the word, at least one edit: 'destinaton' → 'destinations' (2), but 'foo' ↛ 'tags'.
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const hit = suggest(word, candidates);
  return hit === undefined ? '' : ` — did you mean ${q(hit)}?`;
}
