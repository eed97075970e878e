import type { RateLimits } from '../src/aws/clients.js';
import type { Endpoint } from '../test/endpoint/index.js';
import { type CallSummary, summarizeCalls } from './calls.js';
import { DESTINATION_REGIONS, regionCounts } from './fleet.js';
import { lowerBound, metadataBound } from './report.js';

/** AWS standard throughput, per (account, region): what the manifest's `throughput` defaults to. */
export const AWS_RATES: RateLimits = { get: 40, put: 3, describe: 10, other: 10 };
export const LATENCY_MS = 20;
export const PUT_RATE = AWS_RATES.put;

/** Our client limiter scaled like the endpoint, so both sides keep to the same (scaled) quota. */
export function scaledRates(scale: number): RateLimits {
  return {
    get: AWS_RATES.get * scale,
    put: AWS_RATES.put * scale,
    describe: AWS_RATES.describe * scale,
    other: AWS_RATES.other * scale,
  };
}

export type Who = 'ours' | 'seed';

/** One row of the results: what was run, what it cost, and how that compares with the bounds. */
export interface ScenarioResult {
  id: string;
  label: string;
  who: Who;
  n: number;
  /** Endpoint throttle scale (1 = AWS default limits) and our client limiter's, which always match. */
  scale: number;
  /** How the numbers were obtained: measured in full, or extrapolated from a sample of this many parameters. */
  sample?: number;
  calls: number;
  lowerBound?: number;
  wallS: number;
  tpsBoundS: number;
  throttles: { seen: number; retried: number; failed: number };
  /** Writes to parameters that did not change (PutParameter or tag calls); undefined where not applicable. */
  writesToUnchanged?: number;
  /** Lowest per-region PutParameter rate as a fraction of the configured limit. */
  writeRateOfLimit?: number;
  failedWrites?: number;
  peakRssMb: number;
  byRegionOperation: Record<string, number>;
  notes: string[];
  /** GetParameters calls with decryption, and the KMS decrypts behind them (plans: 0). */
  decryptingGets?: number;
  kmsDecrypts?: number;
  /** GetParameter(s) calls per minute of wall time: the runtime read quota the run took from applications. */
  getsPerMinute?: number;
}

/**
 * Lower bound for the regions as the endpoint holds them right now (before the scenario runs): of a
 * metadata plan (sync records prove equality), or of reading every value (`--verify values`, the seed).
 */
export function planLowerBound(ep: Endpoint, read: 'metadata' | 'values' = 'metadata'): number {
  const bound = read === 'metadata' ? metadataBound : lowerBound;
  let sum = 0;
  for (const { parameters, tagged } of regionCounts(ep).values()) sum += bound(parameters, tagged);
  return sum;
}

/** The decryption and read-quota columns of a row, from its call summary and wall time. */
export function readColumns(
  summary: { gets: number; decryptingGets: number; kmsDecrypts: number },
  wallMs: number,
): Pick<ScenarioResult, 'decryptingGets' | 'kmsDecrypts' | 'getsPerMinute'> {
  return {
    decryptingGets: summary.decryptingGets,
    kmsDecrypts: summary.kmsDecrypts,
    getsPerMinute: wallMs > 0 ? (summary.gets * 60_000) / wallMs : 0,
  };
}

/** The slowest destination's PutParameter rate over the configured limit (regions have separate quotas). */
export function writeRateOfLimit(summary: CallSummary, putLimit: number): number | undefined {
  const rates = DESTINATION_REGIONS.map((r) => summary.putRate[r]).filter((r) => r !== undefined);
  return rates.length === DESTINATION_REGIONS.length ? Math.min(...rates) / putLimit : undefined;
}

/**
 * Calls made by one scenario: the log is reset before it starts, so everything in it is the scenario's.
 * `scale` sets the endpoint's throttle (× AWS defaults), or turns it off.
 */
export async function measured<T>(
  ep: Endpoint,
  scale: number | 'off',
  run: () => Promise<T>,
): Promise<{ result: T; summary: CallSummary }> {
  ep.faults.setThrottle(scale === 'off' ? false : { scale });
  ep.resetCalls();
  const result = await run();
  return { result, summary: summarizeCalls(ep.calls(), scale === 'off' ? 1 : scale) };
}

/** Final failures whose error was throttling, from error names or messages. */
export function throttleFailures(names: Record<string, number>, messages: readonly string[] = []): number {
  let failed = 0;
  for (const [name, count] of Object.entries(names)) if (/thrott/i.test(name)) failed += count;
  for (const m of messages) if (/thrott/i.test(m)) failed++;
  return failed;
}
