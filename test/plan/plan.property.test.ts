import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/manifest/types.js';
import type { LiveParameter, RegionInventory } from '../../src/model.js';
import { desiredReplica } from '../../src/plan/desired.js';
import { sourceNameOf, targets } from '../../src/plan/names.js';
import { plan } from '../../src/plan/plan.js';
import type { Plan } from '../../src/plan/types.js';
import { renderJson } from '../../src/render/index.js';
import { destination, inventory, manifest, OURS, OWNER, param, replication } from '../support/builders.js';

const segment = fc.constantFrom('a', 'b', 'c', 'db', 'local', 'x-1', 'Y_2');
const sourceName = fc
  .tuple(
    fc.constantFrom('/prod/app', '/prod/api', '/prod/apps', '/other', 'prod/app'),
    fc.array(segment, { minLength: 1, maxLength: 3 }),
  )
  .map(([root, rest]) => `${root}/${rest.join('/')}`);

const sourceParam = fc
  .record({
    name: sourceName,
    type: fc.constantFrom('String' as const, 'StringList' as const, 'SecureString' as const),
    value: fc.string({ maxLength: 8 }),
    version: fc.integer({ min: 1, max: 100 }),
    tier: fc.constantFrom('Standard' as const, 'Advanced' as const),
    tags: fc.dictionary(fc.constantFrom('team', 'env', 'cost'), fc.constantFrom('x', 'y')),
    description: fc.option(fc.constantFrom('d1', 'd2'), { nil: undefined }),
  })
  .map((spec) => param(spec));

const sources = fc.uniqueArray(sourceParam, { selector: (p) => p.name, maxLength: 20 });

const manifests = fc
  .record({
    rewrite: fc.boolean(),
    deletes: fc.constantFrom('sync' as const, 'keep' as const),
    exclude: fc.boolean(),
    adopt: fc.boolean(),
    secondRegion: fc.boolean(),
    type: fc.option(fc.constantFrom('String' as const, 'SecureString' as const), { nil: undefined }),
  })
  .map(({ rewrite, deletes, exclude, adopt, secondRegion, type }) => {
    const common = {
      deletes,
      adopt,
      maxDeletes: 1000,
      maxDeletePercent: 100,
      allowEmptySource: true,
      ...(type ? { type } : {}),
    };
    const dests = [
      destination('us-east-1', {
        ...common,
        ...(rewrite ? { pathRewrite: { from: '/prod/', to: '/dr/' } } : {}),
      }),
    ];
    if (secondRegion) dests.push(destination('eu-west-1', { ...common, kmsKeyId: 'alias/dr' }));
    return manifest([
      replication({
        paths: ['/prod/app', '/prod/api'],
        exclude: exclude ? ['/prod/app/local/**'] : [],
        destinations: dests,
      }),
    ]);
  });

/** Destination state derived from the source by random mutation: stale, foreign, extra and missing entries. */
function destinationsFor(m: Manifest, src: LiveParameter[], noise: number[]): Map<string, RegionInventory> {
  const result = new Map<string, RegionInventory>();
  for (const target of targets(m)) {
    const params: LiveParameter[] = [];
    src.forEach((s, i) => {
      const n = noise[i % noise.length] ?? 0;
      const route = target.routes[0];
      if (!route) return;
      const outcome = desiredReplica(
        m,
        route,
        s,
        route.destination.pathRewrite ? s.name.replace('/prod/', '/dr/') : s.name,
      );
      if (outcome.kind !== 'replica' || n === 0) return;
      const r = outcome.replica;
      const base: LiveParameter = { ...r, version: 5, tags: { ...r.tags } };
      if (n === 2) base.value = param({ name: r.name, value: 'stale', type: r.type }).value;
      if (n === 3) delete base.tags[OWNER.key];
      if (n === 4) base.tags.extra = 'hand';
      params.push(base);
    });
    // Orphans: managed and foreign parameters with no source.
    noise.forEach((n, i) => {
      const root = target.routes[0]?.destination.pathRewrite ? '/dr' : '/prod';
      const tags: Record<string, string> = n % 2 === 0 ? { ...OURS } : {};
      params.push(param({ name: `${root}/app/orphan${i}`, tags }));
    });
    result.set(target.key, inventory(target.region, params));
  }
  return result;
}

/** Applies a plan to in-memory destinations the way AWS would end up after the applier ran. */
function applyInMemory(m: Manifest, p: Plan, src: RegionInventory, dests: Map<string, RegionInventory>) {
  for (const target of targets(m)) {
    const region = p.regions.find((r) => r.region === target.region);
    const inv = dests.get(target.key);
    if (!region || !inv) throw new Error('missing region');
    for (const item of region.items) {
      if (item.action === 'delete') {
        inv.parameters.delete(item.name);
        continue;
      }
      const route = target.routes.find((r) => r.replication.name === item.replication) ?? target.routes[0];
      const source = src.parameters.get(item.sourceName ?? '');
      if (!route || !source) throw new Error(`no source for ${item.name}`);
      const outcome = desiredReplica(m, route, source, item.name);
      if (outcome.kind !== 'replica') throw new Error('planned a skipped parameter');
      const before = inv.parameters.get(item.name);
      inv.parameters.set(item.name, { ...outcome.replica, version: (before?.version ?? 0) + 1 });
    }
  }
}

const shuffle = <T>(xs: T[], seed: number): T[] =>
  xs
    .map((x, i) => ({ x, k: (i * 7919 + seed) % 104729 }))
    .sort((a, b) => a.k - b.k)
    .map((e) => e.x);

describe('planner properties', () => {
  const noise = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 6 });

  it('is deterministic and independent of listing order', () => {
    fc.assert(
      fc.property(manifests, sources, noise, fc.nat(), (m, src, n, seed) => {
        const dests = destinationsFor(m, src, n);
        const a = plan({ manifest: m, source: inventory('ap-south-1', src), destinations: dests });
        const shuffled = new Map(
          [...dests]
            .reverse()
            .map(([k, inv]) => [k, inventory(inv.region, shuffle([...inv.parameters.values()], seed))]),
        );
        const b = plan({
          manifest: m,
          source: inventory('ap-south-1', shuffle(src, seed)),
          destinations: shuffled,
        });
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
    );
  });

  it('converges: applying a plan then re-planning yields an empty plan', () => {
    fc.assert(
      fc.property(manifests, sources, noise, (m, src, n) => {
        const source = inventory('ap-south-1', src);
        const dests = destinationsFor(m, src, n);
        const first = plan({ manifest: m, source, destinations: dests });
        applyInMemory(m, first, source, dests);
        const second = plan({ manifest: m, source, destinations: dests });
        expect(second.regions.flatMap((r) => r.items)).toEqual([]);
      }),
    );
  });

  it('never deletes an unmanaged parameter or a replica whose source exists', () => {
    fc.assert(
      fc.property(manifests, sources, noise, (m, src, n) => {
        const source = inventory('ap-south-1', src);
        const dests = destinationsFor(m, src, n);
        const p = plan({ manifest: m, source, destinations: dests });
        for (const target of targets(m)) {
          const region = p.regions.find((r) => r.region === target.region);
          for (const item of region?.items ?? []) {
            if (item.action !== 'delete') continue;
            const existing = dests.get(target.key)?.parameters.get(item.name);
            expect(existing?.tags[OWNER.key]).toBe(OWNER.value);
            for (const { destination: d } of target.routes) {
              const srcName = sourceNameOf(d, item.name);
              if (srcName !== undefined) expect(source.parameters.has(srcName)).toBe(false);
            }
          }
        }
      }),
    );
  });

  it('never puts a SecureString value into the plan', () => {
    fc.assert(
      fc.property(manifests, sources, noise, (m, src, n) => {
        const marked = src.map((s) =>
          s.type === 'SecureString' ? param({ ...s, value: `CANARY-${s.name}-SECRET` }) : s,
        );
        const p = plan({
          manifest: { ...m, valueDisplay: 'non-secret' },
          source: inventory('ap-south-1', marked),
          destinations: destinationsFor(m, marked, n),
        });
        expect(JSON.stringify(p)).not.toContain('-SECRET');
      }),
    );
  });

  it('always produces a plan that validates against schemas/plan.schema.json', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'),
    );
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    fc.assert(
      fc.property(manifests, sources, noise, (m, src, n) => {
        const p = plan({
          manifest: { ...m, valueDisplay: 'non-secret' },
          source: inventory('ap-south-1', src),
          destinations: destinationsFor(m, src, n),
        });
        const ok = validate(JSON.parse(renderJson(p)));
        expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
        expect(ok).toBe(true);
      }),
    );
  });
});
