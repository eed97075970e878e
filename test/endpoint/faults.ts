import { AwsError } from './errors.js';
import { Throttle, type ThrottleConfig } from './throttle.js';

/** Fixed latency in ms, or a base with random jitter and per-region additions. */
export type LatencyOption = number | { ms?: number; jitterMs?: number; regions?: Record<string, number> };

export interface FailNextSpec {
  /** Operation name as in the API, e.g. 'PutParameter'. */
  operation: string;
  region?: string;
  account?: string;
  /** How many consecutive matching calls fail (default 1). */
  count?: number;
  /**
   * Error code (default InternalServerError). InternalServerError / KMSInternalException answer 500,
   * ServiceUnavailable 503, anything else 400 — the SDK retries 500/503 and throttling codes only.
   */
  error?: string;
  message?: string;
  status?: number;
}

export interface FailPageSpec extends Omit<FailNextSpec, 'operation'> {
  operation: string;
  /** 1-based page of a listing (the first request, without a token, is page 1). */
  page: number;
}

export interface ListingLagSpec {
  region: string;
  /** Names whose writes from now on DescribeParameters does not show yet. */
  names: readonly string[];
  account?: string;
  /**
   * DescribeParameters calls in the region (any names) served from the lagging view before the listing
   * catches up; until clear() when absent.
   */
  calls?: number;
}

/** For a lagging name: the version the listing still shows, or null when it shows no such name yet. */
export type ListedVersion = number | null;

/** Where the listing of one call stands: undefined for a name that does not lag. */
export type ListingView = (name: string) => ListedVersion | undefined;

interface Lag {
  account: string;
  region: string;
  frozen: Map<string, ListedVersion>;
  remaining: number;
}

/** The endpoint's current version of a name, for freezing a lagging listing at the moment it is armed. */
export type VersionLookup = (account: string, region: string, name: string) => number | undefined;

/**
 * A successful answer whose body is replaced, for what a broken proxy or a truncated read hands the SDK:
 * `body` maps the real JSON to what is sent (status 200, same headers).
 */
export interface MalformSpec {
  operation: string;
  region?: string;
  count?: number;
  body: (real: string) => string;
}

interface Armed {
  spec: FailNextSpec;
  remaining: number;
  page?: number;
}

/**
 * Scripted faults and limits. Everything set here can be undone with `clear()`, which returns the
 * endpoint to its start-up options.
 */
export class Faults {
  readonly throttle: Throttle;
  private armed: Armed[] = [];
  private malformed: Array<{ spec: MalformSpec; remaining: number }> = [];
  private down = new Set<string>();
  private slow = new Map<string, number>();
  private latency: LatencyOption | undefined;
  private short: boolean;
  private lags: Lag[] = [];
  private readonly initial: {
    latency: LatencyOption | undefined;
    shortPages: boolean;
    throttle: ThrottleConfig | undefined;
  };

  constructor(
    initial: {
      latency: LatencyOption | undefined;
      shortPages: boolean;
      throttle: ThrottleConfig | undefined;
    },
    private readonly lookup: { versionOf: VersionLookup; defaultAccount: string },
  ) {
    this.initial = initial;
    this.latency = initial.latency;
    this.short = initial.shortPages;
    this.throttle = new Throttle(initial.throttle);
  }

  /** Fail the next `count` calls of an operation (optionally only in one region/account). */
  failNext(spec: FailNextSpec): void {
    this.armed.push({ spec, remaining: spec.count ?? 1 });
  }

  /** Fail the K-th page of a listing operation `count` times (default once, so a retry succeeds). */
  failPage(spec: FailPageSpec): void {
    this.armed.push({ spec, remaining: spec.count ?? 1, page: spec.page });
  }

  /** Answer the next `count` successful calls of an operation with a malformed body. */
  malformNext(spec: MalformSpec): void {
    this.malformed.push({ spec, remaining: spec.count ?? 1 });
  }

  /** The body to send instead of `real` for this call, consuming one shot; `real` when none is armed. */
  takeMalformed(operation: string, region: string, real: string): string {
    const index = this.malformed.findIndex(
      ({ spec }) => spec.operation === operation && (spec.region === undefined || spec.region === region),
    );
    const hit = this.malformed[index];
    if (!hit) return real;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.malformed.splice(index, 1);
    return hit.spec.body(real);
  }

  /**
   * Requests scoped to the region get their connection destroyed without a response; the SDK sees a
   * network error (ECONNRESET, "socket hang up"), retries it as transient, then throws.
   */
  regionDown(region: string): void {
    this.down.add(region);
  }

  regionUp(region: string): void {
    this.down.delete(region);
  }

  /** Adds `ms` of latency to every call in the region (0 removes it). */
  slowRegion(region: string, ms: number): void {
    if (ms > 0) this.slow.set(region, ms);
    else this.slow.delete(region);
  }

  setLatency(latency: LatencyOption | undefined): void {
    this.latency = latency;
  }

  /** Serve short and empty pages (each with a NextToken) from every listing. */
  shortPages(enabled: boolean): void {
    this.short = enabled;
  }

  /**
   * DescribeParameters lags behind writes to these names, as AWS's listing does ("results are returned on a
   * best-effort basis", https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DescribeParameters.html):
   * it keeps showing each name as it is now (a name that does not exist yet stays unlisted) while
   * GetParameter(s) and every other by-name read see the writes at once. Ends after `calls` listings.
   */
  lagListing(spec: ListingLagSpec): void {
    const account = spec.account ?? this.lookup.defaultAccount;
    const frozen = new Map<string, ListedVersion>();
    for (const name of spec.names)
      frozen.set(name, this.lookup.versionOf(account, spec.region, name) ?? null);
    this.lags.push({ account, region: spec.region, frozen, remaining: spec.calls ?? Infinity });
  }

  /** The listing view one call is served from; a DescribeParameters call uses up one of each lag's calls. */
  listingView(operation: string, region: string, account: string): ListingView {
    const active = this.lags.filter((l) => l.region === region && l.account === account);
    if (active.length === 0 || operation !== 'DescribeParameters') return () => undefined;
    for (const lag of active) lag.remaining -= 1;
    this.lags = this.lags.filter((l) => l.remaining > 0);
    return (name) => {
      for (const lag of active) if (lag.frozen.has(name)) return lag.frozen.get(name);
      return undefined;
    };
  }

  /** Turn throttling on with a config, or off with false. */
  setThrottle(config: ThrottleConfig | boolean): void {
    this.throttle.configure(config === true ? {} : config === false ? undefined : config);
  }

  clear(): void {
    this.armed = [];
    this.lags = [];
    this.malformed = [];
    this.down.clear();
    this.slow.clear();
    this.latency = this.initial.latency;
    this.short = this.initial.shortPages;
    this.throttle.configure(this.initial.throttle);
  }

  isDown(region: string): boolean {
    return this.down.has(region);
  }

  get shortPagesEnabled(): boolean {
    return this.short;
  }

  delayFor(region: string): number {
    const base = this.latency;
    let ms = this.slow.get(region) ?? 0;
    if (typeof base === 'number') ms += base;
    else if (base)
      ms += (base.ms ?? 0) + (base.regions?.[region] ?? 0) + Math.random() * (base.jitterMs ?? 0);
    return ms;
  }

  /** The scripted error for this call, consuming one shot of it. */
  takeFailure(operation: string, region: string, account: string, page?: number): AwsError | undefined {
    const index = this.armed.findIndex(
      ({ spec, page: wanted }) =>
        spec.operation === operation &&
        (spec.region === undefined || spec.region === region) &&
        (spec.account === undefined || spec.account === account) &&
        wanted === page,
    );
    const hit = this.armed[index];
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.armed.splice(index, 1);
    const code = hit.spec.error ?? 'InternalServerError';
    return new AwsError(code, hit.spec.message ?? `Injected fault: ${code}`, hit.spec.status);
  }
}
