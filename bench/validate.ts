import { parseManifest } from '../src/manifest/index.js';
import type { ScenarioResult } from './scenarios.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'ap-northeast-1'] as const;

/**
 * A valid manifest of `n` replications shaped like a large organisation's: two paths each under 100 teams,
 * three destinations, one in four with a path rewrite, one in ten with an exclude pattern, tags in
 * defaults and on some destinations. Every check (collisions between routes, duplicate names and
 * destinations, rewrites, tags) has work to do on every replication, and none of them fails.
 */
export function validationManifest(n: number): string {
  const lines = [
    'version: 1',
    'source:',
    '  region: ap-south-1',
    'defaults:',
    '  tags: { replicated-by: ssm-replicate, cost-centre: platform }',
    'replications:',
  ];
  for (let i = 0; i < n; i++) {
    const team = `team${String(i % 100).padStart(2, '0')}`;
    const base = `/org/${team}/svc${i}`;
    lines.push(`  - name: svc-${i}`, `    paths: [${base}/app, ${base}/jobs]`);
    if (i % 10 === 3) lines.push(`    exclude: ['${base}/app/tmp/**']`);
    lines.push('    destinations:');
    for (let d = 0; d < 3; d++) {
      lines.push(`      - region: ${REGIONS[(i + d) % REGIONS.length]}`);
      if (d === 1 && i % 4 === 0)
        lines.push(`        path-rewrite: { from: ${base}/, to: /dr/${team}/svc${i}/ }`);
      if (d === 2 && i % 5 === 0) lines.push(`        tags: { tier: gold, owner: ${team} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Parsing and validating (YAML, schema, field checks, relations) a manifest of `n` replications, in process. */
export function runValidate(n: number, log: (line: string) => void): ScenarioResult {
  const text = validationManifest(n);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const { manifest, warnings } = parseManifest(text, 'bench.yaml');
  const wallS = (performance.now() - started) / 1000;
  const cpuS = process.cpuUsage(cpu).user / 1e6;
  const count = n.toLocaleString('en-US');
  log(`  validate ${count} replications: ${wallS.toFixed(1)} s (${cpuS.toFixed(1)} s CPU)`);
  return {
    id: 'validate',
    label: `validate: ${count} replications`,
    who: 'ours',
    n,
    scale: 0,
    calls: 0,
    wallS,
    tpsBoundS: 0,
    throttles: { seen: 0, retried: 0, failed: 0 },
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    byRegionOperation: {},
    notes: [
      `${(text.length / 2 ** 20).toFixed(1)} MB of YAML, ${manifest.replications.length} replications, ${warnings.length} warnings; no AWS calls; peak RSS is the runner's`,
      // Wall time is the target; CPU time (user, all threads) shows how much of it was waiting for a core.
      `${cpuS.toFixed(1)} s CPU (user, GC threads included) in ${wallS.toFixed(1)} s wall`,
    ],
  };
}
