import { createHash } from 'node:crypto';
import { SYNC_TAG_KEY } from '../manifest/resolve.js';
import type { LiveParameter } from '../model.js';

export { SYNC_TAG_KEY };

/**
 * The sync record: a tag on every replica ssm-replicate writes, saying which source version it copied
 * and which replica version that write produced. Parameter Store gives every PutParameter a new version
 * and tags none ("Each time you edit the value of a parameter, Parameter Store creates a new version",
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html; tags are
 * metadata set by AddTagsToResource, which writes no version,
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html). So while the
 * source still has that version (with the same LastModifiedDate: a deleted and re-created parameter
 * starts again at version 1) and the replica still has its version, the two values are equal without
 * reading either. Anyone who can tag a replica can forge the record; `--verify values` finds that.
 */
export interface SyncRecord {
  sourceVersion: number;
  /** The source's LastModifiedDate at that version, epoch milliseconds. */
  sourceDate: number;
  replicaVersion: number;
  /** Hash of everything else that decides the replica's value (see `syncInput`). */
  input: string;
}

/**
 * `v1/<source version>/<source date, epoch ms>/<replica version>/<input hash>`: only digits, letters, `/`,
 * `-` and `_`, well inside AWS's tag value rules (≤ 256 characters of letters, digits, spaces and
 * `_ . : / = + - @`, https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
 */
const FORMAT = /^v1\/([1-9]\d{0,8})\/(\d{1,15})\/([1-9]\d{0,8})\/([A-Za-z0-9_-]{16})$/;

export function encodeSyncRecord(record: SyncRecord): string {
  return `v1/${record.sourceVersion}/${record.sourceDate}/${record.replicaVersion}/${record.input}`;
}

/** The record a tag value holds, or undefined for anything that is not exactly one. */
export function decodeSyncRecord(text: string | undefined): SyncRecord | undefined {
  if (typeof text !== 'string') return undefined;
  const m = FORMAT.exec(text);
  if (!m) return undefined;
  const sourceDate = Number(m[2]);
  if (!Number.isSafeInteger(sourceDate)) return undefined;
  return {
    sourceVersion: Number(m[1]),
    sourceDate,
    replicaVersion: Number(m[3]),
    input: m[4] as string,
  };
}

/**
 * What decides a replica's value besides the source's version: which source (region and name: a
 * changed rewrite could point a replica at another source with the same version and date) and, where
 * the ec2-image map replaces the value, the AMI written. 96 bits of SHA-256, base64url.
 */
export function syncInput(sourceRegion: string, sourceName: string, ami: string | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify([sourceRegion, sourceName, ami ?? null]))
    .digest('base64url')
    .slice(0, 16);
}

/** LastModifiedDate as a sync record holds it; undefined when absent or before 1970 (the format has no sign). */
export function recordedDate(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** LastModifiedDate (epoch milliseconds) as ISO 8601, for a sentence. */
export function isoDate(ms: number | undefined): string | undefined {
  if (ms === undefined) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** An IAM ARN as AWS reports it, kept to ARN characters and capped: it is untrusted text in a sentence. */
function principal(arn: string | undefined): string {
  const kept = (arn ?? '').replace(/[^A-Za-z0-9_+=,.@:/-]/g, '').slice(0, 200);
  return kept === '' ? 'an unknown principal' : kept;
}

const OUTSIDE_EDIT = 'replica changed outside ssm-replicate';

/**
 * The outside-edit reason without its editor and time, for a report that shows LastModifiedUser and
 * LastModifiedDate on their own; undefined for any other reason. The editor is kept to ARN characters,
 * so it cannot hold the " (version" that ends the reason.
 */
export function withoutEditor(reason: string): string | undefined {
  if (!reason.startsWith(`${OUTSIDE_EDIT} by `)) return undefined;
  return `${OUTSIDE_EDIT}${/ \(version \d+ → \d+\)$/.exec(reason)?.[0] ?? ''}`;
}

/**
 * Whether the replica's value is provably the source's, or why not. Never "equal" on a record that is
 * missing, malformed or disagrees with either side in any field.
 */
export type RecordVerdict = { proven: true } | { proven: false; reason: string };

export function checkSyncRecord(
  replica: LiveParameter,
  source: LiveParameter,
  expectedInput: string,
): RecordVerdict {
  if (replica.syncRecord === undefined) return { proven: false, reason: 'no sync record' };
  const record = decodeSyncRecord(replica.syncRecord);
  if (!record) return { proven: false, reason: 'sync record unreadable' };
  if (record.replicaVersion !== replica.version) {
    const who = principal(replica.lastModifiedUser);
    const when = isoDate(replica.lastModifiedDate) ?? 'an unknown time';
    return {
      proven: false,
      reason: `${OUTSIDE_EDIT} by ${who} at ${when} (version ${record.replicaVersion} → ${replica.version})`,
    };
  }
  if (record.input !== expectedInput)
    return { proven: false, reason: 'sync record is for another source or AMI' };
  if (record.sourceVersion !== source.version)
    return {
      proven: false,
      reason: `source changed: version ${record.sourceVersion} → ${source.version}`,
    };
  const date = recordedDate(source.lastModifiedDate);
  if (date === undefined || date !== record.sourceDate)
    return {
      proven: false,
      reason: `source was re-created since the copy (version ${source.version}, written ${isoDate(source.lastModifiedDate) ?? 'at an unknown time'})`,
    };
  return { proven: true };
}
