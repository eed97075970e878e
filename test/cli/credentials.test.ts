import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FLEET_MANIFEST, runCliCaptured } from '../support/cli.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE } from '../support/seed.js';

const ep = useEndpoint();
let dir = '';
let files: Record<string, string> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-creds-'));
  await writeFile(join(dir, 'replication.yaml'), FLEET_MANIFEST);
  files = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
  await writeFile(files.AWS_CONFIG_FILE as string, '[profile half]\nregion = us-east-1\n');
  await writeFile(
    files.AWS_SHARED_CREDENTIALS_FILE as string,
    '[withkeys]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = test-secret\n',
  );
});
afterEach(() => vi.unstubAllEnvs());

/**
 * The CLI with exactly this AWS environment: the SDK's credential chain reads the process environment,
 * so every variable it looks at is set or removed there too (no instance metadata, no home directory).
 */
async function run(extra: Record<string, string>, ...argv: string[]) {
  const env: Record<string, string | undefined> = {
    AWS_ENDPOINT_URL: ep().url,
    AWS_MAX_ATTEMPTS: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    HOME: dir,
    ...files,
    ...extra,
  };
  for (const key of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
  ])
    vi.stubEnv(key, undefined);
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  return runCliCaptured(
    [argv[0] ?? 'plan', '--manifest', join(dir, 'replication.yaml'), ...argv.slice(1)],
    env,
  );
}

describe('credential and profile errors', () => {
  it('say that no credentials were found and how to provide them, not that a listing was partial', async () => {
    const r = await run({});
    expect(r.code).toBe(1);
    expect(r.err).toContain('No AWS credentials found');
    expect(r.err).toContain('Set AWS_PROFILE to a profile (aws configure list-profiles)');
    expect(r.err).not.toMatch(/partial listing|Could not load credentials from any providers/);
    expect(ep().calls()).toEqual([]);
  });

  it('name a bogus AWS_PROFILE and the files it is missing from', async () => {
    const r = await run({ AWS_PROFILE: 'bogus' });
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      `AWS_PROFILE is 'bogus', but no such profile is in ${files.AWS_CONFIG_FILE} or ${files.AWS_SHARED_CREDENTIALS_FILE}.`,
    );
    expect(r.err).toContain('aws configure --profile bogus');
  });

  it('name a profile that exists but gives no credentials', async () => {
    const r = await run({ AWS_PROFILE: 'half' });
    expect(r.code).toBe(1);
    expect(r.err).toContain("No AWS credentials could be loaded for profile 'half' (AWS_PROFILE)");
    expect(r.err).toContain('aws sso login --profile half');
  });

  it('name the profile whose token expired, in plan and in apply (whose first call is the lock)', async () => {
    for (const command of ['plan', 'apply']) {
      ep().faults.failNext({
        operation: command === 'plan' ? 'DescribeParameters' : 'PutParameter',
        region: SOURCE,
        count: 20,
        error: 'ExpiredTokenException',
        message: 'The security token included in the request is expired',
      });
      const r = await run({ AWS_PROFILE: 'withkeys' }, command);
      expect(r.code, command).toBe(1);
      expect(r.err).toContain(
        "The AWS credentials of profile 'withkeys' (AWS_PROFILE) have expired (ExpiredTokenException). Refresh them or log in again (aws sso login --profile withkeys)",
      );
      expect(r.err).not.toContain('partial listing');
      ep().faults.clear();
    }
  });

  it('say which credentials AWS rejected', async () => {
    ep().faults.failNext({
      operation: 'DescribeParameters',
      region: SOURCE,
      count: 20,
      error: 'UnrecognizedClientException',
    });
    const r = await run({ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'x' });
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'AWS rejected the credentials of the environment (AWS_ACCESS_KEY_ID) (UnrecognizedClientException)',
    );
  });
});
