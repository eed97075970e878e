import { describe, expect, it } from 'vitest';
import { LOCK_TTL_MS, LockHeld, lockName } from '../../src/apply/lock.js';
import { applyJob } from '../../src/jobs/apply-job.js';
import { parseManifest } from '../../src/manifest/index.js';
import type { Clock } from '../../src/rate/limiter.js';
import type { Endpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { useEndpoint } from '../support/endpoint.js';
import { current, listUnder, replicaCalls, SOURCE, seedFleet } from '../support/seed.js';

const endpoint = useEndpoint({ latency: 2 });

const MANIFEST = `version: 1
source: { region: ${SOURCE} }
replications:
  - name: app
    paths: [/prod/app]
    destinations: [{ region: us-east-1 }, { region: eu-west-1 }]
`;
const { manifest } = parseManifest(MANIFEST, 'replication.yaml');
const LOCK = lockName('default');

/**
 * A clock for a run that may have to wait for the other: its sleeps advance time at once and return as
 * soon as the other run has finished (or after a moment, to poll again), so no outcome depends on timing.
 */
function patientClock(other: () => Promise<unknown> | undefined): Clock {
  let now = Date.now();
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      await Promise.race([other()?.catch(() => undefined), new Promise((r) => setTimeout(r, 50))]);
    },
  };
}

/** Two applies of the manifest started together, each willing to wait an hour for the other. */
async function twoAtOnce(ep: Endpoint) {
  let a: Promise<unknown> | undefined;
  let b: Promise<unknown> | undefined;
  const run = (name: string, other: () => Promise<unknown> | undefined) =>
    applyJob({
      ...jobContext(ep, manifest),
      clock: patientClock(other),
      lock: { owner: name, timeoutMs: 3_600_000 },
    });
  const pa = run('a', () => b);
  a = pa;
  const pb = run('b', () => a);
  b = pb;
  return Promise.all([pa, pb]);
}

const replicaPuts = (ep: Endpoint) => replicaCalls(ep, 'PutParameter').length;

describe('two applies of one manifest started together', () => {
  it('burn no version: every replica is created once and the second run, planned after the first, writes nothing', async () => {
    const ep = endpoint();
    seedFleet(ep, 30);
    const results = await twoAtOnce(ep);

    for (const region of ['us-east-1', 'eu-west-1']) {
      const replicas = listUnder(ep, region, '/prod/app/');
      expect(replicas).toHaveLength(30);
      expect(replicas.filter((p) => p.version !== 1).map((p) => p.name)).toEqual([]);
    }
    const reports = results.map((r) => (r.kind === 'done' ? r.report : undefined));
    expect(reports.map((r) => r?.failed)).toEqual([0, 0]);
    expect(reports.map((r) => r?.applied ?? -1).sort((x, y) => x - y)).toEqual([0, 60]);
    expect(replicaPuts(ep)).toBe(60);
    expect(ep.state.getParameter(SOURCE, LOCK)).toBeUndefined();
  });

  it('burn no version on updates: each changed replica moves exactly one version', async () => {
    const ep = endpoint();
    const seeded = seedFleet(ep, 30);
    await applyJob(jobContext(ep, manifest));
    for (const p of seeded) ep.state.putParameter({ ...p, value: `${p.value}-changed` });
    ep.resetCalls();

    const results = await twoAtOnce(ep);

    expect(results.map((r) => r.kind === 'done' && r.report.failed)).toEqual([0, 0]);
    for (const region of ['us-east-1', 'eu-west-1'])
      expect(new Set(listUnder(ep, region, '/prod/app/').map((p) => p.version))).toEqual(new Set([2]));
    expect(replicaPuts(ep)).toBe(60);
  });
});

describe('an apply that finds the lock held', () => {
  it('waits up to its timeout, then fails naming the holder and since when, having read and written nothing', async () => {
    const ep = endpoint();
    seedFleet(ep, 3);
    const since = Date.now();
    const holder = { token: 't', owner: 'github run 42', since, expires: since + 3_600_000, pending: [] };
    ep.state.putParameter({ region: SOURCE, name: LOCK, value: JSON.stringify(holder), type: 'String' });
    ep.resetCalls();
    const ctx = { ...jobContext(ep, manifest), lock: { owner: 'me', timeoutMs: 60_000 } };

    const error = await applyJob(ctx).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LockHeld);
    expect((error as Error).message).toContain('held by github run 42 since');
    expect((error as Error).message).toContain(new Date(since).toISOString());
    expect((error as Error).message).toContain('waited 60 s');
    expect(ep.calls({ operation: 'DescribeParameters' })).toEqual([]);
    expect(ep.calls().filter((c) => c.region !== SOURCE)).toEqual([]);
    expect(listUnder(ep, 'us-east-1', '/prod/app/')).toEqual([]);
    expect(current(ep, SOURCE, LOCK)?.value).toBe(JSON.stringify(holder));
  });

  it('breaks a lease past its expiry, applies, and releases the lock', async () => {
    const ep = endpoint();
    seedFleet(ep, 3);
    const since = Date.now() - 10 * LOCK_TTL_MS;
    const dead = { token: 't', owner: 'killed run', since, expires: since + LOCK_TTL_MS, pending: [] };
    ep.state.putParameter({ region: SOURCE, name: LOCK, value: JSON.stringify(dead), type: 'String' });

    const result = await applyJob({ ...jobContext(ep, manifest), lock: { owner: 'me', timeoutMs: 0 } });

    expect(result.kind === 'done' && result.report).toMatchObject({ applied: 6, failed: 0 });
    expect(ep.state.getParameter(SOURCE, LOCK)).toBeUndefined();
  });
});
