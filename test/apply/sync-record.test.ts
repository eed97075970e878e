import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyJob } from '../../src/jobs/apply-job.js';
import { planJob } from '../../src/jobs/plan-job.js';
import { driftFindings } from '../../src/plan/drift.js';
import { decodeSyncRecord, encodeSyncRecord, SYNC_TAG_KEY } from '../../src/plan/sync-record.js';
import type { Plan, PlanItem } from '../../src/plan/types.js';
import { ssmClient } from '../endpoint/clients.js';
import type { Endpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { destination, manifest, OURS, replication } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { current, SOURCE, seedFleet } from '../support/seed.js';

/*
 * Plans that never decrypt (issue 13): a replica's sync record proves it equal to its source from
 * metadata alone, and every way the proof can fail makes the value "unknown", never "equal".
 */

// One second per reading of the clock: every write has a LastModifiedDate of its own, as on AWS.
let now = Date.UTC(2026, 0, 1);
const endpoint = useEndpoint({ clock: () => (now += 1000) });
let ep: Endpoint;
beforeEach(() => {
  ep = endpoint();
});

const REGIONS = ['us-east-1', 'eu-west-1'];
const m = manifest([replication({ destinations: REGIONS.map((r) => destination(r)) })]);
const ctx = () => jobContext(ep, m);

/** The operations a plan role may call (issue 13: the plan role contract). */
const PLAN_ROLE = new Set([
  'DescribeParameters',
  'ListTagsForResource',
  'GetResources',
  'DescribeKey',
  'GetCallerIdentity',
]);

async function converge(count = 9): Promise<void> {
  seedFleet(ep, count);
  const result = await applyJob(ctx());
  if (result.kind !== 'done') throw new Error(`apply ${result.kind}`);
  expect(result.report).toMatchObject({ applied: count * REGIONS.length, failed: 0, drifted: 0 });
  ep.resetCalls();
}

function items(plan: Plan, region = 'us-east-1'): PlanItem[] {
  return plan.regions.find((r) => r.region === region)?.items ?? [];
}

const valueReason = (item: PlanItem | undefined) =>
  item?.changes.find((c) => c.attribute === 'value')?.reason;

const put = (region: string, name: string, value: string, type: 'String' | 'SecureString' = 'String') =>
  ssmClient(ep, region).send(
    new PutParameterCommand({ Name: name, Value: value, Type: type, Overwrite: true }),
  );

const decrypts = () => ep.calls().reduce((n, c) => n + (c.kmsDecrypts ?? 0), 0);

describe('sync records on replicas', () => {
  it('records on every create the source version, its date and replica version 1', async () => {
    await converge(3);
    for (const region of REGIONS) {
      for (const i of [0, 1, 2]) {
        const name = `/prod/app/p0000${i}`;
        const record = decodeSyncRecord(current(ep, region, name)?.sync);
        const source = ep.state.getParameter(SOURCE, name)?.versions.at(-1);
        expect(record).toMatchObject({
          sourceVersion: 1,
          sourceDate: source?.lastModifiedDate,
          replicaVersion: 1,
        });
      }
    }
  });

  it('re-plans and drift-checks a converged fleet with no GetParameters call and no KMS decrypt', async () => {
    await converge(30);

    const { plan } = await planJob(ctx());
    const { plan: drift } = await planJob(ctx());

    expect(plan.summary).toMatchObject({ creates: 0, updates: 0, tagChanges: 0, unchanged: 60 });
    expect(driftFindings(drift)).toEqual([]);
    expect(ep.calls({ operation: 'GetParameters' })).toEqual([]);
    expect(decrypts()).toBe(0);
    expect(ep.calls().filter((c) => !PLAN_ROLE.has(c.operation))).toEqual([]);
  });

  it('finds a hand edit of a replica, names who made it and when, and apply puts the value back', async () => {
    await converge(3);
    await put('us-east-1', '/prod/app/p00000', 'edited by hand');
    ep.resetCalls();

    const { plan } = await planJob(ctx());
    const [item] = items(plan);
    expect(item).toMatchObject({ action: 'update', name: '/prod/app/p00000', destinationVersion: 2 });
    expect(valueReason(item)).toMatch(
      /^replica changed outside ssm-replicate by arn:aws:iam::123456789012:user\/local at 20\d\d-.*Z \(version 1 → 2\)$/,
    );
    expect(driftFindings(plan)).toEqual([
      expect.objectContaining({
        name: '/prod/app/p00000',
        kind: 'value',
        modified: { user: 'arn:aws:iam::123456789012:user/local', date: expect.any(String) },
      }),
    ]);
    expect(items(plan, 'eu-west-1')).toEqual([]);
    expect(ep.calls({ operation: 'GetParameters' })).toEqual([]);

    const applied = await applyJob(ctx(), { expectDigest: plan.digest });
    expect(applied).toMatchObject({ kind: 'done', report: { applied: 1, failed: 0, drifted: 0 } });
    expect(current(ep, 'us-east-1', '/prod/app/p00000')).toMatchObject({ value: 'value-0', version: 3 });
    expect(decodeSyncRecord(current(ep, 'us-east-1', '/prod/app/p00000')?.sync)?.replicaVersion).toBe(3);
    expect(items((await planJob(ctx())).plan)).toEqual([]);
  });

  it('says which source version a copy is behind, and apply reads and decrypts values for those items only', async () => {
    await converge(9);
    await put(SOURCE, '/prod/app/p00002', 'rotated', 'SecureString');
    ep.resetCalls();

    const { plan } = await planJob(ctx());
    expect(plan.summary).toMatchObject({ updates: 2, unchanged: 16 });
    for (const region of REGIONS)
      expect(valueReason(items(plan, region)[0])).toBe('source changed: version 1 → 2');
    expect(ep.calls({ operation: 'GetParameters' })).toEqual([]);

    ep.resetCalls();
    const applied = await applyJob(ctx(), { expectDigest: plan.digest });
    expect(applied).toMatchObject({ kind: 'done', report: { applied: 2, drifted: 0 } });
    // The changed source, once for both regions, and the replica in each: value-only updates are compared.
    const reads = ep.calls({ operation: 'GetParameters' }).filter((c) => c.withDecryption);
    expect(reads.map((c) => c.region).sort()).toEqual([SOURCE, ...REGIONS].sort());
    expect(decrypts()).toBe(3);
    for (const region of REGIONS)
      expect(current(ep, region, '/prod/app/p00002')).toMatchObject({ value: 'rotated', version: 2 });
  });

  it('writes only the sync record when a source was written again with the same value', async () => {
    await converge(3);
    await put(SOURCE, '/prod/app/p00000', 'value-0');
    ep.resetCalls();

    const { plan } = await planJob(ctx());
    expect(valueReason(items(plan)[0])).toBe('source changed: version 1 → 2');
    const applied = await applyJob(ctx(), { expectDigest: plan.digest });
    if (applied.kind !== 'done') throw new Error(applied.kind);

    expect(applied.report.outcomes.map((o) => o.message)).toEqual([
      'value already equal: sync record written, no new version',
      'value already equal: sync record written, no new version',
    ]);
    expect(ep.calls({ operation: 'PutParameter' }).filter((c) => c.region !== SOURCE)).toEqual([]);
    for (const region of REGIONS) {
      const replica = current(ep, region, '/prod/app/p00000');
      expect(replica?.version).toBe(1);
      expect(decodeSyncRecord(replica?.sync)).toMatchObject({ sourceVersion: 2, replicaVersion: 1 });
    }
    expect((await planJob(ctx())).plan.summary.unchanged).toBe(6);
  });

  it('finds a source deleted and re-created up to the same version number', async () => {
    await converge(3);
    const source = ssmClient(ep, SOURCE);
    await source.send(new DeleteParameterCommand({ Name: '/prod/app/p00000' }));
    await source.send(new PutParameterCommand({ Name: '/prod/app/p00000', Value: 'reborn', Type: 'String' }));
    expect(current(ep, SOURCE, '/prod/app/p00000')?.version).toBe(1);

    const { plan } = await planJob(ctx());
    const [item] = items(plan);
    expect(item).toMatchObject({ action: 'update', sourceVersion: 1 });
    expect(valueReason(item)).toMatch(/^source was re-created since the copy \(version 1, written 20/);

    await applyJob(ctx(), { expectDigest: plan.digest });
    expect(current(ep, 'us-east-1', '/prod/app/p00000')?.value).toBe('reborn');
  });

  it('takes a removed record for "no sync record", and apply records the equal value without a version', async () => {
    await converge(3);
    await ssmClient(ep, 'us-east-1').send(
      new RemoveTagsFromResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: '/prod/app/p00001',
        TagKeys: [SYNC_TAG_KEY],
      }),
    );

    const { plan } = await planJob(ctx());
    expect(items(plan).map((i) => [i.name, valueReason(i)])).toEqual([
      ['/prod/app/p00001', 'no sync record'],
    ]);
    // The record is bookkeeping, not a tag change a reviewer approves.
    expect(items(plan)[0]?.tags).toBeUndefined();

    await applyJob(ctx(), { expectDigest: plan.digest });
    expect(current(ep, 'us-east-1', '/prod/app/p00001')?.version).toBe(1);
    expect(items((await planJob(ctx())).plan)).toEqual([]);
  });

  it('takes a malformed record for unknown, never for equal', async () => {
    await converge(3);
    const good = current(ep, 'us-east-1', '/prod/app/p00001')?.sync as string;
    for (const forged of [`${good} `, good.replace('v1/', 'v2/'), `${good}x`, 'v1/1/0/1/']) {
      await ssmClient(ep, 'us-east-1').send(
        new AddTagsToResourceCommand({
          ResourceType: 'Parameter',
          ResourceId: '/prod/app/p00001',
          Tags: [{ Key: SYNC_TAG_KEY, Value: forged }],
        }),
      );
      const { plan } = await planJob(ctx());
      expect(items(plan).map((i) => valueReason(i))).toEqual(['sync record unreadable']);
    }
  });

  it('trusts a forged record from metadata, and --verify values finds it', async () => {
    await converge(3);
    await put('us-east-1', '/prod/app/p00000', 'tampered');
    // Whoever can write the replica and tag it can make its record claim the new version.
    const record = decodeSyncRecord(current(ep, 'us-east-1', '/prod/app/p00000')?.sync);
    if (!record) throw new Error('no record');
    await ssmClient(ep, 'us-east-1').send(
      new AddTagsToResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: '/prod/app/p00000',
        Tags: [{ Key: SYNC_TAG_KEY, Value: encodeSyncRecord({ ...record, replicaVersion: 2 }) }],
      }),
    );

    expect(items((await planJob(ctx())).plan)).toEqual([]);
    ep.resetCalls();
    const { plan } = await planJob(ctx(), undefined, { verify: 'values' });
    expect(items(plan).map((i) => [i.name, valueReason(i)])).toEqual([
      [
        '/prod/app/p00000',
        'value differs although its sync record says it is a copy: the record was forged or copied',
      ],
    ]);
    expect(ep.calls({ operation: 'GetParameters' }).every((c) => c.withDecryption)).toBe(true);
    expect(decrypts()).toBe(3);
  });

  it('compares a replica an earlier version wrote (no record) once in apply, then proves it by its record', async () => {
    // What an earlier version wrote: the value, the ownership and owner tags, no sync record.
    for (const p of seedFleet(ep, 3))
      ep.state.putParameter({ ...p, region: 'us-east-1', tags: { ...p.tags, ...OURS } });
    const one = manifest([replication({ destinations: [destination('us-east-1')] })]);

    const { plan } = await planJob(jobContext(ep, one));
    expect(items(plan).map(valueReason)).toEqual(Array(3).fill('no sync record'));
    expect(ep.calls({ operation: 'GetParameters' })).toEqual([]);

    const applied = await applyJob(jobContext(ep, one), { expectDigest: plan.digest });
    expect(applied).toMatchObject({ kind: 'done', report: { applied: 3, drifted: 0 } });
    expect(ep.calls({ operation: 'PutParameter', region: 'us-east-1' })).toEqual([]);
    ep.resetCalls();
    expect((await planJob(jobContext(ep, one))).plan.summary.unchanged).toBe(3);
    expect(ep.calls({ operation: 'GetParameters' })).toEqual([]);
  });

  it('shows non-secret values of changing items only, read without decryption', async () => {
    await converge(6);
    await put(SOURCE, '/prod/app/p00000', 'new text');
    await put(SOURCE, '/prod/app/p00002', 'new secret', 'SecureString');
    ep.resetCalls();
    const shown = manifest([replication({ destinations: REGIONS.map((r) => destination(r)) })], {
      valueDisplay: 'non-secret',
    });

    const { plan } = await planJob(jobContext(ep, shown));
    const byName = new Map(items(plan).map((i) => [i.name, i.changes[0]]));
    expect(byName.get('/prod/app/p00000')).toMatchObject({ from: 'value-0', to: 'new text' });
    expect(byName.get('/prod/app/p00002')).not.toHaveProperty('to');
    const reads = ep.calls({ operation: 'GetParameters' });
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((c) => c.withDecryption === false)).toBe(true);
    expect(decrypts()).toBe(0);
  });
});
