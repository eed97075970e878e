import { GetResourcesCommand, paginateGetResources } from '@aws-sdk/client-resource-groups-tagging-api';
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DescribeParametersCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  type Tag,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, ssmClient, taggingClient } from './clients.js';
import { type Endpoint, startEndpoint } from './index.js';

let ep: Endpoint;
const region = 'eu-west-1';
const ssm = () => ssmClient(ep, region);
const seed = (name: string, tags?: Record<string, string>) =>
  ep.state.putParameter({ region, name, value: 'v', type: 'String', ...(tags ? { tags } : {}) });
const addTags = (ResourceId: string, Tags: Tag[]) =>
  ssm().send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId, Tags }));
const tagsOf = async (ResourceId: string) =>
  (await ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId }))).TagList;

beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => ep.state.reset());

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html and API_Tag.html
describe('parameter tags', () => {
  it('are set on create, added, overwritten by key, listed and removed', async () => {
    await ssm().send(
      new PutParameterCommand({
        Name: '/app/x',
        Value: 'v',
        Type: 'String',
        Tags: [{ Key: 'team', Value: 'core' }],
      }),
    );

    await addTags('/app/x', [
      { Key: 'team', Value: 'data' },
      { Key: 'env', Value: 'prod' },
    ]);
    await ssm().send(
      new RemoveTagsFromResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: '/app/x',
        TagKeys: ['env', 'absent'],
      }),
    );

    expect(await tagsOf('/app/x')).toEqual([{ Key: 'team', Value: 'data' }]);
  });

  it('report InvalidResourceId for a missing parameter', async () => {
    const error = await rejectionOf(addTags('/missing', [{ Key: 'k', Value: 'v' }]));

    expect(error.name).toBe('InvalidResourceId');
  });

  it('allow 50 tags per parameter and refuse the 51st (TooManyTagsError)', async () => {
    seed('/app/x');
    const fifty = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await addTags('/app/x', fifty);

    const error = await rejectionOf(addTags('/app/x', [{ Key: 'one-more', Value: 'v' }]));

    expect(error.name).toBe('TooManyTagsError');
  });

  it.each([
    ['a key over 128 characters', { Key: 'k'.repeat(129), Value: 'v' }],
    ['a value over 256 characters', { Key: 'k', Value: 'v'.repeat(257) }],
    ['a key with a character outside the pattern', { Key: 'bad#key', Value: 'v' }],
    ['an empty key', { Key: '', Value: 'v' }],
    ['the reserved aws: prefix', { Key: 'aws:owner', Value: 'v' }],
  ])('reject %s (ValidationException)', async (_, tag) => {
    seed('/app/x');

    const error = await rejectionOf(addTags('/app/x', [tag]));

    expect(error.name).toBe('ValidationException');
  });

  it('accept letters, numbers, spaces and _ . : / = + - @ in keys and values', async () => {
    seed('/app/x');

    await addTags('/app/x', [{ Key: 'Owner Name_1.:/=+-@', Value: 'Jo Müller' }]);

    expect(await tagsOf('/app/x')).toEqual([{ Key: 'Owner Name_1.:/=+-@', Value: 'Jo Müller' }]);
  });
});

// https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html
describe('Resource Groups Tagging API GetResources', () => {
  const tagging = () => taggingClient(ep, region);

  it('lists parameters that are or were tagged, never the untagged ones', async () => {
    seed('/tagged', { team: 'core' });
    seed('/formerly', { team: 'core' });
    seed('/never');
    await ssm().send(
      new RemoveTagsFromResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: '/formerly',
        TagKeys: ['team'],
      }),
    );

    const result = await tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ['ssm:parameter'] }));

    expect(result.ResourceTagMappingList).toEqual([
      { ResourceARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/formerly', Tags: [] },
      {
        ResourceARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/tagged',
        Tags: [{ Key: 'team', Value: 'core' }],
      },
    ]);
    expect(result.PaginationToken).toBe('');
  });

  it('drops a deleted parameter', async () => {
    seed('/gone', { team: 'core' });
    await ssm().send(new DeleteParameterCommand({ Name: '/gone' }));

    const result = await tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ['ssm:parameter'] }));

    expect(result.ResourceTagMappingList).toEqual([]);
  });

  it('filters by tag key and values', async () => {
    seed('/a', { team: 'core' });
    seed('/b', { team: 'data' });
    seed('/c', { env: 'prod' });

    const byKey = await tagging().send(new GetResourcesCommand({ TagFilters: [{ Key: 'team' }] }));
    const byValue = await tagging().send(
      new GetResourcesCommand({ TagFilters: [{ Key: 'team', Values: ['data'] }] }),
    );

    expect(byKey.ResourceTagMappingList).toHaveLength(2);
    expect(byValue.ResourceTagMappingList?.map((r) => r.ResourceARN)).toEqual([
      'arn:aws:ssm:eu-west-1:123456789012:parameter/b',
    ]);
  });

  it('filters by a tag key named like an Object.prototype member only what carries it', async () => {
    seed('/a', { team: 'core' });
    seed(
      '/b',
      Object.fromEntries([
        ['constructor', 'x'],
        ['__proto__', 'p'],
      ]),
    );

    const listed = await tagging().send(new GetResourcesCommand({ TagFilters: [{ Key: 'constructor' }] }));
    const described = await ssm().send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag:toString' }] }),
    );
    await addTags('/a', [{ Key: 'valueOf', Value: 'v' }]);

    expect(listed.ResourceTagMappingList?.map((r) => r.ResourceARN)).toEqual([
      'arn:aws:ssm:eu-west-1:123456789012:parameter/b',
    ]);
    expect(described.Parameters).toEqual([]);
    expect(await tagsOf('/b')).toEqual([
      { Key: 'constructor', Value: 'x' },
      { Key: '__proto__', Value: 'p' },
    ]);
    expect(await tagsOf('/a')).toEqual([
      { Key: 'team', Value: 'core' },
      { Key: 'valueOf', Value: 'v' },
    ]);
  });

  it('returns nothing for other resource types', async () => {
    seed('/a', { team: 'core' });

    const result = await tagging().send(new GetResourcesCommand({ ResourceTypeFilters: ['ec2:instance'] }));

    expect(result.ResourceTagMappingList).toEqual([]);
  });

  it('pages with PaginationToken until it comes back empty', async () => {
    for (let i = 0; i < 7; i++) seed(`/p${i}`, { n: String(i) });
    const sizes: number[] = [];

    for await (const page of paginateGetResources({ client: tagging() }, { ResourcesPerPage: 3 })) {
      sizes.push(page.ResourceTagMappingList?.length ?? 0);
    }

    expect(sizes).toEqual([3, 3, 1]);
  });

  it("rejects ResourcesPerPage over 100 (InvalidParameterException, the API's own input error)", async () => {
    const error = await rejectionOf(tagging().send(new GetResourcesCommand({ ResourcesPerPage: 101 })));

    expect(error.name).toBe('InvalidParameterException');
  });
});

/*
 * Tags are metadata beside a parameter's versions: adding or removing one writes no version and leaves
 * LastModifiedDate and LastModifiedUser alone ("Each time you edit the value of a parameter, Parameter
 * Store creates a new version", https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html;
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html). Sync records
 * (src/plan/sync-record.ts) rely on it.
 */
describe('tag calls on a parameter', () => {
  let ticking: Endpoint;
  let now = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    ticking = await startEndpoint({ clock: () => (now += 1000) });
  });
  afterAll(() => ticking.stop());

  it('change neither its Version nor its LastModifiedDate nor its LastModifiedUser', async () => {
    const client = ssmClient(ticking, region);
    ticking.state.putParameter({ region, name: '/app/t', value: 'v', type: 'String' });
    const describe = async () =>
      (
        await client.send(
          new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/app/t'] }] }),
        )
      ).Parameters?.[0];
    const before = await describe();

    await client.send(
      new AddTagsToResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: '/app/t',
        Tags: [{ Key: 'k', Value: 'v' }],
      }),
    );
    await client.send(
      new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/app/t', TagKeys: ['k'] }),
    );

    const after = await describe();
    expect(before?.Version).toBe(1);
    expect(after).toMatchObject({
      Version: before?.Version,
      LastModifiedDate: before?.LastModifiedDate,
      LastModifiedUser: before?.LastModifiedUser,
    });
  });
});
