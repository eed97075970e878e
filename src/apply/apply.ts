import { type Keyed, keyed } from '../keyed.js';
import type { Manifest } from '../manifest/types.js';
import type { LiveParameter, RegionInventory } from '../model.js';
import { DEFAULT_SSM_KEY } from '../plan/desired.js';
import { hasTagChanges } from '../plan/diff.js';
import { type Route, sourceNameOf, targets } from '../plan/names.js';
import type { Plan, PlanItem, RegionPlan, ReplicaTarget, TagChanges } from '../plan/types.js';
import { type Clock, mapLimit, Semaphore } from '../rate/limiter.js';
import type { ParameterStore, PutRequest } from '../store/port.js';
import type { PendingReplace } from './lock.js';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './retry.js';
import type { ApplyProgress, ApplyReport, ItemOutcome, JournalEntry } from './types.js';
import { readValuesAt, sourceValuesNeeded, syncRecordTag, type ValuesAt, valueOnly } from './values.js';

/** AWS asks to wait at least 30 s before re-creating a parameter with the name of one just deleted. */
export const REPLACE_WAIT_MS = 30_000;
const DELETE_BATCH = 10;

/** What apply needs from the lock it runs under (src/apply/lock.ts's Lease). */
export interface ApplyLease {
  /** Before every write: renews the lease when due, throws once the lock is lost. */
  check(): Promise<void>;
  /** Records replaces about to delete their replica; returns how many of them fit in the lock. */
  addPending(entries: PendingReplace[]): Promise<number>;
  removePending(entries: PendingReplace[]): Promise<void>;
}

export interface ApplyInput {
  manifest: Manifest;
  plan: Plan;
  /**
   * The source inventory the plan was computed from (metadata; values where a `--verify values` read
   * took them). Values come from here or are read at the planned version, never from the plan.
   */
  source: RegionInventory;
  destinations: ReadonlyMap<string, RegionInventory>;
  sourceStore: ParameterStore;
  stores: ReadonlyMap<string, ParameterStore>;
  clock: Clock;
  /** Writes in flight per region; the rate limiter paces them to the account's throughput. */
  concurrency?: number;
  replaceWaitMs?: number;
  retry?: RetryPolicy;
  /**
   * Write-ahead: awaited before each write (what is about to change) and after it (the outcome). A record
   * that fails to be written stops the write it announces.
   */
  journal?: (entry: JournalEntry) => void | Promise<void>;
  progress?: (p: ApplyProgress) => void;
  lease?: ApplyLease;
  /** Set on the entries of a recovery run (see apply-job's finishInterruptedReplaces). */
  recovers?: JournalEntry['recovers'];
  /**
   * Checked before each write (an AbortSignal fits): once aborted, writes in flight finish (a replace
   * batch past its delete finishes its creates) and every write not started is reported skipped.
   */
  stop?: { readonly aborted: boolean };
  /** Told every SecureString value apply decrypts, before it is used (see JobContext.onSecret). */
  onSecret?: (value: string) => void;
}

export const STOPPED = 'not attempted: the apply was stopped before this write';

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
  const values = await sourceValues(input);
  await Promise.all(input.plan.regions.map((r) => applyRegion(input, r, record, values)));
  const count = (s: ItemOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return {
    outcomes,
    applied: count('applied'),
    failed: count('failed'),
    skipped: count('skipped'),
    drifted: 0,
  };
}

/** What the source values read for this apply gave: the values, or why there are none. */
type SourceValues = { values: ValuesAt } | { error: string };

/**
 * The decrypted source values of every item some region writes, read once for all regions (only these:
 * a plan reads no value, and apply reads only what it may write).
 */
async function sourceValues(input: ApplyInput): Promise<SourceValues> {
  const items = input.plan.regions.filter((r) => !r.error).flatMap((r) => r.items);
  const wanted = sourceValuesNeeded(items, input.source);
  if (wanted.size === 0) return { values: new Map() };
  try {
    const retry = (fn: (attempt: number) => Promise<unknown>) =>
      withRetry(fn, input.clock, input.retry ?? DEFAULT_RETRY);
    return { values: await readValuesAt(input.sourceStore, wanted, retry, input.onSecret) };
  } catch (error) {
    return { error: `reading the source values failed: ${errorText(error)}` };
  }
}

async function applyRegion(
  input: ApplyInput,
  region: RegionPlan,
  record: (o: ItemOutcome) => void,
  values: SourceValues,
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
  const desired = new Map<PlanItem, Write>();
  for (const item of writes) {
    const write = writeFor(input, item, values);
    if (write) desired.set(item, write);
  }

  const keyProblem = await preflightKeys(store, writes);
  if (keyProblem) {
    for (const item of region.items) record(outcome(item, 'failed', { message: keyProblem }));
    return;
  }

  const gate = new Semaphore(input.concurrency ?? 8);
  const retry = (fn: (attempt: number) => Promise<unknown>) =>
    withRetry(fn, input.clock, input.retry ?? DEFAULT_RETRY);
  const same = await alreadyEqual(store, writes, desired, retry, input.onSecret);
  const journal = async (entry: JournalEntry) => {
    await input.journal?.(input.recovers ? { ...entry, recovers: input.recovers } : entry);
  };
  const fail = async (item: PlanItem, entry: JournalEntry, error: unknown) => {
    const message = errorText(error);
    // The outcome record is best effort: when it is the journal that failed, the report still says why.
    await journal({ ...entry, outcome: 'failed', message }).catch(() => undefined);
    record(outcome(item, 'failed', { message }));
  };
  const done = async (item: PlanItem, entry: JournalEntry, version: number | undefined, message?: string) => {
    const extra = { ...(version ? { version } : {}), ...(message ? { message } : {}) };
    try {
      await journal({ ...entry, outcome: 'applied', ...extra });
      record(outcome(item, 'applied', extra));
    } catch (error) {
      record(
        outcome(item, 'applied', { ...extra, message: `written, but not journaled: ${errorText(error)}` }),
      );
    }
  };
  const writeOne = async (item: PlanItem, run: (write: Write) => Promise<number | undefined>) => {
    const entry = journalEntry(input, region, item, existing?.get(item.name));
    try {
      const write = desired.get(item);
      if (!write) throw new ItemFailure(unwritable(item, values));
      if (input.stop?.aborted) return record(outcome(item, 'skipped', { message: STOPPED }));
      await input.lease?.check();
      await journal(entry);
      const version = await run(write);
      await done(item, entry, version, same.has(item) ? RECORD_ONLY : undefined);
    } catch (error) {
      await fail(item, entry, error);
    }
  };
  const steps: RegionSteps = {
    input,
    store,
    region,
    desired,
    values,
    retry,
    journal,
    fail,
    done,
    record,
    outcome,
  };
  const recordAt = recordOf(steps);
  await Promise.all(
    writes
      .filter((i) => i.action !== 'replace')
      .map((item) =>
        gate.run(() =>
          writeOne(item, (write) =>
            same.has(item)
              ? refreshRecord(store, item, retry, recordAt)
              : writeItem(store, item, write, retry, recordAt, existing?.get(item.name)),
          ),
        ),
      ),
  );
  await applyReplaces(
    steps,
    writes.filter((i) => i.action === 'replace'),
  );
  await applyDeletes(steps, deletes, routeOf);
}

/** The outcome message of an update that found the value already equal. */
const RECORD_ONLY = 'value already equal: sync record written, no new version';

function unwritable(item: PlanItem, values: SourceValues): string {
  if ('error' in values) return values.error;
  return `the source ${item.sourceName} is no longer readable as planned (changed or deleted since the plan)`;
}

/**
 * The value-only updates whose replica already holds the source's value (read with decryption, at the
 * planned replica version): for those apply writes the sync record, not a new version.
 */
async function alreadyEqual(
  store: ParameterStore,
  writes: readonly PlanItem[],
  desired: ReadonlyMap<PlanItem, Write>,
  retry: Retry,
  onSecret: ((value: string) => void) | undefined,
): Promise<Set<PlanItem>> {
  const candidates = writes.filter((i) => valueOnly(i) && desired.get(i)?.value !== undefined);
  const equal = new Set<PlanItem>();
  if (candidates.length === 0) return equal;
  const wanted = new Map(candidates.map((i) => [i.name, i.destinationVersion as number]));
  let current: ValuesAt;
  try {
    current = await readValuesAt(store, wanted, retry, onSecret);
  } catch {
    // Not knowing means writing: the put below is what the plan said anyway.
    return equal;
  }
  for (const item of candidates) {
    const have = current.get(item.name);
    if (have !== undefined && have === desired.get(item)?.value) equal.add(item);
  }
  return equal;
}

interface RegionSteps {
  input: ApplyInput;
  store: ParameterStore;
  region: RegionPlan;
  desired: Map<PlanItem, Write>;
  values: SourceValues;
  retry: Retry;
  journal: (entry: JournalEntry) => Promise<void>;
  fail: (item: PlanItem, entry: JournalEntry, error: unknown) => Promise<void>;
  done: (item: PlanItem, entry: JournalEntry, version: number | undefined) => Promise<void>;
  record: (o: ItemOutcome) => void;
  outcome: (item: PlanItem, status: ItemOutcome['status'], extra?: Partial<ItemOutcome>) => ItemOutcome;
}

/**
 * A replace is a delete, AWS's 30 s wait, then a create: between the two the replica is missing. Replaces
 * run in batches of one DeleteParameters call and one wait, and each batch is first recorded in the lock
 * as pending, so if this run dies in the wait, whoever takes the lock next re-creates the replicas before
 * anything else (apply-job's finishInterruptedReplaces). The window without a replica is the wait plus,
 * after a crash, at most one lease (LOCK_TTL_MS) before the next run can break the lock.
 */
async function applyReplaces(s: RegionSteps, replaces: PlanItem[]): Promise<void> {
  const { input, store, region } = s;
  const ready: PlanItem[] = [];
  for (const item of replaces) {
    if (s.desired.has(item)) ready.push(item);
    else
      await s.fail(
        item,
        journalEntry(input, region, item, undefined),
        new ItemFailure(unwritable(item, s.values)),
      );
  }
  const existing = input.destinations.get(region.target)?.parameters;
  while (ready.length > 0) {
    if (input.stop?.aborted) {
      for (const item of ready.splice(0)) s.record(s.outcome(item, 'skipped', { message: STOPPED }));
      break;
    }
    const candidates = ready.slice(0, DELETE_BATCH);
    const entries = new Map(
      candidates.map((i) => [i, journalEntry(input, region, i, existing?.get(i.name))]),
    );
    let batch: PlanItem[];
    let pending: PendingReplace[] = [];
    try {
      await input.lease?.check();
      const at = input.clock.now();
      pending = candidates.map((i) => ({ target: region.target, name: i.name, at }));
      const fits = input.lease ? await input.lease.addPending(pending) : pending.length;
      if (fits === 0) {
        // Other regions' replaces fill the lock's value; theirs finish within one wait.
        await input.clock.sleep(1_000);
        continue;
      }
      batch = candidates.slice(0, fits);
      pending = pending.slice(0, fits);
      for (const item of batch) await s.journal(entries.get(item) as JournalEntry);
    } catch (error) {
      for (const item of candidates) await s.fail(item, entries.get(item) as JournalEntry, error);
      ready.splice(0, candidates.length);
      continue;
    }
    ready.splice(0, batch.length);
    try {
      await s.retry(() => store.deleteParameters(batch.map((i) => i.name)));
    } catch (error) {
      for (const item of batch) await s.fail(item, entries.get(item) as JournalEntry, error);
      await input.lease?.removePending(pending).catch(() => undefined);
      continue;
    }
    await input.clock.sleep(input.replaceWaitMs ?? REPLACE_WAIT_MS);
    const recreated: PendingReplace[] = [];
    await Promise.all(
      batch.map(async (item, i) => {
        const entry = entries.get(item) as JournalEntry;
        try {
          await input.lease?.check();
          const version = await create(store, item, s.desired.get(item) as Write, s.retry, recordOf(s));
          recreated.push(pending[i] as PendingReplace);
          await s.done(item, entry, version);
        } catch (error) {
          await s.fail(item, entry, error);
        }
      }),
    );
    // A replica whose create failed stays pending: the next run that takes the lock re-creates it.
    await input.lease?.removePending(recreated).catch(() => undefined);
  }
}

/** What a write sends besides what its plan item says: the value (none for a tag-only item). */
interface Write {
  value: string | undefined;
}

/** How a region's steps build an item's sync record at a replica version. */
function recordOf(s: RegionSteps): RecordAt {
  const region = s.input.manifest.source.region;
  return (item, version) =>
    syncRecordTag(region, item, s.input.source.parameters.get(item.sourceName ?? ''), version);
}

/**
 * The value is the source's at the planned version (from a `--verify values` inventory, or read with
 * decryption for this apply), or the mapped AMI the plan shows. The source inventory is the one the plan
 * was computed from: an item it does not match was not planned from it, and nothing is written for it.
 */
function writeFor(input: ApplyInput, item: PlanItem, values: SourceValues): Write | undefined {
  const source = input.source.parameters.get(item.sourceName ?? '');
  if (!source || source.version !== item.sourceVersion) return undefined;
  if (item.action === 'tag') return { value: undefined };
  if (!item.target) return undefined;
  if (item.target.ami !== undefined) return { value: item.target.ami };
  const value = source.value?.reveal() ?? ('values' in values ? values.values.get(source.name) : undefined);
  return value === undefined ? undefined : { value };
}

/**
 * Second line of defence behind the plan's preflight (plan/preflight.ts): every customer key a write
 * needs must exist and be enabled in the region right before anything is written there.
 */
async function preflightKeys(store: ParameterStore, writes: PlanItem[]): Promise<string | undefined> {
  // The AWS managed key is created by Parameter Store on first use, so DescribeKey may not find it yet.
  const refs = writes.map((i) => i.target?.keyId);
  const keys = [...new Set(refs.filter((k): k is string => !!k && k !== DEFAULT_SSM_KEY))];
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
 * Exactly what the plan item says, plus the value. On overwrite AWS keeps an attribute that is left out,
 * so one the source no longer has is cleared explicitly (empty description or pattern, empty policy
 * list) rather than silently surviving.
 */
function putRequest(
  item: PlanItem,
  write: Write,
  overwrite: boolean,
  prior?: LiveParameter,
  syncRecord?: Keyed<string>,
): PutRequest {
  const target = item.target as ReplicaTarget;
  const req: PutRequest = {
    name: item.name,
    value: write.value as string,
    type: target.type,
    // Always explicit: a region's default tier may differ from Standard.
    tier: target.tier,
    overwrite,
    // Sent even when empty so an overwrite clears a description the source no longer has.
    description: target.description ?? '',
    dataType: target.dataType,
  };
  if (target.allowedPattern !== undefined) req.allowedPattern = target.allowedPattern;
  else if (prior?.allowedPattern) req.allowedPattern = '';
  if (target.policies.length > 0 || (prior?.policies.length ?? 0) > 0)
    req.policies = `[${target.policies.join(',')}]`;
  if (target.keyId) req.keyId = target.keyId;
  // A create carries every tag of the new replica, which the plan lists as added, and its sync record.
  if (!overwrite) req.tags = keyed(item.tags?.add, syncRecord);
  return req;
}

/**
 * The tag calls of an item, with the sync record (when given) in the same AddTagsToResource call:
 * PutParameter refuses Tags together with Overwrite, so an update records its copy here, after the put.
 */
async function writeTags(
  store: ParameterStore,
  name: string,
  tags: TagChanges | undefined,
  retry: Retry,
  syncRecord?: Keyed<string>,
) {
  const changes = tags && hasTagChanges(tags) ? tags : undefined;
  const set = keyed(
    changes?.add,
    Object.entries(changes?.change ?? {}).map(([k, v]) => [k, v.to] as const),
    syncRecord,
  );
  // Removals first: a replica at AWS's 50-tag limit could not take an added tag before losing the old ones.
  // The removed keys are never ownership, owner or sync record tags (see plan/diff.ts tagChanges).
  if (changes && changes.remove.length > 0) await retry(() => store.removeTags(name, changes.remove));
  if (Object.keys(set).length > 0) await retry(() => store.addTags(name, set));
}

type Retry = (fn: (attempt: number) => Promise<unknown>) => Promise<unknown>;
/** The sync record tag of an item's copy at a replica version (undefined: none can be made). */
type RecordAt = (item: PlanItem, replicaVersion: number) => Keyed<string> | undefined;

/**
 * A create carries its sync record for version 1, the version Parameter Store gives a new parameter,
 * also one re-created after a delete ("When you initially create a parameter, Parameter Store assigns
 * version 1", https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html).
 * Should AWS ever answer another version, the record is corrected at once.
 */
async function create(
  store: ParameterStore,
  item: PlanItem,
  write: Write,
  retry: Retry,
  recordAt: RecordAt,
): Promise<number | undefined> {
  const result = await retry(async (attempt) => {
    try {
      return await store.put(putRequest(item, write, false, undefined, recordAt(item, 1)));
    } catch (error) {
      // A retried create whose first attempt landed finds its own parameter: the verify step checks it.
      if (attempt > 1 && (error as Error).name === 'ParameterAlreadyExists') return undefined;
      throw error;
    }
  });
  const version = (result as { version: number } | undefined)?.version;
  if (version !== undefined && version !== 1) {
    const corrected = recordAt(item, version);
    if (corrected) await retry(() => store.addTags(item.name, corrected));
  }
  return version;
}

/** A value-only update whose replica already holds the value: its tag changes and the record, no put. */
async function refreshRecord(
  store: ParameterStore,
  item: PlanItem,
  retry: Retry,
  recordAt: RecordAt,
): Promise<undefined> {
  await writeTags(store, item.name, item.tags, retry, recordAt(item, item.destinationVersion as number));
  return undefined;
}

async function writeItem(
  store: ParameterStore,
  item: PlanItem,
  write: Write,
  retry: Retry,
  recordAt: RecordAt,
  prior?: LiveParameter,
): Promise<number | undefined> {
  switch (item.action) {
    case 'create':
      return create(store, item, write, retry, recordAt);
    case 'update': {
      const request = putRequest(item, write, true, prior);
      const result = (await retry(() => store.put(request))) as { version: number };
      await writeTags(store, item.name, item.tags, retry, recordAt(item, result.version));
      return result.version;
    }
    case 'tag':
      await writeTags(store, item.name, item.tags, retry);
      return undefined;
    default:
      throw new ItemFailure(`unexpected action ${item.action}`);
  }
}

async function applyDeletes(s: RegionSteps, deletes: PlanItem[], routeOf: (item: PlanItem) => Route) {
  const { input, region, record, outcome, retry } = s;
  if (input.stop?.aborted) {
    for (const d of deletes) record(outcome(d, 'skipped', { message: STOPPED }));
    return;
  }
  // The source is asked once more right before deleting: a parameter re-created since the plan was made
  // must not lose its replica.
  const sourceNames = new Map(deletes.map((d) => [d, sourceNameOf(routeOf(d).destination, d.name)]));
  const toCheck = [...new Set([...sourceNames.values()].filter((n): n is string => n !== undefined))];
  const back = new Set<string>();
  try {
    const batches = [];
    for (let i = 0; i < toCheck.length; i += DELETE_BATCH) batches.push(toCheck.slice(i, i + DELETE_BATCH));
    // Existence only: no decryption.
    const reads = await mapLimit(batches, 4, (b) => retry(() => input.sourceStore.getValues(b, false)));
    for (const found of reads) {
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
  const existing = input.destinations.get(region.target)?.parameters;
  for (let i = 0; i < go.length; i += DELETE_BATCH) {
    const batch = go.slice(i, i + DELETE_BATCH);
    if (input.stop?.aborted) {
      for (const d of batch) record(outcome(d, 'skipped', { message: STOPPED }));
      continue;
    }
    const entries = batch.map((d) => journalEntry(input, region, d, existing?.get(d.name)));
    let result: { notFound: string[] };
    try {
      await input.lease?.check();
      for (const entry of entries) await s.journal(entry);
      result = (await retry(() => s.store.deleteParameters(batch.map((d) => d.name)))) as {
        notFound: string[];
      };
    } catch (error) {
      for (const [j, d] of batch.entries()) await s.fail(d, entries[j] as JournalEntry, error);
      continue;
    }
    const gone = new Set(result.notFound);
    for (const [j, d] of batch.entries()) {
      if (gone.has(d.name)) {
        const entry = entries[j] as JournalEntry;
        await s.journal({ ...entry, outcome: 'applied', message: 'already absent' }).catch(() => undefined);
        record(outcome(d, 'applied', { message: 'already absent' }));
      } else await s.done(d, entries[j] as JournalEntry, undefined);
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
