import { lockName } from '../../src/apply/lock.js';
import { SYNC_TAG_KEY } from '../../src/plan/sync-record.js';
import type { Endpoint, SeedParameter } from '../endpoint/index.js';

export const SOURCE = 'ap-south-1';

/** Seeds `count` parameters under `path`: a String/StringList/SecureString mix, every third one tagged. */
export function seedFleet(
  endpoint: Endpoint,
  count: number,
  path = '/prod/app',
  region = SOURCE,
): SeedParameter[] {
  const seeded: SeedParameter[] = [];
  const types = ['String', 'StringList', 'SecureString'] as const;
  for (let i = 0; i < count; i++) {
    const type = types[i % 3] as SeedParameter['type'];
    const p: SeedParameter = {
      region,
      name: `${path}/p${String(i).padStart(5, '0')}`,
      value: type === 'StringList' ? `a${i},b${i}` : `value-${i}`,
      type,
      ...(i % 3 === 1 ? { tags: { team: `t${i % 7}` } } : {}),
    };
    endpoint.state.putParameter(p);
    seeded.push(p);
  }
  return seeded;
}

/**
 * The current version of a parameter as the endpoint stores it, flattened for assertions: `tags` are
 * the parameter's tags but its sync record, which is `sync` (undefined when it has none).
 */
export function current(endpoint: Endpoint, region: string, name: string) {
  const record = endpoint.state.getParameter(region, name);
  const v = record?.versions.at(-1);
  if (!record || !v) return undefined;
  const { [SYNC_TAG_KEY]: sync, ...tags } = record.tags;
  return {
    name,
    value: v.value,
    type: v.type,
    tier: v.tier,
    keyId: v.keyId,
    version: v.version,
    description: v.description,
    tags,
    sync,
  };
}

/** Every parameter of a region under a prefix, flattened. */
export function listUnder(endpoint: Endpoint, region: string, prefix: string) {
  return endpoint.state
    .listParameters(region)
    .filter((p) => p.name.startsWith(prefix))
    .map((p) => current(endpoint, region, p.name))
    .filter((p) => p !== undefined);
}

/**
 * Calls on replicas, with an operation: every call outside the source region. In the source, an apply
 * writes nothing but its own lock (take and release), which tests of replica writes leave out.
 */
export function replicaCalls(ep: Endpoint, operation: string) {
  return ep.calls({ operation }).filter((c) => c.region !== SOURCE);
}

/** Another apply of the default manifest holding its lock in the source region, its lease `leaseMs` from now. */
export function holdLock(endpoint: Endpoint, owner: string, leaseMs: number): void {
  const since = Date.now();
  endpoint.state.putParameter({
    region: SOURCE,
    name: lockName('default'),
    type: 'String',
    value: JSON.stringify({ token: 't', owner, since, expires: since + leaseMs, pending: [] }),
  });
}
