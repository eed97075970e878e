import { type DriftFinding, driftFindings } from '../../plan/drift.js';
import { withoutEditor } from '../../plan/sync-record.js';
import type { Plan, PlanItem, RegionPlan } from '../../plan/types.js';
import { codeSpan, mdText } from '../../render/escape.js';
import { plural } from '../../render/summary.js';
import { SUMMARY_MAX_ITEMS_PER_REGION } from '../constants.js';
import { COMMENT_MAX_CHARS, linkable } from './comment-format.js';
import { encodeMarker, manifestKey } from './marker.js';
import { cutMarkdown } from './truncate.js';

/**
 * The drift issue's body: every parameter that differs, region by region, with the kind of difference
 * and, for a value or attributes difference or an unmanaged copy, who last wrote it and when
 * (DescribeParameters' LastModifiedUser and LastModifiedDate; see DriftFinding.modified for why no other
 * kind), so the on-call
 * engineer knows what drifted and whom to ask without running the CLI. All of it is AWS text:
 * names and editors in code spans, reasons and errors escaped.
 */

const DRIFT_FORMAT_VERSION = 1;
export const RUN_PREFIX = '<sub>Last checked in ';
const MESSAGE_CHARS = 500;
const DETAIL_CHARS = 300;
/** An IAM ARN is at most 2048 characters; past 300 a cell is unreadable and likely not an ARN. */
const EDITOR_CHARS = 300;
/** Rows per region before "… and N more"; halved until the body fits. */
const DRIFT_MAX_ROWS = 100;
const MAX_BLOCKERS = 10;
const MAX_UNMANAGED_NAMES = 20;
/** Not the run's URL: a line that changed with every run would make every check edit the issue. */
/** The job summary stops at SUMMARY_MAX_ITEMS_PER_REGION items a region; the CLI shows every one. */
const FULL_PLAN = `\`ssm-replicate drift\` lists every one; the job summary of the run linked below, up to ${SUMMARY_MAX_ITEMS_PER_REGION.toLocaleString('en-US')} per region`;
/**
 * GitHub refuses an issue body over 65,536 characters ("body is too long (maximum is 65536 characters)",
 * https://docs.github.com/rest/issues/issues#create-an-issue); we stay at the comment's margin below it.
 */
export const DRIFT_BODY_MAX_CHARS = COMMENT_MAX_CHARS;

/** `|` ends a table cell even inside a code span unless escaped; mdText output has it escaped already. */
function cellCode(s: string, max: number): string {
  return codeSpan(s, max).replace(/\|/g, '\\|');
}

export function runLine(runUrl: string | undefined): string | undefined {
  if (!linkable(runUrl)) return undefined;
  return `${RUN_PREFIX}[this workflow run](${runUrl}).</sub>`;
}

/**
 * The plan differs from live state, as `status` and the CLI's drift decide: a replica to write or delete,
 * an unmanaged parameter standing where a source is replicated, a region that could not be read, or a
 * blocker (which also keeps a repair from applying). Local parameters (untagged, no source maps to them)
 * are not drift: they are not a copy of anything.
 */
export function hasDrift(plan: Plan): boolean {
  return (
    plan.blockers.length > 0 ||
    plan.regions.some(
      (r) => r.error !== undefined || r.items.length > 0 || (r.unmanagedConflicts?.length ?? 0) > 0,
    )
  );
}

type Kind = DriftFinding['kind'] | 'unmanaged conflict';

const KIND_TEXT: Record<Kind, string> = {
  value: 'value',
  attributes: 'attributes',
  tags: 'tags',
  missing: 'missing',
  unexpected: 'unexpected',
  unmanaged: 'unmanaged',
  'unmanaged conflict': 'unmanaged conflict',
};

interface Row {
  finding: DriftFinding;
  kind: Kind;
  item: PlanItem | undefined;
}

function tagCounts(item: PlanItem): string | undefined {
  if (!item.tags) return undefined;
  const add = Object.keys(item.tags.add).length;
  const change = Object.keys(item.tags.change).length;
  const remove = item.tags.remove.length;
  const parts = [
    add ? `${add} to add` : '',
    change ? `${change} to change` : '',
    remove ? `${remove} to remove` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `tags: ${parts.join(', ')}` : undefined;
}

const NO_TAG_EDITOR = 'tag edits write no parameter version, so AWS names no editor (CloudTrail does)';

/**
 * What differs, in the planner's words: its reasons, whatever they say (source version, outside edit),
 * without the editor and time an outside edit names when the row's own cells show them.
 */
function detail(row: Row): string {
  if (row.kind === 'unmanaged conflict')
    return 'no ownership tag, so its source is not replicated here (adopt: true takes it over)';
  const item = row.item;
  if (!item) return '';
  const parts: string[] = [];
  const add = (reason: string) => {
    const short = row.finding.modified?.user !== undefined ? withoutEditor(reason) : undefined;
    if (!parts.includes(short ?? reason)) parts.push(short ?? reason);
  };
  if (item.reason !== undefined) add(item.reason);
  if (item.action !== 'create') {
    for (const c of item.changes) add(c.reason);
    const tags = item.action === 'tag' || item.action === 'update' ? tagCounts(item) : undefined;
    if (tags) parts.push(tags);
    if (row.kind === 'tags') parts.push(NO_TAG_EDITOR);
  } else if (item.sourceVersion !== undefined) parts.push(`source version ${item.sourceVersion}`);
  return mdText(parts.join('; '), DETAIL_CHARS);
}

/** "2026-12-02 11:26 UTC" from AWS's ISO 8601 date; anything else is shown as the text it is. */
function when(date: string | undefined): string {
  if (date === undefined) return '–';
  const ms = Date.parse(date);
  if (!Number.isFinite(ms)) return cellCode(date, 40);
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function tableRow(row: Row): string {
  const m = row.finding.modified;
  const cells = [
    cellCode(row.finding.name, 2048),
    KIND_TEXT[row.kind],
    m?.user !== undefined ? cellCode(m.user, EDITOR_CHARS) : '–',
    when(m?.date),
    detail(row),
  ];
  return `| ${cells.join(' | ')} |`;
}

function heading(region: RegionPlan): string {
  const via = region.target.startsWith(`${region.region}|`)
    ? ` via ${codeSpan(region.target.slice(region.region.length + 1), 300)}`
    : '';
  const account = region.account !== undefined ? ` · account ${codeSpan(region.account, 100)}` : '';
  return `#### ${codeSpan(region.region, 64)}${via}${account}`;
}

function regionSection(region: RegionPlan, rows: readonly Row[], local: readonly string[], max: number) {
  const parts = [heading(region)];
  if (region.error !== undefined) {
    parts.push(`Could not be read, so nothing is known about it: ${mdText(region.error, MESSAGE_CHARS)}`);
    return parts.join('\n\n');
  }
  if (rows.length > 0) {
    parts.push(
      [
        '| Parameter | Difference | Last written by | Last written | Detail |',
        '| --- | --- | --- | --- | --- |',
        ...rows.slice(0, max).map(tableRow),
      ].join('\n'),
    );
    if (rows.length > max) parts.push(`_… and ${rows.length - max} more in this region (${FULL_PLAN})._`);
  }
  if (local.length > 0) {
    const names = local.slice(0, Math.min(max, MAX_UNMANAGED_NAMES)).map((n) => codeSpan(n));
    const rest = local.length - names.length;
    parts.push(
      `Also ${plural(local.length, 'local parameter')} under the replicated paths, not drift (no ownership tag and no source, never touched): ${names.join(', ')}${rest > 0 ? `, … and ${rest} more` : ''}.`,
    );
  }
  if (region.unchanged > 0) parts.push(`<sub>${plural(region.unchanged, 'replica')} in sync here.</sub>`);
  return parts.join('\n\n');
}

function driftMarker(manifestPath: string): string {
  return encodeMarker({ v: DRIFT_FORMAT_VERSION, kind: 'drift', manifest: manifestKey(manifestPath) });
}

export function driftIssueTitle(manifestPath: string): string {
  return `ssm-replicate: replicas out of sync with ${manifestKey(manifestPath)}`.slice(0, 250);
}

/** "value: 2, missing: 1", in the order of KIND_TEXT. */
function kindCounts(rows: readonly Row[]): string {
  const counts = new Map<Kind, number>();
  for (const r of rows) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return (Object.keys(KIND_TEXT) as Kind[])
    .filter((k) => counts.has(k))
    .map((k) => `${KIND_TEXT[k]}: ${counts.get(k)}`)
    .join(', ');
}

interface DriftBodyOptions {
  runUrl?: string;
  repairUrl?: string;
  /** Rows per region before "… and N more"; default DRIFT_MAX_ROWS. */
  maxRows?: number;
}

/** Rows of every region, by target, in plan order, and its local (untagged, sourceless) names. */
function rowsByTarget(plan: Plan): Map<string, { rows: Row[]; local: string[] }> {
  const items = new Map<string, PlanItem>();
  for (const r of plan.regions) for (const i of r.items) items.set(`${r.target}\n${i.name}`, i);
  const out = new Map(
    plan.regions.map((r) => {
      const conflicts = new Set(r.unmanagedConflicts);
      return [r.target, { rows: [] as Row[], local: r.unmanaged.filter((n) => !conflicts.has(n)) }];
    }),
  );
  // Nothing is known about a region that could not be read: its section says so, and it has no rows.
  const unread = new Set(plan.regions.filter((r) => r.error !== undefined).map((r) => r.target));
  for (const finding of driftFindings(plan)) {
    const entry = out.get(finding.target);
    if (!entry || unread.has(finding.target)) continue;
    // driftFindings names an unmanaged parameter only where a source is replicated to it.
    const kind: Kind = finding.kind === 'unmanaged' ? 'unmanaged conflict' : finding.kind;
    entry.rows.push({ finding, kind, item: items.get(`${finding.target}\n${finding.name}`) });
  }
  return out;
}

/** How many parameters differ, where and how: the words of the issue's first line. */
function differences(byTarget: Map<string, { rows: Row[] }>): { count: string; where: string } | undefined {
  const rows = [...byTarget.values()].flatMap((e) => e.rows);
  if (rows.length === 0) return undefined;
  const regions = [...byTarget.values()].filter((e) => e.rows.length > 0).length;
  return {
    count: `${plural(rows.length, 'parameter')} ${rows.length === 1 ? 'differs' : 'differ'}`,
    where: `in ${plural(regions, 'region')} (${kindCounts(rows)})`,
  };
}

/**
 * "2 parameters differ in 1 region (value: 1, missing: 1)", as the issue's first line says it, for the
 * run's annotation; undefined when no parameter differs (a blocker or an unreadable region alone).
 */
export function driftHeadline(plan: Plan): string | undefined {
  const found = differences(rowsByTarget(plan));
  return found && `${found.count} ${found.where}`;
}

export function renderDriftIssueBody(
  manifestPath: string,
  plan: Plan,
  options: DriftBodyOptions = {},
): string {
  const byTarget = rowsByTarget(plan);
  const found = differences(byTarget);
  const unreadable = plan.regions.filter((r) => r.error !== undefined).length;
  const what = found ? `**${found.count}** ${found.where}.` : '**No parameter differs.**';
  const lost = unreadable > 0 ? ` ${plural(unreadable, 'region')} could not be read.` : '';
  const synced = plan.summary.unchanged > 0 ? ` ${plural(plan.summary.unchanged, 'replica')} in sync.` : '';
  const repair = linkable(options.repairUrl)
    ? ` The [repair workflow](${options.repairUrl}) converges them.`
    : ' The apply workflow converges them.';
  const intro = [
    `${driftMarker(manifestPath)}\n### Replicas differ from ${codeSpan(manifestKey(manifestPath), 500)}`,
    `${what}${lost}${synced}${repair} This issue is updated by each check and closes itself once everything is in sync.`,
  ];
  if (plan.blockers.length > 0) {
    const bullets = plan.blockers
      .slice(0, MAX_BLOCKERS)
      .map((b) => `> - ${codeSpan(b.code, 100)}: ${mdText(b.message, MESSAGE_CHARS)}`);
    const more =
      plan.blockers.length > MAX_BLOCKERS ? [`> - … and ${plan.blockers.length - MAX_BLOCKERS} more`] : [];
    intro.push(
      ['> [!CAUTION]', '> **A repair is blocked** until these are fixed:', ...bullets, ...more].join('\n'),
    );
  }
  const run = runLine(options.runUrl);
  const tail = run ? `\n\n${run}\n` : '\n';
  const render = (max: number) => {
    const sections = plan.regions
      .map((r) => {
        const entry = byTarget.get(r.target) ?? { rows: [], local: [] };
        if (r.error === undefined && entry.rows.length === 0) return undefined;
        return regionSection(r, entry.rows, entry.local, max);
      })
      .filter((s) => s !== undefined);
    return [...intro, ...sections].join('\n\n');
  };
  const budget = DRIFT_BODY_MAX_CHARS - tail.length;
  let max = Math.max(0, Math.floor(options.maxRows ?? DRIFT_MAX_ROWS));
  let text = render(max);
  while (text.length > budget && max > 0) {
    max = Math.floor(max / 2);
    text = render(max);
  }
  // The safety net for a plan whose region count alone passes the budget: cut on whole lines.
  const note = `_More regions differ than fit in an issue: ${FULL_PLAN}._`;
  const cut = cutMarkdown(text, budget - note.length - 2);
  return cut.dropped === 0 ? `${text}${tail}` : `${cut.text}\n\n${note}${tail}`;
}
