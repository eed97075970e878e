/**
 * Plain data records for one (account, region). Everything here is structured-clone friendly
 * (no class instances, no Buffers) so `snapshot()` / `restore()` are a single structuredClone.
 */
export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type ParameterTier = 'Standard' | 'Advanced';

export interface PolicyRecord {
  PolicyText: string;
  PolicyType: string;
  PolicyStatus: string;
}

export interface ParameterVersion {
  version: number;
  /** Plaintext, kept for assertions; SecureString responses without decryption use `ciphertext`. */
  value: string;
  /** Base64 KMS ciphertext of the value (SecureString only). */
  ciphertext?: string;
  type: ParameterType;
  /** The key reference as the caller gave it (AWS echoes it), `alias/aws/ssm` by default. */
  keyId?: string;
  /** The KMS key id the reference resolved to when the value was written. */
  resolvedKeyId?: string;
  description?: string;
  allowedPattern?: string;
  tier: ParameterTier;
  policies: PolicyRecord[];
  dataType: string;
  labels: string[];
  /** Epoch milliseconds. */
  lastModifiedDate: number;
  lastModifiedUser: string;
}

export interface ParameterRecord {
  name: string;
  /** Oldest first; at most 100 kept. */
  versions: ParameterVersion[];
  tags: Record<string, string>;
  /** The tagging API lists parameters that are or ever were tagged, even with no tags left. */
  everTagged: boolean;
}

/**
 * A tag's value, read as an own key only: AWS allows keys like `constructor` or `toString`, which on a
 * plain object would find Object.prototype's members (the tags survive structuredClone as plain objects).
 */
export function tagValue(record: ParameterRecord, key: string): string | undefined {
  return Object.hasOwn(record.tags, key) ? record.tags[key] : undefined;
}

export interface KeyRecord {
  keyId: string;
  arn: string;
  account: string;
  region: string;
  description: string;
  enabled: boolean;
  multiRegion: boolean;
  keyManager: 'AWS' | 'CUSTOMER';
  keyUsage: string;
  keySpec: string;
  /** Hex AES-256 key material; multi-region replicas share it so ciphertext crosses regions. */
  material: string;
  creationDate: number;
  primaryRegion?: string;
}

export interface AliasRecord {
  aliasName: string;
  targetKeyId: string;
  creationDate: number;
}

export interface ScopeData {
  account: string;
  region: string;
  parameters: Map<string, ParameterRecord>;
  /** Parameter names, sorted; the listing index. */
  names: string[];
  keys: Map<string, KeyRecord>;
  aliases: Map<string, AliasRecord>;
  amis: Set<string>;
  /** Standard-tier parameters in the region, kept incrementally for the 10,000 quota. */
  standardCount: number;
}

export interface Principal {
  account: string;
  arn: string;
  userId: string;
}

export function currentVersion(record: ParameterRecord): ParameterVersion {
  const latest = record.versions[record.versions.length - 1];
  if (!latest) throw new Error(`parameter ${record.name} has no versions`);
  return latest;
}

export function parameterArn(region: string, account: string, name: string): string {
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html (parameter ARN)
  return `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? name : `/${name}`}`;
}
