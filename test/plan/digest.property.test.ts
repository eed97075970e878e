import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { SYNC_TAG_KEY } from '../../src/manifest/resolve.js';
import type { Manifest } from '../../src/manifest/types.js';
import type { LiveParameter, RegionInventory } from '../../src/model.js';
import { targets } from '../../src/plan/names.js';
import { plan } from '../../src/plan/plan.js';
import type { Plan, PlanItem } from '../../src/plan/types.js';
import type { ParameterStore, PutRequest } from '../../src/store/port.js';
import { destination, inventory, manifest, OWNER, param, replication } from '../support/builders.js';

/*
 * The digest's rule (issue 11): two inputs whose write sets differ never share a digest, and equal write
 * sets always do. The write set is taken from the applier itself, recorded at the store port: every
 * request it sends per destination, values stood in by versions (each source value here is a function
 * of its name and version, so the value names its version; the sync record tag names it too), the
 * destination version each request on an existing replica was planned against, and the blockers that
 * stop it.
 */

const SOURCE = 'ap-south-1';

type Of<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Mutation = Of<typeof mutation>;
const AMI_A = 'ami-0aaaaaaaaaaaaaaa1';
const AMI_B = 'ami-0bbbbbbbbbbbbbbb2';
const NAMES = ['/prod/app/a', '/prod/app/b', '/prod/app/local/c', '/prod/app/img'];

interface Input {
  manifest: Manifest;
  source: LiveParameter[];
  replicas: LiveParameter[];
}

const sourceSpec = fc.record({
  present: fc.boolean(),
  version: fc.integer({ min: 1, max: 2 }),
  type: fc.constantFrom('String' as const, 'SecureString' as const),
  tier: fc.constantFrom('Standard' as const, 'Advanced' as const),
  description: fc.constantFrom(undefined, 'd1', 'd2'),
  team: fc.constantFrom(undefined, 'x', 'y'),
});

/** A replica's attributes are a function of its version, as in AWS; its tags are not (tags make no version). */
const replicaSpec = fc.record({
  present: fc.boolean(),
  version: fc.integer({ min: 1, max: 3 }),
  owned: fc.boolean(),
  team: fc.constantFrom(undefined, 'x', 'y'),
});

const manifestSpec = fc.record({
  key: fc.constantFrom(undefined, 'alias/a', 'alias/b'),
  env: fc.constantFrom(undefined, 'prod', 'stage'),
  ami: fc.constantFrom(undefined, AMI_A, AMI_B),
  exclude: fc.boolean(),
  maxDeletes: fc.constantFrom(0, 10),
  valueDisplay: fc.constantFrom('none' as const, 'non-secret' as const),
});

function buildManifest(spec: Of<typeof manifestSpec>): Manifest {
  return manifest(
    [
      replication({
        paths: ['/prod/app'],
        exclude: spec.exclude ? ['/prod/app/local/**'] : [],
        destinations: [
          destination('us-east-1', {
            maxDeletes: spec.maxDeletes,
            tags: spec.env ? { env: spec.env } : {},
            ...(spec.key ? { kmsKeyId: spec.key } : {}),
            ec2Image: spec.ami
              ? { mode: 'map', amis: { 'ami-0123456789abcdef0': spec.ami } }
              : { mode: 'skip' },
          }),
        ],
      }),
    ],
    { valueDisplay: spec.valueDisplay },
  );
}

function sourceParam(name: string, s: Of<typeof sourceSpec>): LiveParameter {
  const image = name.endsWith('/img');
  return param({
    name,
    version: s.version,
    type: image ? 'String' : s.type,
    tier: s.tier,
    value: image ? 'ami-0123456789abcdef0' : `${name}@${s.version}`,
    // AWS always returns a LastModifiedDate, and apply's sync record carries it with the source version:
    // that is how an image parameter, whose written value is the mapped AMI, still writes its version.
    lastModifiedDate: Date.UTC(2026, 0, 1, 0, 0, s.version),
    ...(image ? { dataType: 'aws:ec2:image' } : {}),
    ...(s.description ? { description: s.description } : {}),
    tags: s.team ? { team: s.team } : {},
  });
}

const REPLICA_STATES = [
  { type: 'String' as const, tier: 'Standard' as const },
  { type: 'SecureString' as const, tier: 'Standard' as const, keyId: 'alias/a' },
  { type: 'SecureString' as const, tier: 'Advanced' as const, keyId: 'alias/aws/ssm', description: 'd1' },
];

function replicaParam(name: string, r: Of<typeof replicaSpec>): LiveParameter {
  const state = REPLICA_STATES[r.version - 1] ?? REPLICA_STATES[0];
  const tags: Record<string, string> = {};
  if (r.owned) tags[OWNER.key] = OWNER.value;
  if (r.team) tags.team = r.team;
  return param({ name, version: r.version, value: `${name}@${r.version}`, tags, ...state });
}

const inputs: fc.Arbitrary<Input> = fc
  .record({
    manifest: manifestSpec,
    sources: fc.array(sourceSpec, { minLength: NAMES.length, maxLength: NAMES.length }),
    replicas: fc.array(replicaSpec, { minLength: NAMES.length, maxLength: NAMES.length }),
  })
  .map(({ manifest: m, sources, replicas }) => ({
    manifest: buildManifest(m),
    source: NAMES.flatMap((n, i) => (sources[i]?.present ? [sourceParam(n, sources[i])] : [])),
    replicas: NAMES.flatMap((n, i) => (replicas[i]?.present ? [replicaParam(n, replicas[i])] : [])),
  }));

function planOf(input: Input): { plan: Plan; source: RegionInventory; dests: Map<string, RegionInventory> } {
  const source = inventory(SOURCE, input.source);
  const dests = new Map(targets(input.manifest).map((t) => [t.key, inventory(t.region, input.replicas)]));
  return { plan: plan({ manifest: input.manifest, source, destinations: dests }), source, dests };
}

/** Every request the applier sends, per target, each with the destination version it was planned against. */
async function writeSet(input: Input): Promise<string[]> {
  const { plan: p, source, dests } = planOf(input);
  const sent: string[] = p.blockers.map((b) =>
    JSON.stringify(['blocker', b.code, b.region, b.replication, b.name]),
  );
  const stores = new Map<string, ParameterStore>();
  for (const [key, inv] of dests) {
    const at = (name: string) => inv.parameters.get(name)?.version ?? 0;
    const record = (...fields: unknown[]) => sent.push(JSON.stringify([key, inv.account ?? '', ...fields]));
    stores.set(key, {
      ...inertStore(inv.region),
      put: async (req) => {
        record('put', at(req.name), req);
        return { version: at(req.name) + 1, tier: req.tier };
      },
      addTags: async (name, tags) => {
        record('addTags', at(name), name, Object.entries(tags).sort());
      },
      removeTags: async (name, keys) => {
        record('removeTags', at(name), name, [...keys].sort());
      },
      deleteParameters: async (names) => {
        for (const n of names) record('delete', at(n), n);
        return { deleted: [...names], notFound: [] };
      },
    });
  }
  await applyPlan({
    manifest: input.manifest,
    // The requests a blocked plan would send still belong to its write set: the blockers are listed above.
    plan: { ...p, blockers: [] },
    source,
    destinations: dests,
    sourceStore: inertStore(SOURCE),
    stores,
    clock: { now: () => 0, sleep: async () => undefined },
    replaceWaitMs: 0,
  });
  return sent.sort();
}

function inertStore(region: string): ParameterStore {
  const refuse = async (): Promise<never> => {
    throw new Error('not expected in this test');
  };
  return {
    region,
    account: async () => undefined,
    describePath: refuse,
    describeNames: refuse,
    getValues: async () => [],
    taggedParameters: refuse,
    listTags: refuse,
    put: refuse,
    addTags: refuse,
    removeTags: refuse,
    deleteParameters: refuse,
    describeKey: async (ref) => ({ keyId: ref, arn: ref, enabled: true, state: 'Enabled' }),
  };
}

/** Changes to an input that leave what apply sends alone, or change it; the property decides which. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('manifest' as const), spec: manifestSpec }),
  fc.record({ kind: fc.constant('source' as const), index: fc.nat(NAMES.length - 1), spec: sourceSpec }),
  fc.record({ kind: fc.constant('replica' as const), index: fc.nat(NAMES.length - 1), spec: replicaSpec }),
  fc.record({ kind: fc.constant('display' as const) }),
);

function mutate(input: Input, m: Mutation): Input {
  switch (m.kind) {
    case 'manifest':
      return { ...input, manifest: buildManifest(m.spec) };
    case 'display':
      return {
        ...input,
        manifest: {
          ...input.manifest,
          valueDisplay: input.manifest.valueDisplay === 'none' ? 'non-secret' : 'none',
        },
      };
    case 'source': {
      const name = NAMES[m.index] as string;
      const rest = input.source.filter((p) => p.name !== name);
      return { ...input, source: m.spec.present ? [...rest, sourceParam(name, m.spec)] : rest };
    }
    case 'replica': {
      const name = NAMES[m.index] as string;
      const rest = input.replicas.filter((p) => p.name !== name);
      return { ...input, replicas: m.spec.present ? [...rest, replicaParam(name, m.spec)] : rest };
    }
  }
}

/** Every PutParameter apply sends, beside the plan item it came from. */
async function putsWithItems(input: Input) {
  const { plan: p, source, dests } = planOf(input);
  const puts: { req: PutRequest; item: PlanItem | undefined }[] = [];
  const stores = new Map<string, ParameterStore>();
  for (const [key, inv] of dests) {
    const items = new Map((p.regions.find((r) => r.target === key)?.items ?? []).map((i) => [i.name, i]));
    stores.set(key, {
      ...inertStore(inv.region),
      put: async (req) => {
        puts.push({ req, item: items.get(req.name) });
        return { version: 1, tier: req.tier };
      },
      addTags: async () => undefined,
      removeTags: async () => undefined,
      deleteParameters: async (names) => ({ deleted: [...names], notFound: [] }),
    });
  }
  await applyPlan({
    manifest: input.manifest,
    plan: { ...p, blockers: [] },
    source,
    destinations: dests,
    sourceStore: inertStore(SOURCE),
    stores,
    clock: { now: () => 0, sleep: async () => undefined },
    replaceWaitMs: 0,
  });
  return puts;
}

describe('apply', () => {
  it('sends in every PutParameter exactly the target attributes and tags its plan item shows', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, async (input) => {
        for (const { req, item } of await putsWithItems(input)) {
          const t = item?.target;
          expect(t).toBeDefined();
          if (!t || !item) continue;
          expect([req.type, req.tier, req.dataType, req.keyId, req.description]).toEqual([
            t.type,
            t.tier,
            t.dataType,
            t.keyId,
            t.description ?? '',
          ]);
          if (t.ami !== undefined) expect(req.value).toBe(t.ami);
          if (t.policies.length > 0) expect(req.policies).toBe(`[${t.policies.join(',')}]`);
          if (!req.overwrite) {
            // A create carries the plan's tags and, beside them, the sync record of the copy it makes.
            const { [SYNC_TAG_KEY]: record, ...shown } = req.tags ?? {};
            expect(shown).toEqual(item.tags?.add);
            expect(record).toMatch(new RegExp(`^v1/${item.sourceVersion}/\\d+/1/`));
          }
        }
      }),
    );
  });
});

describe('plan digest', () => {
  it('differs exactly when the write sets differ, for an input and a mutation of it', async () => {
    let equalSets = 0;
    let differentSets = 0;
    await fc.assert(
      fc.asyncProperty(inputs, fc.array(mutation, { minLength: 1, maxLength: 2 }), async (a, changes) => {
        const b = changes.reduce(mutate, a);
        const [setA, setB] = await Promise.all([writeSet(a), writeSet(b)]);
        const sameSet = JSON.stringify(setA) === JSON.stringify(setB);
        if (sameSet) equalSets++;
        else differentSets++;
        expect(planOf(a).plan.digest === planOf(b).plan.digest).toBe(sameSet);
      }),
      { numRuns: 400 },
    );
    // Both sides of the rule were exercised, not only the easy one.
    expect(equalSets).toBeGreaterThan(20);
    expect(differentSets).toBeGreaterThan(20);
  });

  it('differs exactly when the write sets differ, for independent inputs', async () => {
    await fc.assert(
      fc.asyncProperty(inputs, inputs, async (a, b) => {
        const sameSet = JSON.stringify(await writeSet(a)) === JSON.stringify(await writeSet(b));
        expect(planOf(a).plan.digest === planOf(b).plan.digest).toBe(sameSet);
      }),
      { numRuns: 300 },
    );
  });
});
