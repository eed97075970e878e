import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Endpoint } from '../endpoint/index.js';
import { runCliCaptured } from '../support/cli.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE } from '../support/seed.js';

/** Issue 12, findings 3 and 4: untrusted text on the CLI's channels, through the real SDK. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const SECRET = 'CANARY-HOSTILE-4b1d9e';

const endpoint = useEndpoint();
let ep: Endpoint;
let dir: string;
let env: Record<string, string>;

const MANIFEST = `version: 1
source:
  region: ${SOURCE}
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
      - region: us-east-1
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-hostile-'));
});
beforeEach(async () => {
  ep = endpoint();
  env = {
    AWS_ENDPOINT_URL: ep.url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_MAX_ATTEMPTS: '2',
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  await writeFile(join(dir, 'replication.yaml'), MANIFEST);
  ep.state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_PASSWORD',
    value: SECRET,
    type: 'SecureString',
  });
});
afterAll(() => vi.unstubAllEnvs());

const cli = (...argv: string[]) => runCliCaptured(argv, env);
const everything = (r: { stdout: string; stderr: string; out: string; err: string }) =>
  [r.stdout, r.stderr, r.out, r.err].join('\n');

/** Whether any eight characters of the secret in a row appear: a quoted prefix counts as a leak. */
function leaks(text: string, secret = SECRET): string | undefined {
  for (let i = 0; i + 8 <= secret.length; i++) {
    if (text.includes(secret.slice(i, i + 8))) return secret.slice(i, i + 8);
  }
  return undefined;
}

describe('control characters in the manifest', () => {
  const hostile = `version: 1
source:
  region: ${SOURCE}
replications:
  - name: prod-app
    paths: ["/prod/app\\e]0;pwned\\a\\e[2J", "/prod/x\\n::error::forged"]
    destinations:
      - region: us-east-1
        role-arn: "arn:aws:iam::123456789012:role/x\\e[2J\\n::error::forged"
`;

  it('are shown as escapes by validate and plan, and no line is forged', async () => {
    const path = join(dir, 'hostile.yaml');
    await writeFile(path, hostile);
    for (const command of ['validate', 'plan']) {
      const r = await cli(command, '--manifest', path);
      expect(r.code).toBe(1);
      const text = everything(r);
      expect(text).not.toMatch(RAW_CONTROL);
      expect(text.split('\n').filter((line) => line.startsWith('::'))).toEqual([]);
      expect(r.err).toContain("path '/prod/app\\x1b]0;pwned\\x07\\x1b[2J' contains '\\x1b'");
    }
  });
});

describe('AWS error messages', () => {
  it('keep a SecureString value that a ValidationException repeats out of the report and the journal', async () => {
    ep.faults.failNext({
      operation: 'PutParameter',
      region: 'us-east-1',
      error: 'ValidationException',
      message: `Parameter value '${SECRET}\u001b[2J' failed to satisfy constraint: Member must have length less than or equal to 4096`,
      count: 10,
    });
    const journal = join(dir, 'journal.jsonl');
    const r = await cli('apply', '--manifest', join(dir, 'replication.yaml'), '--journal', journal);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      "ValidationException: Parameter value '***\\x1b[2J' failed to satisfy constraint",
    );
    const written = everything(r) + (await readFile(journal, 'utf8'));
    expect(leaks(written)).toBeUndefined();
    expect(written).not.toMatch(RAW_CONTROL);
  });

  it('never quote a decrypted value from a GetParameters answer the SDK could not parse', async () => {
    ep.faults.malformNext({
      operation: 'GetParameters',
      region: SOURCE,
      body: (real) => real.replace('"Value":"', '"Value":#"'),
    });
    // A plan decrypts nothing unless asked to verify values.
    const r = await cli('plan', '--verify', 'values', '--manifest', join(dir, 'replication.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/GetParameters.*could not be parsed/);
    expect(leaks(everything(r))).toBeUndefined();
  });
});
