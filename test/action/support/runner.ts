import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

/** build.mjs is plain JS; the Action entry is built from its own options, only into a temporary folder. */
const BUILD = '../../../build.mjs';
interface Entry {
  entryPoints: string[];
  outfile: string;
}

/** The Action bundle exactly as `npm run build` makes dist/index.js, written to `dir`. */
export async function buildActionBundle(dir: string): Promise<string> {
  const { entries, buildOptions } = (await import(BUILD)) as {
    entries: Entry[];
    buildOptions: (entry: Entry) => Record<string, unknown>;
  };
  const entry = entries.find((e) => e.outfile === 'dist/index.js');
  if (!entry) throw new Error('no Action entry (dist/index.js) in build.mjs');
  const outfile = join(dir, 'index.js');
  await build({ ...buildOptions(entry), outfile, logLevel: 'silent' });
  return outfile;
}

/**
 * A Node 24 binary, the runtime action.yml declares: this one when the suite already runs on 24
 * (`npm run test:node24`), else the one `npx node@24.21.0` installs (cached here; CI has the registry).
 * The bundle is then spawned directly: npx goes through a shell, which drops `INPUT_GITHUB-TOKEN` and every
 * other variable with a hyphen in its name, as the runner's would not. Asynchronous on purpose: npx takes
 * seconds, and blocking the event loop that long lets the in-process servers' keep-alive timers fire late,
 * racing a request sent on the socket they are about to close.
 */
export async function node24(): Promise<string> {
  if (process.versions.node.startsWith('24.')) return process.execPath;
  const { stdout } = await promisify(execFile)('npx', ['-y', 'node@24.21.0', '-p', 'process.execPath'], {
    encoding: 'utf8',
  });
  return stdout.trim();
}

/** `name<<DELIMITER\nvalue\nDELIMITER` blocks, as @actions/core writes GITHUB_OUTPUT. */
export function parseGitHubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^=<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name, delimiter] = match as unknown as [string, string, string];
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    out[name] = value.join('\n');
  }
  return out;
}

export interface RunnerFiles {
  workspace: string;
  temp: string;
  output: string;
  summary: string;
  event: string;
}

/** A fresh runner layout: workspace with the manifest, temp folder, output and summary files. */
export function runnerFiles(manifest: string): RunnerFiles {
  const root = mkdtempSync(join(tmpdir(), 'ssm-replicate-action-'));
  const workspace = join(root, 'workspace');
  mkdirSync(join(workspace, 'config'), { recursive: true });
  writeFileSync(join(workspace, 'config', 'replication.yaml'), manifest);
  const temp = join(root, 'temp');
  mkdirSync(temp);
  const files = {
    workspace,
    temp,
    output: join(root, 'github_output'),
    summary: join(root, 'step_summary.md'),
    event: join(root, 'event.json'),
  };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  return files;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/**
 * Runs the bundle as the runner does: `node <main>` in the workspace with INPUT_* (name upper-cased,
 * hyphens kept) and the GITHUB_* files. The environment is built from scratch, so nothing of the
 * machine's (or CI's) GitHub or AWS settings leaks in.
 */
export function runAction(options: {
  command: readonly string[];
  files: RunnerFiles;
  eventName: string;
  payload: unknown;
  inputs: Record<string, string>;
  env: Record<string, string>;
}): Promise<RunResult> {
  const { files } = options;
  writeFileSync(files.event, JSON.stringify(options.payload));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? files.temp,
    // No shared AWS config or instance metadata: credentials only from what a test passes.
    AWS_CONFIG_FILE: join(files.temp, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(files.temp, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: 'acme/params',
    GITHUB_RUN_ID: '4242',
    GITHUB_WORKSPACE: files.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: files.temp,
    ...Object.fromEntries(Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...options.env,
  };
  const [cmd, ...args] = options.command;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd as string, args, {
      cwd: files.workspace,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        outputs: parseGitHubOutput(readFileSync(files.output, 'utf8')),
        summary: readFileSync(files.summary, 'utf8'),
      }),
    );
  });
}
