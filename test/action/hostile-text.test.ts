import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ActionDeps, run } from '../../src/action/run.js';
import { sdkStoreFactory } from '../../src/aws/factory.js';
import type { Endpoint } from '../endpoint/index.js';
import { fastClock, settingsFor } from '../support/aws.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE } from '../support/seed.js';
import { FakeGitHub } from './github/fake-port.js';
import { RecordingHost } from './support/recording-host.js';

/** Issue 12, findings 3, 4 and 7 in the Action: annotations, the PR comment, the summary, masking. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const SECRET = 'CANARY-ACTION-9e2f4a';
const SHA = 'c'.repeat(40);
const repository = { id: 1, full_name: 'acme/params', default_branch: 'main' };
const prEvent = {
  action: 'opened',
  pull_request: { number: 7, head: { sha: SHA, repo: repository }, base: { ref: 'main', repo: repository } },
};
const pushEvent = { ref: 'refs/heads/main', after: SHA, repository };
const MANIFEST = `version: 1
source:
  region: ${SOURCE}
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
      - region: us-east-1
`;

const endpoint = useEndpoint();
let ep: Endpoint;
let gh: FakeGitHub;
let workspace: string;

beforeEach(() => {
  ep = endpoint();
  gh = new FakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'ssm-replicate-hostile-'));
  mkdirSync(join(workspace, 'config'));
  writeFileSync(join(workspace, 'config', 'replication.yaml'), MANIFEST);
});

async function runWith(
  eventName: string,
  payload: unknown,
  inputs: Record<string, string> = {},
): Promise<RecordingHost> {
  const host = new RecordingHost({ 'github-token': 'ghs_x', ...inputs });
  const eventPath = join(workspace, '..', `${eventName}-${Date.now()}-event.json`);
  writeFileSync(eventPath, JSON.stringify(payload));
  const deps: ActionDeps = {
    host,
    env: {
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'acme/params',
      GITHUB_WORKSPACE: workspace,
      GITHUB_RUN_ID: '77',
      RUNNER_TEMP: workspace,
    },
    cwd: workspace,
    github: () => gh,
    storeFor: (_manifest, secrets) => sdkStoreFactory({ ...settingsFor(ep), secrets }),
    hasAwsCredentials: async () => true,
    clock: fastClock(),
  };
  await run(deps);
  return host;
}

/** Everything the run wrote anywhere but to the runner's masking: log, annotations, summary, GitHub. */
function written(host: RecordingHost): string {
  const log = host.log
    .filter((r) => r.kind !== 'secret')
    .map((r) => `${r.message} ${JSON.stringify(r.properties ?? {})}`);
  const github = gh.writes.map((c) => JSON.stringify(c.args));
  return [...log, ...host.summaries, host.failed ?? '', ...Object.values(host.outputs), ...github].join('\n');
}

function leaks(text: string, secret = SECRET): string | undefined {
  for (let i = 0; i + 8 <= secret.length; i++) {
    if (text.includes(secret.slice(i, i + 8))) return secret.slice(i, i + 8);
  }
  return undefined;
}

describe('the Action with hostile text', () => {
  it('annotates a manifest path holding terminal escapes with the escapes made visible', async () => {
    writeFileSync(
      join(workspace, 'config', 'replication.yaml'),
      MANIFEST.replace('[/prod/app]', '["/prod/app\\e]0;pwned\\a\\e[2J\\n::error::forged"]'),
    );
    const host = await runWith('pull_request', prEvent);
    expect(host.outputs.status).toBe('invalid');
    const [error] = host.of('error');
    expect(error?.message).toContain("path '/prod/app\\x1b]0;pwned\\x07\\x1b[2J\\n::error::forged' contains");
    expect(written(host)).not.toMatch(RAW_CONTROL);
  });

  it('keeps a value that an AWS error repeats out of the PR comment, the summary and the log', async () => {
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/DB_PASSWORD',
      value: SECRET,
      type: 'SecureString',
    });
    await runWith('pull_request', prEvent);
    gh.pullsByCommit.set(SHA, [
      { number: 7, state: 'closed', mergedAt: '2026-01-01T00:00:00Z', mergeCommitSha: SHA, baseRef: 'main' },
    ]);
    ep.faults.failNext({
      operation: 'PutParameter',
      region: 'us-east-1',
      error: 'ValidationException',
      message: `1 validation error detected: Value '${SECRET}' at 'value' failed to satisfy constraint\n::error::forged`,
      count: 10,
    });
    const host = await runWith('push', pushEvent);
    expect(host.outputs.status).toBe('failed');
    expect(gh.commentsOn(7)[0]?.body).toContain(
      "ValidationException: 1 validation error detected: Value '\\*\\*\\*' at 'value'",
    );
    expect(leaks(written(host))).toBeUndefined();
    expect(
      written(host)
        .split('\n')
        .filter((l) => l.startsWith('::')),
    ).toEqual([]);
  });

  it('keeps a value out of the summary when the cap of the report would cut it in two', async () => {
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/DB_PASSWORD',
      value: SECRET,
      type: 'SecureString',
    });
    // The summary's table shows 300 characters of a message: this puts the cut inside the value.
    ep.faults.failNext({
      operation: 'PutParameter',
      region: 'us-east-1',
      error: 'ValidationException',
      message: `${'x'.repeat(265)} ${SECRET}`,
      count: 10,
    });
    const host = await runWith('push', pushEvent, { 'allow-plan-change': 'true' });
    expect(host.outputs.status).toBe('failed');
    expect(host.summaries.join('\n')).toContain('ValidationException: xxx');
    expect(leaks(written(host))).toBeUndefined();
  });

  it('quotes nothing of a decrypted value from a GetParameters answer the SDK could not parse', async () => {
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/DB_PASSWORD',
      value: SECRET,
      type: 'SecureString',
    });
    ep.faults.malformNext({
      operation: 'GetParameters',
      region: SOURCE,
      body: (real) => real.replace('"Value":"', '"Value":#"'),
    });
    // Only apply decrypts (a pull request's plan reads no value).
    const host = await runWith('push', pushEvent, { 'allow-plan-change': 'true' });
    expect(written(host)).toMatch(/GetParameters .*could not be parsed/);
    expect(leaks(written(host))).toBeUndefined();
  });

  it('masks a JSON secret whole and by its revealing lines, never its braces', async () => {
    const json = `{\n  "user": "admin",\n  "password": "${SECRET}"\n}`;
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/CREDS', value: json, type: 'SecureString' });
    const host = await runWith('push', pushEvent, { 'allow-plan-change': 'true' });
    expect(host.of('secret').map((r) => r.message)).toEqual([
      json,
      '"user": "admin",',
      `"password": "${SECRET}"`,
    ]);
  });
});
