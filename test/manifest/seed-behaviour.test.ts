import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { manifestFromSeedEnv, OWNER_TAG_KEY } from '../../src/manifest/index.js';
import type { Manifest } from '../../src/manifest/types.js';
import type { LiveParameter } from '../../src/model.js';
import { plan } from '../../src/plan/plan.js';
import type { Plan } from '../../src/plan/types.js';
import { inventory, OWNER, param, manifest as plainManifest, replication } from '../support/builders.js';

/**
 * The seed (the blog post's Lambda) wrote every watched name with Overwrite=True, whatever stood there,
 * never tagged its replicas (it copied the source's tags only) and replicated every source delete. Its
 * Description was `param.get("Description", …)` on a GetParameter response, which has no Description, so
 * every seed replica carries its default one.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html#API_GetParameter_ResponseSyntax
 */
const SEED_DESCRIPTION = 'Replicated by SSM cross-region replicator Lambda';
const SEED = { DEST_REGIONS: 'us-east-1', PARAM_PATHS: '/prod/app,/prod/api' };
const SOURCE = 'ap-south-1';
/** The tags a replica the translated manifest wrote (or adopted) carries. */
const ADOPTED = { [OWNER.key]: OWNER.value, [OWNER_TAG_KEY]: 'default/env' };

function seedManifest(env: Record<string, string> = SEED): Manifest {
  return manifestFromSeedEnv(env, SOURCE).manifest;
}

/** A replica as the seed left it: the source's value then (`value`), its default description, no tags of ours. */
function seedReplica(source: LiveParameter, value: string): LiveParameter {
  return param({ name: source.name, type: source.type, value, description: SEED_DESCRIPTION });
}

function planFor(m: Manifest, source: LiveParameter[], destination: LiveParameter[]): Plan {
  return plan({
    manifest: m,
    source: inventory(SOURCE, source),
    destinations: new Map([['us-east-1', inventory('us-east-1', destination)]]),
  });
}

function region(p: Plan) {
  const r = p.regions[0];
  if (!r) throw new Error('no region planned');
  return r;
}

const src = (name: string, value: string) => param({ name, value });

describe('the seed translation behaves like the seed', () => {
  const cases: {
    what: string;
    source: LiveParameter[];
    destination: LiveParameter[];
    actions: Record<string, string>;
    unmanaged?: string[];
  }[] = [
    {
      what: 'a stale seed replica is overwritten with the source value (adopted)',
      source: [src('/prod/app/A', 'new-value')],
      destination: [seedReplica(src('/prod/app/A', 'new-value'), 'old-value')],
      actions: { '/prod/app/A': 'update' },
    },
    {
      what: 'a seed replica equal to its source is only tagged, where the seed rewrote it on every event',
      source: [param({ name: '/prod/app/A', value: 'v', description: SEED_DESCRIPTION })],
      destination: [seedReplica(src('/prod/app/A', 'v'), 'v')],
      actions: { '/prod/app/A': 'tag' },
    },
    {
      what: 'a name the seed never wrote is created',
      source: [src('/prod/api/B', 'b')],
      destination: [],
      actions: { '/prod/api/B': 'create' },
    },
    {
      what: 'a source delete deletes the replica once it is ours, as the seed replicated deletes',
      source: [src('/prod/app/KEEP', 'k')],
      destination: [
        param({ name: '/prod/app/KEEP', value: 'k', tags: ADOPTED }),
        param({ name: '/prod/app/GONE', value: 'g', tags: ADOPTED }),
      ],
      actions: { '/prod/app/GONE': 'delete' },
    },
    {
      what: 'an untagged parameter whose source is already gone is never deleted, only reported',
      source: [src('/prod/app/KEEP', 'k')],
      destination: [
        param({ name: '/prod/app/KEEP', value: 'k', tags: ADOPTED }),
        seedReplica(src('/prod/app/LEFTOVER', 'x'), 'x'),
      ],
      actions: {},
      unmanaged: ['/prod/app/LEFTOVER'],
    },
  ];

  it.each(cases)('$what', ({ source, destination, actions, unmanaged = [] }) => {
    const r = region(planFor(seedManifest(), source, destination));

    expect(Object.fromEntries(r.items.map((i) => [i.name, i.action]))).toEqual(actions);
    expect(r.unmanaged).toEqual(unmanaged);
    // Nothing the translation leaves alone stands where a source is replicated.
    expect(r.unmanagedConflicts).toBeUndefined();
  });

  it('writes the stale replica with the value and the description the source has', () => {
    const r = region(
      planFor(
        seedManifest(),
        [src('/prod/app/A', 'new-value')],
        [seedReplica(src('/prod/app/A', 'x'), 'old')],
      ),
    );

    expect(r.items[0]?.changes.map((c) => c.attribute)).toEqual(['value', 'description']);
    expect(r.items[0]?.tags?.add).toEqual(ADOPTED);
  });

  it('keeps the delete guardrails: losing most of a fleet in one run is blocked', () => {
    const names = ['/prod/app/A', '/prod/app/B', '/prod/app/C', '/prod/app/D'];
    const owned = names.map((name) => param({ name, value: 'v', tags: ADOPTED }));

    const p = planFor(seedManifest(), [src('/prod/app/A', 'v')], owned);

    expect(p.blockers.map((b) => b.code)).toEqual(['max-delete-percent-exceeded']);
  });

  it('a plain manifest leaves the stale seed replica alone and marks it as a conflict with its source', () => {
    const plain = plainManifest([replication({ paths: ['/prod/app'] })]);

    const r = region(
      planFor(plain, [src('/prod/app/A', 'new-value')], [seedReplica(src('/prod/app/A', 'x'), 'old-value')]),
    );

    expect(r.items).toEqual([]);
    expect(r.unmanaged).toEqual(['/prod/app/A']);
    expect(r.unmanagedConflicts).toEqual(['/prod/app/A']);
  });
});

const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/);
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-south-1', 'eu-central-1'];

describe('the seed translation, for any seed configuration', () => {
  it('gives every listed destination but the source adoption, delete sync and the default guardrails', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...REGIONS), { minLength: 2, maxLength: 5 }),
        fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        fc.option(fc.constantFrom('alias/prod-key', 'alias/other')),
        fc.option(fc.constantFrom('String', 'StringList', 'SecureString')),
        (regions, pathSegments, kms, type) => {
          const paths = pathSegments.map((s) => `/${s.join('/')}`);
          fc.pre(new Set(paths).size === paths.length && regions.some((r) => r !== SOURCE));
          const env: Record<string, string> = {
            DEST_REGIONS: regions.join(','),
            PARAM_PATHS: paths.join(','),
          };
          if (kms) env.DEST_KMS_KEY_ID = kms;
          if (type) env.DEST_PARAM_TYPE = type;

          const [only, ...more] = seedManifest(env).replications;

          expect(more).toEqual([]);
          expect(only?.paths).toEqual(paths);
          expect(only?.destinations.map((d) => d.region)).toEqual(regions.filter((r) => r !== SOURCE));
          for (const d of only?.destinations ?? []) {
            expect(d).toMatchObject({
              adopt: true,
              deletes: 'sync',
              maxDeletes: 25,
              maxDeletePercent: 50,
              allowEmptySource: false,
            });
            expect(d.kmsKeyId).toBe(kms ?? undefined);
            expect(d.type).toBe(type ?? undefined);
          }
        },
      ),
    );
  });

  it('brings every untagged name with a source in line and deletes no untagged name, whatever the destination holds', () => {
    const names = ['/prod/app/A', '/prod/app/B', '/prod/app/C', '/prod/api/D', '/prod/api/E'];
    fc.assert(
      fc.property(
        fc.subarray(names),
        fc.subarray(names),
        fc.func(fc.boolean()),
        (inSource, inDestination, stale) => {
          const source = inSource.map((n) => src(n, 'new-value'));
          const destination = inDestination.map((n) =>
            seedReplica(src(n, 'x'), stale(n) ? 'old-value' : 'new-value'),
          );

          const r = region(planFor(seedManifest(), source, destination));

          const planned = new Map(r.items.map((i) => [i.name, i.action]));
          for (const n of inSource) {
            expect(planned.get(n)).toBe(inDestination.includes(n) ? 'update' : 'create');
          }
          expect(r.items.filter((i) => i.action === 'delete')).toEqual([]);
          expect(r.unmanaged).toEqual(inDestination.filter((n) => !inSource.includes(n)).sort());
          expect(r.unmanagedConflicts).toBeUndefined();
        },
      ),
    );
  });
});
