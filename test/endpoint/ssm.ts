import type { CallContext, Handler } from './context.js';
import { type Input, optArray, optBool, optString, reqString } from './input.js';
import { describeParameters, getParametersByPath } from './ssm-list.js';
import { putParameter } from './ssm-put.js';
import {
  getParameter,
  getParameterHistory,
  getParameters,
  labelParameterVersion,
  unlabelParameterVersion,
} from './ssm-read.js';
import {
  addTagsToResource,
  deleteParameter,
  deleteParameters,
  listTagsForResource,
  removeTagsFromResource,
} from './ssm-tags.js';
import { parseTags } from './ssm-validate.js';

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html */
function putParameterHandler(ctx: CallContext, input: Input): unknown {
  const optional = (key: string) => optString(input, key);
  const fields = {
    type: optional('Type'),
    keyId: optional('KeyId'),
    description: optional('Description'),
    allowedPattern: optional('AllowedPattern'),
    tags: parseTags(optArray(input, 'Tags')),
    tier: optional('Tier'),
    policies: optional('Policies'),
    dataType: optional('DataType'),
  };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const result = putParameter(
    { scope: ctx.scope, now: ctx.now, user: ctx.principal.arn, limits: ctx.state.parameterLimits() },
    {
      name: reqString(input, 'Name', 'name'),
      value: reqString(input, 'Value', 'value'),
      overwrite: optBool(input, 'Overwrite') ?? false,
      ...defined,
    },
  );
  return { Version: result.version, Tier: result.tier };
}

/** Operation name (after `AmazonSSM.`) to handler. */
export const ssmHandlers: Record<string, Handler> = {
  PutParameter: putParameterHandler,
  GetParameter: getParameter,
  GetParameters: getParameters,
  GetParametersByPath: getParametersByPath,
  DescribeParameters: describeParameters,
  GetParameterHistory: getParameterHistory,
  DeleteParameter: deleteParameter,
  DeleteParameters: deleteParameters,
  AddTagsToResource: addTagsToResource,
  RemoveTagsFromResource: removeTagsFromResource,
  ListTagsForResource: listTagsForResource,
  LabelParameterVersion: labelParameterVersion,
  UnlabelParameterVersion: unlabelParameterVersion,
};
