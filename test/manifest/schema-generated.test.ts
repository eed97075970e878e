import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import schema from '../../schemas/manifest.schema.json' with { type: 'json' };
import { AJV_OPTIONS, GENERATED, generateValidator } from '../../scripts/compile-schemas.js';
import precompiled from '../../src/manifest/schema.generated.js';

const compiled = new Ajv2020(AJV_OPTIONS).compile(schema);

/** Text of every kind, astral characters included: min/maxLength count code points, not UTF-16 units. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  // Around the length limits (128, 256, ...), where counting UTF-16 units would give another verdict.
  fc.string({ unit: fc.constantFrom('a', '\u{1F600}'), minLength: 60, maxLength: 300 }),
  fc.constantFrom('ap-south-1', '/prod/app'),
);
const value = fc.oneof(text, fc.anything({ maxDepth: 2 }));
const destination = fc.dictionary(
  fc.constantFrom('region', 'deletes', 'max-deletes', 'tags', 'type', 'adopt', 'kms-key-id', 'tier', 'bogus'),
  value,
);
/** Manifests near the schema's shape, so validation reaches deep into it, and anything else. */
const nearManifest = fc.oneof(
  fc.record(
    {
      version: fc.oneof(fc.constant(1), value),
      source: fc.oneof(fc.record({ region: value }, { requiredKeys: [] }), value),
      replications: fc.oneof(
        fc.array(
          fc.record(
            {
              name: value,
              paths: fc.oneof(fc.array(value, { maxLength: 3 }), value),
              destinations: fc.array(destination, { maxLength: 3 }),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        value,
      ),
      extra: value,
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);

describe('the precompiled manifest validator', () => {
  it('is what `npm run schemas` makes from schemas/manifest.schema.json (run it after editing the schema)', async () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(await generateValidator());
  });

  it('gives the verdict and the errors that Ajv compiling the schema at run time gives', () => {
    fc.assert(
      fc.property(nearManifest, (data) => {
        const ok = precompiled(data);
        expect(ok).toBe(compiled(data));
        expect(precompiled.errors ?? null).toEqual(compiled.errors ?? null);
      }),
      { numRuns: 500 },
    );
  });

  it('requires no module at run time, so the bundles carry no schema compiler', () => {
    expect(readFileSync(GENERATED, 'utf8')).not.toMatch(/\brequire\(|\bimport\b/);
  });
});
