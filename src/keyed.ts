/**
 * Records keyed by text from outside: tag keys (from AWS or the manifest), AMI ids, replication names.
 * On a plain object such a key can name a member of Object.prototype: `tags.constructor` reads a
 * function where a string was expected, `'toString' in tags` holds for an empty set, and assigning
 * `__proto__` replaces the prototype instead of adding a key. A null-prototype object has none of that:
 * every key is an own data property, and Object.entries and JSON.stringify show exactly those.
 */
export type Keyed<V> = Record<string, V>;

type Entries<V> = Iterable<readonly [string, V]>;

/** A null-prototype record of the given entries (or records' own entries), later ones winning. */
export function keyed<V>(...sources: (Entries<V> | Readonly<Record<string, V>> | undefined)[]): Keyed<V> {
  const out = Object.create(null) as Keyed<V>;
  for (const source of sources) {
    if (source === undefined) continue;
    const entries = Symbol.iterator in source ? (source as Entries<V>) : Object.entries(source);
    for (const [key, value] of entries) out[key] = value;
  }
  return out;
}

/**
 * The value under an own key, never an inherited member, whatever the record's prototype: records that
 * did not come through `keyed` (a test's literal, a parsed file) are read as safely as those that did.
 */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** JSON.parse with every object built by `keyed`, so a file's `__proto__` or `constructor` key stays a key. */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? keyed(value as Record<string, unknown>)
      : value,
  );
}
