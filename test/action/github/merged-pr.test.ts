import { describe, expect, it } from 'vitest';
import { findMergedPullRequest, selectMergedPullRequest } from '../../../src/action/github/merged-pr.js';
import type { AssociatedPullRequest } from '../../../src/action/github/port.js';
import { FakeGitHub, REPO } from './fake-port.js';

const SHA = 'c0ffee0000000000000000000000000000000000';

function pr(number: number, overrides: Partial<AssociatedPullRequest> = {}): AssociatedPullRequest {
  return {
    number,
    state: 'closed',
    mergedAt: '2025-01-01T10:00:00Z',
    mergeCommitSha: `${number}`.padStart(40, '0'),
    baseRef: 'main',
    ...overrides,
  };
}

describe('selectMergedPullRequest', () => {
  it('returns undefined for a direct push with no associated PR', () => {
    expect(selectMergedPullRequest([], SHA, 'main')).toBeUndefined();
  });

  it('returns the one PR merged into the default branch', () => {
    const only = pr(7, { mergeCommitSha: SHA });

    expect(selectMergedPullRequest([only], SHA, 'main')).toBe(only);
  });

  it('ignores an open PR that merely contains the commit', () => {
    const open = pr(8, { state: 'open', mergedAt: null, mergeCommitSha: null });

    expect(selectMergedPullRequest([open], SHA, 'main')).toBeUndefined();
  });

  it('ignores a PR closed without merging', () => {
    expect(selectMergedPullRequest([pr(9, { mergedAt: null })], SHA, 'main')).toBeUndefined();
  });

  it('ignores a PR merged into another branch', () => {
    expect(
      selectMergedPullRequest([pr(10, { baseRef: 'release', mergeCommitSha: SHA })], SHA, 'main'),
    ).toBeUndefined();
  });

  it('prefers the PR whose merge commit is the pushed commit over a more recently merged one', () => {
    const mergedHere = pr(11, { mergeCommitSha: SHA, mergedAt: '2025-01-01T10:00:00Z' });
    const later = pr(12, { mergedAt: '2025-01-02T10:00:00Z' });

    expect(selectMergedPullRequest([later, mergedHere], SHA, 'main')).toBe(mergedHere);
  });

  it('compares the merge commit case-insensitively', () => {
    const mergedHere = pr(13, { mergeCommitSha: SHA.toUpperCase() });

    expect(selectMergedPullRequest([pr(14), mergedHere], SHA, 'main')).toBe(mergedHere);
  });

  it('falls back to the most recently merged PR when none has the pushed commit as its merge commit', () => {
    const older = pr(15, { mergedAt: '2025-01-01T10:00:00Z' });
    const newer = pr(16, { mergedAt: '2025-01-03T10:00:00Z' });
    const open = pr(17, { state: 'open', mergedAt: null, mergeCommitSha: null });

    expect(selectMergedPullRequest([older, open, newer], SHA, 'main')).toBe(newer);
  });

  it('breaks a tie in merge time by the higher PR number', () => {
    const a = pr(18);
    const b = pr(19);

    expect(selectMergedPullRequest([b, a], SHA, 'main')).toBe(b);
  });
});

describe('findMergedPullRequest', () => {
  it('asks GitHub for the PRs of the pushed commit and selects among them', async () => {
    const gh = new FakeGitHub();
    const merged = pr(20, { mergeCommitSha: SHA });
    gh.pullsByCommit.set(SHA, [pr(21, { state: 'open', mergedAt: null }), merged]);

    const found = await findMergedPullRequest(gh, { ...REPO, sha: SHA, defaultBranch: 'main' });

    expect(found?.number).toBe(20);
    expect(gh.calls).toEqual([{ method: 'listPullRequestsForCommit', args: [REPO, SHA] }]);
  });
});
