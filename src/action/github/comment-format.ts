import { isPlanDigest } from '../../plan/plan-file.js';
import type { Plan } from '../../plan/types.js';
import { codeSpan, mdText } from '../../render/escape.js';
import { renderMarkdown } from '../../render/markdown.js';
import { GitHubProtocolError } from './errors.js';
import { decodeMarker, encodeMarker, manifestKey } from './marker.js';
import { cutMarkdown } from './truncate.js';

/**
 * The sticky PR comment, line by line:
 *   0  hidden marker: format version, manifest, plan digest, status
 *   1  manifest and the plan's counts: the only place they appear
 *   2  status line: an icon, the state and its run (planned → applying → applied | failed | cancelled)
 *   3  empty
 *   4… the plan body (renderMarkdown without its own header), then a truncation note when it was cut
 * Lines 0 and 2 are rewritten in place when the status moves, so the layout is fixed. Comments written
 * before the icons (status line `**Status:** …`) keep moving: the status line is found by either form.
 */

export const COMMENT_FORMAT_VERSION = 1;
/** GitHub rejects a longer comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What we aim for: a margin under the limit for a longer status line later. */
export const COMMENT_MAX_CHARS = 60_000;
/**
 * Room for the marker, summary, status and truncation note. Render the plan body with
 * `maxChars: COMMENT_MAX_CHARS - COMMENT_HEADER_RESERVE` and it is never cut here.
 */
export const COMMENT_HEADER_RESERVE = 3_000;
const REASON_CHARS = 1_000;

export type CommentState = 'planned' | 'applying' | 'applied' | 'failed' | 'cancelled';

export interface ApplyCounts {
  applied: number;
  failed: number;
  skipped: number;
  drifted: number;
}

/**
 * What merging the planned comment would do, for its status line: write the changes, write nothing,
 * nothing until the blockers are fixed, or only the regions that could be read. The marker keeps
 * `planned` for all four.
 */
export type PlanVerdict = 'changes' | 'no-changes' | 'blocked' | 'incomplete';

/**
 * A blocked plan is never applied; one with an unreadable region plans nothing there (its apply writes
 * the other regions, then fails); one without items writes nothing.
 */
export function commentVerdict(plan: Plan): PlanVerdict {
  if (plan.blockers.length > 0) return 'blocked';
  if (plan.regions.some((r) => r.error !== undefined)) return 'incomplete';
  return plan.regions.some((r) => r.items.length > 0) ? 'changes' : 'no-changes';
}

export type CommentStatus =
  /** `runUrl` is the run that planned; buildPlanComment fills it (and the verdict) from the content. */
  | { state: 'planned'; runUrl?: string; artifact?: string; verdict?: PlanVerdict }
  | { state: 'applying'; runUrl?: string }
  | { state: 'applied'; runUrl?: string; counts: ApplyCounts }
  | { state: 'failed'; runUrl?: string; reason: string }
  /** The runner stopped the apply (cancel, timeout): `counts` is what it wrote before it stopped. */
  | { state: 'cancelled'; runUrl?: string; counts: ApplyCounts };

export interface PlanMarker {
  v: typeof COMMENT_FORMAT_VERSION;
  manifest: string;
  digest: string;
  status: CommentState;
}

const STATES: readonly string[] = ['planned', 'applying', 'applied', 'failed', 'cancelled'];
/** The status line: an icon, then the state in bold; or the first format's `**Status:** ` prefix. */
const STATUS_LINE = /^(\*\*Status:\*\* |\p{Extended_Pictographic}\uFE0F? \*\*[A-Z][a-z]+\*\*)/u;
/** The run's artifact holding the full plan, as the shipped plan workflow uploads it. */
export const PLAN_ARTIFACT = 'ssm-replicate-plan';

export function planMarker(manifestPath: string, digest: string, status: CommentState): string {
  const data: PlanMarker = { v: COMMENT_FORMAT_VERSION, manifest: manifestKey(manifestPath), digest, status };
  return encodeMarker({ ...data });
}

/** The marker of a plan comment, or undefined for any other text (including a newer format we cannot read). */
export function readPlanMarker(body: string): PlanMarker | undefined {
  const data = decodeMarker(body);
  if (!data || data.v !== COMMENT_FORMAT_VERSION) return undefined;
  const { manifest, digest, status } = data;
  // The digest is what a merge applies against: one not of the plan schema's form was not written by us.
  if (typeof manifest !== 'string' || !isPlanDigest(digest) || typeof status !== 'string') return undefined;
  if (!STATES.includes(status)) return undefined;
  return { v: COMMENT_FORMAT_VERSION, manifest, digest, status: status as CommentState };
}

/** Only an http(s) URL that cannot break out of the `[text](url)` syntax is linked (the shell builds it). */
export function linkable(url: string | undefined): url is string {
  return url !== undefined && /^https?:\/\/[^\s()<>[\]"'`\\]+$/.test(url);
}

/** " in [workflow run](url)", or nothing when the run is not known (or not a URL we link). */
function inRun(runUrl: string | undefined): string {
  return linkable(runUrl) ? ` in [workflow run](${runUrl})` : '';
}

function countsText(c: ApplyCounts): string {
  const parts = [`${c.applied} ${c.applied === 1 ? 'change' : 'changes'} written`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.drifted) parts.push(`${c.drifted} still differing after apply`);
  return parts.join(', ');
}

/**
 * One line a reviewer reads first: an icon for the state (as dflook's terraform actions and Atlantis
 * lead with one), the state, the run it happened in, and what it means.
 */
export function statusLine(status: CommentStatus): string {
  switch (status.state) {
    case 'planned': {
      const where = `${inRun(status.runUrl)}${status.artifact === undefined ? '' : ` (JSON plan: artifact ${codeSpan(status.artifact, 100)})`}`;
      if (status.verdict === 'blocked')
        return `🛑 **Blocked**${where}: merging applies nothing until the blockers below are fixed and the plan runs again.`;
      // The digest records which regions were unreadable: a merge applies only while the same ones are.
      if (status.verdict === 'incomplete')
        return `⚠️ **Incomplete**${where}: a region could not be read, so nothing is planned there (see the warning). Merging applies the other regions only if the live plan still has the same digest.`;
      if (status.verdict === 'no-changes')
        return `📝 **Planned**${where}: no changes, so merging writes nothing.`;
      return `📝 **Planned**${where}. Merging applies this plan only if the live plan still has the same digest.`;
    }
    case 'applying':
      return `⏳ **Applying**${inRun(status.runUrl)}…`;
    case 'applied':
      return `✅ **Applied**${inRun(status.runUrl)}: ${countsText(status.counts)}.`;
    case 'failed':
      return `❌ **Failed**${inRun(status.runUrl)}: ${mdText(status.reason, REASON_CHARS)}`;
    case 'cancelled':
      return `⏹️ **Cancelled**${inRun(status.runUrl)}: the run was stopped before it finished, ${countsText(status.counts)}; the repair workflow applies the rest.`;
  }
}

function summaryLine(manifestPath: string, summary: string | undefined): string {
  const what = summary === undefined ? '' : `: ${mdText(summary, REASON_CHARS)}`;
  // The trailing backslash is a hard line break, so the status shows on its own line in any renderer.
  return `**ssm-replicate plan** for ${codeSpan(manifestKey(manifestPath), 500)}${what}\\`;
}

/**
 * Where the whole plan is when the comment shows part of it, as Markdown: the run's job summary and
 * its plan artifact, linked when the run is known.
 */
export function fullPlanPointer(runUrl: string | undefined, artifact: string | undefined): string {
  const run = linkable(runUrl) ? `the [workflow run](${runUrl})` : 'the workflow run';
  const file = artifact !== undefined ? ` and its ${codeSpan(artifact, 100)} artifact` : '';
  return `the full plan is in the job summary of ${run}${file}`;
}

function truncationNote(dropped: number, runUrl: string | undefined, artifact: string | undefined): string {
  const where = fullPlanPointer(runUrl, artifact);
  return `> [!NOTE]\n> The plan is too long for a comment (${dropped} characters left out): ${where}.`;
}

export interface PlanCommentContent {
  manifestPath: string;
  digest: string;
  body: string;
  summary?: string;
  /** The run that planned: linked from the planned status and from every pointer to the full plan. */
  runUrl?: string;
  /** The run's artifact holding the full plan (PLAN_ARTIFACT), named where the comment is cut. */
  artifact?: string;
  /** What merging does (commentVerdict(plan)), said on the planned status line. Default: changes. */
  verdict?: PlanVerdict;
  /** Whole comment, default COMMENT_MAX_CHARS; never above GITHUB_COMMENT_LIMIT. */
  maxChars?: number;
}

export interface BuiltComment {
  text: string;
  truncated: boolean;
}

/** The plan as the comment's body: no header of its own (the comment's lines 1-2 are it), sized to fit. */
export function planCommentBody(
  plan: Plan,
  content: { runUrl?: string; artifact?: string; ownershipTag?: { key: string; value: string } },
): string {
  return renderMarkdown(plan, {
    header: false,
    maxChars: COMMENT_MAX_CHARS - COMMENT_HEADER_RESERVE,
    moreHint: fullPlanPointer(content.runUrl, content.artifact),
    ...(content.ownershipTag ? { ownershipTag: content.ownershipTag } : {}),
  });
}

/** A planned status takes the run, artifact and verdict it was not given from the comment's content. */
function filled(given: CommentStatus, content: PlanCommentContent): CommentStatus {
  if (given.state !== 'planned') return given;
  const run =
    given.runUrl === undefined && content.runUrl !== undefined
      ? { runUrl: content.runUrl, ...(content.artifact === undefined ? {} : { artifact: content.artifact }) }
      : {};
  const verdict = given.verdict ?? content.verdict;
  return { ...given, ...run, ...(verdict === undefined ? {} : { verdict }) };
}

export function buildPlanComment(
  content: PlanCommentContent,
  given: CommentStatus = { state: 'planned' },
): BuiltComment {
  const status = filled(given, content);
  const max = Math.min(content.maxChars ?? COMMENT_MAX_CHARS, GITHUB_COMMENT_LIMIT);
  const head = [
    planMarker(content.manifestPath, content.digest, status.state),
    summaryLine(content.manifestPath, content.summary),
    statusLine(status),
    '',
  ].join('\n');
  const body = content.body.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  const whole = `${head}\n${body}\n`;
  if (whole.length <= max) return { text: whole, truncated: false };

  const note = truncationNote(body.length, content.runUrl, content.artifact);
  const budget = max - head.length - note.length - 4;
  if (budget < 0) throw new GitHubProtocolError(`The comment header alone exceeds ${max} characters.`);
  const cut = cutMarkdown(body, budget);
  const text = `${head}\n${cut.text}\n\n${truncationNote(cut.dropped, content.runUrl, content.artifact)}\n`;
  return { text, truncated: true };
}

/**
 * The same comment with a new status: marker and status line replaced, everything else kept. Throws when
 * the comment does not have the layout above (hand-edited), rather than guess where the status goes.
 */
export function withStatus(comment: string, status: CommentStatus): string {
  const marker = readPlanMarker(comment);
  const lines = comment.replace(/\r\n?/g, '\n').split('\n');
  if (!marker || !STATUS_LINE.test(lines[2] ?? '')) {
    throw new GitHubProtocolError(
      'The plan comment does not have the expected layout; cannot set its status.',
    );
  }
  lines[0] = planMarker(marker.manifest, marker.digest, status.state);
  lines[2] = statusLine(status);
  const text = lines.join('\n');
  if (text.length > GITHUB_COMMENT_LIMIT) {
    throw new GitHubProtocolError(`The plan comment would exceed ${GITHUB_COMMENT_LIMIT} characters.`);
  }
  return text;
}
