import { lockName } from '../apply/lock.js';
import type { Destination, Manifest } from '../manifest/types.js';
import { destinationPaths } from '../plan/names.js';
import {
  ASSUME_ROLE_ACTION,
  DELETE_ACTIONS,
  DESTINATION_PARAMETER_ACTIONS,
  KMS_DIRECT_ACTIONS,
  KMS_THROUGH_SSM_ACTIONS,
  LOCK_ACTIONS,
  NON_SECRET_VALUE_ACTIONS,
  SOURCE_PARAMETER_ACTIONS,
  TAG_READ_ACTIONS,
  UNSCOPED_ACTIONS,
} from './actions.js';

/**
 * Who runs with the policy. `plan` and `drift` (which also covers `status`) are read-only: metadata and tags,
 * no decryption, no writes. `apply` writes; `lambda` is apply plus its log statement.
 */
export type PolicyTarget = 'plan' | 'drift' | 'apply' | 'lambda';

export const POLICY_TARGETS: readonly PolicyTarget[] = ['plan', 'drift', 'apply', 'lambda'];

/** Names kept from earlier versions: `action` was the one role the Action used for everything. */
export const POLICY_TARGET_ALIASES: ReadonlyMap<string, PolicyTarget> = new Map([['action', 'apply']]);

const READ_ONLY_TARGETS: ReadonlySet<PolicyTarget> = new Set(['plan', 'drift']);

export interface PolicyOptions {
  /** The 12-digit account the role lives in; the policy names it in every ARN rather than `*`. */
  account: string;
  partition?: string;
  /** `apply` when absent. */
  for?: PolicyTarget;
  /** Customer managed keys the manifest cannot name, e.g. the keys of the source's SecureStrings. */
  kmsKeyArns?: readonly string[];
}

export interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[] | '*';
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Statement[];
}

export interface PolicyResult {
  policy: PolicyDocument;
  /** What the printed policy deliberately does not cover, in words a user can act on. */
  notes: string[];
}

const AWS_MANAGED_ALIAS = /^alias\/aws\//;

/** `/prod/app` → the parameter itself and everything below it (a prefix matches itself). */
function parameterArns(prefix: string, paths: Iterable<string>): string[] {
  const out: string[] = [];
  for (const p of paths)
    out.push(...(p.endsWith('/') ? [`${prefix}${p}*`] : [`${prefix}${p}`, `${prefix}${p}/*`]));
  return out;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Parameter Store's endpoint name, as kms:ViaService sees it. */
function ssmService(region: string, partition: string): string {
  return `ssm.${region}.${partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

/** Where a manifest's destinations are reached: through assumed roles, or with the policy's own identity. */
interface DestinationReach {
  /** The `role-arn`s of destinations that name one: their statements belong on those roles. */
  roles: Set<string>;
  /** Destinations reached with this identity, each with the parameter ARNs of its (rewritten) paths. */
  direct: { destination: Destination; arns: string[] }[];
  /** The regions of the direct destinations. */
  regions: Set<string>;
}

function destinationReach(manifest: Manifest, ssmArn: (region: string) => string): DestinationReach {
  const reach: DestinationReach = { roles: new Set(), direct: [], regions: new Set() };
  for (const replication of manifest.replications) {
    for (const destination of replication.destinations) {
      if (destination.roleArn) {
        reach.roles.add(destination.roleArn);
        continue;
      }
      const arns = parameterArns(ssmArn(destination.region), destinationPaths(replication, destination));
      reach.direct.push({ destination, arns });
      reach.regions.add(destination.region);
    }
  }
  return reach;
}

/**
 * The least-privilege policy for the identity that runs ssm-replicate (the Action's OIDC role or the
 * Lambda's execution role): read the source paths, write/tag the (rewritten) destination paths, delete
 * only replicas carrying the ownership tag, KMS only through Parameter Store. Pure: the caller supplies
 * the account. Destinations reached through `role-arn` get sts:AssumeRole here; their own statements
 * belong on the assumed role.
 */
export function buildPolicy(manifest: Manifest, options: PolicyOptions): PolicyResult {
  if (options.for !== undefined && READ_ONLY_TARGETS.has(options.for))
    return buildReadOnlyPolicy(manifest, options);
  const partition = options.partition ?? 'aws';
  const { account } = options;
  const notes: string[] = [];
  const ssmArn = (region: string) => `arn:${partition}:ssm:${region}:${account}:parameter`;
  const kmsArn = (region: string) => `arn:${partition}:kms:${region}:${account}:key`;
  const statements: Statement[] = [
    {
      Sid: 'UnscopedReads',
      Effect: 'Allow',
      Action: [...UNSCOPED_ACTIONS],
      Resource: '*',
    },
  ];

  const roles = new Set<string>();
  if (manifest.source.roleArn) {
    roles.add(manifest.source.roleArn);
    notes.push(
      `the source is read through ${manifest.source.roleArn}: give that role the ReadSource statement`,
    );
  } else {
    const sourcePaths = manifest.replications.flatMap((r) => r.paths);
    statements.push({
      Sid: 'ReadSource',
      Effect: 'Allow',
      Action: [...SOURCE_PARAMETER_ACTIONS],
      Resource: sorted(parameterArns(ssmArn(manifest.source.region), sourcePaths)),
    });
  }

  if (manifest.source.roleArn) {
    notes.push(
      `the apply lock lives in the source region: give ${manifest.source.roleArn} the ApplyLock statement`,
    );
  } else {
    // A name without a leading slash: its ARN is `parameter/` + the name.
    statements.push({
      Sid: 'ApplyLock',
      Effect: 'Allow',
      Action: [...LOCK_ACTIONS],
      Resource: [`${ssmArn(manifest.source.region)}/${lockName(manifest.id)}`],
    });
  }

  const reach = destinationReach(manifest, ssmArn);
  for (const r of reach.roles) roles.add(r);
  const { regions } = reach;
  const writes = new Set<string>();
  const deletes = new Set<string>();
  const keyArns = new Set<string>(options.kmsKeyArns ?? []);
  const aliases = new Map<string, Set<string>>();
  for (const { destination, arns } of reach.direct) {
    for (const a of arns) writes.add(a);
    if (destination.deletes === 'sync') for (const a of arns) deletes.add(a);
    const key = destination.kmsKeyId;
    if (!key || AWS_MANAGED_ALIAS.test(key)) continue;
    if (key.startsWith('arn:')) keyArns.add(key);
    else if (key.startsWith('alias/')) {
      const set = aliases.get(destination.region) ?? new Set<string>();
      set.add(key);
      aliases.set(destination.region, set);
    } else keyArns.add(`${kmsArn(destination.region)}/${key}`);
  }
  if (roles.size > 0)
    notes.push(
      'destinations with role-arn: give each assumed role the destination statements for its account',
    );

  if (writes.size > 0) {
    statements.push({
      Sid: 'WriteDestinations',
      Effect: 'Allow',
      Action: [...DESTINATION_PARAMETER_ACTIONS],
      Resource: sorted(writes),
    });
  }
  if (deletes.size > 0) {
    statements.push({
      Sid: 'DeleteOwnedReplicas',
      Effect: 'Allow',
      Action: [...DELETE_ACTIONS],
      Resource: sorted(deletes),
      Condition: {
        StringEquals: { [`ssm:resourceTag/${manifest.ownershipTag.key}`]: manifest.ownershipTag.value },
      },
    });
  }
  if (regions.size > 0) {
    // Metadata only. Needed for any key, the AWS managed one included, to tell aliases, ids and ARNs apart.
    statements.push({
      Sid: 'DescribeKeys',
      Effect: 'Allow',
      Action: [...KMS_DIRECT_ACTIONS],
      Resource: sorted([...regions].map((r) => `${kmsArn(r)}/*`)),
    });
  }
  const viaSsm = {
    'kms:ViaService': sorted([manifest.source.region, ...regions].map((r) => ssmService(r, partition))),
  };
  if (keyArns.size > 0) {
    statements.push({
      Sid: 'NamedKeysThroughParameterStore',
      Effect: 'Allow',
      Action: [...KMS_THROUGH_SSM_ACTIONS],
      Resource: sorted(keyArns),
      Condition: { StringEquals: viaSsm },
    });
  }
  if (aliases.size > 0) {
    // IAM authorises a key, never an alias, so keys named by alias are matched by the aliases they carry.
    statements.push({
      Sid: 'AliasedKeysThroughParameterStore',
      Effect: 'Allow',
      Action: [...KMS_THROUGH_SSM_ACTIONS],
      Resource: sorted([...aliases.keys()].map((r) => `${kmsArn(r)}/*`)),
      Condition: {
        StringEquals: viaSsm,
        'ForAnyValue:StringEquals': {
          'kms:ResourceAliases': sorted([...aliases.values()].flatMap((s) => [...s])),
        },
      },
    });
  }
  notes.push(
    'the AWS managed key (alias/aws/ssm) needs no statement: its key policy already lets Parameter Store use it for this account',
    'SecureStrings in the source under a customer managed key: pass its ARN with --kms-key so reads can decrypt',
  );
  if (roles.size > 0) {
    statements.push({
      Sid: 'AssumeReplicationRoles',
      Effect: 'Allow',
      Action: [ASSUME_ROLE_ACTION],
      Resource: sorted(roles),
    });
  }
  if (options.for === 'lambda') {
    statements.push({
      Sid: 'LambdaLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: [
        `arn:${partition}:logs:${manifest.source.region}:${account}:log-group:/aws/lambda/ssm-replicate*:*`,
      ],
    });
  }
  return { policy: { Version: '2012-10-17', Statement: statements }, notes };
}

/**
 * The plan/drift/status role: DescribeParameters, tags, KMS key metadata and the caller's identity, on the
 * manifest's paths and regions. No kms:Decrypt and no write, so whoever controls a pull request's workflow
 * sees names, metadata and tags but no secret value. GetParameters only under `value-display: non-secret`,
 * which the planner calls WithDecryption=false for the values it shows.
 */
function buildReadOnlyPolicy(manifest: Manifest, options: PolicyOptions): PolicyResult {
  const partition = options.partition ?? 'aws';
  const { account } = options;
  const notes: string[] = [];
  const ssmArn = (region: string) => `arn:${partition}:ssm:${region}:${account}:parameter`;
  const kmsArn = (region: string) => `arn:${partition}:kms:${region}:${account}:key`;
  const statements: Statement[] = [
    { Sid: 'UnscopedReads', Effect: 'Allow', Action: [...UNSCOPED_ACTIONS], Resource: '*' },
  ];
  const reach = destinationReach(manifest, ssmArn);
  const { roles, regions } = reach;
  const parameters = new Set<string>();
  if (manifest.source.roleArn) {
    roles.add(manifest.source.roleArn);
    notes.push(
      `the source is read through ${manifest.source.roleArn}: give that role the ReadTags (and ReadNonSecretValues) statements for its paths`,
    );
  } else {
    const sourcePaths = manifest.replications.flatMap((r) => r.paths);
    for (const a of parameterArns(ssmArn(manifest.source.region), sourcePaths)) parameters.add(a);
  }
  for (const { arns } of reach.direct) for (const a of arns) parameters.add(a);
  if (roles.size > 0)
    notes.push('role-arn targets: give each assumed role the same read-only statements for its account');
  if (parameters.size > 0)
    statements.push({
      Sid: 'ReadTags',
      Effect: 'Allow',
      Action: [...TAG_READ_ACTIONS],
      Resource: sorted(parameters),
    });
  if (manifest.valueDisplay === 'non-secret' && parameters.size > 0) {
    // WithDecryption=false: without kms:Decrypt a SecureString read yields no plaintext.
    statements.push({
      Sid: 'ReadNonSecretValues',
      Effect: 'Allow',
      Action: [...NON_SECRET_VALUE_ACTIONS],
      Resource: sorted(parameters),
    });
  }
  if (regions.size > 0)
    statements.push({
      Sid: 'DescribeKeys',
      Effect: 'Allow',
      Action: [...KMS_DIRECT_ACTIONS],
      Resource: sorted([...regions].map((r) => `${kmsArn(r)}/*`)),
    });
  if (roles.size > 0)
    statements.push({
      Sid: 'AssumeReplicationRoles',
      Effect: 'Allow',
      Action: [ASSUME_ROLE_ACTION],
      Resource: sorted(roles),
    });
  // No grant is not enough: the AWS managed key alias/aws/ssm lets every principal of the account decrypt
  // through Parameter Store by its key policy alone, so GetParameters WithDecryption=true would still
  // yield plaintext. An explicit deny overrides any allow, key policies included:
  // https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html
  statements.push({ Sid: 'NeverDecrypt', Effect: 'Deny', Action: ['kms:Decrypt'], Resource: '*' });
  notes.push(
    'read-only: no write action, and kms:Decrypt denied (the AWS managed key would otherwise let it decrypt); this role sees names, metadata and tags, never a SecureString value',
  );
  return { policy: { Version: '2012-10-17', Statement: statements }, notes };
}

/** Every action a policy grants (its Allow statements), sorted, for comparing with what the code calls. */
export function policyActions(policy: PolicyDocument): string[] {
  return sorted(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action));
}
