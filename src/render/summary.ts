import type { Plan, PlanAction, RegionPlan } from '../plan/types.js';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** terraform's line names every counter; `omitZero` leaves out the ones that are 0 (the PR comment). */
function countsLine(c: Record<PlanAction, number>, omitZero = false): string {
  const parts: [number, string][] = [
    [c.create, `${c.create} to create`],
    [c.update, `${c.update} to update`],
    [c.tag, plural(c.tag, 'tag change')],
    [c.replace, `${c.replace} to replace`],
    [c.delete, `${c.delete} to delete`],
  ];
  return parts
    .filter(([n]) => !omitZero || n > 0)
    .map(([, s]) => s)
    .join(', ');
}

function readableRegions(plan: Plan): RegionPlan[] {
  return plan.regions.filter((r) => r.error === undefined);
}

/**
 * The one-line summary for outputs, comment headers and the top of every rendering:
 * "3 to create, 1 to update, 2 tag changes, 0 to replace, 0 to delete in 2 regions", or
 * "No changes. 12 replicas in sync in 2 regions." Unreadable regions are always mentioned, since
 * "no changes" there means "not looked at".
 */
export function summarize(plan: Plan): string {
  return summaryOf(plan, false);
}

/**
 * The same summary with zero counters left out, for what a reviewer reads (the PR comment, Markdown
 * renderings): "3 to create, 1 to delete in 2 regions".
 */
export function briefSummary(plan: Plan): string {
  return summaryOf(plan, true);
}

function summaryOf(plan: Plan, omitZero: boolean): string {
  const s = plan.summary;
  const total = s.creates + s.updates + s.tagChanges + s.replaces + s.deletes;
  const failed = plan.regions.length - readableRegions(plan).length;
  const unreadable = failed > 0 ? `; ${plural(failed, 'region')} could not be read` : '';
  if (total === 0) {
    const inSync = readableRegions(plan).length;
    // "No changes" about regions not looked at would read as proof that they are equal.
    if (inSync === 0 && failed > 0) return `Nothing planned: ${plural(failed, 'region')} could not be read.`;
    return `No changes. ${plural(s.unchanged, 'replica')} in sync in ${plural(inSync, 'region')}${unreadable}.`;
  }
  const counts = countsLine(
    {
      create: s.creates,
      update: s.updates,
      tag: s.tagChanges,
      replace: s.replaces,
      delete: s.deletes,
    },
    omitZero,
  );
  return `${counts} in ${plural(s.regions, 'region')}${unreadable}`;
}

/** Per-region counts of the actions that occur, e.g. "2 to create, 1 tag change". */
export function regionCounts(region: RegionPlan): string {
  const c: Record<PlanAction, number> = { create: 0, update: 0, tag: 0, replace: 0, delete: 0 };
  for (const item of region.items) c[item.action]++;
  const parts: string[] = [];
  if (c.create) parts.push(`${c.create} to create`);
  if (c.update) parts.push(`${c.update} to update`);
  if (c.tag) parts.push(plural(c.tag, 'tag change'));
  if (c.replace) parts.push(`${c.replace} to replace`);
  if (c.delete) parts.push(`${c.delete} to delete`);
  if (region.unchanged) parts.push(`${region.unchanged} in sync`);
  if (region.unmanaged.length) parts.push(`${region.unmanaged.length} unmanaged`);
  if (region.foreign?.length) parts.push(`${region.foreign.length} owned by other manifests`);
  return parts.join(', ') || 'nothing to do';
}

/** "us-east-1 (123456789012)", or the role when no account is known, so two targets in one region differ. */
export function regionLabel(region: RegionPlan): string {
  if (region.account) return `${region.region} (${region.account})`;
  if (region.target !== region.region && region.target.startsWith(`${region.region}|`))
    return `${region.region} (${region.target.slice(region.region.length + 1)})`;
  return region.region;
}

/** A region with nothing to show beyond its in-sync count. */
export function isQuiet(region: RegionPlan): boolean {
  return region.error === undefined && region.items.length === 0 && region.unmanaged.length === 0;
}

export const MORE_HINT = 'see the full plan in the job summary or the JSON plan';
