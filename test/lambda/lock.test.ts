import { DeleteParametersCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lockName } from '../../src/apply/lock.js';
import { ssmClient } from '../endpoint/clients.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { current } from '../support/seed.js';
import { MANIFEST, testHandler, trailEvent } from './support.js';

let ep: Endpoint;
beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => {
  ep.state.reset();
  ep.resetCalls();
});

const SOURCE = 'ap-south-1';
const LOCK = lockName('default');

describe('the Lambda handler while another apply holds the lock', () => {
  it('fails the invocation at once, writing nothing, so Lambda retries; the retry after release replicates', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/DB', value: 'v1', type: 'String' });
    const since = Date.now();
    ep.state.putParameter({
      region: SOURCE,
      name: LOCK,
      type: 'String',
      value: JSON.stringify({
        token: 't',
        owner: 'github run 7',
        since,
        expires: since + 3_600_000,
        pending: [],
      }),
    });
    const { handler, logs } = testHandler(ep, {
      SSM_REPLICATE_MANIFEST: MANIFEST,
      AWS_LAMBDA_FUNCTION_NAME: 'ssm-replicate-fn',
    });
    const event = trailEvent('PutParameter', ['/prod/app/DB']);

    await expect(handler(event)).rejects.toThrow(/held by github run 7 since/);
    expect(logs.at(-1)).toMatchObject({ level: 'error', msg: 'invocation failed', error: 'LockHeld' });
    expect(ep.calls().filter((c) => c.region !== SOURCE)).toEqual([]);

    await ssmClient(ep, SOURCE).send(new DeleteParametersCommand({ Names: [LOCK] }));
    await expect(handler(event)).resolves.toMatchObject({ decision: 'replicated', applied: 2 });
    expect(current(ep, 'us-east-1', '/prod/app/DB')?.value).toBe('v1');
    expect(ep.state.getParameter(SOURCE, LOCK)).toBeUndefined();
  });
});
