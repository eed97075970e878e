import type { KeyInfo } from '../store/port.js';

/**
 * What DescribeKey said about a key reference in one target: its metadata, `missing` (NotFoundException),
 * or `unchecked` with the error when it could not be asked.
 */
export type KeyLookup = KeyInfo | 'missing' | { unchecked: string };

export function foundKey(lookup: KeyLookup | undefined): KeyInfo | undefined {
  return lookup !== undefined && lookup !== 'missing' && !('unchecked' in lookup) ? lookup : undefined;
}

/** The parts of a KMS key or alias ARN; undefined for key ids and bare aliases. */
export function keyArnParts(
  ref: string,
): { region: string; account: string; alias?: string; keyId?: string } | undefined {
  const m = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(?:(alias\/.+)|key\/(.+))$/.exec(ref);
  if (!m) return undefined;
  const [, region = '', account = '', alias, keyId] = m;
  return { region, account, ...(alias ? { alias } : {}), ...(keyId ? { keyId } : {}) };
}

/** The account a key belongs to, from its ARN (DescribeKey always returns one). */
export function keyAccount(arn: string): string | undefined {
  return keyArnParts(arn)?.account;
}
