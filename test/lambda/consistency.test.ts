import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ssmClient } from '../endpoint/clients.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { current, replicaCalls } from '../support/seed.js';
import { DESTINATIONS, MANIFEST, nativeEvent, OWNED, testHandler, trailEvent } from './support.js';

/**
 * DescribeParameters is eventually consistent: right after a write it may not list the name, or list the
 * previous version ("results are returned on a best-effort basis",
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html). Events
 * arrive within that window, so each test scripts the lag on the endpoint and writes through the SDK.
 */
let ep: Endpoint;
beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => {
  ep.state.reset();
  ep.faults.clear();
  ep.resetCalls();
});

const SOURCE = 'ap-south-1';
const NAME = '/prod/app/NEW';

const write = (region: string, name: string, value: string) =>
  ssmClient(ep, region).send(
    new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }),
  );

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    (r) => {
      throw new Error(`expected the invocation to fail, it returned ${JSON.stringify(r)}`);
    },
    (e: Error) => e,
  );

describe('the Lambda handler while the source listing lags behind a write', () => {
  it('fails a Create whose name DescribeParameters does not list yet, and replicates it on the retry', async () => {
    ep.faults.lagListing({ region: SOURCE, names: [NAME] });
    await write(SOURCE, NAME, 'fresh');
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    const failure = await failureOf(handler(nativeEvent('Create', NAME)));

    expect(failure.message).toContain(NAME);
    expect(failure.message).toMatch(/lags behind/);
    expect(logs.at(-1)).toMatchObject({ level: 'error', msg: 'invocation failed' });
    expect(logs.some((l) => l.msg === 'item' && l.outcome === 'applied')).toBe(false);
    for (const r of DESTINATIONS) expect(current(ep, r, NAME)).toBeUndefined();

    ep.faults.clear();
    await expect(handler(nativeEvent('Create', NAME))).resolves.toMatchObject({
      decision: 'replicated',
      applied: 2,
    });
    for (const r of DESTINATIONS) expect(current(ep, r, NAME)?.value).toBe('fresh');
  });

  it('fails an Update while the listing still shows the previous version, and writes nothing', async () => {
    ep.state.putParameter({ region: SOURCE, name: NAME, value: 'v1', type: 'String' });
    for (const r of DESTINATIONS)
      ep.state.putParameter({ region: r, name: NAME, value: 'v1', type: 'String', tags: OWNED });
    ep.faults.lagListing({ region: SOURCE, names: [NAME] });
    await write(SOURCE, NAME, 'v2');
    ep.resetCalls();
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    await failureOf(handler(nativeEvent('Update', NAME)));

    expect(replicaCalls(ep, 'PutParameter')).toEqual([]);
    for (const r of DESTINATIONS) expect(current(ep, r, NAME)?.value).toBe('v1');
  });

  it('deletes nothing on a Delete event for a name recreated while the listing does not show it', async () => {
    for (const r of DESTINATIONS)
      ep.state.putParameter({ region: r, name: NAME, value: 'kept', type: 'String', tags: OWNED });
    ep.faults.lagListing({ region: SOURCE, names: [NAME] });
    await write(SOURCE, NAME, 'kept');
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    await failureOf(handler(trailEvent('DeleteParameter', [NAME])));

    expect(replicaCalls(ep, 'DeleteParameters')).toEqual([]);
    for (const r of DESTINATIONS) expect(current(ep, r, NAME)?.value).toBe('kept');
  });
});

describe('the Lambda handler when the source has nothing for a Create or Update', () => {
  it.each([
    ['a native Create', () => nativeEvent('Create', NAME)],
    ['a native Update', () => nativeEvent('Update', NAME)],
    ['a CloudTrail PutParameter', () => trailEvent('PutParameter', [NAME])],
  ])('fails %s, logging the name it could not read, and deletes no replica', async (_, event) => {
    for (const r of DESTINATIONS)
      ep.state.putParameter({ region: r, name: NAME, value: 'old', type: 'String', tags: OWNED });
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    const failure = await failureOf(handler(event()));

    expect(failure.message).toContain(NAME);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'source has no such parameter yet', name: NAME }),
    );
    for (const r of DESTINATIONS) expect(current(ep, r, NAME)?.value).toBe('old');
  });

  it('still deletes the replicas on a Delete event whose source is gone', async () => {
    for (const r of DESTINATIONS)
      ep.state.putParameter({ region: r, name: NAME, value: 'old', type: 'String', tags: OWNED });
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    await expect(handler(nativeEvent('Delete', NAME))).resolves.toMatchObject({ applied: 2 });

    for (const r of DESTINATIONS) expect(current(ep, r, NAME)).toBeUndefined();
  });
});

describe('the Lambda handler while a destination listing lags behind its own write', () => {
  it('does not report a replica the listing does not show as applied, and the retry writes nothing more', async () => {
    ep.state.putParameter({ region: SOURCE, name: NAME, value: 'v', type: 'String' });
    ep.faults.lagListing({ region: 'us-east-1', names: [NAME] });
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    const failure = await failureOf(handler(nativeEvent('Create', NAME)));
    expect(failure.message).toMatch(/us-east-1.*while verifying/s);
    expect(current(ep, 'us-east-1', NAME)?.version).toBe(1);

    ep.resetCalls();
    await failureOf(handler(nativeEvent('Create', NAME)));
    expect(replicaCalls(ep, 'PutParameter')).toEqual([]);

    ep.faults.clear();
    await expect(handler(nativeEvent('Create', NAME))).resolves.toMatchObject({ applied: 0 });
    for (const r of DESTINATIONS) expect(current(ep, r, NAME)).toMatchObject({ value: 'v', version: 1 });
  });
});
