import { createHash } from 'node:crypto';
import type { Plan, PlanItem } from './types.js';

/**
 * The plan's fingerprint: names, actions, changed attribute names, tag changes and the source and
 * destination versions each item was computed from. Values never enter it, not even hashed — a hash
 * of a short secret is a secret. Versions stand in for values: any write to a source or a replica bumps
 * its version, so a changed value always changes the digest.
 */
export function planDigest(plan: Omit<Plan, 'digest'>): string {
  const hash = createHash('sha256');
  hash.update(`ssm-replicate plan v${plan.formatVersion}\n${plan.sourceRegion}\n${plan.scope}\n`);
  for (const blocker of plan.blockers) hash.update(`blocker ${blocker.code} ${blocker.region ?? ''}\n`);
  for (const region of plan.regions) {
    hash.update(`region ${region.region} ${region.account ?? ''} ${region.error ? 'unreadable' : ''}\n`);
    for (const item of region.items) hash.update(`${itemLine(item)}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

function itemLine(item: PlanItem): string {
  const attributes = item.changes.map((c) => c.attribute).join(',');
  const tags = item.tags ? JSON.stringify([item.tags.add, item.tags.change, item.tags.remove]) : '';
  return JSON.stringify([
    item.action,
    item.name,
    item.sourceName ?? '',
    item.sourceVersion ?? 0,
    item.destinationVersion ?? 0,
    item.type,
    item.tier ?? '',
    attributes,
    tags,
  ]);
}
