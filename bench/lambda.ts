import { createHandler, type Handler } from '../src/lambda/handler.js';
import { OWNER_TAG_KEY, SYNC_TAG_KEY } from '../src/manifest/resolve.js';
import { systemClock } from '../src/rate/limiter.js';
import { TEST_CREDENTIALS } from '../test/endpoint/clients.js';
import { type Endpoint, startEndpoint } from '../test/endpoint/index.js';
import { OWNER } from '../test/support/builders.js';
import { type CallSummary, summarizeCalls } from './calls.js';
import { fleetParameter, ROOT, SOURCE_REGION } from './fleet.js';
import { fmtNumber, judge, ratio, type TargetResult } from './report.js';
import { LATENCY_MS, type ScenarioResult, scaledRates } from './scenarios.js';
import { runSeed } from './seed-baseline.js';

/**
 * The event path (issue #17): EventBridge → SQS → Lambda as the deploy template wires it, against the
 * seed's one-invocation-per-event replicator, on the local endpoint with 20 ms per call. The handler is
 * the real one (SQS batches of the template's BatchSize, consumed by as many execution environments as
 * its concurrency), each environment pacing itself at its share of the limits as SSM_REPLICATE_INSTANCES
 * makes it do.
 */
const DESTINATIONS = ['us-east-1', 'eu-west-1'];
const BURST = 1_000;
/** The template's defaults: BatchSize and MaximumConcurrency (the mapping's maximum concurrency). */
const BATCH_SIZE = 100;
const CONCURRENCY = 2;
/** Writes take 1,000 / 3 s per region at AWS's default PutParameter rate: scaled like the apply rows. */
const BURST_SCALE = 10;
const SEED_SAMPLE = 100;
const SINGLE_EVENTS = 20;
const ISOLATION_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Issue #17's count for one native Create of one SecureString into two destinations, before this work. */
const CALLS_PER_EVENT_BEFORE = 21;

const MANIFEST = `version: 1
source: { region: ${SOURCE_REGION} }
replications:
  - name: bench
    paths: [${ROOT}]
    destinations: [${DESTINATIONS.map((r) => `{ region: ${r} }`).join(', ')}]
`;

function nativeCreate(name: string) {
  return {
    version: '0',
    id: `evt-${name}`,
    'detail-type': 'Parameter Store Change',
    source: 'aws.ssm',
    account: '123456789012',
    time: new Date().toISOString(),
    region: SOURCE_REGION,
    resources: [`arn:aws:ssm:${SOURCE_REGION}:123456789012:parameter${name}`],
    detail: { operation: 'Create', name, type: 'String' },
  };
}

function sqsBatch(events: unknown[], offset: number) {
  return {
    Records: events.map((event, i) => ({
      messageId: `msg-${offset + i}`,
      receiptHandle: `rh-${offset + i}`,
      body: JSON.stringify(event),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
      messageAttributes: {},
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${SOURCE_REGION}:123456789012:events`,
      awsRegion: SOURCE_REGION,
    })),
  };
}

/** The template's 300 s timeout: an invocation waits up to half of it for a lock another one holds. */
const CONTEXT = {
  invokedFunctionArn: `arn:aws:lambda:${SOURCE_REGION}:123456789012:function:ssm-replicate`,
  getRemainingTimeInMillis: () => 300_000,
};

function lambda(ep: Endpoint, scale: number, instances: number): Handler {
  const rates = scaledRates(scale);
  return createHandler({
    env: { AWS_REGION: SOURCE_REGION, SSM_REPLICATE_MANIFEST: MANIFEST },
    settings: {
      maxAttempts: 8,
      retryMode: 'standard',
      credentials: TEST_CREDENTIALS,
      endpoint: ep.url,
      rates: {
        get: rates.get / instances,
        put: rates.put / instances,
        describe: rates.describe / instances,
        other: rates.other / instances,
      },
    },
    clock: systemClock,
    log: () => undefined,
  });
}

/** Every source parameter has a replica with its value, type and tags (plus ownership) in every destination. */
function correctReplicas(ep: Endpoint, names: readonly string[]): number {
  let ok = 0;
  for (const name of names) {
    const source = ep.state.getParameter(SOURCE_REGION, name);
    const s = source?.versions.at(-1);
    if (!source || !s) continue;
    const good = DESTINATIONS.every((region) => {
      const replica = ep.state.getParameter(region, name);
      const r = replica?.versions.at(-1);
      if (!replica || !r) return false;
      const tags = { ...source.tags, [OWNER.key]: OWNER.value, [OWNER_TAG_KEY]: 'default/bench' };
      // Every write leaves its sync record beside the replicated tags (src/plan/sync-record.ts).
      const { [SYNC_TAG_KEY]: record, ...rest } = replica.tags;
      return (
        r.value === s.value &&
        r.type === s.type &&
        record !== undefined &&
        JSON.stringify(Object.entries(rest).sort()) === JSON.stringify(Object.entries(tags).sort())
      );
    });
    if (good) ok++;
  }
  return ok;
}

function row(
  id: string,
  label: string,
  who: 'ours' | 'seed',
  n: number,
  scale: number,
  summary: CallSummary,
  wallS: number,
  notes: string[],
  sample?: number,
): ScenarioResult {
  return {
    id,
    label,
    who,
    n,
    scale,
    ...(sample ? { sample } : {}),
    calls: summary.total,
    wallS,
    tpsBoundS: summary.tpsBoundSeconds,
    throttles: { seen: summary.throttled, retried: summary.throttled, failed: 0 },
    failedWrites: 0,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    byRegionOperation: summary.byRegionOperation,
    notes,
  };
}

function perName(summary: CallSummary, n: number): string {
  return Object.entries(summary.byOperation)
    .sort((a, b) => b[1] - a[1])
    .map(([op, c]) => `${op} ${fmtNumber(c / n, 2)}`)
    .join(', ');
}

function scaledSummary(summary: CallSummary, factor: number): CallSummary {
  const scale = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v * factor)]));
  return {
    ...summary,
    total: Math.round(summary.total * factor),
    throttled: Math.round(summary.throttled * factor),
    byOperation: scale(summary.byOperation),
    byRegionOperation: scale(summary.byRegionOperation),
    tpsBoundSeconds: summary.tpsBoundSeconds * factor,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function burst(log: (line: string) => void) {
  const ep = await startEndpoint({ throttle: { scale: BURST_SCALE }, latency: { ms: LATENCY_MS } });
  try {
    const names: string[] = [];
    for (let i = 0; i < BURST; i++) {
      const p = fleetParameter(i);
      ep.state.putParameter(p);
      names.push(p.name);
    }
    const events = names.map(nativeCreate);
    const batches: unknown[] = [];
    for (let i = 0; i < events.length; i += BATCH_SIZE)
      batches.push(sqsBatch(events.slice(i, i + BATCH_SIZE), i));
    const environments = Array.from({ length: CONCURRENCY }, () => lambda(ep, BURST_SCALE, CONCURRENCY));
    ep.resetCalls();
    let failedMessages = 0;
    let next = 0;
    const started = performance.now();
    // Each execution environment takes the next batch when it is done with one, as the poller hands them out.
    await Promise.all(
      environments.map(async (handler) => {
        while (next < batches.length) {
          const batch = batches[next++];
          const response = (await handler(batch, CONTEXT)) as { batchItemFailures: unknown[] };
          failedMessages += response.batchItemFailures.length;
        }
      }),
    );
    const wallS = (performance.now() - started) / 1000;
    const summary = summarizeCalls(ep.calls(), BURST_SCALE);
    const correct = correctReplicas(ep, names);
    log(`  lambda burst: ${summary.total} calls, ${wallS.toFixed(1)} s, ${correct}/${BURST} correct`);
    const describePerRegion = Math.max(
      ...[SOURCE_REGION, ...DESTINATIONS].map(
        (r) => summary.byRegionOperation[`${r}:DescribeParameters`] ?? 0,
      ),
    );

    // The seed: one invocation per event, each reading the source per destination; measured on a sample.
    ep.state.reset();
    const sample = names.slice(0, SEED_SAMPLE);
    for (let i = 0; i < SEED_SAMPLE; i++) ep.state.putParameter(fleetParameter(i));
    ep.resetCalls();
    const seedRun = await runSeed({
      endpoint: ep.url,
      sourceRegion: SOURCE_REGION,
      destinations: DESTINATIONS,
      names: sample,
      dryRun: false,
    });
    const seedSummary = scaledSummary(summarizeCalls(ep.calls(), BURST_SCALE), BURST / SEED_SAMPLE);
    const seedWall = (seedRun.wallMs / 1000) * (BURST / SEED_SAMPLE);
    const seedFailed = Object.values(seedRun.failures).reduce((a, b) => a + b, 0);
    const rows = [
      row(
        'lambda-burst',
        'lambda: burst of 1,000 events (SQS batches)',
        'ours',
        BURST,
        BURST_SCALE,
        summary,
        wallS,
        [
          `${BURST / BATCH_SIZE} batches of ${BATCH_SIZE} over ${CONCURRENCY} execution environments; ${correct}/${BURST} replicas correct in both destinations; ${failedMessages} messages reported failed`,
          `calls per changed name: ${fmtNumber(summary.total / BURST, 2)} (${perName(summary, BURST)})`,
          `DescribeParameters in the busiest region: ${describePerRegion} (${fmtNumber(describePerRegion / (BURST / 50), 2)} per 50 names)`,
        ],
      ),
      row(
        'lambda-burst-seed',
        'seed: burst of 1,000 events (one invocation each)',
        'seed',
        BURST,
        BURST_SCALE,
        seedSummary,
        seedWall,
        [
          `calls per changed name: ${fmtNumber(seedSummary.total / BURST, 2)} (${perName(seedSummary, BURST)}); ${seedFailed} of ${seedRun.pairs} pairs failed in the sample`,
        ],
        SEED_SAMPLE,
      ),
    ];
    const targets: TargetResult[] = [
      judge(
        'lambda burst of 1,000 names into 2 destinations: calls per name ≤ the seed’s',
        ratio(summary.total, seedSummary.total),
        1,
        'at-most',
        `ours ${fmtNumber(summary.total / BURST, 2)} vs seed ${fmtNumber(seedSummary.total / BURST, 2)} per name`,
      ),
      judge(
        'lambda burst: DescribeParameters ≤ 1 per 50 names per region',
        describePerRegion / (BURST / 50),
        1,
        'at-most',
        `busiest region ${describePerRegion} calls for ${BURST} names`,
      ),
      judge(
        'lambda burst: every replica correct, 0 failed messages',
        BURST - correct + failedMessages,
        0,
        'at-most',
        `${correct}/${BURST} correct, ${failedMessages} failed`,
      ),
      judge(
        'lambda burst: 0 throttling failures',
        failedMessages,
        0,
        'at-most',
        `${summary.throttled} throttled calls seen, all retried`,
      ),
    ];
    return { rows, targets };
  } finally {
    await ep.stop();
  }
}

async function single(log: (line: string) => void) {
  const ep = await startEndpoint({ throttle: { scale: 1 }, latency: { ms: LATENCY_MS } });
  try {
    const name = (i: number) => `${ROOT}/single/p${String(i).padStart(3, '0')}`;
    const handler = lambda(ep, 1, CONCURRENCY);
    // Cold start first (configuration, clients), not measured.
    ep.state.putParameter({ region: SOURCE_REGION, name: name(999), value: 'warm', type: 'SecureString' });
    await handler(sqsBatch([nativeCreate(name(999))], 0), CONTEXT);
    const latencies: number[] = [];
    const all: ReturnType<Endpoint['calls']> = [];
    for (let i = 0; i < SINGLE_EVENTS; i++) {
      // Isolated: the previous event's writes no longer hold this environment's PutParameter budget
      // (1.5 a second at its share of the default limit).
      await sleep(ISOLATION_MS);
      ep.state.putParameter({ region: SOURCE_REGION, name: name(i), value: `s${i}`, type: 'SecureString' });
      ep.resetCalls();
      const started = performance.now();
      await handler(sqsBatch([nativeCreate(name(i))], i), CONTEXT);
      latencies.push(performance.now() - started);
      all.push(...ep.calls());
    }
    const names = Array.from({ length: SINGLE_EVENTS }, (_, i) => name(i));
    const correct = correctReplicas(ep, names);
    const summary = scaledSummary(summarizeCalls(all, 1), 1);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);

    const seedLatencies: number[] = [];
    const seedCalls: ReturnType<Endpoint['calls']> = [];
    for (let i = 0; i < SINGLE_EVENTS; i++) {
      await sleep(ISOLATION_MS);
      const n = `${ROOT}/seed/p${String(i).padStart(3, '0')}`;
      ep.state.putParameter({ region: SOURCE_REGION, name: n, value: `s${i}`, type: 'SecureString' });
      ep.resetCalls();
      const run = await runSeed({
        endpoint: ep.url,
        sourceRegion: SOURCE_REGION,
        destinations: DESTINATIONS,
        names: [n],
        dryRun: false,
      });
      seedLatencies.push(run.wallMs);
      seedCalls.push(...ep.calls());
    }
    const seedSummary = summarizeCalls(seedCalls, 1);
    const seedSorted = [...seedLatencies].sort((a, b) => a - b);
    const perEvent = summary.total / SINGLE_EVENTS;
    log(
      `  lambda single event: ${fmtNumber(perEvent, 1)} calls, p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
    );
    const latency = (s: readonly number[]) =>
      `event to replica p50 ${percentile(s, 50).toFixed(0)} ms, p95 ${percentile(s, 95).toFixed(0)} ms`;
    const rows = [
      row(
        'lambda-single',
        'lambda: one isolated event (SecureString, warm)',
        'ours',
        SINGLE_EVENTS,
        1,
        summary,
        latencies.reduce((a, b) => a + b, 0) / 1000,
        [
          `${latency(sorted)} (handler only; the mapping's batching window, 5 s by default, comes on top); ${correct}/${SINGLE_EVENTS} correct`,
          `calls per event: ${fmtNumber(perEvent, 2)} (${perName(summary, SINGLE_EVENTS)})`,
        ],
      ),
      row(
        'lambda-single-seed',
        'seed: one isolated event (SecureString)',
        'seed',
        SINGLE_EVENTS,
        1,
        seedSummary,
        seedLatencies.reduce((a, b) => a + b, 0) / 1000,
        [
          latency(seedSorted),
          `calls per event: ${fmtNumber(seedSummary.total / SINGLE_EVENTS, 2)} (${perName(seedSummary, SINGLE_EVENTS)})`,
        ],
      ),
    ];
    const targets = [
      judge(
        `lambda single event: calls ≤ ${CALLS_PER_EVENT_BEFORE} (issue #17's count before batching)`,
        perEvent,
        CALLS_PER_EVENT_BEFORE,
        'at-most',
        `${fmtNumber(perEvent, 2)} calls per event; p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms`,
      ),
    ];
    return { rows, targets };
  } finally {
    await ep.stop();
  }
}

export async function runLambda(
  log: (line: string) => void,
): Promise<{ rows: ScenarioResult[]; targets: TargetResult[] }> {
  log(`lambda: burst of ${BURST} events, then ${SINGLE_EVENTS} isolated events`);
  const b = await burst(log);
  const s = await single(log);
  return { rows: [...b.rows, ...s.rows], targets: [...b.targets, ...s.targets] };
}
