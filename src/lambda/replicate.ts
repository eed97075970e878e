import type { ItemOutcome } from '../apply/types.js';
import { applyJob } from '../jobs/apply-job.js';
import { planJob } from '../jobs/plan-job.js';
import { replicates, sourceNameOf, type Target, targets } from '../plan/names.js';
import type { Plan } from '../plan/types.js';
import type { Runtime } from './runtime.js';

/** What could not be brought in line, and which source names it concerns (all of them when undefined). */
export interface Problem {
  message: string;
  names?: readonly string[];
}

export interface RunOutcome {
  applied: number;
  skipped: number;
  unchanged: number;
  planned: number;
  problems: Problem[];
}

/**
 * Plans (dry run) or applies these source names from live state as one job, and says which names are not
 * in line afterwards. `written`: the names events reported written (see PlanJobOptions.expectInSource).
 */
export async function runNames(
  rt: Runtime,
  names: readonly string[],
  written: ReadonlySet<string>,
): Promise<RunOutcome> {
  return rt.config.dryRun ? dryRun(rt, names, written) : replicate(rt, names, written);
}

async function dryRun(
  rt: Runtime,
  names: readonly string[],
  written: ReadonlySet<string>,
): Promise<RunOutcome> {
  const { plan, missing } = await planJob(rt.ctx, names, { expectInSource: written });
  logWarnings(rt, plan);
  for (const r of plan.regions) {
    for (const item of r.items) {
      rt.logger.log('info', 'item', {
        action: item.action,
        name: item.name,
        region: r.region,
        outcome: 'dry-run',
        durationMs: 0,
      });
    }
  }
  const problems = [
    ...missingSources(rt, missing),
    ...regionErrors(rt, plan, names),
    ...plan.blockers.map((b) => ({ message: `blocked: ${b.message}` })),
  ];
  const planned = plan.regions.reduce((n, r) => n + r.items.length, 0);
  return { applied: 0, skipped: 0, unchanged: unchangedIn(plan), planned, problems };
}

async function replicate(
  rt: Runtime,
  names: readonly string[],
  written: ReadonlySet<string>,
): Promise<RunOutcome> {
  const { clock, logger } = rt;
  const begun = clock.now();
  const starts = new Map<string, number>();
  // Outcomes are reported in the order they finish, one progress call each, so index i ends at ends[i].
  const ends: number[] = [];
  const result = await applyJob(rt.ctx, {
    names,
    expectInSource: written,
    journal: (e) => {
      const key = `${e.region}\n${e.name}`;
      if (e.outcome === undefined && !starts.has(key)) starts.set(key, clock.now());
    },
    progress: () => {
      ends.push(clock.now());
    },
  });
  logWarnings(rt, result.plan);
  if (result.kind === 'refused') {
    return {
      applied: 0,
      skipped: 0,
      unchanged: 0,
      planned: 0,
      problems: [
        ...missingSources(rt, result.missing),
        ...result.plan.blockers.map((b) => ({ message: `blocked: ${b.message}` })),
      ],
    };
  }
  const { report, plan, verification, missing } = result;
  report.outcomes.forEach((o, i) => {
    const start = starts.get(`${o.region}\n${o.name}`) ?? begun;
    logger.log(bad(o) ? 'error' : 'info', 'item', {
      action: o.action,
      name: o.name,
      region: o.region,
      outcome: o.status,
      durationMs: Math.max(0, (ends[i] ?? clock.now()) - start),
      message: o.message,
    });
  });
  const byTarget = new Map(targets(rt.config.manifest).map((t) => [t.key, t]));
  const problems: Problem[] = [
    ...missingSources(rt, missing),
    ...regionErrors(rt, plan, names),
    ...report.outcomes.filter(bad).map((o) => ({
      message: `${o.region} ${o.name} ${o.action} ${o.status}${o.message ? `: ${o.message}` : ''}`,
      names: sourcesOf(byTarget.get(o.target), o.name, names),
    })),
    ...regionErrors(rt, verification, names).map((p) => ({
      ...p,
      message: `${p.message} (while verifying)`,
    })),
  ];
  return {
    applied: report.applied,
    skipped: report.skipped,
    unchanged: unchangedIn(plan),
    planned: plan.regions.reduce((n, r) => n + r.items.length, 0),
    problems,
  };
}

function unchangedIn(plan: Plan): number {
  return plan.regions.reduce((n, r) => n + r.unchanged, 0);
}

/** The source names among `names` that this replica in this target is written from. */
function sourcesOf(target: Target | undefined, destName: string, names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const r of target?.routes ?? []) {
    const n = sourceNameOf(r.destination, destName);
    if (n !== undefined && replicates(r.replication, n) && names.includes(n)) out.add(n);
  }
  return [...out];
}

/**
 * Names an event reported written that the source read did not find: a read racing the write, or a
 * delete since. Either way nothing was established for them, so they fail and are retried.
 */
function missingSources(rt: Runtime, missing: readonly string[]): Problem[] {
  const region = rt.config.manifest.source.region;
  return missing.map((name) => {
    rt.logger.log('error', 'source has no such parameter yet', {
      name,
      region,
      outcome: 'retry',
      message: 'the event reported a write, but GetParameters does not return it; nothing was planned for it',
    });
    return {
      message: `${region} ${name}: the event reported a write, but the source read does not find it (not visible yet, or deleted since); retrying`,
      names: [name],
    };
  });
}

/** An unreadable destination concerns every name replicated into it. */
function regionErrors(rt: Runtime, plan: Plan, names: readonly string[]): Problem[] {
  const byTarget = new Map(targets(rt.config.manifest).map((t) => [t.key, t]));
  return plan.regions
    .filter((r) => r.error)
    .map((r) => {
      const routes = byTarget.get(r.target)?.routes ?? [];
      return {
        message: `${r.region}: ${r.error}`,
        names: names.filter((n) => routes.some((route) => replicates(route.replication, n))),
      };
    });
}

function bad(o: ItemOutcome): boolean {
  return o.status === 'failed' || o.status === 'drifted';
}

function logWarnings(rt: Runtime, plan: Plan): void {
  for (const w of [...plan.warnings, ...plan.blockers]) {
    rt.logger.log('warn', w.message, { code: w.code, region: w.region, name: w.name });
  }
}
