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
  /** Told about every call once it settles, its SDK retries included (the CLI's `--debug`). */
  onCall?: (call: AwsCallRecord) => void;
}

/**
 * What `--debug` shows of one call. Deliberately no input, output, error message or header: those can
 * hold parameter values or credentials.
 */
export interface AwsCallRecord {
  /** `ssm`, `kms`, `tagging`, `sts`. */
  service: string;
  /** The API operation, e.g. `PutParameter`. */
  operation: string;
  region: string;
  /** The last attempt's HTTP status; undefined when no answer came (connection refused or reset). */
  status?: number;
  /** The error's name (its code, e.g. `ThrottlingException`), when the call failed. */
  error?: string;
  durationMs: number;
  /** HTTP attempts the SDK made, retries included. */
  attempts: number;
  /** The error code of each attempt the SDK retried, in order (the last attempt's is `error`). */
  retriedAfter?: string[];
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
  const { onCall } = settings;
  // The provider builds its own STS client for AssumeRole: `--debug` logs its calls like any other.
  const observed = onCall
    ? {
        clientPlugins: [
          { applyToStack: (stack: Stack) => observeCalls(stack, 'sts', target.region, clock, onCall) },
        ],
      }
    : {};
  const credentials = target.roleArn
    ? sharedCredentials(
        fromTemporaryCredentials({
          params: { RoleArn: target.roleArn, RoleSessionName: 'ssm-replicate' },
          ...(settings.credentials ? { masterCredentials: settings.credentials } : {}),
          clientConfig: {
            region: target.region,
            ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
          },
          ...observed,
        }),
      )
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
  const services = { ssm: clients.ssm, kms: clients.kms, tagging: clients.tagging, sts: clients.sts };
  for (const [service, client] of Object.entries(services)) {
    guardResponses(
      client.middlewareStack as unknown as Parameters<typeof guardResponses>[0],
      settings.secrets,
    );
    if (onCall)
      observeCalls(client.middlewareStack as unknown as Stack, service, target.region, clock, onCall);
  }
  return clients;
}

type CredentialProvider = ReturnType<typeof fromTemporaryCredentials>;
type CredentialIdentity = Awaited<ReturnType<CredentialProvider>>;

/** How long before they expire the SDK refreshes credentials, and so do we. */
const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

/**
 * One AssumeRole for the clients of a target: each SDK client memoizes credentials on its own, so the
 * SSM, tagging, KMS and STS clients of a role would each assume it. The answer is shared, and asked for
 * again once it is within five minutes of its expiry (as the SDK would) or the last ask failed.
 */
export function sharedCredentials(
  provider: CredentialProvider,
  now: () => number = Date.now,
): CredentialProvider {
  let pending: Promise<CredentialIdentity> | undefined;
  const ask = (...args: Parameters<CredentialProvider>) => {
    const asked = provider(...args);
    pending = asked;
    asked.catch(() => {
      if (pending === asked) pending = undefined;
    });
    return asked;
  };
  return async (...args) => {
    const current = pending ?? ask(...args);
    const identity = await current;
    const expires = identity.expiration?.getTime();
    if (expires === undefined || expires - now() > REFRESH_BEFORE_EXPIRY_MS) return identity;
    // Only the first caller to find it expiring asks again; the others wait for that answer.
    return pending === current ? ask(...args) : (pending ?? ask(...args));
  };
}

/** A client's middleware stack, whichever client (the services', or the credential provider's STS). */
type Stack = SSMClient['middlewareStack'];

interface Metadata {
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** An error's name as an AWS error code looks, or `Error`: the name comes from the answer, untrusted. */
function errorCode(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^[A-Za-z][\w.:-]{0,63}$/.test(name) ? name : 'Error';
}

/**
 * Around the whole call (initialize step: outside the SDK's retries), so the duration and the attempt
 * count are those of the call as the caller sees it; and around each attempt (deserialize step, inside
 * the retries) for the code of every attempt that failed. Reads only the response metadata and the
 * errors' names.
 */
function observeCalls(
  stack: Stack,
  service: string,
  region: string,
  clock: Clock,
  onCall: (call: AwsCallRecord) => void,
): void {
  const failedAttempts = new WeakMap<object, string[]>();
  stack.add(
    (next, context) => async (args) => {
      const started = clock.now();
      const failed: string[] = [];
      failedAttempts.set(context, failed);
      const report = (meta: Metadata['$metadata'], error?: string) => {
        const attempts = meta?.attempts ?? 1;
        // A failed call's last failure is its `error`; the ones before it were retried.
        const retried = error === undefined ? failed : failed.slice(0, -1);
        onCall({
          service,
          operation: (context.commandName ?? 'Unknown').replace(/Command$/, ''),
          region,
          ...(meta?.httpStatusCode !== undefined ? { status: meta.httpStatusCode } : {}),
          ...(error !== undefined ? { error } : {}),
          durationMs: Math.max(0, clock.now() - started),
          attempts,
          ...(attempts > 1 && retried.length > 0 ? { retriedAfter: retried } : {}),
        });
      };
      try {
        const result = await next(args);
        report((result.output as Metadata).$metadata);
        return result;
      } catch (error) {
        report((error as Metadata | null)?.$metadata, errorCode(error));
        throw error;
      }
    },
    { step: 'initialize', priority: 'high', name: 'ssmReplicateObserveCalls' },
  );
  stack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        failedAttempts.get(context)?.push(errorCode(error));
        throw error;
      }
    },
    { step: 'deserialize', priority: 'high', name: 'ssmReplicateObserveAttempts' },
  );
}
