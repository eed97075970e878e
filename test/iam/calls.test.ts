import { beforeEach, describe, expect, it } from 'vitest';
import { buildPolicy, type PolicyDocument, type PolicyTarget } from '../../src/iam/policy.js';
import { parseManifest } from '../../src/manifest/index.js';
import type { CallRecord } from '../endpoint/index.js';
import { useCliFixture } from '../support/cli.js';
import { SOURCE } from '../support/seed.js';

const ACCOUNT = '123456789012';
const MANIFEST = `version: 1
source: { region: ${SOURCE} }
replications:
  - name: prod
    paths: [/prod/app]
    destinations:
      - { region: us-east-1, kms-key-id: alias/prod-key }
      - { region: eu-west-1, path-rewrite: { from: /prod/, to: /dr/ } }
`;
const SERVICE_PREFIX: Record<string, string> = { ssm: 'ssm', kms: 'kms', tagging: 'tag', sts: 'sts' };

/** The IAM action a recorded call needs, e.g. `ssm:PutParameter`. */
const actionOf = (call: CallRecord) => `${SERVICE_PREFIX[call.service] ?? call.service}:${call.operation}`;

/**
 * The calls the policy does not allow: an Allow statement must grant the action, on `*` or on an ARN in
 * the call's account and region, and no Deny statement may match it (an explicit deny wins, as in IAM).
 * The endpoint records no resource names, so paths are checked in policy.test.ts.
 */
function refused(policy: PolicyDocument, calls: CallRecord[]): string[] {
  const allowed = (call: CallRecord) => {
    const matching = policy.Statement.filter(
      (s) =>
        s.Action.includes(actionOf(call)) &&
        (s.Resource === '*' || s.Resource.some((arn) => arn.includes(`:${call.region}:${call.account}:`))),
    );
    return matching.some((s) => s.Effect === 'Allow') && !matching.some((s) => s.Effect === 'Deny');
  };
  return [...new Set(calls.filter((c) => !allowed(c)).map((c) => `${c.region} ${actionOf(c)}`))].sort();
}

const policyFor = (target: PolicyTarget) =>
  buildPolicy(parseManifest(MANIFEST, 'replication.yaml').manifest, { account: ACCOUNT, for: target }).policy;
const { ep, manifestPath, cli } = useCliFixture(MANIFEST);

beforeEach(() => {
  ep().state.createKey({ region: 'us-east-1', alias: 'alias/prod-key' });
  ep().state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_PASSWORD',
    value: 's3cret',
    type: 'SecureString',
  });
  ep().state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_HOST',
    value: 'db.internal',
    type: 'String',
    tags: { team: 'core' },
  });
  // An owned replica whose source is gone (deleted by apply) and one with a stale tag (retagged by apply).
  const owned = { 'ssm-replicate:managed-by': 'ssm-replicate', 'ssm-replicate:owner': 'default/prod' };
  ep().state.putParameter({
    region: 'eu-west-1',
    name: '/dr/app/OLD',
    value: 'x',
    type: 'String',
    tags: owned,
  });
  ep().state.putParameter({
    region: 'eu-west-1',
    name: '/dr/app/DB_HOST',
    value: 'db.internal',
    type: 'String',
    tags: { ...owned, team: 'core', stale: 'yes' },
  });
});

describe('the policies iam-policy prints, against the calls the commands make', () => {
  it('allows every call an apply makes, writes, deletes, tags and the lock included', async () => {
    ep().resetCalls();
    const applied = await cli('apply', '--manifest', manifestPath(), '--allow-plan-change', '--yes');
    expect(applied.code, applied.err + applied.stdout).toBe(0);
    const calls = ep().calls();
    const made = new Set(calls.map((c) => `${c.region} ${actionOf(c)}`));
    for (const a of [
      'us-east-1 ssm:PutParameter',
      'eu-west-1 ssm:DeleteParameters',
      'eu-west-1 ssm:RemoveTagsFromResource',
      `${SOURCE} ssm:DeleteParameters`,
    ])
      expect(made, a).toContain(a);
    expect(refused(policyFor('apply'), calls)).toEqual([]);
  });

  it('would refuse the writes of an apply under the drift policy, so the check can fail', async () => {
    ep().resetCalls();
    expect((await cli('apply', '--manifest', manifestPath(), '--allow-plan-change', '--yes')).code).toBe(0);
    expect(refused(policyFor('drift'), ep().calls())).toEqual(
      expect.arrayContaining([`${SOURCE} ssm:PutParameter`, 'eu-west-1 ssm:DeleteParameters']),
    );
  });

  it('counts a call an explicit Deny matches as refused, even where an Allow grants it', async () => {
    ep().resetCalls();
    expect([0, 2]).toContain((await cli('plan', '--manifest', manifestPath())).code);
    const policy = policyFor('plan');
    const denied: PolicyDocument = {
      ...policy,
      Statement: [
        ...policy.Statement,
        { Sid: 'Test', Effect: 'Deny', Action: ['ssm:DescribeParameters'], Resource: '*' },
      ],
    };
    expect(refused(policy, ep().calls())).toEqual([]);
    expect(refused(denied, ep().calls())).toContain(`${SOURCE} ssm:DescribeParameters`);
  });

  it.each(['plan', 'drift', 'status'] as const)(
    'allows every call %s makes under the read-only policy',
    async (command) => {
      ep().resetCalls();
      const run = await cli(command, '--manifest', manifestPath());
      expect([0, 2], run.err).toContain(run.code);
      expect(ep().calls().length).toBeGreaterThan(0);
      expect(refused(policyFor(command === 'plan' ? 'plan' : 'drift'), ep().calls())).toEqual([]);
    },
  );
});
