import { ownValue } from '../keyed.js';
import { DEFAULT_MANIFEST_ID, OWNER_TAG_KEY } from '../manifest/resolve.js';
import type { Manifest } from '../manifest/types.js';

/**
 * Who a destination parameter belongs to, as far as this manifest is concerned.
 * - unmanaged: no ownership tag; never touched unless a destination adopts it.
 * - unclaimed: the ownership tag but no owner tag (written before owner tags existed); this manifest
 *   claims it with a tag-only write when it wants the name, and never deletes it.
 * - ours: the owner tag names this manifest (or an owner listed in previous-owners).
 * - foreign: the owner tag names another manifest; never updated or deleted.
 */
export type Ownership =
  | { kind: 'unmanaged' }
  | { kind: 'unclaimed' }
  | { kind: 'ours'; replication: string }
  | { kind: 'foreign'; owner: string };

/** The owner tag value of a replica written by `replication` of this manifest. */
export function ownerValue(manifest: Pick<Manifest, 'id'>, replication: string): string {
  return `${manifest.id}/${replication}`;
}

/**
 * Ids and replication names contain no `/` (the schema's patterns), so the first `/` splits the value.
 * A value without one was not written by ssm-replicate.
 */
function parseOwner(value: string): { id: string; replication: string } | undefined {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1) return undefined;
  return { id: value.slice(0, slash), replication: value.slice(slash + 1) };
}

/**
 * Builds the ownership test for one manifest. Without an id every manifest is `default`, so only the
 * replication part tells two of them apart: a `default/…` replica is ours only for one of our replication
 * names. With an explicit id any replication of that id is ours, so replicas move between the manifest's
 * replications with a tag-only change.
 */
export function ownershipOf(manifest: Manifest): (tags: Readonly<Record<string, string>>) => Ownership {
  const { key, value } = manifest.ownershipTag;
  const replications = new Set(manifest.replications.map((r) => r.name));
  const previous = new Set(manifest.previousOwners);
  const explicit = manifest.id !== DEFAULT_MANIFEST_ID;
  return (tags) => {
    if (ownValue(tags, key) !== value) return { kind: 'unmanaged' };
    const owner = ownValue(tags, OWNER_TAG_KEY);
    if (owner === undefined) return { kind: 'unclaimed' };
    const parsed = parseOwner(owner);
    if (!parsed) return { kind: 'foreign', owner };
    const mine =
      (parsed.id === manifest.id && (explicit || replications.has(parsed.replication))) ||
      (parsed.id !== DEFAULT_MANIFEST_ID && previous.has(parsed.id)) ||
      previous.has(owner);
    return mine ? { kind: 'ours', replication: parsed.replication } : { kind: 'foreign', owner };
  };
}

/** "manifest 'B' replication 'teamb'", for messages; a value we did not write is quoted as it is. */
export function describeOwner(owner: string): string {
  const parsed = parseOwner(owner);
  if (!parsed) return `the owner tag ${OWNER_TAG_KEY}='${owner}'`;
  const which =
    parsed.id === DEFAULT_MANIFEST_ID
      ? `a manifest without id ('${DEFAULT_MANIFEST_ID}')`
      : `manifest '${parsed.id}'`;
  return `${which} replication '${parsed.replication}'`;
}
