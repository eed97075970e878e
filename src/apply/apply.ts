import { keyed } from '../keyed.js';
import type { Manifest } from '../manifest/types.js';
import type { LiveParameter, RegionInventory } from '../model.js';
import { DEFAULT_SSM_KEY, type DesiredReplica, desiredReplica } from '../plan/desired.js';
import { hasTagChanges } from '../plan/diff.js';
import { type Route, sourceNameOf, targets } from '../plan/names.js';
import type { Plan, PlanItem, RegionPlan, TagChanges } from '../plan/types.js';
import { type Clock, mapLimit, Semaphore } from '../rate/limiter.js';
import type { ParameterStore, PutRequest } from '../store/port.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './retry.js';
import type { ApplyProgress, ApplyReport, ItemOutcome, JournalEntry } from './types.js';

/** AWS asks to wait at least 30 s before re-creating a parameter with the name of one just deleted. */
export const REPLACE_WAIT_MS = 30_000;
const DELETE_BATCH = 10;

export interface ApplyInput {
  manifest: Manifest;
  plan: Plan;
  /** The source inventory the plan was computed from: values come from here, never from the plan. */
  source: RegionInventory;
  destinations: ReadonlyMap<string, RegionInventory>;
  sourceStore: ParameterStore;
  stores: ReadonlyMap<string, ParameterStore>;
  clock: Clock;
  /** Writes in flight per region; the rate limiter paces them to the account's throughput. */
  concurrency?: number;
  replaceWaitMs?: number;
  retry?: RetryPolicy;
  journal?: (entry: JournalEntry) => void;
  progress?: (p: ApplyProgress) => void;
}

class ItemFailure extends Error {
  override name = 'ItemFailure';
}

function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return e.name && e.message ? `${e.name}: ${e.message}` : String(error);
}

/**
 * Executes a plan. Regions run concurrently and independently: a region that is down or a parameter that
 * fails is reported, and everything else still runs. Writes are per item the operations AWS requires;
 * deletes come last, after the source is checked once more. Blocked plans are refused.
 */
export async function applyPlan(input: ApplyInput): Promise<ApplyReport> {
  if (input.plan.blockers.length > 0) {
    throw new Error(
      `The plan is blocked and will not be applied: ${input.plan.blockers.map((b) => b.message).join(' ')}`,
    );
  }
  const total = input.plan.regions.reduce((n, r) => n + r.items.length, 0);
  const progress: ApplyProgress = { done: 0, total, failed: 0, byRegion: keyed() };
  for (const r of input.plan.regions) progress.byRegion[r.target] = { done: 0, total: r.items.length };
  const outcomes: ItemOutcome[] = [];
  const record = (o: ItemOutcome) => {
    outcomes.push(o);
    progress.done++;
    if (o.status === 'failed') progress.failed++;
    const region = progress.byRegion[o.target];
    if (region) region.done++;
    input.progress?.(progress);
  };
  await Promise.all(input.plan.regions.map((r) => applyRegion(input, r, record)));
  const count = (s: ItemOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return {
    outcomes,
    applied: count('applied'),
    failed: count('failed'),
    skipped: count('skipped'),
    drifted: 0,
  };
}

async function applyRegion(
  input: ApplyInput,
  region: RegionPlan,
  record: (o: ItemOutcome) => void,
): Promise<void> {
  const outcome = (
    item: PlanItem,
    status: ItemOutcome['status'],
    extra: Partial<ItemOutcome> = {},
  ): ItemOutcome => ({
    target: region.target,
    region: region.region,
    name: item.name,
    action: item.action,
    status,
    ...extra,
  });
  const store = input.stores.get(region.target);
  const target = targets(input.manifest).find((t) => t.key === region.target);
  if (region.error || !store || !target) {
    const message = region.error ?? `No store for ${region.target}`;
    for (const item of region.items) record(outcome(item, 'failed', { message }));
    return;
  }
  const routeOf = (item: PlanItem): Route =>
    target.routes.find((r) => r.replication.name === item.replication) ?? (target.routes[0] as Route);
  const existing = input.destinations.get(region.target)?.parameters;

  const writes = region.items.filter((i) => i.action !== 'delete');
  const deletes = region.items.filter((i) => i.action === 'delete');
  const desired = new Map<PlanItem, DesiredReplica>();
  for (const item of writes) {
    const source = input.source.parameters.get(item.sourceName ?? '');
    const result = source && desiredReplica(input.manifest, routeOf(item), source, item.name);
    if (result?.kind === 'replica') desired.set(item, result.replica);
  }

  const keyProblem = await preflightKeys(store, [...desired.values()]);
  if (keyProblem) {
    for (const item of region.items) record(outcome(item, 'failed', { message: keyProblem }));
    return;
  }

  const gate = new Semaphore(input.concurrency ?? 8);
  const retry = (fn: (attempt: number) => Promise<unknown>) =>
    withRetry(fn, input.clock, input.retry ?? DEFAULT_RETRY);
  await Promise.all(
    writes.map((item) =>
      gate.run(async () => {
        const replica = desired.get(item);
        const prior = existing?.get(item.name);
        const journal = journalEntry(input, region, item, prior);
        try {
          if (!replica)
            throw new ItemFailure(`the source ${item.sourceName} is no longer readable as planned`);
          input.journal?.(journal);
          const version = await writeItem(input, store, item, replica, prior, retry);
          input.journal?.({ ...journal, outcome: 'applied', ...(version ? { version } : {}) });
          record(outcome(item, 'applied', version ? { version } : {}));
        } catch (error) {
          const message = errorText(error);
          input.journal?.({ ...journal, outcome: 'failed', message });
          record(outcome(item, 'failed', { message }));
        }
      }),
    ),
  );
  await applyDeletes(input, store, region, deletes, routeOf, record, outcome, retry);
}

/** Every customer key a write needs must exist and be enabled in the region before anything is written. */
async function preflightKeys(store: ParameterStore, replicas: DesiredReplica[]): Promise<string | undefined> {
  // The AWS managed key is created by Parameter Store on first use, so DescribeKey may not find it yet.
  const keys = [
    ...new Set(replicas.map((r) => r.keyId).filter((k): k is string => !!k && k !== DEFAULT_SSM_KEY)),
  ];
  for (const key of keys.sort()) {
    let info: Awaited<ReturnType<ParameterStore['describeKey']>>;
    try {
      info = await store.describeKey(key);
    } catch (error) {
      return `KMS key ${key} in ${store.region} could not be checked (${errorText(error)}); nothing was written in this region.`;
    }
    if (!info)
      return `KMS key ${key} does not exist in ${store.region}; create it (or fix kms-key-id) — nothing was written in this region.`;
    if (!info.enabled)
      return `KMS key ${key} in ${store.region} is ${info.state}; enable it (or fix kms-key-id) — nothing was written in this region.`;
  }
  return undefined;
}

/**
 * On overwrite AWS keeps an attribute that is left out, so one the source no longer has is cleared
 * explicitly (empty description or pattern, empty policy list) rather than silently surviving.
 */
function putRequest(replica: DesiredReplica, overwrite: boolean, prior?: LiveParameter): PutRequest {
  const req: PutRequest = {
    name: replica.name,
    value: replica.value.reveal(),
    type: replica.type,
    // Always explicit: a region's default tier may differ from Standard.
    tier: replica.tier,
    overwrite,
    // Sent even when empty so an overwrite clears a description the source no longer has.
    description: replica.description ?? '',
    dataType: replica.dataType,
  };
  if (replica.allowedPattern !== undefined) req.allowedPattern = replica.allowedPattern;
  else if (prior?.allowedPattern) req.allowedPattern = '';
  if (replica.policies.length > 0 || (prior?.policies.length ?? 0) > 0)
    req.policies = `[${replica.policies.join(',')}]`;
  if (replica.keyId) req.keyId = replica.keyId;
  if (!overwrite) req.tags = replica.tags;
  return req;
}

async function writeTags(store: ParameterStore, name: string, tags: TagChanges | undefined, retry: Retry) {
  if (!tags || !hasTagChanges(tags)) return;
  const set = keyed(
    tags.add,
    Object.entries(tags.change).map(([k, v]) => [k, v.to] as const),
  );
  // Removals first: a replica at AWS's 50-tag limit could not take an added tag before losing the old ones.
  // The removed keys are never ownership or owner tags (both are in every desired set).
  if (tags.remove.length > 0) await retry(() => store.removeTags(name, tags.remove));
  if (Object.keys(set).length > 0) await retry(() => store.addTags(name, set));
}

type Retry = (fn: (attempt: number) => Promise<unknown>) => Promise<unknown>;

async function create(
  store: ParameterStore,
  replica: DesiredReplica,
  retry: Retry,
): Promise<number | undefined> {
  const result = await retry(async (attempt) => {
    try {
      return await store.put(putRequest(replica, false));
    } catch (error) {
      // A retried create whose first attempt landed finds its own parameter: the verify step checks it.
      if (attempt > 1 && (error as Error).name === 'ParameterAlreadyExists') return undefined;
      throw error;
    }
  });
  return (result as { version: number } | undefined)?.version;
}

async function writeItem(
  input: ApplyInput,
  store: ParameterStore,
  item: PlanItem,
  replica: DesiredReplica,
  prior: LiveParameter | undefined,
  retry: Retry,
): Promise<number | undefined> {
  switch (item.action) {
    case 'create':
      return create(store, replica, retry);
    case 'update': {
      const result = (await retry(() => store.put(putRequest(replica, true, prior)))) as { version: number };
      await writeTags(store, item.name, item.tags, retry);
      return result.version;
    }
    case 'tag':
      await writeTags(store, item.name, item.tags, retry);
      return undefined;
    case 'replace':
      await retry(() => store.deleteParameters([item.name]));
      await input.clock.sleep(input.replaceWaitMs ?? REPLACE_WAIT_MS);
      return create(store, replica, retry);
    default:
      throw new ItemFailure(`unexpected action ${item.action}`);
  }
}

async function applyDeletes(
  input: ApplyInput,
  store: ParameterStore,
  region: RegionPlan,
  deletes: PlanItem[],
  routeOf: (item: PlanItem) => Route,
  record: (o: ItemOutcome) => void,
  outcome: (item: PlanItem, status: ItemOutcome['status'], extra?: Partial<ItemOutcome>) => ItemOutcome,
  retry: Retry,
) {
  // The source is asked once more right before deleting: a parameter re-created since the plan was made
  // must not lose its replica.
  const sourceNames = new Map(deletes.map((d) => [d, sourceNameOf(routeOf(d).destination, d.name)]));
  const toCheck = [...new Set([...sourceNames.values()].filter((n): n is string => n !== undefined))];
  const back = new Set<string>();
  try {
    const batches = [];
    for (let i = 0; i < toCheck.length; i += DELETE_BATCH) batches.push(toCheck.slice(i, i + DELETE_BATCH));
    for (const found of await mapLimit(batches, 4, (b) => retry(() => input.sourceStore.getValues(b)))) {
      for (const v of found as { name: string }[]) back.add(v.name);
    }
  } catch (error) {
    for (const d of deletes)
      record(outcome(d, 'failed', { message: `source re-check failed: ${errorText(error)}` }));
    return;
  }
  const go: PlanItem[] = [];
  for (const d of deletes) {
    const src = sourceNames.get(d);
    if (src !== undefined && back.has(src))
      record(outcome(d, 'skipped', { message: `source ${src} exists again` }));
    else go.push(d);
  }
  for (let i = 0; i < go.length; i += DELETE_BATCH) {
    const batch = go.slice(i, i + DELETE_BATCH);
    for (const d of batch)
      input.journal?.(
        journalEntry(input, region, d, input.destinations.get(region.target)?.parameters.get(d.name)),
      );
    try {
      const result = (await retry(() => store.deleteParameters(batch.map((d) => d.name)))) as {
        notFound: string[];
      };
      const gone = new Set(result.notFound);
      for (const d of batch)
        record(outcome(d, 'applied', gone.has(d.name) ? { message: 'already absent' } : {}));
    } catch (error) {
      for (const d of batch) record(outcome(d, 'failed', { message: errorText(error) }));
    }
  }
}

function journalEntry(
  input: ApplyInput,
  region: RegionPlan,
  item: PlanItem,
  prior: LiveParameter | undefined,
): JournalEntry {
  const entry: JournalEntry = {
    at: new Date(input.clock.now()).toISOString(),
    region: region.region,
    name: item.name,
    action: item.action,
  };
  if (prior) {
    entry.prior = {
      version: prior.version,
      type: prior.type,
      tier: prior.tier,
      dataType: prior.dataType,
      tags: prior.tags,
      ...(prior.keyId ? { keyId: prior.keyId } : {}),
      ...(prior.description ? { description: prior.description } : {}),
    };
  }
  return entry;
}
