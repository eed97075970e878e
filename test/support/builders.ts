import { DEFAULT_MAX_DELETE_PERCENT, OWNER_TAG_KEY } from '../../src/manifest/index.js';
import type { Destination, Manifest, Replication } from '../../src/manifest/types.js';
import { type LiveParameter, ParameterValue, type RegionInventory } from '../../src/model.js';

export const OWNER = { key: 'ssm-replicate:managed-by', value: 'ssm-replicate' };
/** The tags a replica of the builders' default manifest and replication carries. */
export const OURS = { [OWNER.key]: OWNER.value, [OWNER_TAG_KEY]: 'default/prod-app' };

export function destination(region: string, overrides: Partial<Destination> = {}): Destination {
  return {
    region,
    deletes: 'sync',
    maxDeletes: 25,
    maxDeletePercent: DEFAULT_MAX_DELETE_PERCENT,
    tags: {},
    ec2Image: { mode: 'skip' },
    adopt: false,
    allowEmptySource: false,
    ...overrides,
  };
}

export function replication(overrides: Partial<Replication> = {}): Replication {
  return {
    name: 'prod-app',
    paths: ['/prod/app'],
    exclude: [],
    allowWholeRegion: false,
    destinations: [destination('us-east-1')],
    ...overrides,
  };
}

export function manifest(
  replications: Replication[] = [replication()],
  overrides: Partial<Manifest> = {},
): Manifest {
  return {
    version: 1,
    id: 'default',
    previousOwners: [],
    source: { region: 'ap-south-1' },
    ownershipTag: OWNER,
    valueDisplay: 'none',
    throughput: { put: 3, get: 40, describe: 10 },
    replications,
    ...overrides,
  };
}

export interface ParamSpec extends Partial<Omit<LiveParameter, 'value'>> {
  name: string;
  value?: string;
}

export function param(spec: ParamSpec): LiveParameter {
  const type = spec.type ?? 'String';
  const p: LiveParameter = {
    type,
    version: 1,
    tier: 'Standard',
    policies: [],
    dataType: 'text',
    tags: {},
    ...spec,
    value: new ParameterValue(spec.value ?? `value of ${spec.name}`, type === 'SecureString'),
  };
  if (type === 'SecureString' && !p.keyId) p.keyId = 'alias/aws/ssm';
  return p;
}

/** A replica as ssm-replicate would have written it for `prod-app`: same attributes, its two tags added. */
export function replicaOf(source: LiveParameter, overrides: Partial<LiveParameter> = {}): LiveParameter {
  return { ...source, tags: { ...source.tags, ...OURS }, ...overrides };
}

export function inventory(region: string, params: LiveParameter[]): RegionInventory {
  return { region, parameters: new Map(params.map((p) => [p.name, p])) };
}
