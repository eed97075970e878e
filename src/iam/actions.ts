/**
 * The IAM actions ssm-replicate needs, derived from the AWS calls the code makes (src/aws/ssm-store.ts,
 * src/aws/clients.ts). The `iam-policy` command and config/lambda/template.yaml both use exactly this list,
 * and a test checks it against the commands the code imports, so none of the three can drift.
 */

export interface CommandActions {
  /** Actions the caller needs for this SDK command, including KMS calls AWS makes on our behalf. */
  actions: readonly string[];
  /** Why the less obvious ones are there. */
  note?: string;
}

export const COMMAND_ACTIONS: Readonly<Record<string, CommandActions>> = {
  DescribeParametersCommand: { actions: ['ssm:DescribeParameters'] },
  GetParametersCommand: {
    actions: ['ssm:GetParameters', 'kms:Decrypt'],
    note: 'WithDecryption: Parameter Store decrypts SecureStrings with the caller’s permissions',
  },
  ListTagsForResourceCommand: { actions: ['ssm:ListTagsForResource'] },
  PutParameterCommand: {
    actions: ['ssm:PutParameter', 'kms:Encrypt', 'kms:GenerateDataKey'],
    note: 'SecureString writes: Encrypt for Standard tier, GenerateDataKey for Advanced',
  },
  AddTagsToResourceCommand: {
    actions: ['ssm:AddTagsToResource'],
    note: 'also needed by PutParameter when it creates a replica with Tags',
  },
  RemoveTagsFromResourceCommand: { actions: ['ssm:RemoveTagsFromResource'] },
  // DeleteParameters is its own IAM action; the code never calls DeleteParameter (singular).
  DeleteParametersCommand: { actions: ['ssm:DeleteParameters'] },
  DescribeKeyCommand: { actions: ['kms:DescribeKey'] },
  GetResourcesCommand: { actions: ['tag:GetResources'] },
  GetCallerIdentityCommand: { actions: ['sts:GetCallerIdentity'] },
};

/** Only for destinations or a source with `role-arn` (fromTemporaryCredentials in clients.ts). */
export const ASSUME_ROLE_ACTION = 'sts:AssumeRole';

/** Every action the replication itself needs, sorted: what a policy or the template must grant, no more. */
export const REPLICATION_ACTIONS: readonly string[] = [
  ...new Set(Object.values(COMMAND_ACTIONS).flatMap((c) => c.actions)),
].sort();

/**
 * What `plan`, `drift` and `status` may call: names, metadata and tags, never a value and never a write.
 * The planner compares replicas by their sync records (metadata), so none of these needs kms:Decrypt.
 */
export const READ_ONLY_ACTIONS = [
  'kms:DescribeKey',
  'ssm:DescribeParameters',
  'ssm:GetParameters',
  'ssm:ListTagsForResource',
  'sts:GetCallerIdentity',
  'tag:GetResources',
] as const;

/** Read-only roles: tags of the source and destination parameters (ListTagsForResource is per parameter). */
export const TAG_READ_ACTIONS = ['ssm:ListTagsForResource'] as const;

/**
 * Read-only roles under `value-display: non-secret`: String and StringList values read WithDecryption=false.
 * Without kms:Decrypt a SecureString read this way yields its encrypted value, never its plaintext
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html, WithDecryption).
 */
export const NON_SECRET_VALUE_ACTIONS = ['ssm:GetParameters'] as const;

/** Source region: read only. */
export const SOURCE_PARAMETER_ACTIONS = ['ssm:GetParameters', 'ssm:ListTagsForResource'] as const;

/** Destination regions: read to compare, write, tag. Deletes are a separate, tag-conditioned statement. */
export const DESTINATION_PARAMETER_ACTIONS = [
  'ssm:AddTagsToResource',
  'ssm:GetParameters',
  'ssm:ListTagsForResource',
  'ssm:PutParameter',
  'ssm:RemoveTagsFromResource',
] as const;

export const DELETE_ACTIONS = ['ssm:DeleteParameters'] as const;

/**
 * The apply lock (src/apply/lock.ts), on its one parameter in the source region: create and renew it,
 * read it (and its past versions), delete it on release.
 */
export const LOCK_ACTIONS = ['ssm:DeleteParameters', 'ssm:GetParameters', 'ssm:PutParameter'] as const;

/** No resource-level permissions exist for these, so they can only be granted on `*`. */
export const UNSCOPED_ACTIONS = [
  'ssm:DescribeParameters',
  'sts:GetCallerIdentity',
  'tag:GetResources',
] as const;

/** Only ever used by Parameter Store on our behalf (kms:ViaService), never called directly. */
export const KMS_THROUGH_SSM_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;

/** Called directly (DescribeKey): metadata only, to check a key exists and tell aliases and ids apart. */
export const KMS_DIRECT_ACTIONS = ['kms:DescribeKey'] as const;
