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

beforeAll(async () => {
  ep = await startEndpoint({ amis: { 'ap-south-1': ['ami-0123456789abcdef0'] } });
});
afterAll(() => ep.stop());
beforeEach(() => ep.state.reset());

describe('state helpers', () => {
  it('seed parameters that the SDK then reads', async () => {
    ep.state.putParameter({
      region,
      name: '/app/x',
      value: 'seeded',
      type: 'String',
      description: 'from a test',
    });

    const { Parameter } = await ssmClient(ep, region).send(new GetParameterCommand({ Name: '/app/x' }));

    expect(Parameter?.Value).toBe('seeded');
  });

  it('expose the stored record with plaintext values and every version', async () => {
    ep.state.putParameter({ region, name: '/app/s', value: 'one', type: 'SecureString' });
    await ssmClient(ep, region).send(
      new PutParameterCommand({ Name: '/app/s', Value: 'two', Overwrite: true }),
    );

    const record = ep.state.getParameter(region, '/app/s');

    expect(record?.versions.map((v) => [v.version, v.value, v.keyId])).toEqual([
      [1, 'one', 'alias/aws/ssm'],
      [2, 'two', 'alias/aws/ssm'],
    ]);
  });

  it('list every parameter of a region sorted by name', () => {
    for (const name of ['/b', '/a', '/c/d'])
      ep.state.putParameter({ region, name, value: 'v', type: 'String' });

    expect(ep.state.listParameters(region).map((r) => r.name)).toEqual(['/a', '/b', '/c/d']);
  });

  it('seed in another account without touching the default one', () => {
    ep.state.putParameter({ account: '210987654321', region, name: '/x', value: 'v', type: 'String' });

    expect(ep.state.getParameter('210987654321', region, '/x')).toBeDefined();
    expect(ep.state.getParameter(region, '/x')).toBeUndefined();
  });

  it('apply the same rules as the API', () => {
    expect(() => ep.state.putParameter({ region, name: '/aws/x', value: 'v', type: 'String' })).toThrow(
      /reserved/,
    );
  });

  it('seed disabled keys that SSM refuses', async () => {
    ep.state.createKey({ region, alias: 'alias/off', enabled: false });

    const error = await rejectionOf(
      ssmClient(ep, region).send(
        new PutParameterCommand({ Name: '/s', Value: 'v', Type: 'SecureString', KeyId: 'alias/off' }),
      ),
    );

    expect(error.name).toBe('InvalidKeyId');
  });

  it('register AMIs from options per region', async () => {
    await ssmClient(ep, 'ap-south-1').send(
      new PutParameterCommand({
        Name: '/ami',
        Value: 'ami-0123456789abcdef0',
        Type: 'String',
        DataType: 'aws:ec2:image',
      }),
    );

    expect(ep.state.getParameter('ap-south-1', '/ami')?.versions[0]?.value).toBe('ami-0123456789abcdef0');
  });

  it('restore a snapshot, undoing later writes', async () => {
    ep.state.putParameter({ region, name: '/keep', value: 'v', type: 'String' });
    const snapshot = ep.state.snapshot();
    await ssmClient(ep, region).send(new PutParameterCommand({ Name: '/later', Value: 'v', Type: 'String' }));
    await ssmClient(ep, region).send(
      new PutParameterCommand({ Name: '/keep', Value: 'changed', Overwrite: true }),
    );

    ep.state.restore(snapshot);

    expect(ep.state.listParameters(region).map((r) => [r.name, r.versions.length])).toEqual([['/keep', 1]]);
  });

  it('reset everything', () => {
    ep.state.putParameter({ region, name: '/x', value: 'v', type: 'String' });

    ep.state.reset();

    expect(ep.state.listParameters(region)).toEqual([]);
  });

  it('use the injected clock for LastModifiedDate', async () => {
    const fixed = await startEndpoint({ clock: () => Date.UTC(2030, 0, 1) });
    fixed.state.putParameter({ region, name: '/x', value: 'v', type: 'String' });

    const { Parameter } = await ssmClient(fixed, region).send(new GetParameterCommand({ Name: '/x' }));
    await fixed.stop();

    expect(Parameter?.LastModifiedDate?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });
});

describe('scale', () => {
  it('serves a Path listing from a region of 100,000 parameters without walking the region per page', async () => {
    // AWS caps Standard parameters at 10,000 per region; the benchmark raises the cap explicitly.
    const big = await startEndpoint({ limits: { standardParameters: 100_000 } });
    for (let app = 0; app < 100; app++) {
      for (let p = 0; p < 1000; p++) {
        big.state.putParameter({
          region,
          name: `/bench/app${String(app).padStart(2, '0')}/p${String(p).padStart(4, '0')}`,
          value: 'v',
          type: 'String',
        });
      }
    }
    const client = ssmClient(big, region);
    let listed = 0;
    let pages = 0;

    for await (const page of paginateDescribeParameters(
      { client, pageSize: 50 },
      { ParameterFilters: [{ Key: 'Path', Values: ['/bench/app42'] }] },
    )) {
      listed += page.Parameters?.length ?? 0;
      pages += 1;
    }
    const oneLevelRoot = await client.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Values: ['/bench'] }] }),
    );

    const stored = big.state.listParameters(region).length;
    await big.stop();

    expect(stored).toBe(100_000);
    expect([listed, pages]).toEqual([1000, 20]);
    expect(oneLevelRoot.Parameters).toEqual([]);
  });
});
