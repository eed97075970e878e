import { type Endpoint, startEndpoint } from '../test/endpoint/index.js';
import {
  benchManifest,
  changeSource,
  DESTINATION_REGIONS,
  destinationVersionSum,
  SOURCE_REGION,
  seedSource,
} from './fleet.js';
import { runWorker } from './fork.js';
import {
  LATENCY_MS,
  measured,
  PUT_RATE,
  planLowerBound,
  readColumns,
  type ScenarioResult,
  scaledRates,
  throttleFailures,
  writeRateOfLimit,
} from './scenarios.js';

/** Attempts per call as the shells configure them (DEFAULT_MAX_ATTEMPTS) when AWS_MAX_ATTEMPTS is unset. */
const MAX_ATTEMPTS = 8;
/** 1 % of the source changes between the converged re-plan and the last plan. */
const CHANGE_EVERY = 100;

/**
 * One plan (or drift check: the same reads) at AWS-default limits. `verify`: `--verify values`, today's
 * full read of every value with decryption, held to the lower bound of reading every value.
 */
async function plan(
  ep: Endpoint,
  id: string,
  label: string,
  n: number,
  verify?: 'values',
): Promise<ScenarioResult> {
  const lowerBound = planLowerBound(ep, verify ?? 'metadata');
  const versionsBefore = destinationVersionSum(ep);
  const { result, summary } = await measured(ep, 1, () =>
    runWorker({
      kind: 'plan',
      endpoint: ep.url,
      manifest: benchManifest(),
      rates: scaledRates(1),
      maxAttempts: MAX_ATTEMPTS,
      ...(verify ? { verify } : {}),
    }),
  );
  const facts = result.plan;
  const failed = throttleFailures({}, facts?.regionErrors);
  const notes = [
    `plan: ${facts?.summary.creates ?? 0} create, ${facts?.summary.updates ?? 0} update, ${facts?.summary.unchanged ?? 0} unchanged`,
  ];
  if (facts?.regionErrors.length) notes.push(`region errors: ${facts.regionErrors.join(' / ')}`);
  return {
    id,
    label,
    who: 'ours',
    n,
    scale: 1,
    calls: summary.total,
    lowerBound,
    wallS: result.wallMs / 1000,
    tpsBoundS: summary.tpsBoundSeconds,
    throttles: { seen: summary.throttled, retried: summary.throttled - failed, failed },
    // A plan never writes; counting the log and the stored versions proves it rather than assuming it.
    writesToUnchanged: summary.writes + (destinationVersionSum(ep) - versionsBefore),
    peakRssMb: result.peakRssMb,
    byRegionOperation: summary.byRegionOperation,
    notes,
    ...readColumns(summary, result.wallMs),
  };
}

/**
 * Apply at `scale` × the limits. `writes`: the replicas it should write (all of them from empty, the
 * changed ones later); its floor is the metadata read, one PutParameter per replica (tags and record ride
 * along on a create; an update's record is one tag call), and the decrypted reads of those values.
 */
async function apply(
  ep: Endpoint,
  n: number,
  scale: number,
  id = 'apply',
  label = 'apply it (plan, write, verify)',
  writes = n,
): Promise<ScenarioResult> {
  const regions = DESTINATION_REGIONS.length;
  const updates = writes === n ? 0 : writes * regions;
  const valueReads = Math.ceil(writes / 10) * (1 + (updates > 0 ? regions : 0));
  const lowerBound = planLowerBound(ep) + writes * regions + updates + valueReads;
  const { result, summary } = await measured(ep, scale, () =>
    runWorker({
      kind: 'apply',
      endpoint: ep.url,
      manifest: benchManifest(),
      rates: scaledRates(scale),
      maxAttempts: MAX_ATTEMPTS,
    }),
  );
  const a = result.apply;
  const failed = throttleFailures(a?.failures ?? {});
  const tags = summary.byOperation.ListTagsForResource ?? 0;
  return {
    id,
    label,
    who: 'ours',
    n,
    scale,
    calls: summary.total,
    lowerBound,
    wallS: result.wallMs / 1000,
    tpsBoundS: summary.tpsBoundSeconds,
    throttles: { seen: summary.throttled, retried: summary.throttled - failed, failed },
    writeRateOfLimit: writeRateOfLimit(summary, PUT_RATE * scale),
    failedWrites: (a?.failed ?? 0) + (a?.drifted ?? 0),
    peakRssMb: result.peakRssMb,
    byRegionOperation: summary.byRegionOperation,
    notes: [
      `applied ${a?.applied ?? 0}, failed ${a?.failed ?? 0}, drifted ${a?.drifted ?? 0}; verification plan items ${a?.verificationItems ?? 0}`,
      `verify re-reads every written name by name, tags per name: ${tags} ListTagsForResource calls`,
      `values read with decryption: ${summary.decryptingGets} GetParameters calls (${summary.kmsDecrypts} KMS decrypts) for ${writes} changed source parameter(s) × ${regions} regions`,
    ],
    ...readColumns(summary, result.wallMs),
  };
}

/**
 * Our four scenarios for one fleet size, on one endpoint with AWS-default limits and 20 ms per call:
 * plan from empty destinations, apply (at `applyScale` × the limits), re-plan converged, plan after 1 %
 * of the source changed.
 */
export async function runOurs(
  n: number,
  applyScale: number,
  log: (line: string) => void,
): Promise<ScenarioResult[]> {
  const ep = await startEndpoint({
    throttle: { scale: 1 },
    latency: { ms: LATENCY_MS },
    // Above AWS's 10,000 Standard parameters per region on purpose: 10,000 source parameters plus margin.
    limits: { standardParameters: 200_000 },
  });
  try {
    seedSource(ep, n);
    const rows: ScenarioResult[] = [];
    const step = async (row: Promise<ScenarioResult>) => {
      const r = await row;
      rows.push(r);
      log(`  ${r.label}: ${r.calls} calls, ${r.wallS.toFixed(1)} s`);
    };
    await step(plan(ep, 'plan-empty', 'plan, empty destinations', n));
    await step(apply(ep, n, applyScale));
    await step(plan(ep, 'replan-converged', 're-plan converged fleet', n));
    await step(plan(ep, 'drift-converged', 'drift converged fleet', n));
    await step(plan(ep, 'replan-verify', 're-plan converged, --verify values', n, 'values'));
    await step(plan(ep, 'drift-verify', 'drift converged, --verify values', n, 'values'));
    const changed = changeSource(ep, n, CHANGE_EVERY);
    await step(plan(ep, 'plan-changed', `plan after 1 % changed (${changed})`, n));
    await step(apply(ep, n, applyScale, 'apply-changed', `apply the 1 % changed (${changed})`, changed));
    const counts = ep.state.listParameters(SOURCE_REGION).length;
    if (counts !== n) throw new Error(`source holds ${counts} parameters, expected ${n}`);
    return rows;
  } finally {
    await ep.stop();
  }
}
