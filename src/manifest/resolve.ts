import { keyed } from '../keyed.js';
import type { RawDestination, RawManifest, RawOptions } from './raw.js';
import type { Destination, Ec2ImagePolicy, Manifest } from './types.js';

export const DEFAULT_OWNERSHIP_TAG = { key: 'ssm-replicate:managed-by', value: 'ssm-replicate' } as const;
/** AWS standard-throughput quotas (PutParameter 3/s, Get* 40/s, control plane ~10/s); raise for higher-throughput accounts. */
export const DEFAULT_THROUGHPUT = { put: 3, get: 40, describe: 10 } as const;
export const DEFAULT_MAX_DELETES = 25;
/**
 * Over half of a replication's replicas in a region gone in one run is far more often a wrong path, an
 * exclude gone wrong or a source outage than a cleanup; a cleanup that big can say so explicitly.
 */
export const DEFAULT_MAX_DELETE_PERCENT = 50;
/** The identity of a manifest that sets no `id`; its replicas are told apart by replication name. */
export const DEFAULT_MANIFEST_ID = 'default';
/** Tag naming the manifest and replication that own a replica: `<id>/<replication>`. */
export const OWNER_TAG_KEY = 'ssm-replicate:owner';
/** The tag holding a replica's sync record (plan/sync-record.ts). */
export const SYNC_TAG_KEY = 'ssm-replicate:sync';

/** Applies the defaults block and the built-in defaults, so every destination carries its effective options. */
export function resolve(raw: RawManifest): Manifest {
  const defaults = raw.defaults ?? {};
  return {
    version: 1,
    id: raw.id ?? DEFAULT_MANIFEST_ID,
    previousOwners: [...(raw['previous-owners'] ?? [])],
    source: withOptional({ region: raw.source.region }, 'roleArn', raw.source['role-arn']),
    ownershipTag: { ...(raw['ownership-tag'] ?? DEFAULT_OWNERSHIP_TAG) },
    valueDisplay: raw['value-display'] ?? 'none',
    throughput: { ...DEFAULT_THROUGHPUT, ...raw.throughput },
    replications: raw.replications.map((replication) => ({
      name: replication.name,
      paths: [...replication.paths],
      exclude: [...(replication.exclude ?? [])],
      allowWholeRegion: replication['allow-whole-region'] ?? false,
      destinations: replication.destinations.map((destination) => resolveDestination(destination, defaults)),
    })),
  };
}

/** The option a destination takes: its own value when set, the defaults block's otherwise. */
export function effective<K extends keyof RawOptions>(
  destination: RawDestination,
  defaults: RawOptions,
  key: K,
): RawOptions[K] {
  return destination[key] ?? defaults[key];
}

function resolveDestination(destination: RawDestination, defaults: RawOptions): Destination {
  const pick = <K extends keyof RawOptions>(key: K) => effective(destination, defaults, key);
  const resolved: Destination = {
    region: destination.region,
    deletes: pick('deletes') ?? 'sync',
    maxDeletes: pick('max-deletes') ?? DEFAULT_MAX_DELETES,
    maxDeletePercent: pick('max-delete-percent') ?? DEFAULT_MAX_DELETE_PERCENT,
    tags: keyed(defaults.tags, destination.tags),
    ec2Image: ec2Image(pick('ec2-image')),
    adopt: pick('adopt') ?? false,
    allowEmptySource: pick('allow-empty-source') ?? false,
  };
  withOptional(resolved, 'roleArn', pick('role-arn'));
  withOptional(resolved, 'kmsKeyId', pick('kms-key-id'));
  withOptional(resolved, 'type', pick('type'));
  const rewrite = destination['path-rewrite'];
  if (rewrite) resolved.pathRewrite = { from: rewrite.from, to: rewrite.to };
  return resolved;
}

function ec2Image(raw: RawOptions['ec2-image']): Ec2ImagePolicy {
  return raw === undefined || raw === 'skip' ? { mode: 'skip' } : { mode: 'map', amis: keyed(raw.amis) };
}

/** Leaves optional keys out rather than set to undefined, so resolved manifests compare and serialise cleanly. */
function withOptional<T extends object, K extends string, V>(target: T, key: K, value: V | undefined): T {
  if (value !== undefined) Object.assign(target, { [key]: value });
  return target;
}
