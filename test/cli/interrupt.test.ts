import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_TTL_MS, lockName } from '../../src/apply/lock.js';
import type { JournalEntry } from '../../src/apply/types.js';
import { interruptHub } from '../../src/cli/interrupt.js';
import { runCliCaptured, useCliFixture } from '../support/cli.js';
import { holdLock, seedFleet } from '../support/seed.js';

const { ep, env, manifestPath, dir } = useCliFixture();

async function journalOf(path: string): Promise<JournalEntry[]> {
  return (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/** The shell's Ctrl-C, pressed by the test: it reaches the apply's listener while one is set. */
function ctrlC(): { onInterrupt: (listener: () => void) => () => void; press: () => void } {
  let listener: (() => void) | undefined;
  return {
    onInterrupt: (l) => {
      listener = l;
      return () => {
        listener = undefined;
      };
    },
    press: () => listener?.(),
  };
}

describe('Ctrl-C during apply', () => {
  it('finishes the writes in flight of a 40-write apply, leaves none unjournaled, reports and exits 130', async () => {
    seedFleet(ep(), 40);
    const journal = join(dir(), 'interrupted.jsonl');
    const key = ctrlC();
    let puts = 0;
    const r = await runCliCaptured(
      ['apply', '--manifest', manifestPath(), '--journal', journal, '--debug'],
      env(),
      {
        onInterrupt: key.onInterrupt,
        // The 10th replica write answered: the user presses Ctrl-C.
        onStderr: (text) => {
          if (/^debug: ssm PutParameter us-east-1 HTTP 200/m.test(text) && ++puts === 10) key.press();
        },
      },
    );

    expect(r.code).toBe(130);
    const entries = await journalOf(journal);
    const announced = entries.filter((e) => e.outcome === undefined).map((e) => e.name);
    const finished = entries.filter((e) => e.outcome === 'applied').map((e) => e.name);
    // Every write that was started was journaled first and finished; none after the interrupt started.
    expect(new Set(finished)).toEqual(new Set(announced));
    expect(announced.length).toBeGreaterThanOrEqual(10);
    expect(announced.length).toBeLessThan(40);
    const written = ep()
      .state.listParameters('us-east-1')
      .map((p) => p.name);
    expect(new Set(written)).toEqual(new Set(announced));
    expect(ep().calls({ operation: 'PutParameter', region: 'us-east-1' })).toHaveLength(announced.length);

    const rest = 40 - announced.length;
    expect(r.stdout).toContain(`Applied ${announced.length}, failed 0, drifted 0, skipped ${rest}.`);
    expect(r.stdout).toMatch(
      new RegExp(
        `skipped us-east-1 ${rest} × not attempted: the apply was stopped before this write \\(e\\.g\\. `,
      ),
    );
    expect(r.err).toContain('Interrupted: finishing the writes in flight, then stopping.');
    expect(r.err).toContain(
      `Interrupted: ${announced.length} change(s) applied, 0 failed, ${rest} not attempted. Re-run apply to finish`,
    );
  });

  it('stops the read at once when Ctrl-C comes before the first write, releases the lock, writes nothing, exits 130', async () => {
    // 120 parameters: three DescribeParameters pages in the source; Ctrl-C once the first is in.
    seedFleet(ep(), 120);
    const key = ctrlC();
    const r = await runCliCaptured(['apply', '--manifest', manifestPath(), '--yes', '--debug'], env(), {
      onInterrupt: key.onInterrupt,
      onStderr: (text) => {
        if (/^debug: ssm DescribeParameters ap-south-1 HTTP 200/m.test(text)) key.press();
      },
    });
    expect(r.code, r.err).toBe(130);
    expect(r.err).toContain('Interrupted before the first write: nothing was written.');
    expect(r.stdout).not.toContain('Plan: ');
    expect(ep().calls({ operation: 'DescribeParameters', region: 'ap-south-1' }).length).toBeLessThan(3);
    expect(ep().calls({ operation: 'PutParameter', region: 'us-east-1' })).toEqual([]);
    expect(
      ep()
        .state.listParameters('ap-south-1')
        .map((p) => p.name),
    ).not.toContain(lockName('default'));
  });

  it('says what it wrote when Ctrl-C comes after re-creating what an interrupted replace left missing', async () => {
    // A run killed during a replace's 30 s wait: its lease expired with two replicas still pending.
    seedFleet(ep(), 120);
    const pending = ['/prod/app/p00000', '/prod/app/p00001'];
    ep().state.putParameter({
      region: 'ap-south-1',
      name: lockName('default'),
      type: 'String',
      value: JSON.stringify({
        token: 'killed',
        owner: 'a run that was killed',
        since: 0,
        expires: 1,
        pending: pending.map((name) => ({ target: 'us-east-1', name, at: 0 })),
      }),
    });
    const key = ctrlC();
    let puts = 0;
    const r = await runCliCaptured(['apply', '--manifest', manifestPath(), '--yes', '--debug'], env(), {
      onInterrupt: key.onInterrupt,
      // The first re-create answered: Ctrl-C; the recovery finishes its writes, the plan's read stops.
      onStderr: (text) => {
        if (/^debug: ssm PutParameter us-east-1 HTTP 200/m.test(text) && ++puts === 1) key.press();
      },
    });

    expect(r.code, r.err).toBe(130);
    const written = ep()
      .state.listParameters('us-east-1')
      .map((p) => p.name);
    expect(written.sort()).toEqual(pending);
    expect(r.err).not.toContain('nothing was written');
    expect(r.err).toContain(
      "Interrupted before the plan's first write, after 2 write(s) re-creating replicas an interrupted replace had left missing.",
    );
  });

  it('ends a wait for a lock another apply holds, writing nothing, and exits 130', async () => {
    seedFleet(ep(), 3);
    holdLock(ep(), 'another run', LOCK_TTL_MS);
    const key = ctrlC();
    const r = await runCliCaptured(['apply', '--manifest', manifestPath(), '--yes', '--debug'], env(), {
      onInterrupt: key.onInterrupt,
      // The held lock read: the user presses Ctrl-C rather than wait out the 300 s lock timeout.
      onStderr: (text) => {
        if (/^debug: ssm GetParameters ap-south-1 HTTP 200/m.test(text)) key.press();
      },
    });

    expect(r.code).toBe(130);
    expect(r.err).toMatch(/Stopped while waiting \d+ s for the lock .* Nothing was read or written\./);
    expect(ep().calls({ operation: 'PutParameter', region: 'us-east-1' })).toEqual([]);
    expect(ep().calls({ operation: 'DescribeParameters' })).toEqual([]);
  });

  it('prints one valid JSON document with status interrupted in json mode', async () => {
    seedFleet(ep(), 40);
    const key = ctrlC();
    let puts = 0;
    const r = await runCliCaptured(
      ['apply', '--manifest', manifestPath(), '--format', 'json', '--debug'],
      env(),
      {
        onInterrupt: key.onInterrupt,
        onStderr: (text) => {
          if (/^debug: ssm PutParameter us-east-1 HTTP 200/m.test(text) && ++puts === 5) key.press();
        },
      },
    );
    expect(r.code).toBe(130);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe('interrupted');
    expect(doc.summary.applied + doc.summary.skipped).toBe(40);
    expect(doc.summary.skipped).toBeGreaterThan(0);
  });
});

describe('the interrupt hub of the bin', () => {
  it('tells the listeners on the first interrupt and exits 130 at once on the second', () => {
    const exits: number[] = [];
    const said: string[] = [];
    const hub = interruptHub(
      (code) => exits.push(code),
      (text) => said.push(text),
    );
    let heard = 0;
    hub.onInterrupt(() => heard++);
    hub.interrupt();
    expect([heard, exits]).toEqual([1, []]);
    hub.interrupt();
    expect([heard, exits]).toEqual([1, [130]]);
    expect(said.join('')).toMatch(/Interrupted again: stopping now/);
  });

  it('exits 130 at the first interrupt when nothing is being written, ending the line ^C was typed on', () => {
    const exits: number[] = [];
    const said: string[] = [];
    const hub = interruptHub(
      (code) => exits.push(code),
      (text) => said.push(text),
    );
    const off = hub.onInterrupt(() => undefined);
    off();
    hub.interrupt();
    expect(exits).toEqual([130]);
    // At the question, or over the progress line: the shell's prompt then starts on a line of its own.
    expect(said).toEqual(['\nInterrupted.\n']);
  });
});
