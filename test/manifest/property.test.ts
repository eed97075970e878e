import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseManifest } from '../../src/manifest/index.js';
import { KNOWN_REGIONS } from '../../src/manifest/regions.js';

const segment = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/).filter((s) => !/^(aws|ssm)/.test(s));
const tagText = fc
  .stringMatching(/^[A-Za-z0-9 _.:/=+@-]{1,20}$/)
  .filter((s) => !s.toLowerCase().startsWith('aws:'));

const destination = fc.record(
  {
    deletes: fc.constantFrom('sync', 'keep'),
    'max-deletes': fc.nat({ max: 1000 }),
    tags: fc.dictionary(tagText, tagText, { maxKeys: 3 }),
    type: fc.constant('SecureString'),
    adopt: fc.boolean(),
    'allow-empty-source': fc.boolean(),
    'kms-key-id': fc.constantFrom('alias/aws/ssm', 'alias/prod-key', 'mrk-0123456789abcdef0123456789abcdef'),
  },
  { requiredKeys: [] },
);

/** Manifests valid by construction: each replication owns its own first level, so none can conflict. */
const manifest = fc.constantFrom(...KNOWN_REGIONS).chain((source) =>
  fc.record({
    version: fc.constant(1),
    source: fc.constant({ region: source }),
    replications: fc
      .array(
        fc.record({
          paths: fc.uniqueArray(segment, { minLength: 1, maxLength: 3 }),
          destinations: fc.uniqueArray(
            fc.tuple(fc.constantFrom(...KNOWN_REGIONS.filter((r) => r !== source)), destination),
            { minLength: 1, maxLength: 3, selector: ([region]) => region },
          ),
        }),
        { minLength: 1, maxLength: 3 },
      )
      .map((replications) =>
        replications.map((r, i) => ({
          name: `replication-${i}`,
          paths: r.paths.map((p) => `/r${i}/${p}`),
          destinations: r.destinations.map(([region, options]) => ({ region, ...options })),
        })),
      ),
  }),
);

describe('generated manifests', () => {
  it('validates every manifest built within the rules, and keeps what it says', () => {
    fc.assert(
      fc.property(manifest, (raw) => {
        const { manifest: resolved, warnings } = parseManifest(stringify(raw), 'generated.yaml');
        expect(warnings).toEqual([]);
        expect(resolved.source.region).toBe(raw.source.region);
        expect(resolved.replications.map((r) => [r.name, r.paths])).toEqual(
          raw.replications.map((r) => [r.name, r.paths]),
        );
        resolved.replications.forEach((replication, i) => {
          replication.destinations.forEach((d, j) => {
            const written = raw.replications[i]?.destinations[j];
            expect(d.region).toBe(written?.region);
            expect(d.deletes).toBe(written?.deletes ?? 'sync');
            expect(d.maxDeletes).toBe(written?.['max-deletes'] ?? 25);
            expect(d.tags).toEqual(written?.tags ?? {});
            expect(d.kmsKeyId).toBe(written?.['kms-key-id']);
          });
        });
      }),
      { numRuns: 200 },
    );
  });
});
