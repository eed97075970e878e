import {
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  type PutParameterCommandInput,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, ssmClient } from './clients.js';
import { type Endpoint, startEndpoint } from './index.js';

// Rules from https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html unless noted.
let ep: Endpoint;
const region = 'eu-west-1';
const ssm = () => ssmClient(ep, region);
const put = (input: PutParameterCommandInput) => ssm().send(new PutParameterCommand(input));
const describeOne = async (name: string) =>
  (await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] })))
    .Parameters?.[0];

beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => {
  ep.state.reset();
  ep.faults.clear();
});

describe('PutParameter', () => {
  it('creates version 1 in the Standard tier', async () => {
    const result = await put({ Name: '/app/db/host', Value: 'db.local', Type: 'String' });

    expect(result).toMatchObject({ Version: 1, Tier: 'Standard' });
    expect(ep.state.getParameter(region, '/app/db/host')?.versions[0]?.value).toBe('db.local');
  });

  it('refuses to replace an existing parameter without Overwrite (ParameterAlreadyExists)', async () => {
    await put({ Name: '/app/x', Value: 'a', Type: 'String' });

    const error = await rejectionOf(put({ Name: '/app/x', Value: 'b', Type: 'String' }));

    expect(error.name).toBe('ParameterAlreadyExists');
  });

  it("rejects Tags together with Overwrite with AWS's ValidationException message", async () => {
    const error = await rejectionOf(
      put({ Name: '/app/x', Value: 'a', Type: 'String', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] }),
    );

    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove " +
        'overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.',
    );
  });

  it('adds a version on every successful put, even with the same value', async () => {
    await put({ Name: '/app/x', Value: 'same', Type: 'String' });

    const second = await put({ Name: '/app/x', Value: 'same', Overwrite: true });

    expect(second.Version).toBe(2);
  });

  it('keeps the 100 most recent versions and drops the oldest (sysman-paramstore-versions.html)', async () => {
    for (let i = 1; i <= 101; i++)
      ep.state.putParameter({ region, name: '/app/v', value: `v${i}`, type: 'String' });

    const history = await ssm().send(new GetParameterHistoryCommand({ Name: '/app/v', MaxResults: 50 }));

    expect(ep.state.getParameter(region, '/app/v')?.versions).toHaveLength(100);
    expect(history.Parameters?.[0]?.Version).toBe(2);
  });

  it('refuses a 101st version when the oldest carries a label (ParameterMaxVersionLimitExceeded)', async () => {
    ep.state.putParameter({ region, name: '/app/v', value: 'v1', type: 'String' });
    await ssm().send(
      new LabelParameterVersionCommand({ Name: '/app/v', ParameterVersion: 1, Labels: ['golden'] }),
    );
    for (let i = 2; i <= 100; i++)
      ep.state.putParameter({ region, name: '/app/v', value: `v${i}`, type: 'String' });

    const error = await rejectionOf(put({ Name: '/app/v', Value: 'v101', Overwrite: true }));

    expect(error.name).toBe('ParameterMaxVersionLimitExceeded');
  });

  it('requires Type when creating a parameter', async () => {
    const error = await rejectionOf(put({ Name: '/app/x', Value: 'a' }));

    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe('A parameter type is required when you create a parameter.');
  });

  it('rejects an unknown Type', async () => {
    const error = await rejectionOf(put({ Name: '/app/x', Value: 'a', Type: 'Text' as 'String' }));

    expect(error.name).toBe('ValidationException');
  });

  it('keeps type, description and allowed pattern on overwrite when they are omitted', async () => {
    await put({
      Name: '/app/x',
      Value: '1',
      Type: 'StringList',
      Description: 'counts',
      AllowedPattern: '^[0-9,]+$',
    });

    await put({ Name: '/app/x', Value: '1,2', Overwrite: true });

    expect(await describeOne('/app/x')).toMatchObject({
      Type: 'StringList',
      Description: 'counts',
      AllowedPattern: '^[0-9,]+$',
      Version: 2,
    });
  });

  it('allows changing the type on overwrite', async () => {
    await put({ Name: '/app/x', Value: 'a', Type: 'String' });

    await put({ Name: '/app/x', Value: 'a', Type: 'SecureString', Overwrite: true });

    expect((await describeOne('/app/x'))?.Type).toBe('SecureString');
  });

  it('rejects a value that does not match AllowedPattern (ParameterPatternMismatchException)', async () => {
    const error = await rejectionOf(
      put({ Name: '/app/port', Value: 'eighty', Type: 'String', AllowedPattern: '^\\d+$' }),
    );

    expect(error.name).toBe('ParameterPatternMismatchException');
  });

  it('enforces the stored AllowedPattern on a later overwrite', async () => {
    await put({ Name: '/app/port', Value: '80', Type: 'String', AllowedPattern: '^\\d+$' });

    const error = await rejectionOf(put({ Name: '/app/port', Value: 'x', Overwrite: true }));

    expect(error.name).toBe('ParameterPatternMismatchException');
  });

  it('rejects an AllowedPattern that is not a regular expression (InvalidAllowedPatternException)', async () => {
    const error = await rejectionOf(
      put({ Name: '/app/port', Value: '80', Type: 'String', AllowedPattern: '([' }),
    );

    expect(error.name).toBe('InvalidAllowedPatternException');
  });

  it('records the caller as LastModifiedUser', async () => {
    await put({ Name: '/app/x', Value: 'a', Type: 'String' });

    expect((await describeOne('/app/x'))?.LastModifiedUser).toBe('arn:aws:iam::123456789012:user/local');
  });
});

// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
describe('PutParameter tiers and policies', () => {
  const expiration = JSON.stringify([
    { Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: '2030-01-01T00:00:00Z' } },
  ]);

  it('rejects a Standard value over 4096 bytes', async () => {
    const error = await rejectionOf(put({ Name: '/app/big', Value: 'x'.repeat(4097), Type: 'String' }));

    expect(error.name).toBe('ValidationException');
  });

  it('accepts 8192 bytes in the Advanced tier and rejects 8193', async () => {
    const ok = await put({ Name: '/app/big', Value: 'x'.repeat(8192), Type: 'String', Tier: 'Advanced' });
    const error = await rejectionOf(
      put({ Name: '/app/bigger', Value: 'x'.repeat(8193), Type: 'String', Tier: 'Advanced' }),
    );

    expect(ok.Tier).toBe('Advanced');
    expect(error.name).toBe('ValidationException');
  });

  it('refuses to move an Advanced parameter back to Standard', async () => {
    await put({ Name: '/app/a', Value: 'x', Type: 'String', Tier: 'Advanced' });

    const error = await rejectionOf(put({ Name: '/app/a', Value: 'y', Overwrite: true, Tier: 'Standard' }));

    expect(error.name).toBe('ValidationException');
  });

  it('keeps an Advanced parameter Advanced when an overwrite omits Tier', async () => {
    await put({ Name: '/app/a', Value: 'x', Type: 'String', Tier: 'Advanced' });

    const result = await put({ Name: '/app/a', Value: 'y', Overwrite: true });

    expect(result.Tier).toBe('Advanced');
  });

  it('resolves Intelligent-Tiering to Standard for a small value without policies', async () => {
    const result = await put({ Name: '/app/i', Value: 'small', Type: 'String', Tier: 'Intelligent-Tiering' });

    expect(result.Tier).toBe('Standard');
  });

  it('resolves Intelligent-Tiering to Advanced for a large value or policies', async () => {
    const large = await put({
      Name: '/app/i',
      Value: 'x'.repeat(5000),
      Type: 'String',
      Tier: 'Intelligent-Tiering',
    });
    const withPolicy = await put({
      Name: '/app/j',
      Value: 'x',
      Type: 'String',
      Tier: 'Intelligent-Tiering',
      Policies: expiration,
    });

    expect([large.Tier, withPolicy.Tier]).toEqual(['Advanced', 'Advanced']);
  });

  it('rejects policies on a Standard parameter', async () => {
    const error = await rejectionOf(
      put({ Name: '/app/p', Value: 'x', Type: 'String', Tier: 'Standard', Policies: expiration }),
    );

    expect(error.name).toBe('ValidationException');
  });

  it('stores policies on an Advanced parameter and reports them in DescribeParameters', async () => {
    await put({ Name: '/app/p', Value: 'x', Type: 'String', Tier: 'Advanced', Policies: expiration });

    const metadata = await describeOne('/app/p');

    expect(metadata?.Policies).toEqual([
      {
        PolicyText: expect.stringContaining('Expiration'),
        PolicyType: 'Expiration',
        PolicyStatus: 'Pending',
      },
    ]);
  });

  it('rejects an unknown policy type (InvalidPolicyTypeException)', async () => {
    const policies = JSON.stringify([{ Type: 'Rotate', Version: '1.0', Attributes: {} }]);

    const error = await rejectionOf(
      put({ Name: '/app/p', Value: 'x', Type: 'String', Tier: 'Advanced', Policies: policies }),
    );

    expect(error.name).toBe('InvalidPolicyTypeException');
  });

  it('reports ParameterLimitExceeded past the Standard quota and lets Intelligent-Tiering move to Advanced', async () => {
    const small = await startEndpoint({ limits: { standardParameters: 1 } });
    const client = ssmClient(small, region);
    await client.send(new PutParameterCommand({ Name: '/one', Value: 'x', Type: 'String' }));

    const error = await rejectionOf(
      client.send(new PutParameterCommand({ Name: '/two', Value: 'x', Type: 'String' })),
    );
    const tiered = await client.send(
      new PutParameterCommand({ Name: '/three', Value: 'x', Type: 'String', Tier: 'Intelligent-Tiering' }),
    );
    await small.stop();

    expect(error.name).toBe('ParameterLimitExceeded');
    expect(tiered.Tier).toBe('Advanced');
  });
});

// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html (naming constraints)
describe('PutParameter names', () => {
  it.each([
    ['a space', '/app/has space'],
    ['a character outside a-zA-Z0-9_.-/', '/app/semi;colon'],
    ['a hierarchy without a leading slash', 'app/x'],
    ['an empty level', '/app//x'],
    ['a trailing slash', '/app/x/'],
    ['the reserved prefix aws', 'awsThing'],
    ['the reserved prefix ssm in any case', '/SSM/thing'],
  ])('rejects a name with %s (ValidationException)', async (_, name) => {
    const error = await rejectionOf(put({ Name: name, Value: 'x', Type: 'String' }));

    expect(error.name).toBe('ValidationException');
  });

  it('refuses to write under the public /aws/ hierarchy (AccessDeniedException)', async () => {
    const error = await rejectionOf(put({ Name: '/aws/service/mine', Value: 'x', Type: 'String' }));

    expect(error.name).toBe('AccessDeniedException');
  });

  it('accepts 15 hierarchy levels and rejects 16 (HierarchyLevelLimitExceededException)', async () => {
    const levels = (n: number) => Array.from({ length: n }, (_, i) => `/l${i}`).join('');

    const ok = await put({ Name: levels(15), Value: 'x', Type: 'String' });
    const error = await rejectionOf(put({ Name: levels(16), Value: 'x', Type: 'String' }));

    expect(ok.Version).toBe(1);
    expect(error.name).toBe('HierarchyLevelLimitExceededException');
  });

  it('accepts a name of 1011 characters and rejects 1012', async () => {
    const ok = await put({ Name: `/${'n'.repeat(1010)}`, Value: 'x', Type: 'String' });
    const error = await rejectionOf(put({ Name: `/${'n'.repeat(1011)}`, Value: 'x', Type: 'String' }));

    expect(ok.Version).toBe(1);
    expect(error.name).toBe('ValidationException');
  });

  it('accepts a name without a hierarchy', async () => {
    const result = await put({ Name: 'plain-name_1.2', Value: 'x', Type: 'String' });

    expect(result.Version).toBe(1);
  });
});

// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html
describe('PutParameter with DataType aws:ec2:image', () => {
  it('answers 200 but creates nothing when the AMI is not registered in the region', async () => {
    const result = await put({
      Name: '/app/ami',
      Value: 'ami-0123456789abcdef0',
      Type: 'String',
      DataType: 'aws:ec2:image',
    });

    const error = await rejectionOf(ssm().send(new GetParameterCommand({ Name: '/app/ami' })));

    expect(result.Version).toBe(1);
    expect(error.name).toBe('ParameterNotFound');
  });

  it('creates the parameter when the AMI is registered in that region', async () => {
    ep.state.registerAmi(region, 'ami-0123456789abcdef0');

    await put({
      Name: '/app/ami',
      Value: 'ami-0123456789abcdef0',
      Type: 'String',
      DataType: 'aws:ec2:image',
    });
    const got = await ssm().send(new GetParameterCommand({ Name: '/app/ami' }));

    expect(got.Parameter).toMatchObject({ Value: 'ami-0123456789abcdef0', DataType: 'aws:ec2:image' });
  });

  it('treats an AMI registered in another region as unknown', async () => {
    ep.state.registerAmi('us-east-1', 'ami-0123456789abcdef0');

    await put({
      Name: '/app/ami',
      Value: 'ami-0123456789abcdef0',
      Type: 'String',
      DataType: 'aws:ec2:image',
    });

    expect(ep.state.getParameter(region, '/app/ami')).toBeUndefined();
  });

  it('rejects an unsupported data type', async () => {
    const error = await rejectionOf(put({ Name: '/app/x', Value: '1', Type: 'String', DataType: 'Integer' }));

    expect(error.name).toBe('ValidationException');
  });
});
