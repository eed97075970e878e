import { randomUUID } from 'node:crypto';
import type { Clock } from '../rate/limiter.js';
import { clip } from '../render/escape.js';
import type { ParameterStore, PutRequest } from '../store/port.js';

/**
 * The apply lock: one parameter per manifest in the source region, so every shell (CLI, Action, Lambda),
 * wherever it runs, sees the same lock.
 *
 * The name has no leading `/`: manifest paths all start with `/`, so no path (not even `/`) can list or
 * replicate it. It must not start with "aws" or "ssm" (case-insensitive), which AWS applies to the first
 * level of hierarchical names too, so it starts with `lock.`:
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html#systemsmanager-PutParameter-request-Name
 */
export const LOCK_PREFIX = 'lock.ssm-replicate.';

/** A lease lives this long unless renewed; it is renewed once a quarter of it has passed. */
export const LOCK_TTL_MS = 120_000;
const POLL_MS = 5_000;
/** How often a wait for the lock looks whether it was stopped: well inside a runner's 7.5 s grace. */
const STOP_CHECK_MS = 1_000;
/** Standard tier values hold at most 4 KB; pending replaces are kept under it (see setPending). */
export const LOCK_VALUE_LIMIT = 4096;

/** The lock parameter of the manifest with this id. Ids outside the name alphabet are escaped. */
export function lockName(manifestId: string): string {
  const safe = manifestId.replace(/[^A-Za-z0-9_.-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
  return `${LOCK_PREFIX}${safe}`;
}

/** A replace whose delete may have run but whose create may not have: whoever takes the lock next finishes it. */
export interface PendingReplace {
  target: string;
  name: string;
  /** When the delete was sent (ms): the re-create waits until 30 s after it. */
  at: number;
}

/** The lock's content as stored: no value, no secret, only who holds it and until when. */
export interface LockContent {
  token: string;
  owner: string;
  since: number;
  expires: number;
  pending: PendingReplace[];
}

export interface LockSettings {
  /** Who and where, shown to whoever waits: e.g. `cli alice@build-7 pid 4711`, a GitHub run URL. */
  owner: string;
  /** How long to wait for a held lock before failing; 0 fails at once (the Lambda, so Lambda retries). */
  timeoutMs: number;
  /** Renews the lease while nothing else does (long reads, waits); the shells pass a real interval timer. */
  heartbeat?: (everyMs: number, tick: () => void) => () => void;
  ttlMs?: number;
  /** Set when the run is asked to stop (Ctrl-C, a cancelled job): a wait for a held lock ends at once. */
  stop?: { readonly aborted: boolean };
}

export class LockHeld extends Error {
  override readonly name = 'LockHeld';
  constructor(
    readonly lock: string,
    readonly holder: Pick<LockContent, 'owner' | 'since' | 'expires'> | undefined,
    waitedMs: number,
  ) {
    const who = holder
      ? `held by ${clip(holder.owner, 200)} since ${iso(holder.since)} (lease until ${iso(holder.expires)})`
      : 'held, but its content is not an ssm-replicate lock';
    super(
      `Another apply of this manifest is running: the lock ${lock} is ${who}; waited ${Math.round(waitedMs / 1000)} s. ` +
        `Nothing was read or written. Retry later, raise --lock-timeout, or if no apply is running, release it with ` +
        '`ssm-replicate unlock`.',
    );
  }
}

/** The run was stopped while another apply held the lock: nothing was read or written. */
export class LockWaitStopped extends Error {
  override readonly name = 'LockWaitStopped';
  constructor(
    readonly lock: string,
    waitedMs: number,
  ) {
    super(
      `Stopped while waiting ${Math.round(waitedMs / 1000)} s for the lock ${lock}, held by another apply of this manifest. Nothing was read or written.`,
    );
  }
}

/** Our lease was broken by someone else (we stalled past its expiry): nothing more may be written. */
export class LockLost extends Error {
  override readonly name = 'LockLost';
}

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'an unknown time';
}

/** Lock content read back from AWS is untrusted: anything that is not exactly our shape is rejected. */
export function parseLock(value: string | undefined): LockContent | undefined {
  if (value === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return undefined;
  }
  const o = raw as Record<string, unknown>;
  if (typeof o !== 'object' || o === null) return undefined;
  const { token, owner, since, expires, pending } = o;
  if (typeof token !== 'string' || typeof owner !== 'string') return undefined;
  if (typeof since !== 'number' || typeof expires !== 'number' || !Array.isArray(pending)) return undefined;
  const list: PendingReplace[] = [];
  for (const p of pending as Record<string, unknown>[]) {
    if (typeof p?.target !== 'string' || typeof p.name !== 'string' || typeof p.at !== 'number')
      return undefined;
    list.push({ target: p.target, name: p.name, at: p.at });
  }
  return { token, owner, since, expires, pending: list };
}

function putLock(name: string, value: string, overwrite: boolean): PutRequest {
  return {
    name,
    value,
    type: 'String',
    tier: 'Standard',
    overwrite,
    description:
      'ssm-replicate apply lock: delete only with `ssm-replicate unlock`, when no apply is running',
    dataType: 'text',
  };
}

/** What a reader sees: the lock's content (undefined when unparseable) and version, or nothing. */
export async function readLock(
  store: ParameterStore,
  manifestId: string,
): Promise<{ name: string; version: number; content: LockContent | undefined } | undefined> {
  const name = lockName(manifestId);
  const [found] = await store.getValues([name], false);
  return found && { name, version: found.version, content: parseLock(found.value) };
}

/**
 * `ssm-replicate unlock`: deletes the lock whatever it holds. Only for a lock whose apply is known to be
 * gone; a running apply that loses its lock notices at its next renewal and stops writing.
 */
export async function forceUnlock(store: ParameterStore, manifestId: string) {
  const found = await readLock(store, manifestId);
  if (found) await store.deleteParameters([found.name]);
  return found;
}

/**
 * Takes the lock, waiting up to `timeoutMs` for a holder to finish, and breaks a lease past its expiry.
 *
 * Parameter Store has no compare-and-swap and no conditional delete; what it has is PutParameter with
 * Overwrite=false (exactly one creator wins, the others get ParameterAlreadyExists), a version number that
 * grows by one per write, and reads of any past version (`name:version`). The rules:
 * - Taking a free lock is a create: only the creator holds it.
 * - Every later write by a holder (renewal, pending replaces) or a breaker is an overwrite, and is ours only
 *   if the version just before the one it returned carries the content we expected to replace: our own
 *   token for a holder, the stale token we judged for a breaker (who also needs that to be the stale
 *   version itself). Comparing tokens and not just versions matters: after a delete, versions restart
 *   at 1, so "stale version + 1" alone could be true of a different, live lock.
 * - A writer that finds someone else's content just before its write has lost, and it puts that content
 *   back at once, so its own content does not stay in place (a reader only ever looks at the newest
 *   version). The holder whose content was restored sees its own token just before its next write, and
 *   keeps the lock. When three or more breakers race and the restores interleave, every one may conclude
 *   it lost: then nobody holds the lock and it is broken again after one more lease. That costs time,
 *   never safety: nobody writes a replica without a lease it proved was its own.
 * - Nobody breaks a lease before its expiry, and holders renew at a quarter of it, so the read-then-act
 *   steps (release's read before delete, a loser's restore) only race with a writer that stalled for a
 *   whole lease. Expiry is compared with each machine's own clock: skew up to most of a lease is tolerated.
 */
export async function acquireLock(
  store: ParameterStore,
  manifestId: string,
  settings: LockSettings,
  clock: Clock,
): Promise<Lease> {
  const name = lockName(manifestId);
  const ttl = settings.ttlMs ?? LOCK_TTL_MS;
  const started = clock.now();
  const token = randomUUID();
  const fresh = (pending: PendingReplace[]): LockContent => {
    const now = clock.now();
    return { token, owner: settings.owner.slice(0, 200), since: now, expires: now + ttl, pending };
  };
  for (;;) {
    try {
      const content = fresh([]);
      const { version } = await store.put(putLock(name, JSON.stringify(content), false));
      return new Lease(store, name, content, version, ttl, clock, settings.heartbeat);
    } catch (error) {
      if ((error as Error).name !== 'ParameterAlreadyExists') throw error;
    }
    const [current] = await store.getValues([name], false);
    if (!current) continue; // released between our create and our read
    const held = parseLock(current.value);
    if (held && clock.now() >= held.expires) {
      const content = fresh(held.pending);
      const { version } = await store.put(putLock(name, JSON.stringify(content), true));
      const [before] = await store.getValues([`${name}:${version - 1}`], false);
      if (version === current.version + 1 && parseLock(before?.value)?.token === held.token) {
        return new Lease(store, name, content, version, ttl, clock, settings.heartbeat, held);
      }
      await restore(store, name, before?.value, token);
      continue;
    }
    const waited = clock.now() - started;
    if (waited >= settings.timeoutMs) throw new LockHeld(name, held, waited);
    const untilExpiry = held ? held.expires - clock.now() : POLL_MS;
    await pause(
      clock,
      Math.max(1, Math.min(POLL_MS, settings.timeoutMs - waited, untilExpiry)),
      settings.stop,
    );
    if (settings.stop?.aborted) throw new LockWaitStopped(name, clock.now() - started);
  }
}

/** Sleeps `ms`, looking every STOP_CHECK_MS whether the run was stopped. */
async function pause(clock: Clock, ms: number, stop: LockSettings['stop']): Promise<void> {
  const until = clock.now() + ms;
  for (let left = ms; left > 0 && !stop?.aborted; left = until - clock.now())
    await clock.sleep(Math.min(STOP_CHECK_MS, left));
}

/**
 * A loser puts back what it overwrote. Nothing before it (a lock just deleted and re-created by our own
 * overwrite): it deletes its own content instead, if that is still what the lock holds.
 */
async function restore(store: ParameterStore, name: string, previous: string | undefined, token: string) {
  if (previous !== undefined) {
    await store.put(putLock(name, previous, true));
    return;
  }
  const [now] = await store.getValues([name], false);
  if (parseLock(now?.value)?.token === token) await store.deleteParameters([name]);
}

export class Lease {
  #content: LockContent;
  #version: number;
  #written: number;
  #lost: LockLost | undefined;
  #queue: Promise<void> = Promise.resolve();
  #stopHeartbeat: (() => void) | undefined;

  constructor(
    private readonly store: ParameterStore,
    readonly name: string,
    content: LockContent,
    version: number,
    private readonly ttl: number,
    private readonly clock: Clock,
    heartbeat: LockSettings['heartbeat'],
    /** The stale lease this one broke, if any: its pending replaces are now ours to finish. */
    readonly broke?: LockContent,
  ) {
    this.#content = content;
    this.#version = version;
    this.#written = clock.now();
    this.#stopHeartbeat = heartbeat?.(ttl / 4, () => {
      this.check().catch(() => undefined);
    });
  }

  get pending(): readonly PendingReplace[] {
    return this.#content.pending;
  }

  /** Before every write: renews when a quarter of the lease has passed; throws once the lock is lost. */
  check(): Promise<void> {
    if (this.#lost) return Promise.reject(this.#lost);
    if (this.clock.now() - this.#written < this.ttl / 4) return Promise.resolve();
    return this.#write(this.#content.pending);
  }

  /** Records replaces about to delete their replica; returns how many of them fit in the lock's value. */
  addPending(entries: PendingReplace[]): Promise<number> {
    return this.#serial(async () => {
      const pending = [...this.#content.pending];
      let fits = 0;
      for (const entry of entries) {
        pending.push(entry);
        if (JSON.stringify({ ...this.#content, pending }).length > LOCK_VALUE_LIMIT - 64) break;
        fits++;
      }
      if (fits > 0) await this.#put(pending.slice(0, this.#content.pending.length + fits));
      return fits;
    });
  }

  /** The replicas of these replaces exist again. */
  removePending(entries: PendingReplace[]): Promise<void> {
    const done = new Set(entries.map((e) => `${e.target}\n${e.name}`));
    return this.#serial(async () => {
      const pending = this.#content.pending.filter((p) => !done.has(`${p.target}\n${p.name}`));
      if (pending.length !== this.#content.pending.length) await this.#put(pending);
    });
  }

  /** Every write to the lock goes through one queue, so our own writes never race each other. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#lost) throw this.#lost;
      return fn();
    });
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #write(pending: readonly PendingReplace[], expires?: number): Promise<void> {
    return this.#serial(() => this.#put(pending, expires));
  }

  async #put(pending: readonly PendingReplace[], expires?: number): Promise<void> {
    const now = this.clock.now();
    const content = { ...this.#content, expires: expires ?? now + this.ttl, pending: [...pending] };
    const { version } = await this.store.put(putLock(this.name, JSON.stringify(content), true));
    const [before] = await this.store.getValues([`${this.name}:${version - 1}`], false);
    if (parseLock(before?.value)?.token !== this.#content.token) {
      await restore(this.store, this.name, before?.value, this.#content.token);
      this.#lost = new LockLost(
        `The apply lock ${this.name} was taken over by another run while this one held it (this run stalled past its lease); stopped writing.`,
      );
      throw this.#lost;
    }
    this.#content = content;
    this.#version = version;
    this.#written = now;
  }

  /**
   * Deletes the lock if it is still ours. A lease close to expiry is renewed first, so the read before the
   * delete can only race with someone who waited out a whole fresh lease. Replaces still pending (their
   * create failed) are handed on instead: the lock is left in place already expired, so the next run
   * breaks it at once and re-creates them first.
   */
  async release(): Promise<void> {
    this.#stopHeartbeat?.();
    await this.#queue;
    if (this.#lost) return;
    try {
      if (this.#content.pending.length > 0) return await this.#write(this.#content.pending, this.clock.now());
      if (this.clock.now() - this.#written >= this.ttl / 2) await this.#write(this.#content.pending);
    } catch (error) {
      if (error instanceof LockLost) return;
      throw error;
    }
    const [current] = await this.store.getValues([this.name], false);
    if (current?.version === this.#version && parseLock(current.value)?.token === this.#content.token)
      await this.store.deleteParameters([this.name]);
  }
}
