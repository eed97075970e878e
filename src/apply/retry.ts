import type { Clock } from '../rate/limiter.js';

/**
 * Errors worth another try. TooManyUpdates is not retried by the SDK at all (it is a 400 the SDK treats
 * as final); throttling and 5xx are the SDK's to retry, and come back here after a single attempt only
 * when the SDK's retry quota is spent in a storm. Throttling must slow a run down, never fail it.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/CommonErrors.html
 */
const RETRYABLE = new Set([
  'TooManyUpdates',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (e.name && RETRYABLE.has(e.name)) return true;
  return (e.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** HTTP attempts the SDK made for a failed call (its `$metadata.attempts`); 1 for anything else. */
function sdkAttempts(error: unknown): number {
  const attempts = (error as { $metadata?: { attempts?: unknown } } | null)?.$metadata?.attempts;
  return typeof attempts === 'number' && Number.isInteger(attempts) && attempts > 0 ? attempts : 1;
}

export interface RetryPolicy {
  /** The call's whole budget of attempts: the SDK's own retries count against it. */
  attempts: number;
  baseMs: number;
  capMs: number;
}

/** The budget equals the SDK's default maxAttempts (src/aws/factory.ts), so the two layers share it. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseMs: 250, capMs: 20_000 };

/**
 * One bounded budget per call, shared with the SDK rather than multiplied by it (8 SDK attempts on each of
 * 8 tries made 64 before): every HTTP attempt the SDK made for a failed try counts, and no new try starts
 * once `policy.attempts` are spent. So a throttle the SDK retried to its own limit is final when that
 * limit is the budget (the CLI passes AWS_MAX_ATTEMPTS as both), while TooManyUpdates (one attempt each)
 * or a throttle after the SDK's retry quota ran dry gets this loop's tries. The bound is exact unless
 * one-attempt failures come before an SDK-retried one, which can add at most the SDK's maxAttempts − 1.
 * Exponential backoff with full jitter (the AWS Architecture Blog's recommendation).
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  clock: Clock,
  policy: RetryPolicy = DEFAULT_RETRY,
  random: () => number = Math.random,
): Promise<T> {
  let used = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      used += sdkAttempts(error);
      if (used >= policy.attempts || !isRetryable(error)) throw error;
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      await clock.sleep(Math.floor(random() * ceiling));
    }
  }
}
