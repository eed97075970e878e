import { type LiveParameter, ParameterValue, type RegionInventory } from '../model.js';
import { Semaphore } from '../rate/limiter.js';
import type { ParameterMetadata, ParameterStore, ParameterValueRecord } from '../store/port.js';

/** A region could not be read completely. Nothing may be planned from what was read. */
export class InventoryError extends Error {
  override name = 'InventoryError';
  constructor(
    message: string,
    readonly region: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface ReadOptions {
  /** Calls in flight per region (the rate limiter still paces them). */
  concurrency?: number;
  /** How often a name whose value and metadata disagree on version is re-read before giving up. */
  raceRetries?: number;
}

const GET_BATCH = 10;

function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}

async function step<T>(store: ParameterStore, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof InventoryError) throw error;
    throw new InventoryError(
      `Reading ${store.region} failed during ${what} (${describeError(error)}). Nothing was planned from a partial listing; fix the cause and re-run.`,
      store.region,
      { cause: error },
    );
  }
}

/**
 * Reads every parameter under `paths` (and a parameter named exactly like a path): metadata from
 * DescribeParameters (50 a page), values from GetParameters (10 a call, decrypted) started as each page
 * arrives, tags from one region-wide tagging API listing (100 a page). Any failure aborts the whole read.
 */
export async function readPaths(
  store: ParameterStore,
  paths: readonly string[],
  options: ReadOptions = {},
): Promise<RegionInventory> {
  const gate = new Semaphore(options.concurrency ?? 4);
  const metadata = new Map<string, ParameterMetadata>();
  const valueReads: Promise<ParameterValueRecord[]>[] = [];
  const fetchValues = (names: string[]) => {
    for (let i = 0; i < names.length; i += GET_BATCH) {
      const batch = names.slice(i, i + GET_BATCH);
      valueReads.push(gate.run(() => step(store, 'GetParameters', () => store.getValues(batch))));
    }
  };
  const onPage = (page: ParameterMetadata[]) => {
    const fresh = page.filter((m) => !metadata.has(m.name));
    for (const m of fresh) metadata.set(m.name, m);
    fetchValues(fresh.map((m) => m.name));
  };

  const tags = step(store, 'GetResources (tagging API)', () => store.taggedParameters());
  tags.catch(() => undefined); // observed below; avoid an unhandled rejection while listings run
  await Promise.all(
    paths.map((path) =>
      gate.run(() => step(store, `DescribeParameters ${path}`, () => store.describePath(path, onPage))),
    ),
  );
  // DescribeParameters' Path filter lists what is below a path, not a parameter named like the path.
  const exact = paths.filter((p) => !metadata.has(p));
  const exactValues = exact.length > 0 ? await readExact(store, gate, exact) : [];
  const values = new Map<string, ParameterValueRecord>();
  for (const batch of await Promise.all(valueReads)) for (const v of batch) values.set(v.name, v);
  for (const v of exactValues) values.set(v.name, v);
  if (exactValues.length > 0) {
    const found = await step(store, 'DescribeParameters', () =>
      store.describeNames(exactValues.map((v) => v.name)),
    );
    for (const m of found) metadata.set(m.name, m);
  }
  const joined = await join(store, metadata, values, options.raceRetries ?? 3);
  return withTags(store, gate, joined, await tags);
}

async function readExact(
  store: ParameterStore,
  gate: Semaphore,
  names: string[],
): Promise<ParameterValueRecord[]> {
  const out: ParameterValueRecord[] = [];
  for (let i = 0; i < names.length; i += GET_BATCH) {
    const batch = names.slice(i, i + GET_BATCH);
    out.push(...(await gate.run(() => step(store, 'GetParameters', () => store.getValues(batch)))));
  }
  return out;
}

/** Reads just these names (the event-driven path): absent names are simply not in the result. */
export async function readNames(
  store: ParameterStore,
  names: readonly string[],
  options: ReadOptions = {},
): Promise<RegionInventory> {
  const gate = new Semaphore(options.concurrency ?? 4);
  const unique = [...new Set(names)];
  const metadata = new Map<string, ParameterMetadata>();
  for (const m of await step(store, 'DescribeParameters', () => store.describeNames(unique)))
    metadata.set(m.name, m);
  const values = new Map<string, ParameterValueRecord>();
  for (const v of await readExact(store, gate, [...metadata.keys()])) values.set(v.name, v);
  const joined = await join(store, metadata, values, options.raceRetries ?? 3);
  return withTags(store, gate, joined, undefined);
}

/**
 * Metadata and values come from different calls; a write between them shows up as a version mismatch
 * (or a name missing on one side). Those names are read again until both sides agree.
 */
async function join(
  store: ParameterStore,
  metadata: Map<string, ParameterMetadata>,
  values: Map<string, ParameterValueRecord>,
  retries: number,
): Promise<Map<string, { meta: ParameterMetadata; value: ParameterValueRecord }>> {
  const joined = new Map<string, { meta: ParameterMetadata; value: ParameterValueRecord }>();
  let pending: string[] = [];
  for (const [name, meta] of metadata) {
    const value = values.get(name);
    if (value && value.version === meta.version) joined.set(name, { meta, value });
    else pending.push(name);
  }
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= retries) {
      throw new InventoryError(
        `Reading ${store.region}: ${pending.length} parameter(s) kept changing while being read (e.g. ${pending[0]}). Re-run when writes have settled.`,
        store.region,
      );
    }
    const metas = new Map(
      (await step(store, 'DescribeParameters', () => store.describeNames(pending))).map((m) => [m.name, m]),
    );
    const vals = new Map<string, ParameterValueRecord>();
    for (let i = 0; i < pending.length; i += GET_BATCH) {
      const batch = pending.slice(i, i + GET_BATCH);
      for (const v of await step(store, 'GetParameters', () => store.getValues(batch))) vals.set(v.name, v);
    }
    const still: string[] = [];
    for (const name of pending) {
      const meta = metas.get(name);
      const value = vals.get(name);
      if (!meta && !value) continue; // deleted meanwhile: absent is the current state
      if (meta && value && meta.version === value.version) joined.set(name, { meta, value });
      else still.push(name);
    }
    pending = still;
  }
  return joined;
}

async function withTags(
  store: ParameterStore,
  gate: Semaphore,
  joined: Map<string, { meta: ParameterMetadata; value: ParameterValueRecord }>,
  tagged: Map<string, Record<string, string>> | undefined,
): Promise<RegionInventory> {
  const parameters = new Map<string, LiveParameter>();
  const lookups: Promise<void>[] = [];
  for (const [name, { meta, value }] of joined) {
    const p: LiveParameter = {
      ...meta,
      value: new ParameterValue(value.value, meta.type === 'SecureString'),
      tags: {},
    };
    parameters.set(name, p);
    const known = tagged?.get(name);
    if (known) p.tags = known;
    else if (!tagged) {
      // No tagging API listing (denied, or a by-name read): ask per name.
      lookups.push(
        gate.run(async () => {
          p.tags = await step(store, `ListTagsForResource ${name}`, () => store.listTags(name));
        }),
      );
    }
  }
  await Promise.all(lookups);
  const inventory: RegionInventory = { region: store.region, parameters };
  const account = await store.account();
  if (account) inventory.account = account;
  return inventory;
}
