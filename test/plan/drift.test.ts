import { describe, expect, it } from 'vitest';
import { DRIFT_KINDS, driftFindings } from '../../src/plan/drift.js';
import { plan } from '../../src/plan/plan.js';
import { destination, inventory, manifest, param, replicaOf, replication } from '../support/builders.js';

const EDITOR = 'arn:aws:iam::123456789012:user/alice';
const WHEN = '2026-11-30T08:15:00.000Z';

describe('driftFindings', () => {
  const value = param({ name: '/prod/app/VALUE', value: 'new' });
  const tier = param({ name: '/prod/app/TIER', value: 'same' });
  const tags = param({ name: '/prod/app/TAGS', value: 'same', tags: { team: 'core' } });
  const clash = param({ name: '/prod/app/CLASH' });
  const source = inventory('ap-south-1', [value, tier, tags, param({ name: '/prod/app/MISSING' }), clash]);
  const modified = { lastModifiedUser: EDITOR, lastModifiedDate: Date.parse(WHEN) };
  const dest = inventory('us-east-1', [
    replicaOf(value, { value: param({ name: 'x', value: 'old' }).value, ...modified }),
    replicaOf(tier, { description: 'edited by hand' }),
    replicaOf(tags, { tags: { ...replicaOf(tags).tags, team: 'edited' }, ...modified }),
    replicaOf(param({ name: '/prod/app/GONE' }), modified),
    { ...clash, tags: {} },
    param({ name: '/prod/app/LOCAL' }),
  ]);
  const p = plan({
    manifest: manifest([replication({ destinations: [destination('us-east-1', { deletes: 'sync' })] })]),
    source,
    destinations: new Map([['us-east-1', dest]]),
  });

  it('names each drifted parameter with its kind of difference', () => {
    const byName = new Map(driftFindings(p).map((f) => [f.name, f.kind]));
    expect(Object.fromEntries(byName)).toEqual({
      '/prod/app/VALUE': 'value',
      '/prod/app/TIER': 'attributes',
      '/prod/app/TAGS': 'tags',
      '/prod/app/MISSING': 'missing',
      '/prod/app/GONE': 'unexpected',
      '/prod/app/CLASH': 'unmanaged',
    });
  });

  it('leaves out untagged parameters that no source is replicated to: they are local, not drift', () => {
    expect(p.regions[0]?.unmanaged).toContain('/prod/app/LOCAL');
    expect(driftFindings(p).map((f) => f.name)).not.toContain('/prod/app/LOCAL');
  });

  it('carries who last wrote the replica and when, from DescribeParameters, for a value difference', () => {
    const value = driftFindings(p).find((f) => f.name === '/prod/app/VALUE');
    expect(value?.modified).toEqual({ user: EDITOR, date: WHEN });
    expect(driftFindings(p).find((f) => f.name === '/prod/app/MISSING')?.modified).toBeUndefined();
  });

  // LastModifiedUser/Date are the latest version's; tagging writes none (sysman-paramstore-versions.html).
  it('names no editor for a tag or unexpected difference, which the last value writer did not cause', () => {
    const planned = (name: string) => p.regions[0]?.items.find((i) => i.name === name);
    expect(planned('/prod/app/TAGS')?.replicaModified?.user).toBe(EDITOR);
    expect(planned('/prod/app/GONE')?.replicaModified?.user).toBe(EDITOR);
    expect(driftFindings(p).find((f) => f.name === '/prod/app/TAGS')?.modified).toBeUndefined();
    expect(driftFindings(p).find((f) => f.name === '/prod/app/GONE')?.modified).toBeUndefined();
  });

  it('gives one finding per item and unmanaged name, each of a known kind', () => {
    const findings = driftFindings(p);
    const [region] = p.regions;
    expect(findings).toHaveLength((region?.items.length ?? 0) + (region?.unmanagedConflicts?.length ?? 0));
    for (const f of findings) expect(DRIFT_KINDS).toContain(f.kind);
  });
});
