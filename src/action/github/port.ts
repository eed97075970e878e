/**
 * The GitHub REST calls the Action makes, and nothing else. The logic in this folder talks only to this
 * interface, so its tests inject an in-memory fake and the real adapter (octokit.ts) stays a thin mapping.
 * Shapes are trimmed to the fields the logic reads, so a fake does not have to invent the rest.
 */

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface IssueComment {
  id: number;
  body: string;
  /** `user.login`; undefined for a deleted ("ghost") account. */
  author: string | undefined;
  htmlUrl?: string;
}

/** One entry of `GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls`. */
export interface AssociatedPullRequest {
  number: number;
  state: 'open' | 'closed';
  /** ISO timestamp; null when the PR was closed without merging or is still open. */
  mergedAt: string | null;
  mergeCommitSha: string | null;
  /** The branch the PR targets (`base.ref`). */
  baseRef: string;
  htmlUrl?: string;
}

export type IssueState = 'open' | 'closed';

export interface Issue {
  number: number;
  state: IssueState;
  title: string;
  body: string;
  author: string | undefined;
  htmlUrl?: string;
}

export interface IssueQuery {
  state: IssueState | 'all';
  /** Login of the issue's author; the API filters on it server-side. */
  creator?: string;
  labels?: readonly string[];
}

export interface IssueChanges {
  title?: string;
  body?: string;
  state?: IssueState;
  /** Only with `state: 'closed'`. */
  stateReason?: 'completed' | 'not_planned';
}

export interface GitHubPort {
  /** Every comment of an issue or PR, oldest first, across all pages. */
  listIssueComments(repo: RepoRef, issueNumber: number): Promise<IssueComment[]>;
  createIssueComment(repo: RepoRef, issueNumber: number, body: string): Promise<IssueComment>;
  updateIssueComment(repo: RepoRef, commentId: number, body: string): Promise<IssueComment>;
  /** Every PR associated with a commit, across all pages. */
  listPullRequestsForCommit(repo: RepoRef, sha: string): Promise<AssociatedPullRequest[]>;
  /** Issues only (pull requests, which the same endpoint returns, are left out), across all pages. */
  listIssues(repo: RepoRef, query: IssueQuery): Promise<Issue[]>;
  createIssue(
    repo: RepoRef,
    issue: { title: string; body: string; labels?: readonly string[] },
  ): Promise<Issue>;
  updateIssue(repo: RepoRef, issueNumber: number, changes: IssueChanges): Promise<Issue>;
}
