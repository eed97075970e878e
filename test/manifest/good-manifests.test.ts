import { describe, expect, it } from 'vitest';
import { loadManifest, type Manifest, parseManifest } from '../../src/manifest/index.js';
import { HEAD, warningsOf, withDestinations, yaml } from './helpers.js';

const BUILT_IN = {
  deletes: 'sync',
  maxDeletes: 25,
  maxDeletePercent: 50,
  tags: {},
  ec2Image: { mode: 'skip' },
  adopt: false,
  allowEmptySource: false,
} as const;

describe('valid manifests', () => {
  it('resolves the example config to the seed setup, with defaults applied to each destination', async () => {
    const { manifest, warnings } = await loadManifest('config/replication.yaml');
    const expected: Manifest = {
      version: 1,
      id: 'default',
      previousOwners: [],
      source: { region: 'ap-south-1' },
      ownershipTag: { key: 'ssm-replicate:managed-by', value: 'ssm-replicate' },
      valueDisplay: 'none',
      throughput: { put: 3, get: 40, describe: 10 },
      replications: [
        {
          name: 'prod-app',
          paths: ['/prod/app', '/prod/api'],
          exclude: ['/prod/app/local/**'],
          allowWholeRegion: false,
          destinations: [
            {
              ...BUILT_IN,
              region: 'us-east-1',
              kmsKeyId: 'alias/prod-key',
              tags: { 'replicated-by': 'ssm-replicate' },
            },
            {
              ...BUILT_IN,
              region: 'eu-west-1',
              deletes: 'keep',
              pathRewrite: { from: '/prod/', to: '/dr/' },
              tags: { 'replicated-by': 'ssm-replicate' },
            },
          ],
        },
      ],
    };
    expect(manifest).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('takes the manifest id from the top-level id key', () => {
    const text = withDestinations('      - region: us-east-1').replace(
      'version: 1',
      'version: 1\nid: team-a',
    );
    expect(parseManifest(text, 'm.yaml').manifest.id).toBe('team-a');
  });

  it('fills every built-in default for a minimal manifest', () => {
    const { manifest } = parseManifest(withDestinations('      - region: us-east-1'), 'm.yaml');
    expect(manifest).toEqual({
      version: 1,
      id: 'default',
      previousOwners: [],
      source: { region: 'ap-south-1' },
      ownershipTag: { key: 'ssm-replicate:managed-by', value: 'ssm-replicate' },
      valueDisplay: 'none',
      throughput: { put: 3, get: 40, describe: 10 },
      replications: [
        {
          name: 'app',
          paths: ['/prod/app'],
          exclude: [],
          allowWholeRegion: false,
          destinations: [{ ...BUILT_IN, region: 'us-east-1' }],
        },
      ],
    });
  });

  it('lets a destination override every default and merges tags with the destination winning', () => {
    const text = yaml(
      'version: 1',
      'source: { region: ap-south-1, role-arn: "arn:aws:iam::111111111111:role/reader" }',
      'ownership-tag: { key: owner, value: replicator }',
      'value-display: non-secret',
      'throughput: { put: 10, describe: 2.5 }',
      'defaults:',
      '  role-arn: arn:aws:iam::222222222222:role/writer',
      '  kms-key-id: alias/shared',
      '  deletes: keep',
      '  max-deletes: 5',
      '  max-delete-percent: 80',
      '  tags: { team: ops, env: prod }',
      '  type: SecureString',
      '  adopt: true',
      '  allow-empty-source: true',
      'replications:',
      '  - name: app',
      '    paths: [/prod/app]',
      '    destinations:',
      '      - region: us-east-1',
      '      - region: eu-west-1',
      '        role-arn: arn:aws:iam::333333333333:role/writer',
      '        kms-key-id: alias/eu',
      '        deletes: sync',
      '        max-deletes: 0',
      '        max-delete-percent: 100',
      '        tags: { env: dr }',
      '        type: StringList',
      '        ec2-image: { amis: { ami-0123456789abcdef0: ami-0fedcba9876543210 } }',
      '        adopt: false',
      '        allow-empty-source: false',
    );
    const { manifest } = parseManifest(text, 'm.yaml');
    expect(manifest.source).toEqual({
      region: 'ap-south-1',
      roleArn: 'arn:aws:iam::111111111111:role/reader',
    });
    expect(manifest.ownershipTag).toEqual({ key: 'owner', value: 'replicator' });
    expect(manifest.valueDisplay).toBe('non-secret');
    expect(manifest.throughput).toEqual({ put: 10, get: 40, describe: 2.5 });
    expect(manifest.replications[0]?.destinations).toEqual([
      {
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::222222222222:role/writer',
        kmsKeyId: 'alias/shared',
        deletes: 'keep',
        maxDeletes: 5,
        maxDeletePercent: 80,
        tags: { team: 'ops', env: 'prod' },
        type: 'SecureString',
        ec2Image: { mode: 'skip' },
        adopt: true,
        allowEmptySource: true,
      },
      {
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::333333333333:role/writer',
        kmsKeyId: 'alias/eu',
        deletes: 'sync',
        maxDeletes: 0,
        maxDeletePercent: 100,
        tags: { team: 'ops', env: 'dr' },
        type: 'StringList',
        ec2Image: { mode: 'map', amis: { 'ami-0123456789abcdef0': 'ami-0fedcba9876543210' } },
        adopt: false,
        allowEmptySource: false,
      },
    ]);
  });

  it('allows the source region as a destination in another account', () => {
    const text = withDestinations(
      '      - region: ap-south-1',
      '        role-arn: arn:aws:iam::222222222222:role/dr',
    );
    expect(parseManifest(text, 'm.yaml').manifest.replications[0]?.destinations[0]?.region).toBe(
      'ap-south-1',
    );
  });

  it('allows two replications to send disjoint paths to the same region', () => {
    const text = yaml(
      ...HEAD,
      'replications:',
      '  - { name: a, paths: [/prod/app], destinations: [{ region: us-east-1 }] }',
      '  - { name: b, paths: [/prod/api], destinations: [{ region: us-east-1, deletes: keep }] }',
    );
    expect(parseManifest(text, 'm.yaml').manifest.replications.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('allows a rewrite of part of a path when it collides with nothing', () => {
    const text = withDestinations(
      '      - region: us-east-1',
      '        path-rewrite: { from: /prod/app/legacy/, to: /legacy/ }',
    );
    expect(parseManifest(text, 'm.yaml').manifest.replications[0]?.destinations[0]?.pathRewrite).toEqual({
      from: '/prod/app/legacy/',
      to: '/legacy/',
    });
  });
});

describe('warnings', () => {
  it('accepts a well-formed region it does not know, with a warning naming a likely typo', () => {
    expect(warningsOf(withDestinations('      - region: us-eats-1'))).toEqual([
      [8, 17, "region 'us-eats-1' is unknown to this version — did you mean 'us-east-1'?"],
    ]);
  });

  it('accepts a new region without a close match, saying AWS may have added it', () => {
    expect(warningsOf(withDestinations('      - region: xx-north-7'))).toEqual([
      [
        8,
        17,
        "region 'xx-north-7' is unknown to this version; fine if AWS added it recently, otherwise check the spelling",
      ],
    ]);
  });

  it('warns that forcing type String stores SecureStrings as plain text', () => {
    expect(warningsOf(withDestinations('      - region: us-east-1', '        type: String'))).toEqual([
      [
        9,
        15,
        "type String stores SecureString sources as plain text; leave type out to keep each source's type",
      ],
    ]);
  });

  it('warns about a path already covered by another path of the replication', () => {
    const text = withDestinations('      - region: us-east-1').replace('[/prod/app]', '[/prod, /prod/app]');
    expect(warningsOf(text)).toEqual([[6, 20, "path '/prod/app' is already covered by '/prod'"]]);
  });

  it('warns about an exclude pattern outside every path', () => {
    const text = withDestinations('      - region: us-east-1').replace(
      '    destinations:',
      "    exclude: ['/dev/**']\n    destinations:",
    );
    expect(warningsOf(text)).toEqual([[7, 15, "exclude pattern '/dev/**' matches nothing under /prod/app"]]);
  });

  it('warns when a rewrite adds levels, which shortens the depth names may have', () => {
    const text = withDestinations(
      '      - region: us-east-1',
      '        path-rewrite: { from: /prod/, to: /dr/prod/ }',
    );
    expect(warningsOf(text)).toEqual([
      [
        9,
        43,
        'path-rewrite adds 1 level(s): source names deeper than 14 levels cannot be replicated to us-east-1',
      ],
    ]);
  });

  it('warns when two replications send the same parameter with the same options', () => {
    const text = yaml(
      ...HEAD,
      'replications:',
      '  - { name: a, paths: [/prod], destinations: [{ region: us-east-1 }] }',
      '  - { name: b, paths: [/prod/app], destinations: [{ region: us-east-1 }] }',
    );
    expect(warningsOf(text)).toEqual([
      [6, 61, "replications 'a' and 'b' both send '/prod/app' to us-east-1; one of them is redundant"],
    ]);
  });
});
