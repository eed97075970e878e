import { runCli } from '../../src/cli/run.js';
import { formatNotice, type Notice } from '../../src/io.js';
import { SecretRegistry } from '../../src/render/redact.js';

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

/** Runs the CLI in-process with the given environment and captures everything it prints. */
export async function runCliCaptured(
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const notices: Notice[] = [];
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    reporter: { notify: (n) => notices.push(n) },
    env,
    stdout: { write: (t: string) => (stdout += t), isTTY: false },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    secrets: new SecretRegistry(),
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
