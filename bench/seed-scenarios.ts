import { type Endpoint, startEndpoint } from '../test/endpoint/index.js';
import type { CallSummary } from './calls.js';
import { DESTINATION_REGIONS, fleetParameter, SOURCE_REGION, seedSource } from './fleet.js';
import { runWorker } from './fork.js';
import {
  LATENCY_MS,
  measured,
  PUT_RATE,
  type ScenarioResult,
  throttleFailures,
  writeRateOfLimit,
} from './scenarios.js';
import type { WorkerResult } from './worker.js';

/**
 * The seed's approach costs the same per parameter whatever the fleet size (it never lists anything), so
 * it is measured on a sample of the fleet under the same conditions as ours and extrapolated linearly to
 * N: at AWS-default limits its read-only pass alone would take minutes for 1,000 parameters and most of
 * an hour for 10,000 (30,000 ListTagsForResource calls at 10 per second).
 */
interface SampleRun {
  result: WorkerResult;
  summary: CallSummary;
}

export interface SeedSample {
  sample: number;
  dryRun: SampleRun;
  /** Per apply scale: a sync into empty destinations, then the same again over the converged fleet. */
  sync: Map<number, { sync: SampleRun; resync: SampleRun }>;
}

async function seedRun(ep: Endpoint, scale: number, names: string[], dryRun: boolean): Promise<SampleRun> {
  return measured(ep, scale, () =>
    runWorker({
      kind: 'seed',
      options: {
        endpoint: ep.url,
        sourceRegion: SOURCE_REGION,
        destinations: DESTINATION_REGIONS,
        names,
        dryRun,
      },
    }),
  );
}

export async function measureSeed(
  sample: number,
  applyScales: readonly number[],
  log: (line: string) => void,
): Promise<SeedSample> {
  const ep = await startEndpoint({ throttle: { scale: 1 }, latency: { ms: LATENCY_MS } });
  try {
    const names = Array.from({ length: sample }, (_, i) => fleetParameter(i).name);
    seedSource(ep, sample);
    const dryRun = await seedRun(ep, 1, names, true);
    log(
      `  seed dry run, ${sample} parameters: ${dryRun.summary.total} calls, ${(dryRun.result.wallMs / 1000).toFixed(1)} s`,
    );
    const sync = new Map<number, { sync: SampleRun; resync: SampleRun }>();
    for (const scale of new Set(applyScales)) {
      ep.state.reset();
      seedSource(ep, sample);
      const first = await seedRun(ep, scale, names, false);
      const again = await seedRun(ep, scale, names, false);
      log(
        `  seed sync at ${scale}×, ${sample} parameters: ${first.summary.total} calls, ${(first.result.wallMs / 1000).toFixed(1)} s`,
      );
      sync.set(scale, { sync: first, resync: again });
    }
    return { sample, dryRun, sync };
  } finally {
    await ep.stop();
  }
}

function scaleCounts(counts: Record<string, number>, f: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Math.round(v * f)]));
}

function extrapolate(
  run: SampleRun,
  meta: {
    id: string;
    label: string;
    n: number;
    sample: number;
    scale: number;
    writes: 'unchanged' | 'rate' | 'none';
  },
): ScenarioResult {
  const f = meta.n / meta.sample;
  const seed = run.result.seed;
  const failures = seed?.failures ?? {};
  const failedPairs = Object.values(failures).reduce((a, b) => a + b, 0);
  const failed = throttleFailures(failures);
  const notes = [`measured on ${meta.sample} parameters × ${DESTINATION_REGIONS.length} regions, ×${f} to N`];
  if (failedPairs > 0) notes.push(`failed pairs in the sample: ${JSON.stringify(failures)}`);
  if (seed?.tagReadFailures)
    notes.push(`tag reads swallowed (replica written without tags): ${seed.tagReadFailures}`);
  return {
    id: meta.id,
    label: meta.label,
    who: 'seed',
    n: meta.n,
    scale: meta.scale,
    sample: meta.sample,
    calls: Math.round(run.summary.total * f),
    wallS: (run.result.wallMs / 1000) * f,
    tpsBoundS: run.summary.tpsBoundSeconds * f,
    throttles: {
      seen: Math.round(run.summary.throttled * f),
      retried: Math.round((run.summary.throttled - failed) * f),
      failed: Math.round(failed * f),
    },
    ...(meta.writes === 'unchanged' ? { writesToUnchanged: Math.round(run.summary.writes * f) } : {}),
    ...(meta.writes === 'rate'
      ? {
          writeRateOfLimit: writeRateOfLimit(run.summary, PUT_RATE * meta.scale),
          failedWrites: Math.round(failedPairs * f),
        }
      : {}),
    ...(meta.writes === 'none' ? { writesToUnchanged: Math.round(run.summary.writes * f) } : {}),
    peakRssMb: run.result.peakRssMb,
    byRegionOperation: scaleCounts(run.summary.byRegionOperation, f),
    notes,
  };
}

/** The seed's rows for a fleet of `n`: its dry run (planning-equivalent), a sync, and a sync of the converged fleet. */
export function seedRows(seed: SeedSample, n: number, applyScale: number): ScenarioResult[] {
  const base = { n, sample: seed.sample };
  const sync = seed.sync.get(applyScale);
  if (!sync) throw new Error(`no seed sample at ${applyScale}×`);
  return [
    extrapolate(seed.dryRun, {
      ...base,
      id: 'seed-dry-run',
      label: 'seed: dry run (reads only)',
      scale: 1,
      writes: 'none',
    }),
    extrapolate(sync.sync, {
      ...base,
      id: 'seed-sync',
      label: 'seed: sync',
      scale: applyScale,
      writes: 'rate',
    }),
    extrapolate(sync.resync, {
      ...base,
      id: 'seed-resync',
      label: 'seed: sync converged fleet',
      scale: applyScale,
      writes: 'unchanged',
    }),
  ];
}
