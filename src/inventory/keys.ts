import type { RegionInventory } from '../model.js';
import { DEFAULT_SSM_KEY, destinationKey } from '../plan/desired.js';
import { type KeyLookup, keyArnParts } from '../plan/keys.js';
import { replicates, type Target } from '../plan/names.js';
import type { ParameterStore } from '../store/port.js';

/** The key references SecureString replicas of this target would be written with. */
function wantedKeys(target: Target, source: RegionInventory): Set<string> {
  const refs = new Set<string>();
  for (const { replication, destination } of target.routes) {
    for (const p of source.parameters.values()) {
      const type = destination.type ?? p.type;
      if (type === 'SecureString' && replicates(replication, p.name))
        refs.add(destinationKey(destination, p));
    }
  }
  return refs;
}

/**
 * DescribeKey, once per distinct reference in this target: every key a write would use (the plan's
 * preflight checks it exists, is enabled and is one Parameter Store can use), and — only when several
 * references are in play — the replicas' own references, so the planner can tell an alias from the key
 * it names. The AWS managed key is not asked for unless needed for that: Parameter Store creates it on
 * first use. An AWS managed key of another account is not asked for at all: the plan blocks it, and
 * KMS would only answer AccessDenied. A failed DescribeKey fails the target's read only where the
 * answer is needed to compare keys; for the preflight alone it is recorded as `unchecked`.
 */
export async function lookUpKeys(
  target: Target,
  store: ParameterStore,
  /** The source, whose SecureString replicas' keys are preflighted; undefined to skip that. */
  source: RegionInventory | undefined,
  inventory: RegionInventory,
  into: Map<string, KeyLookup>,
): Promise<void> {
  const wanted = source ? wantedKeys(target, source) : new Set<string>();
  const refs = new Set(wanted);
  for (const { destination } of target.routes) refs.add(destination.kmsKeyId ?? DEFAULT_SSM_KEY);
  for (const p of inventory.parameters.values()) if (p.type === 'SecureString' && p.keyId) refs.add(p.keyId);
  // Several references: the planner compares them, and must never take "could not ask" for "differs".
  const compared = refs.size > 1;
  const ask = compared ? refs : new Set([...wanted].filter((r) => r !== DEFAULT_SSM_KEY));
  const foreignManaged = (ref: string) => {
    const arn = keyArnParts(ref);
    return (
      arn?.alias?.startsWith('alias/aws/') === true &&
      inventory.account !== undefined &&
      arn.account !== inventory.account
    );
  };
  await Promise.all(
    [...ask]
      .filter((ref) => !foreignManaged(ref))
      .map(async (ref) => {
        try {
          into.set(`${target.key}\n${ref}`, (await store.describeKey(ref)) ?? 'missing');
        } catch (error) {
          if (compared) throw error;
          // A preflight that cannot ask (no kms:DescribeKey on another account's key) says so, and
          // apply's own check runs before any write.
          const e = error as { name?: string; message?: string };
          into.set(`${target.key}\n${ref}`, {
            unchecked: `${e.name ?? 'Error'}: ${e.message ?? String(error)}`,
          });
        }
      }),
  );
}
