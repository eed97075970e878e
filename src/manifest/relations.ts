import type { Findings } from './findings.js';
import { overlappingPairs } from './overlaps.js';
import { bare, listOf, q } from './quote.js';
import type { RawManifest, RawOptions } from './raw.js';
import { reach, rewritePrefix, stripSlash, within } from './rewrite.js';
import { checkNameLimits, checkPrefix, kmsRegion, levels, MAX_LEVELS, roleAccount } from './rules.js';
import type { Destination, Manifest } from './types.js';

/**
 * Checks between values, on the resolved manifest: source versus destinations, duplicates, what path
 * rewrites do, and whether two entries write the same destination names.
 */
export function checkRelations(manifest: Manifest, raw: RawManifest, out: Findings): void {
  const sourceAccount = roleAccount(manifest.source.roleArn);
  const routes: Route[] = [];
  // A key ARN in `defaults` is wrong for every other region; one message per place it is written.
  const misplacedKeys = new Map<string, { keyRegion: string; regions: Set<string> }>();
  manifest.replications.forEach((replication, i) => {
    const firstAt = new Map<string, string>();
    replication.destinations.forEach((destination, j) => {
      const at = `/replications/${i}/destinations/${j}`;
      const rawDestination = raw.replications[i]?.destinations[j] ?? { region: destination.region };
      const origin = (key: keyof RawOptions) =>
        rawDestination[key] === undefined ? `/defaults/${key}` : `${at}/${key}`;
      const account = roleAccount(destination.roleArn);
      if (
        destination.region === manifest.source.region &&
        (account === undefined || account === sourceAccount)
      ) {
        out.error(
          `${at}/region`,
          `destination ${bare(destination.region)} is the source region; replicating onto the source would overwrite it (a copy in another account of the same region needs a role-arn there)`,
        );
      }
      const store = storeOf(destination);
      const first = firstAt.get(store.key);
      if (first !== undefined) {
        out.error(
          `${at}/region`,
          `destination ${bare(store.label)} is listed twice in replication ${q(replication.name)} (first at ${out.line(first)})`,
        );
      } else firstAt.set(store.key, `${at}/region`);
      const keyRegion = destination.kmsKeyId === undefined ? undefined : kmsRegion(destination.kmsKeyId);
      if (keyRegion !== undefined && keyRegion !== destination.region) {
        const pointer = origin('kms-key-id');
        const entry = misplacedKeys.get(pointer) ?? { keyRegion, regions: new Set<string>() };
        misplacedKeys.set(pointer, entry.regions.add(destination.region) && entry);
      }
      if (destination.pathRewrite) checkRewrite(replication.paths, destination, `${at}/path-rewrite`, out);
      routes.push(
        ...routesOf(replication.paths, destination, {
          i,
          j,
          replication: replication.name,
          store: store.key,
        }),
      );
    });
  });
  for (const [pointer, { keyRegion, regions }] of misplacedKeys) {
    const list = listOf([...regions]);
    out.error(
      pointer,
      `kms-key-id is a key in ${bare(keyRegion)} but is used in ${list}; KMS keys are regional, use an alias or a key ARN of each destination region`,
    );
  }
  compareRoutes(routes, out);
  checkWholeRegion(manifest, out);
}

/**
 * A replication of `/` copies every parameter of the source region and, in a destination, puts every
 * replica of that region within reach of its deletes; a path rewritten to `/` does the latter. Both are
 * far more often a slip than a plan, so they need `allow-whole-region`.
 */
function checkWholeRegion(manifest: Manifest, out: Findings): void {
  const optIn = 'set allow-whole-region: true on this replication if that is really meant';
  manifest.replications.forEach((replication, i) => {
    if (replication.allowWholeRegion) return;
    replication.paths.forEach((path, k) => {
      if (path !== '/') return;
      out.error(
        `/replications/${i}/paths/${k}`,
        `path '/' replicates every parameter of ${manifest.source.region} and lets deletes reach every replica in each destination; list the paths to replicate, or ${optIn}`,
      );
    });
    replication.destinations.forEach((destination, j) => {
      const rewrite = destination.pathRewrite;
      if (!rewrite) return;
      const whole = replication.paths.find(
        (path) =>
          reach(rewrite.from, path) === 'covers' && rewritePrefix(path, rewrite.from, rewrite.to) === '/',
      );
      if (whole === undefined || whole === '/') return;
      out.error(
        `/replications/${i}/destinations/${j}/path-rewrite/to`,
        `path-rewrite turns '${whole}' into '/' in ${destination.region}, so deletes there reach every replica of the region; rewrite to a prefix below '/', or ${optIn}`,
      );
    });
  });
}

function storeOf(destination: Destination): { key: string; label: string } {
  const account = roleAccount(destination.roleArn);
  return account === undefined
    ? { key: destination.region, label: destination.region }
    : { key: `${destination.region} ${account}`, label: `${destination.region} (account ${account})` };
}

function checkRewrite(paths: readonly string[], destination: Destination, at: string, out: Findings): void {
  const { from, to } = destination.pathRewrite ?? { from: '', to: '' };
  if (from.endsWith('/') !== to.endsWith('/')) {
    const example = from.endsWith('/') ? `${from}app` : `${from}/app`;
    out.error(
      `${at}/to`,
      `path-rewrite from ${q(from)} and to ${q(to)} must both end with '/' or neither; as written ${q(example)} would become ${q(to + example.slice(from.length))}`,
    );
    return;
  }
  const reaches = paths.map((path) => reach(from, path));
  if (reaches.every((r) => r === 'misses')) {
    out.error(
      `${at}/from`,
      `path-rewrite from ${q(from)} matches none of this replication's paths (${listOf(paths)})`,
    );
  }
  paths.forEach((path, k) => {
    if (reaches[k] === 'cuts') {
      out.error(
        `${at}/from`,
        `path-rewrite from ${q(from)} ends in the middle of a level of path ${q(path)}; rewrite whole levels, e.g. ${q(from.slice(0, from.lastIndexOf('/') + 1))}`,
      );
    } else if (reaches[k] === 'inside' && !from.endsWith('/')) {
      out.error(
        `${at}/from`,
        `path-rewrite from ${q(from)} lies below path ${q(path)} without a trailing '/', so it would also rename ${q(`${from}-other`)}; write ${q(`${from}/`)}`,
      );
    } else if (reaches[k] === 'covers' && checkPrefix(to, 'to', { trailingSlash: true }) === undefined) {
      // A `to` that breaks the rules itself is reported once, by the field checks; this catches what only
      // the combination breaks (length, depth, a `to` of `/` exposing a reserved first level).
      const moved = rewritePrefix(path, from, to);
      const problem = checkNameLimits(moved, 'rewritten path');
      if (problem) out.error(`${at}/to`, `${problem} (path-rewrite of ${q(path)})`);
    }
  });
  const deeper = levels(to) - levels(from);
  if (deeper > 0) {
    out.warning(
      `${at}/to`,
      `path-rewrite adds ${deeper} level(s): source names deeper than ${MAX_LEVELS - deeper} levels cannot be replicated to ${bare(destination.region)}`,
    );
  }
}

/** One source prefix landing on one destination prefix of one store. */
interface Route {
  src: string;
  dst: string;
  store: string;
  replication: string;
  destination: Destination;
  i: number;
  j: number;
  k: number;
  rewritten: boolean;
}

function routesOf(
  paths: readonly string[],
  destination: Destination,
  where: { i: number; j: number; replication: string; store: string },
): Route[] {
  const rewrite = destination.pathRewrite;
  return paths.flatMap((path, k) => {
    // Spelt out rather than spread from `where`: V8 gives spread objects a slow shape, and there is one
    // route per path and destination, so a large manifest makes hundreds of thousands of them.
    const route = (src: string, dst: string): Route => ({
      src,
      dst,
      store: where.store,
      replication: where.replication,
      destination,
      i: where.i,
      j: where.j,
      k,
      rewritten: src !== dst,
    });
    const kind = rewrite ? reach(rewrite.from, path) : 'misses';
    if (!rewrite || kind === 'misses' || kind === 'cuts') return [route(path, path)];
    if (kind === 'covers') return [route(path, rewritePrefix(path, rewrite.from, rewrite.to))];
    return [route(stripSlash(rewrite.from), stripSlash(rewrite.to)), route(path, path)];
  });
}

/**
 * Two routes into one store whose destination prefixes overlap either agree on where each name comes from
 * (then they are the same parameters sent twice, which must carry the same options) or they collide:
 * one destination name would be written from two different source names.
 */
function compareRoutes(routes: readonly Route[], out: Findings): void {
  for (const [x, y] of overlappingPairs(routes)) comparePair(routes[x] as Route, routes[y] as Route, out);
}

function comparePair(a: Route, b: Route, out: Findings): void {
  const [outer, inner] = within(b.dst, a.dst) ? [a, b] : [b, a];
  const rest = outer.dst === '/' ? inner.dst : inner.dst.slice(outer.dst.length);
  const mapped = outer.src === '/' ? rest || '/' : outer.src + rest;
  const sameDestination = a.i === b.i && a.j === b.j;
  const later = b.rewritten || !a.rewritten ? b : a;
  const at = `/replications/${later.i}/destinations/${later.j}`;
  const region = a.destination.region;
  if (mapped !== inner.src) {
    out.error(
      later.rewritten ? `${at}/path-rewrite/to` : `/replications/${later.i}/paths/${later.k}`,
      `${q(inner.dst)} in ${bare(region)} would receive names from both ${q(mapped)} (replication ${q(outer.replication)}) and ${q(inner.src)} (replication ${q(inner.replication)})`,
    );
  } else if (sameDestination) {
    if (a.k !== b.k) {
      out.warning(
        `/replications/${b.i}/paths/${b.k}`,
        `path ${q(inner.src)} is already covered by ${q(outer.src)}`,
      );
    }
  } else if (a.i !== b.i) {
    const differ = differences(a.destination, b.destination);
    const message =
      differ.length > 0
        ? `replications ${q(a.replication)} and ${q(b.replication)} both send ${q(inner.src)} to ${bare(region)} with different ${differ.join(', ')}`
        : undefined;
    out.error(`/replications/${b.i}/destinations/${b.j}/region`, message);
    if (!message) {
      out.warning(
        `/replications/${b.i}/destinations/${b.j}/region`,
        `replications ${q(a.replication)} and ${q(b.replication)} both send ${q(inner.src)} to ${bare(region)}; one of them is redundant`,
      );
    }
  }
}

/**
 * Options that change what a replica is. max-deletes is left out: it is a budget per run, not a property
 * of a parameter.
 */
const COMPARED: readonly [string, (d: Destination) => unknown][] = [
  ['kms-key-id', (d) => d.kmsKeyId],
  ['type', (d) => d.type],
  ['deletes', (d) => d.deletes],
  ['tags', (d) => Object.entries(d.tags).sort()],
  ['ec2-image', (d) => d.ec2Image],
  ['adopt', (d) => d.adopt],
  ['allow-empty-source', (d) => d.allowEmptySource],
];

function differences(a: Destination, b: Destination): string[] {
  return COMPARED.filter(([, get]) => JSON.stringify(get(a)) !== JSON.stringify(get(b))).map(
    ([name]) => name,
  );
}
