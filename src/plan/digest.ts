import { createHash } from 'node:crypto';
import type { Plan, PlanItem, PlanMessage, ReplicaTarget, TagChanges } from './types.js';

/**
 * The plan's fingerprint: everything apply would send, taken from what the plan shows. Per destination
 * (target, region, account, whether it could be read): every PutParameter's name and attributes
 * (`target`: type, tier, data type, KMS key after mapping, description, pattern, policies, AMI), the
 * tag calls, the deletes, and the blockers that stop apply. Values never enter it, not even hashed — a
 * hash of a short secret is a secret. Versions stand in for them: a write copies the source's value at
 * `sourceVersion` over the replica at `destinationVersion`, and any write to either bumps its version.
 *
 * Left out on purpose, because apply sends nothing for them: warnings, the unmanaged list, the display
 * fields (reasons, from/to of `changes`) and the source version of a tag-only item. So a plan made
 * without reading values and the apply that reads them agree on the digest.
 */
export function planDigest(plan: Omit<Plan, 'digest'>): string {
  const hash = createHash('sha256');
  const line = (fields: unknown[]) => hash.update(`${JSON.stringify(fields)}\n`);
  line(['ssm-replicate plan', plan.formatVersion, plan.sourceRegion, plan.scope]);
  for (const blocker of plan.blockers) line(['blocker', ...messageKey(blocker)]);
  const encoded = encoder();
  for (const region of plan.regions) {
    line(['target', region.target, region.region, region.account ?? '', region.error !== undefined]);
    for (const item of region.items) hash.update(`${itemEffect(item, encoded)}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

function messageKey(m: PlanMessage): string[] {
  return [m.code, m.region ?? '', m.replication ?? '', m.name ?? ''];
}

/**
 * JSON of a target or tag change set, once per object: the planner shares one object between the many
 * items with equal content, so a 300,000-write plan encodes a few of them, not 300,000.
 */
function encoder() {
  const seen = new WeakMap<object, string>();
  return <T extends object>(value: T | undefined, encode: (v: T | undefined) => unknown[]): string => {
    if (value === undefined) return JSON.stringify(encode(undefined));
    let json = seen.get(value);
    if (json === undefined) {
      json = JSON.stringify(encode(value));
      seen.set(value, json);
    }
    return json;
  };
}

/** The requests of one item as a JSON array, in a fixed shape: absent and empty fields are spelled out. */
function itemEffect(item: PlanItem, encoded: ReturnType<typeof encoder>): string {
  const tags = encoded(item.tags, tagCalls);
  switch (item.action) {
    case 'delete':
      return JSON.stringify(['delete', item.name, item.destinationVersion ?? 0]);
    case 'tag':
      return `[${JSON.stringify(['tag', item.name, item.destinationVersion ?? 0]).slice(1, -1)},${tags}]`;
    default: {
      const head = JSON.stringify([
        item.action,
        item.name,
        item.sourceName ?? '',
        item.sourceVersion ?? 0,
        item.destinationVersion ?? 0,
      ]);
      return `[${head.slice(1, -1)},${encoded(item.target, targetFields)},${tags}]`;
    }
  }
}

function targetFields(t: ReplicaTarget | undefined): unknown[] {
  if (!t) return [];
  return [
    t.type,
    t.tier,
    t.dataType,
    t.keyId ?? null,
    t.description ?? null,
    t.allowedPattern ?? null,
    t.policies,
    t.ami ?? null,
  ];
}

/** Tags set (added or changed, with their new value) and keys removed, each sorted. */
function tagCalls(tags: TagChanges | undefined): unknown[] {
  if (!tags) return [[], []];
  const set = new Map<string, string>(Object.entries(tags.add));
  for (const [key, change] of Object.entries(tags.change)) set.set(key, change.to);
  return [[...set].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), [...tags.remove].sort()];
}
