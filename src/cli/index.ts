// The `ssm-replicate` bin. build.mjs adds the #! line; everything else lives in run.ts and commands/.
import { streamReporter } from './reporter.js';
import { runCli } from './run.js';

const reporter = streamReporter(process.stdout, process.stderr);
try {
  process.exitCode = await runCli(process.argv.slice(2), {
    reporter,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
} catch (error) {
  // Anything reaching here is a bug, not a user mistake: say so rather than print a bare stack.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  reporter.notify({ level: 'error', message: `unexpected error, please report it: ${message}` });
  process.exitCode = 1;
}
