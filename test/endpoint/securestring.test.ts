import { DecryptCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParametersCommand,
  PutParameterCommand,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { kmsClient, rejectionOf, ssmClient } from './clients.js';
import { type Endpoint, startEndpoint } from './index.js';

// https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html
let ep: Endpoint;
const region = 'eu-west-1';
const put = (input: PutParameterCommandInput, where = region) =>
  ssmClient(ep, where).send(new PutParameterCommand(input));
const keyIdOf = async (name: string) =>
  (
    await ssmClient(ep, region).send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] }),
    )
  ).Parameters?.[0]?.KeyId;

beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => ep.state.reset());

describe('SecureString parameters', () => {
  it('encrypt with alias/aws/ssm by default and DescribeParameters reports that alias', async () => {
    await put({ Name: '/app/secret', Value: 's3cr3t', Type: 'SecureString' });

    expect(await keyIdOf('/app/secret')).toBe('alias/aws/ssm');
  });

  it('return opaque ciphertext without WithDecryption and the plaintext with it', async () => {
    await put({ Name: '/app/secret', Value: 's3cr3t', Type: 'SecureString' });
    const client = ssmClient(ep, region);

    const hidden = await client.send(new GetParameterCommand({ Name: '/app/secret' }));
    const shown = await client.send(new GetParameterCommand({ Name: '/app/secret', WithDecryption: true }));

    expect(hidden.Parameter?.Value).not.toContain('s3cr3t');
    expect(hidden.Parameter?.Value).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(shown.Parameter?.Value).toBe('s3cr3t');
  });

  it('store ciphertext that KMS Decrypt opens with the PARAMETER_ARN encryption context', async () => {
    await put({ Name: '/app/secret', Value: 's3cr3t', Type: 'SecureString' });
    const hidden = await ssmClient(ep, region).send(new GetParameterCommand({ Name: '/app/secret' }));

    const decrypted = await kmsClient(ep, region).send(
      new DecryptCommand({
        CiphertextBlob: Buffer.from(hidden.Parameter?.Value ?? '', 'base64'),
        EncryptionContext: { PARAMETER_ARN: hidden.Parameter?.ARN ?? '' },
      }),
    );

    expect(Buffer.from(decrypted.Plaintext ?? new Uint8Array()).toString()).toBe('s3cr3t');
  });

  it.each([
    ['key id', (id: string) => id],
    ['key ARN', (id: string) => `arn:aws:kms:${region}:123456789012:key/${id}`],
    ['alias name', () => 'alias/app'],
    ['alias ARN', () => `arn:aws:kms:${region}:123456789012:alias/app`],
  ])('accept a key named by its %s and echo that reference in DescribeParameters', async (_, reference) => {
    const key = ep.state.createKey({ region, alias: 'alias/app' });
    const keyId = reference(key.keyId);

    await put({ Name: '/app/secret', Value: 'x', Type: 'SecureString', KeyId: keyId });

    expect(await keyIdOf('/app/secret')).toBe(keyId);
  });

  it('reject a key that does not exist (InvalidKeyId)', async () => {
    const error = await rejectionOf(
      put({ Name: '/app/secret', Value: 'x', Type: 'SecureString', KeyId: 'alias/missing' }),
    );

    expect(error.name).toBe('InvalidKeyId');
  });

  it('reject a key that exists only in another region (InvalidKeyId)', async () => {
    const key = ep.state.createKey({ region: 'us-east-1' });

    const error = await rejectionOf(
      put({ Name: '/app/secret', Value: 'x', Type: 'SecureString', KeyId: key.arn }),
    );

    expect(error.name).toBe('InvalidKeyId');
  });

  it('reject a disabled key (InvalidKeyId wrapping KMS DisabledException)', async () => {
    const key = ep.state.createKey({ region });
    await kmsClient(ep, region).send(new DisableKeyCommand({ KeyId: key.keyId }));

    const error = await rejectionOf(
      put({ Name: '/app/secret', Value: 'x', Type: 'SecureString', KeyId: key.keyId }),
    );

    expect(error.name).toBe('InvalidKeyId');
    expect(error.message).toContain('DisabledException');
  });

  it('refuse to decrypt once the key is disabled', async () => {
    const key = ep.state.createKey({ region, alias: 'alias/app' });
    await put({ Name: '/app/secret', Value: 'x', Type: 'SecureString', KeyId: 'alias/app' });
    ep.state.setKeyEnabled(region, key.keyId, false);

    const error = await rejectionOf(
      ssmClient(ep, region).send(new GetParameterCommand({ Name: '/app/secret', WithDecryption: true })),
    );

    expect(error.name).toBe('InvalidKeyId');
  });

  it('accept the same multi-region key id in both regions once it is replicated', async () => {
    const primary = ep.state.createKey({ region, multiRegion: true });
    ep.state.createKey({ region: 'ap-south-1', keyId: primary.keyId });

    await put({ Name: '/app/secret', Value: 'x', Type: 'SecureString', KeyId: primary.keyId });
    await put({ Name: '/app/secret', Value: 'x', Type: 'SecureString', KeyId: primary.keyId }, 'ap-south-1');

    expect(primary.keyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(ep.state.getParameter('ap-south-1', '/app/secret')?.versions[0]?.resolvedKeyId).toBe(
      primary.keyId,
    );
  });

  it('keep the key of a SecureString when an overwrite omits KeyId', async () => {
    ep.state.createKey({ region, alias: 'alias/app' });
    await put({ Name: '/app/secret', Value: 'x', Type: 'SecureString', KeyId: 'alias/app' });

    await put({ Name: '/app/secret', Value: 'y', Overwrite: true });

    expect(await keyIdOf('/app/secret')).toBe('alias/app');
  });

  it('reject KeyId on a String parameter', async () => {
    const error = await rejectionOf(
      put({ Name: '/app/plain', Value: 'x', Type: 'String', KeyId: 'alias/aws/ssm' }),
    );

    expect(error.name).toBe('ValidationException');
  });
});

// Parameter Store decrypts a SecureString with KMS on the caller's behalf, one Decrypt per value
// (https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html).
describe('the call log of value reads', () => {
  it('records WithDecryption and the KMS decrypts Parameter Store made to answer', async () => {
    await put({ Name: '/app/s1', Value: 'a', Type: 'SecureString' });
    await put({ Name: '/app/s2', Value: 'b', Type: 'SecureString' });
    await put({ Name: '/app/plain', Value: 'c', Type: 'String' });
    ep.resetCalls();
    const client = ssmClient(ep, region);
    const names = ['/app/s1', '/app/s2', '/app/plain'];

    await client.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
    await client.send(new GetParametersCommand({ Names: names, WithDecryption: false }));
    await client.send(new GetParametersCommand({ Names: names }));

    expect(ep.calls().map((c) => [c.withDecryption, c.kmsDecrypts])).toEqual([
      [true, 2],
      [false, undefined],
      [undefined, undefined],
    ]);
  });
});
