import { describe, expect, it } from 'vitest';
import { colorEnabled, isCi, liveLine } from '../../src/cli/terminal.js';
import { runCliCaptured, useCliFixture } from '../support/cli.js';
import { seedFleet } from '../support/seed.js';

const { ep, env, manifestPath } = useCliFixture();
const ESC = '\u001b';

describe('colours', () => {
  it('follow no-color.org (an empty NO_COLOR is unset) and FORCE_COLOR as Node reads it', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorEnabled({}, tty)).toBe(true);
    expect(colorEnabled({}, pipe)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, tty)).toBe(true);
    expect(colorEnabled({ NO_COLOR: '1' }, tty)).toBe(false);
    expect(colorEnabled({ NO_COLOR: 'false' }, tty)).toBe(false);
    expect(colorEnabled({ TERM: 'dumb' }, tty)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: '1' }, pipe)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '' }, pipe)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '1', NO_COLOR: '1' }, pipe)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' }, tty)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: 'false' }, tty)).toBe(false);
  });

  it('reach the plan the CLI prints: on a TTY unless NO_COLOR is non-empty, on a pipe with FORCE_COLOR', async () => {
    seedFleet(ep(), 2);
    const plan = (extra: Record<string, string>, stdoutTTY: boolean) =>
      runCliCaptured(['plan', '--manifest', manifestPath()], { ...env(), ...extra }, { stdoutTTY });
    expect((await plan({}, true)).stdout).toContain(`${ESC}[1mPlan: `);
    expect((await plan({ NO_COLOR: '' }, true)).stdout).toContain(`${ESC}[1mPlan: `);
    expect((await plan({ NO_COLOR: '1' }, true)).stdout).not.toContain(ESC);
    const forced = (await plan({ FORCE_COLOR: '1' }, false)).stdout;
    expect(forced).toContain(`${ESC}[32m+${ESC}[0m`);
    expect(forced).not.toContain('\\u001b');
    expect((await plan({ FORCE_COLOR: '0' }, true)).stdout).not.toContain(ESC);
    expect((await plan({}, false)).stdout).not.toContain(ESC);
  });
});

describe('the live line', () => {
  const stream = (columns?: number) => {
    const writes: string[] = [];
    return { writes, isTTY: true, ...(columns ? { columns } : {}), write: (t: string) => writes.push(t) };
  };

  /** A clock whose sleeps end when the test says so. */
  const manual = (now: () => number) => {
    const sleepers: (() => void)[] = [];
    return {
      clock: { now, sleep: () => new Promise<void>((resolve) => sleepers.push(resolve)) },
      wake: async () => {
        for (const wake of sleepers.splice(0)) wake();
        await Promise.resolve();
      },
    };
  };

  it('draws at once, then at most once per interval, and clears only what it drew', () => {
    let now = 1_000;
    const s = stream();
    const line = liveLine(s, {}, manual(() => now).clock, 100);
    line.clear();
    line.draw('one');
    line.draw('two');
    now += 100;
    line.draw('three');
    line.clear();
    line.clear();
    expect(s.writes).toEqual([`\r${ESC}[2Kone`, `\r${ESC}[2Kthree`, `\r${ESC}[2K`]);
  });

  it('draws the last text it held back once the interval is over, so the line never stays stale', async () => {
    let now = 1_000;
    const s = stream();
    const { clock, wake } = manual(() => now);
    const line = liveLine(s, {}, clock, 100);
    line.draw('one');
    line.draw('two');
    line.draw('three');
    now += 100;
    await wake();
    expect(s.writes).toEqual([`\r${ESC}[2Kone`, `\r${ESC}[2Kthree`]);
    // Held back, then cleared (the plan printed): the stale text is not drawn over what follows.
    now += 10;
    line.draw('four');
    line.clear();
    now += 100;
    await wake();
    expect(s.writes.slice(2)).toEqual([`\r${ESC}[2K`]);
  });

  it('fits the terminal width, so a redraw never leaves a wrapped row behind', () => {
    const s = stream(30);
    liveLine(s, {}, manual(() => 0).clock, 0).draw('x'.repeat(100));
    expect(s.writes[0]).toBe(`\r${ESC}[2K${'x'.repeat(28)}…`);
  });

  it('stays off in CI, off a terminal and on TERM=dumb', () => {
    for (const [env, tty] of [
      [{ CI: 'true' }, true],
      [{ CI: '1' }, true],
      [{}, false],
      [{ TERM: 'dumb' }, true],
    ] as const) {
      const s = { ...stream(), isTTY: tty };
      const line = liveLine(s, env, manual(() => 0).clock, 0);
      line.draw('x');
      expect(line.enabled).toBe(false);
      expect(s.writes).toEqual([]);
    }
    expect([isCi({ CI: 'false' }), isCi({ CI: '' }), isCi({ CI: 'true' })]).toEqual([false, false, true]);
  });
});

describe('read progress', () => {
  /** Every write of a run, stream by stream, in the order they happened. */
  async function plan(extra: Record<string, string>, stderrTTY: boolean) {
    const writes: [string, string][] = [];
    const r = await runCliCaptured(
      ['plan', '--manifest', manifestPath()],
      { ...env(), ...extra },
      {
        stderrTTY,
        redrawMs: 0,
        onStderr: (t) => writes.push(['err', t]),
        onStdout: (t) => writes.push(['out', t]),
      },
    );
    return { ...r, writes };
  }

  it('counts what each region has listed on one redrawn line, cleared before the plan prints', async () => {
    seedFleet(ep(), 120);
    const { code, writes } = await plan({}, true);
    expect(code).toBe(0);
    const drawn = writes
      .filter(([s, t]) => s === 'err' && t.startsWith(`\r${ESC}[2Kreading: `))
      .map(([, t]) => t);
    // 120 source parameters come in 3 DescribeParameters pages of up to 50: the count climbs page by page.
    expect(drawn.some((t) => t.includes('ap-south-1 50 listed'))).toBe(true);
    // Values are read (without decryption) only for the String items value-display shows as changing.
    expect(drawn.some((t) => /ap-south-1 120 listed, [1-9]\d* values/.test(t))).toBe(true);
    expect(drawn.some((t) => /· us-east-1 0 listed/.test(t))).toBe(true);
    const firstOut = writes.findIndex(([s]) => s === 'out');
    expect(writes[firstOut - 1]).toEqual(['err', `\r${ESC}[2K`]);
    expect(writes.slice(firstOut).some(([s, t]) => s === 'err' && t.includes('reading:'))).toBe(false);
  });

  it('counts each read of an apply afresh: the plan, its re-read after the question, the verification', async () => {
    seedFleet(ep(), 60);
    expect((await runCliCaptured(['apply', '--manifest', manifestPath()], env())).code).toBe(0);
    ep().state.putParameter({ region: 'ap-south-1', name: '/prod/app/p00006', value: 'v2', type: 'String' });
    const drawn: string[] = [];
    // Approved at the question: the plan is read twice, each read counted from zero.
    const r = await runCliCaptured(['apply', '--manifest', manifestPath()], env(), {
      stdin: { isTTY: true },
      stdoutTTY: true,
      prompt: async () => 'yes',
      stderrTTY: true,
      redrawMs: 0,
      onStderr: (t) => drawn.push(t),
    });
    expect(r.code, r.err).toBe(0);
    expect(drawn.filter((t) => /(reading|verifying): $/.test(t))).toEqual([]);
    const reading = drawn.filter((t) => t.includes('reading: '));
    expect(reading.some((t) => t.includes('us-east-1 60 listed'))).toBe(true);
    expect(reading.some((t) => t.includes('us-east-1 120 listed'))).toBe(false);
    const applied = drawn.findLastIndex((t) => t.includes('applying 1/1'));
    const after = drawn.slice(applied + 1).filter((t) => t.length > `\r${ESC}[2K`.length);
    // The touched replica's metadata, value and tags; the source is not read again, nor is the lock counted.
    expect(after.at(-1)).toBe(`\r${ESC}[2Kverifying: us-east-1 1 listed, 1 values, 1 tag sets`);
    for (const t of after) expect(t.slice(5)).toMatch(/^verifying: us-east-1 [01] listed/);
  });

  it('never appears in CI or when stderr is not a terminal', async () => {
    seedFleet(ep(), 60);
    for (const [extra, tty] of [
      [{ CI: 'true' }, true],
      [{}, false],
    ] as const) {
      const { code, stderr } = await plan(extra, tty);
      expect(code).toBe(0);
      expect(stderr).toBe('');
    }
  });
});
