import {
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { rejectionOf, ssmClient } from './clients.js';
import { type Endpoint, type EndpointOptions, startEndpoint } from './index.js';

// Quotas modelled on https://docs.aws.amazon.com/general/latest/gr/ssm.html (Parameter Store throughput).
let ep: Endpoint | undefined;
const region = 'eu-west-1';
// Buckets run on a clock that stands still unless a test moves it: how fast this machine sends the
// requests never decides what is throttled.
const frozen = () => 0;

async function start(options: EndpointOptions): Promise<Endpoint> {
  ep = await startEndpoint(options);
  ep.state.putParameter({ region, name: '/app/x', value: 'v', type: 'String' });
  return ep;
}

afterEach(async () => {
  await ep?.stop();
  ep = undefined;
});

const put = (endpoint: Endpoint, name: string, attempts = 1, where = region) =>
  ssmClient(endpoint, where, { maxAttempts: attempts }).send(
    new PutParameterCommand({ Name: name, Value: 'v', Type: 'String' }),
  );

describe('throttling', () => {
  it('is off by default', async () => {
    const endpoint = await start({});

    for (let i = 0; i < 20; i++) await put(endpoint, `/p/${i}`);

    expect(endpoint.calls({ failed: true })).toEqual([]);
  });

  it('answers ThrottlingException "Rate exceeded" with HTTP 400 once a bucket is empty', async () => {
    const endpoint = await start({ throttle: { rates: { put: 1 }, clock: frozen } });
    await put(endpoint, '/a');

    const error = await rejectionOf(put(endpoint, '/b'));

    expect(error).toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('lets the SDK retry visibly: the log shows the throttled attempt followed by its success', async () => {
    // A second passes on the bucket's clock with every throttled answer, so the SDK's retry finds a token.
    const clock = () => (ep?.calls({ errorCode: 'ThrottlingException' }).length ?? 0) * 1000;
    const endpoint = await start({ throttle: { rates: { put: 10 }, clock } });
    const results = [];

    for (let i = 0; i < 12; i++) results.push(await put(endpoint, `/p/${i}`, 5));

    const puts = endpoint.calls({ operation: 'PutParameter' });
    const throttledAt = puts.findIndex((c) => c.errorCode === 'ThrottlingException');
    expect(throttledAt).toBeGreaterThanOrEqual(0);
    expect(puts[throttledAt + 1]?.status).toBe(200);
    expect(results.some((r) => (r.$metadata.attempts ?? 1) > 1)).toBe(true);
  });

  it('shares one bucket between GetParameter, GetParameters and GetParametersByPath', async () => {
    const endpoint = await start({ throttle: { rates: { get: 2 }, clock: frozen } });
    const client = ssmClient(endpoint, region);
    await client.send(new GetParameterCommand({ Name: '/app/x' }));
    await client.send(new GetParametersCommand({ Names: ['/app/x'] }));

    const error = await rejectionOf(client.send(new GetParametersByPathCommand({ Path: '/app' })));

    expect(error.name).toBe('ThrottlingException');
  });

  it('keeps a bucket per region', async () => {
    const endpoint = await start({ throttle: { rates: { put: 1 }, clock: frozen } });
    await put(endpoint, '/a');

    const other = await put(endpoint, '/a', 1, 'us-east-1');

    expect(other.Version).toBe(1);
  });

  it('scales every rate with scale', async () => {
    const endpoint = await start({ throttle: { scale: 1 / 3, clock: frozen } });
    await put(endpoint, '/a');

    const error = await rejectionOf(put(endpoint, '/b'));

    expect(error.name).toBe('ThrottlingException');
  });

  it('can be switched on and off at run time', async () => {
    const endpoint = await start({});
    endpoint.faults.setThrottle({ rates: { put: 1 }, clock: frozen });
    await put(endpoint, '/a');
    const error = await rejectionOf(put(endpoint, '/b'));

    endpoint.faults.setThrottle(false);
    const after = await put(endpoint, '/c');

    expect(error.name).toBe('ThrottlingException');
    expect(after.Version).toBe(1);
  });

  it('does not throttle state seeding', async () => {
    const endpoint = await start({ throttle: { rates: { put: 1 }, clock: frozen } });

    for (let i = 0; i < 10; i++)
      endpoint.state.putParameter({ region, name: `/seed/${i}`, value: 'v', type: 'String' });

    expect(endpoint.state.listParameters(region)).toHaveLength(11);
  });
});
