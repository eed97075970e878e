import { isAbsolute, relative, resolve } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import type { Clock } from '../rate/limiter.js';
import type { SecretRegistry } from '../render/redact.js';
import type { StoreFactory } from '../store/port.js';
import { Inputs } from './constants.js';
import type { RunEnv } from './env.js';
import { type GitHubPort, manifestKey } from './github/index.js';
import { guardedGitHub } from './guard.js';
import type { ActionHost } from './host.js';
import { ActionInputError, type ActionInputs } from './inputs.js';

/** The adapters the entry point builds; tests pass fakes or point the real ones at local servers. */
export interface ActionDeps {
  host: ActionHost;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  github(options: { token: string; baseUrl: string }): GitHubPort;
  /** `secrets` is the run's registry: the adapter adds each decrypted value to it as it is decoded. */
  storeFor(manifest: Manifest, secrets: SecretRegistry): StoreFactory;
  /** Whether the default AWS credential chain resolves: false on runs that were given none. */
  hasAwsCredentials(): Promise<boolean>;
  clock: Clock;
}

/** One run: its adapters, inputs and environment, and where the manifest is. */
export interface RunContext {
  deps: ActionDeps;
  /** The runner behind the sanitizer: every route writes through this one. */
  host: ActionHost;
  secrets: SecretRegistry;
  inputs: ActionInputs;
  env: RunEnv;
  /** Absolute path to read. */
  manifestFile: string;
  /** Relative to the workspace, `/`-separated: for annotations and the comment and issue markers. */
  manifestKey: string;
  /** Built on first use, so skipped runs and plans without a PR never need a token. */
  github(): GitHubPort;
}

export function runContext(
  deps: ActionDeps,
  inputs: ActionInputs,
  env: RunEnv,
  secrets: SecretRegistry,
): RunContext {
  const dir = resolve(env.workspace, inputs.workingDirectory);
  const manifestFile = resolve(dir, inputs.manifestPath);
  const fromWorkspace = relative(env.workspace, manifestFile);
  const key = manifestKey(
    fromWorkspace.startsWith('..') || isAbsolute(fromWorkspace) ? manifestFile : fromWorkspace,
  );
  let port: GitHubPort | undefined;
  return {
    deps,
    host: deps.host,
    secrets,
    inputs,
    env,
    manifestFile,
    manifestKey: key,
    github() {
      if (!inputs.githubToken) {
        throw new ActionInputError(
          `Input '${Inputs.GitHubToken}' is empty. Expected a token, e.g. \${{ github.token }} (the default).`,
        );
      }
      port ??= guardedGitHub(deps.github({ token: inputs.githubToken, baseUrl: env.apiUrl }), secrets);
      return port;
    },
  };
}
