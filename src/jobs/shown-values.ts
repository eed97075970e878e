import type { Inventories } from '../inventory/index.js';
import { shownValue } from '../plan/diff.js';
import type { AttributeChange, Plan, PlanItem } from '../plan/types.js';
import type { ParameterStore } from '../store/port.js';

const GET_BATCH = 10;

/** Names and the version each was planned at, for one store. */
type Wanted = Map<string, number>;

/**
 * `value-display: non-secret`: the old and new values of the items the plan shows as changing, read
 * without decryption and only for String and StringList on both sides (never a SecureString, nor a
 * value a SecureString replaces or is replaced by). A value read at another version than the plan's is
 * not shown. Display only: reasons and from/to are outside the digest, so the plan's effect is unchanged.
 */
export async function showValues(plan: Plan, inventories: Inventories): Promise<void> {
  const source = inventories.source.parameters;
  const fromSource: Wanted = new Map();
  const fromReplicas = new Map<string, Wanted>();
  const shown: { target: string; item: PlanItem; index: number }[] = [];
  for (const region of plan.regions) {
    const replicas = inventories.destinations.get(region.target)?.parameters;
    for (const item of region.items) {
      const index = item.changes.findIndex((c) => c.attribute === 'value');
      const change = item.changes[index];
      if (!change || change.to !== undefined || item.sourceName === undefined) continue;
      const src = source.get(item.sourceName);
      const replica = item.action === 'update' ? replicas?.get(item.name) : undefined;
      if (item.type === 'SecureString' || (src?.type !== 'String' && src?.type !== 'StringList')) continue;
      if (replica?.type === 'SecureString' || item.target?.ami !== undefined) continue;
      fromSource.set(item.sourceName, src.version);
      if (replica) {
        const list = fromReplicas.get(region.target) ?? new Map<string, number>();
        list.set(item.name, replica.version);
        fromReplicas.set(region.target, list);
      }
      shown.push({ target: region.target, item, index });
    }
  }
  if (shown.length === 0) return;
  const [sourceValues, ...replicaValues] = await Promise.all([
    readPlain(inventories.sourceStore, fromSource),
    ...[...fromReplicas].map(async ([target, wanted]) => {
      const store = inventories.stores.get(target);
      return [target, store ? await readPlain(store, wanted) : new Map()] as const;
    }),
  ]);
  const byTarget = new Map(replicaValues);
  for (const { target, item, index } of shown) {
    const to = sourceValues.get(item.sourceName as string);
    if (to === undefined) continue;
    const from = item.action === 'update' ? byTarget.get(target)?.get(item.name) : undefined;
    const change: AttributeChange = { ...(item.changes[index] as AttributeChange), to: shownValue(to) };
    if (from !== undefined) change.from = shownValue(from);
    // A copy: creates share one frozen change list (plan.ts interner).
    item.changes = item.changes.map((c, i) => (i === index ? change : c));
  }
}

/** Values for display: a read that fails shows nothing rather than failing the plan it decorates. */
async function readPlain(store: ParameterStore, wanted: Wanted): Promise<Map<string, string>> {
  const names = [...wanted.keys()];
  const out = new Map<string, string>();
  try {
    for (let i = 0; i < names.length; i += GET_BATCH) {
      for (const v of await store.getValues(names.slice(i, i + GET_BATCH), false)) {
        if (wanted.get(v.name) === v.version && v.type !== 'SecureString') out.set(v.name, v.value);
      }
    }
  } catch {
    return new Map();
  }
  return out;
}
