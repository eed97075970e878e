import { OWNER_TAG_KEY } from '../src/manifest/resolve.js';
import type { Manifest } from '../src/manifest/types.js';
import { encodeSyncRecord, SYNC_TAG_KEY, syncInput } from '../src/plan/sync-record.js';
import type { Endpoint, SeedParameter } from '../test/endpoint/index.js';
import { destination, manifest, OWNER, replication } from '../test/support/builders.js';

export const SOURCE_REGION = 'ap-south-1';
export const DESTINATION_REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'] as const;
export const ROOT = '/bench';

/** Over Standard's 4 KB limit, which is why a parameter is Advanced in the first place. */
const ADVANCED_VALUE_BYTES = 4_500;
const TYPES = ['String', 'StringList', 'SecureString'] as const;

/**
 * Parameter `i` of the fleet: types in rotation, 30 % tagged (i mod 10 < 3), 2 % Advanced with a value
 * only Advanced can hold, spread over 100 services so listings cross several path levels. `generation`
 * changes the value, as a deploy would.
 */
export function fleetParameter(i: number, generation = 0, region: string = SOURCE_REGION): SeedParameter {
  const type = TYPES[i % 3] as SeedParameter['type'];
  const advanced = i % 50 === 7;
  const base = type === 'StringList' ? `a${i},b${i},g${generation}` : `value-${i}-g${generation}`;
  return {
    region,
    name: `${ROOT}/svc${String(i % 100).padStart(2, '0')}/p${String(i).padStart(6, '0')}`,
    value: advanced ? base.padEnd(ADVANCED_VALUE_BYTES, 'x') : base,
    type,
    ...(advanced ? { tier: 'Advanced' as const } : {}),
    ...(i % 10 < 3 ? { tags: { team: `t${i % 7}`, cost: `c${i % 5}` } } : {}),
  };
}

export const isTagged = (i: number) => i % 10 < 3;

export function seedSource(ep: Endpoint, count: number): void {
  for (let i = 0; i < count; i++) ep.state.putParameter(fleetParameter(i));
}

/**
 * Seeds every destination with the replica ssm-replicate would have written (source tags, the ownership
 * and owner tags, and the sync record of a first copy), so a plan over it reads a converged fleet without
 * first paying for an apply.
 */
export function seedReplicas(ep: Endpoint, count: number): void {
  for (const region of DESTINATION_REGIONS) {
    for (let i = 0; i < count; i++) {
      const p = fleetParameter(i, 0, region);
      const source = ep.state.getParameter(SOURCE_REGION, p.name)?.versions.at(-1);
      const record = encodeSyncRecord({
        sourceVersion: source?.version ?? 0,
        sourceDate: source?.lastModifiedDate ?? 0,
        replicaVersion: 1,
        input: syncInput(SOURCE_REGION, p.name, undefined),
      });
      ep.state.putParameter({
        ...p,
        tags: {
          ...p.tags,
          [OWNER.key]: OWNER.value,
          [OWNER_TAG_KEY]: 'default/bench',
          [SYNC_TAG_KEY]: record,
        },
      });
    }
  }
}

/** Rewrites the value of every `every`-th source parameter (1 % for every = 100); returns how many. */
export function changeSource(ep: Endpoint, count: number, every: number): number {
  let changed = 0;
  for (let i = 0; i < count; i += every) {
    ep.state.putParameter(fleetParameter(i, 1));
    changed++;
  }
  return changed;
}

/** One replication of everything under /bench to the three destination regions. */
export function benchManifest(): Manifest {
  return manifest(
    [
      replication({
        name: 'bench',
        paths: [ROOT],
        destinations: DESTINATION_REGIONS.map((r) => destination(r)),
      }),
    ],
    { source: { region: SOURCE_REGION } },
  );
}

/** Parameters and tagged parameters per region as the endpoint holds them now, for the lower bound. */
export function regionCounts(ep: Endpoint): Map<string, { parameters: number; tagged: number }> {
  const out = new Map<string, { parameters: number; tagged: number }>();
  for (const region of [SOURCE_REGION, ...DESTINATION_REGIONS]) {
    let parameters = 0;
    let tagged = 0;
    for (const record of ep.state.listParameters(region)) {
      parameters++;
      if (Object.keys(record.tags).length > 0) tagged++;
    }
    out.set(region, { parameters, tagged });
  }
  return out;
}

/** Sum of the current version numbers in the destinations: unchanged by a run that writes nothing. */
export function destinationVersionSum(ep: Endpoint): number {
  let sum = 0;
  for (const region of DESTINATION_REGIONS) {
    for (const record of ep.state.listParameters(region)) sum += record.versions.at(-1)?.version ?? 0;
  }
  return sum;
}
