import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/manifest/index.js';
import { errorsOf, HEAD, withDestinations, yaml } from './helpers.js';

const US = '      - region: us-east-1';

describe('manifest identity and guardrail options', () => {
  it('resolves id, previous-owners and max-delete-percent, defaulting to default, none and 50', () => {
    const plain = parseManifest(withDestinations(US), 'm.yaml').manifest;
    expect(plain.id).toBe('default');
    expect(plain.previousOwners).toEqual([]);
    expect(plain.replications[0]?.destinations[0]?.maxDeletePercent).toBe(50);

    const text = yaml(
      ...HEAD,
      'id: team-b.prod_1',
      'previous-owners: [old-b, default/app]',
      'defaults: { max-delete-percent: 20 }',
      'replications:',
      '  - name: app',
      '    paths: [/prod/app]',
      '    destinations: [{ region: us-east-1 }, { region: eu-west-1, max-delete-percent: 100 }]',
    );
    const { manifest } = parseManifest(text, 'm.yaml');
    expect(manifest.id).toBe('team-b.prod_1');
    expect(manifest.previousOwners).toEqual(['old-b', 'default/app']);
    expect(manifest.replications[0]?.destinations.map((d) => d.maxDeletePercent)).toEqual([20, 100]);
  });

  it('refuses an id that cannot be a tag value part or is longer than 64 characters', () => {
    const withId = (id: string) =>
      yaml(
        ...HEAD,
        `id: "${id}"`,
        'replications:',
        '  - name: app',
        '    paths: [/prod/app]',
        '    destinations:',
        US,
      );
    expect(errorsOf(withId('team/b'))).toEqual([
      [
        4,
        5,
        "id 'team/b' may contain only letters, digits, _ . - and must start with a letter or digit; it is recorded in the owner tag of every replica and names the manifest's apply lock",
      ],
    ]);
    expect(errorsOf(withId('team b'))).toHaveLength(1);
    expect(errorsOf(withId('a'.repeat(65)))).toHaveLength(1);
    expect(parseManifest(withId('a'.repeat(64)), 'm.yaml').manifest.id).toHaveLength(64);
  });

  it('refuses a previous-owners entry that is not an owner tag value', () => {
    const text = yaml(
      ...HEAD,
      'previous-owners: [a/b/c]',
      'replications:',
      '  - name: app',
      '    paths: [/prod/app]',
      '    destinations:',
      US,
    );
    expect(errorsOf(text).map((e) => e[2])).toEqual([
      "previous-owners 'a/b/c' is not an owner; expected a manifest id such as 'team-b', or an id and a replication such as 'default/prod-app'",
    ]);
  });

  it('refuses previous-owners default alone, which would take over every manifest without an id', () => {
    const text = yaml(
      ...HEAD,
      'previous-owners: [default]',
      'replications:',
      '  - name: app',
      '    paths: [/prod/app]',
      '    destinations:',
      US,
    );
    expect(errorsOf(text)).toEqual([
      [
        4,
        19,
        "previous-owners 'default' would take over the replicas of every manifest without an id; name the replication, e.g. 'default/prod-app'",
      ],
    ]);
  });

  it('refuses ssm-replicate:owner among the tags, since ssm-replicate sets it', () => {
    const errors = errorsOf(withDestinations(US, '        tags: { "ssm-replicate:owner": me }'));
    expect(errors.map((e) => e[2])).toEqual([
      "tag 'ssm-replicate:owner' is set by ssm-replicate to the manifest id and replication that own a replica; set 'id' instead",
    ]);
  });

  it("refuses more than 47 tags, since three of the 50 are ssm-replicate's", () => {
    const tags = Array.from({ length: 48 }, (_, i) => `t${i}: v`).join(', ');
    const errors = errorsOf(withDestinations(US, `        tags: { ${tags} }`));
    expect(errors.map((e) => e[2])).toEqual([
      '48 tags given; at most 47 fit beside the ownership tag, ssm-replicate:owner and ssm-replicate:sync',
    ]);
  });

  it('refuses a max-delete-percent outside 0-100', () => {
    expect(errorsOf(withDestinations(US, '        max-delete-percent: 101'))).toHaveLength(1);
    expect(errorsOf(withDestinations(US, '        max-delete-percent: -1'))).toHaveLength(1);
    expect(errorsOf(withDestinations(US, '        max-delete-percent: 12.5'))).toHaveLength(1);
  });

  it('refuses paths: [/] unless the replication opts in with allow-whole-region', () => {
    const root = (...extra: string[]) =>
      yaml(
        ...HEAD,
        'replications:',
        '  - name: app',
        '    paths: [/prod/app, /]',
        ...extra,
        '    destinations:',
        US,
      );
    expect(errorsOf(root())).toEqual([
      [
        6,
        24,
        "path '/' replicates every parameter of ap-south-1 and lets deletes reach every replica in each destination; list the paths to replicate, or set allow-whole-region: true on this replication if that is really meant",
      ],
    ]);
    const allowed = parseManifest(root('    allow-whole-region: true'), 'm.yaml').manifest;
    expect(allowed.replications[0]?.allowWholeRegion).toBe(true);
  });

  it('refuses a path-rewrite that turns a path into / unless the replication opts in', () => {
    const text = withDestinations(US, '        path-rewrite: { from: /prod/app/, to: / }');
    expect(errorsOf(text).map((e) => e[2])).toEqual([
      "path-rewrite turns '/prod/app' into '/' in us-east-1, so deletes there reach every replica of the region; rewrite to a prefix below '/', or set allow-whole-region: true on this replication if that is really meant",
    ]);
  });
});
