import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rejectionOf, ssmClient, stsClient, TEST_CREDENTIALS } from './clients.js';
import { type Endpoint, startEndpoint } from './index.js';

// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
let ep: Endpoint;
const region = 'eu-west-1';
const roleArn = 'arn:aws:iam::210987654321:role/replicator';

beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => {
  ep.state.reset();
  ep.resetCalls();
});

describe('STS', () => {
  it('identifies ordinary access keys as the default account', async () => {
    const identity = await stsClient(ep, region).send(new GetCallerIdentityCommand({}));

    expect(identity).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/local' });
  });

  it("issues AssumeRole credentials that act in the role's account", async () => {
    const assumed = await stsClient(ep, region).send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'sync' }),
    );
    const credentials = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? '',
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '',
      sessionToken: assumed.Credentials?.SessionToken ?? '',
    };

    const identity = await stsClient(ep, region, { credentials }).send(new GetCallerIdentityCommand({}));

    expect(assumed.AssumedRoleUser?.Arn).toBe('arn:aws:sts::210987654321:assumed-role/replicator/sync');
    expect(assumed.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(identity.Account).toBe('210987654321');
  });

  it('keeps each account isolated: a parameter written through a role is invisible to the default account', async () => {
    const roleSsm = new SSMClient({
      region,
      endpoint: ep.url,
      credentials: fromTemporaryCredentials({
        masterCredentials: TEST_CREDENTIALS,
        params: { RoleArn: roleArn, RoleSessionName: 'sync' },
        clientConfig: { region, endpoint: ep.url },
      }),
    });

    await roleSsm.send(new PutParameterCommand({ Name: '/shared/x', Value: 'role', Type: 'String' }));
    const error = await rejectionOf(
      ssmClient(ep, region).send(new GetParameterCommand({ Name: '/shared/x' })),
    );

    expect(ep.state.getParameter('210987654321', region, '/shared/x')?.versions[0]?.lastModifiedUser).toBe(
      'arn:aws:sts::210987654321:assumed-role/replicator/sync',
    );
    expect(error.name).toBe('ParameterNotFound');
  });

  it('rejects a malformed role ARN (ValidationError)', async () => {
    const error = await rejectionOf(
      stsClient(ep, region).send(new AssumeRoleCommand({ RoleArn: 'replicator', RoleSessionName: 'sync' })),
    );

    expect(error.name).toBe('ValidationError');
  });

  it('records STS calls in the call log with the caller account', async () => {
    await stsClient(ep, 'ap-south-1').send(new GetCallerIdentityCommand({}));

    expect(ep.calls({ service: 'sts' }).map((c) => [c.account, c.region, c.operation])).toEqual([
      ['123456789012', 'ap-south-1', 'GetCallerIdentity'],
    ]);
  });
});
