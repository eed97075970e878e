import { AwsError, constraintViolation, validation } from './errors.js';
import { asInput, optArray, optString, optStringArray } from './input.js';
import { type ParameterRecord, type ParameterVersion, tagValue } from './model.js';
import { normalisePath } from './ssm-validate.js';

/**
 * ParameterStringFilter rules
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html,
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-search.html):
 * DescribeParameters takes every key but Label; GetParametersByPath takes only Type, KeyId and Label.
 * Options are Equals/BeginsWith (Name also Contains; Path is Recursive/OneLevel, default OneLevel).
 */
export interface ParameterFilter {
  key: string;
  option: string;
  values: string[];
}

const KEY_PATTERN = /^(tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$/;
const TYPE_VALUES = ['String', 'StringList', 'SecureString'];
const TIER_VALUES = ['Standard', 'Advanced', 'Intelligent-Tiering'];

export type FilterMode = 'describe' | 'byPath';

function allowedOptions(key: string): string[] {
  if (key === 'Path') return ['Recursive', 'OneLevel'];
  if (key === 'Name') return ['Equals', 'BeginsWith', 'Contains'];
  if (key === 'Label') return ['Equals'];
  return ['Equals', 'BeginsWith'];
}

export function parseFilters(raw: unknown[] | undefined, mode: FilterMode): ParameterFilter[] {
  const seen = new Set<string>();
  return (raw ?? []).map((item, index) => {
    const filter = asInput(item, 'ParameterFilters');
    const key = optString(filter, 'Key');
    const at = `parameterFilters.${index + 1}.member`;
    if (key === undefined) throw constraintViolation(null, `${at}.key`, 'Member must not be null');
    if (!KEY_PATTERN.test(key)) {
      throw constraintViolation(
        key,
        `${at}.key`,
        'Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType',
      );
    }
    if (mode === 'describe' && key === 'Label') {
      throw new AwsError(
        'InvalidFilterKey',
        'The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier, DataType].',
      );
    }
    if (mode === 'byPath' && !['Type', 'KeyId', 'Label'].includes(key)) {
      throw new AwsError(
        'InvalidFilterKey',
        `The following filter key is not valid: ${key}. Valid filter keys include: [Type, KeyId, Label].`,
      );
    }
    if (seen.has(key)) {
      throw new AwsError(
        'InvalidFilterKey',
        `The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`,
      );
    }
    seen.add(key);
    const option = optString(filter, 'Option') ?? (key === 'Path' ? 'OneLevel' : 'Equals');
    const options = allowedOptions(key);
    if (!options.includes(option)) {
      throw new AwsError(
        'InvalidFilterOption',
        `The following filter option is not valid: ${option}. Valid options include: [${options.join(', ')}].`,
      );
    }
    const values = optStringArray(filter, 'Values') ?? [];
    if (!key.startsWith('tag:') && values.length === 0) {
      throw new AwsError(
        'InvalidFilterValue',
        `The following filter values are missing : null for filter key ${key}.`,
      );
    }
    if (values.length > 50)
      throw constraintViolation(
        `[${values.join(', ')}]`,
        `${at}.values`,
        'Member must have length less than or equal to 50',
      );
    const enumValues = key === 'Type' ? TYPE_VALUES : key === 'Tier' ? TIER_VALUES : undefined;
    const badValue = enumValues ? values.find((v) => !enumValues.includes(v)) : undefined;
    if (enumValues && badValue !== undefined) {
      throw new AwsError(
        'InvalidFilterOption',
        `The following filter value is not valid: ${badValue}. Valid values include: [${enumValues.join(', ')}].`,
      );
    }
    return { key, option, values: key === 'Path' ? values.map(normalisePath) : values };
  });
}

/** DescribeParameters' older `Filters` (Name, Type, KeyId); Name matches by prefix. */
export function parseLegacyFilters(raw: unknown[] | undefined): ParameterFilter[] {
  return (raw ?? []).map((item) => {
    const filter = asInput(item, 'Filters');
    const key = optString(filter, 'Key') ?? '';
    if (!['Name', 'Type', 'KeyId'].includes(key)) {
      throw constraintViolation(
        key,
        'filters.1.member.key',
        'Member must satisfy enum value set: [Name, KeyId, Type]',
      );
    }
    const values = optStringArray(filter, 'Values') ?? [];
    return { key, option: key === 'Name' ? 'BeginsWith' : 'Equals', values };
  });
}

export function readDescribeFilters(input: Record<string, unknown>): ParameterFilter[] {
  const legacy = optArray(input, 'Filters');
  const modern = optArray(input, 'ParameterFilters');
  if (legacy && modern)
    throw validation('You can use either Filters or ParameterFilters in a single request.');
  return legacy ? parseLegacyFilters(legacy) : parseFilters(modern, 'describe');
}

function matchText(option: string, values: string[], actual: string | undefined): boolean {
  if (actual === undefined) return false;
  if (option === 'BeginsWith') return values.some((v) => actual.startsWith(v));
  if (option === 'Contains') return values.some((v) => actual.includes(v));
  return values.includes(actual);
}

export function inPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path === '/' ? '/' : `${path}/`;
  if (!name.startsWith(prefix)) return false;
  return recursive || !name.slice(prefix.length).includes('/');
}

export function matches(
  filter: ParameterFilter,
  record: ParameterRecord,
  version: ParameterVersion,
): boolean {
  const { key, option, values } = filter;
  if (key.startsWith('tag:')) {
    const tag = tagValue(record, key.slice(4));
    return tag !== undefined && (values.length === 0 || matchText(option, values, tag));
  }
  switch (key) {
    case 'Name':
      return matchText(option, values, record.name);
    case 'Path':
      return values.some((path) => inPath(record.name, path, option === 'Recursive'));
    case 'Type':
      return matchText(option, values, version.type);
    case 'KeyId':
      return matchText(option, values, version.keyId) || matchText(option, values, version.resolvedKeyId);
    case 'Tier':
      return matchText(option, values, version.tier);
    case 'DataType':
      return matchText(option, values, version.dataType);
    case 'Label':
      return version.labels.some((label) => values.includes(label));
    default:
      return false;
  }
}
