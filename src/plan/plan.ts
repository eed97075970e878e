import { keyed } from '../keyed.js';
import { OWNER_TAG_KEY } from '../manifest/resolve.js';
import type { Manifest } from '../manifest/types.js';
import type { LiveParameter, RegionInventory } from '../model.js';
import { type DesiredReplica, desiredReplica, type ReplicaTagMemo } from './desired.js';
import {
  createChanges,
  type DiffContext,
  diffReplica,
  replicaModified,
  replicaTarget,
  tagChanges,
} from './diff.js';
import { planDigest } from './digest.js';
import { foundKey, type KeyLookup } from './keys.js';
import {
  type Route,
  replicates,
  rewriteName,
  sourceNameOf,
  type Target,
  targets,
  underPath,
} from './names.js';
import { describeOwner, type Ownership, ownershipOf, ownerValue } from './owner.js';
import { preflight } from './preflight.js';
import {
  PLAN_FORMAT_VERSION,
  type Plan,
  type PlanItem,
  type PlanMessage,
  type PlanSummary,
  type RegionPlan,
  type ReplicaModified,
} from './types.js';

export interface PlanInput {
  manifest: Manifest;
  /** The source region, read under every manifest path (or just `names`). */
  source: RegionInventory;
  /** One inventory per destination target, keyed by `targetKey` (see names.ts). */
  destinations: ReadonlyMap<string, RegionInventory>;
  /**
   * Plan only these source names (event-driven runs). Names are taken exactly as given; the ones not
   * under a manifest path are ignored. The source and destination inventories need only hold them.
   */
  names?: readonly string[];
  /** Targets whose inventory could not be read, with the reason; they get an empty, failed region plan. */
  failures?: ReadonlyMap<string, { message: string }>;
  /**
   * What DescribeKey said about a key reference in a target (inventory/keys.ts): tells an alias from the
   * key it names, and feeds the preflight. Undefined where the reference was not asked.
   */
  keys?: (targetKey: string, keyRef: string) => KeyLookup | undefined;
}

const ACTION_ORDER = { create: 0, update: 1, tag: 2, replace: 3, delete: 4 } as const;

function compareItems(a: PlanItem, b: PlanItem): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return ACTION_ORDER[a.action] - ACTION_ORDER[b.action];
}

/**
 * Creates mostly repeat the same change list and tag set (same type, tier, key, tags); one frozen object
 * per distinct content keeps a 300,000-create plan in a fraction of the memory. Frozen, so a caller that
 * tried to edit one item's copy would fail loudly instead of editing them all.
 */
function interner() {
  const seen = new Map<string, unknown>();
  return <T extends object>(value: T): T => {
    const key = JSON.stringify(value);
    const known = seen.get(key);
    if (known) return known as T;
    seen.set(key, deepFreeze(value));
    return value;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Computes what must change in every destination so it equals the source. Pure: no I/O, no clock;
 * the same inventories give the same plan (and digest) whatever order they were listed in.
 */
export function plan(input: PlanInput): Plan {
  const { manifest, source } = input;
  const scope = input.names ? new Set(input.names) : undefined;
  const sourceNames = [...(scope ?? source.parameters.keys())].sort();
  const warnings: PlanMessage[] = [];
  const blockers: PlanMessage[] = [];
  const regions: RegionPlan[] = [];
  const owns = ownershipOf(manifest);

  for (const target of targets(manifest)) {
    const failure = input.failures?.get(target.key);
    if (failure) {
      regions.push({
        target: target.key,
        region: target.region,
        items: [],
        unchanged: 0,
        inSync: keyed(),
        unmanaged: [],
        error: failure.message,
      });
      continue;
    }
    const inventory = input.destinations.get(target.key);
    if (!inventory) throw new Error(`No inventory was read for destination ${target.key}.`);
    const keyOf = (ref: string) => input.keys?.(target.key, ref);
    const keyIdOf = (ref: string) => foundKey(keyOf(ref))?.keyId;
    const ctx: DiffContext = {
      valueDisplay: manifest.valueDisplay,
      sourceRegion: manifest.source.region,
      sameKey: (a, b) => {
        if (a === b) return true;
        const ra = keyIdOf(a);
        return ra !== undefined && ra === keyIdOf(b);
      },
    };
    const region = planTarget(input, target, inventory, sourceNames, scope, ctx, owns, warnings, blockers);
    const checked = preflight({ target, inventory, items: region.items, key: keyOf });
    blockers.push(...checked.blockers);
    warnings.push(...checked.warnings);
    regions.push(region);
  }

  const summary = summarizeRegions(regions);
  const body: Omit<Plan, 'digest'> = {
    formatVersion: PLAN_FORMAT_VERSION,
    sourceRegion: manifest.source.region,
    scope: scope ? 'names' : 'full',
    summary,
    blockers,
    warnings,
    regions,
  };
  return { ...body, digest: planDigest(body) };
}

interface Wanted {
  route: Route;
  replica: DesiredReplica;
  source: LiveParameter;
}

function planTarget(
  input: PlanInput,
  target: Target,
  inventory: RegionInventory,
  sourceNames: readonly string[],
  scope: Set<string> | undefined,
  ctx: DiffContext,
  owns: (tags: Readonly<Record<string, string>>) => Ownership,
  warnings: PlanMessage[],
  blockers: PlanMessage[],
): RegionPlan {
  const { manifest, source } = input;
  const where = { region: target.region };
  const wanted = new Map<string, Wanted>();
  // Replica names whose source exists but is deliberately not replicated here (AMI ids): never deleted.
  const skipped = new Set<string>();

  for (const route of target.routes) {
    const memo: ReplicaTagMemo = new Map();
    for (const sourceName of sourceNames) {
      const sourceParam = source.parameters.get(sourceName);
      if (!sourceParam || !replicates(route.replication, sourceName)) continue;
      const destName = rewriteName(route.destination, sourceName);
      const outcome = desiredReplica(manifest, route, sourceParam, destName, memo);
      if (outcome.kind === 'skip') {
        skipped.add(destName);
        warnings.push({ code: outcome.code, message: outcome.message, ...where, name: sourceName });
        continue;
      }
      const earlier = wanted.get(destName);
      if (earlier) {
        if (earlier.route !== route) {
          blockers.push({
            code: 'conflicting-replications',
            message: `${destName} in ${target.region} is written by both '${earlier.route.replication.name}' and '${route.replication.name}'. Exclude it from one of them.`,
            ...where,
            name: destName,
          });
        }
        continue;
      }
      wanted.set(destName, { route, replica: outcome.replica, source: sourceParam });
    }
  }

  const items: PlanItem[] = [];
  const shared = interner();
  const unmanaged: string[] = [];
  const unmanagedConflicts: string[] = [];
  const unmanagedModified = keyed<ReplicaModified>();
  const foreign: string[] = [];
  let unchanged = 0;
  const inSync = keyed<number>();
  // Replicas each route manages here before the run: the base of its delete share.
  const managedPerRoute = new Map<Route, number>();
  const clashes = new Map<string, { owner: string; route: Route; names: string[] }>();
  const manage = (route: Route) => managedPerRoute.set(route, (managedPerRoute.get(route) ?? 0) + 1);

  for (const [destName, { route, replica, source: src }] of wanted) {
    const base = {
      name: destName,
      sourceName: src.name,
      replication: route.replication.name,
      sourceVersion: src.version,
    };
    const existing = inventory.parameters.get(destName);
    if (!existing) {
      const item: PlanItem = {
        ...base,
        action: 'create',
        type: replica.type,
        tier: replica.tier,
        changes: shared(createChanges(ctx, replica)),
        target: shared(replicaTarget(replica)),
        tags: shared(tagChanges(keyed(), replica.tags)),
      };
      items.push(item);
      continue;
    }
    const owner = owns(existing.tags);
    if (owner.kind === 'foreign') {
      foreign.push(destName);
      // One blocker per pair of owners: a whole overlapping path would otherwise give one per name.
      const pair = `${owner.owner}\n${route.replication.name}`;
      const clash = clashes.get(pair);
      if (clash) clash.names.push(destName);
      else clashes.set(pair, { owner: owner.owner, route, names: [destName] });
      continue;
    }
    if (owner.kind === 'unmanaged' && !route.destination.adopt) {
      unmanaged.push(destName);
      unmanagedConflicts.push(destName);
      const modified = replicaModified(existing);
      if (modified) unmanagedModified[destName] = modified;
      warnings.push({
        code: 'unmanaged-conflict',
        message: `${destName} already exists in ${target.region} without the ownership tag ${manifest.ownershipTag.key}=${manifest.ownershipTag.value}; it is left alone. Set adopt: true for this destination to take it over, or delete it by hand.`,
        ...where,
        replication: route.replication.name,
        name: destName,
      });
      continue;
    }
    manage(route);
    // An unclaimed, adopted or moved replica differs only in its owner tags: a tag-only claim, no version.
    const item = diffReplica(ctx, replica, existing, src, base, shared);
    if (item) items.push(item);
    else {
      unchanged++;
      inSync[route.replication.name] = (inSync[route.replication.name] ?? 0) + 1;
    }
  }

  for (const { owner, route, names } of clashes.values()) {
    const [first, ...more] = names;
    const which =
      more.length === 0
        ? `${first} in ${target.region} is`
        : `${first} and ${more.length} more names in ${target.region} are`;
    blockers.push({
      code: 'owned-by-another-manifest',
      message: `${which} owned by ${describeOwner(owner)}; this manifest's '${route.replication.name}' also writes ${more.length === 0 ? 'it' : 'them'}. Exclude ${more.length === 0 ? 'it' : 'them'} from one of the two manifests, or, if this manifest should own ${more.length === 0 ? 'it' : 'them'}, list that owner in previous-owners.`,
      ...where,
      replication: route.replication.name,
      name: first as string,
    });
  }

  const deletesPerRoute = new Map<Route, number>();
  const unclaimedPerRoute = new Map<Route, string[]>();
  for (const destName of [...inventory.parameters.keys()].sort()) {
    if (wanted.has(destName) || skipped.has(destName)) continue;
    const existing = inventory.parameters.get(destName) as LiveParameter;
    const covering = target.routes.filter((r) =>
      r.replication.paths.some((p) => underPath(destName, rewriteName(r.destination, p))),
    );
    if (covering.length === 0) continue;
    const owner = owns(existing.tags);
    const route =
      (owner.kind === 'ours' && covering.find((r) => r.replication.name === owner.replication)) ||
      (covering[0] as Route);
    const sourceName = sourceNameOf(route.destination, destName);
    if (scope && (sourceName === undefined || !scope.has(sourceName))) continue;
    if (owner.kind === 'unmanaged') {
      unmanaged.push(destName);
      continue;
    }
    if (owner.kind === 'foreign') {
      foreign.push(destName);
      continue;
    }
    // Only a replica whose source is gone is deleted: never one whose source exists but is excluded.
    const sourceGone = sourceName === undefined || !source.parameters.has(sourceName);
    if (owner.kind === 'unclaimed') {
      // Not ours until claimed, so it counts in no share either.
      if (sourceGone && route.destination.deletes === 'sync') {
        const list = unclaimedPerRoute.get(route);
        if (list) list.push(destName);
        else unclaimedPerRoute.set(route, [destName]);
      }
      continue;
    }
    manage(route);
    if (!sourceGone || route.destination.deletes === 'keep') continue;
    const item: PlanItem = {
      action: 'delete',
      name: destName,
      replication: route.replication.name,
      type: existing.type,
      tier: existing.tier,
      destinationVersion: existing.version,
      changes: [],
      reason:
        sourceName === undefined
          ? 'no source name maps to this replica'
          : `source ${sourceName} no longer exists in ${manifest.source.region}`,
    };
    const modified = replicaModified(existing);
    if (modified) item.replicaModified = modified;
    items.push(item);
    deletesPerRoute.set(route, (deletesPerRoute.get(route) ?? 0) + 1);
  }

  for (const [route, names] of unclaimedPerRoute) {
    const owner = `${OWNER_TAG_KEY}=${ownerValue(manifest, route.replication.name)}`;
    const shown = `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}`;
    warnings.push({
      code: 'unclaimed-replica',
      message: `Replicas in ${target.region} with the ownership tag but no ${OWNER_TAG_KEY} tag, whose source is gone, are not deleted (${names.length}: ${shown}): an earlier version or another manifest wrote them. If they belong to '${route.replication.name}', tag them ${owner} (aws ssm add-tags-to-resource --resource-type Parameter --resource-id NAME --tags Key=${OWNER_TAG_KEY},Value=${ownerValue(manifest, route.replication.name)}) and the next plan deletes them; otherwise delete them by hand.`,
      ...where,
      replication: route.replication.name,
      name: names[0] as string,
    });
  }
  for (const [route, count] of deletesPerRoute) {
    if (count > route.destination.maxDeletes) {
      blockers.push({
        code: 'max-deletes-exceeded',
        message: `${count} deletes planned in ${target.region} for '${route.replication.name}', over its max-deletes of ${route.destination.maxDeletes}. If this is intended, raise max-deletes for this destination and re-run.`,
        ...where,
        replication: route.replication.name,
      });
    }
    // A names-only run sees only its names, so it cannot know the share; full runs guard it.
    const managed = managedPerRoute.get(route) ?? count;
    const percent = route.destination.maxDeletePercent;
    if (!scope && count > allowedDeletes(managed, percent)) {
      blockers.push({
        code: 'max-delete-percent-exceeded',
        message: `${count} of the ${managed} replicas '${route.replication.name}' manages in ${target.region} would be deleted (${Math.round((count * 100) / managed)}%), over its max-delete-percent of ${percent}. If this is intended, raise max-delete-percent for this destination (100 turns this check off) and re-run.`,
        ...where,
        replication: route.replication.name,
      });
    }
  }
  if (!scope) emptySourceBlockers(input, target, inventory, owns, blockers);

  items.sort(compareItems);
  unmanaged.sort();
  unmanagedConflicts.sort();
  foreign.sort();
  const regionPlan: RegionPlan = {
    target: target.key,
    region: target.region,
    items,
    unchanged,
    inSync,
    unmanaged,
  };
  if (unmanagedConflicts.length > 0) regionPlan.unmanagedConflicts = unmanagedConflicts;
  if (Object.keys(unmanagedModified).length > 0) regionPlan.unmanagedModified = unmanagedModified;
  if (foreign.length > 0) regionPlan.foreign = foreign;
  if (inventory.account) regionPlan.account = inventory.account;
  return regionPlan;
}

/**
 * Deletes one run may make out of `managed` replicas at `percent`. One is always allowed, so a fleet of
 * two can lose a parameter; beyond that the share is rounded down, never up to a larger delete.
 */
export function allowedDeletes(managed: number, percent: number): number {
  return Math.max(1, Math.floor((managed * percent) / 100));
}

/**
 * A source path that lists nothing this replication replicates while its replicas exist is far more often
 * a wrong region, a missing permission, a typo or an exclude gone wrong than an intended mass delete: block
 * unless the manifest allows it. Excluded names and names outside the path never count as a source.
 */
function emptySourceBlockers(
  input: PlanInput,
  target: Target,
  inventory: RegionInventory,
  owns: (tags: Readonly<Record<string, string>>) => Ownership,
  blockers: PlanMessage[],
) {
  const { manifest, source } = input;
  for (const { replication, destination } of target.routes) {
    if (destination.deletes === 'keep' || destination.allowEmptySource) continue;
    for (const path of replication.paths) {
      let hasSource = false;
      for (const n of source.parameters.keys()) {
        if (underPath(n, path) && replicates(replication, n)) {
          hasSource = true;
          break;
        }
      }
      if (hasSource) continue;
      const destPath = rewriteName(destination, path);
      let replicas = 0;
      for (const p of inventory.parameters.values()) {
        if (underPath(p.name, destPath) && owns(p.tags).kind === 'ours') replicas++;
      }
      if (replicas === 0) continue;
      blockers.push({
        code: 'empty-source-path',
        message: `${path} lists nothing '${replication.name}' replicates in ${manifest.source.region} (excluded names do not count), but ${target.region} holds ${replicas} of its replicas under ${destPath}. Check the source region, read permissions and exclude patterns; if the path really is empty now, set allow-empty-source: true for this destination.`,
        region: target.region,
        replication: replication.name,
      });
    }
  }
}

/** Counts per action over every region; the plan's `summary`. */
export function summarizeRegions(regions: readonly RegionPlan[]): PlanSummary {
  const s: PlanSummary = {
    creates: 0,
    updates: 0,
    tagChanges: 0,
    replaces: 0,
    deletes: 0,
    unchanged: 0,
    regions: 0,
  };
  for (const r of regions) {
    s.unchanged += r.unchanged;
    if (r.items.length > 0) s.regions++;
    for (const item of r.items) {
      if (item.action === 'create') s.creates++;
      else if (item.action === 'update') s.updates++;
      else if (item.action === 'tag') s.tagChanges++;
      else if (item.action === 'replace') s.replaces++;
      else s.deletes++;
    }
  }
  return s;
}
