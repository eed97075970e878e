import type { Plan, PlanItem, ReplicaTarget } from './types.js';

function key(region: string, item: PlanItem): string {
  return `${region} ${item.action} ${item.name}`;
}

function describe(item: PlanItem): string {
  const attrs = item.changes.map((c) => c.attribute).join(', ');
  const versions = `source v${item.sourceVersion ?? '-'}, replica v${item.destinationVersion ?? '-'}`;
  return attrs ? `${versions}; ${attrs}` : versions;
}

const TARGET_FIELDS: readonly (keyof ReplicaTarget)[] = [
  'type',
  'tier',
  'dataType',
  'keyId',
  'description',
  'allowedPattern',
  'policies',
  'ami',
];

function shownField(t: ReplicaTarget | undefined, field: keyof ReplicaTarget): string {
  const v = t?.[field];
  return v === undefined ? '(none)' : Array.isArray(v) ? `[${v.join(', ')}]` : v;
}

/** The attributes a write would send differently now: none of them is ever a value. */
function targetDifferences(old: PlanItem, now: PlanItem): string[] {
  const out: string[] = [];
  for (const field of TARGET_FIELDS) {
    const a = shownField(old.target, field);
    const b = shownField(now.target, field);
    if (a !== b) out.push(`${field} reviewed ${a}, now ${b}`);
  }
  return out;
}

/**
 * What differs between the reviewed plan and the one live state gives now, as lines a reviewer can read:
 * items that appeared, disappeared or were computed from other versions. Values never appear.
 */
export function comparePlans(reviewed: Plan, current: Plan): string[] {
  const before = new Map<string, PlanItem>();
  const after = new Map<string, PlanItem>();
  for (const r of reviewed.regions) for (const i of r.items) before.set(key(r.region, i), i);
  for (const r of current.regions) for (const i of r.items) after.set(key(r.region, i), i);
  const lines: string[] = [];
  for (const [k, item] of after) {
    const old = before.get(k);
    if (!old) {
      lines.push(`+ ${k} (not in the reviewed plan)`);
      continue;
    }
    const targets = targetDifferences(old, item);
    if (targets.length > 0) lines.push(`~ ${k}: ${targets.join('; ')}`);
    else if (describe(old) !== describe(item) || JSON.stringify(old.tags) !== JSON.stringify(item.tags))
      lines.push(`~ ${k}: reviewed ${describe(old)}; now ${describe(item)}`);
  }
  for (const k of before.keys()) if (!after.has(k)) lines.push(`- ${k} (reviewed, no longer planned)`);
  const blockersBefore = reviewed.blockers.map((b) => b.code).join(',');
  const blockersNow = current.blockers.map((b) => b.code).join(',');
  if (blockersBefore !== blockersNow)
    lines.push(`! blockers: reviewed [${blockersBefore}], now [${blockersNow}]`);
  for (const r of current.regions) if (r.error) lines.push(`! ${r.region} cannot be read now: ${r.error}`);
  return lines.sort();
}
