import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Destination, Manifest } from '../../src/manifest/types.js';
import type { LiveParameter } from '../../src/model.js';
import { allowedDeletes, plan } from '../../src/plan/plan.js';
import {
  destination,
  inventory,
  manifest,
  OURS,
  param,
  replicaOf,
  replication,
} from '../support/builders.js';

const withExclude = (overrides: Partial<Destination> = {}, paths = ['/prod/app']) =>
  manifest([
    replication({
      paths,
      exclude: ['/prod/app/local/**'],
      destinations: [destination('us-east-1', overrides)],
    }),
  ]);

function run(m: Manifest, source: LiveParameter[], dest: LiveParameter[], names?: string[]) {
  return plan({
    manifest: m,
    source: inventory('ap-south-1', source),
    destinations: new Map([['us-east-1', inventory('us-east-1', dest)]]),
    ...(names ? { names } : {}),
  });
}

const fleet = (n: number, root = '/prod/app') =>
  Array.from({ length: n }, (_, i) => param({ name: `${root}/p${i}` }));

describe('the empty-source guard', () => {
  it('blocks when the only source names left under a path are excluded ones', () => {
    const local = param({ name: '/prod/app/local/dev' });
    const p = run(
      withExclude(),
      [local],
      fleet(3).map((s) => replicaOf(s)),
    );
    expect(p.blockers.map((b) => b.code)).toContain('empty-source-path');
    expect(p.blockers.find((b) => b.code === 'empty-source-path')?.message).toMatch(
      /\/prod\/app lists nothing 'prod-app' replicates in ap-south-1 .* holds 3 of its replicas under \/prod\/app/,
    );
  });

  it('does not count a source name that only shares characters with the path (a sibling)', () => {
    const p = run(
      withExclude(),
      [param({ name: '/prod/apps/x' })],
      fleet(2).map((s) => replicaOf(s)),
    );
    expect(p.blockers.map((b) => b.code)).toContain('empty-source-path');
  });

  it('still lets allow-empty-source delete when only excluded names remain', () => {
    const local = param({ name: '/prod/app/local/dev' });
    const m = withExclude({ allowEmptySource: true, maxDeletePercent: 100 });
    const p = run(
      m,
      [local],
      fleet(3).map((s) => replicaOf(s)),
    );
    expect(p.blockers).toEqual([]);
    expect(p.regions[0]?.items.map((i) => i.action)).toEqual(['delete', 'delete', 'delete']);
  });

  it('is not raised while one replicated source name is left', () => {
    const all = fleet(2);
    const p = run(
      withExclude(),
      all.slice(0, 1),
      all.map((s) => replicaOf(s)),
    );
    expect(p.blockers).toEqual([]);
    expect(p.regions[0]?.items.map((i) => [i.action, i.name])).toEqual([['delete', '/prod/app/p1']]);
  });
});

describe('the delete-share guard (max-delete-percent)', () => {
  it('blocks a plan that deletes more than half of the replicas a replication manages in a region', () => {
    const all = fleet(10);
    const p = run(
      withExclude(),
      all.slice(0, 4),
      all.map((s) => replicaOf(s)),
    );
    expect(p.blockers.map((b) => b.code)).toEqual(['max-delete-percent-exceeded']);
    expect(p.blockers[0]?.message).toBe(
      "6 of the 10 replicas 'prod-app' manages in us-east-1 would be deleted (60%), over its max-delete-percent of 50. If this is intended, raise max-delete-percent for this destination (100 turns this check off) and re-run.",
    );
  });

  it('allows exactly the share, rounded down', () => {
    const all = fleet(10);
    expect(
      run(
        withExclude(),
        all.slice(0, 5),
        all.map((s) => replicaOf(s)),
      ).blockers,
    ).toEqual([]);
    const seven = fleet(7);
    const p = run(
      withExclude(),
      seven.slice(0, 3),
      seven.map((s) => replicaOf(s)),
    );
    expect(p.blockers.map((b) => b.code)).toEqual(['max-delete-percent-exceeded']);
  });

  it('always allows one delete, so a fleet of two can lose a parameter', () => {
    const [kept, gone] = fleet(2);
    const m = withExclude({ maxDeletePercent: 0 });
    const p = run(
      m,
      [kept as LiveParameter],
      [kept, gone].map((s) => replicaOf(s as LiveParameter)),
    );
    expect(p.blockers).toEqual([]);
    expect(p.regions[0]?.items.map((i) => i.action)).toEqual(['delete']);
  });

  it("counts only this replication's replicas, not unmanaged or foreign parameters beside them", () => {
    const all = fleet(4);
    const others = fleet(20, '/prod/app/other').map((s) => ({
      ...s,
      tags: s.name.endsWith('0') ? {} : { ...OURS, 'ssm-replicate:owner': 'team-b/b' },
    }));
    const p = run(withExclude(), all.slice(0, 1), [...all.map((s) => replicaOf(s)), ...others]);
    expect(p.blockers.map((b) => b.code)).toEqual(['max-delete-percent-exceeded']);
  });

  it('turns off at 100, leaving max-deletes to guard', () => {
    const all = fleet(10);
    const p = run(
      withExclude({ maxDeletePercent: 100 }),
      all.slice(0, 1),
      all.map((s) => replicaOf(s)),
    );
    expect(p.blockers).toEqual([]);
    expect(p.summary.deletes).toBe(9);
  });

  it('is not applied to a names-only run, which cannot see the whole fleet', () => {
    const [a, b] = fleet(2);
    const p = run(
      withExclude({ maxDeletePercent: 0 }),
      [],
      [replicaOf(a as LiveParameter), replicaOf(b as LiveParameter)],
      ['/prod/app/p0', '/prod/app/p1'],
    );
    expect(p.blockers).toEqual([]);
    expect(p.summary.deletes).toBe(2);
  });
});

describe('guardrail properties', () => {
  const names = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'), {
    minLength: 1,
  });
  const locals = fc.uniqueArray(fc.constantFrom('x', 'y', 'z', 'deep/w'), { minLength: 1 });

  it('never lets excluded names suppress the empty-source blocker', () => {
    fc.assert(
      fc.property(names, locals, fc.integer({ min: 0, max: 100 }), (replicated, excluded, percent) => {
        const source = excluded.map((n) => param({ name: `/prod/app/local/${n}` }));
        const dest = replicated.map((n) => replicaOf(param({ name: `/prod/app/${n}` })));
        const p = run(withExclude({ maxDeletePercent: percent }), source, dest);
        expect(p.blockers.map((b) => b.code)).toContain('empty-source-path');
      }),
    );
  });

  it('never leaves a plan unblocked that deletes more than the allowed share of a replication', () => {
    fc.assert(
      fc.property(
        names,
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 100 }),
        (all, keep, percent) => {
          const params = all.map((n) => param({ name: `/prod/app/${n}` }));
          const source = [param({ name: '/prod/app/always' }), ...params.filter((_, i) => keep[i])];
          const dest = [...source, ...params].map((s) => replicaOf(s));
          const unique = [...new Map(dest.map((d) => [d.name, d])).values()];
          const p = run(withExclude({ maxDeletePercent: percent }), source, unique);
          const deletes = p.summary.deletes;
          const blocked = p.blockers.some((b) => b.code === 'max-delete-percent-exceeded');
          expect(blocked).toBe(deletes > allowedDeletes(unique.length, percent));
        },
      ),
    );
  });
});
