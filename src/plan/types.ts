import type { Keyed } from '../keyed.js';
import type { ParameterType, Tier } from '../model.js';

/**
 * Bumped on any incompatible change to the plan's JSON shape (see schemas/plan.schema.json) or to what
 * the digest covers: a plan saved by another format version never matches a live one.
 * 2: write items carry their `target`, and the digest covers the whole effect (plan/digest.ts).
 */
export const PLAN_FORMAT_VERSION = 2;

/**
 * create: the name does not exist in the destination.
 * update: PutParameter with Overwrite (attributes listed in `changes`), plus any tag changes.
 * tag: only tags differ; no PutParameter, so no new version is burnt.
 * replace: delete then create, for what AWS cannot change in place (Advanced → Standard).
 * delete: a replica we own whose source is gone.
 */
export type PlanAction = 'create' | 'update' | 'tag' | 'replace' | 'delete';

export type Attribute =
  | 'value'
  | 'type'
  | 'description'
  | 'allowedPattern'
  | 'tier'
  | 'policies'
  | 'dataType'
  | 'keyId';

export interface AttributeChange {
  attribute: Attribute;
  /** Human sentence: why this attribute is written ("source value changed", "KMS key differs"). */
  reason: string;
  /**
   * Old and new values, only where showing them is safe: never for `value` of a SecureString (or of a
   * replica that is or becomes one), and for other values only when the manifest's value display allows.
   */
  from?: string;
  to?: string;
}

/** `add` and `change` are built by `keyed`: a tag key may be `constructor` or `__proto__`. */
export interface TagChanges {
  add: Keyed<string>;
  change: Keyed<{ from: string; to: string }>;
  remove: string[];
}

/**
 * Every attribute apply sends in the PutParameter of a create, update or replace, except the value: the
 * reviewer sees exactly this, the digest binds it, and apply builds its request from it. The value is
 * the source's at `sourceVersion`, or `ami` where the manifest's ec2-image map replaces it.
 */
export interface ReplicaTarget {
  type: ParameterType;
  tier: Tier;
  dataType: string;
  /** The KMS key reference sent as KeyId (after kms-key-id and multi-Region mapping); SecureString only. */
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  policies: string[];
  /** The AMI id written instead of the source's, from the destination's ec2-image map. Never a secret. */
  ami?: string;
}

export interface PlanItem {
  action: PlanAction;
  /** Name in the destination region (after path rewrite). */
  name: string;
  /** Name in the source region; absent for deletes. */
  sourceName?: string;
  replication: string;
  /** The replica's type after the operation (its current type for deletes). */
  type: ParameterType;
  tier?: Tier;
  sourceVersion?: number;
  destinationVersion?: number;
  /** Attributes a create sets or an update/replace changes. Empty for tag-only and delete. */
  changes: AttributeChange[];
  /** What the PutParameter sends besides the value: create, update and replace only. */
  target?: ReplicaTarget;
  /**
   * The tag calls apply makes: for a create or replace, every tag of the new replica (in `add`); for an
   * update or tag item, the difference to the replica's current tags.
   */
  tags?: TagChanges;
  /** Why a delete or replace is needed. */
  reason?: string;
  /**
   * Who last wrote the existing replica and when (DescribeParameters' LastModifiedUser and
   * LastModifiedDate), on items for a replica that exists: what drift reports name. Not in the digest.
   */
  replicaModified?: ReplicaModified;
}

export interface ReplicaModified {
  /** An IAM ARN as AWS reports it; untrusted text. */
  user?: string;
  /** ISO 8601. */
  date?: string;
}

export type MessageLevel = 'warning' | 'blocker';

export interface PlanMessage {
  /** Stable machine code, e.g. `max-deletes-exceeded`, `empty-source-path`, `unmanaged-conflict`. */
  code: string;
  message: string;
  region?: string;
  replication?: string;
  name?: string;
}

export interface RegionPlan {
  /** The destination target: the region, plus `|role-arn` for a destination reached through a role. */
  target: string;
  region: string;
  account?: string;
  items: PlanItem[];
  /** Replicas that already equal their source. */
  unchanged: number;
  /** The same, per replication name (for per-replication status). */
  inSync: Keyed<number>;
  /** Destination parameters under a replicated path that lack the ownership tag; never touched unless adopted. */
  unmanaged: string[];
  /**
   * The unmanaged names whose source exists and is replicated to this name: the manifest wants them equal
   * to their source but may not write them (no adopt), and cannot prove them equal without reading an
   * untagged parameter's value, so drift and status count them as out of sync. A subset of `unmanaged`;
   * the other unmanaged names (no source, or an excluded one) are left alone and are not drift. Present
   * only when there are some.
   */
  unmanagedConflicts?: string[];
  /**
   * Who last wrote each of the unmanaged conflicts and when (DescribeParameters), by name: the hand-made
   * copy an on-call engineer asks about. Only names AWS said something for; not covered by the digest.
   */
  unmanagedModified?: Keyed<ReplicaModified>;
  /**
   * Parameters under a replicated path that another manifest owns (its owner tag names it); never
   * touched. Present only when there are some.
   */
  foreign?: string[];
  /** Set when this region could not be read: nothing is planned (or applied) there, the others go on. */
  error?: string;
}

export interface PlanSummary {
  creates: number;
  updates: number;
  tagChanges: number;
  replaces: number;
  deletes: number;
  unchanged: number;
  regions: number;
}

export interface Plan {
  formatVersion: typeof PLAN_FORMAT_VERSION;
  sourceRegion: string;
  /** `names` when the plan covers only some names (the Lambda's event-driven runs). */
  scope: 'full' | 'names';
  /** Fingerprint of everything apply would send, values stood in by versions; see plan/digest.ts. */
  digest: string;
  summary: PlanSummary;
  /** Non-empty ⇒ the plan must not be applied. */
  blockers: PlanMessage[];
  warnings: PlanMessage[];
  regions: RegionPlan[];
}
