import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import type { Endpoint } from '../endpoint/index.js';
import { useEndpoint } from '../support/endpoint.js';

/** One destination, rates high enough that 60 writes take no time. */
export const FLEET_MANIFEST = `version: 1
source:
  region: ap-south-1
value-display: non-secret
throughput: { put: 10000, get: 10000, describe: 10000 }
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
      - region: us-east-1
`;

/**
 * The endpoint, the CLI's environment (the SDK's credential chain reads the process environment too) and
 * a manifest file, for the CLI tests of this directory.
 */
export function useCliFixture(manifest = FLEET_MANIFEST): {
  ep: () => Endpoint;
  env: () => Record<string, string>;
  manifestPath: () => string;
  dir: () => string;
} {
  const ep = useEndpoint();
  let env: Record<string, string> = {};
  let dir = '';
  beforeAll(async () => {
    env = {
      AWS_ENDPOINT_URL: ep().url,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY',
      AWS_MAX_ATTEMPTS: '2',
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-cli-'));
    await writeFile(join(dir, 'replication.yaml'), manifest);
  });
  afterAll(() => vi.unstubAllEnvs());
  return { ep, env: () => env, manifestPath: () => join(dir, 'replication.yaml'), dir: () => dir };
}
