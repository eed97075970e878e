import {
  buildPlanComment,
  type CommentStatus,
  type PlanMarker,
  type PlanVerdict,
  readPlanMarker,
  withStatus,
} from './comment-format.js';
import { manifestKey, normalizeBody, sameLogin } from './marker.js';
import type { GitHubPort, IssueComment, RepoRef } from './port.js';

/**
 * The sticky PR comment protocol: one comment per manifest per PR, written by our bot, found again by its
 * marker across every page of comments, updated in place, and left alone when nothing in it changed.
 */

export interface PlanCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  manifestPath: string;
  /**
   * Login the token posts as (`github-actions[bot]` for GITHUB_TOKEN). Only its comments count, so a
   * person quoting the marker can neither be overwritten nor forge a reviewed digest.
   */
  botLogin: string;
}

export interface UpsertPlanCommentInput extends PlanCommentTarget {
  /** The rendered plan (planCommentBody); the header lines are added here. */
  body: string;
  digest: string;
  /** One-line summary (briefSummary(plan)). */
  summary?: string;
  /** The run that planned: linked from the status line and wherever the comment points at the full plan. */
  runUrl?: string;
  /** The run's artifact with the full plan (PLAN_ARTIFACT), named when the comment is cut. */
  artifact?: string;
  /** What merging does (commentVerdict(plan)), said on the status line. */
  verdict?: PlanVerdict;
  maxChars?: number;
}

export interface UpsertResult {
  action: 'created' | 'updated' | 'unchanged';
  commentId: number;
  truncated: boolean;
}

export interface FoundPlanComment {
  comment: IssueComment;
  marker: PlanMarker;
}

const repoOf = (t: PlanCommentTarget): RepoRef => ({ owner: t.owner, repo: t.repo });

/**
 * Our comment for this manifest, or undefined. With several (two runs raced to create one), the oldest
 * wins, so every run settles on the same comment.
 */
export async function findPlanComment(
  port: GitHubPort,
  target: PlanCommentTarget,
): Promise<FoundPlanComment | undefined> {
  const key = manifestKey(target.manifestPath);
  const comments = await port.listIssueComments(repoOf(target), target.issueNumber);
  for (const comment of comments) {
    if (!sameLogin(comment.author, target.botLogin)) continue;
    const marker = readPlanMarker(comment.body);
    if (marker?.manifest === key) return { comment, marker };
  }
  return undefined;
}

export async function upsertPlanComment(
  port: GitHubPort,
  input: UpsertPlanCommentInput,
): Promise<UpsertResult> {
  const built = buildPlanComment({
    manifestPath: input.manifestPath,
    digest: input.digest,
    body: input.body,
    ...(input.summary !== undefined ? { summary: input.summary } : {}),
    ...(input.runUrl !== undefined ? { runUrl: input.runUrl } : {}),
    ...(input.artifact !== undefined ? { artifact: input.artifact } : {}),
    ...(input.verdict !== undefined ? { verdict: input.verdict } : {}),
    ...(input.maxChars !== undefined ? { maxChars: input.maxChars } : {}),
  });
  const found = await findPlanComment(port, input);
  if (!found) {
    const created = await port.createIssueComment(repoOf(input), input.issueNumber, built.text);
    return { action: 'created', commentId: created.id, truncated: built.truncated };
  }
  if (normalizeBody(found.comment.body) === built.text) {
    return { action: 'unchanged', commentId: found.comment.id, truncated: built.truncated };
  }
  await port.updateIssueComment(repoOf(input), found.comment.id, built.text);
  return { action: 'updated', commentId: found.comment.id, truncated: built.truncated };
}

/** The plan digest the reviewers saw, from our sticky comment; undefined when the PR has none. */
export async function readReviewedDigest(
  port: GitHubPort,
  target: PlanCommentTarget,
): Promise<string | undefined> {
  return (await findPlanComment(port, target))?.marker.digest;
}

export type StatusResult = 'updated' | 'unchanged' | 'missing';

/**
 * Moves the status line (and the marker's status) of our comment; the plan body stays as reviewed.
 * `missing` when the PR has no comment of ours for this manifest: nothing to update, not an error.
 */
export async function setCommentStatus(
  port: GitHubPort,
  target: PlanCommentTarget & { status: CommentStatus },
): Promise<StatusResult> {
  const found = await findPlanComment(port, target);
  if (!found) return 'missing';
  const text = withStatus(found.comment.body, target.status);
  if (text === normalizeBody(found.comment.body)) return 'unchanged';
  await port.updateIssueComment(repoOf(target), found.comment.id, text);
  return 'updated';
}
