import type { RateLimits } from '../src/aws/clients.js';
import { sdkStoreFactory } from '../src/aws/factory.js';
import { applyJob } from '../src/jobs/apply-job.js';
import type { JobContext } from '../src/jobs/context.js';
import { planJob } from '../src/jobs/plan-job.js';
import type { Manifest } from '../src/manifest/types.js';
import type { PlanSummary } from '../src/plan/types.js';
import { systemClock } from '../src/rate/limiter.js';
import { TEST_CREDENTIALS } from '../test/endpoint/clients.js';
import { runSeed, type SeedRunOptions, type SeedRunResult } from './seed-baseline.js';

/**
 * One scenario in a process of its own, forked by the runner, which keeps the endpoint: so the peak RSS
 * reported is the tool's alone and the endpoint gets the other core. Receives one job, answers once, exits.
 */
export type WorkerJob =
  | {
      kind: 'plan' | 'apply';
      endpoint: string;
      manifest: Manifest;
      rates: RateLimits;
      maxAttempts: number;
      /** Plans: `values` is `--verify values` (read and decrypt every value, as every plan did before). */
      verify?: 'values';
    }
  | { kind: 'seed'; options: SeedRunOptions };

export interface WorkerResult {
  wallMs: number;
  /** process.resourceUsage().maxRSS of this process, in MB. */
  peakRssMb: number;
  /** Heap still in use after a full GC with the plan and inventories held (forked with --expose-gc only). */
  liveHeapMb?: number;
  plan?: { summary: PlanSummary; items: number; blockers: number; regionErrors: string[] };
  apply?: {
    kind: 'done' | 'refused';
    applied: number;
    failed: number;
    skipped: number;
    drifted: number;
    /** Failed items by the error name that ended them. */
    failures: Record<string, number>;
    verificationItems: number;
  };
  seed?: SeedRunResult;
}

export type WorkerReply = { ok: true; result: WorkerResult } | { ok: false; error: string };

function context(job: Extract<WorkerJob, { kind: 'plan' | 'apply' }>): JobContext {
  return {
    manifest: job.manifest,
    storeFor: sdkStoreFactory({
      maxAttempts: job.maxAttempts,
      retryMode: 'standard',
      credentials: TEST_CREDENTIALS,
      rates: job.rates,
      endpoint: job.endpoint,
    }),
    // Real time: the limiter and the retry backoff must really wait for the rates to mean anything.
    clock: systemClock,
    reporter: { notify: () => undefined },
  };
}

/** Live heap while `held` is still referenced: what the plan and inventories themselves occupy, garbage excluded. */
function liveHeap(held: unknown): { liveHeapMb?: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return {};
  gc();
  const liveHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
  return held ? { liveHeapMb } : {};
}

function planFacts(plan: {
  summary: PlanSummary;
  blockers: unknown[];
  regions: { items: unknown[]; error?: string }[];
}) {
  return {
    summary: plan.summary,
    items: plan.regions.reduce((n, r) => n + r.items.length, 0),
    blockers: plan.blockers.length,
    regionErrors: plan.regions.flatMap((r) => (r.error ? [r.error] : [])),
  };
}

async function run(job: WorkerJob): Promise<Omit<WorkerResult, 'peakRssMb'>> {
  const started = performance.now();
  if (job.kind === 'seed') {
    const seed = await runSeed(job.options);
    return { wallMs: performance.now() - started, seed };
  }
  if (job.kind === 'plan') {
    const result = await planJob(context(job), undefined, job.verify ? { verify: job.verify } : {});
    const wallMs = performance.now() - started;
    return { wallMs, plan: planFacts(result.plan), ...liveHeap(result) };
  }
  const result = await applyJob(context(job));
  const wallMs = performance.now() - started;
  if (result.kind === 'refused') {
    return {
      wallMs,
      plan: planFacts(result.plan),
      apply: {
        kind: 'refused',
        applied: 0,
        failed: 0,
        skipped: 0,
        drifted: 0,
        failures: {},
        verificationItems: 0,
      },
    };
  }
  const failures: Record<string, number> = {};
  for (const o of result.report.outcomes) {
    if (o.status !== 'failed') continue;
    const code = /^(\w+):/.exec(o.message ?? '')?.[1] ?? 'Error';
    failures[code] = (failures[code] ?? 0) + 1;
  }
  const { applied, failed, skipped, drifted } = result.report;
  return {
    wallMs,
    plan: planFacts(result.plan),
    apply: {
      kind: 'done',
      applied,
      failed,
      skipped,
      drifted,
      failures,
      verificationItems: planFacts(result.verification).items,
    },
  };
}

process.once('message', (job: WorkerJob) => {
  const reply = (message: WorkerReply) => process.send?.(message, () => process.disconnect());
  run(job).then(
    (result) => reply({ ok: true, result: { ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 } }),
    (error: unknown) =>
      reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
