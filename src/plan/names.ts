import type { Destination, Manifest, Replication } from '../manifest/types.js';

/**
 * A prefix matches itself and everything below it, never a sibling that merely shares characters:
 * `/prod/app` covers `/prod/app` and `/prod/app/db`, not `/prod/apps`. Names are compared exactly as AWS
 * stores them (no normalisation: `prod/app/x` is a different parameter from `/prod/app/x`).
 */
export function underPath(name: string, path: string): boolean {
  if (name === path) return true;
  const prefix = path.endsWith('/') ? path : `${path}/`;
  return name.startsWith(prefix);
}

const globCache = new Map<string, RegExp>();

/** `*` matches within one level, `**` across levels, `?` one character other than `/`. */
export function globToRegExp(glob: string): RegExp {
  const cached = globCache.get(glob);
  if (cached) return cached;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  const re = new RegExp(`^${source}$`);
  globCache.set(glob, re);
  return re;
}

/** True when the replication sends this source name anywhere. */
export function replicates(replication: Replication, sourceName: string): boolean {
  if (!replication.paths.some((p) => underPath(sourceName, p))) return false;
  return !replication.exclude.some((g) => globToRegExp(g).test(sourceName));
}

/** Source name → destination name. Names outside `from` are kept as they are. */
export function rewriteName(destination: Destination, sourceName: string): string {
  const rw = destination.pathRewrite;
  if (!rw || !sourceName.startsWith(rw.from)) return sourceName;
  return rw.to + sourceName.slice(rw.from.length);
}

/** Destination name → the source name it would replicate, or undefined when no source name maps to it. */
export function sourceNameOf(destination: Destination, destName: string): string | undefined {
  const rw = destination.pathRewrite;
  if (!rw) return destName;
  if (destName.startsWith(rw.to)) return rw.from + destName.slice(rw.to.length);
  // A name outside `to` is its own source only if it is also outside `from` (rewriteName kept it).
  return destName.startsWith(rw.from) ? undefined : destName;
}

/** The destination paths a replication's destination covers: its source paths, rewritten. */
export function destinationPaths(replication: Replication, destination: Destination): string[] {
  return replication.paths.map((p) => rewriteName(destination, p));
}

/**
 * A destination target is one (account, region): the region plus the role used to reach it.
 * Several replications may write to the same target; they share one inventory read.
 */
export function targetKey(destination: Pick<Destination, 'region' | 'roleArn'>): string {
  return destination.roleArn ? `${destination.region}|${destination.roleArn}` : destination.region;
}

export interface Target {
  key: string;
  region: string;
  roleArn?: string;
  /** Every (replication, destination) pair writing to this target, in manifest order. */
  routes: Route[];
  /** Path prefixes to read in this target (rewritten source paths, deduplicated, sorted). */
  paths: string[];
}

export interface Route {
  replication: Replication;
  destination: Destination;
}

/** Groups the manifest's destinations into targets: what the inventory reads and the plan reports per region. */
export function targets(manifest: Manifest): Target[] {
  const byKey = new Map<string, Target>();
  for (const replication of manifest.replications) {
    for (const destination of replication.destinations) {
      const key = targetKey(destination);
      let target = byKey.get(key);
      if (!target) {
        target = { key, region: destination.region, routes: [], paths: [] };
        if (destination.roleArn) target.roleArn = destination.roleArn;
        byKey.set(key, target);
      }
      target.routes.push({ replication, destination });
      for (const p of destinationPaths(replication, destination)) {
        if (!target.paths.includes(p)) target.paths.push(p);
      }
    }
  }
  const list = [...byKey.values()];
  for (const t of list) t.paths.sort();
  return list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Every source path the manifest reads, deduplicated and sorted. */
export function sourcePaths(manifest: Manifest): string[] {
  return [...new Set(manifest.replications.flatMap((r) => r.paths))].sort();
}
