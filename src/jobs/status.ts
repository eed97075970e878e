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
  /**
   * Parameters without the ownership tag at a name this replication writes from an existing source
   * (no `adopt`): never written, so never proven equal to their source. Out of sync.
   */
  unmanaged: number;
  /**
   * Parameters without the ownership tag under the replicated paths that no existing source maps to (or
   * whose source is excluded): not a copy of anything, so left alone, and not drift.
   */
  local: number;
}

export function statusRows(manifest: Manifest, plan: Plan): StatusRow[] {
  const rows: StatusRow[] = [];
  const byTarget = new Map(plan.regions.map((r) => [r.target, r]));
  for (const target of targets(manifest)) {
    const region = byTarget.get(target.key);
    const conflicts = new Set(region?.unmanagedConflicts);
    for (const { replication, destination } of target.routes) {
      const row: StatusRow = {
        region: target.region,
        target: target.key,
        replication: replication.name,
        inSync: region ? (ownValue(region.inSync, replication.name) ?? 0) : 0,
        drifted: 0,
        missing: 0,
        unmanaged: 0,
        local: 0,
      };
      if (region?.error) row.failed = region.error;
      const covers = (name: string) =>
        replication.paths.some((p) => underPath(name, rewriteName(destination, p)));
      for (const item of region?.items ?? []) {
        if (item.replication !== replication.name) continue;
        if (item.action === 'create') row.missing++;
        else row.drifted++;
      }
      for (const name of region?.unmanaged ?? []) {
        if (!covers(name)) continue;
        if (conflicts.has(name)) row.unmanaged++;
        else row.local++;
      }
      rows.push(row);
    }
  }
  return rows;
}

/** Green only when nothing differs, nothing is missing or unreadable, and no unmanaged name stands in for a replica. */
export function rowInSync(row: StatusRow): boolean {
  return !row.failed && row.drifted === 0 && row.missing === 0 && row.unmanaged === 0;
}

export function inSync(rows: readonly StatusRow[]): boolean {
  return rows.every(rowInSync);
}

/**
 * What `drift` and `status` exit 0 on: every row in sync and nothing blocked. A blocker (a replica another
 * manifest owns, a missing key) can hold a difference no row counts, and apply would refuse it.
 */
export function converged(manifest: Manifest, plan: Plan): boolean {
  return plan.blockers.length === 0 && inSync(statusRows(manifest, plan));
}
