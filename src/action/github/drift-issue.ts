import { inSync, rowInSync, type StatusRow } from '../../jobs/status.js';
import { codeSpan, mdText } from '../../render/escape.js';
import { COMMENT_MAX_CHARS, linkable } from './comment-format.js';
import { decodeMarker, encodeMarker, manifestKey, normalizeBody, sameLogin } from './marker.js';
import type { GitHubPort, Issue, RepoRef } from './port.js';
import { cutMarkdown } from './truncate.js';

/**
 * One drift issue per manifest, kept by the scheduled check: opened (or reopened, so its history stays in
 * one place) and rewritten while replicas drift, closed with a comment once they are back in sync, and left
 * alone while nothing changed. The run link is left out of that comparison, or every run would edit it.
 */

export const DRIFT_FORMAT_VERSION = 1;
const RUN_PREFIX = '<sub>Last checked in ';
const LABEL_CHARS = 100;
const MESSAGE_CHARS = 500;
/** Issue bodies share the comment limit; many replications × regions, each with an error, could pass it. */
const BODY_MAX_CHARS = COMMENT_MAX_CHARS;
const CUT_NOTE = '_More rows than fit in an issue: the full status table is in the job summary._';

export interface DriftIssueInput {
  owner: string;
  repo: string;
  manifestPath: string;
  /** Our bot's login: only issues it opened are ours. */
  botLogin: string;
  rows: readonly StatusRow[];
  runUrl?: string;
  /** Put on a new issue; finding it again never depends on them. */
  labels?: readonly string[];
}

export type DriftIssueAction = 'created' | 'updated' | 'reopened' | 'closed' | 'unchanged' | 'none';

export interface DriftIssueResult {
  action: DriftIssueAction;
  drift: boolean;
  issueNumber?: number;
}

/** `|` ends a table cell even inside a code span unless escaped; mdText output has it escaped already. */
function cellCode(s: string, max = LABEL_CHARS): string {
  return codeSpan(s, max).replace(/\|/g, '\\|');
}

function runLine(runUrl: string | undefined): string | undefined {
  if (!linkable(runUrl)) return undefined;
  return `${RUN_PREFIX}[this workflow run](${runUrl}).</sub>`;
}

function rowState(row: StatusRow): string {
  if (row.failed !== undefined) return `Failed: ${mdText(row.failed, MESSAGE_CHARS)}`;
  if (row.drifted > 0) return 'Drifted';
  if (row.missing > 0) return 'Missing';
  if (row.unmanaged > 0) return 'Unmanaged';
  return 'InSync';
}

function tableRow(row: StatusRow): string {
  // Nothing is known about a region that could not be read: no counts rather than zeros.
  const n = (x: number) => (row.failed !== undefined ? '–' : String(x));
  const cells = [
    cellCode(row.replication),
    rowState(row),
    n(row.inSync),
    n(row.drifted),
    n(row.missing),
    n(row.unmanaged),
  ];
  return `| ${cells.join(' | ')} |`;
}

function heading(row: StatusRow): string {
  const via = row.target.startsWith(`${row.region}|`) ? row.target.slice(row.region.length + 1) : undefined;
  return `#### ${cellCode(row.region)}${via !== undefined ? ` via ${cellCode(via, 300)}` : ''}`;
}

function driftMarker(manifestPath: string): string {
  return encodeMarker({ v: DRIFT_FORMAT_VERSION, kind: 'drift', manifest: manifestKey(manifestPath) });
}

export function driftIssueTitle(manifestPath: string): string {
  return `ssm-replicate: replicas out of sync with ${manifestKey(manifestPath)}`.slice(0, 250);
}

export function renderDriftIssueBody(
  manifestPath: string,
  rows: readonly StatusRow[],
  runUrl?: string,
): string {
  const bad = rows.filter((r) => !rowInSync(r));
  const parts = [
    `${driftMarker(manifestPath)}\n### Replicas differ from ${codeSpan(manifestKey(manifestPath), 500)}`,
    `**${bad.length} of ${rows.length} replication targets are not in sync.** Drifted replicas differ from ` +
      'their source (value, attributes or tags) or should be gone; missing ones do not exist yet. ' +
      'The apply workflow converges them; this issue closes itself once a check finds everything in sync.',
  ];
  const targets = [...new Set(rows.map((r) => r.target))];
  for (const target of targets) {
    const group = rows.filter((r) => r.target === target);
    const first = group[0];
    if (!first) continue;
    parts.push(
      [
        heading(first),
        '',
        '| Replication | Status | In sync | Drifted | Missing | Unmanaged |',
        '| --- | --- | ---: | ---: | ---: | ---: |',
        ...group.map(tableRow),
      ].join('\n'),
    );
  }
  const run = runLine(runUrl);
  const tail = run ? `\n\n${run}\n` : '\n';
  const { text, dropped } = cutMarkdown(
    parts.join('\n\n'),
    BODY_MAX_CHARS - tail.length - CUT_NOTE.length - 2,
  );
  return dropped === 0 ? `${text}${tail}` : `${text}\n\n${CUT_NOTE}${tail}`;
}

/** The body minus its run line: what decides whether the issue needs an edit. */
function content(body: string): string {
  return normalizeBody(body)
    .split('\n')
    .filter((line) => !line.startsWith(RUN_PREFIX))
    .join('\n')
    .trimEnd();
}

/** Ours and for this manifest: the open one (the oldest if a race made two), else the newest closed one. */
export async function findDriftIssue(
  port: GitHubPort,
  input: { owner: string; repo: string; manifestPath: string; botLogin: string },
): Promise<Issue | undefined> {
  const key = manifestKey(input.manifestPath);
  const issues = await port.listIssues(
    { owner: input.owner, repo: input.repo },
    { state: 'all', creator: input.botLogin },
  );
  const ours = issues.filter((i) => {
    const data = decodeMarker(i.body);
    return sameLogin(i.author, input.botLogin) && data?.kind === 'drift' && data.manifest === key;
  });
  const open = ours.filter((i) => i.state === 'open').sort((a, b) => a.number - b.number);
  const closed = ours.filter((i) => i.state === 'closed').sort((a, b) => b.number - a.number);
  return open[0] ?? closed[0];
}

export async function syncDriftIssue(port: GitHubPort, input: DriftIssueInput): Promise<DriftIssueResult> {
  const repo: RepoRef = { owner: input.owner, repo: input.repo };
  const drift = !inSync(input.rows);
  const existing = await findDriftIssue(port, input);

  if (!drift) {
    if (existing?.state !== 'open') return { action: 'none', drift };
    const run = runLine(input.runUrl);
    const note = `Every replica is in sync with ${codeSpan(manifestKey(input.manifestPath), 500)} again; closing.`;
    await port.createIssueComment(repo, existing.number, run ? `${note}\n\n${run}` : note);
    await port.updateIssue(repo, existing.number, { state: 'closed', stateReason: 'completed' });
    return { action: 'closed', drift, issueNumber: existing.number };
  }

  const title = driftIssueTitle(input.manifestPath);
  const body = renderDriftIssueBody(input.manifestPath, input.rows, input.runUrl);
  if (!existing) {
    const created = await port.createIssue(repo, {
      title,
      body,
      ...(input.labels?.length ? { labels: input.labels } : {}),
    });
    return { action: 'created', drift, issueNumber: created.number };
  }
  if (existing.state === 'closed') {
    await port.updateIssue(repo, existing.number, { title, body, state: 'open' });
    return { action: 'reopened', drift, issueNumber: existing.number };
  }
  if (content(existing.body) === content(body) && existing.title === title) {
    return { action: 'unchanged', drift, issueNumber: existing.number };
  }
  await port.updateIssue(repo, existing.number, { title, body });
  return { action: 'updated', drift, issueNumber: existing.number };
}
