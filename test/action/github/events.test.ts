import { describe, expect, it } from 'vitest';
import { EventPayloadError } from '../../../src/action/github/errors.js';
import { isForkPullRequest, routeEvent } from '../../../src/action/github/events.js';

const BASE_REPO = { id: 1, full_name: 'acme/params' };
const FORK_REPO = { id: 2, full_name: 'stranger/params' };
const SHA = 'c0ffee0000000000000000000000000000000000';

function prPayload(headRepo: unknown = BASE_REPO, action = 'synchronize') {
  return {
    action,
    number: 5,
    pull_request: {
      number: 5,
      head: { sha: SHA, ref: 'feature', repo: headRepo },
      base: { ref: 'main', repo: BASE_REPO },
    },
    repository: { ...BASE_REPO, default_branch: 'main' },
  };
}

function pushPayload(ref = 'refs/heads/main', extra: Record<string, unknown> = {}) {
  return { ref, after: SHA, deleted: false, repository: { ...BASE_REPO, default_branch: 'main' }, ...extra };
}

describe('routeEvent in mode auto', () => {
  it.each(['pull_request', 'pull_request_target'])(
    'plans on %s from a branch of the same repository',
    (eventName) => {
      const route = routeEvent({ mode: 'auto', eventName, payload: prPayload() });

      expect(route).toEqual({ kind: 'plan', pullRequest: { number: 5, headSha: SHA, baseRef: 'main' } });
    },
  );

  it('applies on a push to the default branch, at the pushed commit', () => {
    const route = routeEvent({ mode: 'auto', eventName: 'push', payload: pushPayload() });

    expect(route).toEqual({ kind: 'apply', sha: SHA, defaultBranch: 'main' });
  });

  it('skips a push to another branch with a notice naming both branches', () => {
    const route = routeEvent({ mode: 'auto', eventName: 'push', payload: pushPayload('refs/heads/feature') });

    expect(route).toMatchObject({ kind: 'skip', reason: 'not-default-branch' });
    expect(route.kind === 'skip' && route.notice).toMatch(/refs\/heads\/feature.*main/);
  });

  it('skips a pushed tag, even one named like the default branch', () => {
    const route = routeEvent({ mode: 'auto', eventName: 'push', payload: pushPayload('refs/tags/main') });

    expect(route).toMatchObject({ kind: 'skip', reason: 'not-default-branch' });
  });

  it('skips a push that deleted a branch', () => {
    const route = routeEvent({
      mode: 'auto',
      eventName: 'push',
      payload: pushPayload('refs/heads/main', { deleted: true }),
    });

    expect(route).toMatchObject({ kind: 'skip', reason: 'branch-deleted' });
  });

  it.each(['schedule', 'workflow_dispatch'])('checks drift on %s', (eventName) => {
    expect(routeEvent({ mode: 'auto', eventName, payload: {} })).toEqual({ kind: 'drift' });
  });

  it('does not re-plan a closed PR, so the status its apply wrote stays', () => {
    const route = routeEvent({
      mode: 'auto',
      eventName: 'pull_request',
      payload: prPayload(BASE_REPO, 'closed'),
    });

    expect(route).toMatchObject({ kind: 'skip', reason: 'closed-pull-request' });
  });

  it('does nothing on another event and says which events it handles', () => {
    const route = routeEvent({ mode: 'auto', eventName: 'issue_comment', payload: {} });

    expect(route).toMatchObject({ kind: 'skip', reason: 'unsupported-event' });
    expect(route.kind === 'skip' && route.notice).toMatch(/issue_comment.*pull_request.*push.*schedule/);
  });

  it('names the missing field when a push payload lacks the default branch', () => {
    const payload = { ref: 'refs/heads/main', after: SHA };

    expect(() => routeEvent({ mode: 'auto', eventName: 'push', payload })).toThrow(
      new EventPayloadError('The push event payload has no repository.default_branch.'),
    );
  });
});

describe('fork detection', () => {
  it.each([
    ['pull_request', 'auto'],
    ['pull_request_target', 'auto'],
    ['pull_request', 'plan'],
    ['pull_request_target', 'apply'],
    ['pull_request_target', 'drift'],
  ] as const)('skips a fork PR on %s in mode %s with a notice', (eventName, mode) => {
    const route = routeEvent({ mode, eventName, payload: prPayload(FORK_REPO), sha: SHA });

    expect(route).toMatchObject({ kind: 'skip', reason: 'fork' });
    expect(route.kind === 'skip' && route.notice).toMatch(/#5 comes from a fork/);
  });

  it('treats a PR whose head repository was deleted as a fork', () => {
    expect(isForkPullRequest(prPayload(null).pull_request)).toBe(true);
  });

  it('compares repositories by id, so a renamed repository is not a fork of itself', () => {
    const renamed = { id: 1, full_name: 'acme/old-name' };

    expect(isForkPullRequest(prPayload(renamed).pull_request)).toBe(false);
  });

  it('falls back to the full name, case-insensitively, when ids are absent', () => {
    const pr = { head: { repo: { full_name: 'ACME/params' } }, base: { repo: { full_name: 'acme/params' } } };

    expect(isForkPullRequest(pr)).toBe(false);
  });

  it('treats a PR from a different repository with the same name under another owner as a fork', () => {
    const pr = {
      head: { repo: { full_name: 'stranger/params' } },
      base: { repo: { full_name: 'acme/params' } },
    };

    expect(isForkPullRequest(pr)).toBe(true);
  });
});

describe('routeEvent with an explicit mode', () => {
  it('plans without a PR outside pull request events, so no comment is written', () => {
    expect(routeEvent({ mode: 'plan', eventName: 'workflow_dispatch', payload: {} })).toEqual({
      kind: 'plan',
    });
  });

  it('plans with the PR on a pull request event', () => {
    const route = routeEvent({ mode: 'plan', eventName: 'pull_request', payload: prPayload() });

    expect(route).toMatchObject({ kind: 'plan', pullRequest: { number: 5 } });
  });

  it('applies at GITHUB_SHA when the payload names no commit', () => {
    const route = routeEvent({ mode: 'apply', eventName: 'workflow_dispatch', payload: {}, sha: SHA });

    expect(route).toEqual({ kind: 'apply', sha: SHA });
  });

  it('applies a push to any branch when asked to', () => {
    const route = routeEvent({
      mode: 'apply',
      eventName: 'push',
      payload: pushPayload('refs/heads/feature'),
    });

    expect(route).toEqual({ kind: 'apply', sha: SHA, defaultBranch: 'main' });
  });

  it('checks drift on a push when asked to', () => {
    expect(routeEvent({ mode: 'drift', eventName: 'push', payload: pushPayload() })).toEqual({
      kind: 'drift',
    });
  });
});
