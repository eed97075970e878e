import { beforeEach, describe, expect, it } from 'vitest';
import { describeGroup, groupOutcomes } from '../../src/apply/group.js';
import { applyJob } from '../../src/jobs/apply-job.js';
import type { Endpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { destination, manifest, replication } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { listUnder, SOURCE } from '../support/seed.js';
import { wrapStore } from '../support/store.js';

const endpoint = useEndpoint();
let ep: Endpoint;
beforeEach(() => {
  ep = endpoint();
});

const keyed = manifest([
  replication({
    destinations: [destination('us-east-1', { kmsKeyId: 'alias/prod-key' }), destination('eu-west-1')],
  }),
]);

function seedSecrets(count: number) {
  for (let i = 0; i < count; i++)
    ep.state.putParameter({
      region: SOURCE,
      name: `/prod/app/s${i}`,
      value: `secret-${i}`,
      type: 'SecureString',
    });
}

describe("apply's own key check, behind the plan's", () => {
  it('writes nothing in a region whose key was disabled after the plan, and reports it as one group', async () => {
    seedSecrets(60);
    ep.state.createKey({ region: 'us-east-1', alias: 'alias/prod-key' });
    const ctx = jobContext(ep, keyed);
    const real = ctx.storeFor;
    let describes = 0;
    // The plan's DescribeKey sees the key enabled; by apply's own check, someone has disabled it.
    ctx.storeFor = (target) => {
      const store = real(target);
      return wrapStore(store, {
        describeKey: async (ref) => {
          if (++describes === 2) ep.state.setKeyEnabled('us-east-1', 'alias/prod-key', false);
          return store.describeKey(ref);
        },
      });
    };
    const result = await applyJob(ctx);
    expect(result.kind).toBe('done');
    if (result.kind !== 'done') return;
    expect(result.report).toMatchObject({ applied: 60, failed: 60 });
    expect(listUnder(ep, 'us-east-1', '/prod/app')).toEqual([]);
    expect(listUnder(ep, 'eu-west-1', '/prod/app')).toHaveLength(60);
    const groups = groupOutcomes(result.report.outcomes);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ region: 'us-east-1', status: 'failed' });
    expect(groups[0]?.message).toMatch(/alias\/prod-key in us-east-1 is Disabled/);
    expect(groups[0]?.outcomes).toHaveLength(60);
    expect(describeGroup(groups[0] as (typeof groups)[number])).toBe(
      '60 changes (create /prod/app/s0, create /prod/app/s1, create /prod/app/s10 and 57 more)',
    );
  });
});
