import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/apply/types.js';
import type { Endpoint } from '../endpoint/index.js';
import { runCliCaptured } from '../support/cli.js';
import { useEndpoint } from '../support/endpoint.js';
import { listUnder, replicaCalls, SOURCE, seedFleet } from '../support/seed.js';

const endpoint = useEndpoint({ latency: 5 });

// Slow enough (20 puts/s) that the process is certainly mid-apply when it is killed.
const MANIFEST = `version: 1
source: { region: ${SOURCE} }
throughput: { put: 20 }
replications:
  - name: app
    paths: [/prod/app]
    destinations: [{ region: us-east-1 }, { region: eu-west-1 }]
`;

const env = (ep: Endpoint) => ({
  AWS_ENDPOINT_URL: ep.url,
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: SOURCE,
});

async function manifestFile(): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-journal-'));
  const path = join(dir, 'replication.yaml');
  await writeFile(path, MANIFEST);
  return { dir, path };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const replicaPuts = (ep: Endpoint) => replicaCalls(ep, 'PutParameter').length;

describe('the apply journal', () => {
  it('has a durable line for every write that reached AWS when the apply is killed with SIGKILL', async () => {
    const ep = endpoint();
    seedFleet(ep, 60);
    const { dir, path } = await manifestFile();
    const journal = join(dir, 'journal.jsonl');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'apply', '--manifest', path, '--journal', journal],
      { env: { ...process.env, ...env(ep) }, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => replicaPuts(ep) >= 30, 30_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const lines = (await readFile(journal, 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as JournalEntry);
    const announced = new Set(
      lines.filter((e) => e.outcome === undefined).map((e) => `${e.region}\n${e.name}`),
    );
    const written = ['us-east-1', 'eu-west-1'].flatMap((region) =>
      listUnder(ep, region, '/prod/app/').map((p) => `${region}\n${p.name}`),
    );
    expect(written.length).toBeGreaterThanOrEqual(30);
    expect(written.filter((w) => !announced.has(w))).toEqual([]);
  }, 60_000);

  it('fails before reading or writing anything when the journal path is not writable, with a clear message', async () => {
    const ep = endpoint();
    seedFleet(ep, 5);
    const { dir, path } = await manifestFile();
    const journal = join(dir, 'no-such-dir', 'journal.jsonl');

    const run = await runCliCaptured(['apply', '--manifest', path, '--journal', journal], env(ep));

    expect(run.code).toBe(1);
    expect(run.err).toContain(
      `cannot open the journal ${journal} for appending (ENOENT); nothing was written`,
    );
    expect(run.err).not.toMatch(/unexpected error|\n\s+at /);
    expect(ep.calls()).toEqual([]);
  });
});
