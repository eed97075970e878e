import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyed, ownValue, parseJson } from '../src/keyed.js';
import { anyKey, PROTOTYPE_KEYS, tagEntries } from './support/keys.js';

/** Entries in key order: objects list integer-like keys ("0") first whatever the insertion order. */
const sorted = (entries: [string, unknown][]) =>
  [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('keyed records', () => {
  it('hold exactly the given keys, __proto__ and constructor included, and nothing inherited', () => {
    fc.assert(
      fc.property(tagEntries(anyKey, 8), (entries) => {
        const record = keyed(entries);
        expect(sorted(Object.entries(record))).toEqual(sorted(entries));
        expect(Object.getPrototypeOf(record)).toBeNull();
        for (const key of PROTOTYPE_KEYS) {
          const given = entries.find(([k]) => k === key);
          expect(record[key]).toBe(given?.[1]);
          expect(key in record).toBe(given !== undefined);
        }
      }),
    );
  });

  it('merge records and entries in order, later ones winning, from plain objects with own hostile keys', () => {
    fc.assert(
      fc.property(tagEntries(anyKey), tagEntries(anyKey), (a, b) => {
        const merged = keyed(Object.fromEntries(a), b);
        const expected = new Map([...a, ...b]);
        expect(new Map(Object.entries(merged))).toEqual(expected);
      }),
    );
  });

  it('read only own keys, whatever the prototype', () => {
    const plain: Record<string, string> = {};
    expect(ownValue(plain, 'constructor')).toBeUndefined();
    expect(ownValue(plain, '__proto__')).toBeUndefined();
    expect(ownValue(keyed([['__proto__', 'p']]), '__proto__')).toBe('p');
  });

  it('survive JSON and parsing back: every key of the text is a key of the result', () => {
    fc.assert(
      fc.property(tagEntries(anyKey, 8), (entries) => {
        const text = JSON.stringify({ tags: keyed(entries), list: [keyed(entries)] });
        const back = parseJson(text) as { tags: Record<string, string>; list: Record<string, string>[] };
        expect(sorted(Object.entries(back.tags))).toEqual(sorted(entries));
        expect(sorted(Object.entries(back.list[0] ?? {}))).toEqual(sorted(entries));
        expect(Object.getPrototypeOf(back.tags)).toBeNull();
        expect(JSON.stringify(back)).toBe(text);
      }),
    );
  });
});
