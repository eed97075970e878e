/**
 * Path-rewrite arithmetic on hierarchy prefixes. A prefix `p` stands for `p` itself and every name below it
 * (`p/…`); `/` stands for everything.
 */

/** `a` is `b` or lies below it. */
export function within(a: string, b: string): boolean {
  return a === b || b === '/' || a.startsWith(`${b}/`);
}

export function overlaps(a: string, b: string): boolean {
  return within(a, b) || within(b, a);
}

/** `/prod/` → `/prod`, keeping `/`. */
export function stripSlash(prefix: string): string {
  const stripped = prefix.replace(/\/+$/, '');
  return stripped === '' ? '/' : stripped;
}

/** How a rewrite relates to one replicated path. */
export type Reach =
  /** Every name below the path starts with `from`: the whole path moves. */
  | 'covers'
  /** `from` lies below the path: part of the path moves, the rest keeps its names. */
  | 'inside'
  /** `from` has no trailing `/` and ends in the middle of one of the path's levels (`/prod/a` of `/prod/app`). */
  | 'cuts'
  /** No name below the path starts with `from`. */
  | 'misses';

export function reach(from: string, path: string): Reach {
  const dir = path === '/' ? '/' : `${path}/`;
  if (from.endsWith('/') ? dir.startsWith(from) : path === from || path.startsWith(`${from}/`))
    return 'covers';
  if (from.startsWith(dir)) return 'inside';
  if (path.startsWith(from)) return 'cuts';
  return 'misses';
}

/** Where names below `path` land, for a rewrite that covers it. */
export function rewritePrefix(path: string, from: string, to: string): string {
  const dir = path === '/' ? '/' : `${path}/`;
  return stripSlash(path.startsWith(from) ? to + path.slice(from.length) : to + dir.slice(from.length));
}
