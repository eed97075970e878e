import { isPlanDigest } from '../../plan/plan-file.js';
import { codeSpan, mdText } from '../../render/escape.js';
import { GitHubProtocolError } from './errors.js';
import { decodeMarker, encodeMarker, manifestKey } from './marker.js';
import { cutMarkdown } from './truncate.js';

/**
 * The sticky PR comment, line by line:
 *   0  hidden marker: format version, manifest, plan digest, status
 *   1  one-line summary
 *   2  status line (planned → applying → applied | failed | cancelled)
 *   3  empty
 *   4… the plan body, then a truncation note when it had to be cut
 * Lines 0 and 2 are rewritten in place when the status moves, so the layout is fixed.
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

/** Where the JSON plan of a run is: the run's page and the artifact name the workflow uploaded it as. */
export interface PlanLinks {
  runUrl?: string;
  artifact?: string;
}

export type CommentStatus =
  | ({ state: 'planned' } & PlanLinks)
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
const STATUS_PREFIX = '**Status:** ';

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

function runLink(runUrl: string | undefined, text = 'workflow run'): string {
  return linkable(runUrl) ? ` · [${text}](${runUrl})` : '';
}

function countsText(c: ApplyCounts): string {
  const parts = [`${c.applied} ${c.applied === 1 ? 'change' : 'changes'} written`];
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.drifted) parts.push(`${c.drifted} still differing after apply`);
  return parts.join(', ');
}

export function statusLine(status: CommentStatus): string {
  switch (status.state) {
    case 'planned':
      return `${STATUS_PREFIX}planned · on merge this plan is applied only if the live plan still has the same digest${runLink(status.runUrl, 'plan run')}${artifactNote(status)}`;
    case 'applying':
      return `${STATUS_PREFIX}applying…${runLink(status.runUrl)}`;
    case 'applied':
      return `${STATUS_PREFIX}applied · ${countsText(status.counts)}${runLink(status.runUrl)}`;
    case 'failed':
      return `${STATUS_PREFIX}failed · ${mdText(status.reason, REASON_CHARS)}${runLink(status.runUrl)}`;
    case 'cancelled':
      return `${STATUS_PREFIX}cancelled · the run was stopped before it finished: ${countsText(status.counts)}; the repair workflow applies the rest${runLink(status.runUrl)}`;
  }
}

/** The artifact is named, not linked: its URL has an id known only after the upload step, which runs later. */
function artifactNote(links: PlanLinks): string {
  return links.artifact ? ` · JSON plan: artifact ${codeSpan(links.artifact, 100)}` : '';
}

function summaryLine(manifestPath: string, summary: string | undefined): string {
  const what = summary === undefined ? '' : ` · ${mdText(summary, REASON_CHARS)}`;
  // The trailing backslash is a hard line break, so the status shows on its own line in any renderer.
  return `**ssm-replicate** · ${codeSpan(manifestKey(manifestPath), 500)}${what}\\`;
}

function truncationNote(dropped: number, links: PlanLinks): string {
  const where = linkable(links.runUrl) ? `the [job summary](${links.runUrl})` : 'the job summary';
  const json = links.artifact ? ` and, as JSON, in the artifact ${codeSpan(links.artifact, 100)}` : '';
  return `> [!NOTE]\n> The plan is too long for a comment (${dropped} characters left out). The full plan is in ${where}${json}.`;
}

export interface PlanCommentContent {
  manifestPath: string;
  digest: string;
  body: string;
  summary?: string;
  /** The plan's run: linked from the status line and the truncation note (the job summary is there). */
  runUrl?: string;
  /** The artifact the workflow uploads the JSON plan as; named in the status line and the truncation note. */
  artifact?: string;
  /** Whole comment, default COMMENT_MAX_CHARS; never above GITHUB_COMMENT_LIMIT. */
  maxChars?: number;
}

function planned(links: PlanLinks): CommentStatus {
  return {
    state: 'planned',
    ...(links.runUrl !== undefined ? { runUrl: links.runUrl } : {}),
    ...(links.artifact !== undefined ? { artifact: links.artifact } : {}),
  };
}

export interface BuiltComment {
  text: string;
  truncated: boolean;
}

export function buildPlanComment(
  content: PlanCommentContent,
  status: CommentStatus = planned(content),
): BuiltComment {
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

  const note = truncationNote(body.length, content);
  const budget = max - head.length - note.length - 4;
  if (budget < 0) throw new GitHubProtocolError(`The comment header alone exceeds ${max} characters.`);
  const cut = cutMarkdown(body, budget);
  const text = `${head}\n${cut.text}\n\n${truncationNote(cut.dropped, content)}\n`;
  return { text, truncated: true };
}

/**
 * The same comment with a new status: marker and status line replaced, everything else kept. Throws when
 * the comment does not have the layout above (hand-edited), rather than guess where the status goes.
 */
export function withStatus(comment: string, status: CommentStatus): string {
  const marker = readPlanMarker(comment);
  const lines = comment.replace(/\r\n?/g, '\n').split('\n');
  if (!marker || !lines[2]?.startsWith(STATUS_PREFIX)) {
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
