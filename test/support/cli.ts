import type { CliContext } from '../../src/cli/command.js';
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
