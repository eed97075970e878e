import { startEndpoint } from '../test/endpoint/index.js';
import { benchManifest, seedReplicas, seedSource } from './fleet.js';
import { type HostHeap, runWorker } from './fork.js';
import { measured, planLowerBound, type ScenarioResult } from './scenarios.js';

/**
 * The V8 heap of the target rows: what Node picks on a host with 512 MB of memory. Node sizes its heap from
 * the memory cgroup: in a 512 MB one, Node 22.23 and 24.21 report a heap_size_limit of 259 MB (256 MB old
 * space, 1 MB semi-spaces), which these two flags reproduce exactly. The old-space flag alone would keep
 * a large host's 16 MB semi-spaces (304 MB).
 */
const HOST_HEAP: HostHeap = { oldSpaceMb: 256, semiSpaceMb: 1 };

/** Client rates far above what the endpoint can serve: this measures memory, not quotas. */
const UNLIMITED = { get: 1_000_000, put: 1_000_000, describe: 1_000_000, other: 1_000_000 };

/**
 * A 100,000-parameter plan twice: from empty destinations (300,000 creates held in the plan) and over a
 * converged fleet (four 100,000-parameter inventories held at once). The endpoint has no latency and no
 * throttle and stays in this process; the planner runs in a child, so its peak RSS is the planner's alone,
 * and from a bundle built as the shipped ones are, so the peak is what a user's process reaches.
 */
export async function runMemory(n: number, log: (line: string) => void): Promise<ScenarioResult[]> {
  // 100,000 Standard parameters per region is ten times AWS's quota: the endpoint has to be told.
  const ep = await startEndpoint({ limits: { standardParameters: 2 * n } });
  const rows: ScenarioResult[] = [];
  try {
    seedSource(ep, n);
    const plan = async (id: string, label: string, heap?: HostHeap) => {
      const lowerBound = planLowerBound(ep);
      const { result, summary } = await measured(ep, 'off', () =>
        runWorker(
          {
            kind: 'plan',
            endpoint: ep.url,
            manifest: benchManifest(),
            rates: UNLIMITED,
            maxAttempts: 8,
          },
          { exposeGc: true, bundled: true, ...(heap ? { heap } : {}) },
        ),
      );
      const s = result.plan?.summary;
      rows.push({
        id,
        label,
        who: 'ours',
        n,
        scale: 0,
        calls: summary.total,
        lowerBound,
        wallS: result.wallMs / 1000,
        tpsBoundS: 0,
        throttles: { seen: 0, retried: 0, failed: 0 },
        peakRssMb: result.peakRssMb,
        byRegionOperation: summary.byRegionOperation,
        notes: [
          `plan: ${s?.creates ?? 0} create, ${s?.updates ?? 0} update, ${s?.unchanged ?? 0} unchanged; endpoint without latency or throttle, in another process`,
          'planner run as built for users (one esbuild bundle, build.mjs options), not from source under tsx',
          `live heap after a full GC, plan and inventories held: ${result.liveHeapMb?.toFixed(0) ?? '–'} MB (the rest of the peak is garbage not yet collected, code and buffers)`,
          `runner process (endpoint and its state) RSS: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
          heap
            ? `V8 heap as Node sizes it in a 512 MB memory cgroup: ${heap.oldSpaceMb} MB old space, ${heap.semiSpaceMb} MB semi-spaces`
            : 'no heap cap: V8 on this 24 GB machine collects lazily, so RSS is mostly uncollected garbage',
        ],
      });
      log(`  ${label}: peak RSS ${result.peakRssMb.toFixed(0)} MB, ${(result.wallMs / 1000).toFixed(1)} s`);
    };
    // The target rows run as a 512 MB host would; the uncapped rows show what a large host lets V8 keep.
    const count = n.toLocaleString('en-US');
    await plan('memory-empty', `memory: plan ${count}, empty destinations, 512 MB host`, HOST_HEAP);
    await plan('info-memory-empty', `memory: plan ${count}, empty destinations, no heap cap`);
    seedReplicas(ep, n);
    await plan('memory-converged', `memory: plan ${count}, converged, 512 MB host`, HOST_HEAP);
    await plan('info-memory-converged', `memory: plan ${count}, converged, no heap cap`);
    return rows;
  } finally {
    await ep.stop();
  }
}
