import type { Reporter } from '../io.js';
import type { SecretRegistry } from '../render/redact.js';
import type { LiveLine } from './terminal.js';

/** One option of a command: what node:util parseArgs needs, plus what help shows. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  /** Shown in help as `--name VALUE`. */
  valueName?: string;
  /** Shown in help; the command applies it itself. */
  default?: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

/** An output stream; `isTTY` decides colours and the live progress line, `columns` its width. */
export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliContext {
  reporter: Reporter;
  /** The process environment, read once by the shell (AWS_* settings, NO_COLOR, FORCE_COLOR, CI). */
  env: Readonly<Record<string, string | undefined>>;
  /** Where plans and reports go. */
  stdout: CliStream;
  /** Where notices, the live progress line, prompts and `--debug` lines go. */
  stderr: CliStream;
  /** Every secret value the run has seen; everything written above is masked with it. */
  secrets: SecretRegistry;
  /** With a TTY stdout: someone is at a terminal, so an unreviewed apply asks before writing. */
  stdin?: { isTTY?: boolean };
  /** Writes the question (on stderr) and resolves with the line typed; undefined at end of input. */
  prompt?: (question: string) => Promise<string | undefined>;
  /**
   * Subscribes to the user's interrupt (Ctrl-C); returns the unsubscribe. The bin calls each listener on
   * the first SIGINT and exits 130 at once on the second (src/cli/interrupt.ts).
   */
  onInterrupt?: (listener: () => void) => () => void;
  /** `--debug`: every AWS call is logged on stderr (set by runCli). */
  debug?: boolean;
  /** The live progress line on stderr (set by runCli; erased before anything else is written). */
  live?: LiveLine;
  /** Least time between two redraws of the live progress line, in ms (default 100; tests pass 0). */
  redrawMs?: number;
}

/**
 * A subcommand. Each lives in `commands/<name>.ts` and is listed once in `registry.ts`; parsing, `--help` and
 * unknown-option errors are handled for every command by `run.ts`. `run` returns the exit code.
 */
export interface Command {
  name: string;
  /** One line for the command list in the global help. */
  summary: string;
  /** A paragraph for the command's own help. */
  description: string;
  options: Record<string, OptionSpec>;
  run(options: OptionValues, context: CliContext): Promise<number>;
}
