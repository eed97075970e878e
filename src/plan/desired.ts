import { type Keyed, keyed, ownValue } from '../keyed.js';
import { OWNER_TAG_KEY } from '../manifest/resolve.js';
import { PARAMETER_TAG_LIMIT } from '../manifest/rules.js';
import type { Destination, Manifest } from '../manifest/types.js';
import { type LiveParameter, ParameterValue } from '../model.js';
import type { Route } from './names.js';
import { ownerValue } from './owner.js';
import { SYNC_TAG_KEY } from './sync-record.js';

/** The AWS managed key Parameter Store uses when PutParameter gets no KeyId. */
export const DEFAULT_SSM_KEY = 'alias/aws/ssm';

export const EC2_IMAGE_DATA_TYPE = 'aws:ec2:image';

/**
 * What a replica should look like. Shared by the planner (to compare) and the applier (to write). Its
 * value is present only where the source's was read.
 */
export interface DesiredReplica extends Omit<LiveParameter, 'version'> {
  sourceName: string;
  /** Set when the value is the destination's AMI from the ec2-image map rather than the source's. */
  ami?: string;
}

export type DesiredOutcome =
  | { kind: 'replica'; replica: DesiredReplica }
  | { kind: 'skip'; code: string; message: string };

/**
 * A multi-Region key (`mrk-…`) has the same key id in every region it is replicated to, so a replica
 * encrypted under it in the source maps to the same key in the destination region.
 * https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
 */
export function mapMultiRegionKey(keyId: string | undefined, region: string): string | undefined {
  if (!keyId) return undefined;
  const arn = /^arn:(aws[a-z-]*):kms:[a-z0-9-]+:(\d{12}):key\/(mrk-[0-9a-f]+)$/.exec(keyId);
  if (arn) return `arn:${arn[1]}:kms:${region}:${arn[2]}:key/${arn[3]}`;
  return /^mrk-[0-9a-f]+$/.test(keyId) ? keyId : undefined;
}

/** The KMS key a SecureString replica is encrypted with in this destination. */
export function destinationKey(destination: Destination, source: LiveParameter): string {
  return destination.kmsKeyId ?? mapMultiRegionKey(source.keyId, destination.region) ?? DEFAULT_SSM_KEY;
}

export function desiredReplica(
  manifest: Manifest,
  route: Route,
  source: LiveParameter,
  destName: string,
  memo?: ReplicaTagMemo,
): DesiredOutcome {
  const { destination } = route;
  let value = source.value;
  let ami: string | undefined;
  if (source.dataType === EC2_IMAGE_DATA_TYPE) {
    const policy = destination.ec2Image;
    if (policy.mode === 'skip') {
      return {
        kind: 'skip',
        code: 'ec2-image-skipped',
        message: `${source.name} is an aws:ec2:image parameter; AMI ids are regional, so it is not replicated to ${destination.region}. Add an ec2-image AMI map for this destination to replicate it.`,
      };
    }
    // The inventory reads every aws:ec2:image source's value when a destination maps AMIs.
    const amiId = source.value?.reveal();
    if (amiId === undefined) throw new Error(`${source.name}: the AMI id was not read`);
    const mapped = ownValue(policy.amis, amiId);
    if (mapped === undefined) {
      return {
        kind: 'skip',
        code: 'ec2-image-unmapped',
        message: `${source.name} holds an AMI id with no entry in the ec2-image map for ${destination.region}; add it to replicate this parameter.`,
      };
    }
    value = new ParameterValue(mapped, false);
    ami = mapped;
  }
  const type = destination.type ?? source.type;
  const secret = type === 'SecureString' || source.type === 'SecureString';
  const replica: DesiredReplica = {
    name: destName,
    sourceName: source.name,
    type,
    tier: source.tier,
    policies: source.policies,
    dataType: source.dataType,
    tags: replicaTags(manifest, route, source.tags, memo),
  };
  if (value) replica.value = secret === value.secret ? value : new ParameterValue(value.reveal(), secret);
  // The sync record is one more tag on every replica (plan/sync-record.ts).
  const tagCount = Object.keys(replica.tags).length + 1;
  if (tagCount > PARAMETER_TAG_LIMIT) {
    // PutParameter and AddTagsToResource would both fail (TooManyTagsError): say so in the plan instead.
    // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html
    return {
      kind: 'skip',
      code: 'too-many-tags',
      message: `${source.name} would carry ${tagCount} tags in ${destination.region} (its own, the destination's and ssm-replicate's three: ownership, owner and sync record); a parameter holds at most ${PARAMETER_TAG_LIMIT}, so it is not replicated there. Remove tags from the source parameter or from this destination's tags.`,
    };
  }
  if (source.description !== undefined) replica.description = source.description;
  if (source.allowedPattern !== undefined) replica.allowedPattern = source.allowedPattern;
  if (type === 'SecureString') replica.keyId = destinationKey(destination, source);
  if (ami !== undefined) replica.ami = ami;
  return { kind: 'replica', replica };
}

/**
 * A replica's tag sets, built once per source tag set for one route. Inventories hold one object per
 * distinct tag set (see tagInterner), so a 100,000-parameter plan builds a handful of sets rather than
 * one per parameter, and every replica of a route shares them. Tag sets are never mutated in place.
 */
export type ReplicaTagMemo = Map<Keyed<string>, Keyed<string>>;

function replicaTags(
  manifest: Manifest,
  route: Route,
  sourceTags: Keyed<string>,
  memo: ReplicaTagMemo | undefined,
): Keyed<string> {
  const known = memo?.get(sourceTags);
  if (known) return known;
  const tags = keyed(copyableTags(sourceTags), route.destination.tags, [
    [manifest.ownershipTag.key, manifest.ownershipTag.value],
    [OWNER_TAG_KEY, ownerValue(manifest, route.replication.name)],
  ]);
  memo?.set(sourceTags, tags);
  return tags;
}

/**
 * Tag keys starting with `aws:` (in any case) are AWS's own, e.g. the `aws:cloudformation:*` tags of a
 * parameter a stack created: nobody else may set or remove them, so they are neither copied to a replica
 * nor removed from one, and they do not count against the 50-tag limit.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
 */
export function isAwsTagKey(key: string): boolean {
  return key.slice(0, 4).toLowerCase() === 'aws:';
}

/**
 * Tags a replica never takes from its source: AWS's own, and a sync record (a source that is itself a
 * replica carries one about its own copy, which says nothing about this one).
 */
function notCopied(key: string): boolean {
  return isAwsTagKey(key) || key === SYNC_TAG_KEY;
}

function copyableTags(tags: Keyed<string>): Keyed<string> {
  const keys = Object.keys(tags);
  if (!keys.some(notCopied)) return tags;
  return keyed(keys.filter((k) => !notCopied(k)).map((k) => [k, tags[k] as string]));
}
