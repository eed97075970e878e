/**
 * Pure arithmetic and formatting for the benchmark: no I/O, so `test/bench` can check it without timing
 * anything.
 */

/** AWS page and batch sizes the lower bound is built from (DescribeParameters, GetParameters, GetResources). */
export const DESCRIBE_PAGE = 50;
export const GET_BATCH = 10;
export const TAGGING_PAGE = 100;

/**
 * The fewest read calls that can inventory one region holding `parameters` parameters of which `tagged`
 * carry tags: ⌈N/50⌉ + ⌈N/10⌉ + ⌈tagged/100⌉. An empty listing still costs one call to learn it is empty,
 * so each listing counts at least once.
 */
export function lowerBound(parameters: number, tagged: number): number {
  return (
    Math.max(1, Math.ceil(parameters / DESCRIBE_PAGE)) +
    Math.ceil(parameters / GET_BATCH) +
    Math.max(1, Math.ceil(tagged / TAGGING_PAGE))
  );
}

/**
 * The fewest calls that can inventory one region from metadata alone (a plan that proves replicas equal
 * by their sync records): ⌈N/50⌉ DescribeParameters pages + ⌈tagged/100⌉ tagging pages, each at least one.
 */
export function metadataBound(parameters: number, tagged: number): number {
  return Math.max(1, Math.ceil(parameters / DESCRIBE_PAGE)) + Math.max(1, Math.ceil(tagged / TAGGING_PAGE));
}

/** Successful calls in one (region, API family) quota bucket. */
export interface FamilyCount {
  region: string;
  family: string;
  calls: number;
}

/**
 * Seconds the calls need at the configured rates. Every (region, family) has its own quota and they run
 * side by side, so the bound is the slowest bucket, not the sum.
 */
export function tpsBoundSeconds(counts: readonly FamilyCount[], rate: (family: string) => number): number {
  let worst = 0;
  for (const c of counts) worst = Math.max(worst, c.calls / rate(c.family));
  return worst;
}

/** a ÷ b, or undefined when b is zero (nothing to compare against). */
export function ratio(a: number, b: number): number | undefined {
  return b === 0 ? undefined : a / b;
}

/**
 * Writes per second achieved in one region: the calls after the first, over the time from the first
 * arrival to the last (the first call opens the window, so it is not a gap).
 */
export function achievedRate(arrivalsMs: readonly number[]): number | undefined {
  if (arrivalsMs.length < 2) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of arrivalsMs) {
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
  return last > first ? ((arrivalsMs.length - 1) * 1000) / (last - first) : undefined;
}

export function fmtNumber(value: number | undefined, digits = 0): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtRatio(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)}×`;
}

export function fmtPercent(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(0)} %`;
}

/**
 * A Markdown table (so the README can take it verbatim) padded to line up in a terminal. The first
 * column is left-aligned, the others right-aligned, since they hold numbers.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${widths.map((w, i) => (i === 0 ? (cells[i] ?? '').padEnd(w) : (cells[i] ?? '').padStart(w))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export type Verdict = 'PASS' | 'FAIL' | 'SKIP';

export interface TargetResult {
  target: string;
  verdict: Verdict;
  detail: string;
}

/** PASS when `actual` is on the right side of `limit`; SKIP when there is nothing to judge. */
export function judge(
  target: string,
  actual: number | undefined,
  limit: number,
  direction: 'at-most' | 'at-least',
  detail: string,
): TargetResult {
  if (actual === undefined || !Number.isFinite(actual)) return { target, verdict: 'SKIP', detail };
  const ok = direction === 'at-most' ? actual <= limit : actual >= limit;
  return { target, verdict: ok ? 'PASS' : 'FAIL', detail };
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
