import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { overlappingPairs, type Placed } from '../../src/manifest/overlaps.js';
import { within } from '../../src/manifest/rewrite.js';

/** The definition: every pair compared with every other, in loop order. */
function allPairs(entries: readonly Placed[]): [number, number][] {
  const pairs: [number, number][] = [];
  entries.forEach((a, x) => {
    entries.forEach((b, y) => {
      if (y > x && a.store === b.store && (within(a.dst, b.dst) || within(b.dst, a.dst))) pairs.push([x, y]);
    });
  });
  return pairs;
}

// Few letters and levels, so generated prefixes often enclose one another; '' and trailing or doubled
// slashes too, since relations are checked even when a field check has already refused such a path.
const prefix = fc.oneof(
  fc.constantFrom('/', '', '//', '/a/'),
  fc
    .array(fc.constantFrom('a', 'b', 'ab', ''), { minLength: 1, maxLength: 4 })
    .map((parts) => `/${parts.join('/')}`),
);
const entry = fc.record({ store: fc.constantFrom('us-east-1', 'eu-west-1 123456789012'), dst: prefix });

describe('overlappingPairs', () => {
  it('finds exactly the pairs the all-pairs comparison finds, in the same order', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), (entries) => {
        expect(overlappingPairs(entries)).toEqual(allPairs(entries));
      }),
      { numRuns: 500 },
    );
  });

  it('pairs a prefix with what lies below it, never with a sibling that merely starts alike', () => {
    const entries = [
      { store: 's', dst: '/prod/app' },
      { store: 's', dst: '/prod/app-old' },
      { store: 's', dst: '/prod/app/db' },
      { store: 't', dst: '/prod/app/db' },
      { store: 's', dst: '/' },
    ];
    expect(overlappingPairs(entries)).toEqual([
      [0, 2],
      [0, 4],
      [1, 4],
      [2, 4],
    ]);
  });
});
