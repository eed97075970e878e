import { type Keyed, keyed, ownValue } from '../keyed.js';
import type { ValueDisplay } from '../manifest/types.js';
import type { LiveParameter } from '../model.js';
import { DEFAULT_SSM_KEY, type DesiredReplica, isAwsTagKey } from './desired.js';
import { checkSyncRecord, isoDate, syncInput } from './sync-record.js';
import type { AttributeChange, PlanItem, ReplicaModified, ReplicaTarget, TagChanges } from './types.js';

/** Longest non-secret value a plan carries; renderers shorten further. Keeps plan files bounded. */
const MAX_SHOWN_VALUE = 200;

export interface DiffContext {
  valueDisplay: ValueDisplay;
  /** True when two key references name the same KMS key in this destination. */
  sameKey: (a: string, b: string) => boolean;
  /** The source region: part of what a sync record was made from. */
  sourceRegion: string;
}

function shown(value: string): string {
  return value.length <= MAX_SHOWN_VALUE ? value : `${value.slice(0, MAX_SHOWN_VALUE)}…`;
}

function blankToUndefined(s: string | undefined): string | undefined {
  return s === undefined || s === '' ? undefined : s;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function tagChanges(current: Keyed<string>, desired: Keyed<string>): TagChanges {
  const changes: TagChanges = { add: keyed(), change: keyed(), remove: [] };
  for (const key of Object.keys(desired).sort()) {
    const want = desired[key] as string;
    const have = ownValue(current, key);
    if (have === undefined) changes.add[key] = want;
    else if (have !== want) changes.change[key] = { from: have, to: want };
  }
  // The sync record is not among a replica's tags (it is `syncRecord`): never a tag change to review.
  for (const key of Object.keys(current).sort()) {
    if (!Object.hasOwn(desired, key) && !isAwsTagKey(key)) changes.remove.push(key);
  }
  return changes;
}

export function hasTagChanges(t: TagChanges): boolean {
  return Object.keys(t.add).length > 0 || Object.keys(t.change).length > 0 || t.remove.length > 0;
}

/** Whether an old or new value may be shown: never a SecureString's, nor one a SecureString replaces. */
export function showable(ctx: DiffContext, desiredType: string, existingType?: string): boolean {
  return (
    ctx.valueDisplay === 'non-secret' && desiredType !== 'SecureString' && existingType !== 'SecureString'
  );
}

function valueChange(
  ctx: DiffContext,
  desired: DesiredReplica,
  reason: string,
  existing?: LiveParameter,
): AttributeChange {
  const change: AttributeChange = { attribute: 'value', reason };
  // Shown only where the values were read (plan-job reads them for changing items afterwards).
  if (showable(ctx, desired.type, existing?.type) && !desired.value?.secret) {
    if (existing?.value) change.from = shown(existing.value.reveal());
    if (desired.value) change.to = shown(desired.value.reveal());
  }
  return change;
}

/** The value as a plan may show it (the plan's own cap); for plan-job's display reads. */
export function shownValue(value: string): string {
  return shown(value);
}

/**
 * Whether the replica's value equals its source's. With both values read they are compared, and a
 * sync record saying otherwise is named as forged; without them only a sync record that agrees with
 * both sides in every field proves it. Anything else is a reason to check, never "equal".
 */
export function valueVerdict(
  ctx: DiffContext,
  desired: DesiredReplica,
  existing: LiveParameter,
  source: LiveParameter,
): { equal: true } | { equal: false; reason: string } {
  const record = checkSyncRecord(existing, source, syncInput(ctx.sourceRegion, source.name, desired.ami));
  if (existing.value && desired.value) {
    if (existing.value.equals(desired.value)) return { equal: true };
    return {
      equal: false,
      reason: record.proven
        ? 'value differs although its sync record says it is a copy: the record was forged or copied'
        : 'value differs',
    };
  }
  return record.proven ? { equal: true } : { equal: false, reason: record.reason };
}

/** What the PutParameter of a create, update or replace sends besides the value. */
export function replicaTarget(desired: DesiredReplica): ReplicaTarget {
  const target: ReplicaTarget = {
    type: desired.type,
    tier: desired.tier,
    dataType: desired.dataType,
    // A copy: the plan's interner freezes what it shares, and this list is the source parameter's own.
    policies: [...desired.policies],
  };
  if (desired.keyId !== undefined) target.keyId = desired.keyId;
  if (desired.description !== undefined) target.description = desired.description;
  if (desired.allowedPattern !== undefined) target.allowedPattern = desired.allowedPattern;
  if (desired.ami !== undefined) target.ami = desired.ami;
  return target;
}

/** Who last wrote a replica and when, as DescribeParameters reports it; undefined when it says neither. */
export function replicaModified(existing: LiveParameter): ReplicaModified | undefined {
  if (existing.lastModifiedUser === undefined && existing.lastModifiedDate === undefined) return undefined;
  const modified: ReplicaModified = {};
  if (existing.lastModifiedUser !== undefined) modified.user = existing.lastModifiedUser;
  const date = isoDate(existing.lastModifiedDate);
  if (date !== undefined) modified.date = date;
  return modified;
}

/** What a create sets, so a reviewer sees every attribute of a new replica. */
export function createChanges(ctx: DiffContext, desired: DesiredReplica): AttributeChange[] {
  const changes: AttributeChange[] = [valueChange(ctx, desired, 'new replica')];
  changes.push({ attribute: 'type', reason: 'new replica', to: desired.type });
  changes.push({ attribute: 'tier', reason: 'new replica', to: desired.tier });
  if (desired.keyId) changes.push({ attribute: 'keyId', reason: 'new replica', to: desired.keyId });
  if (desired.description !== undefined)
    changes.push({ attribute: 'description', reason: 'new replica', to: desired.description });
  if (desired.allowedPattern !== undefined)
    changes.push({ attribute: 'allowedPattern', reason: 'new replica', to: desired.allowedPattern });
  if (desired.policies.length > 0)
    changes.push({ attribute: 'policies', reason: 'new replica', to: desired.policies.join('\n') });
  if (desired.dataType !== 'text')
    changes.push({ attribute: 'dataType', reason: 'new replica', to: desired.dataType });
  return changes;
}

/**
 * Compares a replica with what it should be. Returns undefined when they are equal: an unchanged
 * parameter must produce no operation, since every PutParameter burns one of its 100 versions.
 */
export function diffReplica(
  ctx: DiffContext,
  desired: DesiredReplica,
  existing: LiveParameter,
  source: LiveParameter,
  base: Pick<PlanItem, 'name' | 'sourceName' | 'replication' | 'sourceVersion'>,
  share: <T extends object>(value: T) => T = (value) => value,
): PlanItem | undefined {
  const tags = tagChanges(existing.tags, desired.tags);
  const item: PlanItem = {
    ...base,
    action: 'update',
    type: desired.type,
    tier: desired.tier,
    destinationVersion: existing.version,
    changes: [],
  };
  const modified = replicaModified(existing);
  if (modified) item.replicaModified = modified;
  if (hasTagChanges(tags)) item.tags = tags;

  // AWS cannot move a parameter between types in place (HierarchyTypeMismatchException) nor
  // downgrade Advanced to Standard: both need delete + create.
  // https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
  // A replace deletes the replica with its tags, then creates it with every tag it should have.
  if (existing.type !== desired.type) {
    item.action = 'replace';
    item.target = share(replicaTarget(desired));
    item.tags = share(tagChanges(keyed(), desired.tags));
    item.reason = `type changes from ${existing.type} to ${desired.type}, which AWS cannot do in place`;
    item.changes = createChanges(ctx, desired);
    item.changes[1] = { attribute: 'type', reason: 'type differs', from: existing.type, to: desired.type };
    return item;
  }
  if (existing.tier === 'Advanced' && desired.tier === 'Standard') {
    item.action = 'replace';
    item.target = share(replicaTarget(desired));
    item.tags = share(tagChanges(keyed(), desired.tags));
    item.reason = 'tier changes from Advanced to Standard, which AWS cannot do in place';
    item.changes = createChanges(ctx, desired);
    item.changes[2] = { attribute: 'tier', reason: 'tier differs', from: 'Advanced', to: 'Standard' };
    return item;
  }

  const changes = item.changes;
  const value = valueVerdict(ctx, desired, existing, source);
  if (!value.equal) changes.push(valueChange(ctx, desired, value.reason, existing));
  if (existing.tier !== desired.tier)
    changes.push({ attribute: 'tier', reason: 'tier differs', from: existing.tier, to: desired.tier });
  if (desired.keyId) {
    const current = existing.keyId ?? DEFAULT_SSM_KEY;
    if (!ctx.sameKey(current, desired.keyId))
      changes.push({ attribute: 'keyId', reason: 'KMS key differs', from: current, to: desired.keyId });
  }
  const from = blankToUndefined(existing.description);
  const to = blankToUndefined(desired.description);
  if (from !== to) changes.push(attributeChange('description', from, to));
  const patternFrom = blankToUndefined(existing.allowedPattern);
  const patternTo = blankToUndefined(desired.allowedPattern);
  if (patternFrom !== patternTo) changes.push(attributeChange('allowedPattern', patternFrom, patternTo));
  if (!sameList(existing.policies, desired.policies)) {
    changes.push(attributeChange('policies', existing.policies.join('\n'), desired.policies.join('\n')));
  }
  if (existing.dataType !== desired.dataType)
    changes.push(attributeChange('dataType', existing.dataType, desired.dataType));

  if (changes.length > 0) {
    item.target = share(replicaTarget(desired));
    return item;
  }
  if (item.tags) {
    item.action = 'tag';
    return item;
  }
  return undefined;
}

function attributeChange(
  attribute: AttributeChange['attribute'],
  from: string | undefined,
  to: string | undefined,
): AttributeChange {
  const change: AttributeChange = { attribute, reason: `${attribute} differs` };
  if (from !== undefined) change.from = from;
  if (to !== undefined) change.to = to;
  return change;
}
