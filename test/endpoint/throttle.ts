import { performance } from 'node:perf_hooks';

/** API families that share a request-rate quota. */
export type ApiFamily =
  | 'get'
  | 'put'
  | 'describe'
  | 'history'
  | 'delete'
  | 'tags'
  | 'labels'
  | 'kms'
  | 'tagging'
  | 'sts';

/**
 * Requests per second per (account, region), modelled on AWS standard throughput
 * (https://docs.aws.amazon.com/general/latest/gr/ssm.html, https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-throughput.html):
 * GetParameter/GetParameters/GetParametersByPath share 40 TPS; PutParameter is low single digits. AWS
 * does not publish the others; these are conservative guesses, and every one is configurable.
 */
export const DEFAULT_RATES: Record<ApiFamily, number> = {
  get: 40,
  put: 3,
  describe: 10,
  history: 10,
  delete: 10,
  tags: 10,
  labels: 10,
  kms: 100,
  tagging: 10,
  sts: 50,
};

const SSM_FAMILIES: Record<string, ApiFamily> = {
  GetParameter: 'get',
  GetParameters: 'get',
  GetParametersByPath: 'get',
  PutParameter: 'put',
  DescribeParameters: 'describe',
  GetParameterHistory: 'history',
  DeleteParameter: 'delete',
  DeleteParameters: 'delete',
  AddTagsToResource: 'tags',
  RemoveTagsFromResource: 'tags',
  ListTagsForResource: 'tags',
  LabelParameterVersion: 'labels',
  UnlabelParameterVersion: 'labels',
};

export function familyOf(service: string, operation: string): ApiFamily {
  if (service === 'kms') return 'kms';
  if (service === 'tagging') return 'tagging';
  if (service === 'sts') return 'sts';
  return SSM_FAMILIES[operation] ?? 'describe';
}

export interface ThrottleConfig {
  /** Multiplies every rate: 0.1 makes throttling easy to hit in a test, 10 relaxes it for a benchmark. */
  scale?: number;
  /** Per-family requests per second, overriding the defaults. */
  rates?: Partial<Record<ApiFamily, number>>;
  /** Bucket capacity in seconds of traffic (default 1): the burst a caller may send at once. */
  burstSeconds?: number;
  /**
   * Milliseconds on a monotonic clock (default performance.now). Tests pass their own, so what is throttled
   * depends on the requests sent, not on how fast a busy machine sends them.
   */
  clock?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** One token bucket per (account, region, family); refilled continuously. */
export class Throttle {
  private config: ThrottleConfig | undefined;
  private buckets = new Map<string, Bucket>();

  constructor(config?: ThrottleConfig) {
    this.config = config;
  }

  configure(config: ThrottleConfig | undefined): void {
    this.config = config;
    this.buckets.clear();
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  rate(family: ApiFamily): number {
    const config = this.config ?? {};
    return (config.rates?.[family] ?? DEFAULT_RATES[family]) * (config.scale ?? 1);
  }

  /** Takes a token; false means the call is throttled. */
  take(account: string, region: string, family: ApiFamily): boolean {
    if (!this.config) return true;
    const rate = this.rate(family);
    const capacity = Math.max(1, rate * (this.config.burstSeconds ?? 1));
    const id = `${account}/${region}/${family}`;
    const now = this.config.clock ? this.config.clock() : performance.now();
    const bucket = this.buckets.get(id) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(id, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

/** Each API names its throttling error differently; the SDK retries all of these. */
export function throttlingError(service: string): { code: string; message: string } {
  if (service === 'tagging') return { code: 'ThrottledException', message: 'Rate exceeded' };
  if (service === 'sts') return { code: 'Throttling', message: 'Rate exceeded' };
  return { code: 'ThrottlingException', message: 'Rate exceeded' };
}
