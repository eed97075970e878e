import type { ItemOutcome } from '../apply/types.js';
import { applyJob } from '../jobs/apply-job.js';
import { planJob } from '../jobs/plan-job.js';
import type { Plan } from '../plan/types.js';
import { route } from './route.js';
import type { Runtime } from './runtime.js';

export interface InvocationSummary {
  decision: 'ignored' | 'replicated' | 'dry-run';
  reason?: string;
  trigger?: string;
  names?: number;
  applied?: number;
  skipped?: number;
  unchanged?: number;
  planned?: number;
}

/**
 * Some destination could not be brought in line. Thrown so that Lambda's async retries and the on-failure
 * destination take over; every healthy region was still done in this invocation. Never carries a value.
 */
export class ReplicationFailed extends Error {
  override readonly name = 'ReplicationFailed';
  constructor(readonly problems: readonly string[]) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n… and ${problems.length - shown.length} more` : '';
    super(`Replication incomplete (${problems.length} problem(s)):\n${shown.join('\n')}${more}`);
  }
}

/** One event: route it, then plan (dry run) or apply just its names from live state. */
export async function handleEvent(rt: Runtime, event: unknown): Promise<InvocationSummary> {
  const decision = route(event, rt.config.manifest);
  if (decision.kind === 'ignore') {
    const { kind: _, reason, ...rest } = decision;
    rt.logger.log('info', 'event', { ...rest, decision: 'ignore', reason });
    return { decision: 'ignored', reason, ...(rest.trigger ? { trigger: rest.trigger } : {}) };
  }
  const { trigger, region, names, change } = decision;
  rt.logger.log('info', 'event', {
    trigger,
    region,
    names,
    decision: rt.config.dryRun ? 'dry-run' : 'replicate',
    outside: decision.outside || undefined,
  });
  const written = new Set(change === 'write' ? names : []);
  return rt.config.dryRun ? dryRun(rt, names, written, trigger) : replicate(rt, names, written, trigger);
}

async function dryRun(
  rt: Runtime,
  names: string[],
  written: ReadonlySet<string>,
  trigger: string,
): Promise<InvocationSummary> {
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
    ...regionErrors(plan),
    ...plan.blockers.map((b) => `blocked: ${b.message}`),
  ];
  if (problems.length > 0) throw new ReplicationFailed(problems);
  const planned = plan.regions.reduce((n, r) => n + r.items.length, 0);
  return { decision: 'dry-run', trigger, names: names.length, planned };
}

async function replicate(
  rt: Runtime,
  names: string[],
  written: ReadonlySet<string>,
  trigger: string,
): Promise<InvocationSummary> {
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
    throw new ReplicationFailed([
      ...missingSources(rt, result.missing),
      ...result.plan.blockers.map((b) => `blocked: ${b.message}`),
    ]);
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
  const problems = [
    ...missingSources(rt, missing),
    ...regionErrors(plan),
    ...report.outcomes
      .filter(bad)
      .map((o) => `${o.region} ${o.name} ${o.action} ${o.status}${o.message ? `: ${o.message}` : ''}`),
    ...regionErrors(verification).map((p) => `${p} (while verifying)`),
  ];
  if (problems.length > 0) throw new ReplicationFailed(problems);
  return {
    decision: 'replicated',
    trigger,
    names: names.length,
    applied: report.applied,
    skipped: report.skipped,
    unchanged: plan.regions.reduce((n, r) => n + r.unchanged, 0),
  };
}

/**
 * Names an event reported written that the source read did not find: a read racing the write, or a
 * delete since. Either way nothing was established for them, so the invocation fails and is retried.
 */
function missingSources(rt: Runtime, missing: readonly string[]): string[] {
  const region = rt.config.manifest.source.region;
  return missing.map((name) => {
    rt.logger.log('error', 'source has no such parameter yet', {
      name,
      region,
      outcome: 'retry',
      message: 'the event reported a write, but GetParameters does not return it; nothing was planned for it',
    });
    return `${region} ${name}: the event reported a write, but the source read does not find it (not visible yet, or deleted since); retrying`;
  });
}

function bad(o: ItemOutcome): boolean {
  return o.status === 'failed' || o.status === 'drifted';
}

function regionErrors(plan: Plan): string[] {
  return plan.regions.filter((r) => r.error).map((r) => `${r.region}: ${r.error}`);
}

function logWarnings(rt: Runtime, plan: Plan): void {
  for (const w of [...plan.warnings, ...plan.blockers]) {
    rt.logger.log('warn', w.message, { code: w.code, region: w.region, name: w.name });
  }
}
