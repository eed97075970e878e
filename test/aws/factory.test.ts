import { describe, expect, it } from 'vitest';
import { sharedCredentials } from '../../src/aws/clients.js';
import { partitionOf, sdkStoreFactory } from '../../src/aws/factory.js';
import { settingsFor } from '../support/aws.js';
import { useEndpoint } from '../support/endpoint.js';

const endpoint = useEndpoint();
const ROLE = 'arn:aws:iam::210987654321:role/replicator';

describe('sdkStoreFactory', () => {
  it('asks STS for the ambient account once for every region of a partition', async () => {
    const ep = endpoint();
    const storeFor = sdkStoreFactory(settingsFor(ep));
    const regions = ['ap-south-1', 'us-east-1', 'eu-west-1'];

    const accounts = await Promise.all(regions.map((region) => storeFor({ region }).account()));
    const again = await storeFor({ region: 'us-west-2' }).account();

    expect(accounts).toEqual(['123456789012', '123456789012', '123456789012']);
    expect(again).toBe('123456789012');
    expect(ep.calls({ operation: 'GetCallerIdentity' })).toHaveLength(1);
  });

  it('asks again in another partition: the same keys are another identity there, if any', async () => {
    const ep = endpoint();
    const storeFor = sdkStoreFactory(settingsFor(ep));

    await storeFor({ region: 'us-east-1' }).account();
    await storeFor({ region: 'us-gov-west-1' }).account();

    expect(ep.calls({ operation: 'GetCallerIdentity' })).toHaveLength(2);
  });

  it("takes a role's account from its ARN and assumes it once for all of a region's clients", async () => {
    const ep = endpoint();
    ep.state.createKey({ region: 'eu-west-1', alias: 'alias/replicas', account: '210987654321' });
    const store = sdkStoreFactory(settingsFor(ep))({ region: 'eu-west-1', roleArn: ROLE });

    // SSM, the tagging API and KMS: three clients, each signing with the role's credentials.
    await store.describePath('/prod', () => undefined);
    await store.taggedParameters();
    const key = await store.describeKey('alias/replicas');

    expect(key).toBeDefined();
    expect(await store.account()).toBe('210987654321');
    expect(ep.calls({ operation: 'GetCallerIdentity' })).toEqual([]);
    expect(ep.calls({ operation: 'AssumeRole' })).toHaveLength(1);
  });
});

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['ap-south-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('%s is in the %s partition', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});

describe('sharedCredentials', () => {
  const identity = (expiresInMs: number | undefined, id: string) => ({
    accessKeyId: id,
    secretAccessKey: 'secret',
    ...(expiresInMs === undefined ? {} : { expiration: new Date(NOW + expiresInMs) }),
  });
  const NOW = Date.UTC(2026, 11, 2);

  it('asks once for callers at the same time, and not again while the credentials are fresh', async () => {
    let asked = 0;
    const provider = sharedCredentials(
      async () => identity(3_600_000, `k${++asked}`),
      () => NOW,
    );

    const first = await Promise.all([provider(), provider(), provider()]);
    const later = await provider();

    expect(asked).toBe(1);
    expect([...first, later].map((c) => c.accessKeyId)).toEqual(['k1', 'k1', 'k1', 'k1']);
  });

  it('asks again within five minutes of expiry, as the SDK refreshes, once for concurrent callers', async () => {
    let asked = 0;
    const provider = sharedCredentials(
      async () => identity(asked++ === 0 ? 240_000 : 3_600_000, `k${asked}`),
      () => NOW,
    );
    await provider();

    const refreshed = await Promise.all([provider(), provider()]);

    expect(asked).toBe(2);
    expect(refreshed.map((c) => c.accessKeyId)).toEqual(['k2', 'k2']);
  });

  it('asks again after a failed ask rather than keeping the failure', async () => {
    let asked = 0;
    const provider = sharedCredentials(async () => {
      asked++;
      if (asked === 1) throw new Error('AccessDenied');
      return identity(undefined, 'k2');
    });

    await expect(provider()).rejects.toThrow('AccessDenied');
    const second = await provider();

    expect(asked).toBe(2);
    expect(second.accessKeyId).toBe('k2');
  });
});
