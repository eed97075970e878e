import { runNames } from './replicate.js';
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
 * Some destination could not be brought in line. Thrown so that Lambda's retries and the failure queue
 * take over; every healthy region was still done in this invocation. Never carries a value.
 */
export class ReplicationFailed extends Error {
  override readonly name = 'ReplicationFailed';
  constructor(readonly problems: readonly string[]) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n… and ${problems.length - shown.length} more` : '';
    super(`Replication incomplete (${problems.length} problem(s)):\n${shown.join('\n')}${more}`);
  }
}

/** One EventBridge event (asynchronous invocation): route it, then plan or apply just its names. */
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
  const outcome = await runNames(rt, names, new Set(change === 'write' ? names : []));
  if (outcome.problems.length > 0) throw new ReplicationFailed(outcome.problems.map((p) => p.message));
  if (rt.config.dryRun)
    return { decision: 'dry-run', trigger, names: names.length, planned: outcome.planned };
  return {
    decision: 'replicated',
    trigger,
    names: names.length,
    applied: outcome.applied,
    skipped: outcome.skipped,
    unchanged: outcome.unchanged,
  };
}
