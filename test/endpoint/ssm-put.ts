import { AwsError, constraintViolation, validation } from './errors.js';
import { AWS_SSM_ALIAS, encryptWith, resolveKey } from './kms-core.js';
import {
  currentVersion,
  type ParameterRecord,
  type ParameterTier,
  type ParameterType,
  type ParameterVersion,
  type PolicyRecord,
  parameterArn,
  type ScopeData,
} from './model.js';
import { insertSorted } from './sorted.js';
import { MAX_TAGS, parsePolicies, tooManyTags, validateName } from './ssm-validate.js';

export interface PutRequest {
  name: string;
  value: string;
  type?: string;
  keyId?: string;
  overwrite: boolean;
  description?: string;
  allowedPattern?: string;
  tags?: Array<[string, string]>;
  tier?: string;
  policies?: string;
  dataType?: string;
}

export interface PutContext {
  scope: ScopeData;
  now: number;
  user: string;
  limits: ParameterLimits;
}

/** https://docs.aws.amazon.com/general/latest/gr/ssm.html (Parameter Store quotas). */
export interface ParameterLimits {
  standardParameters: number;
  advancedParameters: number;
}

export const AWS_PARAMETER_LIMITS: ParameterLimits = {
  standardParameters: 10_000,
  advancedParameters: 100_000,
};

export interface PutResult {
  version: number;
  tier: ParameterTier;
  /** False when an aws:ec2:image value named an AMI unknown to the region: AWS drops it after the 200. */
  stored: boolean;
}

const TYPES = new Set<string>(['String', 'StringList', 'SecureString']);
const TIERS = new Set<string>(['Standard', 'Advanced', 'Intelligent-Tiering']);
const DATA_TYPES = new Set<string>(['text', 'aws:ec2:image', 'aws:ssm:integration']);
// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
const STANDARD_MAX_BYTES = 4096;
const ADVANCED_MAX_BYTES = 8192;
export const MAX_VERSIONS = 100;

function checkSyntax(req: PutRequest): void {
  validateName(req.name);
  if (req.value.length === 0) {
    throw constraintViolation('', 'value', 'Member must have length greater than or equal to 1');
  }
  // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html#systemsmanager-PutParameter-request-Tags
  if (req.overwrite && req.tags && req.tags.length > 0) {
    throw validation(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please " +
        'remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or ' +
        'RemoveTagsFromResource.',
    );
  }
  if (req.type !== undefined && !TYPES.has(req.type)) {
    throw constraintViolation(
      req.type,
      'type',
      'Member must satisfy enum value set: [SecureString, StringList, String]',
    );
  }
  if (req.tier !== undefined && !TIERS.has(req.tier)) {
    throw constraintViolation(
      req.tier,
      'tier',
      'Member must satisfy enum value set: [Standard, Intelligent-Tiering, Advanced]',
    );
  }
  if (req.description !== undefined && req.description.length > 1024) {
    throw constraintViolation(
      req.description,
      'description',
      'Member must have length less than or equal to 1024',
    );
  }
  if (req.allowedPattern !== undefined && req.allowedPattern.length > 1024) {
    throw constraintViolation(
      req.allowedPattern,
      'allowedPattern',
      'Member must have length less than or equal to 1024',
    );
  }
  if (req.dataType !== undefined && !DATA_TYPES.has(req.dataType)) {
    throw validation(
      `The following data type is not supported: ${req.dataType} (Data type names are all lowercase.)`,
    );
  }
  if (req.tags && req.tags.length > MAX_TAGS) throw tooManyTags();
}

function compilePattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch {
    throw new AwsError(
      'InvalidAllowedPatternException',
      `The request does not meet the regular expression requirement: ${pattern}`,
    );
  }
}

/** https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html */
function resolveTier(
  req: PutRequest,
  prev: ParameterVersion | undefined,
  bytes: number,
  policies: PolicyRecord[],
  ctx: PutContext,
): ParameterTier {
  const wasAdvanced = prev?.tier === 'Advanced';
  if (req.tier === 'Standard' && wasAdvanced) {
    throw validation(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter " +
        'tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it ' +
        'as a standard parameter.',
    );
  }
  if (req.tier === 'Advanced') return 'Advanced';
  if (req.tier === 'Intelligent-Tiering') {
    const standardFull = !prev && standardCount(ctx.scope) >= ctx.limits.standardParameters;
    return wasAdvanced || bytes > STANDARD_MAX_BYTES || policies.length > 0 || standardFull
      ? 'Advanced'
      : 'Standard';
  }
  // Tier omitted: the account default (Standard) on create; an overwrite keeps the current tier.
  return prev?.tier ?? 'Standard';
}

function standardCount(scope: ScopeData): number {
  return scope.standardCount;
}

function adjustStandardCount(scope: ScopeData, delta: number): void {
  scope.standardCount += delta;
}

export function onParameterRemoved(scope: ScopeData, record: ParameterRecord): void {
  if (currentVersion(record).tier === 'Standard') adjustStandardCount(scope, -1);
}

function checkTierLimits(
  tier: ParameterTier,
  bytes: number,
  policies: PolicyRecord[],
  prev: ParameterVersion | undefined,
  ctx: PutContext,
): void {
  if (tier === 'Standard' && bytes > STANDARD_MAX_BYTES) {
    throw validation(
      `Standard tier parameters support a maximum parameter value of ${STANDARD_MAX_BYTES} characters. To create a ` +
        'larger parameter value, upgrade the parameter to use the advanced-parameter tier.',
    );
  }
  if (bytes > ADVANCED_MAX_BYTES) {
    throw validation(
      `Advanced tier parameters support a maximum parameter value of ${ADVANCED_MAX_BYTES} characters.`,
    );
  }
  if (tier === 'Standard' && policies.length > 0) {
    throw validation('Parameter policies are supported only for parameters in the advanced-parameter tier.');
  }
  const overLimit =
    (tier === 'Standard' &&
      prev?.tier !== 'Standard' &&
      !prev &&
      standardCount(ctx.scope) >= ctx.limits.standardParameters) ||
    (tier === 'Advanced' &&
      prev?.tier !== 'Advanced' &&
      ctx.scope.parameters.size - standardCount(ctx.scope) >= ctx.limits.advancedParameters);
  if (overLimit) {
    throw new AwsError(
      'ParameterLimitExceeded',
      'You have exceeded the number of parameters for this Amazon Web Services account. Delete one or more parameters and try again.',
    );
  }
}

function encryptValue(
  ctx: PutContext,
  name: string,
  value: string,
  keyRef: string,
): { ciphertext: string; keyId: string } {
  const key = resolveKey(ctx.scope, keyRef, ctx.now);
  const arn =
    key?.arn ??
    (keyRef.startsWith('arn:')
      ? keyRef
      : `arn:aws:kms:${ctx.scope.region}:${ctx.scope.account}:${keyRef.startsWith('alias/') ? keyRef : `key/${keyRef}`}`);
  // SSM reports KMS's own failure inside InvalidKeyId, the way AWS does.
  if (!key) {
    throw new AwsError(
      'InvalidKeyId',
      `Key '${arn}' does not exist (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException)`,
    );
  }
  if (!key.enabled) {
    throw new AwsError(
      'InvalidKeyId',
      `${key.arn} is disabled. (Service: AWSKMS; Status Code: 400; Error Code: DisabledException)`,
    );
  }
  const context = { PARAMETER_ARN: parameterArn(ctx.scope.region, ctx.scope.account, name) };
  return { ciphertext: encryptWith(key, Buffer.from(value), context).toString('base64'), keyId: key.keyId };
}

/** PutParameter, shared by the API handler and the state seeding helper. */
export function putParameter(ctx: PutContext, req: PutRequest): PutResult {
  checkSyntax(req);
  const { scope } = ctx;
  const existing = scope.parameters.get(req.name);
  if (existing && !req.overwrite) {
    throw new AwsError(
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
  }
  const prev = existing ? currentVersion(existing) : undefined;
  if (!prev && req.type === undefined)
    throw validation('A parameter type is required when you create a parameter.');
  // Omitted fields keep their current values on overwrite.
  const type = (req.type ?? prev?.type) as ParameterType;
  const dataType = req.dataType ?? prev?.dataType ?? 'text';
  if (dataType !== 'text' && type !== 'String') {
    throw validation(`The data type ${dataType} is supported only for String parameters.`);
  }
  if (req.keyId !== undefined && type !== 'SecureString') {
    throw validation('KeyId is supported only for SecureString parameters.');
  }
  const description = req.description ?? prev?.description;
  const allowedPattern = req.allowedPattern ?? prev?.allowedPattern;
  if (allowedPattern !== undefined && !compilePattern(allowedPattern).test(req.value)) {
    throw new AwsError(
      'ParameterPatternMismatchException',
      `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
    );
  }
  const policies = req.policies !== undefined ? parsePolicies(req.policies) : (prev?.policies ?? []);
  const bytes = Buffer.byteLength(req.value);
  const tier = resolveTier(req, prev, bytes, policies, ctx);
  checkTierLimits(tier, bytes, policies, prev, ctx);

  let secret: { ciphertext: string; keyId: string } | undefined;
  let keyRef: string | undefined;
  if (type === 'SecureString') {
    keyRef = req.keyId ?? (prev?.type === 'SecureString' ? prev.keyId : undefined) ?? AWS_SSM_ALIAS;
    secret = encryptValue(ctx, req.name, req.value, keyRef);
  }
  if (existing && existing.versions.length >= MAX_VERSIONS) {
    const oldest = existing.versions[0];
    if (oldest && oldest.labels.length > 0) {
      // https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html
      throw new AwsError(
        'ParameterMaxVersionLimitExceeded',
        `You attempted to create a new version of ${req.name} by calling the PutParameter API with the overwrite ` +
          `flag. Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated ` +
          'with it. Move the label to another version of the parameter, and try again.',
      );
    }
  }
  const version = (prev?.version ?? 0) + 1;
  // https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-ec2-aliases.html: the AMI is
  // validated asynchronously after a 200, and an unknown AMI means nothing is written.
  if (dataType === 'aws:ec2:image' && !scope.amis.has(req.value)) return { version, tier, stored: false };

  const next: ParameterVersion = {
    version,
    value: req.value,
    type,
    tier,
    policies,
    dataType,
    labels: [],
    lastModifiedDate: ctx.now,
    lastModifiedUser: ctx.user,
    ...(secret ? { ciphertext: secret.ciphertext, keyId: keyRef, resolvedKeyId: secret.keyId } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(allowedPattern !== undefined ? { allowedPattern } : {}),
  };
  if (existing) {
    if (existing.versions.length >= MAX_VERSIONS) existing.versions.shift();
    existing.versions.push(next);
    if (prev?.tier !== tier) adjustStandardCount(scope, tier === 'Standard' ? 1 : -1);
  } else {
    const tags = Object.fromEntries(req.tags ?? []);
    scope.parameters.set(req.name, {
      name: req.name,
      versions: [next],
      tags,
      everTagged: Object.keys(tags).length > 0,
    });
    insertSorted(scope.names, req.name);
    if (tier === 'Standard') adjustStandardCount(scope, 1);
  }
  return { version, tier, stored: true };
}
