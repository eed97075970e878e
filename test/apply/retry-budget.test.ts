import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../src/apply/retry.js';
import { applyJob } from '../../src/jobs/apply-job.js';
import { jobContext } from '../support/aws.js';
import { manifest } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE } from '../support/seed.js';

const ep = useEndpoint();

/** One create, every replica write answered with `error`; the attempts AWS saw for it. */
async function attemptsFor(error: string, sdkAttempts: number, budget: number) {
  ep().state.putParameter({ region: SOURCE, name: '/prod/app/ONE', value: 'v', type: 'String' });
  ep().faults.failNext({ operation: 'PutParameter', region: 'us-east-1', count: 1_000, error });
  const result = await applyJob(jobContext(ep(), manifest(), { maxAttempts: sdkAttempts }), {
    retry: { ...DEFAULT_RETRY, attempts: budget },
  });
  expect(result.kind === 'done' && result.report.failed).toBe(1);
  return ep().calls({ operation: 'PutParameter', region: 'us-east-1' }).length;
}

describe('one retry budget per call, shared by the SDK and the applier', () => {
  it('stops a throttled write after the budget, the SDK retries counted, instead of multiplying them', async () => {
    // Before: the SDK's 3 attempts on each of the applier's 3 tries, 9 in all.
    expect(await attemptsFor('ThrottlingException', 3, 3)).toBe(3);
  });

  it('gives TooManyUpdates, which the SDK does not retry, the whole budget', async () => {
    expect(await attemptsFor('TooManyUpdates', 3, 4)).toBe(4);
  });

  it('tops up an SDK budget smaller than the call budget, and stops at the first try past it', async () => {
    // 2 (SDK) + 2 (SDK, applier's second try) reach the budget of 4.
    expect(await attemptsFor('ThrottlingException', 2, 4)).toBe(4);
  });
});
