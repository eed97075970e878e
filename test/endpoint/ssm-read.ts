import type { CallContext } from './context.js';
import { AwsError, constraintViolation } from './errors.js';
import { type Input, optBool, optNumber, optString, optStringArray, reqString } from './input.js';
import type { ParameterRecord, ParameterVersion } from './model.js';
import { decodeToken, nextToken, readLimit, takePage } from './paging.js';
import { historyShape, parameterNotFound, parameterShape } from './ssm-shapes.js';
import { isValidLabel } from './ssm-validate.js';

interface Selected {
  record: ParameterRecord;
  version: ParameterVersion;
  selector: string | undefined;
}

const ARN_NAME = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\d{12}):parameter(\/.*)$/;

/**
 * Resolves `name`, `name:version` or `name:label`
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html#systemsmanager-GetParameter-request-Name).
 */
export function select(ctx: CallContext, reference: string): Selected {
  let ref = reference;
  const arn = ARN_NAME.exec(ref);
  if (arn) {
    const [, region, account, rest = ''] = arn;
    if (region !== ctx.region || account !== ctx.account) throw parameterNotFound(reference);
    // The ARN of a name without a leading slash still has one after "parameter".
    ref = ctx.scope.parameters.has(rest) ? rest : rest.slice(1);
  }
  const colon = ref.indexOf(':');
  const name = colon < 0 ? ref : ref.slice(0, colon);
  const selector = colon < 0 ? undefined : ref.slice(colon);
  const record = ctx.scope.parameters.get(name);
  if (!record) throw parameterNotFound(name);
  if (selector === undefined)
    return { record, version: record.versions[record.versions.length - 1] as ParameterVersion, selector };
  const wanted = selector.slice(1);
  const version = /^\d+$/.test(wanted)
    ? record.versions.find((v) => v.version === Number(wanted))
    : record.versions.find((v) => v.labels.includes(wanted));
  if (!version) {
    throw new AwsError(
      'ParameterVersionNotFound',
      `Systems Manager could not find version ${wanted} of ${name}. Verify the version and try again.`,
    );
  }
  return { record, version, selector };
}

export function getParameter(ctx: CallContext, input: Input): unknown {
  const { record, version, selector } = select(ctx, reqString(input, 'Name', 'name'));
  return {
    Parameter: parameterShape(
      ctx.scope,
      record,
      version,
      optBool(input, 'WithDecryption') ?? false,
      selector,
    ),
  };
}

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html: 1 to 10 names. */
export function checkNameBatch(names: string[] | undefined): string[] {
  if (names === undefined) throw constraintViolation(null, 'names', 'Member must not be null');
  if (names.length < 1)
    throw constraintViolation('[]', 'names', 'Member must have length greater than or equal to 1');
  if (names.length > 10) {
    throw constraintViolation(
      `[${names.join(', ')}]`,
      'names',
      'Member must have length less than or equal to 10',
    );
  }
  return [...new Set(names)];
}

export function getParameters(ctx: CallContext, input: Input): unknown {
  const names = checkNameBatch(optStringArray(input, 'Names'));
  const decrypt = optBool(input, 'WithDecryption') ?? false;
  const found: unknown[] = [];
  const invalid: string[] = [];
  for (const name of names) {
    try {
      const { record, version, selector } = select(ctx, name);
      found.push(parameterShape(ctx.scope, record, version, decrypt, selector));
    } catch (error) {
      if (
        !(error instanceof AwsError) ||
        !['ParameterNotFound', 'ParameterVersionNotFound'].includes(error.code)
      )
        throw error;
      invalid.push(name);
    }
  }
  return { Parameters: found, InvalidParameters: invalid };
}

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameterHistory.html: MaxResults 1-50. */
export function getParameterHistory(ctx: CallContext, input: Input): unknown {
  const name = reqString(input, 'Name', 'name');
  const limit = readLimit(input, 'MaxResults', 'maxResults', 50, 50);
  const start = decodeToken(ctx, optString(input, 'NextToken'));
  const record = ctx.scope.parameters.get(name);
  if (!record) throw parameterNotFound(name);
  ctx.onPage(start.page);
  const after = start.cursor === undefined ? 0 : Number(start.cursor);
  const page = takePage(
    record.versions.filter((v) => v.version > after),
    limit,
    (v) => String(v.version),
    start.cursor,
  );
  const decrypt = optBool(input, 'WithDecryption') ?? false;
  const token = nextToken(ctx, page, start.page);
  return {
    Parameters: page.items.map((v) => historyShape(ctx.scope, record, v, decrypt)),
    ...(token ? { NextToken: token } : {}),
  };
}

function versionFor(record: ParameterRecord, wanted: number | undefined): ParameterVersion {
  const version =
    wanted === undefined
      ? record.versions[record.versions.length - 1]
      : record.versions.find((v) => v.version === wanted);
  if (!version) {
    throw new AwsError(
      'ParameterVersionNotFound',
      `Systems Manager could not find version ${wanted} of ${record.name}. Verify the version and try again.`,
    );
  }
  return version;
}

/** https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-labels.html */
export function labelParameterVersion(ctx: CallContext, input: Input): unknown {
  const name = reqString(input, 'Name', 'name');
  const labels = optStringArray(input, 'Labels') ?? [];
  if (labels.length < 1 || labels.length > 10) {
    throw constraintViolation(`[${labels.join(', ')}]`, 'labels', 'Member must have length between 1 and 10');
  }
  const record = ctx.scope.parameters.get(name);
  if (!record) throw parameterNotFound(name);
  const target = versionFor(record, optNumber(input, 'ParameterVersion'));
  const valid = [...new Set(labels.filter(isValidLabel))];
  const invalid = labels.filter((label) => !isValidLabel(label));
  const merged = new Set([...target.labels, ...valid]);
  if (merged.size > 10) {
    throw new AwsError(
      'ParameterVersionLabelLimitExceeded',
      'A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.',
    );
  }
  // A label names one version at a time: attaching it elsewhere moves it.
  for (const version of record.versions) {
    if (version !== target) version.labels = version.labels.filter((label) => !valid.includes(label));
  }
  target.labels = [...merged];
  return { InvalidLabels: invalid, ParameterVersion: target.version };
}

export function unlabelParameterVersion(ctx: CallContext, input: Input): unknown {
  const name = reqString(input, 'Name', 'name');
  const labels = optStringArray(input, 'Labels') ?? [];
  const record = ctx.scope.parameters.get(name);
  if (!record) throw parameterNotFound(name);
  const target = versionFor(record, optNumber(input, 'ParameterVersion'));
  const removed = labels.filter((label) => target.labels.includes(label));
  target.labels = target.labels.filter((label) => !labels.includes(label));
  return { RemovedLabels: removed, InvalidLabels: labels.filter((label) => !removed.includes(label)) };
}
