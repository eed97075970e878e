import type { Clock } from '../rate/limiter.js';

/**
 * Errors worth another try after the SDK's own attempts are spent. TooManyUpdates is not retried by the
 * SDK at all (it is a 400 the SDK treats as final); throttling and 5xx may outlast the SDK's retry quota in
 * a storm. Throttling must slow a run down, never fail it.
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

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseMs: 250, capMs: 20_000 };

/** Exponential backoff with full jitter (the AWS Architecture Blog's recommendation). */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  clock: Clock,
  policy: RetryPolicy = DEFAULT_RETRY,
  random: () => number = Math.random,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !isRetryable(error)) throw error;
      const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
      await clock.sleep(Math.floor(random() * ceiling));
    }
  }
}
