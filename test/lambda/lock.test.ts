import { DeleteParametersCommand } from '@aws-sdk/client-ssm';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lockName } from '../../src/apply/lock.js';
import { lockWaitMs } from '../../src/lambda/handler.js';
import { ssmClient } from '../endpoint/clients.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { current, holdLock } from '../support/seed.js';
import { FUNCTION_CONTEXT, MANIFEST, testHandler, trailEvent } from './support.js';

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
    holdLock(ep, 'github run 7', 3_600_000);
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

  it('waits up to half its remaining time: a holder that died is outwaited and the batch replicates', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/DB', value: 'v1', type: 'String' });
    holdLock(ep, 'killed invocation', 120_000);
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });
    const context = { ...FUNCTION_CONTEXT, getRemainingTimeInMillis: () => 300_000 };

    await expect(handler(trailEvent('PutParameter', ['/prod/app/DB']), context)).resolves.toMatchObject({
      decision: 'replicated',
      applied: 2,
    });
    expect(current(ep, 'us-east-1', '/prod/app/DB')?.value).toBe('v1');
  });

  it('fails after waiting half its remaining time for a lease that outlasts it, writing nothing', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/DB', value: 'v1', type: 'String' });
    holdLock(ep, 'github run 8', 3_600_000);
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });
    const context = { ...FUNCTION_CONTEXT, getRemainingTimeInMillis: () => 300_000 };

    await expect(handler(trailEvent('PutParameter', ['/prod/app/DB']), context)).rejects.toThrow(
      /held by github run 8 since .*; waited 150 s\./,
    );
    expect(ep.calls().filter((c) => c.region !== SOURCE)).toEqual([]);
  });
});

describe('lockWaitMs', () => {
  it('is half the remaining time, and none without a usable context', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer({ min: -1, max: 900_000 })), (left) => {
        const wait = lockWaitMs({ getRemainingTimeInMillis: () => left });
        expect(wait).toBe(Number.isFinite(left) && left > 0 ? Math.floor(left / 2) : 0);
        expect(wait).toBeGreaterThanOrEqual(0);
      }),
    );
    expect(lockWaitMs(undefined)).toBe(0);
    expect(lockWaitMs({})).toBe(0);
  });
});
