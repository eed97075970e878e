import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  ListAliasesCommand,
  ReplicateKeyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { kmsClient, rejectionOf } from './clients.js';
import { type Endpoint, startEndpoint } from './index.js';

// https://docs.aws.amazon.com/kms/latest/APIReference/Welcome.html
let ep: Endpoint;
const region = 'eu-west-1';
const kms = (where = region) => kmsClient(ep, where);
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString();

beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => ep.state.reset());

describe('KMS', () => {
  it('creates single-region keys with a UUID id and multi-region keys with an mrk- id', async () => {
    const single = await kms().send(new CreateKeyCommand({}));
    const multi = await kms().send(new CreateKeyCommand({ MultiRegion: true }));

    expect(single.KeyMetadata?.KeyId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(multi.KeyMetadata).toMatchObject({
      MultiRegion: true,
      KeyId: expect.stringMatching(/^mrk-[0-9a-f]{32}$/),
    });
  });

  it('describes a key by id, ARN, alias name and alias ARN', async () => {
    const key = ep.state.createKey({ region, alias: 'alias/app' });
    const refs = [key.keyId, key.arn, 'alias/app', `arn:aws:kms:${region}:123456789012:alias/app`];

    const described = await Promise.all(refs.map((KeyId) => kms().send(new DescribeKeyCommand({ KeyId }))));

    expect(described.map((d) => d.KeyMetadata?.KeyId)).toEqual(refs.map(() => key.keyId));
  });

  it('reports NotFoundException for an unknown key and for a key in another region', async () => {
    const elsewhere = ep.state.createKey({ region: 'us-east-1' });

    const unknown = await rejectionOf(kms().send(new DescribeKeyCommand({ KeyId: 'alias/nope' })));
    const regional = await rejectionOf(kms().send(new DescribeKeyCommand({ KeyId: elsewhere.keyId })));

    expect([unknown.name, regional.name]).toEqual(['NotFoundException', 'NotFoundException']);
  });

  it('creates aliases, lists them with the AWS managed alias/aws/ssm, and refuses duplicates', async () => {
    const key = ep.state.createKey({ region });
    await kms().send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: key.keyId }));

    const listed = await kms().send(new ListAliasesCommand({}));
    const duplicate = await rejectionOf(
      kms().send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: key.keyId })),
    );

    expect(listed.Aliases?.map((a) => a.AliasName)).toEqual(['alias/app', 'alias/aws/ssm']);
    expect(duplicate.name).toBe('AlreadyExistsException');
  });

  it('round-trips Encrypt and Decrypt with an encryption context', async () => {
    const key = ep.state.createKey({ region });
    const context = { purpose: 'test' };

    const encrypted = await kms().send(
      new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('hello'), EncryptionContext: context }),
    );
    const decrypted = await kms().send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }),
    );

    expect(text(decrypted.Plaintext)).toBe('hello');
    expect(decrypted.KeyId).toBe(key.arn);
  });

  it('refuses to decrypt with a different encryption context (InvalidCiphertextException)', async () => {
    const key = ep.state.createKey({ region });
    const encrypted = await kms().send(
      new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x'), EncryptionContext: { a: '1' } }),
    );

    const error = await rejectionOf(
      kms().send(
        new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { a: '2' } }),
      ),
    );

    expect(error.name).toBe('InvalidCiphertextException');
  });

  it('generates a 256-bit data key with its encrypted copy', async () => {
    const key = ep.state.createKey({ region });

    const dataKey = await kms().send(new GenerateDataKeyCommand({ KeyId: key.keyId, KeySpec: 'AES_256' }));
    const decrypted = await kms().send(new DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }));

    expect(dataKey.Plaintext).toHaveLength(32);
    expect(Buffer.from(decrypted.Plaintext ?? []).equals(Buffer.from(dataKey.Plaintext ?? []))).toBe(true);
  });

  it('refuses cryptography with a disabled key (DisabledException) until it is enabled again', async () => {
    const key = ep.state.createKey({ region });
    await kms().send(new DisableKeyCommand({ KeyId: key.keyId }));

    const error = await rejectionOf(
      kms().send(new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x') })),
    );
    const disabled = await kms().send(new DescribeKeyCommand({ KeyId: key.keyId }));
    await kms().send(new EnableKeyCommand({ KeyId: key.keyId }));
    const encrypted = await kms().send(new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x') }));

    expect(error.name).toBe('DisabledException');
    expect(disabled.KeyMetadata?.KeyState).toBe('Disabled');
    expect(encrypted.CiphertextBlob?.length).toBeGreaterThan(0);
  });

  it('replicates a multi-region key under the same id and decrypts its ciphertext in the replica region', async () => {
    const primary = await kms().send(new CreateKeyCommand({ MultiRegion: true }));
    const keyId = primary.KeyMetadata?.KeyId ?? '';
    const encrypted = await kms().send(
      new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('across') }),
    );

    const replica = await kms().send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'ap-south-1' }));
    const decrypted = await kms('ap-south-1').send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }),
    );

    expect(replica.ReplicaKeyMetadata).toMatchObject({
      KeyId: keyId,
      MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA' },
    });
    expect(text(decrypted.Plaintext)).toBe('across');
  });

  it('does not decrypt a single-region ciphertext in another region', async () => {
    const key = ep.state.createKey({ region });
    const encrypted = await kms().send(new EncryptCommand({ KeyId: key.keyId, Plaintext: Buffer.from('x') }));

    const error = await rejectionOf(
      kms('ap-south-1').send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob })),
    );

    expect(error.name).toBe('InvalidCiphertextException');
  });
});
