import type { Keyed } from '../keyed.js';
import { keyed } from '../keyed.js';
import type { LiveParameter, RegionInventory } from '../model.js';
import { encodeSyncRecord, recordedDate, SYNC_TAG_KEY, syncInput } from '../plan/sync-record.js';
import type { PlanItem } from '../plan/types.js';
import { mapLimit } from '../rate/limiter.js';
import type { ParameterStore } from '../store/port.js';

const GET_BATCH = 10;

type Retry = (fn: (attempt: number) => Promise<unknown>) => Promise<unknown>;

/** Values read by name at an expected version; a name read at any other version is left out. */
export type ValuesAt = Map<string, string>;

/**
 * GetParameters with decryption for exactly these names, each expected at one version: what apply needs
 * to write (the source's values of the items it writes) and to avoid writing (a replica's value, to see
 * whether it already equals the source's). A name that is gone or at another version is not returned:
 * it was not planned from what is there now.
 */
export async function readValuesAt(
  store: ParameterStore,
  wanted: ReadonlyMap<string, number>,
  retry: Retry,
  /** Told every decrypted SecureString value before anything else sees it (the run's masking). */
  onSecret?: (value: string) => void,
): Promise<ValuesAt> {
  const names = [...wanted.keys()].sort();
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += GET_BATCH) batches.push(names.slice(i, i + GET_BATCH));
  const out: ValuesAt = new Map();
  const results = await mapLimit(batches, 4, (batch) => retry(() => store.getValues(batch, true)));
  for (const found of results as { name: string; type: string; value: string; version: number }[][]) {
    for (const v of found) {
      if (v.type === 'SecureString') onSecret?.(v.value);
      if (wanted.get(v.name) === v.version) out.set(v.name, v.value);
    }
  }
  return out;
}

/** The source names and versions apply must read to write these items (an AMI item writes its AMI). */
export function sourceValuesNeeded(items: readonly PlanItem[], source: RegionInventory): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const item of items) {
    if (item.action === 'tag' || item.action === 'delete' || item.target?.ami !== undefined) continue;
    const name = item.sourceName;
    if (name === undefined || item.sourceVersion === undefined) continue;
    // An inventory that holds the value already (a `--verify values` read) needs no second read.
    if (source.parameters.get(name)?.value) continue;
    wanted.set(name, item.sourceVersion);
  }
  return wanted;
}

/**
 * An update whose only attribute to change is the value, which the plan could not prove equal: apply
 * reads the replica's value, and where it equals the source's, writes the sync record instead of a new
 * version.
 */
export function valueOnly(item: PlanItem): boolean {
  return (
    item.action === 'update' &&
    item.changes.length === 1 &&
    item.changes[0]?.attribute === 'value' &&
    item.destinationVersion !== undefined
  );
}

/**
 * The sync record tag for a replica at `replicaVersion` copied from this item's source, as the plan
 * read it. None when the source's LastModifiedDate is unknown: a record without it would prove nothing.
 */
export function syncRecordTag(
  sourceRegion: string,
  item: PlanItem,
  source: LiveParameter | undefined,
  replicaVersion: number,
): Keyed<string> | undefined {
  const date = recordedDate(source?.lastModifiedDate);
  if (!source || date === undefined || item.sourceVersion === undefined) return undefined;
  const value = encodeSyncRecord({
    sourceVersion: item.sourceVersion,
    sourceDate: date,
    replicaVersion,
    input: syncInput(sourceRegion, source.name, item.target?.ami),
  });
  return keyed([[SYNC_TAG_KEY, value]]);
}
