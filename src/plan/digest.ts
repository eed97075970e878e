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
  for (const region of plan.regions) {
    line(['target', region.target, region.region, region.account ?? '', region.error !== undefined]);
    for (const item of region.items) line(itemEffect(item));
  }
  return `sha256:${hash.digest('hex')}`;
}

function messageKey(m: PlanMessage): string[] {
  return [m.code, m.region ?? '', m.replication ?? '', m.name ?? ''];
}

/** The requests of one item, in a fixed shape: absent and empty fields are spelled out. */
function itemEffect(item: PlanItem): unknown[] {
  switch (item.action) {
    case 'delete':
      return ['delete', item.name, item.destinationVersion ?? 0];
    case 'tag':
      return ['tag', item.name, item.destinationVersion ?? 0, tagCalls(item.tags)];
    default:
      return [
        item.action,
        item.name,
        item.sourceName ?? '',
        item.sourceVersion ?? 0,
        item.destinationVersion ?? 0,
        targetFields(item.target),
        tagCalls(item.tags),
      ];
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
