import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyJob } from '../../src/jobs/apply-job.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { destination, manifest, replication } from '../support/builders.js';
import { listUnder, seedFleet } from '../support/seed.js';

let ep: Endpoint;
// AWS standard-throughput rates (PutParameter 3/s, Get* 40/s, ...) scaled 20x so the storm takes seconds.
const SCALE = 20;
beforeAll(async () => {
  ep = await startEndpoint({ throttle: { scale: SCALE } });
});
afterAll(() => ep.stop());

describe('a throttle storm', () => {
  it('slows 500 creates across 3 regions down but fails none, even with a client limit set too high', async () => {
    seedFleet(ep, 500);
    const regions = ['us-east-1', 'eu-west-1', 'us-west-2'];
    const m = manifest([replication({ destinations: regions.map((r) => destination(r)) })]);
    // Twice the server's rates: the endpoint must throttle, and the run must absorb it.
    const rates = {
      put: 3 * SCALE * 2,
      get: 40 * SCALE * 2,
      describe: 10 * SCALE * 2,
      other: 10 * SCALE * 2,
    };

    // On a loaded machine the client may never reach the server's rate, so a burst of throttling is also
    // scripted per region: more consecutive refusals than the SDK's 3 attempts, which apply's own retry absorbs.
    for (const region of regions) {
      ep.faults.failNext({ operation: 'PutParameter', region, count: 8, error: 'ThrottlingException' });
    }

    const result = await applyJob(jobContext(ep, m, { rates, maxAttempts: 3 }));

    expect(result.kind === 'done' && result.report).toMatchObject({ applied: 1500, failed: 0, drifted: 0 });
    expect(ep.calls({ errorCode: 'ThrottlingException' }).length).toBeGreaterThanOrEqual(3 * 8);
    for (const region of regions) expect(listUnder(ep, region, '/prod/app/')).toHaveLength(500);
  }, 120_000);
});
