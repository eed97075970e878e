import { AwsError, constraintViolation, validation } from './errors.js';
import type { PolicyRecord } from './model.js';

/**
 * Naming rules from the PutParameter API reference
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html#systemsmanager-PutParameter-request-Name)
 * and https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html:
 * a-zA-Z0-9_.- plus '/' for hierarchies, a name with a hierarchy starts with '/', at most 15 levels,
 * no "aws"/"ssm" prefix (case-insensitive), at most 1011 characters (2048 minus 1037 reserved).
 */
export const MAX_NAME_LENGTH = 1011;
export const MAX_HIERARCHY_LEVELS = 15;

export const NAME_RULES_MESSAGE =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can ' +
  'consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and ' +
  'the following 3 symbols .-_';

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;

export function validateName(name: string): void {
  if (name.length === 0)
    throw constraintViolation(name, 'name', 'Member must have length greater than or equal to 1');
  if (name.length > MAX_NAME_LENGTH) {
    throw validation(
      `Parameter name ${name.slice(0, 40)}... is too long: the maximum is ${MAX_NAME_LENGTH} characters ` +
        '(2048 including 1037 reserved for internal use).',
    );
  }
  const bare = name.toLowerCase().replace(/^\//, '');
  if (bare.startsWith('aws') || bare.startsWith('ssm')) {
    // AWS's public parameters live under /aws/...; writing there is an access error, not a syntax one.
    if (name.toLowerCase().startsWith('/aws/')) {
      throw new AwsError('AccessDeniedException', `No access to reserved parameter name: ${name}.`);
    }
    throw validation(NAME_RULES_MESSAGE);
  }
  if (!NAME_CHARS.test(name)) throw validation(NAME_RULES_MESSAGE);
  if (name.includes('/')) {
    if (!name.startsWith('/') || name.includes('//') || name.endsWith('/'))
      throw validation(NAME_RULES_MESSAGE);
    if (name.split('/').length - 1 > MAX_HIERARCHY_LEVELS) {
      throw new AwsError(
        'HierarchyLevelLimitExceededException',
        'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints ' +
          'for parameter names in the Amazon Web Services Systems Manager User Guide.',
      );
    }
  }
}

/** A GetParametersByPath / Path-filter path: '/' or '/a/b', optionally with a trailing slash. */
export function normalisePath(path: string): string {
  const valid =
    path.startsWith('/') && NAME_CHARS.test(path) && !path.includes('//') && path.split('/').length - 1 <= 16;
  if (!valid) {
    throw validation(
      "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward " +
        'slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, ' +
        'numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not ' +
        'allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: ' +
        '/get/parameters2-/by1./path0_.',
    );
  }
  return path === '/' ? '/' : path.replace(/\/$/, '');
}

/** Tag rules from https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Tag.html. */
export const MAX_TAGS = 50;
const TAG_PATTERN_TEXT = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';
const TAG_PATTERN = new RegExp(TAG_PATTERN_TEXT, 'u');

export function parseTags(raw: unknown[] | undefined, member = 'tags'): Array<[string, string]> | undefined {
  if (raw === undefined) return undefined;
  return raw.map((item, index) => {
    const at = `${member}.${index + 1}.member`;
    const tag = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const key = tag.Key;
    const value = tag.Value;
    if (typeof key !== 'string') throw constraintViolation(null, `${at}.key`, 'Member must not be null');
    if (typeof value !== 'string') throw constraintViolation(null, `${at}.value`, 'Member must not be null');
    if (key.length < 1)
      throw constraintViolation(key, `${at}.key`, 'Member must have length greater than or equal to 1');
    if (key.length > 128)
      throw constraintViolation(key, `${at}.key`, 'Member must have length less than or equal to 128');
    if (value.length > 256) {
      throw constraintViolation(value, `${at}.value`, 'Member must have length less than or equal to 256');
    }
    for (const [text, field] of [
      [key, 'key'],
      [value, 'value'],
    ] as const) {
      if (!TAG_PATTERN.test(text)) {
        throw constraintViolation(
          text,
          `${at}.${field}`,
          `Member must satisfy regular expression pattern: ${TAG_PATTERN_TEXT}`,
        );
      }
    }
    // https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html: the aws: prefix is reserved.
    if (key.toLowerCase().startsWith('aws:')) {
      throw validation(`Tag key ${key} is invalid: the aws: prefix is reserved for AWS use.`);
    }
    return [key, value] as [string, string];
  });
}

export function tooManyTags(): AwsError {
  return new AwsError(
    'TooManyTagsError',
    'The Targets parameter includes too many tags. Remove one or more tags and try the command again.',
  );
}

/**
 * Parameter policies (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-policies.html):
 * a JSON array of {Type, Version, Attributes}; Expiration, ExpirationNotification and NoChangeNotification;
 * one of each type; at most 10.
 */
const POLICY_TYPES = new Set(['Expiration', 'ExpirationNotification', 'NoChangeNotification']);

export function parsePolicies(text: string): PolicyRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError('InvalidPolicyAttributeException', 'A policy attribute or its value is invalid.');
  }
  if (!Array.isArray(parsed)) {
    throw new AwsError('InvalidPolicyAttributeException', 'A policy attribute or its value is invalid.');
  }
  if (parsed.length > 10) {
    throw new AwsError(
      'PoliciesLimitExceededException',
      'You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.',
    );
  }
  const seen = new Set<string>();
  return parsed.map((policy) => {
    const type = (policy as { Type?: unknown } | null)?.Type;
    if (typeof type !== 'string' || !POLICY_TYPES.has(type)) {
      throw new AwsError(
        'InvalidPolicyTypeException',
        'The policy type is not supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.',
      );
    }
    if (seen.has(type)) {
      throw new AwsError(
        'IncompatiblePolicyException',
        'There is a conflict in the policies specified for this parameter. You created duplicate policies for the same type.',
      );
    }
    seen.add(type);
    return { PolicyText: JSON.stringify(policy), PolicyType: type, PolicyStatus: 'Pending' };
  });
}

/**
 * Label rules (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-labels.html):
 * up to 100 characters of letters, numbers, '.', '-', '_'; not starting with a number, "aws" or "ssm".
 */
export function isValidLabel(label: string): boolean {
  if (label.length < 1 || label.length > 100) return false;
  if (!/^[a-zA-Z0-9_.-]+$/.test(label)) return false;
  if (/^[0-9]/.test(label)) return false;
  const lower = label.toLowerCase();
  return !lower.startsWith('aws') && !lower.startsWith('ssm');
}
