import type { AssociatedPullRequest, GitHubPort } from './port.js';

/**
 * Which reviewed PR a push to the default branch carries. `/commits/{sha}/pulls` lists every PR that
 * contains the commit, including open PRs whose branch was cut after it and PRs merged elsewhere, so:
 *
 *   1. Only PRs that were merged (`merged_at` set) into the default branch count. An open PR, a closed
 *      unmerged one, or one merged into another branch never reviewed this change for the default branch.
 *   2. Among those, the PR whose `merge_commit_sha` is the pushed commit: the merge commit, squash commit
 *      or last rebased commit GitHub created for it when it was merged.
 *   3. Otherwise the most recently merged (a fast-forward or merge-queue push, where the pushed commit is
 *      not the one GitHub recorded); ties broken by the higher PR number.
 *   4. None left: a direct push, undefined. The caller applies it per `allow-plan-change`.
 */
export function selectMergedPullRequest(
  prs: readonly AssociatedPullRequest[],
  sha: string,
  defaultBranch: string,
): AssociatedPullRequest | undefined {
  const merged = prs.filter((pr) => pr.mergedAt !== null && pr.baseRef === defaultBranch);
  const byRecency = [...merged].sort(
    (a, b) => Date.parse(b.mergedAt ?? '') - Date.parse(a.mergedAt ?? '') || b.number - a.number,
  );
  const wanted = sha.toLowerCase();
  return byRecency.find((pr) => pr.mergeCommitSha?.toLowerCase() === wanted) ?? byRecency[0];
}

export async function findMergedPullRequest(
  port: GitHubPort,
  input: { owner: string; repo: string; sha: string; defaultBranch: string },
): Promise<AssociatedPullRequest | undefined> {
  const prs = await port.listPullRequestsForCommit({ owner: input.owner, repo: input.repo }, input.sha);
  return selectMergedPullRequest(prs, input.sha, input.defaultBranch);
}
