import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lambda/log.js';
import { SecretRegistry } from '../../src/render/redact.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { FUNCTION_CONTEXT, MANIFEST, nativeEvent, sqsBatch, testHandler } from './support.js';

let ep: Endpoint;
beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => {
  ep.state.reset();
  ep.faults.clear();
});

const SOURCE = 'ap-south-1';
const context = (awsRequestId: string) => ({ ...FUNCTION_CONTEXT, awsRequestId });

describe('the request id on Lambda log lines', () => {
  it("puts the invocation's awsRequestId on every line it logs, cold start included", async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/A', value: 'a', type: 'String' });
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/B', value: 'b', type: 'String' });
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    await handler(sqsBatch([nativeEvent('Create', '/prod/app/A')]), context('req-1'));
    const first = logs.length;
    await handler(sqsBatch([nativeEvent('Create', '/prod/app/B')]), context('req-2'));

    expect(first).toBeGreaterThan(1);
    expect(logs.length).toBeGreaterThan(first + 1);
    expect(logs.slice(0, first).map((l) => l.requestId)).toEqual(Array(first).fill('req-1'));
    expect(logs.slice(first).map((l) => l.requestId)).toEqual(Array(logs.length - first).fill('req-2'));
  });

  it('keeps the ids of overlapping invocations apart', async () => {
    for (const n of ['A', 'B'])
      ep.state.putParameter({ region: SOURCE, name: `/prod/app/${n}`, value: n, type: 'String' });
    // A dry run takes no lock, so the two really run side by side in one environment.
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST, DRY_RUN: 'true' });
    await Promise.all([
      handler(sqsBatch([nativeEvent('Create', '/prod/app/A')]), context('req-a')),
      handler(sqsBatch([nativeEvent('Create', '/prod/app/B')]), context('req-b')),
    ]);
    const named = (name: string) => logs.filter((l) => JSON.stringify(l).includes(name));
    expect(named('/prod/app/A').length).toBeGreaterThan(0);
    expect(new Set(named('/prod/app/A').map((l) => l.requestId))).toEqual(new Set(['req-a']));
    expect(new Set(named('/prod/app/B').map((l) => l.requestId))).toEqual(new Set(['req-b']));
  });

  it('logs the failed configuration under the request id of the invocation that found it', async () => {
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: '{version: 1' });
    await expect(handler(sqsBatch([]), context('req-bad'))).rejects.toThrow();
    expect(logs.length).toBeGreaterThan(0);
    for (const l of logs) expect(l.requestId).toBe('req-bad');
  });
});

describe('createLogger', () => {
  it('adds the context fields to every line, over the call fields, sanitized, and leaves them out when unset', () => {
    const lines: Record<string, unknown>[] = [];
    let id: string | undefined = 'req-\u202e1';
    const logger = createLogger(
      (l) => lines.push(JSON.parse(l)),
      new SecretRegistry(),
      () => ({
        requestId: id,
      }),
    );
    logger.log('info', 'one', { requestId: 'forged', name: '/a' });
    id = undefined;
    logger.log('warn', 'two');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'one', name: '/a' });
    expect(lines[0]?.requestId).not.toBe('forged');
    expect(lines[0]?.requestId).not.toContain('\u202e');
    expect(lines[1]).toEqual({ level: 'warn', msg: 'two' });
  });
});
