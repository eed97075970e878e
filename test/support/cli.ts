import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import type { CliContext } from '../../src/cli/command.js';
import { runCli } from '../../src/cli/run.js';
import { formatNotice, type Notice } from '../../src/io.js';
import { SecretRegistry } from '../../src/render/redact.js';
import type { Endpoint } from '../endpoint/index.js';
import { useEndpoint } from './endpoint.js';

export interface CliRun {
  code: number;
  /** Info notices, as the bin prints them on stdout. */
  out: string;
  /** Warnings and errors, as the bin prints them on stderr. */
  err: string;
  /** What commands wrote to stdout directly (plans, tables). */
  stdout: string;
  stderr: string;
}

/** What a test sets of the shell: terminals, the prompt, the interrupt hook, the redraw interval. */
export interface ShellOverrides
  extends Partial<Pick<CliContext, 'stdin' | 'prompt' | 'onInterrupt' | 'redrawMs'>> {
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  /** Sees every stderr write as it happens (after the sanitizer), e.g. to interrupt after N calls. */
  onStderr?: (text: string) => void;
  onStdout?: (text: string) => void;
}

/** Runs the CLI in-process with the given environment and captures everything it prints. */
export async function runCliCaptured(
  argv: string[],
  env: Record<string, string | undefined> = {},
  shell: ShellOverrides = {},
): Promise<CliRun> {
  const notices: Notice[] = [];
  let stdout = '';
  let stderr = '';
  const { stdoutTTY, stderrTTY, onStderr, onStdout, ...rest } = shell;
  const code = await runCli(argv, {
    reporter: { notify: (n) => notices.push(n) },
    env,
    stdout: {
      write: (t: string) => {
        stdout += t;
        onStdout?.(t);
      },
      isTTY: stdoutTTY ?? false,
    },
    stderr: {
      write: (t: string) => {
        stderr += t;
        onStderr?.(t);
      },
      isTTY: stderrTTY ?? false,
    },
    secrets: new SecretRegistry(),
    ...rest,
  });
  const lines = (wanted: (n: Notice) => boolean) => notices.filter(wanted).map(formatNotice).join('\n');
  return {
    code,
    out: lines((n) => n.level === 'info'),
    err: lines((n) => n.level !== 'info'),
    stdout,
    stderr,
  };
}

/** One destination, rates high enough that 60 writes take no time. */
export const FLEET_MANIFEST = `version: 1
source:
  region: ap-south-1
value-display: non-secret
throughput: { put: 10000, get: 10000, describe: 10000 }
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
      - region: us-east-1
`;

/**
 * The endpoint (wiped before each test), the CLI's environment (the SDK's credential chain reads the
 * process environment too), a temp directory and a manifest file in it, for tests that run the CLI.
 */
export function useCliFixture(manifest = FLEET_MANIFEST): {
  ep: () => Endpoint;
  env: () => Record<string, string>;
  manifestPath: () => string;
  dir: () => string;
  /** Runs the CLI with that environment. */
  cli: (...argv: string[]) => Promise<CliRun>;
} {
  const ep = useEndpoint();
  let env: Record<string, string> = {};
  let dir = '';
  beforeAll(async () => {
    env = {
      AWS_ENDPOINT_URL: ep().url,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY',
      AWS_MAX_ATTEMPTS: '2',
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-cli-'));
    await writeFile(join(dir, 'replication.yaml'), manifest);
  });
  afterAll(() => vi.unstubAllEnvs());
  return {
    ep,
    env: () => env,
    manifestPath: () => join(dir, 'replication.yaml'),
    dir: () => dir,
    cli: (...argv) => runCliCaptured(argv, env),
  };
}
