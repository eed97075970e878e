/**
 * A sorted array of names with binary search. Listings walk it from a cursor, so a page costs
 * O(log N + page) instead of a scan of the whole region (100k-parameter benchmark).
 */
export function lowerBound(names: readonly string[], value: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((names[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose name is strictly greater than `value`. */
export function upperBound(names: readonly string[], value: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((names[mid] as string) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function insertSorted(names: string[], value: string): void {
  // Seeding usually arrives in order; appending keeps that O(1).
  const last = names[names.length - 1];
  if (last === undefined || last < value) {
    names.push(value);
    return;
  }
  const at = lowerBound(names, value);
  if (names[at] !== value) names.splice(at, 0, value);
}

export function removeSorted(names: string[], value: string): void {
  const at = lowerBound(names, value);
  if (names[at] === value) names.splice(at, 1);
}

/** Parameter names are ASCII, so this sorts after every name that starts with the prefix. */
export const PREFIX_END = '\uffff';
