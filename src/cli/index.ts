// The `ssm-replicate` bin. build.mjs adds the #! line; everything else lives in run.ts and commands/.
import { createInterface } from 'node:readline';
import { SecretRegistry } from '../render/redact.js';
import { sanitizeDocument } from '../render/sanitize.js';
import { interruptHub } from './interrupt.js';
import { streamReporter } from './reporter.js';
import { runCli } from './run.js';

const reporter = streamReporter(process.stdout, process.stderr);
const secrets = new SecretRegistry();
const interrupts = interruptHub(
  (code) => process.exit(code),
  (text) => process.stderr.write(text),
);
process.on('SIGINT', () => interrupts.interrupt());

/** One line from stdin, the question on stderr; undefined at end of input. */
async function prompt(question: string): Promise<string | undefined> {
  process.stderr.write(question);
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
  }
}

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    reporter,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    secrets,
    stdin: process.stdin,
    prompt,
    onInterrupt: interrupts.onInterrupt,
  });
} catch (error) {
  // Anything reaching here is a bug, not a user mistake: say so rather than print a bare stack. The
  // stack keeps its lines; the message in it is untrusted like any other text.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(sanitizeDocument(`unexpected error, please report it: ${message}\n`, secrets));
  process.exitCode = 1;
}
