import { type Keyed, keyed } from '../keyed.js';
import { SYNC_TAG_KEY } from '../manifest/resolve.js';
import { type LiveParameter, ParameterValue, type RegionInventory, tagInterner } from '../model.js';
import { Semaphore } from '../rate/limiter.js';
import type { ParameterMetadata, ParameterStore, ParameterValueRecord, TagListing } from '../store/port.js';

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
  /**
   * `decrypted`: read every value, decrypting SecureStrings (`--verify values`, event-driven runs).
   * Otherwise the read is metadata only (DescribeParameters and tags): no value, no decryption.
   */
  values?: 'decrypted';
  /**
   * Metadata reads: these parameters' values are read all the same, without decryption (aws:ec2:image
   * sources, whose AMI id the ec2-image map translates). Never a SecureString.
   */
  plainValues?: (m: ParameterMetadata) => boolean;
  /**
   * One string per parameter name across the regions read together (readAll passes one): a replica is
   * mostly named like its source, and a 100,000-parameter plan would otherwise hold each name four times.
   */
  internName?: (name: string) => string;
  /** How often a name whose value and metadata disagree on version is re-read before giving up. */
  raceRetries?: number;
  /**
   * By-name reads: take tags from the region-wide tagging listing (⌈tagged/100⌉ calls) instead of one
   * ListTagsForResource per name. Cheaper for many names, but the listing can lag just behind writes.
   */
  tagsFromListing?: boolean;
  /**
   * By-name reads: waits before re-reading names the listing does not show at their current version
   * yet (it usually catches up within a second). Without it, re-reads follow at once.
   */
  sleep?: (ms: number) => Promise<void>;
}

/** First wait before a by-name re-read; doubled each time (0.2 + 0.4 + 0.8 s over the default 3 re-reads). */
const LISTING_BACKOFF_MS = 200;

const GET_BATCH = 10;
/** GetParameters batches queued before the listing waits: four DescribeParameters pages' worth. */
const MAX_BATCHES_AHEAD = 20;

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

const ownName = (name: string) => name;

/** One shared empty tag set for untagged parameters. */
const NO_TAGS: Keyed<string> = Object.freeze(keyed<string>());

/** Which values a read takes, and whether it decrypts them. */
interface ValuePolicy {
  wanted: (m: ParameterMetadata) => boolean;
  decrypt: boolean;
}

function valuePolicy(options: ReadOptions): ValuePolicy {
  if (options.values === 'decrypted') return { wanted: () => true, decrypt: true };
  const plain = options.plainValues;
  // Without decryption a SecureString's Value is its ciphertext: never taken for its value.
  return { wanted: (m) => m.type !== 'SecureString' && plain?.(m) === true, decrypt: false };
}

/**
 * Metadata and values come from different calls and are joined as soon as both are in, so a region is
 * held once (as LiveParameters), not three times (metadata, values, joined). A write between the two
 * reads shows up as a version mismatch (or a name missing on one side): those names stay pending and are
 * read again until both sides agree. A parameter whose value is not wanted is complete with its metadata.
 */
class Joiner {
  readonly live = new Map<string, LiveParameter>();
  readonly pending = new Map<string, ParameterMetadata>();

  constructor(
    private readonly policy: ValuePolicy,
    private readonly internName: (name: string) => string,
  ) {}

  /** True when the caller must read this name's value. */
  addMetadata(m: ParameterMetadata): boolean {
    if (this.live.has(m.name) || this.pending.has(m.name)) return false;
    m.name = this.internName(m.name);
    if (!this.policy.wanted(m)) {
      const live = m as LiveParameter;
      live.tags = NO_TAGS;
      this.live.set(m.name, live);
      return false;
    }
    this.pending.set(m.name, m);
    return true;
  }

  addValues(values: readonly ParameterValueRecord[]): void {
    for (const v of values) {
      const meta = this.pending.get(v.name);
      if (!meta || meta.version !== v.version) continue;
      this.pending.delete(v.name);
      // Completed in place rather than copied: at 100,000 parameters a copy per name is real garbage.
      const live = meta as LiveParameter;
      live.value = new ParameterValue(v.value, meta.type === 'SecureString');
      live.tags = NO_TAGS;
      this.live.set(meta.name, live);
    }
  }

  async settle(store: ParameterStore, retries: number): Promise<void> {
    for (let attempt = 0; this.pending.size > 0; attempt++) {
      const names = [...this.pending.keys()];
      if (attempt >= retries) {
        throw new InventoryError(
          `Reading ${store.region}: ${names.length} parameter(s) kept changing while being read (e.g. ${names[0]}). Re-run when writes have settled.`,
          store.region,
        );
      }
      this.pending.clear();
      for (const m of await step(store, 'DescribeParameters', () => store.describeNames(names))) {
        m.name = this.internName(m.name);
        this.pending.set(m.name, m);
      }
      for (let i = 0; i < names.length; i += GET_BATCH) {
        const batch = names.slice(i, i + GET_BATCH);
        const values = await step(store, 'GetParameters', () => store.getValues(batch, this.policy.decrypt));
        this.addValues(values);
      }
      // A name with no metadata now was deleted meanwhile: absent is the current state.
    }
  }
}

/**
 * Reads every parameter under `paths` (and a parameter named exactly like a path): metadata from
 * DescribeParameters (50 a page), tags from one region-wide tagging API listing (100 a page), and, only
 * where `options` asks, values from GetParameters (10 a call) started as each page arrives. Any failure
 * aborts the whole read.
 */
export async function readPaths(
  store: ParameterStore,
  paths: readonly string[],
  options: ReadOptions = {},
): Promise<RegionInventory> {
  const gate = new Semaphore(options.concurrency ?? 4);
  const policy = valuePolicy(options);
  const joiner = new Joiner(policy, options.internName ?? ownName);
  // Value reads run while the listing goes on. The first failure is kept (and stops the listing), so no
  // rejection is ever left unobserved and no partial result survives.
  let failure: unknown;
  let inFlight = 0;
  // Every listing (one per path) may be waiting at once, plus the final drain.
  const waiters = new Set<() => void>();
  const fetchValues = (names: string[]) => {
    for (let i = 0; i < names.length; i += GET_BATCH) {
      const batch = names.slice(i, i + GET_BATCH);
      inFlight++;
      gate
        .run(() => step(store, 'GetParameters', () => store.getValues(batch, policy.decrypt)))
        .then((v) => joiner.addValues(v))
        .catch((error: unknown) => {
          failure ??= error;
        })
        .finally(() => {
          inFlight--;
          for (const wake of [...waiters]) wake();
        });
    }
  };
  const below = (limit: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (inFlight > limit) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  // Backpressure: the listing runs at most a few pages ahead of the value reads (values are the slower
  // quota: 40 calls/s of 10 names against 10 pages/s of 50), so a 100,000-parameter path is never held
  // twice in memory.
  const onPage = async (page: ParameterMetadata[]) => {
    if (failure) throw failure;
    fetchValues(page.filter((m) => joiner.addMetadata(m)).map((m) => m.name));
    await below(MAX_BATCHES_AHEAD);
  };

  const tags = step(store, 'GetResources (tagging API)', () => store.taggedParameters(options.internName));
  tags.catch(() => undefined); // observed below; avoid an unhandled rejection while listings run
  try {
    await Promise.all(
      paths.map((path) =>
        gate.run(() => step(store, `DescribeParameters ${path}`, () => store.describePath(path, onPage))),
      ),
    );
  } finally {
    await below(0);
  }
  if (failure) throw failure;
  // DescribeParameters' Path filter lists what is below a path, not a parameter named like the path.
  // Asked by name; those whose value is wanted are read with the names still pending, just below.
  const exact = paths.filter((p) => !joiner.live.has(p) && !joiner.pending.has(p));
  if (exact.length > 0) {
    const found = await step(store, 'DescribeParameters', () => store.describeNames(exact));
    for (const m of found) joiner.addMetadata(m);
  }
  await joiner.settle(store, options.raceRetries ?? 3);
  return withTags(store, gate, joiner.live, await tags);
}

async function readExact(
  store: ParameterStore,
  gate: Semaphore,
  names: string[],
  decrypt: boolean,
): Promise<ParameterValueRecord[]> {
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += GET_BATCH) batches.push(names.slice(i, i + GET_BATCH));
  const results = await Promise.all(
    batches.map((batch) =>
      gate.run(() => step(store, 'GetParameters', () => store.getValues(batch, decrypt))),
    ),
  );
  return results.flat();
}

/**
 * Reads just these names (the event-driven path and apply's verification). GetParameters answers by name
 * and sees a write at once, so it decides what exists and at which version (without decryption unless
 * `options.values` asks: the version is all a metadata read needs from it); DescribeParameters, asked
 * only for the names that exist, adds the metadata nothing else gives (tier, policies, description, key
 * id, LastModifiedDate). The listing is
 * eventually consistent ("returned on a best-effort basis",
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html): when it
 * does not show the version GetParameters returned, the metadata is not that version's, so the read is
 * incomplete and fails rather than plan from a guess. Names that do not exist are not in the result.
 */
export async function readNames(
  store: ParameterStore,
  names: readonly string[],
  options: ReadOptions = {},
): Promise<RegionInventory> {
  const gate = new Semaphore(options.concurrency ?? 4);
  const policy = valuePolicy(options);
  const internName = options.internName ?? ownName;
  const live = new Map<string, LiveParameter>();
  let wanted = [...new Set(names)];
  let behind: { name: string; version: number; listed: number | undefined }[] = [];
  for (let attempt = 0; wanted.length > 0; attempt++) {
    if (attempt > (options.raceRetries ?? 3)) throw listingBehind(store, behind);
    if (attempt > 0) await options.sleep?.(LISTING_BACKOFF_MS * 2 ** (attempt - 1));
    const values = await readExact(store, gate, wanted, policy.decrypt);
    const listed = new Map<string, ParameterMetadata>();
    if (values.length > 0) {
      const found = values.map((v) => v.name);
      for (const m of await step(store, 'DescribeParameters', () => store.describeNames(found)))
        listed.set(m.name, m);
    }
    behind = [];
    for (const v of values) {
      const meta = listed.get(v.name);
      if (meta?.version !== v.version) {
        // Listed behind: the listing lags. Listed ahead: a write landed between the two reads.
        behind.push({ name: v.name, version: v.version, listed: meta?.version });
        continue;
      }
      const p = meta as LiveParameter;
      if (policy.wanted(meta)) p.value = new ParameterValue(v.value, meta.type === 'SecureString');
      p.tags = NO_TAGS;
      p.name = internName(p.name);
      live.set(p.name, p);
    }
    // A name GetParameters did not return does not exist now: absent is its current state.
    wanted = behind.map((b) => b.name);
  }
  const tagged = options.tagsFromListing
    ? await step(store, 'GetResources (tagging API)', () => store.taggedParameters(internName))
    : undefined;
  return withTags(store, gate, live, tagged);
}

function listingBehind(
  store: ParameterStore,
  behind: readonly { name: string; version: number; listed: number | undefined }[],
): InventoryError {
  const first = behind[0] as (typeof behind)[number];
  const shown = first.listed === undefined ? 'does not list it yet' : `lists version ${first.listed}`;
  return new InventoryError(
    `Reading ${store.region}: DescribeParameters does not agree with GetParameters on ${behind.length} parameter(s) (e.g. ${first.name}: GetParameters returned version ${first.version}, DescribeParameters ${shown}); the listing lags behind recent writes. Nothing was planned from an incomplete read; retry shortly.`,
    store.region,
  );
}

/**
 * Tags from the region-wide listing (already one object per distinct set: the adapter interns them) or,
 * without a listing, asked per name and interned here the same way. The sync record is taken out of the
 * tags into `syncRecord` either way: it is distinct per replica, and would make every tag set distinct.
 */
async function withTags(
  store: ParameterStore,
  gate: Semaphore,
  parameters: Map<string, LiveParameter>,
  tagged: TagListing | undefined,
): Promise<RegionInventory> {
  const lookups: Promise<void>[] = [];
  const intern = tagInterner();
  for (const [name, p] of parameters) {
    if (tagged) {
      const known = tagged.tags.get(name);
      if (known) p.tags = known; // already one object per distinct set (the adapter interns)
      const record = tagged.syncRecords.get(name);
      if (record !== undefined) p.syncRecord = record;
      continue;
    }
    lookups.push(
      gate.run(async () => {
        const tags = await step(store, `ListTagsForResource ${name}`, () => store.listTags(name));
        const record = tags[SYNC_TAG_KEY];
        if (Object.hasOwn(tags, SYNC_TAG_KEY) && record !== undefined) {
          p.syncRecord = record;
          delete tags[SYNC_TAG_KEY];
        }
        p.tags = intern(tags);
      }),
    );
  }
  await Promise.all(lookups);
  const inventory: RegionInventory = { region: store.region, parameters };
  const account = await store.account();
  if (account) inventory.account = account;
  return inventory;
}
