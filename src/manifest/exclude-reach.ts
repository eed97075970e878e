/**
 * Whether an exclude glob can match a name under one of a replication's paths, judged by the glob's
 * literal start (before the first `*`): for a path `p` with `dir` = `p/` (`/` for the root), the literal
 * starts with `dir`, is the start of `dir`, or is `p` itself. Built once per replication and asked once
 * per glob, in O(levels + log paths) each, where trying every path for every glob was O(paths × globs).
 */
export function excludeReach(paths: readonly string[]): (glob: string) => boolean {
  const known = new Set(paths);
  const dirs = paths.map((p) => (p === '/' ? '/' : `${p}/`)).sort();
  return (glob) => {
    const literal = glob.split('*')[0] ?? '';
    if (known.has(literal)) return true;
    // A dir that starts the literal ends at one of the literal's slashes: `p` is the text before it, or
    // the root, whose dir is the first '/'.
    for (let i = literal.indexOf('/'); i !== -1; i = literal.indexOf('/', i + 1)) {
      if (known.has(literal.slice(0, i)) || (i === 0 && known.has('/'))) return true;
    }
    // The dirs that start with the literal sort right after it.
    const first = lowerBound(dirs, literal);
    return dirs[first]?.startsWith(literal) ?? false;
  };
}

function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? '') < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
