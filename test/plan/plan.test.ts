import { describe, expect, it } from 'vitest';
import type { PlanInput } from '../../src/plan/plan.js';
import { plan } from '../../src/plan/plan.js';
import {
  destination,
  inventory,
  manifest,
  OURS,
  OWNER,
  param,
  replicaOf,
  replication,
} from '../support/builders.js';

function run(input: Partial<PlanInput> & Pick<PlanInput, 'source'>, dest = inventory('us-east-1', [])) {
  return plan({ manifest: manifest(), destinations: new Map([['us-east-1', dest]]), ...input });
}

const db = param({ name: '/prod/app/DB_PASSWORD', type: 'SecureString', value: 'hunter2', version: 3 });
const host = param({ name: '/prod/app/DB_HOST', value: 'db.example.com', tags: { team: 'core' } });

describe('plan', () => {
  it('creates every source parameter missing in the destination, with the ownership tag', () => {
    const p = run({ source: inventory('ap-south-1', [db, host]) });
    expect(p.regions[0]?.items.map((i) => [i.action, i.name])).toEqual([
      ['create', '/prod/app/DB_HOST'],
      ['create', '/prod/app/DB_PASSWORD'],
    ]);
    const create = p.regions[0]?.items[0];
    expect(create?.tags?.add).toEqual({ team: 'core', ...OURS });
    expect(p.summary).toMatchObject({ creates: 2, updates: 0, deletes: 0, regions: 1 });
  });

  it('produces no operation for a replica equal to its source', () => {
    const p = run(
      { source: inventory('ap-south-1', [db, host]) },
      inventory('us-east-1', [replicaOf(db), replicaOf(host)]),
    );
    expect(p.regions[0]?.items).toEqual([]);
    expect(p.regions[0]?.unchanged).toBe(2);
  });

  it('updates a replica whose value differs, without revealing a SecureString value', () => {
    const stale = replicaOf(db, {
      value: param({ name: 'x', type: 'SecureString', value: 'old' }).value,
      version: 7,
    });
    const p = plan({
      manifest: manifest(undefined, { valueDisplay: 'non-secret' }),
      source: inventory('ap-south-1', [db]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [stale])]]),
    });
    const item = p.regions[0]?.items[0];
    expect(item).toMatchObject({ action: 'update', destinationVersion: 7, sourceVersion: 3 });
    expect(item?.changes).toEqual([{ attribute: 'value', reason: 'value differs' }]);
    expect(JSON.stringify(p)).not.toContain('hunter2');
  });

  it('shows non-secret values only when the manifest allows it', () => {
    const stale = replicaOf(host, { value: param({ name: 'x', value: 'old.example.com' }).value });
    const dest = inventory('us-east-1', [stale]);
    const hidden = run({ source: inventory('ap-south-1', [host]) }, dest);
    const shown = plan({
      manifest: manifest(undefined, { valueDisplay: 'non-secret' }),
      source: inventory('ap-south-1', [host]),
      destinations: new Map([['us-east-1', dest]]),
    });
    expect(hidden.regions[0]?.items[0]?.changes[0]).toEqual({ attribute: 'value', reason: 'value differs' });
    expect(shown.regions[0]?.items[0]?.changes[0]).toMatchObject({
      from: 'old.example.com',
      to: 'db.example.com',
    });
  });

  it('plans a tag-only change without a PutParameter when only tags differ', () => {
    const replica = replicaOf(host, { tags: { team: 'old', extra: 'x', [OWNER.key]: OWNER.value } });
    const p = run({ source: inventory('ap-south-1', [host]) }, inventory('us-east-1', [replica]));
    expect(p.regions[0]?.items[0]).toMatchObject({
      action: 'tag',
      changes: [],
      tags: { add: {}, change: { team: { from: 'old', to: 'core' } }, remove: ['extra'] },
    });
  });

  it('replaces a replica when the tier would go from Advanced to Standard', () => {
    const replica = replicaOf(host, { tier: 'Advanced' });
    const p = run({ source: inventory('ap-south-1', [host]) }, inventory('us-east-1', [replica]));
    expect(p.regions[0]?.items[0]?.action).toBe('replace');
    expect(p.regions[0]?.items[0]?.reason).toMatch(/Advanced to Standard/);
  });

  it('replaces a replica whose type differs, since AWS refuses type changes in place', () => {
    const replica = replicaOf(host, { type: 'StringList' });
    const p = run({ source: inventory('ap-south-1', [host]) }, inventory('us-east-1', [replica]));
    expect(p.regions[0]?.items[0]).toMatchObject({ action: 'replace', type: 'String' });
  });

  it('upgrades Standard to Advanced in place', () => {
    const advanced = param({ name: '/prod/app/BIG', tier: 'Advanced' });
    const replica = replicaOf(advanced, { tier: 'Standard' });
    const p = run({ source: inventory('ap-south-1', [advanced]) }, inventory('us-east-1', [replica]));
    expect(p.regions[0]?.items[0]).toMatchObject({
      action: 'update',
      changes: [{ attribute: 'tier', from: 'Standard', to: 'Advanced' }],
    });
  });

  it('deletes a managed replica whose source is gone', () => {
    const gone = replicaOf(param({ name: '/prod/app/OLD' }));
    const p = run(
      { source: inventory('ap-south-1', [host]) },
      inventory('us-east-1', [replicaOf(host), gone]),
    );
    expect(p.regions[0]?.items).toMatchObject([{ action: 'delete', name: '/prod/app/OLD' }]);
  });

  it('never deletes a destination parameter without the ownership tag, and reports it', () => {
    const foreign = param({ name: '/prod/app/HANDMADE' });
    const p = run(
      { source: inventory('ap-south-1', [host]) },
      inventory('us-east-1', [replicaOf(host), foreign]),
    );
    expect(p.regions[0]?.items).toEqual([]);
    expect(p.regions[0]?.unmanaged).toEqual(['/prod/app/HANDMADE']);
  });

  it('leaves an unmanaged parameter at a replica name alone unless the destination adopts it', () => {
    const foreign = param({ name: host.name, value: 'other' });
    const left = run({ source: inventory('ap-south-1', [host]) }, inventory('us-east-1', [foreign]));
    expect(left.regions[0]?.items).toEqual([]);
    expect(left.warnings.map((w) => w.code)).toEqual(['unmanaged-conflict']);

    const adopted = plan({
      manifest: manifest([replication({ destinations: [destination('us-east-1', { adopt: true })] })]),
      source: inventory('ap-south-1', [host]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [foreign])]]),
    });
    expect(adopted.regions[0]?.items[0]).toMatchObject({
      action: 'update',
      tags: { add: { [OWNER.key]: OWNER.value } },
    });
  });

  it('never deletes with deletes: keep', () => {
    const gone = replicaOf(param({ name: '/prod/app/OLD' }));
    const p = plan({
      manifest: manifest([replication({ destinations: [destination('us-east-1', { deletes: 'keep' })] })]),
      source: inventory('ap-south-1', [host]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [replicaOf(host), gone])]]),
    });
    expect(p.regions[0]?.items).toEqual([]);
  });

  it('does not delete the replica of a source that still exists but is now excluded', () => {
    const local = param({ name: '/prod/app/local/DEBUG' });
    const p = plan({
      manifest: manifest([replication({ exclude: ['/prod/app/local/**'] })]),
      source: inventory('ap-south-1', [host, local]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [replicaOf(host), replicaOf(local)])]]),
    });
    expect(p.regions[0]?.items).toEqual([]);
  });

  it('blocks the plan when deletes exceed max-deletes', () => {
    const gone = [1, 2, 3].map((i) => replicaOf(param({ name: `/prod/app/OLD${i}` })));
    const budget = { maxDeletes: 2, maxDeletePercent: 100 };
    const p = plan({
      manifest: manifest([replication({ destinations: [destination('us-east-1', budget)] })]),
      source: inventory('ap-south-1', [host]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [replicaOf(host), ...gone])]]),
    });
    expect(p.blockers).toMatchObject([{ code: 'max-deletes-exceeded', region: 'us-east-1' }]);
    expect(p.blockers[0]?.message).toMatch(/3 deletes planned .* max-deletes of 2/);
  });

  it('blocks the plan when a source path lists nothing while replicas exist', () => {
    const p = run({ source: inventory('ap-south-1', []) }, inventory('us-east-1', [replicaOf(host)]));
    expect(p.blockers.map((b) => b.code)).toEqual(['empty-source-path']);
    const allowed = plan({
      manifest: manifest([
        replication({ destinations: [destination('us-east-1', { allowEmptySource: true })] }),
      ]),
      source: inventory('ap-south-1', []),
      destinations: new Map([['us-east-1', inventory('us-east-1', [replicaOf(host)])]]),
    });
    expect(allowed.blockers).toEqual([]);
    expect(allowed.regions[0]?.items.map((i) => i.action)).toEqual(['delete']);
  });

  it('rewrites paths and deletes by the rewritten name', () => {
    const rw = { from: '/prod/', to: '/dr/' };
    const gone = replicaOf(param({ name: '/dr/app/OLD' }));
    const p = plan({
      manifest: manifest([replication({ destinations: [destination('eu-west-1', { pathRewrite: rw })] })]),
      source: inventory('ap-south-1', [host]),
      destinations: new Map([['eu-west-1', inventory('eu-west-1', [gone])]]),
    });
    expect(p.regions[0]?.items.map((i) => [i.action, i.name, i.sourceName])).toEqual([
      ['create', '/dr/app/DB_HOST', '/prod/app/DB_HOST'],
      ['delete', '/dr/app/OLD', undefined],
    ]);
  });

  it('keeps names exactly as they are: a name without a leading slash is not under /prod/app', () => {
    const bare = param({ name: 'prod/app/BARE' });
    const p = run({ source: inventory('ap-south-1', [bare, host]) });
    expect(p.regions[0]?.items.map((i) => i.name)).toEqual(['/prod/app/DB_HOST']);
  });

  it('does not treat a sibling path sharing a prefix as under the replicated path', () => {
    const sibling = param({ name: '/prod/apps/X' });
    const p = run({ source: inventory('ap-south-1', [sibling]) });
    expect(p.regions[0]?.items).toEqual([]);
  });

  it('encrypts SecureString replicas with the destination key from the manifest, else alias/aws/ssm', () => {
    const withKey = plan({
      manifest: manifest([
        replication({ destinations: [destination('us-east-1', { kmsKeyId: 'alias/prod-key' })] }),
      ]),
      source: inventory('ap-south-1', [db]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [])]]),
    });
    expect(withKey.regions[0]?.items[0]?.changes).toContainEqual({
      attribute: 'keyId',
      reason: 'new replica',
      to: 'alias/prod-key',
    });
    const defaultKey = run({ source: inventory('ap-south-1', [db]) });
    expect(defaultKey.regions[0]?.items[0]?.changes).toContainEqual({
      attribute: 'keyId',
      reason: 'new replica',
      to: 'alias/aws/ssm',
    });
  });

  it('maps a multi-Region source key to the same key in the destination region', () => {
    const mrk = param({
      name: '/prod/app/MRK',
      type: 'SecureString',
      keyId: 'arn:aws:kms:ap-south-1:123456789012:key/mrk-1234abcd',
    });
    const p = run({ source: inventory('ap-south-1', [mrk]) });
    expect(p.regions[0]?.items[0]?.changes).toContainEqual({
      attribute: 'keyId',
      reason: 'new replica',
      to: 'arn:aws:kms:us-east-1:123456789012:key/mrk-1234abcd',
    });
  });

  it('treats two references to the same KMS key as equal when the inventory resolved them', () => {
    const replica = replicaOf(db, { keyId: 'arn:aws:kms:us-east-1:123456789012:key/k-1' });
    const input = {
      manifest: manifest([
        replication({ destinations: [destination('us-east-1', { kmsKeyId: 'alias/prod-key' })] }),
      ]),
      source: inventory('ap-south-1', [db]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [replica])]]),
    };
    expect(plan(input).regions[0]?.items[0]?.changes.map((c) => c.attribute)).toEqual(['keyId']);
    const key = {
      keyId: 'k-1',
      arn: 'arn:aws:kms:us-east-1:123456789012:key/k-1',
      enabled: true,
      state: 'Enabled',
    };
    const resolved = plan({ ...input, keys: () => key });
    expect(resolved.regions[0]?.items).toEqual([]);
  });

  it('skips aws:ec2:image parameters with a warning unless an AMI map is given', () => {
    const ami = param({ name: '/prod/app/AMI', dataType: 'aws:ec2:image', value: 'ami-0123456789abcdef0' });
    const skipped = run({ source: inventory('ap-south-1', [ami]) });
    expect(skipped.regions[0]?.items).toEqual([]);
    expect(skipped.warnings.map((w) => w.code)).toEqual(['ec2-image-skipped']);
    const mapped = plan({
      manifest: manifest(
        [
          replication({
            destinations: [
              destination('us-east-1', {
                ec2Image: { mode: 'map', amis: { 'ami-0123456789abcdef0': 'ami-0fedcba9876543210' } },
              }),
            ],
          }),
        ],
        { valueDisplay: 'non-secret' },
      ),
      source: inventory('ap-south-1', [ami]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [])]]),
    });
    expect(mapped.regions[0]?.items[0]?.changes[0]).toMatchObject({
      attribute: 'value',
      to: 'ami-0fedcba9876543210',
    });
  });

  it('applies the destination type override (the seed DEST_PARAM_TYPE)', () => {
    const p = plan({
      manifest: manifest([
        replication({ destinations: [destination('us-east-1', { type: 'SecureString' })] }),
      ]),
      source: inventory('ap-south-1', [host]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [])]]),
    });
    expect(p.regions[0]?.items[0]).toMatchObject({ action: 'create', type: 'SecureString' });
  });

  it('plans only the given names in an event-driven run, deleting a replica whose source is gone', () => {
    const gone = replicaOf(param({ name: '/prod/app/OLD' }));
    const other = replicaOf(param({ name: '/prod/app/OTHER' }));
    const p = plan({
      manifest: manifest(),
      source: inventory('ap-south-1', []),
      destinations: new Map([['us-east-1', inventory('us-east-1', [gone, other])]]),
      names: ['/prod/app/OLD'],
    });
    expect(p.scope).toBe('names');
    expect(p.blockers).toEqual([]);
    expect(p.regions[0]?.items.map((i) => [i.action, i.name])).toEqual([['delete', '/prod/app/OLD']]);
  });

  it('gives the same digest for the same state and a different one when a version moves', () => {
    const a = run({ source: inventory('ap-south-1', [db, host]) });
    const b = run({ source: inventory('ap-south-1', [host, db]) });
    const c = run({ source: inventory('ap-south-1', [{ ...db, version: 4 }, host]) });
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.digest).toBe(a.digest);
    expect(c.digest).not.toBe(a.digest);
  });

  it('refuses to plan when a destination inventory is missing rather than treat it as empty', () => {
    expect(() =>
      plan({ manifest: manifest(), source: inventory('ap-south-1', [host]), destinations: new Map() }),
    ).toThrow(/No inventory was read for destination us-east-1/);
  });
});

describe('plan with an unreadable destination', () => {
  it('plans the readable regions and marks the unreadable one failed with nothing to apply', () => {
    const p = plan({
      manifest: manifest([
        replication({ destinations: [destination('us-east-1'), destination('eu-west-1')] }),
      ]),
      source: inventory('ap-south-1', [host]),
      destinations: new Map([['us-east-1', inventory('us-east-1', [])]]),
      failures: new Map([['eu-west-1', { message: 'Reading eu-west-1 failed: connection refused' }]]),
    });
    expect(p.regions.map((r) => [r.region, r.items.length, r.error])).toEqual([
      ['eu-west-1', 0, 'Reading eu-west-1 failed: connection refused'],
      ['us-east-1', 1, undefined],
    ]);
  });
});
