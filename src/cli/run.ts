import { parseArgs } from 'node:util';
import type { Notice, Reporter } from '../io.js';
import { didYouMean } from '../manifest/suggest.js';
import { systemClock } from '../rate/limiter.js';
import { sanitizeDocument, sanitizeLine } from '../render/sanitize.js';
import { VERSION } from '../version.js';
import type { CliContext, CliStream, Command } from './command.js';
import { commandHelp, globalHelp } from './help.js';
import { COMMANDS } from './registry.js';
import { forcedColor, liveLine } from './terminal.js';

/**
 * The CLI's channels, every write through the sanitizer: a notice is one line (controls and newlines
 * escaped, capped), a stream write is a document whose own line breaks (and, on a TTY or with
 * FORCE_COLOR, colours) stay. The live progress line is erased before anything else is written, so a
 * notice or the plan never lands in the middle of it.
 */
function guarded(context: CliContext): CliContext {
  const { secrets } = context;
  const forced = forcedColor(context.env) === true;
  const sanitized = (s: CliStream): CliStream => ({
    ...(s.isTTY !== undefined ? { isTTY: s.isTTY } : {}),
    ...(s.columns !== undefined ? { columns: s.columns } : {}),
    write: (text) => s.write(sanitizeDocument(text, secrets, { terminal: s.isTTY === true || forced })),
  });
  const stderr = sanitized(context.stderr);
  const live = liveLine(stderr, context.env, systemClock, context.redrawMs);
  const clearing = (s: CliStream): CliStream => ({
    ...s,
    write: (text) => {
      live.clear();
      return s.write(text);
    },
  });
  const reporter: Reporter = {
    notify(notice: Notice) {
      const { position } = notice;
      live.clear();
      context.reporter.notify({
        ...notice,
        message: sanitizeLine(notice.message, secrets),
        ...(position ? { position: { ...position, file: sanitizeLine(position.file, secrets) } } : {}),
      });
    },
  };
  return {
    ...context,
    reporter,
    stdout: clearing(sanitized(context.stdout)),
    stderr: clearing(stderr),
    live,
  };
}

/** Options every command takes, listed once in each command's help (help.ts). */
const GLOBAL_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const;

/** Parses argv (without node and the script), runs the command, and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  shell: CliContext,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const context = guarded(shell);
  const say = (text: string) => {
    context.stdout.write(`${text}\n`);
    return 0;
  };
  const fail = (message: string, help = 'ssm-replicate --help') => {
    const joint = message.endsWith('?') ? ' Run' : '; run';
    context.reporter.notify({ level: 'error', message: `${message}${joint} '${help}' for usage` });
    return 1;
  };
  const [name, ...rest] = argv;
  if (name === undefined) return fail(`missing command (one of: ${commands.map((c) => c.name).join(', ')})`);
  if (name === '--help' || name === '-h' || name === 'help') return say(globalHelp(commands));
  if (name === '--version') return say(VERSION);
  if (name.startsWith('-')) return fail(`unknown option '${name}'`);
  const command = commands.find((c) => c.name === name);
  const names = commands.map((c) => c.name);
  if (!command) return fail(`unknown command '${name}'${didYouMean(name, names)}`);

  let values: Record<string, string | boolean | undefined>;
  try {
    const options = { ...command.options, ...GLOBAL_OPTIONS } as const;
    const args = goStyle(rest, Object.keys(options));
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (error) {
    return fail(argumentProblem(error, Object.keys(command.options)), `ssm-replicate ${command.name} --help`);
  }
  if (values.help) return say(commandHelp(command));
  return command.run(values, values.debug === true ? { ...context, debug: true } : context);
}

/**
 * Terraform (Go flags) spells long options with one dash: `-auto-approve`, `-lock-timeout=60`. Such a word
 * naming one of the command's long options is read as that option; anything else (a cluster of short
 * options like `-y`, an unknown word) is left to parseArgs. Nothing after `--` is touched.
 */
function goStyle(args: readonly string[], longNames: readonly string[]): string[] {
  const end = args.indexOf('--');
  return args.map((arg, i) => {
    const m = /^-([a-z][a-z0-9-]+)(=.*)?$/s.exec(arg);
    if (!m || (end >= 0 && i > end) || !longNames.includes(m[1] ?? '')) return arg;
    return `-${arg}`;
  });
}

/** node:util's messages explain `--` escaping at length; users need the option and the nearest real one. */
function argumentProblem(error: unknown, known: string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const hint = didYouMean(unknown[2] ?? '', known).replace(/'([^']+)'\?$/, "'--$1'?");
    return `unknown option '${unknown[1]}${unknown[2]}'${hint}`;
  }
  const missing = /Option '(--[^ ]+)[^']*' argument missing/.exec(message);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && missing)
    return `option '${missing[1]}' needs a value`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && positional)
    return `unexpected argument '${positional[1]}'`;
  return message.split('. ')[0] ?? message;
}
