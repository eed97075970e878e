import type { Clock } from '../rate/limiter.js';
import type { CliStream } from './command.js';

type Env = Readonly<Record<string, string | undefined>>;

/** CI systems set CI (GitHub Actions, GitLab, CircleCI, Travis, Buildkite…); `CI=false` says otherwise. */
export function isCi(env: Env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * FORCE_COLOR as Node reads it: set to anything but `0` or `false` forces colours on, `0`/`false` forces
 * them off, and either way it wins over NO_COLOR. Undefined when unset.
 * https://nodejs.org/api/cli.html#force_color1-2-3
 */
export function forcedColor(env: Env): boolean | undefined {
  const force = env.FORCE_COLOR;
  if (force === undefined) return undefined;
  return !(force === '0' || force.toLowerCase() === 'false');
}

/**
 * Colours on `stream`: FORCE_COLOR decides when set; otherwise a terminal, unless NO_COLOR is set to a
 * non-empty value (https://no-color.org: "when present and not an empty string") or TERM is dumb.
 */
export function colorEnabled(env: Env, stream: { isTTY?: boolean }): boolean {
  const forced = forcedColor(env);
  if (forced !== undefined) return forced;
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return stream.isTTY === true && !noColor && env.TERM !== 'dumb';
}

/** One line on a terminal, redrawn in place: the progress of a read or an apply. */
export interface LiveLine {
  readonly enabled: boolean;
  /**
   * Redraws the line: the first draw at once, then at most once per interval. A text held back is drawn
   * when the interval is over unless a newer draw or a clear came first, so the line never stays stale
   * while the run waits on something slow.
   */
  draw(text: string): void;
  /** Erases the line if it is drawn, so whatever is printed next starts on a clean line. */
  clear(): void;
}

export const REDRAW_MS = 100;

/**
 * The live line lives on stderr, and only where a person watches it: a terminal, outside CI (a CI log
 * keeps every redraw as a line of its own), and not TERM=dumb. NO_COLOR is about colour, not this.
 */
export function liveLine(
  stream: CliStream,
  env: Env,
  clock: Pick<Clock, 'now' | 'sleep'>,
  intervalMs = REDRAW_MS,
): LiveLine {
  const enabled = stream.isTTY === true && !isCi(env) && env.TERM !== 'dumb';
  let drawn = false;
  let last = Number.NEGATIVE_INFINITY;
  let held: string | undefined;
  let waiting = false;
  const write = (text: string) => {
    // One row: a line wider than the terminal wraps, and the next redraw would erase only its last row.
    // A pseudo-terminal without a window size reports 0 columns: taken as unknown.
    const width = Math.max(20, (stream.columns || 80) - 1);
    const fitted = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    stream.write(`\r\u001b[2K${fitted}`);
    drawn = true;
    last = clock.now();
  };
  return {
    enabled,
    draw(text) {
      if (!enabled) return;
      const since = clock.now() - last;
      if (!drawn || since >= intervalMs) {
        held = undefined;
        write(text);
        return;
      }
      held = text;
      if (waiting) return;
      waiting = true;
      void clock.sleep(intervalMs - since).then(() => {
        waiting = false;
        const text = held;
        held = undefined;
        if (text !== undefined && drawn) write(text);
      });
    },
    clear() {
      held = undefined;
      if (!drawn) return;
      stream.write('\r\u001b[2K');
      drawn = false;
    },
  };
}
