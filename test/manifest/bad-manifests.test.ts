import { describe, expect, it } from 'vitest';
import { formatIssue, ManifestError, parseManifest } from '../../src/manifest/index.js';
import { errorsOf, type Found, HEAD, withDestinations, yaml } from './helpers.js';

const US = '      - region: us-east-1';
const longPath = `/prod/${'a'.repeat(1010)}`;
const deepPath = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`;

interface Case {
  name: string;
  text: string;
  errors: Found[];
}

const cases: Case[] = [
  {
    name: 'suggests the nearest key for a misspelt replication key',
    text: yaml(...HEAD, 'replications:', '  - name: app', '    paths: [/prod/app]', '    destinaton:', US),
    errors: [
      [5, 5, "missing required key 'destinations' in replications[0]"],
      [7, 5, "unknown key 'destinaton' in replications[0] — did you mean 'destinations'?"],
    ],
  },
  {
    name: 'suggests the kebab-case key for a camelCase one',
    text: withDestinations(US, '        maxDeletes: 3'),
    errors: [
      [9, 9, "unknown key 'maxDeletes' in replications[0].destinations[0] — did you mean 'max-deletes'?"],
    ],
  },
  {
    name: 'suggests the top-level key for a misspelt one and reports the key it replaces as missing',
    text: yaml(...HEAD, 'replication: []'),
    errors: [
      [1, 1, "missing required key 'replications'"],
      [4, 1, "unknown key 'replication' — did you mean 'replications'?"],
    ],
  },
  {
    name: 'lists the expected keys when no key is close to an unknown one',
    text: yaml('version: 1', 'source:', '  region: ap-south-1', '  colour: red', 'replications: []'),
    errors: [
      [4, 3, "unknown key 'colour' in source; expected one of: region, role-arn"],
      [5, 15, 'replications must list at least 1 item(s)'],
    ],
  },
  {
    name: 'refuses manifest versions other than 1',
    text: withDestinations(US).replace('version: 1', 'version: 2'),
    errors: [[1, 10, 'version must be 1, got 2']],
  },
  {
    name: 'reports a missing version at the top of the file',
    text: withDestinations(US).replace('version: 1\n', ''),
    errors: [[1, 1, "missing required key 'version'"]],
  },
  {
    name: 'rejects an empty file',
    text: '# nothing yet\n',
    errors: [[1, 1, 'the manifest is empty; expected a mapping with version, source and replications']],
  },
  {
    name: 'rejects a manifest that is a list',
    text: yaml('- version: 1'),
    errors: [[1, 1, 'the manifest must be a mapping, got a list']],
  },
  {
    name: 'reports YAML syntax errors with their place',
    text: yaml('version: 1', 'source: { region: ap-south-1', 'replications: []'),
    errors: [
      [3, 1, 'invalid YAML: Flow map in block collection must be sufficiently indented and end with a }'],
    ],
  },
  {
    name: 'rejects a duplicate key instead of letting the last one win',
    text: withDestinations(US, '        deletes: keep', '        deletes: sync'),
    errors: [[10, 9, "duplicate key 'deletes' (first set at line 9)"]],
  },
  {
    name: 'rejects anchors and aliases, which hide where a value comes from',
    text: yaml(
      ...HEAD,
      'defaults: &d',
      '  deletes: keep',
      'replications:',
      '  - name: app',
      '    paths: [/prod/app]',
      '    destinations:',
      '      - region: us-east-1',
      '        tags: *d',
    ),
    errors: [
      [4, 11, "YAML anchor '&d' is not allowed; write the value out, or use 'defaults'"],
      [11, 15, "YAML alias '*d' is not allowed; write the value out, or use 'defaults'"],
    ],
  },
  {
    name: 'rejects merge keys, which would hide a misspelt key from the schema',
    text: withDestinations('      - region: us-east-1', '        <<: { deletes: keep }'),
    errors: [[9, 9, "YAML merge key '<<' is not allowed; write the keys out, or use 'defaults'"]],
  },
  {
    name: 'rejects a second YAML document',
    text: `${withDestinations(US)}---\nversion: 1\n`,
    errors: [[9, 1, 'the manifest must be a single YAML document; remove this second one']],
  },
  {
    name: 'rejects a malformed region and suggests the nearest known one',
    text: withDestinations('      - region: us-east'),
    errors: [[8, 17, "'us-east' is not a region name; expected e.g. us-east-1 — did you mean 'us-east-1'?"]],
  },
  {
    name: 'refuses the source region as a destination',
    text: withDestinations('      - region: ap-south-1'),
    errors: [
      [
        8,
        17,
        'destination ap-south-1 is the source region; replicating onto the source would overwrite it (a copy in another account of the same region needs a role-arn there)',
      ],
    ],
  },
  {
    name: 'requires paths to start with a slash',
    text: withDestinations(US).replace('[/prod/app]', '[prod/app]'),
    errors: [[6, 13, "path 'prod/app' must start with '/', e.g. '/prod/app'"]],
  },
  {
    name: 'refuses characters Parameter Store does not allow in names',
    text: withDestinations(US).replace('[/prod/app]', "['/prod/my app']"),
    errors: [
      [
        6,
        13,
        "path '/prod/my app' contains ' '; parameter names may contain only letters, digits and _ . - /",
      ],
    ],
  },
  {
    name: 'refuses the reserved /aws prefix',
    text: withDestinations(US).replace('[/prod/app]', '[/aws/service]'),
    errors: [
      [
        6,
        13,
        "path '/aws/service' starts with 'aws'; names beginning with aws or ssm (any case) are reserved by AWS",
      ],
    ],
  },
  {
    name: 'refuses the reserved ssm prefix in any case',
    text: withDestinations(US).replace('[/prod/app]', '[/SSM/config]'),
    errors: [
      [
        6,
        13,
        "path '/SSM/config' starts with 'SSM'; names beginning with aws or ssm (any case) are reserved by AWS",
      ],
    ],
  },
  {
    name: 'asks for paths without a trailing slash',
    text: withDestinations(US).replace('[/prod/app]', '[/prod/app/]'),
    errors: [[6, 13, "path '/prod/app/' must not end with '/'; write '/prod/app'"]],
  },
  {
    name: 'refuses an empty level in a path',
    text: withDestinations(US).replace('[/prod/app]', '[/prod//app]'),
    errors: [[6, 13, "path '/prod//app' contains an empty level '//'"]],
  },
  {
    name: 'refuses paths over the 1011-character name limit',
    text: withDestinations(US).replace('[/prod/app]', `[${longPath}]`),
    errors: [[6, 13, 'path is 1016 characters long; parameter names are limited to 1011']],
  },
  {
    name: 'refuses paths deeper than 15 levels',
    text: withDestinations(US).replace('[/prod/app]', `[${deepPath}]`),
    errors: [[6, 13, `path '${deepPath}' has 16 levels; parameter hierarchies are limited to 15`]],
  },
  {
    name: 'requires at least one path',
    text: withDestinations(US).replace('[/prod/app]', '[]'),
    errors: [[6, 12, 'replications[0].paths must list at least 1 item(s)']],
  },
  {
    name: 'reports a path listed twice at its second occurrence',
    text: withDestinations(US).replace('[/prod/app]', '[/prod/app, /prod/app]'),
    errors: [[6, 24, "replications[0].paths lists '/prod/app' twice"]],
  },
  {
    name: 'refuses the same destination twice in one replication',
    text: withDestinations(US, '        deletes: keep', US),
    errors: [[10, 17, "destination us-east-1 is listed twice in replication 'app' (first at line 8)"]],
  },
  {
    name: 'refuses two replications with the same name',
    text: yaml(
      ...HEAD,
      'replications:',
      '  - { name: app, paths: [/prod/app], destinations: [{ region: us-east-1 }] }',
      '  - { name: app, paths: [/prod/api], destinations: [{ region: us-east-1 }] }',
    ),
    errors: [[6, 13, "replication name 'app' is already used at line 5"]],
  },
  {
    name: 'refuses replication names with spaces',
    text: withDestinations(US).replace('name: app', 'name: my app'),
    errors: [
      [
        5,
        11,
        "replication name 'my app' may contain only letters, digits, _ . - and must start with a letter or digit",
      ],
    ],
  },
  {
    name: 'names the allowed delete policies',
    text: withDestinations(US, '        deletes: delete'),
    errors: [[9, 18, "replications[0].destinations[0].deletes must be one of sync, keep; got 'delete'"]],
  },
  {
    name: 'refuses a negative delete budget',
    text: withDestinations(US, '        max-deletes: -1'),
    errors: [[9, 22, 'replications[0].destinations[0].max-deletes must be >= 0, got -1']],
  },
  {
    name: 'refuses a quoted number where a number is expected',
    text: withDestinations(US, "        max-deletes: '10'"),
    errors: [[9, 22, "replications[0].destinations[0].max-deletes must be a whole number, got '10'"]],
  },
  {
    name: 'tells to quote a tag value YAML read as a number',
    text: withDestinations(US, '        tags: { cost-centre: 42 }'),
    errors: [
      [9, 30, "replications[0].destinations[0].tags.cost-centre must be text, got 42 (quote it: '42')"],
    ],
  },
  {
    name: 'refuses tag keys in the aws: namespace',
    text: withDestinations(US, "        tags: { 'aws:team': ops }"),
    errors: [[9, 17, "tag key 'aws:team' starts with 'aws:', which is reserved by AWS"]],
  },
  {
    name: 'refuses setting the ownership tag through tags',
    text: withDestinations(US, "        tags: { 'ssm-replicate:managed-by': me }"),
    errors: [
      [
        9,
        17,
        "tag 'ssm-replicate:managed-by' is the ownership tag; set it with 'ownership-tag', not in tags",
      ],
    ],
  },
  {
    name: 'refuses yes where YAML 1.2 reads text, not a boolean',
    text: withDestinations(US, '        adopt: yes'),
    errors: [[9, 16, "replications[0].destinations[0].adopt must be true or false, got 'yes'"]],
  },
  {
    name: 'suggests the parameter type with the right case',
    text: withDestinations(US, '        type: securestring'),
    errors: [
      [
        9,
        15,
        "replications[0].destinations[0].type must be one of String, StringList, SecureString; got 'securestring' — did you mean 'SecureString'?",
      ],
    ],
  },
  {
    name: 'suggests alias/ for a bare KMS alias name',
    text: withDestinations(US, '        kms-key-id: prod-key'),
    errors: [
      [
        9,
        21,
        "'prod-key' is not a KMS key id, alias or ARN; expected e.g. alias/prod-key, a key id or arn:aws:kms:REGION:ACCOUNT:key/ID — did you mean 'alias/prod-key'?",
      ],
    ],
  },
  {
    name: 'refuses a KMS key ARN from another region',
    text: withDestinations(
      US,
      '        kms-key-id: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ),
    errors: [
      [
        9,
        21,
        'kms-key-id is a key in eu-west-1 but is used in us-east-1; KMS keys are regional, use an alias or a key ARN of each destination region',
      ],
    ],
  },
  {
    name: 'refuses a role ARN that is not an IAM role',
    text: withDestinations(US, '        role-arn: arn:aws:iam::1234:user/bob'),
    errors: [
      [
        9,
        19,
        "'arn:aws:iam::1234:user/bob' is not an IAM role ARN; expected e.g. arn:aws:iam::123456789012:role/replicator",
      ],
    ],
  },
  {
    name: 'names both forms of ec2-image and suggests skip for a typo',
    text: withDestinations(US, '        ec2-image: skpi'),
    errors: [
      [
        9,
        20,
        "replications[0].destinations[0].ec2-image must be 'skip' or a mapping with key 'amis'; got 'skpi' — did you mean 'skip'?",
      ],
    ],
  },
  {
    name: 'checks AMI ids in an ec2-image map',
    text: withDestinations(US, '        ec2-image: { amis: { ami-0123456789abcdef0: ami-xyz } }'),
    errors: [[9, 53, "'ami-xyz' is not an AMI id; expected e.g. ami-0123456789abcdef0"]],
  },
  {
    name: 'refuses a rewrite whose ends disagree on the trailing slash',
    text: withDestinations(US, '        path-rewrite: { from: /prod/, to: /dr }'),
    errors: [
      [
        9,
        43,
        "path-rewrite from '/prod/' and to '/dr' must both end with '/' or neither; as written '/prod/app' would become '/drapp'",
      ],
    ],
  },
  {
    name: 'refuses a rewrite that matches none of the paths',
    text: withDestinations(US, '        path-rewrite: { from: /staging/, to: /dr/ }'),
    errors: [[9, 31, "path-rewrite from '/staging/' matches none of this replication's paths (/prod/app)"]],
  },
  {
    name: 'refuses a rewrite that cuts a level in half',
    text: withDestinations(US, '        path-rewrite: { from: /prod/a, to: /dr/b }'),
    errors: [
      [
        9,
        31,
        "path-rewrite from '/prod/a' ends in the middle of a level of path '/prod/app'; rewrite whole levels, e.g. '/prod/'",
      ],
    ],
  },
  {
    name: 'refuses a rewrite into a reserved prefix',
    text: withDestinations(US, '        path-rewrite: { from: /prod/, to: /aws/ }'),
    errors: [
      [
        9,
        43,
        "path-rewrite to '/aws/' starts with 'aws'; names beginning with aws or ssm (any case) are reserved by AWS",
      ],
    ],
  },
  {
    name: 'refuses a rewrite that makes two source names land on one destination name',
    text: withDestinations(US, '        path-rewrite: { from: /prod/, to: /dr/ }').replace(
      '[/prod/app]',
      '[/prod/app, /dr/app]',
    ),
    errors: [
      [
        9,
        43,
        "'/dr/app' in us-east-1 would receive names from both '/prod/app' (replication 'app') and '/dr/app' (replication 'app')",
      ],
    ],
  },
  {
    name: 'refuses two replications sending one parameter to one region with different options',
    text: yaml(
      ...HEAD,
      'replications:',
      '  - { name: a, paths: [/prod], destinations: [{ region: us-east-1 }] }',
      '  - { name: b, paths: [/prod/app], destinations: [{ region: us-east-1, deletes: keep }] }',
    ),
    errors: [[6, 61, "replications 'a' and 'b' both send '/prod/app' to us-east-1 with different deletes"]],
  },
  {
    name: 'requires both ends of a path rewrite',
    text: withDestinations(US, '        path-rewrite: { from: /prod/ }'),
    errors: [[9, 23, "missing required key 'to' in replications[0].destinations[0].path-rewrite"]],
  },
  {
    name: 'refuses a zero rate limit',
    text: yaml(...HEAD, 'throughput: { put: 0 }', 'replications: []').replace(
      'replications: []',
      'replications: [{ name: a, paths: [/a], destinations: [{ region: us-east-1 }] }]',
    ),
    errors: [[4, 20, 'throughput.put must be > 0, got 0']],
  },
  {
    name: 'names the value-display choices',
    text: withDestinations(US).replace('replications:', 'value-display: all\nreplications:'),
    errors: [[4, 16, "value-display must be one of none, non-secret; got 'all'"]],
  },
  {
    name: 'refuses a manifest id outside the parameter name alphabet',
    text: withDestinations(US).replace('replications:', 'id: team a\nreplications:'),
    errors: [
      [
        4,
        5,
        "id 'team a' may contain only letters, digits, _ . - and must start with a letter or digit; it is recorded in the owner tag of every replica and names the manifest's apply lock",
      ],
    ],
  },
  {
    name: 'requires the ownership tag to have a value',
    text: withDestinations(US).replace('replications:', 'ownership-tag: { key: owner }\nreplications:'),
    errors: [[4, 16, "missing required key 'value' in ownership-tag"]],
  },
  {
    name: 'requires exclude patterns to start with a slash',
    text: withDestinations(US).replace(
      '    destinations:',
      "    exclude: ['prod/app/**']\n    destinations:",
    ),
    errors: [[7, 15, "exclude pattern 'prod/app/**' must start with '/', e.g. '/prod/app/**'"]],
  },
];

describe('invalid manifests', () => {
  it('has a table of at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name', ({ text, errors }) => {
    expect(errorsOf(text)).toEqual(errors);
  });

  it('reports every problem in one run, in file order, not just the first', () => {
    const text = yaml(
      'version: 2',
      'source:',
      '  region: us-east',
      'replications:',
      '  - name: app',
      '    paths: [prod]',
      '    destinaton: []',
    );
    expect(errorsOf(text)).toEqual([
      [1, 10, 'version must be 1, got 2'],
      [3, 11, "'us-east' is not a region name; expected e.g. us-east-1 — did you mean 'us-east-1'?"],
      [5, 5, "missing required key 'destinations' in replications[0]"],
      [6, 13, "path 'prod' must start with '/', e.g. '/prod'"],
      [7, 5, "unknown key 'destinaton' in replications[0] — did you mean 'destinations'?"],
    ]);
  });

  it('names the file it was given in every issue', () => {
    const text = withDestinations('      - region: us-east', '        deletes: never');
    let files: string[] = [];
    try {
      parseManifest(text, 'config/other.yaml');
    } catch (error) {
      files = (error as ManifestError).issues.map((issue) => issue.file);
    }
    expect(files).toEqual(['config/other.yaml', 'config/other.yaml']);
  });

  it('formats issues as file:line:column: message', () => {
    const error = new ManifestError([{ file: 'm.yaml', line: 3, column: 7, message: 'bad' }]);
    expect(formatIssue(error.issues[0] ?? { file: '', line: 0, column: 0, message: '' })).toBe(
      'm.yaml:3:7: bad',
    );
    expect(error.name).toBe('ManifestError');
    expect(error.message).toBe('m.yaml:3:7: bad');
  });
});
