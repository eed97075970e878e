import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/apply/types.js';
import { useCliFixture } from '../support/cli.js';
import { seedFleet } from '../support/seed.js';

// The bin itself, from source, in child processes: real pipes, a real pseudo-terminal, real signals.
const { ep, env, manifestPath, dir } = useCliFixture();
const BIN = [process.execPath, '--import', 'tsx', 'src/cli/index.ts'];
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** `sh -c` with the CLI's environment only (no CI from the machine running the tests, unless given). */
function shell(command: string, extra: Record<string, string> = {}) {
  const base = { PATH: process.env.PATH ?? '', HOME: dir(), TERM: 'xterm', ...env(), ...extra };
  return spawn('sh', ['-c', command], { env: base, cwd: process.cwd() });
}

const cli = (args: string[]) => [...BIN, ...args].map(quote).join(' ');

describe('the bin', () => {
  it('apply --format json | node -e JSON.parse(...) succeeds, and the document validates against its schema', async () => {
    seedFleet(ep(), 5);
    const parse = `${quote(process.execPath)} -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0, "utf8"))))'`;
    const r = await finished(
      shell(`${cli(['apply', '--manifest', manifestPath(), '--format', 'json'])} | ${parse}`),
    );
    expect(r.code, r.stderr).toBe(0);
    const read = (f: string) =>
      JSON.parse(readFileSync(new URL(`../../schemas/${f}`, import.meta.url), 'utf8'));
    const ajv = new Ajv2020({ strict: true });
    ajv.addSchema(read('plan.schema.json'));
    const doc = JSON.parse(r.stdout);
    expect(ajv.validate(read('apply-result.schema.json'), doc), JSON.stringify(ajv.errors)).toBe(true);
    expect(doc.summary.applied).toBe(5);
  }, 60_000);

  it('draws the read progress on a pseudo-terminal and erases it before the plan, but not in CI', async () => {
    seedFleet(ep(), 60);
    const inPty = (extra: Record<string, string>) =>
      finished(shell(`script -qec ${quote(cli(['plan', '--manifest', manifestPath()]))} /dev/null`, extra));
    const tty = await inPty({});
    expect(tty.code, tty.stdout).toBe(0);
    const progress = tty.stdout.indexOf('\r\u001b[2Kreading: ap-south-1 ');
    const plan = tty.stdout.indexOf('Plan: ');
    expect(progress, tty.stdout.slice(0, 300)).toBeGreaterThanOrEqual(0);
    expect(progress).toBeLessThan(plan);
    expect(tty.stdout.lastIndexOf('\r\u001b[2K', plan)).toBeGreaterThan(progress);
    const ci = await inPty({ CI: 'true' });
    expect(ci.code, ci.stdout).toBe(0);
    expect(ci.stdout).toContain('Plan: ');
    expect(ci.stdout).not.toContain('reading:');
  }, 60_000);

  it('stops at once on a second SIGINT during apply, every write that reached AWS journaled first, exit 130', async () => {
    seedFleet(ep(), 40);
    const journal = join(dir(), 'twice.jsonl');
    const child = spawn(
      BIN[0] as string,
      [...BIN.slice(1), 'apply', '--manifest', manifestPath(), '--journal', journal, '--debug'],
      {
        env: { PATH: process.env.PATH ?? '', HOME: dir(), ...env(), AWS_MAX_ATTEMPTS: '8' },
      },
    );
    const done = finished(child);
    let seen = '';
    let sent = 0;
    child.stderr.on('data', (d: Buffer) => {
      seen += String(d);
      if (sent === 0 && /debug: ssm PutParameter us-east-1 HTTP 200/.test(seen)) {
        sent = 1;
        // From now on every replica write is throttled (the SDK backs off for seconds), so the apply is
        // still writing when the second interrupt arrives.
        ep().faults.failNext({
          operation: 'PutParameter',
          region: 'us-east-1',
          count: 10_000,
          error: 'ThrottlingException',
        });
        child.kill('SIGINT');
      } else if (sent === 1 && seen.includes('Interrupted: finishing the writes in flight')) {
        // Sent once the first was handled: two signals pending at once are delivered as one.
        sent = 2;
        child.kill('SIGINT');
      }
    });
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('Interrupted again: stopping now');
    const entries: JournalEntry[] = (await readFile(journal, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const announced = new Set(entries.filter((e) => e.outcome === undefined).map((e) => e.name));
    const written = ep()
      .state.listParameters('us-east-1')
      .map((p) => p.name);
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(40);
    for (const name of written) expect(announced.has(name), name).toBe(true);
    const attempts = ep().calls({ operation: 'PutParameter', region: 'us-east-1' }).length;
    expect(attempts).toBeGreaterThanOrEqual(written.length);
  }, 60_000);

  it('asks on a pseudo-terminal; "no" or Ctrl-C at the question writes nothing', async () => {
    seedFleet(ep(), 5);
    for (const [answer, code, said] of [
      ['no\r', 1, "Apply cancelled: only 'yes' approves. Nothing was written."],
      ['\u0003', 130, 'Interrupted.'],
    ] as const) {
      ep().resetCalls();
      const child = shell(`script -qec ${quote(cli(['apply', '--manifest', manifestPath()]))} /dev/null`);
      const done = finished(child);
      let seen = '';
      let typed = false;
      // Typed once the question is on the screen, as a person would.
      child.stdout?.on('data', (d: Buffer) => {
        seen += String(d);
        if (!typed && seen.includes('Enter a value: ')) {
          typed = true;
          child.stdin?.write(answer);
        }
      });
      const r = await done;
      expect(r.code, r.stdout).toBe(code);
      expect(r.stdout).toContain('Do you want to apply these changes?');
      expect(r.stdout).toContain(said);
      expect(ep().calls({ operation: 'PutParameter' })).toEqual([]);
    }
  }, 60_000);
});
