import { epochSeconds } from './context.js';
import { AwsError } from './errors.js';
import { type ParameterRecord, type ParameterVersion, parameterArn, type ScopeData } from './model.js';

/**
 * Response shapes of the SSM API reference
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Parameter.html,
 * API_ParameterMetadata.html, API_ParameterHistory.html).
 */

/** The value a caller sees: ciphertext for a SecureString unless it asked for decryption. */
export function visibleValue(scope: ScopeData, version: ParameterVersion, decrypt: boolean): string {
  if (version.type !== 'SecureString') return version.value;
  if (!decrypt) return version.ciphertext ?? '';
  const key = version.resolvedKeyId ? scope.keys.get(version.resolvedKeyId) : undefined;
  if (!key) {
    throw new AwsError(
      'InvalidKeyId',
      `Key '${version.resolvedKeyId ?? version.keyId}' does not exist (Service: AWSKMS; Status Code: 400; Error Code: NotFoundException)`,
    );
  }
  if (!key.enabled) {
    throw new AwsError(
      'InvalidKeyId',
      `${key.arn} is disabled. (Service: AWSKMS; Status Code: 400; Error Code: DisabledException)`,
    );
  }
  return version.value;
}

export function parameterShape(
  scope: ScopeData,
  record: ParameterRecord,
  version: ParameterVersion,
  decrypt: boolean,
  selector?: string,
): Record<string, unknown> {
  return {
    Name: record.name,
    Type: version.type,
    Value: visibleValue(scope, version, decrypt),
    Version: version.version,
    ...(selector !== undefined ? { Selector: selector } : {}),
    LastModifiedDate: epochSeconds(version.lastModifiedDate),
    ARN: parameterArn(scope.region, scope.account, record.name),
    DataType: version.dataType,
  };
}

function common(version: ParameterVersion): Record<string, unknown> {
  return {
    Type: version.type,
    ...(version.keyId !== undefined ? { KeyId: version.keyId } : {}),
    LastModifiedDate: epochSeconds(version.lastModifiedDate),
    LastModifiedUser: version.lastModifiedUser,
    ...(version.description !== undefined ? { Description: version.description } : {}),
    ...(version.allowedPattern !== undefined ? { AllowedPattern: version.allowedPattern } : {}),
    Version: version.version,
    Tier: version.tier,
    Policies: version.policies,
    DataType: version.dataType,
  };
}

export function metadataShape(
  scope: ScopeData,
  record: ParameterRecord,
  version: ParameterVersion,
): Record<string, unknown> {
  return {
    Name: record.name,
    ARN: parameterArn(scope.region, scope.account, record.name),
    ...common(version),
  };
}

export function historyShape(
  scope: ScopeData,
  record: ParameterRecord,
  version: ParameterVersion,
  decrypt: boolean,
): Record<string, unknown> {
  return {
    Name: record.name,
    ...common(version),
    Value: visibleValue(scope, version, decrypt),
    Labels: version.labels,
  };
}

export function parameterNotFound(name: string): AwsError {
  return new AwsError('ParameterNotFound', `Parameter ${name} not found.`);
}
