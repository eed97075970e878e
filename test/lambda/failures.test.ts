import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { current } from '../support/seed.js';
import { MANIFEST, OWNED, testHandler, trailEvent } from './support.js';

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
const CANARY = 'canary-7f3c9e1d-DO-NOT-LOG';

describe('the Lambda handler when a destination fails', () => {
  it('fails the invocation when a destination is down, still does the healthy one, and a retry after recovery completes', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/DB', value: 'v1', type: 'String' });
    const { handler, logs } = testHandler(
      ep,
      { SSM_REPLICATE_MANIFEST: MANIFEST },
      { settings: { maxAttempts: 1 } },
    );
    const event = trailEvent('PutParameter', ['/prod/app/DB']);

    ep.faults.regionDown('eu-west-1');
    await expect(handler(event)).rejects.toThrow(/eu-west-1/);
    expect(current(ep, 'us-east-1', '/prod/app/DB')?.value).toBe('v1');
    expect(current(ep, 'eu-west-1', '/prod/app/DB')).toBeUndefined();
    expect(logs.at(-1)).toMatchObject({
      level: 'error',
      msg: 'invocation failed',
      error: 'ReplicationFailed',
    });

    ep.faults.regionUp('eu-west-1');
    await expect(handler(event)).resolves.toMatchObject({ decision: 'replicated', applied: 1 });
    expect(current(ep, 'eu-west-1', '/prod/app/DB')?.value).toBe('v1');
    // The retry found us-east-1 already in line and wrote nothing there.
    expect(current(ep, 'us-east-1', '/prod/app/DB')?.version).toBe(1);
  });

  it('fails the invocation when a write fails, naming region, name and outcome', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/DB', value: 'v1', type: 'String' });
    ep.faults.failNext({
      operation: 'PutParameter',
      region: 'us-east-1',
      count: 50,
      error: 'InternalServerError',
    });
    const { handler } = testHandler(
      ep,
      { SSM_REPLICATE_MANIFEST: MANIFEST },
      { settings: { maxAttempts: 1 } },
    );
    const failure = await handler(trailEvent('PutParameter', ['/prod/app/DB'])).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/us-east-1 \/prod\/app\/DB create failed/);
    expect(current(ep, 'eu-west-1', '/prod/app/DB')?.value).toBe('v1');
  });

  it('fails the invocation when the plan is blocked, and writes nothing', async () => {
    const strict = MANIFEST.replace(
      '      - region: eu-west-1\n',
      '      - region: eu-west-1\n        max-deletes: 0\n',
    );
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/KEEP', value: 'k', type: 'String' });
    ep.state.putParameter({
      region: 'eu-west-1',
      name: '/prod/app/GONE',
      value: 'g',
      type: 'String',
      tags: OWNED,
    });
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: strict });
    await expect(handler(trailEvent('DeleteParameter', ['/prod/app/GONE']))).rejects.toThrow(/blocked/);
    expect(current(ep, 'eu-west-1', '/prod/app/GONE')).toBeDefined();
  });

  it('fails the invocation when the source cannot be read', async () => {
    ep.faults.regionDown(SOURCE);
    const { handler, logs } = testHandler(
      ep,
      { SSM_REPLICATE_MANIFEST: MANIFEST },
      { settings: { maxAttempts: 1 } },
    );
    await expect(handler(trailEvent('PutParameter', ['/prod/app/DB']))).rejects.toThrow(/ap-south-1/);
    expect(logs.at(-1)).toMatchObject({ level: 'error', msg: 'invocation failed' });
  });
});

describe('the Lambda handler logs', () => {
  it('write one JSON line per event and per item, with action, name, region, outcome and duration', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/DB', value: 'v', type: 'String' });
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });
    await handler(trailEvent('PutParameter', ['/prod/app/DB', '/elsewhere/x']));
    expect(logs.filter((l) => l.msg === 'event')).toEqual([
      {
        level: 'info',
        msg: 'event',
        trigger: 'PutParameter',
        region: SOURCE,
        names: ['/prod/app/DB'],
        decision: 'replicate',
      },
    ]);
    const items = logs.filter((l) => l.msg === 'item');
    expect(items.map((l) => [l.action, l.name, l.region, l.outcome]).sort()).toEqual([
      ['create', '/prod/app/DB', 'eu-west-1', 'applied'],
      ['create', '/prod/app/DB', 'us-east-1', 'applied'],
    ]);
    for (const item of items) expect(item.durationMs).toEqual(expect.any(Number));
  });

  it('never contain a SecureString value, whether the run succeeds, fails or is a dry run', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/SECRET', value: CANARY, type: 'SecureString' });
    ep.state.putParameter({
      region: 'us-east-1',
      name: '/prod/app/SECRET',
      value: `${CANARY}-old`,
      type: 'SecureString',
      tags: OWNED,
    });
    const event = trailEvent('PutParameter', ['/prod/app/SECRET']);
    const dry = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST, DRY_RUN: 'true' });
    await dry.handler(event);
    ep.faults.regionDown('eu-west-1');
    const live = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST }, { settings: { maxAttempts: 1 } });
    const failure = await live.handler(event).catch((e: Error) => e);
    ep.faults.regionUp('eu-west-1');
    await live.handler(event);

    expect(current(ep, 'eu-west-1', '/prod/app/SECRET')?.value).toBe(CANARY);
    const lines = [...dry.raw, ...live.raw];
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).not.toContain(CANARY);
    expect(String((failure as Error).message)).not.toContain(CANARY);
  });
});
