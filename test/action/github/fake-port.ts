import type {
  AssociatedPullRequest,
  GitHubPort,
  Issue,
  IssueChanges,
  IssueComment,
  IssueQuery,
  RepoRef,
} from '../../../src/action/github/port.js';

export const BOT = 'github-actions[bot]';
export const REPO: RepoRef = { owner: 'acme', repo: 'params' };

export interface Call {
  method: keyof GitHubPort;
  args: unknown[];
}

const WRITES: ReadonlySet<keyof GitHubPort> = new Set([
  'createIssueComment',
  'updateIssueComment',
  'createIssue',
  'updateIssue',
]);

/**
 * GitHub in memory: comments per issue number, issues, and PRs per commit. It records every call, so a
 * test can assert that nothing was written, and writes as `login` (our bot unless a test says otherwise).
 */
export class FakeGitHub implements GitHubPort {
  readonly calls: Call[] = [];
  readonly comments = new Map<number, IssueComment[]>();
  readonly issues: Issue[] = [];
  readonly pullsByCommit = new Map<string, AssociatedPullRequest[]>();
  login = BOT;
  private nextId = 1000;

  get writes(): Call[] {
    return this.calls.filter((c) => WRITES.has(c.method));
  }

  /** Seeds a comment as `author` without recording a call. */
  addComment(issueNumber: number, author: string | undefined, body: string): IssueComment {
    const comment: IssueComment = { id: this.nextId++, body, author };
    this.comments.set(issueNumber, [...(this.comments.get(issueNumber) ?? []), comment]);
    return comment;
  }

  addIssue(issue: Omit<Issue, 'number'> & { number?: number }): Issue {
    const full: Issue = { ...issue, number: issue.number ?? this.nextId++ };
    this.issues.push(full);
    return full;
  }

  commentsOn(issueNumber: number): IssueComment[] {
    return this.comments.get(issueNumber) ?? [];
  }

  private record(method: keyof GitHubPort, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  async listIssueComments(repo: RepoRef, issueNumber: number): Promise<IssueComment[]> {
    this.record('listIssueComments', repo, issueNumber);
    return this.commentsOn(issueNumber).map((c) => ({ ...c }));
  }

  async createIssueComment(repo: RepoRef, issueNumber: number, body: string): Promise<IssueComment> {
    this.record('createIssueComment', repo, issueNumber, body);
    return { ...this.addComment(issueNumber, this.login, body) };
  }

  async updateIssueComment(repo: RepoRef, commentId: number, body: string): Promise<IssueComment> {
    this.record('updateIssueComment', repo, commentId, body);
    for (const list of this.comments.values()) {
      const found = list.find((c) => c.id === commentId);
      if (found) {
        found.body = body;
        return { ...found };
      }
    }
    throw new Error(`404: no comment ${commentId}`);
  }

  async listPullRequestsForCommit(repo: RepoRef, sha: string): Promise<AssociatedPullRequest[]> {
    this.record('listPullRequestsForCommit', repo, sha);
    return this.pullsByCommit.get(sha) ?? [];
  }

  async listIssues(repo: RepoRef, query: IssueQuery): Promise<Issue[]> {
    this.record('listIssues', repo, query);
    return this.issues
      .filter((i) => query.state === 'all' || i.state === query.state)
      .filter((i) => query.creator === undefined || i.author === query.creator)
      .map((i) => ({ ...i }));
  }

  async createIssue(
    repo: RepoRef,
    input: { title: string; body: string; labels?: readonly string[] },
  ): Promise<Issue> {
    this.record('createIssue', repo, input);
    return { ...this.addIssue({ title: input.title, body: input.body, state: 'open', author: this.login }) };
  }

  async updateIssue(repo: RepoRef, issueNumber: number, changes: IssueChanges): Promise<Issue> {
    this.record('updateIssue', repo, issueNumber, changes);
    const found = this.issues.find((i) => i.number === issueNumber);
    if (!found) throw new Error(`404: no issue ${issueNumber}`);
    if (changes.title !== undefined) found.title = changes.title;
    if (changes.body !== undefined) found.body = changes.body;
    if (changes.state !== undefined) found.state = changes.state;
    return { ...found };
  }
}
