import {
  DescribeParametersCommand,
  type DescribeParametersCommandInput,
  GetParametersByPathCommand,
  type ParameterStringFilter,
  paginateDescribeParameters,
  paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, ssmClient } from './clients.js';
import { type Endpoint, type SeedParameter, startEndpoint } from './index.js';

let ep: Endpoint;
const region = 'eu-west-1';
const ssm = () => ssmClient(ep, region);
const seed = (name: string, extra: Partial<SeedParameter> = {}) =>
  ep.state.putParameter({ region, name, value: 'v', type: 'String', ...extra });

async function describeAll(input: DescribeParametersCommandInput = {}): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateDescribeParameters({ client: ssm() }, input)) {
    names.push(...(page.Parameters ?? []).map((p) => p.Name ?? ''));
  }
  return names;
}

async function byPathAll(path: string, recursive: boolean): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateGetParametersByPath(
    { client: ssm() },
    { Path: path, Recursive: recursive },
  )) {
    names.push(...(page.Parameters ?? []).map((p) => p.Name ?? ''));
  }
  return names;
}

const filtered = (...filters: ParameterStringFilter[]) => describeAll({ ParameterFilters: filters });

beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => {
  ep.state.reset();
  ep.faults.clear();
});

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
describe('GetParametersByPath', () => {
  beforeEach(() => {
    for (const name of ['/app/a', '/app/b', '/app/db/host', '/app/db/deep/x', '/apple', '/other/z'])
      seed(name);
  });

  it('lists one level by default', async () => {
    expect(await byPathAll('/app', false)).toEqual(['/app/a', '/app/b']);
  });

  it('lists the whole sub-tree with Recursive', async () => {
    expect(await byPathAll('/app', true)).toEqual(['/app/a', '/app/b', '/app/db/deep/x', '/app/db/host']);
  });

  it('lists top-level names under /', async () => {
    expect(await byPathAll('/', false)).toEqual(['/apple']);
  });

  it("rejects MaxResults over 10 with AWS's message", async () => {
    const error = await rejectionOf(
      ssm().send(new GetParametersByPathCommand({ Path: '/app', MaxResults: 11 })),
    );

    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
  });

  it('serves 10 per page when MaxResults is omitted', async () => {
    for (let i = 0; i < 25; i++) seed(`/many/p${String(i).padStart(2, '0')}`);

    const first = await ssm().send(new GetParametersByPathCommand({ Path: '/many' }));

    expect(first.Parameters).toHaveLength(10);
    expect(first.NextToken).toEqual(expect.any(String));
  });

  it('accepts only Type, KeyId and Label filters (InvalidFilterKey otherwise)', async () => {
    const error = await rejectionOf(
      ssm().send(
        new GetParametersByPathCommand({
          Path: '/app',
          ParameterFilters: [{ Key: 'Name', Values: ['/app/a'] }],
        }),
      ),
    );

    expect(error.name).toBe('InvalidFilterKey');
  });

  it('filters by Type', async () => {
    seed('/app/s', { type: 'SecureString' });

    const result = await ssm().send(
      new GetParametersByPathCommand({
        Path: '/app',
        ParameterFilters: [{ Key: 'Type', Values: ['SecureString'] }],
      }),
    );

    expect(result.Parameters?.map((p) => p.Name)).toEqual(['/app/s']);
  });

  it('rejects a path without a leading slash', async () => {
    const error = await rejectionOf(ssm().send(new GetParametersByPathCommand({ Path: 'app' })));

    expect(error.name).toBe('ValidationException');
  });
});

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html
describe('DescribeParameters', () => {
  it('serves 10 per page when MaxResults is omitted and pages through everything', async () => {
    for (let i = 0; i < 23; i++) seed(`/p/${String(i).padStart(2, '0')}`);

    const first = await ssm().send(new DescribeParametersCommand({}));

    expect(first.Parameters).toHaveLength(10);
    expect(await describeAll()).toHaveLength(23);
  });

  it('rejects MaxResults over 50', async () => {
    const error = await rejectionOf(ssm().send(new DescribeParametersCommand({ MaxResults: 51 })));

    expect(error.message).toBe(
      "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
  });

  it('hands out opaque tokens that are invalid in another region (InvalidNextToken)', async () => {
    for (let i = 0; i < 3; i++) seed(`/p/${i}`);
    const first = await ssm().send(new DescribeParametersCommand({ MaxResults: 1 }));

    const error = await rejectionOf(
      ssmClient(ep, 'us-east-1').send(
        new DescribeParametersCommand({ MaxResults: 1, NextToken: first.NextToken }),
      ),
    );

    expect(first.NextToken).not.toMatch(/^\d+$/);
    expect(error.name).toBe('InvalidNextToken');
  });

  it('keeps a cursor across writes: a parameter created mid-listing behind the cursor is not repeated', async () => {
    for (const name of ['/p/b', '/p/c', '/p/d']) seed(name);
    const first = await ssm().send(new DescribeParametersCommand({ MaxResults: 2 }));
    seed('/p/a');

    const rest = await ssm().send(
      new DescribeParametersCommand({ MaxResults: 2, NextToken: first.NextToken }),
    );

    expect(rest.Parameters?.map((p) => p.Name)).toEqual(['/p/d']);
  });
});

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html
describe('DescribeParameters filters', () => {
  beforeEach(() => {
    ep.state.createKey({ region, alias: 'alias/app' });
    seed('/app/a', { tags: { team: 'core' } });
    seed('/app/db/host', { type: 'SecureString', keyId: 'alias/app', tags: { team: 'data' } });
    seed('/app/big', { tier: 'Advanced' });
    seed('/app/list', { type: 'StringList' });
    seed('/other/a');
  });

  it('filters by Path one level (the default) and recursively', async () => {
    expect(await filtered({ Key: 'Path', Values: ['/app'] })).toEqual(['/app/a', '/app/big', '/app/list']);
    expect(await filtered({ Key: 'Path', Option: 'Recursive', Values: ['/app'] })).toEqual([
      '/app/a',
      '/app/big',
      '/app/db/host',
      '/app/list',
    ]);
  });

  it('filters by Name with Equals and BeginsWith', async () => {
    expect(await filtered({ Key: 'Name', Values: ['/app/a'] })).toEqual(['/app/a']);
    expect(await filtered({ Key: 'Name', Option: 'BeginsWith', Values: ['/app/b'] })).toEqual(['/app/big']);
  });

  it('filters by Type, KeyId, Tier and DataType', async () => {
    expect(await filtered({ Key: 'Type', Values: ['SecureString'] })).toEqual(['/app/db/host']);
    expect(await filtered({ Key: 'KeyId', Values: ['alias/app'] })).toEqual(['/app/db/host']);
    expect(await filtered({ Key: 'Tier', Values: ['Advanced'] })).toEqual(['/app/big']);
    expect(await filtered({ Key: 'DataType', Values: ['text'] })).toHaveLength(5);
  });

  it('filters by tag key, with or without values', async () => {
    expect(await filtered({ Key: 'tag:team' })).toEqual(['/app/a', '/app/db/host']);
    expect(await filtered({ Key: 'tag:team', Values: ['data'] })).toEqual(['/app/db/host']);
  });

  it('combines filters with AND', async () => {
    expect(
      await filtered(
        { Key: 'Path', Option: 'Recursive', Values: ['/app'] },
        { Key: 'Type', Values: ['String'] },
      ),
    ).toEqual(['/app/a', '/app/big']);
  });

  it('rejects the Label key (InvalidFilterKey)', async () => {
    const error = await rejectionOf(filtered({ Key: 'Label', Values: ['x'] }));

    expect(error.name).toBe('InvalidFilterKey');
  });

  it('rejects a key outside the documented pattern, e.g. tag-key (ValidationException)', async () => {
    const error = await rejectionOf(filtered({ Key: 'tag-key', Values: ['team'] }));

    expect(error.name).toBe('ValidationException');
  });

  it('rejects an option the key does not support (InvalidFilterOption)', async () => {
    const error = await rejectionOf(filtered({ Key: 'Path', Option: 'BeginsWith', Values: ['/app'] }));

    expect(error.name).toBe('InvalidFilterOption');
  });

  it('rejects a duplicated key (InvalidFilterKey)', async () => {
    const error = await rejectionOf(
      filtered({ Key: 'Type', Values: ['String'] }, { Key: 'Type', Values: ['StringList'] }),
    );

    expect(error.name).toBe('InvalidFilterKey');
  });

  it('rejects Filters and ParameterFilters together', async () => {
    const error = await rejectionOf(
      describeAll({
        Filters: [{ Key: 'Name', Values: ['/app'] }],
        ParameterFilters: [{ Key: 'Type', Values: ['String'] }],
      }),
    );

    expect(error.name).toBe('ValidationException');
  });
});

describe('short pages', () => {
  beforeEach(() => {
    for (let i = 0; i < 30; i++) seed(`/s/${String(i).padStart(2, '0')}`);
    ep.faults.shortPages(true);
  });

  it('serve short and empty pages that still carry a NextToken', async () => {
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await ssm().send(new DescribeParametersCommand({ MaxResults: 10, NextToken: token }));
      sizes.push(page.Parameters?.length ?? 0);
      token = page.NextToken;
    } while (token);

    expect(sizes).toContain(0);
    expect(Math.max(...sizes)).toBeLessThan(10);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(30);
  });

  it('still yield every parameter to a caller that loops until no token', async () => {
    expect(await byPathAll('/s', false)).toHaveLength(30);
  });
});
