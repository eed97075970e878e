import type { CallContext, Handler } from './context.js';
import { AwsError } from './errors.js';
import { asInput, type Input, optArray, optNumber, optString, optStringArray } from './input.js';
import { type ParameterRecord, parameterArn, tagValue } from './model.js';
import { decodeToken, encodeToken, pageSize, takePage } from './paging.js';
import { upperBound } from './sorted.js';

/**
 * Resource Groups Tagging API GetResources
 * (https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html), for SSM
 * parameters only. Like AWS, it sees resources that are or were tagged; a never-tagged parameter is absent.
 * Parameter errors here are InvalidParameterException, the service's own error for bad input.
 */
function invalid(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

interface TagFilter {
  key: string;
  values: string[];
}

function readTagFilters(input: Input): TagFilter[] {
  const raw = optArray(input, 'TagFilters') ?? [];
  if (raw.length > 50) throw invalid('TagFilters can contain at most 50 filters.');
  return raw.map((item) => {
    const filter = asInput(item, 'TagFilters');
    const key = optString(filter, 'Key');
    if (key === undefined) throw invalid('Each TagFilter needs a Key.');
    return { key, values: optStringArray(filter, 'Values') ?? [] };
  });
}

function wantsParameters(input: Input): boolean {
  const types = optStringArray(input, 'ResourceTypeFilters');
  if (types === undefined || types.length === 0) return true;
  return types.some((type) => type === 'ssm' || type === 'ssm:parameter');
}

function* tagged(
  ctx: CallContext,
  after: string | undefined,
  filters: TagFilter[],
  arns: Set<string> | undefined,
): Generator<ParameterRecord> {
  const { names, parameters } = ctx.scope;
  for (let i = after === undefined ? 0 : upperBound(names, after); i < names.length; i++) {
    const record = parameters.get(names[i] as string);
    if (!record?.everTagged) continue;
    if (arns && !arns.has(parameterArn(ctx.region, ctx.account, record.name))) continue;
    const ok = filters.every(({ key, values }) => {
      const value = tagValue(record, key);
      return value !== undefined && (values.length === 0 || values.includes(value));
    });
    if (ok) yield record;
  }
}

function getResources(ctx: CallContext, input: Input): unknown {
  const perPage = optNumber(input, 'ResourcesPerPage') ?? 50;
  if (perPage < 1 || perPage > 100) throw invalid('ResourcesPerPage must be between 1 and 100.');
  const filters = readTagFilters(input);
  const arnList = optStringArray(input, 'ResourceARNList');
  if (arnList && filters.length > 0)
    throw invalid('ResourceARNList cannot be used together with TagFilters.');
  const start = decodeToken(
    ctx,
    optString(input, 'PaginationToken'),
    'InvalidParameterException',
    'The pagination token is not valid.',
  );
  ctx.onPage(start.page);
  const source = wantsParameters(input)
    ? tagged(ctx, start.cursor, filters, arnList ? new Set(arnList) : undefined)
    : [];
  const page = takePage(source, pageSize(ctx, perPage, start.page), (record) => record.name, start.cursor);
  return {
    // AWS ends a listing with an empty-string token, not an absent one.
    PaginationToken:
      page.next === undefined
        ? ''
        : encodeToken(ctx, page.next === '' ? undefined : page.next, start.page + 1),
    ResourceTagMappingList: page.items.map((record) => ({
      ResourceARN: parameterArn(ctx.region, ctx.account, record.name),
      Tags: Object.entries(record.tags).map(([Key, Value]) => ({ Key, Value })),
    })),
  };
}

/** Operation name (after `ResourceGroupsTaggingAPI_20170126.`) to handler. */
export const taggingHandlers: Record<string, Handler> = { GetResources: getResources };
