import { ownValue } from '../keyed.js';
import type { Manifest } from '../manifest/types.js';
import { rewriteName, targets, underPath } from '../plan/names.js';
import type { Plan } from '../plan/types.js';

/** Replica status per destination region and replication (the Secrets Manager replica-status idea). */
export interface StatusRow {
  region: string;
  target: string;
  replication: string;
  inSync: number;
  /** Replicas that exist but differ (value, attributes, tags) or should be gone. */
  drifted: number;
  /** Source parameters with no replica yet. */
  missing: number;
  /** Set when the region could not be read: nothing is known about it. */
  failed?: string;
  /** Parameters under the replicated paths that are not ours. */
  unmanaged: number;
}

export function statusRows(manifest: Manifest, plan: Plan): StatusRow[] {
  const rows: StatusRow[] = [];
  const byTarget = new Map(plan.regions.map((r) => [r.target, r]));
  for (const target of targets(manifest)) {
    const region = byTarget.get(target.key);
    for (const { replication, destination } of target.routes) {
      const row: StatusRow = {
        region: target.region,
        target: target.key,
        replication: replication.name,
        inSync: region ? (ownValue(region.inSync, replication.name) ?? 0) : 0,
        drifted: 0,
        missing: 0,
        unmanaged: 0,
      };
      if (region?.error) row.failed = region.error;
      const covers = (name: string) =>
        replication.paths.some((p) => underPath(name, rewriteName(destination, p)));
      for (const item of region?.items ?? []) {
        if (item.replication !== replication.name) continue;
        if (item.action === 'create') row.missing++;
        else row.drifted++;
      }
      for (const name of region?.unmanaged ?? []) if (covers(name)) row.unmanaged++;
      rows.push(row);
    }
  }
  return rows;
}

export function inSync(rows: readonly StatusRow[]): boolean {
  return rows.every((r) => !r.failed && r.drifted === 0 && r.missing === 0);
}
