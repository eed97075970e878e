/** Where a route writes: a destination prefix in one store (region and account). */
export interface Placed {
  store: string;
  dst: string;
}

/**
 * Every pair of entries in one store whose prefixes overlap (one is `within` the other, see rewrite.ts), as `[x, y]`
 * indices with x < y, ordered as the all-pairs loop `for x, for y > x` would visit them: messages about
 * the pairs are then reported in the order they always were. Overlapping means one prefix encloses the
 * other, so each entry only looks up the entries written exactly at one of its enclosing prefixes:
 * O(n × levels) lookups plus the pairs found, where comparing every entry with every other was O(n²).
 */
export function overlappingPairs(entries: readonly Placed[]): [number, number][] {
  const at = new Map<string, Map<string, number[]>>();
  entries.forEach((entry, x) => {
    const byDst = at.get(entry.store) ?? new Map<string, number[]>();
    at.set(entry.store, byDst);
    const list = byDst.get(entry.dst);
    if (list) list.push(x);
    else byDst.set(entry.dst, [x]);
  });
  const pairs: [number, number][] = [];
  entries.forEach((entry, y) => {
    const byDst = at.get(entry.store);
    for (const prefix of enclosing(entry.dst)) {
      for (const x of byDst?.get(prefix) ?? []) {
        if (x !== y) pairs.push(x < y ? [x, y] : [y, x]);
      }
    }
  });
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // Equal prefixes (and '' with '/', which enclose each other) are found from both ends.
  return pairs.filter((pair, n) => {
    const previous = pairs[n - 1];
    return previous === undefined || previous[0] !== pair[0] || previous[1] !== pair[1];
  });
}

/** Every `b` with `within(dst, b)`: `dst` itself, `/`, and `dst` cut just before each of its `/`. */
function enclosing(dst: string): Set<string> {
  const prefixes = new Set([dst, '/']);
  for (let i = dst.indexOf('/'); i !== -1; i = dst.indexOf('/', i + 1)) prefixes.add(dst.slice(0, i));
  return prefixes;
}
