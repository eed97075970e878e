import { beforeEach, describe, expect, it } from 'vitest';
import { applyJob } from '../../src/jobs/apply-job.js';
import { planJob } from '../../src/jobs/plan-job.js';
import { OWNER_TAG_KEY, parseManifest } from '../../src/manifest/index.js';
import type { Endpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { OWNER } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { current, listUnder, replicaCalls, SOURCE, seedFleet } from '../support/seed.js';

const endpoint = useEndpoint();
let ep: Endpoint;
beforeEach(() => {
  ep = endpoint();
});

function load(...lines: string[]) {
  return parseManifest(`${lines.join('\n')}\n`, 'replication.yaml').manifest;
}

/** Team A's manifest: everything under /prod/app. */
const A = load(
  'version: 1',
  'source: { region: ap-south-1 }',
  'replications:',
  '  - name: prod-app',
  '    paths: [/prod/app]',
  '    destinations: [{ region: us-east-1 }]',
);

/** Team B's manifest: its own /teamb, written below A's destination path. */
const B = load(
  'version: 1',
  'source: { region: ap-south-1 }',
  'replications:',
  '  - name: teamb',
  '    paths: [/teamb]',
  '    destinations:',
  '      - region: us-east-1',
  '        path-rewrite: { from: /teamb, to: /prod/app/teamb }',
);

describe('ownership per manifest through the SDK', () => {
  it("never deletes another manifest's replicas that lie under this manifest's path", async () => {
    seedFleet(ep, 5);
    seedFleet(ep, 4, '/teamb');
    expect((await applyJob(jobContext(ep, B))).kind).toBe('done');
    expect(listUnder(ep, 'us-east-1', '/prod/app/teamb/')).toHaveLength(4);

    const { plan } = await planJob(jobContext(ep, A));
    expect(plan.regions[0]?.items.filter((i) => i.action === 'delete')).toEqual([]);
    const result = await applyJob(jobContext(ep, A));
    expect(result.kind === 'done' && result.report.applied).toBe(5);
    expect(listUnder(ep, 'us-east-1', '/prod/app/teamb/').map((p) => p.version)).toEqual([1, 1, 1, 1]);
    expect(current(ep, 'us-east-1', '/prod/app/teamb/p00000')?.value).toBe('value-0');
  });

  it("blocks, naming both manifests, when both write one name, and leaves the other manifest's replica alone", async () => {
    seedFleet(ep, 2, '/teamb');
    await applyJob(jobContext(ep, B));
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/teamb/p00000',
      value: 'from A',
      type: 'String',
    });

    const result = await applyJob(jobContext(ep, A));
    expect(result).toMatchObject({ kind: 'refused', reason: 'blocked' });
    expect(result.plan.blockers.map((b) => b.message)).toEqual([
      "/prod/app/teamb/p00000 in us-east-1 is owned by a manifest without id ('default') replication 'teamb'; this manifest's 'prod-app' also writes it. Exclude it from one of the two manifests, or, if this manifest should own it, list that owner in previous-owners.",
    ]);
    expect(current(ep, 'us-east-1', '/prod/app/teamb/p00000')).toMatchObject({
      value: 'value-0',
      version: 1,
    });
  });

  it('claims replicas written before owner tags and sync records with tag writes only: no PutParameter, no version burnt', async () => {
    const fleet = seedFleet(ep, 6);
    // What the previous version wrote: same value and type, the ownership tag and no owner tag.
    for (const p of fleet)
      ep.state.putParameter({ ...p, region: 'us-east-1', tags: { ...p.tags, [OWNER.key]: OWNER.value } });
    ep.state.putParameter({
      region: 'us-east-1',
      name: '/prod/app/orphan',
      value: 'o',
      type: 'String',
      tags: { [OWNER.key]: OWNER.value },
    });
    ep.resetCalls();

    const result = await applyJob(jobContext(ep, A));
    if (result.kind !== 'done') throw new Error(`expected done, got ${result.reason}`);
    // Without a sync record the plan cannot prove the values equal; apply compares them and, equal,
    // writes the owner tag and the record in one tag call.
    expect(result.report.outcomes.map((o) => [o.action, o.message])).toEqual(
      Array(6).fill(['update', 'value already equal: sync record written, no new version']),
    );
    expect(replicaCalls(ep, 'AddTagsToResource')).toHaveLength(6);
    expect(result.plan.warnings.map((w) => [w.code, w.name])).toEqual([
      ['unclaimed-replica', '/prod/app/orphan'],
    ]);
    expect(replicaCalls(ep, 'PutParameter')).toEqual([]);
    expect(replicaCalls(ep, 'DeleteParameters')).toEqual([]);
    for (const p of listUnder(ep, 'us-east-1', '/prod/app/p')) {
      expect(p.version).toBe(1);
      expect(p.tags[OWNER_TAG_KEY]).toBe('default/prod-app');
      expect(p.sync).toMatch(/^v1\/1\/\d+\/1\//);
    }
    expect(current(ep, 'us-east-1', '/prod/app/orphan')?.tags[OWNER_TAG_KEY]).toBeUndefined();
  });

  it('moves a full replica from 50 tags to its new tag set without ever holding 51', async () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'v']));
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/full',
      value: 'v',
      type: 'String',
      tags: tags(47),
    });
    ep.state.putParameter({
      region: 'us-east-1',
      name: '/prod/app/full',
      value: 'v',
      type: 'String',
      tags: { ...tags(49), [OWNER.key]: OWNER.value },
    });
    const result = await applyJob(jobContext(ep, A));
    expect(result.kind === 'done' && result.report).toMatchObject({ applied: 1, failed: 0, drifted: 0 });
    expect(Object.keys(current(ep, 'us-east-1', '/prod/app/full')?.tags ?? {})).toHaveLength(49);
  });

  it('warns in the plan, instead of failing in apply, about a source whose tags and ours exceed 50', async () => {
    const tags = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`t${i}`, 'v']));
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/crowded', value: 'v', type: 'String', tags });
    const result = await applyJob(jobContext(ep, A));
    if (result.kind !== 'done') throw new Error('expected done');
    expect(result.plan.warnings.map((w) => w.code)).toEqual(['too-many-tags']);
    expect(result.report.outcomes).toEqual([]);
    expect(replicaCalls(ep, 'PutParameter')).toEqual([]);
  });
});
