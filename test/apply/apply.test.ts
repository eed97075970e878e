import { DeleteParametersCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/apply/types.js';
import { applyJob } from '../../src/jobs/apply-job.js';
import { planJob } from '../../src/jobs/plan-job.js';
import type { Manifest } from '../../src/manifest/types.js';
import { driftFindings } from '../../src/plan/drift.js';
import { ssmClient } from '../endpoint/clients.js';
import type { Endpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { destination, manifest, OURS, OWNER, replication } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { current, listUnder, SOURCE, seedFleet } from '../support/seed.js';
import { wrapStore } from '../support/store.js';

const endpoint = useEndpoint();
let ep: Endpoint;
beforeEach(() => {
  ep = endpoint();
});

const REGIONS = ['us-east-1', 'eu-west-1'];
const twoRegions = manifest([replication({ destinations: REGIONS.map((r) => destination(r)) })]);

/** Every destination equals the source: same names, values, types and tags (plus ours). */
function expectConverged(m: Manifest = twoRegions, regions = REGIONS) {
  const source = listUnder(ep, SOURCE, '/prod/app/');
  for (const region of regions) {
    const replicas = listUnder(ep, region, '/prod/app/').filter((p) => p.tags[m.ownershipTag.key]);
    expect(replicas.map((p) => p.name).sort()).toEqual(source.map((p) => p.name).sort());
    for (const s of source) {
      const r = current(ep, region, s.name);
      expect(r?.value, `${region} ${s.name}`).toBe(s.value);
      expect(r?.type).toBe(s.type);
      expect(r?.tags).toEqual({ ...s.tags, ...OURS });
    }
  }
}

describe('apply', () => {
  it('creates every replica, then a second run writes nothing (versions prove it)', async () => {
    seedFleet(ep, 30);
    const first = await applyJob(jobContext(ep, twoRegions));
    expect(first.kind).toBe('done');
    if (first.kind !== 'done') return;
    expect(first.report).toMatchObject({ applied: 60, failed: 0, drifted: 0 });
    expect(first.verification.regions.flatMap((r) => r.items)).toEqual([]);
    expectConverged();

    ep.resetCalls();
    const second = await applyJob(jobContext(ep, twoRegions));
    expect(second.kind === 'done' && second.report.outcomes).toEqual([]);
    // The only writes are the lock's, in the source region: its create, then its delete on release.
    expect(ep.callCounts({ operation: 'PutParameter' })).toEqual({ 'ap-south-1:PutParameter': 1 });
    expect(current(ep, 'us-east-1', '/prod/app/p00000')?.version).toBe(1);
  });

  it('updates a hand-edited replica with Overwrite and fixes its tags without Tags on the put', async () => {
    seedFleet(ep, 3);
    await applyJob(jobContext(ep, twoRegions));
    ep.state.putParameter({
      region: 'us-east-1',
      name: '/prod/app/p00000',
      value: 'hand edit',
      type: 'String',
      tags: { [OWNER.key]: OWNER.value, extra: 'x' },
    });
    const result = await applyJob(jobContext(ep, twoRegions));
    expect(
      result.kind === 'done' && result.report.outcomes.map((o) => [o.region, o.name, o.action, o.status]),
    ).toEqual([['us-east-1', '/prod/app/p00000', 'update', 'applied']]);
    expectConverged();
  });

  it('refuses to apply when the live plan is not the reviewed one, and says what changed', async () => {
    seedFleet(ep, 3);
    const { plan: reviewed } = await planJob(jobContext(ep, twoRegions));
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/NEW', value: 'n', type: 'String' });
    const result = await applyJob(jobContext(ep, twoRegions), { reviewed });
    expect(result.kind).toBe('refused');
    if (result.kind !== 'refused') return;
    expect(result.reason).toBe('plan-changed');
    expect(result.differences).toContain('+ us-east-1 create /prod/app/NEW (not in the reviewed plan)');
    expect(ep.callCounts({ operation: 'PutParameter' })).toEqual({ 'ap-south-1:PutParameter': 1 });

    const allowed = await applyJob(jobContext(ep, twoRegions), { reviewed, allowPlanChange: true });
    expect(allowed.kind).toBe('done');
  });

  it('applies with the reviewed digest when nothing changed since review', async () => {
    seedFleet(ep, 3);
    const { plan } = await planJob(jobContext(ep, twoRegions));
    const result = await applyJob(jobContext(ep, twoRegions), { expectDigest: plan.digest });
    expect(result.kind === 'done' && result.report.applied).toBe(6);
  });

  it('never applies a blocked plan', async () => {
    seedFleet(ep, 3);
    const strict = manifest([replication({ destinations: [destination('us-east-1', { maxDeletes: 1 })] })]);
    await applyJob(jobContext(ep, strict));
    ep.state.reset();
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/keep', value: 'k', type: 'String' });
    for (const n of ['a', 'b'])
      ep.state.putParameter({
        region: 'us-east-1',
        name: `/prod/app/${n}`,
        value: 'v',
        type: 'String',
        tags: OURS,
      });
    const result = await applyJob(jobContext(ep, strict));
    expect(result).toMatchObject({ kind: 'refused', reason: 'blocked' });
    expect(current(ep, 'us-east-1', '/prod/app/a')).toBeDefined();
  });

  it('deletes managed replicas whose source is gone in batches of 10, and never an unmanaged one', async () => {
    seedFleet(ep, 25);
    await applyJob(jobContext(ep, twoRegions));
    ep.state.putParameter({ region: 'us-east-1', name: '/prod/app/handmade', value: 'mine', type: 'String' });
    const names = Array.from({ length: 25 }, (_, i) => `/prod/app/p${String(i).padStart(5, '0')}`).filter(
      (_, i) => i !== 3,
    );
    const source = ssmClient(ep, SOURCE);
    for (let i = 0; i < names.length; i += 10)
      await source.send(new DeleteParametersCommand({ Names: names.slice(i, i + 10) }));
    ep.resetCalls();
    // Deleting 24 of 25 replicas is over the default max-delete-percent: this cleanup says it is meant.
    const cleanup = manifest([
      replication({ destinations: REGIONS.map((r) => destination(r, { maxDeletePercent: 100 })) }),
    ]);
    const result = await applyJob(jobContext(ep, cleanup));
    expect(result.kind === 'done' && result.report).toMatchObject({ applied: 48, failed: 0 });
    expect(ep.callCounts({ operation: 'DeleteParameters' })).toEqual({
      'us-east-1:DeleteParameters': 3,
      'eu-west-1:DeleteParameters': 3,
      // The lock's release.
      'ap-south-1:DeleteParameters': 1,
    });
    expect(current(ep, 'us-east-1', '/prod/app/handmade')?.value).toBe('mine');
    expect(current(ep, 'us-east-1', '/prod/app/p00003')).toBeDefined();
  });

  it('encrypts SecureString replicas with the destination key, and never applies a plan whose key is missing in a region', async () => {
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/DB_PASSWORD',
      value: 'hunter2',
      type: 'SecureString',
    });
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/DB_HOST', value: 'db', type: 'String' });
    ep.state.createKey({ region: 'us-east-1', alias: 'alias/prod-key' });
    const both = manifest([
      replication({
        destinations: [
          destination('us-east-1', { kmsKeyId: 'alias/prod-key' }),
          destination('eu-west-1', { kmsKeyId: 'alias/prod-key' }),
        ],
      }),
    ]);
    const refused = await applyJob(jobContext(ep, both));
    if (refused.kind !== 'refused') throw new Error('expected refused');
    expect(refused.plan.blockers.map((b) => [b.code, b.region])).toEqual([['kms-key-missing', 'eu-west-1']]);
    // The source region sees only the apply lock's own parameter.
    for (const region of ['us-east-1', 'eu-west-1'])
      expect(ep.calls({ operation: 'PutParameter', region })).toEqual([]);

    const usEast = manifest([
      replication({ destinations: [destination('us-east-1', { kmsKeyId: 'alias/prod-key' })] }),
    ]);
    expect((await applyJob(jobContext(ep, usEast))).kind).toBe('done');
    expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')).toMatchObject({
      value: 'hunter2',
      keyId: 'alias/prod-key',
    });
  });

  it('keeps going when one region is down, then a re-run after recovery finishes the job', async () => {
    seedFleet(ep, 10);
    ep.faults.regionDown('eu-west-1');
    const first = await applyJob(jobContext(ep, twoRegions, { maxAttempts: 1 }));
    if (first.kind !== 'done') throw new Error('expected done');
    expect(first.plan.regions.find((r) => r.region === 'eu-west-1')?.error).toMatch(/eu-west-1/);
    expect(listUnder(ep, 'us-east-1', '/prod/app/')).toHaveLength(10);
    ep.faults.regionUp('eu-west-1');
    const second = await applyJob(jobContext(ep, twoRegions));
    expect(second.kind === 'done' && second.report).toMatchObject({ applied: 10, failed: 0 });
    expectConverged();
  });

  it('rides out TooManyUpdates and 5xx bursts with retries', async () => {
    seedFleet(ep, 6);
    ep.faults.failNext({ operation: 'PutParameter', region: 'us-east-1', count: 3, error: 'TooManyUpdates' });
    ep.faults.failNext({
      operation: 'PutParameter',
      region: 'eu-west-1',
      count: 4,
      error: 'InternalServerError',
    });
    const result = await applyJob(jobContext(ep, twoRegions, { maxAttempts: 1 }));
    expect(result.kind === 'done' && result.report).toMatchObject({ applied: 12, failed: 0 });
    expect(ep.calls({ errorCode: 'TooManyUpdates' })).toHaveLength(3);
    expectConverged();
  });

  it('replaces a replica whose tier went from Advanced to Standard, waiting the 30 s AWS asks for', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/T', value: 'v', type: 'String' });
    ep.state.putParameter({
      region: 'us-east-1',
      name: '/prod/app/T',
      value: 'v',
      type: 'String',
      tier: 'Advanced',
      tags: { [OWNER.key]: OWNER.value },
    });
    const m = manifest();
    const ctx = jobContext(ep, m);
    const result = await applyJob(ctx);
    expect(result.kind === 'done' && result.report.outcomes.map((o) => [o.action, o.status])).toEqual([
      ['replace', 'applied'],
    ]);
    expect((ctx.clock as unknown as { slept: number[] }).slept).toContain(30_000);
    expect(current(ep, 'us-east-1', '/prod/app/T')).toMatchObject({ tier: 'Standard' });
  });

  it('journals the prior version and metadata of every write, never a value', async () => {
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/S',
      value: 'CANARY-JOURNAL-SECRET',
      type: 'SecureString',
    });
    await applyJob(jobContext(ep, manifest()));
    ep.state.putParameter({
      region: 'us-east-1',
      name: '/prod/app/S',
      value: 'drifted',
      type: 'SecureString',
      tags: { [OWNER.key]: OWNER.value },
    });
    const journal: JournalEntry[] = [];
    await applyJob(jobContext(ep, manifest()), {
      journal: (e) => {
        journal.push(e);
      },
    });
    expect(journal.map((e) => [e.name, e.action, e.prior?.version, e.outcome ?? 'before'])).toEqual([
      ['/prod/app/S', 'update', 2, 'before'],
      ['/prod/app/S', 'update', 2, 'applied'],
    ]);
    expect(JSON.stringify(journal)).not.toMatch(/CANARY|drifted/);
  });
});

describe('apply verification of many names', () => {
  it('reads tags from the tagging listing instead of one call per name', async () => {
    seedFleet(ep, 150);
    const result = await applyJob(jobContext(ep, twoRegions));
    expect(result.kind === 'done' && result.report).toMatchObject({ applied: 300, failed: 0, drifted: 0 });
    expect(ep.calls({ operation: 'ListTagsForResource' })).toEqual([]);
  });

  it('confirms by name what a lagging tagging listing shows as a tag difference, reporting no false drift', async () => {
    seedFleet(ep, 150);
    const ctx = jobContext(ep, twoRegions);
    const real = ctx.storeFor;
    let listings = 0;
    // The tagging API is eventually consistent: right after the writes it may not list the new tags yet.
    ctx.storeFor = (target) => {
      const store = real(target);
      return wrapStore(store, {
        taggedParameters: async () =>
          ++listings > 3 ? { tags: new Map(), syncRecords: new Map() } : store.taggedParameters(),
      });
    };
    const result = await applyJob(ctx);
    expect(result.kind === 'done' && result.report).toMatchObject({ applied: 300, failed: 0, drifted: 0 });
    expect(ep.calls({ operation: 'ListTagsForResource' }).length).toBeGreaterThan(0);
    // Without tags in the listing, the fresh replicas looked unmanaged there; confirmed by name, they are ours.
    if (result.kind !== 'done') throw new Error(result.kind);
    expect(driftFindings(result.verification)).toEqual([]);
    expect(result.verification.regions.map((r) => r.unmanagedConflicts ?? [])).toEqual([[], []]);
  });
});
