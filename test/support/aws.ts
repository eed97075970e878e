import type { AwsSettings } from '../../src/aws/clients.js';
import { sdkStoreFactory } from '../../src/aws/factory.js';
import type { Notice } from '../../src/io.js';
import type { JobContext } from '../../src/jobs/context.js';
import type { Manifest } from '../../src/manifest/types.js';
import type { Clock } from '../../src/rate/limiter.js';
import { TEST_CREDENTIALS } from '../endpoint/clients.js';
import type { Endpoint } from '../endpoint/index.js';

/** Rates high enough not to matter, unless a test is about rates. */
export const FAST_RATES = { get: 10_000, put: 10_000, describe: 10_000, other: 10_000 };

export function settingsFor(endpoint: Endpoint, overrides: Partial<AwsSettings> = {}): AwsSettings {
  return {
    maxAttempts: 3,
    retryMode: 'standard',
    credentials: TEST_CREDENTIALS,
    rates: FAST_RATES,
    endpoint: endpoint.url,
    ...overrides,
  };
}

/** A clock whose sleeps return at once but advance time, so 30 s replace waits cost nothing. */
export function fastClock(): Clock & { slept: number[] } {
  let now = Date.now();
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

export function jobContext(
  endpoint: Endpoint,
  manifest: Manifest,
  overrides: Partial<AwsSettings> = {},
): JobContext & { notices: Notice[] } {
  const notices: Notice[] = [];
  return {
    manifest,
    storeFor: sdkStoreFactory(settingsFor(endpoint, overrides)),
    clock: fastClock(),
    reporter: { notify: (n) => notices.push(n) },
    notices,
  };
}
