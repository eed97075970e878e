import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { coalesce } from '../../src/lambda/batch.js';
import { parseManifest } from '../../src/manifest/index.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { OWNER } from '../support/builders.js';
import { current, listUnder } from '../support/seed.js';
import {
  DESTINATIONS,
  FUNCTION_CONTEXT,
  MANIFEST,
  nativeEvent,
  seeded,
  sqsBatch,
  testHandler,
  trailEvent,
} from './support.js';

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
const owned = { [OWNER.key]: OWNER.value };
const manifest = parseManifest(MANIFEST, 'manifest.yaml').manifest;

function seedSource(name: string, value = `value of ${name}`) {
  ep.state.putParameter({ region: SOURCE, name, value, type: 'String' });
}

describe('the Lambda handler on an SQS batch', () => {
  it('replicates every name in the batch and answers with an empty partial batch response', async () => {
    seedSource('/prod/app/A');
    seedSource('/prod/api/B');
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    const response = await handler(
      sqsBatch([nativeEvent('Create', '/prod/app/A'), trailEvent('PutParameter', ['/prod/api/B'])]),
      FUNCTION_CONTEXT,
    );

    expect(response).toEqual({ batchItemFailures: [] });
    for (const r of DESTINATIONS) {
      expect(current(ep, r, '/prod/app/A')?.value).toBe('value of /prod/app/A');
      expect(current(ep, r, '/prod/api/B')?.value).toBe('value of /prod/api/B');
    }
    expect(logs.find((l) => l.msg === 'batch')).toMatchObject({ messages: 2, names: 2, ignored: 0 });
  });

  it('reports only the message whose name the source does not have, and replicates the others', async () => {
    seedSource('/prod/app/A');
    const batch = sqsBatch([nativeEvent('Create', '/prod/app/A'), nativeEvent('Create', '/prod/app/GHOST')]);
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    const response = await handler(batch, FUNCTION_CONTEXT);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: batch.Records[1]?.messageId }] });
    for (const r of DESTINATIONS) expect(current(ep, r, '/prod/app/A')).toBeDefined();
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'source has no such parameter yet', name: '/prod/app/GHOST' }),
    );
  });

  it('reports the messages whose names go to a destination that is down, and not the others', async () => {
    const split = `version: 1
source: { region: ap-south-1 }
replications:
  - name: app
    paths: [/prod/app]
    destinations: [{ region: us-east-1 }]
  - name: api
    paths: [/prod/api]
    destinations: [{ region: eu-west-1 }]
`;
    seedSource('/prod/app/A');
    seedSource('/prod/api/B');
    ep.faults.regionDown('eu-west-1');
    const batch = sqsBatch([nativeEvent('Update', '/prod/app/A'), nativeEvent('Update', '/prod/api/B')]);
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: split }, { settings: { maxAttempts: 1 } });

    const response = await handler(batch, FUNCTION_CONTEXT);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: batch.Records[1]?.messageId }] });
    expect(current(ep, 'us-east-1', '/prod/app/A')).toBeDefined();
  });

  it('ignores messages that are not JSON or not Parameter Store events, without retrying them', async () => {
    seedSource('/prod/app/A');
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    const response = await handler(
      sqsBatch(['not json', { 'detail-type': 'Something Else' }, nativeEvent('Create', '/prod/app/A')]),
      FUNCTION_CONTEXT,
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(current(ep, 'us-east-1', '/prod/app/A')).toBeDefined();
  });

  it('fails the whole batch (every message returns to the queue) when the source cannot be read', async () => {
    ep.faults.regionDown(SOURCE);
    const { handler } = testHandler(
      ep,
      { SSM_REPLICATE_MANIFEST: MANIFEST },
      { settings: { maxAttempts: 1 } },
    );

    await expect(handler(sqsBatch([nativeEvent('Create', '/prod/app/A')]), FUNCTION_CONTEXT)).rejects.toThrow(
      /ap-south-1/,
    );
  });

  it('reads the source once, with at most 10 names a GetParameters call and 50 a DescribeParameters call, and verifies only the destinations', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `/prod/app/n${String(i).padStart(3, '0')}`);
    for (const n of names) seedSource(n);
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    await handler(sqsBatch(names.map((n) => nativeEvent('Create', n))), FUNCTION_CONTEXT);

    // 12 GetParameters and 3 DescribeParameters for 120 names; the apply lock adds its create, and a read
    // and a delete to release it.
    expect(ep.callCounts({ region: SOURCE })).toEqual({
      [`${SOURCE}:GetParameters`]: 12 + 1,
      [`${SOURCE}:DescribeParameters`]: 3,
      [`${SOURCE}:ListTagsForResource`]: 120,
      [`${SOURCE}:PutParameter`]: 1,
      [`${SOURCE}:DeleteParameters`]: 1,
    });
    for (const r of DESTINATIONS)
      expect(ep.calls({ operation: 'PutParameter', region: r })).toHaveLength(120);
  });

  it('writes nothing with DRY_RUN=true and still reports a message whose name the source lacks', async () => {
    seedSource('/prod/app/A');
    const batch = sqsBatch([nativeEvent('Create', '/prod/app/A'), nativeEvent('Update', '/prod/app/GHOST')]);
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST, DRY_RUN: 'true' });

    const response = await handler(batch, FUNCTION_CONTEXT);

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: batch.Records[1]?.messageId }] });
    expect(ep.calls({ operation: 'PutParameter' })).toEqual([]);
    expect(logs.filter((l) => l.outcome === 'dry-run')).toHaveLength(DESTINATIONS.length);
  });

  it('takes the account from the function ARN and never calls STS', async () => {
    seedSource('/prod/app/A');
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    await handler(sqsBatch([nativeEvent('Create', '/prod/app/A')]), FUNCTION_CONTEXT);
    await handler(sqsBatch([nativeEvent('Update', '/prod/app/A')]), FUNCTION_CONTEXT);

    expect(ep.calls({ operation: 'GetCallerIdentity' })).toEqual([]);
  });

  it('asks STS once for the life of the execution environment when no context is given', async () => {
    seedSource('/prod/app/A');
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    for (let i = 0; i < 3; i++) await handler(nativeEvent('Update', '/prod/app/A'));

    // One identity in one partition, however many regions it reaches.
    expect(ep.calls({ operation: 'GetCallerIdentity' })).toHaveLength(1);
  });
});

describe('coalescing a burst', () => {
  it('turns 1,000 events over 300 names into one write per changed name per destination', async () => {
    const random = seeded(17);
    const names = Array.from({ length: 300 }, (_, i) => `/prod/app/n${String(i).padStart(3, '0')}`);
    const changed = new Set<string>();
    names.forEach((name, i) => {
      seedSource(name, `v2-${i}`);
      // A third already in line, a third stale, a third never replicated.
      if (i % 3 === 0) for (const r of DESTINATIONS) seedReplica(r, name, `v2-${i}`);
      else changed.add(name);
      if (i % 3 === 1) for (const r of DESTINATIONS) seedReplica(r, name, `v1-${i}`);
    });
    const events = Array.from({ length: 1000 }, (_, i) => {
      const name = names[i < 300 ? i : Math.floor(random() * names.length)] as string;
      return random() < 0.5 ? nativeEvent('Update', name) : trailEvent('PutParameter', [name]);
    });
    ep.resetCalls();
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });

    const response = await handler(sqsBatch(events), FUNCTION_CONTEXT);

    expect(response).toEqual({ batchItemFailures: [] });
    for (const r of DESTINATIONS) {
      const puts = ep.calls({ operation: 'PutParameter', region: r });
      expect(puts).toHaveLength(changed.size);
      expect(listUnder(ep, r, '/prod/app/').map((p) => p.value)).toEqual(
        listUnder(ep, SOURCE, '/prod/app/').map((p) => p.value),
      );
      for (const name of names) {
        const version = current(ep, r, name)?.version;
        expect(version, name).toBe(changed.has(name) && names.indexOf(name) % 3 === 1 ? 2 : 1);
      }
    }
  }, 60_000);

  function seedReplica(region: string, name: string, value: string) {
    ep.state.putParameter({ region, name, value, type: 'String', tags: owned });
  }

  it('reads each touched name once, whatever the order and repetition of its events', () => {
    const kinds = ['Create', 'Update', 'Delete'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 9 })), { maxLength: 60 }),
        (stream) => {
          const events = stream.map(([op, i]) => nativeEvent(op, `/prod/app/x${i}`));
          const batch = coalesce(sqsBatch(events).Records, manifest);
          const touched = [...new Set(stream.map(([, i]) => `/prod/app/x${i}`))].sort();
          expect(batch.names).toEqual(touched);
          // Written: only names with no delete among their events.
          for (const n of touched) {
            const ops = stream.filter(([, i]) => `/prod/app/x${i}` === n).map(([op]) => op);
            expect(batch.written.has(n), n).toBe(!ops.includes('Delete'));
          }
          expect(batch.touched.size).toBe(stream.length);
        },
      ),
    );
  });
});
