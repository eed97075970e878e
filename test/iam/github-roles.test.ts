import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { GITHUB_AUDIENCE, GITHUB_ISSUER } from '../../src/iam/github-roles.js';
import { buildPolicy, type PolicyTarget } from '../../src/iam/policy.js';
import { loadManifest } from '../../src/manifest/index.js';
import { type Endpoint, type StateSnapshot, startEndpoint } from '../endpoint/index.js';
import { evaluate, parseTemplate } from '../lambda/cfn.js';
import { OURS } from '../support/builders.js';
import { runCliCaptured } from '../support/cli.js';
import {
  type AuthRequest,
  decide,
  type PolicyStatement,
  refused,
  requestsOf,
  stateView,
} from './authorize.js';

const ROOT = join(import.meta.dirname, '../..');
const TEMPLATE = 'config/aws/github-roles.yaml';
const MANIFEST = 'config/replication.yaml';
const ACCOUNT = '123456789012';
const REPO = 'octo-org/octo-repo';
const template = parseTemplate(readFileSync(join(ROOT, TEMPLATE), 'utf8'));
const { manifest } = await loadManifest(join(ROOT, MANIFEST));

// biome-ignore lint/suspicious/noExplicitAny: a CloudFormation document is untyped JSON, read by path in assertions.
type Doc = any;
const deployed = (parameters: Record<string, string> = {}) =>
  evaluate(template, { parameters: { GitHubRepository: REPO, ...parameters } }) as Record<string, Doc>;
const ROLES = { plan: 'PlanRole', drift: 'DriftRole', apply: 'ApplyRole' } as const;
const policyOf = (resources: Record<string, Doc>, role: keyof typeof ROLES): PolicyStatement[] =>
  resources[ROLES[role]].Properties.Policies.flatMap((p: Doc) => p.PolicyDocument.Statement);

/** Whether a GitHub token with these claims may assume the role, by its trust policy alone. */
function assumable(
  resources: Record<string, Doc>,
  role: keyof typeof ROLES,
  claims: { sub: string; aud?: string },
) {
  const trust = resources[ROLES[role]].Properties.AssumeRolePolicyDocument.Statement.map((s: Doc) => ({
    ...s,
    Resource: '*',
  }));
  const request: AuthRequest = {
    action: 'sts:AssumeRoleWithWebIdentity',
    resource: '*',
    context: {
      [`${GITHUB_ISSUER}:sub`]: claims.sub,
      [`${GITHUB_ISSUER}:aud`]: claims.aud ?? GITHUB_AUDIENCE,
    },
    call: 'AssumeRoleWithWebIdentity',
  };
  return decide(trust, request) === 'allow';
}

describe(TEMPLATE, () => {
  it('is what `iam-policy --format cloudformation` prints for config/replication.yaml', async () => {
    const run = await runCliCaptured(['iam-policy', '--format', 'cloudformation', '--manifest', MANIFEST]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(readFileSync(join(ROOT, TEMPLATE), 'utf8'));
  });

  it.each(['plan', 'drift', 'apply'] as const)(
    "gives the %s role exactly the policy `iam-policy --for` prints, in the stack's account",
    (role) => {
      const { policy } = buildPolicy(manifest, { account: ACCOUNT, for: role as PolicyTarget });
      expect(policyOf(deployed(), role)).toEqual(policy.Statement);
      expect(policyOf(deployed({}), role)).not.toEqual(
        buildPolicy(manifest, { account: '210987654321', for: role as PolicyTarget }).policy.Statement,
      );
    },
  );

  it('creates the OIDC provider for GitHub’s issuer and audience unless an existing one is given', () => {
    expect(deployed().GitHubOidcProvider).toEqual({
      Type: 'AWS::IAM::OIDCProvider',
      Condition: 'CreateProvider',
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
    });
    const existing = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const withExisting = deployed({ OidcProviderArn: existing });
    expect(withExisting.GitHubOidcProvider).toBeUndefined();
    for (const role of Object.values(ROLES))
      expect(withExisting[role].Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
        Federated: existing,
      });
  });

  it('trusts, with StringEquals on the audience and the subjects only, pull requests alone for plan, the default branch for drift, the default branch and the apply environment for apply', () => {
    const resources = deployed();
    const statement = (role: keyof typeof ROLES) =>
      resources[ROLES[role]].Properties.AssumeRolePolicyDocument.Statement;
    const expected = (subjects: string[]) => [
      {
        Effect: 'Allow',
        Principal: { Federated: '{Ref GitHubOidcProvider}' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': subjects,
          },
        },
      },
    ];
    expect(statement('plan')).toEqual(expected([`repo:${REPO}:pull_request`]));
    expect(statement('drift')).toEqual(expected([`repo:${REPO}:ref:refs/heads/main`]));
    expect(statement('apply')).toEqual(
      expected([`repo:${REPO}:ref:refs/heads/main`, `repo:${REPO}:environment:ssm-replicate-apply`]),
    );
    const other = deployed({ ApplyEnvironment: 'production', DefaultBranch: 'trunk' });
    expect(
      other.DriftRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals[
        'token.actions.githubusercontent.com:sub'
      ],
    ).toEqual([`repo:${REPO}:ref:refs/heads/trunk`]);
    expect(other.ApplyRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': [
        `repo:${REPO}:ref:refs/heads/trunk`,
        `repo:${REPO}:environment:production`,
      ],
    });
  });

  it('lets no other repository, branch, event, environment or audience assume a role', () => {
    const resources = deployed();
    const pr = `repo:${REPO}:pull_request`;
    const main = `repo:${REPO}:ref:refs/heads/main`;
    const env = `repo:${REPO}:environment:ssm-replicate-apply`;
    expect(assumable(resources, 'plan', { sub: pr })).toBe(true);
    expect(assumable(resources, 'drift', { sub: main })).toBe(true);
    expect(assumable(resources, 'apply', { sub: main })).toBe(true);
    expect(assumable(resources, 'apply', { sub: env })).toBe(true);
    // A pull request's job can plan and nothing else; the default branch's jobs cannot use the plan role;
    // the apply environment is for applying; a pushed branch can do nothing.
    expect(assumable(resources, 'drift', { sub: pr })).toBe(false);
    expect(assumable(resources, 'apply', { sub: pr })).toBe(false);
    expect(assumable(resources, 'plan', { sub: main })).toBe(false);
    expect(assumable(resources, 'plan', { sub: env })).toBe(false);
    expect(assumable(resources, 'drift', { sub: env })).toBe(false);
    for (const role of ['plan', 'drift', 'apply'] as const) {
      expect(assumable(resources, role, { sub: `repo:${REPO}:ref:refs/heads/feature` }), role).toBe(false);
      expect(assumable(resources, role, { sub: 'repo:octo-org/octo-repo-fork:pull_request' }), role).toBe(
        false,
      );
      expect(assumable(resources, role, { sub: `repo:${REPO}:environment:staging` }), role).toBe(false);
      expect(
        assumable(resources, role, { sub: `repo:${REPO.toUpperCase()}:ref:refs/heads/main` }),
        role,
      ).toBe(false);
      expect(assumable(resources, role, { sub: '*' }), role).toBe(false);
      expect(assumable(resources, role, { sub: main, aud: 'sigstore' }), role).toBe(false);
      expect(assumable(resources, role, { sub: pr, aud: 'sigstore' }), role).toBe(false);
    }
  });
});

describe('the roles evaluated against the calls ssm-replicate makes (local endpoint call log)', () => {
  let ep: Endpoint;
  let env: Record<string, string>;
  let before: StateSnapshot;
  beforeAll(async () => {
    ep = await startEndpoint({ recordInputs: true });
    env = {
      AWS_ENDPOINT_URL: ep.url,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_MAX_ATTEMPTS: '1',
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await ep.stop();
  });
  beforeEach(() => {
    ep.state.reset();
    ep.resetCalls();
    // config/replication.yaml: /prod/app and /prod/api from ap-south-1 to us-east-1 (alias/prod-key,
    // deletes synced) and eu-west-1 (rewritten to /dr/, deletes kept).
    ep.state.createKey({ region: 'us-east-1', alias: 'alias/prod-key' });
    const put = (region: string, name: string, value: string, type: 'String' | 'SecureString', tags = {}) =>
      ep.state.putParameter({ region, name, value, type, tags });
    put('ap-south-1', '/prod/app/DB_HOST', 'db.internal', 'String');
    put('ap-south-1', '/prod/app/DB_PASSWORD', 'hunter2', 'SecureString');
    put('ap-south-1', '/prod/api/JWT_SECRET', 'jwt', 'SecureString');
    put('us-east-1', '/prod/app/DB_HOST', 'stale', 'String', OURS);
    put('us-east-1', '/prod/app/GONE', 'orphan', 'String', OURS);
    put('eu-west-1', '/dr/app/DB_PASSWORD', 'stale', 'SecureString', OURS);
    before = ep.state.snapshot();
  });

  const cli = (...argv: string[]) => runCliCaptured([...argv, '--manifest', join(ROOT, MANIFEST)], env);
  const requests = () => {
    const view = stateView(ep.state, before);
    return ep.calls().flatMap((c) => requestsOf(c, view));
  };

  it('an apply makes no call outside the apply role, and needs writes, deletes and KMS the plan role lacks', async () => {
    const run = await cli('apply', '--yes');
    expect(run.code, run.err).toBe(0);
    expect(ep.state.getParameter('us-east-1', '/prod/app/GONE')).toBeUndefined();
    const made = requests();
    const actions = new Set(made.map((r) => r.action));
    for (const a of ['ssm:PutParameter', 'ssm:DeleteParameters', 'kms:Encrypt', 'kms:Decrypt'])
      expect(actions, a).toContain(a);

    expect(refused(policyOf(deployed(), 'apply'), made)).toEqual([]);
    const byPlan = refused(policyOf(deployed(), 'plan'), made);
    expect(byPlan.some((line) => line.includes('ssm:PutParameter'))).toBe(true);
    expect(byPlan.some((line) => line.startsWith('explicit-deny kms:Decrypt'))).toBe(true);
  });

  // The plan role serves plan.yml; the drift role drift.yml (drift) and repair.yml's plan job (plan), and
  // status at a terminal.
  it.each([
    ['plan', 'plan'],
    ['plan', 'drift'],
    ['drift', 'drift'],
    ['status', 'drift'],
  ] as const)(
    'a %s makes no call outside the %s role: it reads no value and decrypts nothing',
    async (command, role) => {
      const run = await cli(command);
      expect(run.err).not.toMatch(/error/i);
      const made = requests();
      expect(made.length).toBeGreaterThan(0);
      expect(refused(policyOf(deployed(), role), made)).toEqual([]);
    },
  );

  it('a drift run needs neither a write nor kms:Decrypt, and the drift role grants neither', async () => {
    const run = await cli('drift');
    expect(run.code).toBe(2);
    const made = requests();
    expect(
      made.map((r) => r.action).filter((a) => /Put|Delete|AddTags|RemoveTags|Decrypt|Encrypt/.test(a)),
    ).toEqual([]);
    const drift = policyOf(deployed(), 'drift');
    const writes = ['ssm:PutParameter', 'ssm:DeleteParameters', 'ssm:AddTagsToResource', 'kms:Encrypt'];
    const probe = (action: string): AuthRequest => ({
      action,
      resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/prod/app/DB_HOST`,
      context: { 'aws:RequestedRegion': 'us-east-1' },
      call: action,
    });
    for (const action of writes) expect(decide(drift, probe(action)), action).not.toBe('allow');
    expect(
      // Even on the AWS managed key, whose key policy alone would let the role decrypt through Parameter Store.
      decide(drift, {
        ...probe('kms:Decrypt'),
        resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/any`,
        keyPolicyAllows: true,
      }),
    ).toBe('explicit-deny');
  });
});
