import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OWNER_TAG_KEY } from '../../src/manifest/index.js';
import type { Manifest } from '../../src/manifest/types.js';
import type { LiveParameter } from '../../src/model.js';
import { ownershipOf } from '../../src/plan/owner.js';
import { plan } from '../../src/plan/plan.js';
import { renderJson } from '../../src/render/index.js';
import {
  destination,
  inventory,
  manifest,
  OWNER,
  param,
  replicaOf,
  replication,
} from '../support/builders.js';

function run(m: Manifest, source: LiveParameter[], dest: LiveParameter[]) {
  return plan({
    manifest: m,
    source: inventory('ap-south-1', source),
    destinations: new Map([['us-east-1', inventory('us-east-1', dest)]]),
  });
}

function owned(owner: string | undefined): Record<string, string> {
  const tags: Record<string, string> = { [OWNER.key]: OWNER.value };
  if (owner !== undefined) tags[OWNER_TAG_KEY] = owner;
  return tags;
}

const host = param({ name: '/prod/app/DB_HOST', tags: { team: 'core' } });
const teamB = param({ name: '/prod/app/teamb/x' });
const A = manifest();

describe('ownership per manifest', () => {
  it('writes the owner tag <id>/<replication> on every create', () => {
    const p = run(manifest(undefined, { id: 'team-a' }), [host], []);
    expect(p.regions[0]?.items[0]?.tags?.add).toEqual({
      team: 'core',
      [OWNER.key]: OWNER.value,
      [OWNER_TAG_KEY]: 'team-a/prod-app',
    });
  });

  it("never deletes another manifest's replica under this manifest's path, and reports it as foreign", () => {
    const p = run(A, [host], [replicaOf(host), { ...teamB, tags: owned('default/teamb') }]);
    expect(p.regions[0]?.items).toEqual([]);
    expect(p.regions[0]?.foreign).toEqual(['/prod/app/teamb/x']);
    expect(p.regions[0]?.unmanaged).toEqual([]);
    expect(p.blockers).toEqual([]);
  });

  it('blocks, naming both owners, when this manifest wants a name another manifest owns', () => {
    const theirs = {
      ...replicaOf(teamB),
      value: param({ name: 'x', value: 'theirs' }).value,
      tags: owned('B/teamb'),
    };
    const p = run(A, [host, teamB], [replicaOf(host), theirs]);
    expect(p.regions[0]?.items).toEqual([]);
    expect(p.blockers).toEqual([
      {
        code: 'owned-by-another-manifest',
        message:
          "/prod/app/teamb/x in us-east-1 is owned by manifest 'B' replication 'teamb'; this manifest's 'prod-app' also writes it. Exclude it from one of the two manifests, or, if this manifest should own it, list that owner in previous-owners.",
        region: 'us-east-1',
        replication: 'prod-app',
        name: '/prod/app/teamb/x',
      },
    ]);
  });

  it('gives one blocker per pair of owners, however many names they share', () => {
    const names = ['x', 'y', 'z'].map((n) => param({ name: `/prod/app/teamb/${n}` }));
    const theirs = names.map((n) => ({ ...n, tags: owned('B/teamb') }));
    const p = run(A, names, theirs);
    expect(p.blockers.map((b) => [b.code, b.name])).toEqual([
      ['owned-by-another-manifest', '/prod/app/teamb/x'],
    ]);
    expect(p.blockers[0]?.message).toMatch(
      /^\/prod\/app\/teamb\/x and 2 more names in us-east-1 are owned by manifest 'B' replication 'teamb'; this manifest's 'prod-app' also writes them\./,
    );
    expect(p.regions[0]?.foreign).toEqual(names.map((n) => n.name));
  });

  it('claims a replica written before owner tags with a tag-only change', () => {
    const legacy = { ...replicaOf(host), tags: { team: 'core', ...owned(undefined) } };
    const p = run(A, [host], [legacy]);
    expect(p.regions[0]?.items).toEqual([
      expect.objectContaining({
        action: 'tag',
        changes: [],
        tags: { add: { [OWNER_TAG_KEY]: 'default/prod-app' }, change: {}, remove: [] },
      }),
    ]);
  });

  it('never deletes an unclaimed replica whose source is gone, and warns with the fix', () => {
    const orphan = { ...param({ name: '/prod/app/OLD' }), tags: owned(undefined) };
    const p = run(A, [host], [replicaOf(host), orphan]);
    expect(p.regions[0]?.items).toEqual([]);
    expect(p.warnings).toMatchObject([
      { code: 'unclaimed-replica', name: '/prod/app/OLD', region: 'us-east-1' },
    ]);
    expect(p.warnings[0]?.message).toContain(`${OWNER_TAG_KEY}=default/prod-app`);
  });

  it('keeps two manifests without id apart by replication name', () => {
    const mine = { ...param({ name: '/prod/app/OLD' }), tags: owned('default/prod-app') };
    const theirs = { ...param({ name: '/prod/app/OLD2' }), tags: owned('default/other') };
    const p = run(A, [host], [replicaOf(host), mine, theirs]);
    expect(p.regions[0]?.items.map((i) => [i.action, i.name])).toEqual([['delete', '/prod/app/OLD']]);
    expect(p.regions[0]?.foreign).toEqual(['/prod/app/OLD2']);
  });

  it('moves a replica between replications of one manifest with an explicit id by a tag-only change', () => {
    const m = manifest([replication({ name: 'renamed' })], { id: 'team-a' });
    const p = run(m, [host], [{ ...replicaOf(host), tags: { team: 'core', ...owned('team-a/prod-app') } }]);
    expect(p.regions[0]?.items).toEqual([
      expect.objectContaining({
        action: 'tag',
        replication: 'renamed',
        tags: {
          add: {},
          change: { [OWNER_TAG_KEY]: { from: 'team-a/prod-app', to: 'team-a/renamed' } },
          remove: [],
        },
      }),
    ]);
  });

  it('takes over the replicas of an owner listed in previous-owners', () => {
    const m = manifest(undefined, { id: 'team-a', previousOwners: ['default/prod-app'] });
    const gone = { ...param({ name: '/prod/app/OLD' }), tags: owned('default/prod-app') };
    const p = run(
      m,
      [host],
      [{ ...replicaOf(host), tags: { team: 'core', ...owned('default/prod-app') } }, gone],
    );
    expect(p.regions[0]?.items.map((i) => [i.action, i.name])).toEqual([
      ['tag', '/prod/app/DB_HOST'],
      ['delete', '/prod/app/OLD'],
    ]);
  });

  it('adopts an untagged parameter by adding both tags', () => {
    const m = manifest([replication({ destinations: [destination('us-east-1', { adopt: true })] })]);
    const p = run(m, [host], [{ ...host, tags: { team: 'core' } }]);
    expect(p.regions[0]?.items[0]).toMatchObject({
      action: 'tag',
      tags: { add: { [OWNER.key]: OWNER.value, [OWNER_TAG_KEY]: 'default/prod-app' } },
    });
  });

  it('does not replicate a parameter that would carry more than 50 tags, and keeps its replica', () => {
    // 44 of its own, 4 of the destination's, and ssm-replicate's three (ownership, owner, sync record).
    const many = Object.fromEntries(Array.from({ length: 44 }, (_, i) => [`s${i}`, 'v']));
    const crowded = param({ name: '/prod/app/CROWDED', tags: many });
    const m = manifest([
      replication({
        destinations: [destination('us-east-1', { tags: { d1: 'v', d2: 'v', d3: 'v', d4: 'v' } })],
      }),
    ]);
    const p = run(m, [crowded], [{ ...crowded, tags: owned('default/prod-app') }]);
    expect(p.regions[0]?.items).toEqual([]);
    expect(p.warnings).toMatchObject([{ code: 'too-many-tags', name: '/prod/app/CROWDED' }]);
    expect(p.warnings[0]?.message).toMatch(/would carry 51 tags in us-east-1 .* at most 50/);
    expect(run(m, [param({ name: '/prod/app/FITS', tags: { ...many, s44: 'v' } })], []).warnings).toEqual([
      expect.objectContaining({ code: 'too-many-tags' }),
    ]);
    const fits = param({ name: '/prod/app/FITS', tags: Object.fromEntries(Object.entries(many).slice(1)) });
    expect(run(m, [fits], []).summary.creates).toBe(1);
  });
});

const validatePlan = new Ajv2020({ allErrors: true, strict: true }).compile(
  JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')),
);

describe('ownership properties', () => {
  const owners = fc.constantFrom(
    undefined,
    'default/prod-app',
    'default/prod-api',
    'default/teamb',
    'team-a/prod-app',
    'team-a/gone',
    'B/teamb',
    'garbage',
    '/',
  );
  const ids = fc.constantFrom('default', 'team-a', 'B');
  const previous = fc.subarray(['B', 'default/teamb', 'team-a']);
  const entry = fc.record({
    leaf: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    inSource: fc.boolean(),
    inDest: fc.boolean(),
    tagged: fc.boolean(),
    owner: owners,
    stale: fc.boolean(),
  });

  it('never updates, tags or deletes a replica another manifest owns, never deletes an unclaimed one, and plans schema-valid JSON', () => {
    fc.assert(
      fc.property(
        ids,
        previous,
        fc.boolean(),
        fc.uniqueArray(entry, { selector: (e) => e.leaf }),
        (id, prev, adopt, entries) => {
          const m = manifest(
            [
              replication({
                destinations: [
                  destination('us-east-1', { adopt, maxDeletePercent: 100, allowEmptySource: true }),
                ],
              }),
              replication({ name: 'prod-api', paths: ['/prod/api'] }),
            ],
            { id, previousOwners: prev },
          );
          const source: LiveParameter[] = [];
          const dest: LiveParameter[] = [];
          for (const e of entries) {
            const s = param({ name: `/prod/app/${e.leaf}` });
            if (e.inSource) source.push(s);
            if (!e.inDest) continue;
            const tags: Record<string, string> = e.tagged ? { [OWNER.key]: OWNER.value } : {};
            if (e.owner !== undefined) tags[OWNER_TAG_KEY] = e.owner;
            dest.push({
              ...s,
              tags,
              ...(e.stale ? { value: param({ name: 'x', value: 'old' }).value } : {}),
            });
          }
          const p = run(m, source, dest);
          expect(validatePlan(JSON.parse(renderJson(p))), JSON.stringify(validatePlan.errors)).toBe(true);
          const owns = ownershipOf(m);
          const before = new Map(dest.map((d) => [d.name, owns(d.tags).kind]));
          for (const item of p.regions[0]?.items ?? []) {
            const kind = before.get(item.name);
            if (kind === undefined) continue;
            expect(kind).not.toBe('foreign');
            if (item.action === 'delete') expect(kind).toBe('ours');
            if (kind === 'unmanaged') expect(adopt).toBe(true);
          }
          for (const d of dest) {
            const owner = d.tags[OWNER_TAG_KEY];
            const foreignOwner =
              d.tags[OWNER.key] === OWNER.value && owner !== undefined && before.get(d.name) === 'foreign';
            if (foreignOwner) expect(p.regions[0]?.foreign ?? []).toContain(d.name);
          }
        },
      ),
    );
  });

  it('treats a default-id replica as ours only for one of our replication names or a listed previous owner', () => {
    fc.assert(
      fc.property(ids, previous, owners, (id, prev, owner) => {
        const m = manifest([replication(), replication({ name: 'prod-api', paths: ['/prod/api'] })], {
          id,
          previousOwners: prev,
        });
        const kind = ownershipOf(m)(owner === undefined ? owned(undefined) : owned(owner)).kind;
        if (owner === undefined) {
          expect(kind).toBe('unclaimed');
          return;
        }
        const [ownerId, rep] = owner.split('/');
        const expected =
          (ownerId === id &&
            rep !== undefined &&
            rep !== '' &&
            (id !== 'default' || ['prod-app', 'prod-api'].includes(rep))) ||
          prev.includes(owner) ||
          (ownerId !== undefined &&
            ownerId !== 'default' &&
            rep !== undefined &&
            rep !== '' &&
            prev.includes(ownerId));
        expect(kind).toBe(expected ? 'ours' : 'foreign');
      }),
    );
  });
});
