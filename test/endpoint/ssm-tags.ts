import type { CallContext } from './context.js';
import { AwsError, constraintViolation } from './errors.js';
import { type Input, optArray, optStringArray, reqString } from './input.js';
import type { ParameterRecord } from './model.js';
import { removeSorted } from './sorted.js';
import { onParameterRemoved } from './ssm-put.js';
import { checkNameBatch } from './ssm-read.js';
import { parameterNotFound } from './ssm-shapes.js';
import { MAX_TAGS, parseTags, tooManyTags } from './ssm-validate.js';

const RESOURCE_TYPES = [
  'Document',
  'ManagedInstance',
  'MaintenanceWindow',
  'Parameter',
  'PatchBaseline',
  'OpsItem',
  'OpsMetadata',
  'Automation',
  'Association',
];

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html */
function taggedParameter(ctx: CallContext, input: Input): ParameterRecord {
  const type = reqString(input, 'ResourceType', 'resourceType');
  const id = reqString(input, 'ResourceId', 'resourceId');
  if (!RESOURCE_TYPES.includes(type)) {
    throw constraintViolation(
      type,
      'resourceType',
      `Member must satisfy enum value set: [${RESOURCE_TYPES.join(', ')}]`,
    );
  }
  // Only parameters exist here; any other taggable type is a type this endpoint cannot resolve.
  if (type !== 'Parameter') throw new AwsError('InvalidResourceType', 'The resource type is not valid.');
  const record = ctx.scope.parameters.get(id);
  if (!record) {
    throw new AwsError(
      'InvalidResourceId',
      'The resource ID is not valid. Verify that you entered the correct ID and try again.',
    );
  }
  return record;
}

export function addTagsToResource(ctx: CallContext, input: Input): unknown {
  const tags = parseTags(optArray(input, 'Tags')) ?? [];
  const record = taggedParameter(ctx, input);
  const merged = { ...record.tags, ...Object.fromEntries(tags) };
  if (Object.keys(merged).length > MAX_TAGS) throw tooManyTags();
  record.tags = merged;
  record.everTagged ||= tags.length > 0;
  return {};
}

export function removeTagsFromResource(ctx: CallContext, input: Input): unknown {
  const keys = optStringArray(input, 'TagKeys') ?? [];
  const record = taggedParameter(ctx, input);
  for (const key of keys) delete record.tags[key];
  return {};
}

export function listTagsForResource(ctx: CallContext, input: Input): unknown {
  const record = taggedParameter(ctx, input);
  return { TagList: Object.entries(record.tags).map(([Key, Value]) => ({ Key, Value })) };
}

function remove(ctx: CallContext, name: string): boolean {
  const record = ctx.scope.parameters.get(name);
  if (!record) return false;
  onParameterRemoved(ctx.scope, record);
  ctx.scope.parameters.delete(name);
  removeSorted(ctx.scope.names, name);
  return true;
}

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DeleteParameter.html */
export function deleteParameter(ctx: CallContext, input: Input): unknown {
  const name = reqString(input, 'Name', 'name');
  if (!remove(ctx, name)) throw parameterNotFound(name);
  return {};
}

/** https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DeleteParameters.html: 1-10 names. */
export function deleteParameters(ctx: CallContext, input: Input): unknown {
  const names = checkNameBatch(optStringArray(input, 'Names'));
  const deleted: string[] = [];
  const invalid: string[] = [];
  for (const name of names) (remove(ctx, name) ? deleted : invalid).push(name);
  return { DeletedParameters: deleted, InvalidParameters: invalid };
}
