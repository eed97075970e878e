import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureColdStart } from './cold-start.js';
import { runLambda } from './lambda.js';
import { runMemory } from './memory.js';
import { runOurs } from './ours.js';
import { operationLines, resultsTable, targetLines, targets } from './print.js';
import type { TargetResult } from './report.js';
import { AWS_RATES, LATENCY_MS, type ScenarioResult } from './scenarios.js';
import { measureSeed, seedRows } from './seed-scenarios.js';
import { runValidate } from './validate.js';

/**
 * `npm run bench [-- --quick]`: our planner and applier next to the seed's per-parameter approach on the
 * local endpoint, at AWS-default limits with 20 ms per call, and manifest validation at scale. Prints a
 * table and PASS/FAIL per target and writes the same as JSON to bench/results/.
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    lambda: { type: 'boolean' },
    plans: { type: 'boolean' },
    out: { type: 'string' },
  },
});
const quick = values.quick ?? false;
/** `--lambda`: only the event path's rows (a couple of minutes instead of ten). */
const lambdaOnly = values.lambda ?? false;
/**
 * `--plans`: only our plan, drift and apply rows at 10,000 and the 100,000-parameter memory rows (the
 * sync record targets), without the seed baseline, validation and the Lambda rows.
 */
const plansOnly = values.plans ?? false;

/**
 * Apply-time limits are scaled (endpoint and our limiter alike) so writes take minutes, not hours:
 * 1,000 × 3 replicas at 3 PutParameter/s would take 17 min, 10,000 × 3 nearly 3 h. 10,000 needs 30× to
 * keep the whole run near 10 minutes on two cores.
 */
const FLEETS = quick
  ? [{ n: 1_000, applyScale: 10 }]
  : plansOnly
    ? [{ n: 10_000, applyScale: 30 }]
    : [
        { n: 1_000, applyScale: 10 },
        { n: 10_000, applyScale: 30 },
      ];
const SEED_SAMPLE = quick ? 30 : 100;
const MEMORY_N = 100_000;
/** Replications in the validation row: five times the 4,000 that took 8 s while checks compared pairs. */
const VALIDATE_N = 20_000;

const log = (line: string) => console.error(line);
const started = performance.now();
const rows: ScenarioResult[] = [];

const extraTargets: TargetResult[] = [];
if (plansOnly) {
  for (const { n, applyScale } of FLEETS) {
    log(`ours: N = ${n.toLocaleString('en-US')}`);
    rows.push(...(await runOurs(n, applyScale, log)));
  }
  log(`memory: N = ${MEMORY_N.toLocaleString('en-US')}`);
  rows.push(...(await runMemory(MEMORY_N, log)));
} else if (!lambdaOnly) {
  log(`validate: ${VALIDATE_N.toLocaleString('en-US')} replications`);
  rows.push(runValidate(VALIDATE_N, log));
  log(`seed baseline: a sample of ${SEED_SAMPLE} parameters`);
  const seed = await measureSeed(
    SEED_SAMPLE,
    FLEETS.map((f) => f.applyScale),
    log,
  );
  for (const { n, applyScale } of FLEETS) {
    log(`ours: N = ${n.toLocaleString('en-US')}`);
    const ours = await runOurs(n, applyScale, log);
    const theirs = seedRows(seed, n, applyScale);
    // The seed is held to the same floor as the scenario it stands in for.
    const floor = (id: string) => ours.find((r) => r.id === id)?.lowerBound;
    for (const [seedId, oursId] of [
      ['seed-dry-run', 'plan-empty'],
      ['seed-sync', 'apply'],
      ['seed-resync', 'replan-converged'],
    ] as const) {
      const r = theirs.find((x) => x.id === seedId);
      const lb = floor(oursId);
      if (r && lb !== undefined) r.lowerBound = lb;
    }
    rows.push(...ours, ...theirs);
  }
  if (!quick) {
    log(`memory: N = ${MEMORY_N.toLocaleString('en-US')}`);
    rows.push(...(await runMemory(MEMORY_N, log)));
  }
}
if (!plansOnly) {
  const lambda = await runLambda(log);
  rows.push(...lambda.rows);
  extraTargets.push(...lambda.targets);
}
if (!plansOnly) log('Lambda cold start: import of the bundle in fresh processes');
const coldStart = plansOnly ? undefined : await measureColdStart(quick ? 7 : 21);

const verdicts = [...targets(rows), ...extraTargets];
const table = resultsTable(rows);
console.log(`\n${table}\n`);
console.log(
  '* seed rows: measured on a sample and extrapolated linearly to N (the seed costs the same per parameter).',
);
console.log(
  `Limits: AWS defaults (${JSON.stringify(AWS_RATES)} per second per region), ${LATENCY_MS} ms per call;`,
);
console.log('apply rows scale endpoint and client limits alike; "off": no throttle, no latency.\n');
console.log('Calls per operation (all regions):');
for (const line of operationLines(rows)) console.log(`  ${line}`);
console.log('\nNotes:');
for (const r of rows)
  for (const note of r.notes) console.log(`  ${r.label} (N=${r.n.toLocaleString('en-US')}): ${note}`);
if (coldStart)
  console.log(
    `\nLambda cold start (dist/lambda/index.mjs as built): ${coldStart.bundleKb.toFixed(0)} KB, import ${coldStart.importMsMedian.toFixed(0)} ms median (${coldStart.importMsMin.toFixed(0)} ms min, ${coldStart.importCpuMsMedian.toFixed(0)} ms CPU) over ${coldStart.runs} fresh Node ${coldStart.node} processes`,
  );
console.log('\nTargets:');
for (const line of targetLines(verdicts)) console.log(`  ${line}`);
const totalS = (performance.now() - started) / 1000;
console.log(`\nbench: ${totalS.toFixed(0)} s on ${cpus().length} CPU(s), Node ${process.version}`);

const out =
  values.out ??
  fileURLToPath(
    new URL(
      `./results/${lambdaOnly ? 'lambda' : plansOnly ? 'plans' : quick ? 'quick' : 'latest'}.json`,
      import.meta.url,
    ),
  );
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify(
    {
      command: lambdaOnly
        ? 'npm run bench -- --lambda'
        : plansOnly
          ? 'npm run bench -- --plans'
          : quick
            ? 'npm run bench -- --quick'
            : 'npm run bench',
      node: process.version,
      cpus: cpus().length,
      latencyMs: LATENCY_MS,
      awsRates: AWS_RATES,
      seedSample: SEED_SAMPLE,
      totalSeconds: Math.round(totalS),
      scenarios: rows,
      coldStart,
      targets: verdicts,
      table,
    },
    null,
    2,
  )}\n`,
);
log(`wrote ${out}`);
if (verdicts.some((t) => t.verdict === 'FAIL')) process.exitCode = 1;
