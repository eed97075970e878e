import fc from 'fast-check';

/**
 * Tag keys AWS accepts (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Tag.html:
 * 1-128 letters, digits, spaces and _ . : / = + - @) that name members of Object.prototype, so code that
 * treats a tag set as a plain object reads a function, finds a key that is not there, or drops one.
 */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
] as const;

/** Keys and values from outside that are ordinary text: unicode letters, separators, the allowed symbols. */
export const UNICODE_KEYS = ['ключ', '名前', 'é', 'Ωmega:x', 'team', 'a b', 'x/y=z+@-.'] as const;

/** A tag key AWS would store. */
export const awsTagKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.constantFrom(...UNICODE_KEYS),
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_.:/=+\-@]{0,7}$/),
);

/** A tag value AWS would store (0-256 characters of the same alphabet). */
export const awsTagValue = fc.oneof(
  fc.constantFrom('', 'x', '__proto__', 'constructor', 'значение'),
  fc.stringMatching(/^[a-zA-Z0-9_.:/=+\-@ ]{0,8}$/),
);

/** Any key the core may be handed (a crafted plan file, a test): AWS's, plus empty and arbitrary text. */
export const anyKey = fc.oneof(awsTagKey, fc.constant(''), fc.string({ maxLength: 6 }));

/**
 * A tag set as [key, value] entries with unique keys; build the record with `keyed` (as the adapters do)
 * or with Object.fromEntries (a plain object with own hostile keys), and the core must treat both alike.
 */
export const tagEntries = (key: fc.Arbitrary<string>, maxLength = 5) =>
  fc.uniqueArray(fc.tuple(key, awsTagValue), { selector: ([k]) => k, maxLength });
