import { getOctokit } from '@actions/github';
import type {
  AssociatedPullRequest,
  GitHubPort,
  Issue,
  IssueChanges,
  IssueComment,
  IssueQuery,
  RepoRef,
} from './port.js';

type Octokit = ReturnType<typeof getOctokit>;

export interface OctokitPortOptions {
  token: string;
  /**
   * GITHUB_API_URL, read by the shell. Passed explicitly because `@actions/github` reads it once at import
   * time, which is too early for tests and wrong for anything that sets it later (GHES, fixtures server).
   */
  baseUrl: string;
  userAgent?: string;
}

/** The largest page GitHub serves; fewer round trips on long PR threads. */
const PER_PAGE = 100;

interface RawUser {
  login: string;
}
interface RawComment {
  id: number;
  body?: string | undefined;
  user: RawUser | null;
  html_url: string;
}
interface RawIssue {
  number: number;
  state: string;
  title: string;
  body?: string | null | undefined;
  user: RawUser | null;
  html_url: string;
  pull_request?: unknown;
}

function comment(raw: RawComment): IssueComment {
  return { id: raw.id, body: raw.body ?? '', author: raw.user?.login, htmlUrl: raw.html_url };
}

function issue(raw: RawIssue): Issue {
  return {
    number: raw.number,
    state: raw.state === 'closed' ? 'closed' : 'open',
    title: raw.title,
    body: raw.body ?? '',
    author: raw.user?.login,
    htmlUrl: raw.html_url,
  };
}

export function createOctokitPort(options: OctokitPortOptions): GitHubPort {
  const octokit: Octokit = getOctokit(options.token, {
    baseUrl: options.baseUrl,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  return new OctokitPort(octokit);
}

export class OctokitPort implements GitHubPort {
  constructor(private readonly octokit: Octokit) {}

  async listIssueComments(repo: RepoRef, issueNumber: number): Promise<IssueComment[]> {
    const raw = await this.octokit.paginate(this.octokit.rest.issues.listComments, {
      ...repo,
      issue_number: issueNumber,
      per_page: PER_PAGE,
    });
    return raw.map(comment);
  }

  async createIssueComment(repo: RepoRef, issueNumber: number, body: string): Promise<IssueComment> {
    const { data } = await this.octokit.rest.issues.createComment({
      ...repo,
      issue_number: issueNumber,
      body,
    });
    return comment(data);
  }

  async updateIssueComment(repo: RepoRef, commentId: number, body: string): Promise<IssueComment> {
    const { data } = await this.octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body });
    return comment(data);
  }

  async listPullRequestsForCommit(repo: RepoRef, sha: string): Promise<AssociatedPullRequest[]> {
    const raw = await this.octokit.paginate(this.octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
      ...repo,
      commit_sha: sha,
      per_page: PER_PAGE,
    });
    return raw.map((pr) => ({
      number: pr.number,
      state: pr.state === 'closed' ? 'closed' : 'open',
      mergedAt: pr.merged_at,
      mergeCommitSha: pr.merge_commit_sha,
      baseRef: pr.base.ref,
      htmlUrl: pr.html_url,
    }));
  }

  async listIssues(repo: RepoRef, query: IssueQuery): Promise<Issue[]> {
    const raw = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, {
      ...repo,
      state: query.state,
      ...(query.creator ? { creator: query.creator } : {}),
      ...(query.labels?.length ? { labels: query.labels.join(',') } : {}),
      per_page: PER_PAGE,
    });
    return raw.filter((i) => !i.pull_request).map(issue);
  }

  async createIssue(
    repo: RepoRef,
    input: { title: string; body: string; labels?: readonly string[] },
  ): Promise<Issue> {
    const { data } = await this.octokit.rest.issues.create({
      ...repo,
      title: input.title,
      body: input.body,
      ...(input.labels?.length ? { labels: [...input.labels] } : {}),
    });
    return issue(data);
  }

  async updateIssue(repo: RepoRef, issueNumber: number, changes: IssueChanges): Promise<Issue> {
    const { data } = await this.octokit.rest.issues.update({
      ...repo,
      issue_number: issueNumber,
      ...(changes.title !== undefined ? { title: changes.title } : {}),
      ...(changes.body !== undefined ? { body: changes.body } : {}),
      ...(changes.state ? { state: changes.state } : {}),
      ...(changes.stateReason ? { state_reason: changes.stateReason } : {}),
    });
    return issue(data);
  }
}
