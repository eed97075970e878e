import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { linkable } from './github/comment-format.js';

/** The runner's `GITHUB_*` / `RUNNER_*` variables the run needs, read once at run time. */
export interface RunEnv {
  eventName: string;
  eventPath: string | undefined;
  owner: string;
  repo: string;
  sha: string | undefined;
  /** Web root (GITHUB_SERVER_URL): github.com or a GHES host, for links to the repository's pages. */
  serverUrl: string;
  /** REST API root: api.github.com, a GHES host's /api/v3, or a test server. */
  apiUrl: string;
  /** The run's page, for comment and issue links; undefined when the runner did not say. */
  runUrl: string | undefined;
  /** Where the plan file goes: RUNNER_TEMP is emptied after every job. */
  tempDir: string;
  /** Repository checkout: paths in annotations and markers are relative to it. */
  workspace: string;
}

/** The runner did not provide what every run needs; not something a workflow input can fix. */
export class ActionEnvironmentError extends Error {
  override readonly name = 'ActionEnvironmentError';
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (value) return value;
  throw new ActionEnvironmentError(
    `${name} is not set: run ssm-replicate as a step of a GitHub Actions job.`,
  );
}

export function readRunEnv(env: Env, cwd: string): RunEnv {
  const repository = required(env, 'GITHUB_REPOSITORY');
  const [owner, repo, ...rest] = repository.split('/');
  if (!owner || !repo || rest.length > 0) {
    throw new ActionEnvironmentError(`GITHUB_REPOSITORY is '${repository}', expected owner/name.`);
  }
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runId = env.GITHUB_RUN_ID?.trim();
  const runUrl = runId ? `${server}/${owner}/${repo}/actions/runs/${runId}` : undefined;
  return {
    eventName: required(env, 'GITHUB_EVENT_NAME'),
    eventPath: env.GITHUB_EVENT_PATH || undefined,
    owner,
    repo,
    sha: env.GITHUB_SHA || undefined,
    serverUrl: server,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runUrl: linkable(runUrl) ? runUrl : undefined,
    tempDir: env.RUNNER_TEMP || tmpdir(),
    workspace: env.GITHUB_WORKSPACE || cwd,
  };
}

/** The webhook payload of the triggering event; `{}` when the runner wrote none (a local run). */
export async function readEventPayload(path: string | undefined): Promise<unknown> {
  if (!path) return {};
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new ActionEnvironmentError(`Cannot read the event payload ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
