import type { CallContext } from './context.js';
import type { ListingView } from './faults.js';
import { type Input, optArray, optBool, optString, reqString } from './input.js';
import { currentVersion, type ParameterRecord, type ParameterVersion, type ScopeData } from './model.js';
import { decodeToken, nextToken, pageSize, readLimit, takePage } from './paging.js';
import { lowerBound, PREFIX_END, upperBound } from './sorted.js';
import { matches, type ParameterFilter, parseFilters, readDescribeFilters } from './ssm-filters.js';
import { metadataShape, parameterShape } from './ssm-shapes.js';
import { normalisePath } from './ssm-validate.js';

interface Range {
  prefix: string;
  oneLevel: boolean;
}

/**
 * Walks the sorted name index from a cursor, restricted to a prefix. For one-level listings it jumps
 * over whole sub-trees with a binary search, so a page never pays for the depth below it.
 */
function* walk(scope: ScopeData, range: Range, after: string | undefined): Generator<ParameterRecord> {
  const { names } = scope;
  let i = Math.max(lowerBound(names, range.prefix), after === undefined ? 0 : upperBound(names, after));
  while (i < names.length) {
    const name = names[i] as string;
    if (!name.startsWith(range.prefix)) return;
    if (range.oneLevel) {
      const slash = name.indexOf('/', range.prefix.length);
      if (slash >= 0) {
        i = lowerBound(names, name.slice(0, slash + 1) + PREFIX_END);
        continue;
      }
    }
    const record = scope.parameters.get(name);
    if (record) yield record;
    i++;
  }
}

function* selectVersions(
  source: Iterable<ParameterRecord>,
  filters: ParameterFilter[],
  view: ListingView = () => undefined,
): Generator<[ParameterRecord, ParameterVersion]> {
  const label = filters.find((f) => f.key === 'Label');
  const rest = filters.filter((f) => f !== label);
  for (const record of source) {
    const listed = view(record.name);
    // A lagging listing still shows the version it knew (or nothing); a Label filter selects the
    // labelled version rather than the latest.
    const version =
      listed !== undefined
        ? record.versions.find((v) => v.version === listed)
        : label
          ? [...record.versions].reverse().find((v) => matches(label, record, v))
          : currentVersion(record);
    if (version && rest.every((f) => matches(f, record, version))) yield [record, version];
  }
}

/** Chooses the narrowest index range a filter set allows; everything else is checked per record. */
function describeRange(filters: ParameterFilter[]): Range {
  const path = filters.find((f) => f.key === 'Path');
  if (path?.values.length === 1) {
    const value = path.values[0] as string;
    return { prefix: value === '/' ? '/' : `${value}/`, oneLevel: path.option === 'OneLevel' };
  }
  const name = filters.find((f) => f.key === 'Name' && f.option !== 'Contains');
  if (name?.values.length === 1) return { prefix: name.values[0] as string, oneLevel: false };
  return { prefix: '', oneLevel: false };
}

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html: MaxResults 1-50. */
export function describeParameters(ctx: CallContext, input: Input): unknown {
  // AWS documents no default page size; 10 is assumed (what callers report seeing), so callers must loop.
  const limit = readLimit(input, 'MaxResults', 'maxResults', 50, 10);
  const filters = readDescribeFilters(input);
  const start = decodeToken(ctx, optString(input, 'NextToken'));
  ctx.onPage(start.page);
  const source = selectVersions(
    walk(ctx.scope, describeRange(filters), start.cursor),
    filters,
    ctx.listingView,
  );
  const page = takePage(source, pageSize(ctx, limit, start.page), ([record]) => record.name, start.cursor);
  const token = nextToken(ctx, page, start.page);
  return {
    Parameters: page.items.map(([record, version]) => metadataShape(ctx.scope, record, version)),
    ...(token ? { NextToken: token } : {}),
  };
}

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html: MaxResults 1-10. */
export function getParametersByPath(ctx: CallContext, input: Input): unknown {
  const path = normalisePath(reqString(input, 'Path', 'path'));
  const limit = readLimit(input, 'MaxResults', 'maxResults', 10, 10);
  const filters = parseFilters(optArray(input, 'ParameterFilters'), 'byPath');
  const start = decodeToken(ctx, optString(input, 'NextToken'));
  ctx.onPage(start.page);
  const range = {
    prefix: path === '/' ? '/' : `${path}/`,
    oneLevel: !(optBool(input, 'Recursive') ?? false),
  };
  const source = selectVersions(walk(ctx.scope, range, start.cursor), filters);
  const page = takePage(source, pageSize(ctx, limit, start.page), ([record]) => record.name, start.cursor);
  const decrypt = optBool(input, 'WithDecryption') ?? false;
  const token = nextToken(ctx, page, start.page);
  return {
    Parameters: page.items.map(([record, version]) => parameterShape(ctx.scope, record, version, decrypt)),
    ...(token ? { NextToken: token } : {}),
  };
}
