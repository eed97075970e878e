import { applyPlan } from '../apply/apply.js';
import type { ApplyProgress, ApplyReport, JournalEntry } from '../apply/types.js';
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
  journal?: (entry: JournalEntry) => void;
  progress?: (p: ApplyProgress) => void;
  concurrency?: number;
  replaceWaitMs?: number;
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

/**
 * Re-plans from live state, refuses when that plan is not the reviewed one or is blocked, applies it, then
 * re-reads every touched name and plans them again: whatever still differs is reported as drifted.
 */
export async function applyJob(ctx: JobContext, options: ApplyOptions = {}): Promise<ApplyJobResult> {
  const { plan, inventories, missing } = await planJob(
    ctx,
    options.names,
    options.expectInSource ? { expectInSource: options.expectInSource } : {},
  );
  const expected = options.expectDigest ?? options.reviewed?.digest;
  if (expected !== undefined && expected !== plan.digest && !options.allowPlanChange) {
    const differences = options.reviewed
      ? comparePlans(options.reviewed, plan)
      : [`reviewed digest ${expected}, live plan digest ${plan.digest}`];
    return { kind: 'refused', reason: 'plan-changed', plan, differences, missing };
  }
  if (plan.blockers.length > 0) return { kind: 'refused', reason: 'blocked', plan, differences: [], missing };

  const report = await applyPlan({
    manifest: ctx.manifest,
    plan,
    source: inventories.source,
    destinations: inventories.destinations,
    sourceStore: inventories.sourceStore,
    stores: inventories.stores,
    clock: ctx.clock,
    ...(options.journal ? { journal: options.journal } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.replaceWaitMs !== undefined ? { replaceWaitMs: options.replaceWaitMs } : {}),
  });
  const verification = await verify(ctx, plan, report, inventories.source);
  return { kind: 'done', plan, report, verification, missing };
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
 * Re-plans the touched names. Many names: tags come from the tagging listing (⌈tagged/100⌉ calls rather
 * than one per name), and since that listing can lag just behind our own writes, whatever it shows as a
 * tag difference is confirmed by name before it counts.
 */
async function verificationPlan(ctx: JobContext, names: string[], source: RegionInventory): Promise<Plan> {
  if (names.length <= PER_NAME_TAG_READS) return (await planJob(ctx, names, { source })).plan;
  const { plan: listed } = await planJob(ctx, names, { tagsFromListing: true, source });
  const routes = new Map(targets(ctx.manifest).map((t) => [t.key, t.routes]));
  const suspects = new Set<string>();
  // A lagging listing can also hide our ownership tag, making a fresh replica look unmanaged.
  for (const region of listed.regions) {
    const tagged = region.items.filter((i) => i.tags).map((i) => i.name);
    for (const name of [...tagged, ...region.unmanaged]) {
      for (const r of routes.get(region.target) ?? []) {
        const n = sourceNameOf(r.destination, name);
        if (n !== undefined) suspects.add(n);
      }
    }
  }
  if (suspects.size === 0) return listed;
  const { plan: confirmed } = await planJob(ctx, [...suspects], { source });
  const isSuspect = (target: string, name: string) =>
    (routes.get(target) ?? []).some((r) => suspects.has(sourceNameOf(r.destination, name) ?? name));
  const regions = listed.regions.map((region) => ({
    ...region,
    items: [
      ...region.items.filter((i) => !isSuspect(region.target, i.name)),
      ...(confirmed.regions.find((c) => c.target === region.target)?.items ?? []),
    ],
    unmanaged: [
      ...region.unmanaged.filter((n) => !isSuspect(region.target, n)),
      ...(confirmed.regions.find((c) => c.target === region.target)?.unmanaged ?? []),
    ],
  }));
  // Items and unmanaged names are corrected by the by-name pass; warnings stay those of the listing pass.
  const body = { ...listed, regions, summary: summarizeRegions(regions) };
  return { ...body, digest: planDigest(body) };
}
