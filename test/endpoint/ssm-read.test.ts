import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  paginateGetParameterHistory,
  UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, ssmClient } from './clients.js';
import { type Endpoint, startEndpoint } from './index.js';

let ep: Endpoint;
const region = 'eu-west-1';
const ssm = () => ssmClient(ep, region);
const seed = (name: string, ...values: string[]) => {
  for (const value of values) ep.state.putParameter({ region, name, value, type: 'String' });
};

beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => ep.state.reset());

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html
describe('GetParameter', () => {
  it('returns the latest version with ARN, version, data type and date', async () => {
    seed('/app/x', 'one', 'two');

    const { Parameter } = await ssm().send(new GetParameterCommand({ Name: '/app/x' }));

    expect(Parameter).toMatchObject({
      Name: '/app/x',
      Type: 'String',
      Value: 'two',
      Version: 2,
      DataType: 'text',
      ARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/x',
    });
    expect(Parameter?.LastModifiedDate).toBeInstanceOf(Date);
  });

  it('builds the ARN of a name without a leading slash with one slash after "parameter"', async () => {
    seed('plain', 'v');

    const { Parameter } = await ssm().send(new GetParameterCommand({ Name: 'plain' }));

    expect(Parameter?.ARN).toBe('arn:aws:ssm:eu-west-1:123456789012:parameter/plain');
  });

  it('selects a version with name:version and a label with name:label', async () => {
    seed('/app/x', 'one', 'two', 'three');
    await ssm().send(
      new LabelParameterVersionCommand({ Name: '/app/x', ParameterVersion: 1, Labels: ['stable'] }),
    );

    const byVersion = await ssm().send(new GetParameterCommand({ Name: '/app/x:2' }));
    const byLabel = await ssm().send(new GetParameterCommand({ Name: '/app/x:stable' }));

    expect(byVersion.Parameter).toMatchObject({ Name: '/app/x', Value: 'two', Selector: ':2' });
    expect(byLabel.Parameter).toMatchObject({ Value: 'one', Selector: ':stable' });
  });

  it('reports ParameterVersionNotFound for a missing version and ParameterNotFound for a missing name', async () => {
    seed('/app/x', 'one');

    const version = await rejectionOf(ssm().send(new GetParameterCommand({ Name: '/app/x:9' })));
    const name = await rejectionOf(ssm().send(new GetParameterCommand({ Name: '/app/missing' })));

    expect([version.name, name.name]).toEqual(['ParameterVersionNotFound', 'ParameterNotFound']);
  });

  it('keeps regions apart: a parameter in one region is not found in another', async () => {
    seed('/app/x', 'v');

    const error = await rejectionOf(
      ssmClient(ep, 'us-east-1').send(new GetParameterCommand({ Name: '/app/x' })),
    );

    expect(error.name).toBe('ParameterNotFound');
  });
});

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html
describe('GetParameters', () => {
  it('returns found parameters and lists missing names in InvalidParameters', async () => {
    seed('/a', '1');
    seed('/b', '2');

    const result = await ssm().send(new GetParametersCommand({ Names: ['/a', '/missing', '/b'] }));

    expect(result.Parameters?.map((p) => p.Name)).toEqual(['/a', '/b']);
    expect(result.InvalidParameters).toEqual(['/missing']);
  });

  it('rejects more than 10 names with a ValidationException', async () => {
    const names = Array.from({ length: 11 }, (_, i) => `/p${i}`);

    const error = await rejectionOf(ssm().send(new GetParametersCommand({ Names: names })));

    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(
      "at 'names' failed to satisfy constraint: Member must have length less than or equal to 10",
    );
  });
});

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameterHistory.html
describe('GetParameterHistory', () => {
  it('pages through every version oldest first', async () => {
    seed('/app/x', 'a', 'b', 'c', 'd', 'e');
    const versions: number[] = [];

    for await (const page of paginateGetParameterHistory(
      { client: ssm(), pageSize: 2 },
      { Name: '/app/x' },
    )) {
      versions.push(...(page.Parameters ?? []).map((p) => p.Version ?? 0));
    }

    expect(versions).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects MaxResults over 50', async () => {
    seed('/app/x', 'a');

    const error = await rejectionOf(
      ssm().send(new GetParameterHistoryCommand({ Name: '/app/x', MaxResults: 51 })),
    );

    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50",
    );
  });

  it('reports ParameterNotFound for a missing parameter', async () => {
    const error = await rejectionOf(ssm().send(new GetParameterHistoryCommand({ Name: '/nope' })));

    expect(error.name).toBe('ParameterNotFound');
  });
});

// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-labels.html
describe('LabelParameterVersion', () => {
  it('moves a label from one version to another', async () => {
    seed('/app/x', 'a', 'b');
    await ssm().send(
      new LabelParameterVersionCommand({ Name: '/app/x', ParameterVersion: 1, Labels: ['live'] }),
    );

    await ssm().send(
      new LabelParameterVersionCommand({ Name: '/app/x', ParameterVersion: 2, Labels: ['live'] }),
    );

    expect(ep.state.getParameter(region, '/app/x')?.versions.map((v) => v.labels)).toEqual([[], ['live']]);
  });

  it('labels the latest version when ParameterVersion is omitted and reports invalid labels', async () => {
    seed('/app/x', 'a', 'b');

    const result = await ssm().send(
      new LabelParameterVersionCommand({ Name: '/app/x', Labels: ['ok', '1bad', 'awsno'] }),
    );

    expect(result).toMatchObject({ ParameterVersion: 2, InvalidLabels: ['1bad', 'awsno'] });
  });

  it('allows at most 10 labels per version (ParameterVersionLabelLimitExceeded)', async () => {
    seed('/app/x', 'a');
    const ten = Array.from({ length: 10 }, (_, i) => `l${i}`);
    await ssm().send(new LabelParameterVersionCommand({ Name: '/app/x', Labels: ten }));

    const error = await rejectionOf(
      ssm().send(new LabelParameterVersionCommand({ Name: '/app/x', Labels: ['eleventh'] })),
    );

    expect(error.name).toBe('ParameterVersionLabelLimitExceeded');
  });

  it('reports ParameterVersionNotFound for a missing version', async () => {
    seed('/app/x', 'a');

    const error = await rejectionOf(
      ssm().send(new LabelParameterVersionCommand({ Name: '/app/x', ParameterVersion: 5, Labels: ['x'] })),
    );

    expect(error.name).toBe('ParameterVersionNotFound');
  });

  it('removes labels with UnlabelParameterVersion', async () => {
    seed('/app/x', 'a');
    await ssm().send(new LabelParameterVersionCommand({ Name: '/app/x', Labels: ['a1', 'b1'] }));

    const result = await ssm().send(
      new UnlabelParameterVersionCommand({ Name: '/app/x', ParameterVersion: 1, Labels: ['a1', 'zz'] }),
    );

    expect(result).toMatchObject({ RemovedLabels: ['a1'], InvalidLabels: ['zz'] });
  });
});

// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DeleteParameter.html, API_DeleteParameters.html
describe('DeleteParameter and DeleteParameters', () => {
  it('deletes a parameter, and a later delete reports ParameterNotFound', async () => {
    seed('/app/x', 'a');

    await ssm().send(new DeleteParameterCommand({ Name: '/app/x' }));
    const error = await rejectionOf(ssm().send(new DeleteParameterCommand({ Name: '/app/x' })));

    expect(ep.state.getParameter(region, '/app/x')).toBeUndefined();
    expect(error.name).toBe('ParameterNotFound');
  });

  it('restarts versions at 1 when a deleted name is created again', async () => {
    seed('/app/x', 'a', 'b');
    await ssm().send(new DeleteParameterCommand({ Name: '/app/x' }));

    seed('/app/x', 'c');

    expect(ep.state.getParameter(region, '/app/x')?.versions.map((v) => v.version)).toEqual([1]);
  });

  it('deletes a batch and reports missing names in InvalidParameters instead of failing', async () => {
    seed('/a', '1');
    seed('/b', '2');

    const result = await ssm().send(new DeleteParametersCommand({ Names: ['/a', '/missing', '/b'] }));

    expect(result).toMatchObject({ DeletedParameters: ['/a', '/b'], InvalidParameters: ['/missing'] });
  });

  it('rejects a batch of more than 10 names', async () => {
    const error = await rejectionOf(
      ssm().send(new DeleteParametersCommand({ Names: Array.from({ length: 11 }, (_, i) => `/p${i}`) })),
    );

    expect(error.name).toBe('ValidationException');
  });
});
