import type { Plan } from '../../plan/types.js';
import { codeSpan } from '../../render/escape.js';
import { driftIssueTitle, hasDrift, RUN_PREFIX, renderDriftIssueBody, runLine } from './drift-issue-body.js';
import { decodeMarker, manifestKey, normalizeBody, sameLogin } from './marker.js';
import type { GitHubPort, Issue, RepoRef } from './port.js';

export {
  DRIFT_BODY_MAX_CHARS,
  driftHeadline,
  driftIssueTitle,
  hasDrift,
  renderDriftIssueBody,
} from './drift-issue-body.js';

/**
 * One drift issue per manifest, kept by the scheduled check: opened (or reopened, so its history stays in
 * one place) and rewritten while replicas drift, closed with a comment once they are back in sync, and left
 * alone while nothing changed. The run link is left out of that comparison, or every run would edit it.
 */

export interface DriftIssueInput {
  owner: string;
  repo: string;
  manifestPath: string;
  /** Our bot's login: only issues it opened are ours. */
  botLogin: string;
  /** The drift check's plan (already redacted): what differs is what it would change. */
  plan: Plan;
  runUrl?: string;
  /** The repair workflow's page (`<server>/<owner>/<repo>/actions/workflows/<file>`). */
  repairUrl?: string;
  /** Put on a new issue; finding it again never depends on them. */
  labels?: readonly string[];
}

export type DriftIssueAction = 'created' | 'updated' | 'reopened' | 'closed' | 'unchanged' | 'none';

export interface DriftIssueResult {
  action: DriftIssueAction;
  drift: boolean;
  issueNumber?: number;
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
  const drift = hasDrift(input.plan);
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
  const body = renderDriftIssueBody(input.manifestPath, input.plan, {
    ...(input.runUrl !== undefined ? { runUrl: input.runUrl } : {}),
    ...(input.repairUrl !== undefined ? { repairUrl: input.repairUrl } : {}),
  });
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
