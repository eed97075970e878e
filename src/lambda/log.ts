import type { Notice, Reporter } from '../io.js';
import type { SecretRegistry } from '../render/redact.js';
import { sanitizeLine } from '../render/sanitize.js';

/** Where log lines go: stdout in Lambda (one JSON object per line, so Logs Insights can query fields). */
export type LogSink = (line: string) => void;

export type LogLevel = 'info' | 'warn' | 'error';

/** Field values are names, regions, counts and codes. Never a parameter value: nothing here carries one. */
export type LogFields = Record<string, string | number | boolean | string[] | undefined>;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * One JSON object per line. Every string in it goes through the sanitizer first: JSON escapes C0
 * controls but leaves C1, bidi overrides and secrets alone, and Logs Insights output is read by people.
 * `context` gives the fields of whatever is running now (the invocation's request id), on every line;
 * they take precedence over a call's own fields of the same name.
 */
export function createLogger(
  sink: LogSink,
  secrets: SecretRegistry,
  context: () => LogFields = () => ({}),
): Logger {
  const clean = (s: string) => sanitizeLine(s, secrets);
  return {
    log(level, msg, fields = {}) {
      const line: Record<string, unknown> = { level, msg: clean(msg) };
      for (const [k, v] of Object.entries({ ...fields, ...context() })) {
        if (v === undefined) continue;
        line[k] = typeof v === 'string' ? clean(v) : Array.isArray(v) ? v.map(clean) : v;
      }
      sink(JSON.stringify(line));
    },
  };
}

/** The core's notices (plan warnings, manifest warnings) as log lines. */
export function logReporter(logger: Logger): Reporter {
  return {
    notify(notice: Notice) {
      const level = notice.level === 'warning' ? 'warn' : notice.level;
      const where = notice.position
        ? `${notice.position.file}:${notice.position.line}:${notice.position.column}`
        : undefined;
      logger.log(level, notice.message, { code: notice.code, where });
    },
  };
}
