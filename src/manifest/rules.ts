import { q } from './quote.js';
import { KNOWN_REGIONS, REGION_PATTERN } from './regions.js';
import { didYouMean, suggest } from './suggest.js';

/**
 * Parameter Store's naming rules and the formats of the other strings in a manifest, as pure functions
 * returning a sentence (what is wrong and what is expected) or undefined when the value is fine.
 */

export const MAX_NAME_LENGTH = 1011;
export const MAX_LEVELS = 15;
const NAME_CHARACTER = /[a-zA-Z0-9_.\-/]/;

export interface Verdict {
  error?: string;
  warning?: string;
}

export function checkRegion(region: string): Verdict {
  if (!REGION_PATTERN.test(region)) {
    return {
      error: `${q(region)} is not a region name; expected e.g. us-east-1${didYouMean(region, KNOWN_REGIONS)}`,
    };
  }
  if (!KNOWN_REGIONS.includes(region)) {
    const hint = suggest(region, KNOWN_REGIONS);
    return {
      warning: hint
        ? `region ${q(region)} is unknown to this version — did you mean ${q(hint)}?`
        : `region ${q(region)} is unknown to this version; fine if AWS added it recently, otherwise check the spelling`,
    };
  }
  return {};
}

export function levels(path: string): number {
  return path.split('/').filter((part) => part !== '').length;
}

/**
 * A hierarchy prefix such as `/prod/app`: a parameter name without the leaf. `what` names it in the message.
 * `trailingSlash` is allowed for path-rewrite ends, where `/prod/` means "the level prod".
 */
export function checkPrefix(
  value: string,
  what: string,
  options: { trailingSlash?: boolean } = {},
): string | undefined {
  if (!value.startsWith('/')) return `${what} ${q(value)} must start with '/', e.g. ${q(`/${value}`)}`;
  const bad = [...value].find((c) => !NAME_CHARACTER.test(c));
  if (bad !== undefined) {
    return `${what} ${q(value)} contains ${q(bad)}; parameter names may contain only letters, digits and _ . - /`;
  }
  if (value.includes('//')) return `${what} ${q(value)} contains an empty level '//'`;
  if (!options.trailingSlash && value.length > 1 && value.endsWith('/')) {
    return `${what} ${q(value)} must not end with '/'; write ${q(value.replace(/\/+$/, ''))}`;
  }
  return checkNameLimits(value, what);
}

/** The rules a prefix must keep even when it was computed (a rewritten path). */
export function checkNameLimits(value: string, what: string): string | undefined {
  const first = value.split('/').find((part) => part !== '') ?? '';
  const reserved = first.slice(0, 3).toLowerCase();
  if (reserved === 'aws' || reserved === 'ssm') {
    return `${what} ${q(value)} starts with ${q(first.slice(0, 3))}; names beginning with aws or ssm (any case) are reserved by AWS`;
  }
  if (value.length > MAX_NAME_LENGTH) {
    return `${what} is ${value.length} characters long; parameter names are limited to ${MAX_NAME_LENGTH}`;
  }
  if (levels(value) > MAX_LEVELS) {
    return `${what} ${q(value)} has ${levels(value)} levels; parameter hierarchies are limited to ${MAX_LEVELS}`;
  }
  return undefined;
}

/** An exclude glob: like a name, plus `*`. */
export function checkGlob(value: string): string | undefined {
  if (!value.startsWith('/'))
    return `exclude pattern ${q(value)} must start with '/', e.g. ${q(`/${value}`)}`;
  const bad = [...value].find((c) => c !== '*' && !NAME_CHARACTER.test(c));
  if (bad !== undefined) {
    return `exclude pattern ${q(value)} contains ${q(bad)}; use letters, digits, _ . - / and the wildcards * and **`;
  }
  if (/\*{3,}/.test(value))
    return `exclude pattern ${q(value)} has '***'; use '*' (one level) or '**' (any depth)`;
  return undefined;
}

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

export function checkRoleArn(value: string): string | undefined {
  return ROLE_ARN.test(value)
    ? undefined
    : `${q(value)} is not an IAM role ARN; expected e.g. arn:aws:iam::123456789012:role/replicator`;
}

/** The account a role lives in, which tells whether two destinations are the same Parameter Store. */
export function roleAccount(roleArn: string | undefined): string | undefined {
  return roleArn === undefined ? undefined : ROLE_ARN.exec(roleArn)?.[2];
}

const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const ALIAS = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;
const KMS_ARN =
  /^arn:aws(-[a-z]+)*:kms:([a-z0-9-]+):\d{12}:(key\/(mrk-)?[0-9a-f-]{32,36}|alias\/[a-zA-Z0-9/_-]{1,250})$/;

export function checkKmsKeyId(value: string): string | undefined {
  if (KEY_ID.test(value) || ALIAS.test(value) || KMS_ARN.test(value)) return undefined;
  const hint = /^[a-zA-Z0-9/_-]+$/.test(value) ? ` — did you mean 'alias/${value}'?` : '';
  return `${q(value)} is not a KMS key id, alias or ARN; expected e.g. alias/prod-key, a key id or arn:aws:kms:REGION:ACCOUNT:key/ID${hint}`;
}

/** The region of a KMS key ARN; undefined for ids and aliases, which resolve in whatever region uses them. */
export function kmsRegion(value: string): string | undefined {
  return KMS_ARN.exec(value)?.[2];
}

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Parameter Store allows 50 tags per parameter. */
export const PARAMETER_TAG_LIMIT = 50;
/** What a manifest may add: three of a parameter's 50 tags are the ownership, owner and sync record tags. */
export const MAX_TAGS = PARAMETER_TAG_LIMIT - 3;

export function checkTagKey(key: string): string | undefined {
  if (key.length === 0 || key.length > 128) return `tag key ${q(key)} must be 1 to 128 characters long`;
  if (!TAG_TEXT.test(key))
    return `tag key ${q(key)} may contain only letters, digits, spaces and _ . : / = + - @`;
  if (key.toLowerCase().startsWith('aws:'))
    return `tag key ${q(key)} starts with 'aws:', which is reserved by AWS`;
  return undefined;
}

export function checkTagValue(key: string, value: string): string | undefined {
  if (value.length > 256)
    return `tag ${q(key)} has a value of ${value.length} characters; at most 256 are allowed`;
  if (!TAG_TEXT.test(value))
    return `tag ${q(key)} value may contain only letters, digits, spaces and _ . : / = + - @`;
  return undefined;
}

const AMI = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;

export function checkAmi(value: string): string | undefined {
  return AMI.test(value) ? undefined : `${q(value)} is not an AMI id; expected e.g. ami-0123456789abcdef0`;
}

const REPLICATION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function checkReplicationName(value: string): string | undefined {
  return value === '' || REPLICATION_NAME.test(value)
    ? undefined
    : `replication name ${q(value)} may contain only letters, digits, _ . - and must start with a letter or digit`;
}

/** A manifest id is the first part of the owner tag value `<id>/<replication>`, so it has no `/`. */
export function checkManifestId(value: string): string | undefined {
  return value === '' || REPLICATION_NAME.test(value)
    ? undefined
    : `id '${value}' may contain only letters, digits, _ . - and must start with a letter or digit; it is recorded in the owner tag of every replica and names the manifest's apply lock`;
}

/** A previous-owners entry: `<id>` or `<id>/<replication>`, as the owner tag records them. */
export function checkOwnerName(value: string): string | undefined {
  const parts = value.split('/');
  return parts.length <= 2 && parts.every((part) => REPLICATION_NAME.test(part))
    ? undefined
    : `previous-owners '${value}' is not an owner; expected a manifest id such as 'team-b', or an id and a replication such as 'default/prod-app'`;
}
