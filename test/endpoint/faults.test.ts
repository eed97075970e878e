import {
  DescribeParametersCommand,
  GetParameterCommand,
  PutParameterCommand,
  paginateDescribeParameters,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, ssmClient } from './clients.js';
import { type Endpoint, startEndpoint } from './index.js';

let ep: Endpoint;
const region = 'eu-west-1';
const get = (attempts = 1, where = region) =>
  ssmClient(ep, where, { maxAttempts: attempts }).send(new GetParameterCommand({ Name: '/app/x' }));
const statuses = () => ep.calls({ operation: 'GetParameter' }).map((c) => [c.status, c.errorCode ?? null]);

beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => {
  ep.state.reset();
  ep.faults.clear();
  ep.resetCalls();
  ep.state.putParameter({ region, name: '/app/x', value: 'v', type: 'String' });
  ep.state.putParameter({ region: 'us-east-1', name: '/app/x', value: 'v', type: 'String' });
});

describe('scripted failures (faults.failNext)', () => {
  it('answer InternalServerError with HTTP 500, which the SDK retries to success', async () => {
    ep.faults.failNext({ operation: 'GetParameter', region });

    const result = await get(3);

    expect(result.$metadata.attempts).toBe(2);
    expect(statuses()).toEqual([
      [500, 'InternalServerError'],
      [200, null],
    ]);
  });

  it('fail every attempt while count lasts', async () => {
    ep.faults.failNext({ operation: 'GetParameter', count: 3 });

    const error = await rejectionOf(get(3));

    expect(error.name).toBe('InternalServerError');
    expect(error.$metadata?.attempts).toBe(3);
  });

  it('answer ServiceUnavailable with HTTP 503', async () => {
    ep.faults.failNext({ operation: 'GetParameter', error: 'ServiceUnavailable' });

    const error = await rejectionOf(get());

    expect(error.name).toBe('ServiceUnavailable');
    expect(error.$metadata?.httpStatusCode).toBe(503);
  });

  it.each(['TooManyUpdates', 'AccessDeniedException'])(
    'answer %s with HTTP 400, which the SDK does not retry',
    async (code) => {
      ep.faults.failNext({ operation: 'PutParameter', error: code });

      const error = await rejectionOf(
        ssmClient(ep, region, { maxAttempts: 3 }).send(
          new PutParameterCommand({ Name: '/app/y', Value: 'v', Type: 'String' }),
        ),
      );

      expect(error.name).toBe(code);
      expect(error.$metadata).toMatchObject({ httpStatusCode: 400, attempts: 1 });
    },
  );

  it('stay in their region', async () => {
    ep.faults.failNext({ operation: 'GetParameter', region: 'us-east-1' });

    const result = await get(1, region);

    expect(result.Parameter?.Value).toBe('v');
  });

  it('are removed by clear()', async () => {
    ep.faults.failNext({ operation: 'GetParameter', count: 5 });
    ep.faults.clear();

    const result = await get();

    expect(result.Parameter?.Value).toBe('v');
  });
});

describe('malformed answers (faults.malformNext)', () => {
  it('hand the SDK a body it cannot parse, whose parser error quotes the body', async () => {
    const body = (real: string) => real.replace('"Value":"', '"Value":#"');
    ep.faults.malformNext({ operation: 'GetParameter', region, body });

    const error = await rejectionOf(get(3));

    // The SDK does not retry a 200 it cannot read, and V8's message quotes the body around the fault.
    expect(error).toMatchObject({ name: 'SyntaxError' });
    expect((error as Error).message).toContain('"Value":#"v"');
    expect(statuses()).toEqual([[200, null]]);
    await expect(get()).resolves.toMatchObject({ Parameter: { Value: 'v' } });
  });
});

describe('page failures (faults.failPage)', () => {
  beforeEach(() => {
    for (let i = 0; i < 5; i++)
      ep.state.putParameter({ region, name: `/p/${i}`, value: 'v', type: 'String' });
  });

  async function listAll(attempts: number): Promise<number> {
    let count = 0;
    const client = ssmClient(ep, region, { maxAttempts: attempts });
    for await (const page of paginateDescribeParameters({ client, pageSize: 2 }, {}))
      count += page.Parameters?.length ?? 0;
    return count;
  }

  it('fail only the K-th page of a listing', async () => {
    ep.faults.failPage({ operation: 'DescribeParameters', page: 2 });

    const error = await rejectionOf(listAll(1));

    expect(error.name).toBe('InternalServerError');
    expect(ep.calls({ operation: 'DescribeParameters' }).map((c) => c.status)).toEqual([200, 500]);
  });

  it('let a retrying caller finish the listing', async () => {
    ep.faults.failPage({ operation: 'DescribeParameters', page: 3 });

    expect(await listAll(3)).toBe(6);
  });
});

describe('region outages (faults.regionDown)', () => {
  it('destroy the connection so the SDK sees a network error, retrying it before giving up', async () => {
    ep.faults.regionDown(region);

    const error = await rejectionOf(get(2));

    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ECONNRESET', $metadata: { attempts: 2 } });
    expect(ep.calls({ region }).map((c) => [c.status, c.errorCode])).toEqual([
      [0, 'RegionDown'],
      [0, 'RegionDown'],
    ]);
  });

  it('leave other regions serving, and end with regionUp', async () => {
    ep.faults.regionDown(region);

    const other = await get(1, 'us-east-1');
    ep.faults.regionUp(region);
    const back = await get(1, region);

    expect([other.Parameter?.Value, back.Parameter?.Value]).toEqual(['v', 'v']);
  });
});

describe('latency', () => {
  it('slows every call in a slowed region by at least the given time', async () => {
    ep.faults.slowRegion(region, 60);

    await get();
    await get(1, 'us-east-1');

    const [slow, fast] = ep.calls();
    expect(slow?.durationMs).toBeGreaterThanOrEqual(55);
    expect(fast?.durationMs).toBeLessThan(55);
  });

  it('adds configured per-call latency to every region', async () => {
    const slow = await startEndpoint({ latency: { ms: 30, jitterMs: 10 } });
    slow.state.putParameter({ region: 'ap-south-1', name: '/x', value: 'v', type: 'String' });

    await ssmClient(slow, 'ap-south-1').send(new GetParameterCommand({ Name: '/x' }));
    const [call] = slow.calls();
    await slow.stop();

    expect(call?.durationMs).toBeGreaterThanOrEqual(25);
  });
});

describe('call log', () => {
  it('counts calls per region and operation, with filters', async () => {
    await get();
    await get();
    await get(1, 'us-east-1');
    await ssmClient(ep, region).send(new DescribeParametersCommand({}));

    expect(ep.callCounts()).toEqual({
      'eu-west-1:GetParameter': 2,
      'us-east-1:GetParameter': 1,
      'eu-west-1:DescribeParameters': 1,
    });
    expect(ep.callCounts({ region: 'us-east-1' })).toEqual({ 'us-east-1:GetParameter': 1 });
    expect(ep.calls()[0]).toMatchObject({
      account: '123456789012',
      region,
      service: 'ssm',
      operation: 'GetParameter',
      status: 200,
    });
  });

  it('records failures with their error code and forgets everything on resetCalls', async () => {
    await rejectionOf(ssmClient(ep, region).send(new GetParameterCommand({ Name: '/missing' })));
    const failed = ep.calls({ failed: true });

    ep.resetCalls();

    expect(failed.map((c) => c.errorCode)).toEqual(['ParameterNotFound']);
    expect(ep.calls()).toEqual([]);
  });
});

describe('a lagging listing (faults.lagListing)', () => {
  const listed = async () => {
    const r = await ssmClient(ep, region).send(
      new DescribeParametersCommand({
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/app/x', '/app/new'] }],
      }),
    );
    return (r.Parameters ?? []).map((p) => [p.Name, p.Version]);
  };
  const put = (name: string, value: string) =>
    ssmClient(ep, region).send(
      new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }),
    );

  it('hides a new name and keeps showing the old version of an updated one, while by-name reads see the writes', async () => {
    ep.faults.lagListing({ region, names: ['/app/x', '/app/new'] });
    await put('/app/x', 'v2');
    await put('/app/new', 'n');

    expect(await listed()).toEqual([['/app/x', 1]]);
    const got = await ssmClient(ep, region).send(new GetParameterCommand({ Name: '/app/new' }));
    expect(got.Parameter?.Version).toBe(1);
    const x = await ssmClient(ep, region).send(new GetParameterCommand({ Name: '/app/x' }));
    expect(x.Parameter?.Value).toBe('v2');
  });

  it('catches up after the given number of listings, and only in its region', async () => {
    ep.faults.lagListing({ region, names: ['/app/x', '/app/new'], calls: 2 });
    await put('/app/new', 'n');
    const elsewhere = await ssmClient(ep, 'us-east-1').send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/app/x'] }] }),
    );
    expect(elsewhere.Parameters?.map((p) => p.Name)).toEqual(['/app/x']);

    expect(await listed()).toEqual([['/app/x', 1]]);
    expect(await listed()).toEqual([['/app/x', 1]]);
    expect(await listed()).toEqual([
      ['/app/new', 1],
      ['/app/x', 1],
    ]);
  });

  it('is removed by clear()', async () => {
    ep.faults.lagListing({ region, names: ['/app/new'] });
    await put('/app/new', 'n');
    ep.faults.clear();
    expect((await listed()).map(([name]) => name)).toEqual(['/app/new', '/app/x']);
  });
});
