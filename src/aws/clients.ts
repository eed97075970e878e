import { KMSClient } from '@aws-sdk/client-kms';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { SSMClient, type SSMClientConfig } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { type Clock, systemClock, TokenBucket } from '../rate/limiter.js';
import type { SecretRegistry } from '../render/redact.js';
import { guardResponses } from './responses.js';

export const USER_AGENT = 'ssm-replicate';

/** SDK settings the shells read once (from AWS_MAX_ATTEMPTS, AWS_RETRY_MODE, …) and pass in. */
export interface AwsSettings {
  /** Attempts per call, SDK retries included. */
  maxAttempts: number;
  retryMode: 'standard' | 'adaptive';
  /** Credentials for the ambient identity; the SDK's default provider chain when absent. */
  credentials?: SSMClientConfig['credentials'];
  /** Calls per second per (account, region) and API family. */
  rates: RateLimits;
  /** A custom endpoint for every service (e.g. a VPC endpoint); AWS_ENDPOINT_URL is read by the SDK itself. */
  endpoint?: string;
  clock?: Clock;
  /** The run's secrets: each decrypted SecureString is added the moment its response is decoded. */
  secrets?: SecretRegistry;
}

export interface RateLimits {
  /** GetParameter(s)/GetParametersByPath share one quota in AWS. */
  get: number;
  put: number;
  describe: number;
  /** Tags, deletes, KMS and the tagging API. */
  other: number;
}

export type ApiFamily = keyof RateLimits;

const FAMILY: Record<string, ApiFamily> = {
  GetParameterCommand: 'get',
  GetParametersCommand: 'get',
  GetParametersByPathCommand: 'get',
  PutParameterCommand: 'put',
  DescribeParametersCommand: 'describe',
};

export interface RegionClients {
  ssm: SSMClient;
  kms: KMSClient;
  tagging: ResourceGroupsTaggingAPIClient;
  sts: STSClient;
}

/**
 * One set of clients per (role, region), each call rate-limited per API family before every attempt
 * (retries included, since AWS counts them too). The SDK's retry strategy is set explicitly rather than
 * left to ambient defaults.
 */
export function createRegionClients(
  settings: AwsSettings,
  target: { region: string; roleArn?: string },
): RegionClients {
  const clock = settings.clock ?? systemClock;
  const buckets = new Map<ApiFamily, TokenBucket>();
  const bucket = (family: ApiFamily) => {
    let b = buckets.get(family);
    if (!b) {
      const rate = settings.rates[family];
      b = new TokenBucket(rate, Math.max(1, Math.ceil(rate)), clock);
      buckets.set(family, b);
    }
    return b;
  };
  const credentials = target.roleArn
    ? fromTemporaryCredentials({
        params: { RoleArn: target.roleArn, RoleSessionName: 'ssm-replicate' },
        ...(settings.credentials ? { masterCredentials: settings.credentials } : {}),
        clientConfig: {
          region: target.region,
          ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
        },
      })
    : settings.credentials;
  const config = {
    region: target.region,
    maxAttempts: settings.maxAttempts,
    retryMode: settings.retryMode,
    customUserAgent: USER_AGENT,
    ...(credentials ? { credentials } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  };
  const clients: RegionClients = {
    ssm: new SSMClient(config),
    kms: new KMSClient(config),
    tagging: new ResourceGroupsTaggingAPIClient(config),
    sts: new STSClient(config),
  };
  const limit = (client: { middlewareStack: SSMClient['middlewareStack'] }) =>
    client.middlewareStack.add(
      (next, context) => async (args) => {
        await bucket(FAMILY[context.commandName ?? ''] ?? 'other').take();
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'ssmReplicateRateLimit' },
    );
  limit(clients.ssm);
  limit(clients.kms as unknown as SSMClient);
  limit(clients.tagging as unknown as SSMClient);
  for (const client of [clients.ssm, clients.kms, clients.tagging, clients.sts]) {
    guardResponses(
      client.middlewareStack as unknown as Parameters<typeof guardResponses>[0],
      settings.secrets,
    );
  }
  return clients;
}
