import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ASSUME_ROLE_ACTION,
  COMMAND_ACTIONS,
  READ_ONLY_ACTIONS,
  REPLICATION_ACTIONS,
} from '../../src/iam/actions.js';
import { buildPolicy, policyActions } from '../../src/iam/policy.js';
import { parseManifest } from '../../src/manifest/index.js';
import { runCliCaptured } from '../support/cli.js';

const SRC = join(import.meta.dirname, '../../src/aws');

/** The SDK commands a file can send: `XCommand` imports and `paginateX` paginators. */
function commandsIn(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const imports = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-[\w-]+'/g)]
    .flatMap((m) => (m[1] ?? '').split(','))
    .map((s) => s.trim().replace(/^type\s+/, ''));
  const commands = imports.filter((n) => /^[A-Z]\w+Command$/.test(n));
  const paginated = imports
    .filter((n) => n.startsWith('paginate'))
    .map((n) => `${n.slice('paginate'.length)}Command`);
  return [...new Set([...commands, ...paginated])].sort();
}

const ACCOUNT = '123456789012';
const manifest = (text: string) => parseManifest(text, 'test.yaml').manifest;
const FULL = manifest(`version: 1
source: { region: ap-south-1 }
replications:
  - name: prod
    paths: [/prod/app, /prod/api]
    destinations:
      - { region: us-east-1, kms-key-id: alias/prod-key }
      - { region: eu-west-1, path-rewrite: { from: /prod/, to: /dr/ }, kms-key-id: 1234abcd-12ab-34cd-56ef-1234567890ab }
`);

describe('IAM actions', () => {
  it('cover exactly the SDK commands the store adapter sends', () => {
    expect(commandsIn('ssm-store.ts')).toEqual(Object.keys(COMMAND_ACTIONS).sort());
  });

  it('include AssumeRole only because clients reach role-arn targets with temporary credentials', () => {
    expect(readFileSync(join(SRC, 'clients.ts'), 'utf8')).toContain('fromTemporaryCredentials');
    expect(REPLICATION_ACTIONS).not.toContain(ASSUME_ROLE_ACTION);
    expect(REPLICATION_ACTIONS).not.toContain('ssm:DeleteParameter');
  });
});

describe('buildPolicy', () => {
  it("grants exactly the lock's actions on the lock's name in the source region, and names it by the manifest id", () => {
    const { policy } = buildPolicy(
      manifest(`version: 1
id: team-a
source: { region: ap-south-1 }
replications:
  - { name: p, paths: [/prod/app], destinations: [{ region: us-east-1 }] }
`),
      { account: ACCOUNT },
    );
    expect(policy.Statement.find((s) => s.Sid === 'ApplyLock')).toEqual({
      Sid: 'ApplyLock',
      Effect: 'Allow',
      Action: ['ssm:DeleteParameters', 'ssm:GetParameters', 'ssm:PutParameter'],
      Resource: ['arn:aws:ssm:ap-south-1:123456789012:parameter/lock.ssm-replicate.team-a'],
    });
  });

  it('grants every action the code calls and nothing else for a manifest using deletes and customer keys', () => {
    const { policy } = buildPolicy(FULL, { account: ACCOUNT });
    expect(policy.Version).toBe('2012-10-17');
    expect(policyActions(policy)).toEqual([...REPLICATION_ACTIONS]);
    for (const s of policy.Statement) expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('reads the source paths and writes the rewritten destination paths, each region its own', () => {
    const { policy } = buildPolicy(FULL, { account: ACCOUNT });
    const sid = (id: string) => policy.Statement.find((s) => s.Sid === id);
    expect(sid('ReadSource')?.Resource).toEqual([
      'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/api',
      'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/api/*',
      'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/app',
      'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/app/*',
    ]);
    expect(sid('WriteDestinations')?.Resource).toEqual([
      'arn:aws:ssm:eu-west-1:123456789012:parameter/dr/api',
      'arn:aws:ssm:eu-west-1:123456789012:parameter/dr/api/*',
      'arn:aws:ssm:eu-west-1:123456789012:parameter/dr/app',
      'arn:aws:ssm:eu-west-1:123456789012:parameter/dr/app/*',
      'arn:aws:ssm:us-east-1:123456789012:parameter/prod/api',
      'arn:aws:ssm:us-east-1:123456789012:parameter/prod/api/*',
      'arn:aws:ssm:us-east-1:123456789012:parameter/prod/app',
      'arn:aws:ssm:us-east-1:123456789012:parameter/prod/app/*',
    ]);
    expect(sid('DeleteOwnedReplicas')?.Condition).toEqual({
      StringEquals: { 'ssm:resourceTag/ssm-replicate:managed-by': 'ssm-replicate' },
    });
  });

  it('uses customer keys only through Parameter Store, naming keys by ARN and aliases by kms:ResourceAliases', () => {
    const { policy } = buildPolicy(FULL, { account: ACCOUNT, partition: 'aws' });
    const named = policy.Statement.find((s) => s.Sid === 'NamedKeysThroughParameterStore');
    expect(named?.Resource).toEqual([
      'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ]);
    expect(named?.Condition?.StringEquals?.['kms:ViaService']).toEqual([
      'ssm.ap-south-1.amazonaws.com',
      'ssm.eu-west-1.amazonaws.com',
      'ssm.us-east-1.amazonaws.com',
    ]);
    const aliased = policy.Statement.find((s) => s.Sid === 'AliasedKeysThroughParameterStore');
    expect(aliased?.Condition?.['ForAnyValue:StringEquals']).toEqual({
      'kms:ResourceAliases': ['alias/prod-key'],
    });
  });

  it('leaves out deletes when every destination keeps replicas, and KMS grants when only the AWS managed key is used', () => {
    const keep = manifest(`version: 1
source: { region: ap-south-1 }
defaults: { deletes: keep }
replications:
  - { name: p, paths: [/prod/app], destinations: [{ region: us-east-1 }] }
`);
    const { policy, notes } = buildPolicy(keep, { account: ACCOUNT });
    // The lock's release is the only delete left, on the lock's name alone.
    const deleting = policy.Statement.filter((s) => s.Action.includes('ssm:DeleteParameters'));
    expect(deleting.map((s) => [s.Sid, s.Resource])).toEqual([
      ['ApplyLock', ['arn:aws:ssm:ap-south-1:123456789012:parameter/lock.ssm-replicate.default']],
    ]);
    expect(policyActions(policy)).not.toContain('kms:Decrypt');
    expect(notes.join('\n')).toMatch(/AWS managed key/);
  });

  it('grants AssumeRole on role-arn destinations and leaves their parameter statements to the assumed role', () => {
    const cross = manifest(`version: 1
source: { region: ap-south-1 }
replications:
  - name: p
    paths: [/prod/app]
    destinations:
      - { region: us-east-1, role-arn: 'arn:aws:iam::222222222222:role/replicator' }
`);
    const { policy, notes } = buildPolicy(cross, { account: ACCOUNT });
    expect(policy.Statement.find((s) => s.Sid === 'AssumeReplicationRoles')?.Resource).toEqual([
      'arn:aws:iam::222222222222:role/replicator',
    ]);
    expect(policy.Statement.find((s) => s.Sid === 'WriteDestinations')).toBeUndefined();
    expect(notes.join('\n')).toMatch(/assumed role/);
  });
});

/** Anything that changes a parameter or reveals a SecureString's plaintext. */
const WRITE_OR_DECRYPT =
  /^(ssm:(Put|Delete|AddTags|RemoveTags|Label|Unlabel)|kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt))/;

describe.each(['plan', 'drift'] as const)('buildPolicy --for %s', (target) => {
  const cross = manifest(`version: 1
source: { region: ap-south-1 }
replications:
  - name: p
    paths: [/prod/app]
    destinations:
      - { region: us-east-1 }
      - { region: eu-west-1, role-arn: 'arn:aws:iam::222222222222:role/replicator' }
`);

  it('grants no decryption and no write, whatever the manifest', () => {
    for (const m of [FULL, cross]) {
      const actions = policyActions(buildPolicy(m, { account: ACCOUNT, for: target }).policy);
      expect(actions.filter((a) => WRITE_OR_DECRYPT.test(a))).toEqual([]);
      expect(actions.filter((a) => a !== ASSUME_ROLE_ACTION)).toEqual(
        expect.arrayContaining(['ssm:DescribeParameters', 'ssm:ListTagsForResource', 'tag:GetResources']),
      );
      for (const a of actions) expect([...READ_ONLY_ACTIONS, ASSUME_ROLE_ACTION]).toContain(a);
    }
  });

  it('reads metadata and tags on the source and rewritten destination paths, and describes keys, no values', () => {
    const { policy, notes } = buildPolicy(FULL, { account: ACCOUNT, for: target });
    expect(policy.Statement).toEqual([
      {
        Sid: 'UnscopedReads',
        Effect: 'Allow',
        Action: ['ssm:DescribeParameters', 'sts:GetCallerIdentity', 'tag:GetResources'],
        Resource: '*',
      },
      {
        Sid: 'ReadTags',
        Effect: 'Allow',
        Action: ['ssm:ListTagsForResource'],
        Resource: [
          'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/api',
          'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/api/*',
          'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/app',
          'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/app/*',
          'arn:aws:ssm:eu-west-1:123456789012:parameter/dr/api',
          'arn:aws:ssm:eu-west-1:123456789012:parameter/dr/api/*',
          'arn:aws:ssm:eu-west-1:123456789012:parameter/dr/app',
          'arn:aws:ssm:eu-west-1:123456789012:parameter/dr/app/*',
          'arn:aws:ssm:us-east-1:123456789012:parameter/prod/api',
          'arn:aws:ssm:us-east-1:123456789012:parameter/prod/api/*',
          'arn:aws:ssm:us-east-1:123456789012:parameter/prod/app',
          'arn:aws:ssm:us-east-1:123456789012:parameter/prod/app/*',
        ],
      },
      {
        Sid: 'DescribeKeys',
        Effect: 'Allow',
        Action: ['kms:DescribeKey'],
        Resource: ['arn:aws:kms:eu-west-1:123456789012:key/*', 'arn:aws:kms:us-east-1:123456789012:key/*'],
      },
      // The AWS managed key's policy lets any principal of the account decrypt through Parameter Store:
      // only an explicit deny keeps this role from it.
      { Sid: 'NeverDecrypt', Effect: 'Deny', Action: ['kms:Decrypt'], Resource: '*' },
    ]);
    expect(notes.join('\n')).toMatch(/no write action, and kms:Decrypt denied/);
  });

  it('reads values, without decryption, on the same paths only under value-display: non-secret', () => {
    const shown = manifest(`version: 1
source: { region: ap-south-1 }
value-display: non-secret
replications:
  - { name: p, paths: [/prod/app], destinations: [{ region: us-east-1, path-rewrite: { from: /prod/, to: /dr/ } }] }
`);
    const { policy } = buildPolicy(shown, { account: ACCOUNT, for: target });
    expect(policy.Statement.find((s) => s.Sid === 'ReadNonSecretValues')).toEqual({
      Sid: 'ReadNonSecretValues',
      Effect: 'Allow',
      Action: ['ssm:GetParameters'],
      Resource: [
        'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/app',
        'arn:aws:ssm:ap-south-1:123456789012:parameter/prod/app/*',
        'arn:aws:ssm:us-east-1:123456789012:parameter/dr/app',
        'arn:aws:ssm:us-east-1:123456789012:parameter/dr/app/*',
      ],
    });
    expect(policyActions(policy)).not.toContain('kms:Decrypt');
    const hidden = buildPolicy(FULL, { account: ACCOUNT, for: target }).policy;
    expect(policyActions(hidden)).not.toContain('ssm:GetParameters');
  });

  it('assumes role-arn targets and leaves their read-only statements to the assumed role', () => {
    const { policy, notes } = buildPolicy(cross, { account: ACCOUNT, for: target });
    expect(policy.Statement.find((s) => s.Sid === 'AssumeReplicationRoles')?.Resource).toEqual([
      'arn:aws:iam::222222222222:role/replicator',
    ]);
    expect(JSON.stringify(policy)).not.toContain('eu-west-1');
    expect(notes.join('\n')).toMatch(/same read-only statements/);
  });
});

describe('buildPolicy --for apply', () => {
  it('is the policy printed without --for: writes, the lock, deletes of owned replicas, decryption through Parameter Store', () => {
    const apply = buildPolicy(FULL, { account: ACCOUNT, for: 'apply' });
    expect(apply).toEqual(buildPolicy(FULL, { account: ACCOUNT }));
    expect(apply.policy.Statement.map((s) => s.Sid)).toEqual([
      'UnscopedReads',
      'ReadSource',
      'ApplyLock',
      'WriteDestinations',
      'DeleteOwnedReplicas',
      'DescribeKeys',
      'NamedKeysThroughParameterStore',
      'AliasedKeysThroughParameterStore',
    ]);
    expect(policyActions(apply.policy)).toContain('kms:Decrypt');
  });

  it('differs from lambda only by the log statement', () => {
    const apply = buildPolicy(FULL, { account: ACCOUNT, for: 'apply' }).policy.Statement;
    const lambda = buildPolicy(FULL, { account: ACCOUNT, for: 'lambda' }).policy.Statement;
    expect(lambda.filter((s) => s.Sid !== 'LambdaLogs')).toEqual(apply);
    expect(lambda.find((s) => s.Sid === 'LambdaLogs')?.Action).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
  });
});

describe('ssm-replicate iam-policy', () => {
  it.each(['plan', 'drift'])('prints a read-only policy for --for %s', async (target) => {
    const run = await runCliCaptured(['iam-policy', '--account', ACCOUNT, '--for', target]);
    expect(run.code).toBe(0);
    const statements: { Effect: string; Action: string[] }[] = JSON.parse(run.stdout).Statement;
    const allowed = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);
    expect(allowed.filter((a) => WRITE_OR_DECRYPT.test(a))).toEqual([]);
    expect(allowed).toContain('ssm:DescribeParameters');
    expect(statements.filter((s) => s.Effect === 'Deny').flatMap((s) => s.Action)).toEqual(['kms:Decrypt']);
  });

  it('still accepts --for action, the old name of apply, and prints the same policy', async () => {
    const old = await runCliCaptured(['iam-policy', '--account', ACCOUNT, '--for', 'action']);
    const apply = await runCliCaptured(['iam-policy', '--account', ACCOUNT, '--for', 'apply']);
    expect(old.code).toBe(0);
    expect(old.stdout).toBe(apply.stdout);
    expect(JSON.parse(apply.stdout).Statement.map((s: { Sid: string }) => s.Sid)).toContain(
      'WriteDestinations',
    );
  });

  it('prints the policy JSON for the default manifest and the given account', async () => {
    const run = await runCliCaptured(['iam-policy', '--account', ACCOUNT, '--for', 'lambda']);
    expect(run.code).toBe(0);
    const policy = JSON.parse(run.stdout);
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toContain('LambdaLogs');
    expect(run.stderr).toMatch(/^note: /m);
  });

  it('requires --account rather than printing a policy for every account', async () => {
    const run = await runCliCaptured(['iam-policy']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/--account is required, e.g. --account 123456789012/);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['--account', '1234'], /Invalid --account '1234'. Expected a 12-digit account id/],
    [['--account', ACCOUNT, '--for', 'ec2'], /Invalid --for 'ec2'. Expected plan, drift, apply, lambda/],
    [['--account', ACCOUNT, '--partition', 'mars'], /Invalid --partition 'mars'/],
    [['--account', ACCOUNT, '--kms-key', 'alias/x'], /Invalid --kms-key 'alias\/x'. Expected a key ARN/],
  ])('rejects %j with a message naming the option and the expected form', async (args, message) => {
    const run = await runCliCaptured(['iam-policy', ...args]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(message);
  });
});

describe('ssm-replicate iam-policy --format cloudformation', () => {
  it.each([
    [['--format', 'terraform'], /Invalid --format 'terraform'. Expected json or cloudformation/],
    [['--format', 'cloudformation', '--for', 'plan'], /--for has no meaning with --format cloudformation/],
    [
      ['--format', 'cloudformation', '--account', ACCOUNT],
      /--account has no meaning with --format cloudformation/,
    ],
  ])('rejects %j with a message naming the option', async (args, message) => {
    const run = await runCliCaptured(['iam-policy', ...args]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('prints a template CloudFormation can parse: dates and booleans quoted, no YAML aliases', async () => {
    const run = await runCliCaptured(['iam-policy', '--format', 'cloudformation']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^AWSTemplateFormatVersion: "2010-09-09"$/m);
    expect(run.stdout).toMatch(/^ +Version: "2012-10-17"$/m);
    expect(run.stdout).not.toMatch(/[&*]a\d/);
  });
});
