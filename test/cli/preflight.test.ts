import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { kmsClient } from '../endpoint/clients.js';
import { useCliFixture } from '../support/cli.js';
import { listUnder, SOURCE } from '../support/seed.js';

// Issue 11, finding 4: every check apply (or AWS) makes before writing shows in the plan, per region.

const { ep, dir, cli } = useCliFixture();

async function manifestFile(name: string, destinations: string): Promise<string> {
  const path = join(dir(), `${name}.yaml`);
  await writeFile(
    path,
    `version: 1
source:
  region: ${SOURCE}
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
${destinations}`,
  );
  return path;
}

function seedSecrets(count: number) {
  for (let i = 0; i < count; i++) {
    ep().state.putParameter({
      region: SOURCE,
      name: `/prod/app/s${String(i).padStart(2, '0')}`,
      value: `secret-${i}`,
      type: 'SecureString',
    });
  }
}

const TWO_REGIONS = (key: string) => `      - region: us-east-1
        kms-key-id: ${key}
      - region: eu-west-1
`;

describe('plan-time preflight of what apply would be refused', () => {
  it('blocks a plan whose kms-key-id does not exist in the destination, once for the region, and apply writes nothing', async () => {
    seedSecrets(60);
    const path = await manifestFile('missing', TWO_REGIONS('alias/missing-key'));
    const planned = await cli('plan', '--manifest', path, '--format', 'json');
    expect(planned.code).toBe(1);
    const plan = JSON.parse(planned.stdout);
    expect(plan.summary.creates).toBe(120);
    const blockers = plan.blockers.filter((b: { code: string }) => b.code === 'kms-key-missing');
    expect(blockers).toHaveLength(1);
    expect(blockers[0]).toMatchObject({ region: 'us-east-1' });
    expect(blockers[0].message).toContain('alias/missing-key');
    expect(blockers[0].message).toContain('60');

    const applied = await cli('apply', '--manifest', path);
    expect(applied.code).toBe(1);
    expect(applied.err).toMatch(/blocked/);
    expect(listUnder(ep(), 'us-east-1', '/prod/app')).toEqual([]);
    expect(listUnder(ep(), 'eu-west-1', '/prod/app')).toEqual([]);
  });

  it('blocks a plan whose key is disabled, and asks DescribeKey once per key per region', async () => {
    seedSecrets(30);
    ep().state.createKey({ region: 'us-east-1', alias: 'alias/prod-key', enabled: false });
    const path = await manifestFile('disabled', TWO_REGIONS('alias/prod-key'));
    const r = await cli('plan', '--manifest', path, '--format', 'json');
    expect(r.code).toBe(1);
    const [blocker] = JSON.parse(r.stdout).blockers;
    expect(blocker).toMatchObject({ code: 'kms-key-unusable', region: 'us-east-1' });
    expect(blocker.message).toContain('Disabled');
    const describes = ep().calls({ operation: 'DescribeKey' });
    expect(describes.map((c) => c.region)).toEqual(['us-east-1']);
  });

  it('plans with a warning, not a failed region, when DescribeKey is denied for the preflight alone', async () => {
    seedSecrets(3);
    ep().state.createKey({ region: 'us-east-1', alias: 'alias/prod-key' });
    ep().faults.failNext({
      operation: 'DescribeKey',
      region: 'us-east-1',
      error: 'AccessDeniedException',
      count: 10,
    });
    const path = await manifestFile('denied', TWO_REGIONS('alias/prod-key'));
    const r = await cli('plan', '--manifest', path, '--format', 'json');
    expect(r.code, r.err).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.regions.map((g: { error?: string }) => g.error)).toEqual([undefined, undefined]);
    expect(plan.warnings).toEqual([
      expect.objectContaining({ code: 'kms-key-unchecked', region: 'us-east-1' }),
    ]);
  });

  // https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html: "Parameter Store
  // supports only symmetric KMS keys."
  it('blocks a plan whose key is asymmetric', async () => {
    seedSecrets(2);
    const kms = kmsClient(ep(), 'us-east-1');
    const { KeyMetadata } = await kms.send(
      new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }),
    );
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/rsa', TargetKeyId: KeyMetadata?.KeyId }));
    const path = await manifestFile('rsa', TWO_REGIONS('alias/rsa'));
    const r = await cli('plan', '--manifest', path, '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).blockers[0]).toMatchObject({
      code: 'kms-key-unsupported',
      region: 'us-east-1',
    });
  });

  // https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk: an AWS managed
  // key's policy cannot be changed, so no other account can encrypt with it.
  it("blocks another account's AWS managed key without asking KMS about it", async () => {
    seedSecrets(2);
    const path = await manifestFile(
      'foreign',
      TWO_REGIONS('arn:aws:kms:us-east-1:999999999999:alias/aws/ssm'),
    );
    const r = await cli('plan', '--manifest', path, '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).blockers[0]).toMatchObject({
      code: 'kms-key-aws-managed-cross-account',
      region: 'us-east-1',
    });
    expect(ep().calls({ operation: 'DescribeKey' })).toEqual([]);
  });

  it('warns in the plan, and writes nothing, for a replica that would carry more than 50 tags (TooManyTagsError)', async () => {
    const tags = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, 'v']));
    ep().state.putParameter({ region: SOURCE, name: '/prod/app/tagged', value: 'v', type: 'String', tags });
    const path = await manifestFile(
      'tags',
      `      - region: us-east-1
        tags: { team: core, env: prod }
`,
    );
    const r = await cli('plan', '--manifest', path, '--format', 'json');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.blockers).toEqual([]);
    const [warning] = plan.warnings;
    expect(warning).toMatchObject({ code: 'too-many-tags', region: 'us-east-1', name: '/prod/app/tagged' });
    // 48 of its own, 2 of the destination's, and ssm-replicate's three (ownership, owner, sync record).
    expect(warning.message).toContain('53 tags');
    expect(plan.regions[0].items).toEqual([]);
  });

  it('leaves out the tags with the reserved aws: prefix, which only AWS may set, and replicates the rest', async () => {
    // Seeded past the API's own check, as AWS itself tags some resources it creates (CloudFormation's).
    ep().state.putParameter({
      region: SOURCE,
      name: '/prod/app/cfn',
      value: 'v',
      type: 'String',
      tags: { 'aws:cloudformation:stack-name': 'app', team: 'core' },
    });
    const path = await manifestFile('reserved', '      - region: us-east-1\n');
    expect((await cli('plan', '--manifest', path, '--format', 'json')).code).toBe(0);

    const r = await cli('apply', '--manifest', path);

    expect(r.code).toBe(0);
    const [replica] = listUnder(ep(), 'us-east-1', '/prod/app/');
    expect(replica?.tags).toMatchObject({ team: 'core' });
    expect(Object.keys(replica?.tags ?? {})).not.toContain('aws:cloudformation:stack-name');
  });

  it('blocks names a path rewrite makes deeper than the 15 levels AWS allows', async () => {
    const deep = `/prod/app/${Array.from({ length: 12 }, (_, i) => `l${i}`).join('/')}`;
    ep().state.putParameter({ region: SOURCE, name: deep, value: 'v', type: 'String' });
    const path = await manifestFile(
      'deep',
      `      - region: us-east-1
        path-rewrite: { from: /prod/, to: /dr/one/two/ }
`,
    );
    const r = await cli('plan', '--manifest', path, '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).blockers[0]).toMatchObject({
      code: 'invalid-replica-name',
      region: 'us-east-1',
    });
  });
});
