import { beforeEach, describe, expect, it } from 'vitest';
import { STOPPED } from '../../src/apply/apply.js';
import type { JournalEntry } from '../../src/apply/types.js';
import { applyJob } from '../../src/jobs/apply-job.js';
import { planJob } from '../../src/jobs/plan-job.js';
import type { Endpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { destination, manifest, replication } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { current, replicaCalls, SOURCE, seedFleet } from '../support/seed.js';
import { wrapStore } from '../support/store.js';

/** The stop signal a shell raises on SIGINT/SIGTERM: writes in flight finish, nothing new starts. */

const endpoint = useEndpoint();
let ep: Endpoint;
beforeEach(() => {
  ep = endpoint();
});

const oneRegion = manifest([replication({ destinations: [destination('us-east-1')] })]);

/** A context whose destination store raises `signal` once `after` puts have been answered. */
function stoppingAfter(after: number) {
  const signal = { aborted: false };
  const ctx = jobContext(ep, oneRegion);
  const storeFor = ctx.storeFor;
  let puts = 0;
  ctx.storeFor = (target) => {
    const store = storeFor(target);
    if (target.region === SOURCE) return store;
    return wrapStore(store, {
      put: async (request) => {
        const result = await store.put(request);
        if (++puts === after) signal.aborted = true;
        return result;
      },
    });
  };
  return { ctx, signal };
}

describe('apply with a stop signal', () => {
  it('writes nothing and journals nothing when stopped before the first write', async () => {
    seedFleet(ep, 5);
    const journal: JournalEntry[] = [];
    const result = await applyJob(jobContext(ep, oneRegion), {
      stop: { aborted: true },
      journal: (e) => {
        journal.push(e);
      },
    });
    if (result.kind !== 'done') throw new Error(`expected done, got ${result.kind}`);
    expect(result.report).toMatchObject({ applied: 0, failed: 0, skipped: 5 });
    expect(result.report.outcomes.every((o) => o.message === STOPPED)).toBe(true);
    expect(journal).toEqual([]);
    expect(replicaCalls(ep, 'PutParameter')).toEqual([]);
  });

  it('finishes the writes in flight, starts no other, and journals exactly what it wrote', async () => {
    seedFleet(ep, 20);
    const { ctx, signal } = stoppingAfter(1);
    const journal: JournalEntry[] = [];
    const result = await applyJob(ctx, {
      stop: signal,
      concurrency: 2,
      journal: (e) => {
        journal.push(e);
      },
    });
    if (result.kind !== 'done') throw new Error(`expected done, got ${result.kind}`);
    const { report } = result;
    expect(report.failed).toBe(0);
    expect(report.applied).toBeGreaterThanOrEqual(1);
    expect(report.skipped).toBeGreaterThanOrEqual(1);
    expect(report.applied + report.skipped).toBe(20);

    const applied = report.outcomes.filter((o) => o.status === 'applied').map((o) => o.name);
    const skipped = report.outcomes.filter((o) => o.status === 'skipped').map((o) => o.name);
    // Every PutParameter sent belongs to an applied item, and each of those replicas exists.
    expect(replicaCalls(ep, 'PutParameter')).toHaveLength(report.applied);
    for (const name of applied) expect(current(ep, 'us-east-1', name)).toBeDefined();
    for (const name of skipped) expect(current(ep, 'us-east-1', name)).toBeUndefined();
    // Write-ahead record and outcome for each write, nothing for the skipped ones.
    expect(
      journal
        .filter((e) => e.outcome === undefined)
        .map((e) => e.name)
        .sort(),
    ).toEqual(applied.sort());
    expect(
      journal
        .filter((e) => e.outcome === 'applied')
        .map((e) => e.name)
        .sort(),
    ).toEqual(applied.sort());
    expect(journal.some((e) => skipped.includes(e.name))).toBe(false);

    // The next run plans exactly what the stopped one left.
    const { plan } = await planJob(jobContext(ep, oneRegion));
    expect(plan.regions[0]?.items.map((i) => i.name).sort()).toEqual(skipped.sort());
  });
});
