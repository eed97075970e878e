import { fmtNumber, fmtPercent, fmtRatio, formatTable, judge, ratio, type TargetResult } from './report.js';
import type { ScenarioResult } from './scenarios.js';

const HEADERS = [
  'Scenario',
  'N',
  'Limits',
  'Calls',
  'Lower bound',
  'Calls ÷ LB',
  'Wall s',
  'TPS-bound s',
  'Wall ÷ TPS',
  'Throttled seen/retried/failed',
  'Writes to unchanged',
  'Write rate ÷ limit',
  'Failed writes',
  'Peak RSS MB',
  'Decrypting gets',
  'Gets/min',
];

/** Plans and drift checks from metadata (sync records): held to the metadata bound, 0 decryption. */
const PLAN_IDS = ['plan-empty', 'replan-converged', 'drift-converged', 'plan-changed'];
/** The same converged runs with `--verify values` (every plan before sync records): held to reading every value. */
const VERIFY_IDS = ['replan-verify', 'drift-verify'];
/** Peak RSS of a 100,000-parameter converged plan on a 512 MB host (issue 13; was 425 MB). */
const CONVERGED_RSS_MB = 300;
/** The smallest fleet whose plan calls are judged against the lower bound (issue 13: 10,000 × 3). */
const CALL_TARGET_MIN_N = 10_000;

function limits(r: ScenarioResult): string {
  return r.scale === 0 ? 'off' : `${r.scale}×`;
}

function row(r: ScenarioResult): string[] {
  return [
    r.sample ? `${r.label} *` : r.label,
    fmtNumber(r.n),
    limits(r),
    fmtNumber(r.calls),
    fmtNumber(r.lowerBound),
    fmtRatio(r.lowerBound ? ratio(r.calls, r.lowerBound) : undefined),
    fmtNumber(r.wallS, 1),
    r.tpsBoundS > 0 ? fmtNumber(r.tpsBoundS, 1) : '–',
    fmtRatio(ratio(r.wallS, r.tpsBoundS)),
    `${fmtNumber(r.throttles.seen)}/${fmtNumber(r.throttles.retried)}/${fmtNumber(r.throttles.failed)}`,
    fmtNumber(r.writesToUnchanged),
    fmtPercent(r.writeRateOfLimit),
    fmtNumber(r.failedWrites),
    fmtNumber(r.peakRssMb),
    fmtNumber(r.decryptingGets),
    fmtNumber(r.getsPerMinute),
  ];
}

function find(rows: readonly ScenarioResult[], n: number, id: string): ScenarioResult | undefined {
  return rows.find((r) => r.n === n && r.id === id);
}

/** "ours ÷ seed" rows: calls and wall of comparable scenarios, and the writes a converged run issues. */
function ratioRows(rows: readonly ScenarioResult[], n: number): string[][] {
  const pairs: [string, string, string][] = [
    ['plan, empty destinations ÷ seed dry run', 'plan-empty', 'seed-dry-run'],
    ['apply ÷ seed sync', 'apply', 'seed-sync'],
    ['re-plan converged ÷ seed sync converged', 'replan-converged', 'seed-resync'],
    ['re-plan converged ÷ the same with --verify values', 'replan-converged', 'replan-verify'],
    ['drift converged ÷ the same with --verify values', 'drift-converged', 'drift-verify'],
  ];
  const out: string[][] = [];
  for (const [label, oursId, seedId] of pairs) {
    const ours = find(rows, n, oursId);
    const seed = find(rows, n, seedId);
    if (!ours || !seed) continue;
    const cells = new Array<string>(HEADERS.length).fill('');
    cells[0] = seedId.startsWith('seed') ? `ours ÷ seed: ${label}` : label;
    cells[1] = fmtNumber(n);
    cells[3] = fmtRatio(ratio(ours.calls, seed.calls));
    cells[6] = fmtRatio(ratio(ours.wallS, seed.wallS));
    cells[10] =
      ours.writesToUnchanged !== undefined && seed.writesToUnchanged !== undefined
        ? `${fmtNumber(ours.writesToUnchanged)} vs ${fmtNumber(seed.writesToUnchanged)}`
        : '';
    out.push(cells);
  }
  return out;
}

export function resultsTable(rows: readonly ScenarioResult[]): string {
  const body: string[][] = [];
  for (const n of [...new Set(rows.map((r) => r.n))]) {
    const group = rows.filter((r) => r.n === n);
    body.push(...group.map(row), ...ratioRows(group, n));
  }
  return formatTable(HEADERS, body);
}

/** Calls per operation for each scenario, summed over regions (per region is in the JSON). */
export function operationLines(rows: readonly ScenarioResult[]): string[] {
  return rows.map((r) => {
    const byOp: Record<string, number> = {};
    for (const [key, count] of Object.entries(r.byRegionOperation)) {
      const op = key.slice(key.indexOf(':') + 1);
      byOp[op] = (byOp[op] ?? 0) + count;
    }
    const ops = Object.entries(byOp)
      .sort((a, b) => b[1] - a[1])
      .map(([op, c]) => `${op} ${fmtNumber(c)}`)
      .join(', ');
    return `${r.label} (N=${fmtNumber(r.n)}): ${ops}`;
  });
}

export function targets(rows: readonly ScenarioResult[]): TargetResult[] {
  const out: TargetResult[] = [];
  for (const n of [...new Set(rows.filter((r) => r.who === 'ours' && r.scale > 0).map((r) => r.n))]) {
    const seed = find(rows, n, 'seed-dry-run');
    for (const id of PLAN_IDS) {
      const r = find(rows, n, id);
      if (!r) continue;
      const lb = ratio(r.calls, r.lowerBound ?? 0);
      // Judged at the fleet size issue 13 sets it for. At 1,000 a metadata plan's bound is ~100 calls, and
      // the fixed ones it leaves out (one GetCallerIdentity per region, a last page per path) are 10 %.
      if (n >= CALL_TARGET_MIN_N)
        out.push(
          judge(
            `N=${n} ${r.label}: calls ≤ 1.1 × lower bound`,
            lb,
            1.1,
            'at-most',
            `${r.calls} / ${r.lowerBound} = ${fmtRatio(lb)}`,
          ),
        );
      const wall = ratio(r.wallS, r.tpsBoundS);
      out.push(
        judge(
          `N=${n} ${r.label}: wall ≤ 1.2 × TPS-bound`,
          wall,
          1.2,
          'at-most',
          `${r.wallS.toFixed(1)} s / ${r.tpsBoundS.toFixed(1)} s = ${fmtRatio(wall)}`,
        ),
      );
      const fewer = seed ? ratio(seed.calls, r.calls) : undefined;
      out.push(
        judge(
          `N=${n} ${r.label}: ≥ 10 × fewer calls than the seed`,
          fewer,
          10,
          'at-least',
          `seed ${seed?.calls ?? '–'} / ours ${r.calls} = ${fmtRatio(fewer)}`,
        ),
      );
      out.push(
        judge(
          `N=${n} ${r.label}: 0 GetParameters with decryption, 0 KMS decrypts`,
          (r.decryptingGets ?? Number.NaN) + (r.kmsDecrypts ?? 0),
          0,
          'at-most',
          `${r.decryptingGets ?? '–'} decrypting GetParameters, ${r.kmsDecrypts ?? '–'} KMS decrypts`,
        ),
      );
    }
    for (const id of VERIFY_IDS) {
      const r = find(rows, n, id);
      if (!r) continue;
      const lb = ratio(r.calls, r.lowerBound ?? 0);
      out.push(
        judge(
          `N=${n} ${r.label}: calls ≤ 1.1 × reading every value`,
          lb,
          1.1,
          'at-most',
          `${r.calls} / ${r.lowerBound} = ${fmtRatio(lb)}`,
        ),
      );
    }
    const changed = find(rows, n, 'apply-changed');
    if (changed) {
      // Reads for the changed items only: their sources once, their replicas once per region.
      const items = Math.round(n / 100);
      const bound = Math.ceil(items / 10) * 4;
      out.push(
        judge(
          `N=${n} ${changed.label}: decrypting reads for the changed items only`,
          changed.decryptingGets,
          bound,
          'at-most',
          `${changed.decryptingGets ?? '–'} decrypting GetParameters (bound ${bound}: ${items} sources and their replicas in 3 regions, 10 a call)`,
        ),
      );
    }
    const apply = find(rows, n, 'apply');
    if (apply) {
      const ok = (apply.writeRateOfLimit ?? 0) >= 0.9 && apply.failedWrites === 0;
      out.push({
        target: `N=${n} apply: write rate ≥ 90 % of the limit, 0 failed writes`,
        verdict: apply.writeRateOfLimit === undefined ? 'SKIP' : ok ? 'PASS' : 'FAIL',
        detail: `slowest region ${fmtPercent(apply.writeRateOfLimit)} of ${apply.scale}× limit, ${apply.failedWrites} failed`,
      });
    }
    const converged = find(rows, n, 'replan-converged');
    if (converged) {
      out.push(
        judge(
          `N=${n} re-plan converged: 0 writes`,
          converged.writesToUnchanged,
          0,
          'at-most',
          `${converged.writesToUnchanged} writes`,
        ),
      );
    }
  }
  for (const r of rows.filter((x) => x.id === 'validate')) {
    out.push(judge(`${r.label}: < 5 s`, r.wallS, 5, 'at-most', `${r.wallS.toFixed(1)} s`));
  }
  for (const r of rows.filter((x) => x.id.startsWith('memory-'))) {
    const limit = r.id === 'memory-converged' ? CONVERGED_RSS_MB : 512;
    out.push(
      judge(
        `${r.label}: peak RSS ≤ ${limit} MB`,
        r.peakRssMb,
        limit,
        'at-most',
        `${r.peakRssMb.toFixed(0)} MB`,
      ),
    );
  }
  return out;
}

export function targetLines(results: readonly TargetResult[]): string[] {
  return results.map((t) => `${t.verdict.padEnd(4)}  ${t.target} — ${t.detail}`);
}
