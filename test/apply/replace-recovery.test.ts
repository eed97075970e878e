import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/apply/types.js';
import { applyJob } from '../../src/jobs/apply-job.js';
import { parseManifest } from '../../src/manifest/index.js';
import { jobContext } from '../support/aws.js';
import { OWNER } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { current, SOURCE } from '../support/seed.js';

const endpoint = useEndpoint({ latency: 2 });

const MANIFEST = `version: 1
source: { region: ${SOURCE} }
replications:
  - name: app
    paths: [/prod/app]
    destinations: [{ region: us-east-1 }]
`;

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a replace killed during its 30 s wait', () => {
  it('is finished by the next run that takes the lock, even one for other names, with a journal record', async () => {
    const ep = endpoint();
    const names = Array.from({ length: 4 }, (_, i) => `/prod/app/T${i}`);
    for (const name of [...names, '/prod/app/other']) {
      ep.state.putParameter({ region: SOURCE, name, value: `v-${name}`, type: 'String' });
    }
    // Advanced replicas of Standard sources: AWS cannot move a parameter down a tier, so each is replaced.
    for (const name of names) {
      ep.state.putParameter({
        region: 'us-east-1',
        name,
        value: `v-${name}`,
        type: 'String',
        tier: 'Advanced',
        tags: { [OWNER.key]: OWNER.value },
      });
    }
    const dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-replace-'));
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
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => ep.calls({ region: 'us-east-1', operation: 'DeleteParameters' }).length > 0, 30_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(names.filter((n) => current(ep, 'us-east-1', n) === undefined)).toEqual(names);

    // What the Lambda does for an event about another name: plan and apply just that name.
    const { manifest } = parseManifest(MANIFEST, 'replication.yaml');
    const journal: JournalEntry[] = [];
    const result = await applyJob(
      { ...jobContext(ep, manifest), lock: { owner: 'next run', timeoutMs: 600_000 } },
      {
        names: ['/prod/app/other'],
        journal: (e) => {
          journal.push(e);
        },
      },
    );

    for (const name of names)
      expect(current(ep, 'us-east-1', name)).toMatchObject({
        value: `v-${name}`,
        tier: 'Standard',
        version: 1,
      });
    expect(result.kind === 'done' && result.report.failed).toBe(0);
    const recovered = journal.filter((e) => e.recovers === 'interrupted-replace');
    expect(recovered.map((e) => [e.name, e.action, e.outcome ?? 'before']).sort()).toEqual(
      names.flatMap((n) => [
        [n, 'create', 'applied'],
        [n, 'create', 'before'],
      ]),
    );
    expect(current(ep, 'us-east-1', '/prod/app/other')?.value).toBe('v-/prod/app/other');
  }, 60_000);
});
