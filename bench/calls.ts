import type { CallRecord } from '../test/endpoint/index.js';
import { DEFAULT_RATES, familyOf } from '../test/endpoint/throttle.js';
import { achievedRate, type FamilyCount, tpsBoundSeconds } from './report.js';

/** Error codes the endpoint answers a throttled call with (they differ by service). */
const THROTTLING = new Set(['ThrottlingException', 'ThrottledException', 'Throttling']);

/** Operations that change a parameter: any of them on an unchanged parameter is a wasted write. */
export const WRITE_OPERATIONS = new Set([
  'PutParameter',
  'AddTagsToResource',
  'RemoveTagsFromResource',
  'DeleteParameter',
  'DeleteParameters',
  'LabelParameterVersion',
]);

export interface CallSummary {
  /** Every request the endpoint saw, throttled ones included. */
  total: number;
  ok: number;
  throttled: number;
  /** Failed for a reason other than throttling. */
  otherErrors: number;
  /** `region:Operation` → requests (all of them, as `ep.callCounts()` reports). */
  byRegionOperation: Record<string, number>;
  /** Operation → requests, summed over regions. */
  byOperation: Record<string, number>;
  /** Successful write calls (PutParameter, tag and delete calls). */
  writes: number;
  /** Seconds the successful calls need at the endpoint's configured rates. */
  tpsBoundSeconds: number;
  /** Successful PutParameter calls per second per region. */
  putRate: Record<string, number | undefined>;
  putCalls: Record<string, number>;
  /** GetParameter(s) calls, and those of them WithDecryption. */
  gets: number;
  decryptingGets: number;
  /** SecureString values Parameter Store decrypted with KMS to answer them. */
  kmsDecrypts: number;
}

/** The configured limit of an endpoint family at a throttle scale. */
export function endpointRate(family: string, scale: number): number {
  return (DEFAULT_RATES[family as keyof typeof DEFAULT_RATES] ?? DEFAULT_RATES.describe) * scale;
}

export function summarizeCalls(records: readonly CallRecord[], scale: number): CallSummary {
  const byRegionOperation: Record<string, number> = {};
  const byOperation: Record<string, number> = {};
  const families = new Map<string, FamilyCount>();
  const puts = new Map<string, number[]>();
  let ok = 0;
  let throttled = 0;
  let writes = 0;
  let gets = 0;
  let decryptingGets = 0;
  let kmsDecrypts = 0;
  for (const call of records) {
    if (call.operation === 'GetParameters' || call.operation === 'GetParameter') {
      gets++;
      if (call.withDecryption) decryptingGets++;
    }
    kmsDecrypts += call.kmsDecrypts ?? 0;
    const key = `${call.region}:${call.operation}`;
    byRegionOperation[key] = (byRegionOperation[key] ?? 0) + 1;
    byOperation[call.operation] = (byOperation[call.operation] ?? 0) + 1;
    if (call.errorCode && THROTTLING.has(call.errorCode)) throttled++;
    if (call.status !== 200) continue;
    ok++;
    if (WRITE_OPERATIONS.has(call.operation)) writes++;
    const family = familyOf(call.service, call.operation);
    const bucket = `${call.region}/${family}`;
    const count = families.get(bucket) ?? { region: call.region, family, calls: 0 };
    count.calls++;
    families.set(bucket, count);
    if (call.operation === 'PutParameter') {
      const list = puts.get(call.region) ?? [];
      list.push(call.time);
      puts.set(call.region, list);
    }
  }
  const putRate: Record<string, number | undefined> = {};
  const putCalls: Record<string, number> = {};
  for (const [region, times] of puts) {
    putRate[region] = achievedRate(times);
    putCalls[region] = times.length;
  }
  return {
    total: records.length,
    ok,
    throttled,
    otherErrors: records.length - ok - throttled,
    byRegionOperation,
    byOperation,
    writes,
    tpsBoundSeconds: tpsBoundSeconds([...families.values()], (f) => endpointRate(f, scale)),
    putRate,
    putCalls,
    gets,
    decryptingGets,
    kmsDecrypts,
  };
}
