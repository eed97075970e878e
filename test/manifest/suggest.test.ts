import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { levenshtein, suggest } from '../../src/manifest/index.js';

const KEYS = [
  'region',
  'role-arn',
  'kms-key-id',
  'path-rewrite',
  'deletes',
  'max-deletes',
  'tags',
  'type',
  'ec2-image',
  'adopt',
  'allow-empty-source',
];

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('counts swapping two neighbouring characters as one edit', () => {
    expect(levenshtein('skpi', 'skip')).toBe(1);
  });

  it('is symmetric and zero exactly for equal strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(levenshtein(a, b)).toBe(levenshtein(b, a));
        expect(levenshtein(a, b) === 0).toBe(a === b);
      }),
    );
  });

  it('never exceeds the longer length nor falls below the length difference', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const d = levenshtein(a, b);
        expect(d).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});

describe('suggest', () => {
  it('finds a key despite camelCase, snake_case or a different case', () => {
    expect(suggest('maxDeletes', KEYS)).toBe('max-deletes');
    expect(suggest('allow_empty_source', KEYS)).toBe('allow-empty-source');
    expect(suggest('KMS-Key-Id', KEYS)).toBe('kms-key-id');
  });

  it('suggests nothing for a word that is not close to any key', () => {
    expect(suggest('colour', ['region', 'role-arn'])).toBeUndefined();
  });

  it('finds the original key again after any single dropped character', () => {
    const typo = fc
      .constantFrom(...KEYS.filter((k) => k.length >= 6))
      .chain((key) =>
        fc.nat({ max: key.length - 1 }).map((at) => ({ key, typo: key.slice(0, at) + key.slice(at + 1) })),
      );
    fc.assert(
      fc.property(typo, ({ key, typo: word }) => {
        expect(suggest(word, KEYS)).toBe(key);
      }),
    );
  });
});
