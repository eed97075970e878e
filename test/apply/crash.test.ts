import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyJob } from '../../src/jobs/apply-job.js';
import { parseManifest } from '../../src/manifest/index.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { current, listUnder, SOURCE, seedFleet } from '../support/seed.js';

let ep: Endpoint;
beforeAll(async () => {
  ep = await startEndpoint({ latency: 5 });
});
afterAll(() => ep.stop());

// Slow enough (20 puts/s) that the process is certainly mid-apply when it is killed.
const MANIFEST = `version: 1
source: { region: ap-south-1 }
throughput: { put: 20 }
replications:
  - name: app
    paths: [/prod/app]
    destinations: [{ region: us-east-1 }, { region: eu-west-1 }]
`;

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('an apply killed with SIGKILL mid-run', () => {
  it('loses nothing: the next run finishes the job and touches nothing unmanaged', async () => {
    seedFleet(ep, 60);
    ep.state.putParameter({ region: 'us-east-1', name: '/prod/app/handmade', value: 'mine', type: 'String' });
    const dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-crash-'));
    const manifestPath = join(dir, 'replication.yaml');
    await writeFile(manifestPath, MANIFEST);

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', 'apply', '--manifest', manifestPath],
      {
        env: {
          ...process.env,
          AWS_ENDPOINT_URL: ep.url,
          AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
          AWS_SECRET_ACCESS_KEY: 'test',
        },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    await waitFor(() => ep.calls({ operation: 'PutParameter' }).length >= 30, 30_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const writtenBeforeKill = ep.calls({ operation: 'PutParameter' }).length;
    expect(writtenBeforeKill).toBeLessThan(120);

    const { manifest } = parseManifest(MANIFEST, 'replication.yaml');
    // The killed run still holds the lock: the rerun waits out its lease, then breaks it.
    const rerun = await applyJob({
      ...jobContext(ep, manifest),
      lock: { owner: 'rerun', timeoutMs: 600_000 },
    });
    expect(rerun.kind === 'done' && rerun.report).toMatchObject({ failed: 0, drifted: 0 });
    for (const region of ['us-east-1', 'eu-west-1']) {
      expect(
        listUnder(ep, region, '/prod/app/p')
          .map((p) => p.value)
          .sort(),
      ).toEqual(
        listUnder(ep, SOURCE, '/prod/app/p')
          .map((p) => p.value)
          .sort(),
      );
    }
    expect(current(ep, 'us-east-1', '/prod/app/handmade')).toMatchObject({ value: 'mine', version: 1 });
    // Nothing written twice: every replica is at version 1.
    expect(listUnder(ep, 'us-east-1', '/prod/app/p').every((p) => p.version === 1)).toBe(true);
  }, 60_000);
});
