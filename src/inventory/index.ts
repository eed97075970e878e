import type { Manifest } from '../manifest/types.js';
import { type RegionInventory, stringInterner } from '../model.js';
import { EC2_IMAGE_DATA_TYPE } from '../plan/desired.js';
import type { KeyLookup } from '../plan/keys.js';
import { replicates, rewriteName, sourcePaths, type Target, targets } from '../plan/names.js';
import type { ParameterStore, StoreFactory } from '../store/port.js';
import { lookUpKeys } from './keys.js';
import { InventoryError, type ReadOptions, readNames, readPaths } from './read.js';

export { InventoryError } from './read.js';

export interface Inventories {
  source: RegionInventory;
  destinations: Map<string, RegionInventory>;
  /** Targets that could not be read, with why; the plan reports them and applies nothing there. */
  failures: Map<string, InventoryError>;
  /**
   * What DescribeKey said per target and key reference: for the planner's key comparison and its
   * preflight (see inventory/keys.ts for which references are asked). Undefined: not asked.
   */
  keys: (targetKey: string, keyRef: string) => KeyLookup | undefined;
  stores: Map<string, ParameterStore>;
  sourceStore: ParameterStore;
}

export interface ReadAllOptions extends Omit<ReadOptions, 'plainValues'> {
  /**
   * `decrypted`: the source's values are read (and decrypted) with its metadata, the destinations' are
   * not: an event-driven apply writes what it reads, so one read serves both (see `values` for both).
   */
  sourceValues?: 'decrypted';
  /** Event-driven runs: read only these source names and their replicas. */
  names?: readonly string[];
  /**
   * A source read already made (apply's verification re-reads only the destinations it wrote to, and
   * checks them against the source it planned from).
   */
  source?: RegionInventory;
  /**
   * false: ask KMS only to tell key references apart, not to preflight the keys writes would use (apply's
   * verification re-plan, which writes nothing and follows apply's own key check).
   */
  checkKeys?: boolean;
}

function asInventoryError(error: unknown, region: string): InventoryError {
  return error instanceof InventoryError
    ? error
    : new InventoryError(`Reading ${region} failed: ${(error as Error).message}`, region, { cause: error });
}

/**
 * Reads the source and every destination target concurrently. A source that cannot be read fails the
 * whole read (nothing can be planned); a destination that cannot be read is reported in `failures` so the
 * other regions can still be planned and applied.
 */
export async function readAll(
  manifest: Manifest,
  storeFor: StoreFactory,
  options: ReadAllOptions = {},
): Promise<Inventories> {
  const sourceStore = storeFor({
    region: manifest.source.region,
    ...(manifest.source.roleArn ? { roleArn: manifest.source.roleArn } : {}),
  });
  const list = targets(manifest);
  const stores = new Map(list.map((t) => [t.key, storeFor(t)]));
  const names = options.names;
  // The ec2-image map translates the source's AMI id: those values (never secret) are read even when
  // nothing else is.
  const maps = manifest.replications.some((r) => r.destinations.some((d) => d.ec2Image.mode === 'map'));
  const internName = stringInterner();
  const sourceOptions: ReadOptions = {
    ...options,
    internName,
    ...(options.sourceValues ? { values: options.sourceValues } : {}),
    ...(maps ? { plainValues: (m) => m.dataType === EC2_IMAGE_DATA_TYPE } : {}),
  };
  const sourceRead = options.source
    ? Promise.resolve(options.source)
    : names
      ? readNames(sourceStore, names, sourceOptions)
      : readPaths(sourceStore, sourcePaths(manifest), sourceOptions);
  const destinations = new Map<string, RegionInventory>();
  const failures = new Map<string, InventoryError>();
  const keys = new Map<string, KeyLookup>();

  const destReads = list.map(async (target) => {
    const store = stores.get(target.key) as ParameterStore;
    try {
      const inventory = names
        ? await readNames(store, destinationNames(target, names), { ...options, internName })
        : await readPaths(store, target.paths, { ...options, internName });
      destinations.set(target.key, inventory);
      // The keys a write would use depend on the source (its types, its multi-Region keys).
      const wanted = options.checkKeys === false ? undefined : await sourceRead;
      await lookUpKeys(target, store, wanted, inventory, keys);
    } catch (error) {
      failures.set(target.key, asInventoryError(error, target.region));
    }
  });
  const [source] = await Promise.all([sourceRead, ...destReads]);
  return {
    source,
    destinations,
    failures,
    keys: (targetKey, keyRef) => keys.get(`${targetKey}\n${keyRef}`),
    stores,
    sourceStore,
  };
}

/** The destination names the given source names map to in this target. */
function destinationNames(target: Target, names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const { replication, destination } of target.routes) {
    for (const name of names) if (replicates(replication, name)) out.add(rewriteName(destination, name));
  }
  return [...out];
}
