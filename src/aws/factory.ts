import type { Throughput } from '../manifest/types.js';
import type { StoreFactory } from '../store/port.js';
import { type AwsSettings, createRegionClients, type RateLimits } from './clients.js';
import { callerAccount, SdkParameterStore } from './ssm-store.js';

/** Attempts per call when AWS_MAX_ATTEMPTS is not set: enough for throttling bursts to pass. */
export const DEFAULT_MAX_ATTEMPTS = 8;

export function ratesFrom(throughput: Throughput): RateLimits {
  return {
    get: throughput.get,
    put: throughput.put,
    describe: throughput.describe,
    other: throughput.describe,
  };
}

/**
 * SDK settings from the standard AWS variables (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE; AWS_ENDPOINT_URL,
 * AWS_PROFILE and credentials are read by the SDK itself). The shells pass their environment in.
 */
export function awsSettings(
  env: Readonly<Record<string, string | undefined>>,
  throughput: Throughput,
): AwsSettings {
  const attempts = Number.parseInt(env.AWS_MAX_ATTEMPTS ?? '', 10);
  const mode = env.AWS_RETRY_MODE;
  return {
    maxAttempts: Number.isFinite(attempts) && attempts > 0 ? attempts : DEFAULT_MAX_ATTEMPTS,
    retryMode: mode === 'adaptive' ? 'adaptive' : 'standard',
    rates: ratesFrom(throughput),
    ...(env.AWS_ENDPOINT_URL ? { endpoint: env.AWS_ENDPOINT_URL } : {}),
  };
}

/** The account a role lives in: arn:PARTITION:iam::ACCOUNT:role/NAME. */
export function roleAccount(roleArn: string): string | undefined {
  const account = roleArn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * The partition a region belongs to: one set of credentials is one account within a partition, and
 * cannot sign requests in another (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html).
 */
export function partitionOf(region: string): string {
  const prefix = /^(cn|us-gov|us-isob?|eu-isoe|us-isof|eusc)-/.exec(region)?.[1];
  return (prefix && PARTITIONS.get(prefix)) ?? 'aws';
}

const PARTITIONS = new Map([
  ['cn', 'aws-cn'],
  ['us-gov', 'aws-us-gov'],
  ['us-iso', 'aws-iso'],
  ['us-isob', 'aws-iso-b'],
  ['eu-isoe', 'aws-iso-e'],
  ['us-isof', 'aws-iso-f'],
  ['eusc', 'aws-eusc'],
]);

/**
 * One store (one set of clients, one rate limiter) per target, reused for every read and write of a run.
 * `account`: the ambient identity's account when the shell already knows it (the Lambda, from its own
 * ARN); stores reached through a role take the role's account. Only otherwise do they ask STS, once per
 * partition for all the regions the ambient identity reaches.
 */
export function sdkStoreFactory(settings: AwsSettings, options: { account?: string } = {}): StoreFactory {
  const stores = new Map<string, SdkParameterStore>();
  const callers = new Map<string, Promise<string | undefined>>();
  return (target) => {
    const key = `${target.region}|${target.roleArn ?? ''}`;
    let store = stores.get(key);
    if (!store) {
      const clients = createRegionClients(settings, target);
      const partition = partitionOf(target.region);
      const ask = () => {
        let pending = callers.get(partition);
        if (!pending) {
          pending = callerAccount(clients);
          callers.set(partition, pending);
        }
        return pending;
      };
      const account = target.roleArn ? roleAccount(target.roleArn) : options.account;
      store = new SdkParameterStore(target.region, clients, account ?? (target.roleArn ? undefined : ask));
      stores.set(key, store);
    }
    return store;
  };
}
