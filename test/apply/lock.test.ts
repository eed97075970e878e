import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acquireLock,
  LOCK_TTL_MS,
  LockHeld,
  LockLost,
  LockWaitStopped,
  lockName,
  parseLock,
} from '../../src/apply/lock.js';
import { sdkStoreFactory } from '../../src/aws/factory.js';
import { replicates, underPath } from '../../src/plan/names.js';
import type { Clock } from '../../src/rate/limiter.js';
import type { ParameterStore } from '../../src/store/port.js';
import { validateName } from '../endpoint/ssm-validate.js';
import { settingsFor } from '../support/aws.js';
import { replication } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE } from '../support/seed.js';

const endpoint = useEndpoint();
const LOCK = lockName('default');

function manualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

const store = (): ParameterStore => sdkStoreFactory(settingsFor(endpoint()))({ region: SOURCE });
const holder = () => parseLock(endpoint().state.getParameter(SOURCE, LOCK)?.versions.at(-1)?.value);

function seedStale(owner = 'killed run') {
  const since = Date.now() - 10 * LOCK_TTL_MS;
  endpoint().state.putParameter({
    region: SOURCE,
    name: LOCK,
    type: 'String',
    value: JSON.stringify({ token: 'stale', owner, since, expires: since + LOCK_TTL_MS, pending: [] }),
  });
}

describe('the lock name', () => {
  it('obeys the parameter naming rules and is never under any manifest path, whatever the id', () => {
    const path = fc
      .array(fc.stringMatching(/^[A-Za-z0-9_.-]{1,6}$/), { maxLength: 4 })
      .map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), path, (id, p) => {
        const name = lockName(id);
        expect(() => validateName(name)).not.toThrow();
        expect(underPath(name, p)).toBe(false);
        expect(replicates(replication({ paths: [p] }), name)).toBe(false);
      }),
    );
  });

  it('differs between manifests with different ids', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        fc.pre(a !== b);
        expect(lockName(a)).not.toBe(lockName(b));
      }),
    );
  });
});

describe('breaking a stale lock', () => {
  it('lets exactly one of two racing breakers win; the loser puts the winner back and reports who holds it', async () => {
    seedStale();
    const real = store();
    let staleReads = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((r) => {
      release = r;
    });
    // Both breakers read the stale lock before either overwrites it: the race Parameter Store cannot prevent.
    const racing: ParameterStore = Object.assign(Object.create(real) as ParameterStore, {
      getValues: async (names: readonly string[], decrypt: boolean) => {
        const found = await real.getValues(names, decrypt);
        if (names[0] === LOCK && ++staleReads === 2) release();
        return found;
      },
      put: async (req: Parameters<ParameterStore['put']>[0]) => {
        if (req.overwrite) await bothRead;
        return real.put(req);
      },
    });
    const clock = manualClock();
    const outcomes = await Promise.allSettled(
      ['A', 'B'].map((owner) => acquireLock(racing, 'default', { owner, timeoutMs: 0 }, clock)),
    );

    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const winner = outcomes[0]?.status === 'fulfilled' ? 'A' : 'B';
    expect(lost[0]?.reason).toBeInstanceOf(LockHeld);
    expect(String((lost[0]?.reason as Error | undefined)?.message)).toContain(`held by ${winner} since`);
    // The loser's content is not left in place: the newest version is the winner's again.
    expect(holder()?.owner).toBe(winner);

    // The winner keeps its lock through renewals and releases it.
    const lease = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value;
    clock.advance(LOCK_TTL_MS / 2);
    await expect(lease.check()).resolves.toBeUndefined();
    await lease.release();
    expect(endpoint().state.getParameter(SOURCE, LOCK)).toBeUndefined();
  });

  it('makes a holder that stalled past its lease stop writing, and leaves the new holder in place', async () => {
    const s = store();
    const slow = manualClock();
    const stalled = await acquireLock(s, 'default', { owner: 'stalled', timeoutMs: 0 }, slow);
    const later = manualClock(slow.now() + 2 * LOCK_TTL_MS);
    const next = await acquireLock(s, 'default', { owner: 'next', timeoutMs: 0 }, later);

    slow.advance(LOCK_TTL_MS / 2);
    await expect(stalled.check()).rejects.toBeInstanceOf(LockLost);
    await expect(stalled.check()).rejects.toBeInstanceOf(LockLost);
    expect(holder()?.owner).toBe('next');
    await stalled.release();
    expect(holder()?.owner).toBe('next');

    later.advance(LOCK_TTL_MS / 2);
    await expect(next.check()).resolves.toBeUndefined();
    await next.release();
    expect(endpoint().state.getParameter(SOURCE, LOCK)).toBeUndefined();
  });

  it('never breaks a lease before its expiry: a second taker waits, then fails naming the holder', async () => {
    const s = store();
    const clock = manualClock();
    const first = await acquireLock(s, 'default', { owner: 'first', timeoutMs: 0 }, clock);
    const error = await acquireLock(
      s,
      'default',
      { owner: 'second', timeoutMs: LOCK_TTL_MS / 2 },
      clock,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockHeld);
    expect(holder()?.owner).toBe('first');
    await first.release();
  });

  it('stops waiting for a held lock within a second of being stopped, having read and written nothing else', async () => {
    const s = store();
    const clock = manualClock();
    const first = await acquireLock(s, 'default', { owner: 'first', timeoutMs: 0 }, clock);
    const stop = { aborted: false };
    const started = clock.now();
    const stopAt = started + 7_300;
    const stopping: Clock = {
      now: clock.now,
      sleep: async (ms) => {
        await clock.sleep(ms);
        if (clock.now() >= stopAt) stop.aborted = true;
      },
    };
    endpoint().resetCalls();
    const error = await acquireLock(
      s,
      'default',
      { owner: 'second', timeoutMs: 15 * 60_000, stop },
      stopping,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockWaitStopped);
    expect((error as Error).message).toMatch(
      /^Stopped while waiting 8 s for the lock .*Nothing was read or written\.$/,
    );
    expect(clock.now() - stopAt).toBeLessThanOrEqual(1_000);
    // One create attempt and one read per poll (every 5 s), nothing else; the holder keeps the lock.
    expect(
      endpoint()
        .calls()
        .map((c) => c.operation),
    ).toEqual(['PutParameter', 'GetParameters', 'PutParameter', 'GetParameters']);
    expect(holder()?.owner).toBe('first');
    await first.release();
  });

  it('hands on replaces still pending at release: the lock is left expired and the next taker inherits them', async () => {
    const s = store();
    const clock = manualClock();
    const lease = await acquireLock(s, 'default', { owner: 'first', timeoutMs: 0 }, clock);
    const pending = [{ target: 'us-east-1', name: '/prod/app/T', at: clock.now() }];
    expect(await lease.addPending(pending)).toBe(1);
    await lease.release();
    expect(holder()?.pending).toEqual(pending);

    const next = await acquireLock(s, 'default', { owner: 'next', timeoutMs: 0 }, clock);
    expect(next.pending).toEqual(pending);
    await next.removePending(pending);
    await next.release();
    expect(endpoint().state.getParameter(SOURCE, LOCK)).toBeUndefined();
  });
});
