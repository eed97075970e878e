import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { MANIFEST, testHandler, trailEvent } from './support.js';

/** Issue 12, finding 4 in the Lambda: its log lines and the error it throws are channels too. */

let ep: Endpoint;
beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => {
  ep.state.reset();
  ep.faults.clear();
  ep.resetCalls();
});

const SOURCE = 'ap-south-1';
const SECRET = 'CANARY-LAMBDA-3d7a0f';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('the Lambda handler with hostile AWS messages', () => {
  it('keeps a value an AWS error repeats, and its control characters, out of the logs and the thrown error', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/DB', value: SECRET, type: 'SecureString' });
    ep.faults.failNext({
      operation: 'PutParameter',
      region: 'us-east-1',
      error: 'ValidationException',
      message: `Value '${SECRET}' failed to satisfy constraint \u001b]0;pwned\u0007\u0085`,
      count: 50,
    });
    const { handler, raw } = testHandler(
      ep,
      { SSM_REPLICATE_MANIFEST: MANIFEST },
      { settings: { maxAttempts: 1 } },
    );

    const error = await handler(trailEvent('PutParameter', ['/prod/app/DB'])).catch((e: Error) => e);

    expect(error).toMatchObject({ name: 'ReplicationFailed' });
    const thrown = `${(error as Error).message}\n${(error as Error).stack}`;
    expect(thrown).toContain("ValidationException: Value '***' failed to satisfy constraint");
    for (const text of [thrown, ...raw]) {
      expect(text).not.toContain(SECRET);
      expect(text.replace(/\n/g, ' ')).not.toMatch(RAW_CONTROL);
    }
    expect(raw.join('\n')).not.toContain('\\u001b]0;pwned');
  });
});
