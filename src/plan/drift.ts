import type { Plan, PlanItem, ReplicaModified } from './types.js';

/**
 * How a destination differs from what the manifest wants, in the words an on-call engineer acts on:
 * - value: the replica's value differs (or could not be proven equal) from its source's;
 * - attributes: type, tier, KMS key, description, pattern, policies or data type differ, not the value;
 * - tags: only tags differ;
 * - missing: the source has it, the destination does not;
 * - unexpected: a replica we own whose source is gone;
 * - unmanaged: a parameter without our ownership tag at a name a source is replicated to, which
 *   ssm-replicate never touches (unless adopted) and so cannot keep equal to its source. One whose source
 *   does not exist is local to its region, not drift.
 */
export type DriftKind = 'value' | 'attributes' | 'tags' | 'missing' | 'unexpected' | 'unmanaged';

export const DRIFT_KINDS: readonly DriftKind[] = [
  'value',
  'attributes',
  'tags',
  'missing',
  'unexpected',
  'unmanaged',
];

export interface DriftFinding {
  /** The destination target (region, plus `|role-arn` when reached through a role). */
  target: string;
  region: string;
  account?: string;
  /** Name in the destination. */
  name: string;
  /** Absent for unmanaged names, which no replication item covers. */
  replication?: string;
  kind: DriftKind;
  /**
   * Who last wrote the replica and when, where AWS says so and it bears on the difference: for value and
   * attributes, which a parameter version holds, and for an unmanaged parameter, whose writer is who made it. LastModifiedUser and LastModifiedDate are the latest
   * version's, and tagging writes no version (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html,
   * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html): on a tag
   * difference they would name the last value writer, often ssm-replicate's own apply, not the tag editor;
   * an unexpected replica differs because its source is gone, whoever last wrote it.
   */
  modified?: ReplicaModified;
}

/** The kind of difference one plan item stands for. */
export function driftKind(item: PlanItem): DriftKind {
  switch (item.action) {
    case 'create':
      return 'missing';
    case 'delete':
      return 'unexpected';
    case 'tag':
      return 'tags';
    case 'replace':
      return 'attributes';
    case 'update':
      return item.changes.some((c) => c.attribute === 'value') ? 'value' : 'attributes';
  }
}

/**
 * Every difference a plan shows, region by region in plan order, then the region's unmanaged conflicts.
 * Regions that could not be read carry an error instead and give no findings.
 */
export function driftFindings(plan: Plan): DriftFinding[] {
  const findings: DriftFinding[] = [];
  for (const region of plan.regions) {
    const where = {
      target: region.target,
      region: region.region,
      ...(region.account === undefined ? {} : { account: region.account }),
    };
    for (const item of region.items) {
      const finding: DriftFinding = {
        ...where,
        name: item.name,
        replication: item.replication,
        kind: driftKind(item),
      };
      if (item.replicaModified && (finding.kind === 'value' || finding.kind === 'attributes'))
        finding.modified = item.replicaModified;
      findings.push(finding);
    }
    // Nobody but a person (or another tool) wrote an unmanaged parameter: its last writer is the lead.
    for (const name of region.unmanagedConflicts ?? []) {
      const modified = region.unmanagedModified?.[name];
      findings.push({ ...where, name, kind: 'unmanaged', ...(modified ? { modified } : {}) });
    }
  }
  return findings;
}
