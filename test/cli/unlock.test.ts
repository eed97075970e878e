import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { LOCK_TTL_MS, lockName } from '../../src/apply/lock.js';
import { runCliCaptured } from '../support/cli.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE } from '../support/seed.js';

const endpoint = useEndpoint();
const LOCK = lockName('team-a');

async function setup() {
  const ep = endpoint();
  const dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-unlock-'));
  const manifest = join(dir, 'replication.yaml');
  await writeFile(
    manifest,
    `version: 1\nid: team-a\nsource: { region: ${SOURCE} }\nreplications:\n  - name: app\n    paths: [/prod/app]\n    destinations: [{ region: us-east-1 }]\n`,
  );
  const env = {
    AWS_ENDPOINT_URL: ep.url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  // The SDK's credential chain reads the process environment.
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const hold = (expires: number) =>
    ep.state.putParameter({
      region: SOURCE,
      name: LOCK,
      type: 'String',
      value: JSON.stringify({
        token: 't',
        owner: 'ssm-replicate apply (cli) by bob@build-7 pid 4711',
        since: expires - LOCK_TTL_MS,
        expires,
        pending: [{ target: 'us-east-1', name: '/prod/app/T', at: expires - LOCK_TTL_MS }],
      }),
    });
  const unlock = (...args: string[]) => runCliCaptured(['unlock', '--manifest', manifest, ...args], env);
  return { ep, hold, unlock };
}

describe('ssm-replicate unlock', () => {
  it('refuses a live lease without --force, naming the holder, and releases it with --force', async () => {
    const { ep, hold, unlock } = await setup();
    hold(Date.now() + 3_600_000);

    const refused = await unlock();
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('held by ssm-replicate apply (cli) by bob@build-7 pid 4711 since');
    expect(refused.err).toContain('1 interrupted replace(s) pending (us-east-1 /prod/app/T)');
    expect(ep.state.getParameter(SOURCE, LOCK)).toBeDefined();

    const forced = await unlock('--force');
    expect(forced.code, forced.err).toBe(0);
    expect(forced.out).toContain(`Released the lock ${LOCK}`);
    expect(ep.state.getParameter(SOURCE, LOCK)).toBeUndefined();
  });

  it('releases an expired lease without --force and says when there is nothing to release', async () => {
    const { ep, hold, unlock } = await setup();
    hold(Date.now() - 1_000);
    expect((await unlock()).code).toBe(0);
    expect(ep.state.getParameter(SOURCE, LOCK)).toBeUndefined();
    const none = await unlock();
    expect(none.code).toBe(0);
    expect(none.out).toContain('No apply lock is held for manifest team-a.');
  });
});
