import { randomBytes } from 'node:crypto';
import { type CallContext, epochSeconds, type Handler } from './context.js';
import { AwsError, constraintViolation, validation } from './errors.js';
import { type Input, optBool, optNumber, optRecordOfStrings, optString, reqString } from './input.js';
import {
  aliasArn,
  ciphertextKeyId,
  decryptWith,
  encryptWith,
  keyNotFound,
  managedSsmKey,
  newKey,
  resolveKey,
} from './kms-core.js';
import type { KeyRecord } from './model.js';
import { readLimit } from './paging.js';
import { lowerBound, upperBound } from './sorted.js';

/** KMS API reference: https://docs.aws.amazon.com/kms/latest/APIReference/Welcome.html */

function keyMetadata(key: KeyRecord): Record<string, unknown> {
  const primary = key.primaryRegion ?? key.region;
  return {
    AWSAccountId: key.account,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: epochSeconds(key.creationDate),
    Enabled: key.enabled,
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.enabled ? 'Enabled' : 'Disabled',
    Origin: 'AWS_KMS',
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    MultiRegion: key.multiRegion,
    ...(key.multiRegion
      ? {
          MultiRegionConfiguration: {
            MultiRegionKeyType: primary === key.region ? 'PRIMARY' : 'REPLICA',
            PrimaryKey: { Arn: key.arn.replace(`:${key.region}:`, `:${primary}:`), Region: primary },
            ReplicaKeys: [],
          },
        }
      : {}),
  };
}

function requireKey(ctx: CallContext, ref: string): KeyRecord {
  const key = resolveKey(ctx.scope, ref, ctx.now);
  if (!key) throw keyNotFound(ctx.scope, ref);
  return key;
}

/** https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html: a disabled key refuses cryptography. */
function usableKey(ctx: CallContext, ref: string): KeyRecord {
  const key = requireKey(ctx, ref);
  if (!key.enabled) throw new AwsError('DisabledException', `${key.arn} is disabled.`);
  return key;
}

function blob(input: Input, key: string, member: string): Buffer {
  return Buffer.from(reqString(input, key, member), 'base64');
}

function createKey(ctx: CallContext, input: Input): unknown {
  const key = newKey(ctx.scope, {
    now: ctx.now,
    multiRegion: optBool(input, 'MultiRegion') ?? false,
    description: optString(input, 'Description') ?? '',
    keyUsage: optString(input, 'KeyUsage') ?? 'ENCRYPT_DECRYPT',
    keySpec: optString(input, 'KeySpec') ?? 'SYMMETRIC_DEFAULT',
  });
  return { KeyMetadata: keyMetadata(key) };
}

/** https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html: same key id in another region. */
function replicateKey(ctx: CallContext, input: Input): unknown {
  const key = requireKey(ctx, reqString(input, 'KeyId', 'keyId'));
  const replicaRegion = reqString(input, 'ReplicaRegion', 'replicaRegion');
  if (!key.multiRegion)
    throw new AwsError('UnsupportedOperationException', `${key.arn} is not a multi-Region key.`);
  const target = ctx.state.scope(ctx.account, replicaRegion);
  if (target.keys.has(key.keyId))
    throw new AwsError(
      'AlreadyExistsException',
      `Replica key ${key.keyId} already exists in ${replicaRegion}.`,
    );
  const replica = newKey(target, {
    keyId: key.keyId,
    multiRegion: true,
    description: optString(input, 'Description') ?? key.description,
    primaryRegion: key.primaryRegion ?? key.region,
    now: ctx.now,
  });
  return { ReplicaKeyMetadata: keyMetadata(replica), ReplicaPolicy: '{}', ReplicaTags: [] };
}

function describeKey(ctx: CallContext, input: Input): unknown {
  return { KeyMetadata: keyMetadata(requireKey(ctx, reqString(input, 'KeyId', 'keyId'))) };
}

function setEnabled(enabled: boolean): Handler {
  return (ctx, input) => {
    requireKey(ctx, reqString(input, 'KeyId', 'keyId')).enabled = enabled;
    return {};
  };
}

const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

/** https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html */
function createAlias(ctx: CallContext, input: Input): unknown {
  const aliasName = reqString(input, 'AliasName', 'aliasName');
  const target = reqString(input, 'TargetKeyId', 'targetKeyId');
  if (!ALIAS_NAME.test(aliasName)) {
    throw constraintViolation(
      aliasName,
      'aliasName',
      'Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$',
    );
  }
  if (aliasName.startsWith('alias/aws/'))
    throw validation('Alias must not begin with alias/aws/: that prefix is reserved for AWS managed keys.');
  if (ctx.scope.aliases.has(aliasName)) {
    throw new AwsError(
      'AlreadyExistsException',
      `An alias with the name ${aliasArn(ctx.region, ctx.account, aliasName)} already exists`,
    );
  }
  if (target.startsWith('alias/') || target.includes(':alias/'))
    throw validation('TargetKeyId must be a key id or key ARN, not an alias.');
  const key = requireKey(ctx, target);
  ctx.scope.aliases.set(aliasName, { aliasName, targetKeyId: key.keyId, creationDate: ctx.now });
  return {};
}

function deleteAlias(ctx: CallContext, input: Input): unknown {
  const aliasName = reqString(input, 'AliasName', 'aliasName');
  if (!ctx.scope.aliases.delete(aliasName)) throw keyNotFound(ctx.scope, aliasName);
  return {};
}

function listAliases(ctx: CallContext, input: Input): unknown {
  managedSsmKey(ctx.scope, ctx.now);
  const limit = readLimit(input, 'Limit', 'limit', 100, 50);
  const keyRef = optString(input, 'KeyId');
  const keyFilter = keyRef === undefined ? undefined : requireKey(ctx, keyRef).keyId;
  const names = [...ctx.scope.aliases.keys()].sort();
  const marker = optString(input, 'Marker');
  const from = marker === undefined ? 0 : upperBound(names, marker);
  const selected = names
    .slice(from)
    .filter((name) => keyFilter === undefined || ctx.scope.aliases.get(name)?.targetKeyId === keyFilter);
  const page = selected.slice(0, limit);
  const truncated = selected.length > limit;
  return {
    Aliases: page.map((name) => {
      const alias = ctx.scope.aliases.get(name);
      return {
        AliasName: name,
        AliasArn: aliasArn(ctx.region, ctx.account, name),
        TargetKeyId: alias?.targetKeyId,
        CreationDate: epochSeconds(alias?.creationDate ?? ctx.now),
        LastUpdatedDate: epochSeconds(alias?.creationDate ?? ctx.now),
      };
    }),
    Truncated: truncated,
    ...(truncated ? { NextMarker: page[page.length - 1] } : {}),
  };
}

function listKeys(ctx: CallContext, input: Input): unknown {
  const limit = readLimit(input, 'Limit', 'limit', 1000, 100);
  const ids = [...ctx.scope.keys.keys()].sort();
  const marker = optString(input, 'Marker');
  const from = marker === undefined ? 0 : lowerBound(ids, marker) + (ids.includes(marker) ? 1 : 0);
  const page = ids.slice(from, from + limit);
  const truncated = from + limit < ids.length;
  return {
    Keys: page.map((id) => ({ KeyId: id, KeyArn: ctx.scope.keys.get(id)?.arn })),
    Truncated: truncated,
    ...(truncated ? { NextMarker: page[page.length - 1] } : {}),
  };
}

function encrypt(ctx: CallContext, input: Input): unknown {
  const key = usableKey(ctx, reqString(input, 'KeyId', 'keyId'));
  const plaintext = blob(input, 'Plaintext', 'plaintext');
  if (plaintext.length < 1 || plaintext.length > 4096) {
    throw constraintViolation('[binary]', 'plaintext', 'Member must have length between 1 and 4096');
  }
  const ciphertext = encryptWith(key, plaintext, optRecordOfStrings(input, 'EncryptionContext'));
  return {
    CiphertextBlob: ciphertext.toString('base64'),
    KeyId: key.arn,
    EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  };
}

/** The key is read from the ciphertext; a ciphertext from another region's key does not decrypt here. */
function decrypt(ctx: CallContext, input: Input): unknown {
  const ciphertext = blob(input, 'CiphertextBlob', 'ciphertextBlob');
  const id = ciphertextKeyId(ciphertext);
  const key = id === undefined ? undefined : ctx.scope.keys.get(id);
  if (!key) throw new AwsError('InvalidCiphertextException', '');
  const wanted = optString(input, 'KeyId');
  if (wanted !== undefined && resolveKey(ctx.scope, wanted, ctx.now)?.keyId !== key.keyId) {
    throw new AwsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify a KMS key that can perform this operation.',
    );
  }
  if (!key.enabled) throw new AwsError('DisabledException', `${key.arn} is disabled.`);
  const plaintext = decryptWith(key, ciphertext, optRecordOfStrings(input, 'EncryptionContext'));
  return {
    Plaintext: plaintext.toString('base64'),
    KeyId: key.arn,
    EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  };
}

function generateDataKey(ctx: CallContext, input: Input): unknown {
  const key = usableKey(ctx, reqString(input, 'KeyId', 'keyId'));
  const spec = optString(input, 'KeySpec');
  const count = optNumber(input, 'NumberOfBytes');
  if ((spec === undefined) === (count === undefined))
    throw validation('Please specify either number of bytes or key spec.');
  const size = spec === 'AES_128' ? 16 : spec === 'AES_256' ? 32 : count;
  if (size === undefined || size < 1 || size > 1024)
    throw constraintViolation(
      spec ?? count,
      spec ? 'keySpec' : 'numberOfBytes',
      'Member must be AES_256, AES_128 or 1-1024 bytes',
    );
  const plaintext = randomBytes(size);
  const ciphertext = encryptWith(key, plaintext, optRecordOfStrings(input, 'EncryptionContext'));
  return {
    Plaintext: plaintext.toString('base64'),
    CiphertextBlob: ciphertext.toString('base64'),
    KeyId: key.arn,
  };
}

/** Operation name (after `TrentService.`) to handler. */
export const kmsHandlers: Record<string, Handler> = {
  CreateKey: createKey,
  ReplicateKey: replicateKey,
  DescribeKey: describeKey,
  DisableKey: setEnabled(false),
  EnableKey: setEnabled(true),
  CreateAlias: createAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
  ListKeys: listKeys,
  Encrypt: encrypt,
  Decrypt: decrypt,
  GenerateDataKey: generateDataKey,
};
