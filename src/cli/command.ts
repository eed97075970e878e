import type { Reporter } from '../io.js';
import type { SecretRegistry } from '../render/redact.js';

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

export interface CliContext {
  reporter: Reporter;
  /** The process environment, read once by the shell (AWS_* settings, NO_COLOR, CI). */
  env: Readonly<Record<string, string | undefined>>;
  /** Where plans and reports go; `isTTY` decides colours and the live progress line. */
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Every secret value the run has seen; everything written above is masked with it. */
  secrets: SecretRegistry;
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
