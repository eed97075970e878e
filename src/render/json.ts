import { keyed } from '../keyed.js';
import type {
  AttributeChange,
  Plan,
  PlanItem,
  PlanMessage,
  PlanSummary,
  RegionPlan,
  ReplicaTarget,
  TagChanges,
} from '../plan/types.js';
import { visibleChanges } from './redact.js';

/*
 * Key order of every object in the JSON plan: the declaration order of src/plan/types.ts. `satisfies`
 * makes the compiler fail here when a field is added to or removed from a plan type, and the schema
 * test compares these lists with schemas/plan.schema.json, so the type, the JSON and the schema move together.
 */
export const PLAN_KEYS = {
  formatVersion: true,
  sourceRegion: true,
  scope: true,
  digest: true,
  summary: true,
  blockers: true,
  warnings: true,
  regions: true,
} as const satisfies Record<keyof Plan, true>;
export const SUMMARY_KEYS = {
  creates: true,
  updates: true,
  tagChanges: true,
  replaces: true,
  deletes: true,
  unchanged: true,
  regions: true,
} as const satisfies Record<keyof PlanSummary, true>;
export const MESSAGE_KEYS = {
  code: true,
  message: true,
  region: true,
  replication: true,
  name: true,
} as const satisfies Record<keyof PlanMessage, true>;
export const REGION_KEYS = {
  target: true,
  region: true,
  account: true,
  items: true,
  unchanged: true,
  inSync: true,
  unmanaged: true,
  unmanagedConflicts: true,
  unmanagedModified: true,
  foreign: true,
  error: true,
} as const satisfies Record<keyof RegionPlan, true>;
export const ITEM_KEYS = {
  action: true,
  name: true,
  sourceName: true,
  replication: true,
  type: true,
  tier: true,
  sourceVersion: true,
  destinationVersion: true,
  changes: true,
  target: true,
  tags: true,
  reason: true,
  replicaModified: true,
} as const satisfies Record<keyof PlanItem, true>;
export const TARGET_KEYS = {
  type: true,
  tier: true,
  dataType: true,
  keyId: true,
  description: true,
  allowedPattern: true,
  policies: true,
  ami: true,
} as const satisfies Record<keyof ReplicaTarget, true>;
export const CHANGE_KEYS = {
  attribute: true,
  reason: true,
  from: true,
  to: true,
} as const satisfies Record<keyof AttributeChange, true>;
export const TAG_KEYS = { add: true, change: true, remove: true } as const satisfies Record<
  keyof TagChanges,
  true
>;

/** A copy of `obj` with only the listed keys, in the listed order; absent (undefined) ones left out. */
function pick<T extends object>(obj: T, order: Record<keyof T, true>): T {
  const out: Record<string, unknown> = {};
  const source = obj as Record<string, unknown>;
  for (const key of Object.keys(order)) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out as T;
}

/** Keys from outside (tag keys, replication names) stay keys: `__proto__` is written like any other. */
function sortedRecord<V>(record: Record<string, V>): Record<string, V> {
  return keyed(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function orderItem(item: PlanItem): PlanItem {
  const out = pick(item, ITEM_KEYS);
  out.changes = visibleChanges(item).map((c) => pick(c, CHANGE_KEYS));
  if (item.target) out.target = { ...pick(item.target, TARGET_KEYS), policies: [...item.target.policies] };
  if (item.tags) {
    const tags = pick(item.tags, TAG_KEYS);
    tags.add = sortedRecord(item.tags.add);
    tags.change = sortedRecord(item.tags.change);
    for (const [key, change] of Object.entries(tags.change))
      tags.change[key] = { from: change.from, to: change.to };
    out.tags = tags;
  }
  return out;
}

function orderRegion(region: RegionPlan): RegionPlan {
  const out = pick(region, REGION_KEYS);
  out.items = region.items.map(orderItem);
  out.inSync = sortedRecord(region.inSync);
  return out;
}

/** The plan as a fresh object in canonical key order, with SecureString values dropped again (defence in depth). */
export function canonicalPlan(plan: Plan): Plan {
  const out = pick(plan, PLAN_KEYS);
  out.summary = pick(plan.summary, SUMMARY_KEYS);
  out.blockers = plan.blockers.map((m) => pick(m, MESSAGE_KEYS));
  out.warnings = plan.warnings.map((m) => pick(m, MESSAGE_KEYS));
  out.regions = plan.regions.map(orderRegion);
  return out;
}

/**
 * The plan file (`--out plan.json`, the Action's `plan-file`): stable key order so equal plans give
 * byte-equal files, 2-space indent, trailing newline. Described by schemas/plan.schema.json.
 */
export function renderJson(plan: Plan): string {
  return `${JSON.stringify(canonicalPlan(plan), null, 2)}\n`;
}
