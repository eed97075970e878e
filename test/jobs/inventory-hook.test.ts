import { beforeEach, describe, expect, it } from 'vitest';
import type { Inventories } from '../../src/inventory/index.js';
import { applyJob } from '../../src/jobs/apply-job.js';
import { planJob } from '../../src/jobs/plan-job.js';
import type { Endpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { destination, manifest, replication } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE } from '../support/seed.js';

const endpoint = useEndpoint();
let ep: Endpoint;
beforeEach(() => {
  ep = endpoint();
  ep.state.putParameter({
    region: SOURCE,
    name: '/prod/app/TOKEN',
    value: 'hook-secret',
    type: 'SecureString',
  });
});

const oneRegion = manifest([replication({ destinations: [destination('us-east-1')] })]);

const secretsOf = (inv: Inventories) =>
  [inv.source, ...inv.destinations.values()].flatMap((r) =>
    [...r.parameters.values()].flatMap((p) => (p.value?.secret ? [p.value.reveal()] : [])),
  );

describe('the onInventory hook of a job context', () => {
  it('sees every read of a plan before the plan is returned; a metadata plan holds no value', async () => {
    const seen: string[][] = [];
    const ctx = {
      ...jobContext(ep, oneRegion),
      onInventory: (inv: Inventories) => seen.push(secretsOf(inv)),
    };
    const { plan } = await planJob(ctx);
    expect(plan.summary.creates).toBe(1);
    expect(seen).toEqual([[]]);
  });

  it('sees the decrypted values of a --verify values read before the plan is returned', async () => {
    const seen: string[][] = [];
    const ctx = {
      ...jobContext(ep, oneRegion),
      onInventory: (inv: Inventories) => seen.push(secretsOf(inv)),
    };
    const { plan } = await planJob(ctx, undefined, { verify: 'values' });
    expect(plan.summary.creates).toBe(1);
    expect(seen).toEqual([['hook-secret']]);
  });

  it('sees apply’s own re-plan and its verification read, both metadata only', async () => {
    const seen: string[][] = [];
    const ctx = {
      ...jobContext(ep, oneRegion),
      onInventory: (inv: Inventories) => seen.push(secretsOf(inv)),
    };
    const result = await applyJob(ctx);
    expect(result.kind).toBe('done');
    expect(seen).toEqual([[], []]);
  });
});
