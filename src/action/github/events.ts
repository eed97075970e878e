import { EventPayloadError } from './errors.js';

/**
 * Which job a workflow run does, decided from the event alone, before any AWS or write call. Forks are
 * refused for every mode: their token is read-only and they get no AWS credentials under `pull_request`,
 * and under `pull_request_target` they would run a stranger's manifest with our credentials.
 */

export type ActionMode = 'auto' | 'plan' | 'apply' | 'drift';

export interface EventInput {
  mode: ActionMode;
  /** GITHUB_EVENT_NAME */
  eventName: string;
  /** The parsed GITHUB_EVENT_PATH file. */
  payload: unknown;
  /** GITHUB_SHA: the commit when the payload does not name one (schedule, workflow_dispatch). */
  sha?: string;
}

export interface PullRequestRef {
  number: number;
  headSha: string;
  baseRef: string;
}

export type SkipReason =
  | 'fork'
  | 'closed-pull-request'
  | 'not-default-branch'
  | 'branch-deleted'
  | 'unsupported-event';

export type Route =
  /** `pullRequest` is absent for an explicit `mode: plan` outside a PR: plan and summary, no comment. */
  | { kind: 'plan'; pullRequest?: PullRequestRef }
  | { kind: 'apply'; sha: string; defaultBranch?: string }
  | { kind: 'drift' }
  /** End cleanly with `notice`: no write request, no AWS call, no failure. */
  | { kind: 'skip'; reason: SkipReason; notice: string };

const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);
const DRIFT_EVENTS = new Set(['schedule', 'workflow_dispatch']);

type Json = Record<string, unknown>;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Json)[key] : undefined;
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce(field, value);
}

function need<T>(value: unknown, check: (v: unknown) => v is T, path: string, eventName: string): T {
  if (check(value)) return value;
  throw new EventPayloadError(`The ${eventName} event payload has no ${path}.`);
}

const isString = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Head repository ≠ base repository. A deleted head repository (null) counts as a fork: we cannot tell. */
export function isForkPullRequest(pullRequest: unknown): boolean {
  const head = at(pullRequest, 'head.repo');
  const base = at(pullRequest, 'base.repo');
  if (head === null || head === undefined) return true;
  const headId = field(head, 'id');
  const baseId = field(base, 'id');
  if (isNumber(headId) && isNumber(baseId)) return headId !== baseId;
  const headName = field(head, 'full_name');
  const baseName = field(base, 'full_name');
  return !isString(headName) || !isString(baseName) || headName.toLowerCase() !== baseName.toLowerCase();
}

function pullRequestRef(payload: unknown, eventName: string): PullRequestRef {
  const pr = at(payload, 'pull_request');
  return {
    number: need(field(pr, 'number'), isNumber, 'pull_request.number', eventName),
    headSha: need(at(pr, 'head.sha'), isString, 'pull_request.head.sha', eventName),
    baseRef: need(at(pr, 'base.ref'), isString, 'pull_request.base.ref', eventName),
  };
}

function forkSkip(payload: unknown): Route | undefined {
  if (!isForkPullRequest(at(payload, 'pull_request'))) return undefined;
  const number = at(payload, 'pull_request.number');
  return {
    kind: 'skip',
    reason: 'fork',
    notice:
      `Pull request${isNumber(number) ? ` #${number}` : ''} comes from a fork, which gets no AWS credentials ` +
      'and a read-only token: skipping the plan. A maintainer can run it from a branch in this repository.',
  };
}

function pushRoute(input: EventInput): Route {
  const { payload, eventName } = input;
  if (field(payload, 'deleted') === true) {
    return { kind: 'skip', reason: 'branch-deleted', notice: 'The push deleted a branch: nothing to apply.' };
  }
  const ref = need(field(payload, 'ref'), isString, 'ref', eventName);
  const defaultBranch = need(
    at(payload, 'repository.default_branch'),
    isString,
    'repository.default_branch',
    eventName,
  );
  if (ref !== `refs/heads/${defaultBranch}`) {
    return {
      kind: 'skip',
      reason: 'not-default-branch',
      notice: `Push to ${ref}, not to the default branch ${defaultBranch}: nothing is applied.`,
    };
  }
  return { kind: 'apply', sha: need(field(payload, 'after'), isString, 'after', eventName), defaultBranch };
}

function autoRoute(input: EventInput): Route {
  const { eventName, payload } = input;
  if (PR_EVENTS.has(eventName)) {
    if (field(payload, 'action') === 'closed') {
      // Re-planning a merged PR would overwrite the status its apply wrote; the push applies it.
      return {
        kind: 'skip',
        reason: 'closed-pull-request',
        notice:
          'The pull request was closed: nothing to plan. A merge is applied by the push to the default branch.',
      };
    }
    return { kind: 'plan', pullRequest: pullRequestRef(payload, eventName) };
  }
  if (eventName === 'push') return pushRoute(input);
  if (DRIFT_EVENTS.has(eventName)) return { kind: 'drift' };
  return {
    kind: 'skip',
    reason: 'unsupported-event',
    notice:
      `mode 'auto' does nothing on '${eventName}' events. It plans on pull_request, applies on a push to the ` +
      "default branch and checks drift on schedule and workflow_dispatch; set 'mode' to choose explicitly.",
  };
}

function explicitRoute(input: EventInput, mode: Exclude<ActionMode, 'auto'>): Route {
  const { eventName, payload } = input;
  const isPr = PR_EVENTS.has(eventName);
  switch (mode) {
    case 'plan':
      return isPr ? { kind: 'plan', pullRequest: pullRequestRef(payload, eventName) } : { kind: 'plan' };
    case 'apply': {
      const after = field(payload, 'after');
      const sha = need(
        isString(after) ? after : input.sha,
        isString,
        'commit (after, or GITHUB_SHA)',
        eventName,
      );
      const defaultBranch = at(payload, 'repository.default_branch');
      return { kind: 'apply', sha, ...(isString(defaultBranch) ? { defaultBranch } : {}) };
    }
    case 'drift':
      return { kind: 'drift' };
  }
}

export function routeEvent(input: EventInput): Route {
  const fork = PR_EVENTS.has(input.eventName) ? forkSkip(input.payload) : undefined;
  if (fork) return fork;
  return input.mode === 'auto' ? autoRoute(input) : explicitRoute(input, input.mode);
}
