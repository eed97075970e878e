import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { AwsError } from './errors.js';
import type { KeyRecord, ScopeData } from './model.js';

/** SSM's default key; AWS creates it on first use in every account and region. */
export const AWS_SSM_ALIAS = 'alias/aws/ssm';

export function keyArn(region: string, account: string, keyId: string): string {
  return `arn:aws:kms:${region}:${account}:key/${keyId}`;
}

export function aliasArn(region: string, account: string, aliasName: string): string {
  return `arn:aws:kms:${region}:${account}:${aliasName}`;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function uuidFrom(bytes: Buffer): string {
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface NewKeyOptions {
  keyId?: string;
  multiRegion?: boolean;
  description?: string;
  enabled?: boolean;
  keyManager?: 'AWS' | 'CUSTOMER';
  keyUsage?: string;
  keySpec?: string;
  primaryRegion?: string;
  now: number;
}

export function newKey(scope: ScopeData, options: NewKeyOptions): KeyRecord {
  const multiRegion = options.multiRegion ?? options.keyId?.startsWith('mrk-') ?? false;
  const keyId = options.keyId ?? (multiRegion ? `mrk-${randomBytes(16).toString('hex')}` : randomUUID());
  if (scope.keys.has(keyId)) throw new AwsError('AlreadyExistsException', `Key ${keyId} already exists.`);
  // Replicas of a multi-region key share key material, so the material derives from the id.
  const material = multiRegion
    ? digest(`mrk:${scope.account}:${keyId}`).toString('hex')
    : randomBytes(32).toString('hex');
  const key: KeyRecord = {
    keyId,
    arn: keyArn(scope.region, scope.account, keyId),
    account: scope.account,
    region: scope.region,
    description: options.description ?? '',
    enabled: options.enabled ?? true,
    multiRegion,
    keyManager: options.keyManager ?? 'CUSTOMER',
    keyUsage: options.keyUsage ?? 'ENCRYPT_DECRYPT',
    keySpec: options.keySpec ?? 'SYMMETRIC_DEFAULT',
    material,
    creationDate: options.now,
    ...(multiRegion ? { primaryRegion: options.primaryRegion ?? scope.region } : {}),
  };
  scope.keys.set(keyId, key);
  return key;
}

/** The AWS managed aws/ssm key exists implicitly: it is materialised the first time it is referenced. */
export function managedSsmKey(scope: ScopeData, now: number): KeyRecord {
  const alias = scope.aliases.get(AWS_SSM_ALIAS);
  const existing = alias ? scope.keys.get(alias.targetKeyId) : undefined;
  if (existing) return existing;
  const keyId = uuidFrom(digest(`aws/ssm:${scope.account}:${scope.region}`));
  const key =
    scope.keys.get(keyId) ??
    newKey(scope, {
      keyId,
      keyManager: 'AWS',
      description: 'Default key that protects my SSM parameters',
      now,
    });
  scope.aliases.set(AWS_SSM_ALIAS, { aliasName: AWS_SSM_ALIAS, targetKeyId: key.keyId, creationDate: now });
  return key;
}

function resolveAlias(scope: ScopeData, aliasName: string, now: number): KeyRecord | undefined {
  if (aliasName === AWS_SSM_ALIAS) return managedSsmKey(scope, now);
  const alias = scope.aliases.get(aliasName);
  return alias ? scope.keys.get(alias.targetKeyId) : undefined;
}

const ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/.+|alias\/.+)$/;

/**
 * Resolves a key id, key ARN, alias name or alias ARN within one (account, region), as KMS does
 * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-id). An ARN naming
 * another region or account resolves to nothing: keys are regional.
 */
export function resolveKey(scope: ScopeData, ref: string, now: number): KeyRecord | undefined {
  if (ref.startsWith('alias/')) return resolveAlias(scope, ref, now);
  const arn = ARN.exec(ref);
  if (arn) {
    const [, region, account, resource = ''] = arn;
    if (region !== scope.region || account !== scope.account) return undefined;
    if (resource.startsWith('alias/')) return resolveAlias(scope, resource, now);
    return scope.keys.get(resource.slice('key/'.length));
  }
  return scope.keys.get(ref);
}

/** KMS's NotFoundException wording for a reference that resolves to nothing. */
export function keyNotFound(scope: ScopeData, ref: string): AwsError {
  if (ref.startsWith('alias/')) {
    return new AwsError(
      'NotFoundException',
      `Alias ${aliasArn(scope.region, scope.account, ref)} is not found.`,
    );
  }
  const arn = ref.startsWith('arn:') ? ref : keyArn(scope.region, scope.account, ref);
  return new AwsError('NotFoundException', `Key '${arn}' does not exist`);
}

const MAGIC = Buffer.from('LKM1');

function aad(header: Buffer, context: Record<string, string> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.concat([header, Buffer.from(JSON.stringify(entries))]);
}

/** Ciphertext layout: magic | key-id length | key id | iv | tag | AES-256-GCM body. */
export function encryptWith(key: KeyRecord, plaintext: Buffer, context?: Record<string, string>): Buffer {
  const id = Buffer.from(key.keyId);
  const header = Buffer.concat([MAGIC, Buffer.from([id.length]), id]);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key.material, 'hex'), iv);
  cipher.setAAD(aad(header, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

export function ciphertextKeyId(blob: Buffer): string | undefined {
  if (blob.length < 6 || !blob.subarray(0, 4).equals(MAGIC)) return undefined;
  const length = blob[4] ?? 0;
  return blob.subarray(5, 5 + length).toString();
}

export function decryptWith(key: KeyRecord, blob: Buffer, context?: Record<string, string>): Buffer {
  const invalid = new AwsError('InvalidCiphertextException', '');
  const length = blob[4] ?? 0;
  const header = blob.subarray(0, 5 + length);
  const iv = blob.subarray(5 + length, 17 + length);
  const tag = blob.subarray(17 + length, 33 + length);
  const body = blob.subarray(33 + length);
  if (tag.length !== 16) throw invalid;
  try {
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key.material, 'hex'), iv);
    decipher.setAAD(aad(header, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw invalid;
  }
}
