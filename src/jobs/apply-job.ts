import { applyPlan, REPLACE_WAIT_MS } from '../apply/apply.js';
import { acquireLock, type Lease, LOCK_TTL_MS, LockHeld, LockWaitStopped } from '../apply/lock.js';
import type { RetryPolicy } from '../apply/retry.js';
import type { ApplyProgress, ApplyReport, ItemOutcome, JournalEntry } from '../apply/types.js';
import { type Inventories, InventoryError } from '../inventory/index.js';
import { keyed } from '../keyed.js';
import type { RegionInventory } from '../model.js';
import { comparePlans } from '../plan/compare.js';
import { planDigest } from '../plan/digest.js';
import { sourceNameOf, targets } from '../plan/names.js';
import { summarizeRegions } from '../plan/plan.js';
import type { Plan } from '../plan/types.js';
import type { JobContext } from './context.js';
import { planJob } from './plan-job.js';

export interface ApplyOptions {
  /** The digest that was reviewed; the live plan must match it unless `allowPlanChange`. */
  expectDigest?: string;
  /** The reviewed plan, when saved: used to say what changed. */
  reviewed?: Plan;
  allowPlanChange?: boolean;
  /** Event-driven runs: only these source names. */
  names?: readonly string[];
  /** Of `names`, those an event reported written: see PlanJobOptions. */
  expectInSource?: ReadonlySet<string>;
  /** Write-ahead: awaited before each write and after it (see ApplyInput.journal). */
  journal?: (entry: JournalEntry) => void | Promise<void>;
  progress?: (p: ApplyProgress) => void;
  /** Told the live plan once it is made, before any check or write: a terminal shows it first. */
  planned?: (plan: Plan) => void;
  concurrency?: number;
  replaceWaitMs?: number;
  /** The budget of attempts per call (see withRetry); the CLI passes AWS_MAX_ATTEMPTS. */
  retry?: RetryPolicy;
  /** Stops the plan's writes between two writes (see ApplyInput.stop); verification still runs. */
  stop?: { readonly aborted: boolean };
}

/** `missing`: names of `expectInSource` the source did not have, so nothing was planned for them. */
export type ApplyJobResult =
  | {
      kind: 'refused';
      reason: 'plan-changed' | 'blocked';
      plan: Plan;
      differences: string[];
      missing: string[];
    }
  | { kind: 'done'; plan: Plan; report: ApplyReport; verification: Plan; missing: string[] };

/** Who holds the lock when a shell does not say (tests; a shell should always say). */
const UNNAMED = { owner: 'an ssm-replicate apply', timeoutMs: 0 };

/**
 * Takes the manifest's lock (src/apply/lock.ts; throws LockHeld when another apply keeps it past the
 * timeout), finishes any replace an earlier run left half done, then re-plans from live state, refuses
 * when that plan is not the reviewed one or is blocked, applies it, and re-reads every touched name and
 * plans them again: whatever still differs is reported as drifted. The plan is made under the lock, so
 * two runs never plan the same change: the second one plans after the first has written.
 */
export async function applyJob(ctx: JobContext, options: ApplyOptions = {}): Promise<ApplyJobResult> {
  const { source } = ctx.manifest;
  const lockStore = ctx.storeFor({
    region: source.region,
    ...(source.roleArn ? { roleArn: source.roleArn } : {}),
  });
  const lock = { ...(ctx.lock ?? UNNAMED), ...(options.stop ? { stop: options.stop } : {}) };
  const lease = await acquireLock(lockStore, ctx.manifest.id, lock, ctx.clock).catch((error: unknown) => {
    if (error instanceof LockHeld || error instanceof LockWaitStopped) throw error;
    const e = error as { name?: string; message?: string };
    throw new InventoryError(
      `Taking the apply lock in ${source.region} failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`,
      source.region,
      { cause: error },
    );
  });
  let result: ApplyJobResult;
  try {
    const recovered = await finishInterruptedReplaces(ctx, lease, options);
    result = await applyLocked(ctx, lease, options);
    if (result.kind === 'done' && recovered.length > 0) mergeRecovered(result.report, recovered);
  } catch (error) {
    await lease.release().catch(() => undefined);
    throw error;
  }
  try {
    await lease.release();
  } catch (error) {
    ctx.reporter.notify({
      level: 'warning',
      code: 'lock-not-released',
      message: `The apply lock ${lease.name} could not be released (${(error as Error).name}); it expires by itself within ${Math.round((ctx.lock?.ttlMs ?? LOCK_TTL_MS) / 1000)} s, or run \`ssm-replicate unlock\`.`,
    });
  }
  return result;
}

async function applyLocked(ctx: JobContext, lease: Lease, options: ApplyOptions): Promise<ApplyJobResult> {
  // Event-driven runs (names) read their few sources' values with the plan's read; a full apply reads
  // only the values of the items it writes, after the plan.
  const { plan, inventories, missing } = await planJob(ctx, options.names, {
    ...(options.expectInSource ? { expectInSource: options.expectInSource } : {}),
    ...(options.names ? { sourceValues: true } : {}),
  });
  options.planned?.(plan);
  const expected = options.expectDigest ?? options.reviewed?.digest;
  if (expected !== undefined && expected !== plan.digest && !options.allowPlanChange) {
    const differences = options.reviewed
      ? comparePlans(options.reviewed, plan)
      : [`reviewed digest ${expected}, live plan digest ${plan.digest}`];
    return { kind: 'refused', reason: 'plan-changed', plan, differences, missing };
  }
  if (plan.blockers.length > 0) return { kind: 'refused', reason: 'blocked', plan, differences: [], missing };

  const report = await applyPlan({
    ...applyBase(ctx, inventories, lease),
    plan,
    ...(options.journal ? { journal: options.journal } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.replaceWaitMs !== undefined ? { replaceWaitMs: options.replaceWaitMs } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.stop ? { stop: options.stop } : {}),
  });
  const verification = await verify(ctx, plan, report, inventories.source);
  return { kind: 'done', plan, report, verification, missing };
}

/** What every applyPlan call of a job takes from its live read and its lock. */
function applyBase(ctx: JobContext, inventories: Inventories, lease: Lease) {
  return {
    manifest: ctx.manifest,
    source: inventories.source,
    destinations: inventories.destinations,
    sourceStore: inventories.sourceStore,
    stores: inventories.stores,
    clock: ctx.clock,
    lease,
    ...(ctx.onSecret ? { onSecret: ctx.onSecret } : {}),
  };
}

/**
 * Replaces an earlier run recorded as pending in the lock (it died between delete and create): each
 * replica still missing is re-created from the source before anything is planned, so the reviewed plan
 * (which was made while the replica existed) still matches and a Lambda run for other names heals it
 * too. A replica that exists, or whose source is gone, needs nothing. The create waits until 30 s after
 * the recorded delete, as AWS asks.
 */
async function finishInterruptedReplaces(
  ctx: JobContext,
  lease: Lease,
  options: ApplyOptions,
): Promise<ItemOutcome[]> {
  const pending = [...lease.pending];
  if (pending.length === 0) return [];
  const routes = new Map(targets(ctx.manifest).map((t) => [t.key, t.routes]));
  const names = new Set<string>();
  for (const p of pending)
    for (const r of routes.get(p.target) ?? []) {
      const n = sourceNameOf(r.destination, p.name);
      if (n !== undefined) names.add(n);
    }
  const wanted = new Set(pending.map((p) => `${p.target}\n${p.name}`));
  const latest = Math.max(...pending.map((p) => p.at));
  const wait = latest + (options.replaceWaitMs ?? REPLACE_WAIT_MS) - ctx.clock.now();
  if (wait > 0) await ctx.clock.sleep(wait);
  const { plan, inventories } = await planJob(ctx, [...names]);
  const regions = plan.regions.map((r) => ({
    ...r,
    items: r.items.filter((i) => i.action === 'create' && wanted.has(`${r.target}\n${i.name}`)),
  }));
  if (plan.blockers.length > 0) {
    ctx.reporter.notify({
      level: 'warning',
      code: 'replace-recovery-blocked',
      message: `${pending.length} replica(s) an interrupted replace left missing were not re-created: ${plan.blockers.map((b) => b.message).join(' ')}`,
    });
    return [];
  }
  const report = await applyPlan({
    ...applyBase(ctx, inventories, lease),
    plan: { ...plan, regions },
    recovers: 'interrupted-replace',
    ...(options.journal ? { journal: options.journal } : {}),
  });
  // Whatever was re-created, or needed nothing (replica present, source gone), is no longer pending.
  const failed = new Set(
    report.outcomes.filter((o) => o.status === 'failed').map((o) => `${o.target}\n${o.name}`),
  );
  await lease.removePending(pending.filter((p) => !failed.has(`${p.target}\n${p.name}`)));
  return report.outcomes.map((o) => ({
    ...o,
    message: o.message ?? 're-created: an earlier run was interrupted in this replace',
  }));
}

function mergeRecovered(report: ApplyReport, recovered: ItemOutcome[]): void {
  report.outcomes.push(...recovered);
  for (const o of recovered) {
    if (o.status === 'applied') report.applied++;
    else if (o.status === 'failed') report.failed++;
    else if (o.status === 'skipped') report.skipped++;
  }
}

/**
 * Checks the replicas against the source read the plan came from: re-reading the source would cost a
 * second full read, and a source change since is a new event (or the next run), not a failed write.
 */
async function verify(
  ctx: JobContext,
  plan: Plan,
  report: ApplyReport,
  source: RegionInventory,
): Promise<Plan> {
  const routes = new Map(targets(ctx.manifest).map((t) => [t.key, t.routes]));
  const names = new Set<string>();
  for (const region of plan.regions) {
    for (const item of region.items) {
      if (item.sourceName !== undefined) names.add(item.sourceName);
      for (const r of routes.get(region.target) ?? []) {
        const n = sourceNameOf(r.destination, item.name);
        if (n !== undefined) names.add(n);
      }
    }
  }
  const after = await verificationPlan(ctx, [...names], source);
  const still = new Set(after.regions.flatMap((r) => r.items.map((i) => `${r.target}\n${i.name}`)));
  for (const o of report.outcomes) {
    if (o.status === 'applied' && still.has(`${o.target}\n${o.name}`)) {
      o.status = 'drifted';
      o.message = 'still differs from the source after apply (another writer, or AWS changed it)';
      report.applied--;
      report.drifted++;
    }
  }
  return after;
}

/** Above this many names, verification reads tags from the region-wide listing rather than per name. */
const PER_NAME_TAG_READS = 100;

/**
 * Re-plans the touched names from metadata: the sync records apply just wrote prove the copies, so no
 * value is read. Many names: tags come from the tagging listing (⌈tagged/100⌉ calls rather than one per
 * name), and since that listing can lag just behind our own writes, whatever it still shows as a
 * difference is confirmed by name before it counts.
 */
async function verificationPlan(ctx: JobContext, names: string[], source: RegionInventory): Promise<Plan> {
  // It writes nothing, right after apply's own key check: no key preflight.
  const read = { source, checkKeys: false };
  if (names.length <= PER_NAME_TAG_READS) return (await planJob(ctx, names, read)).plan;
  const { plan: listed } = await planJob(ctx, names, { ...read, tagsFromListing: true });
  const routes = new Map(targets(ctx.manifest).map((t) => [t.key, t.routes]));
  const suspects = new Set<string>();
  // A lagging listing can show any item: a tag difference, a sync record behind the version it speaks of
  // (a value that looks unproven), or our ownership tag hidden, making a fresh replica look unmanaged.
  for (const region of listed.regions) {
    for (const name of [...region.items.map((i) => i.name), ...region.unmanaged]) {
      for (const r of routes.get(region.target) ?? []) {
        const n = sourceNameOf(r.destination, name);
        if (n !== undefined) suspects.add(n);
      }
    }
  }
  if (suspects.size === 0) return listed;
  const { plan: confirmed } = await planJob(ctx, [...suspects], read);
  const isSuspect = (target: string, name: string) =>
    (routes.get(target) ?? []).some((r) => suspects.has(sourceNameOf(r.destination, name) ?? name));
  const regions = listed.regions.map((region) => {
    const byName = confirmed.regions.find((c) => c.target === region.target);
    const kept = (names: readonly string[] = []) => names.filter((n) => !isSuspect(region.target, n));
    const conflicts = [...kept(region.unmanagedConflicts), ...(byName?.unmanagedConflicts ?? [])].sort();
    const written = keyed(
      conflicts.flatMap((n) => {
        const modified = (isSuspect(region.target, n) ? byName : region)?.unmanagedModified?.[n];
        return modified ? [[n, modified] as const] : [];
      }),
    );
    const { unmanagedConflicts: _listed, unmanagedModified: _written, ...rest } = region;
    return {
      ...rest,
      items: [...region.items.filter((i) => !isSuspect(region.target, i.name)), ...(byName?.items ?? [])],
      unmanaged: [...kept(region.unmanaged), ...(byName?.unmanaged ?? [])],
      ...(conflicts.length > 0 ? { unmanagedConflicts: conflicts } : {}),
      ...(Object.keys(written).length > 0 ? { unmanagedModified: written } : {}),
    };
  });
  // Items, unmanaged names and conflicts are corrected by the by-name pass; warnings and in-sync counts
  // stay those of the listing pass.
  const body = { ...listed, regions, summary: summarizeRegions(regions) };
  return { ...body, digest: planDigest(body) };
}
