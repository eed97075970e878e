import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddTagsToResourceCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ActionDeps, run } from '../../src/action/run.js';
import { sdkStoreFactory } from '../../src/aws/factory.js';
import { ssmClient } from '../endpoint/clients.js';
import type { Endpoint } from '../endpoint/index.js';
import { fastClock, settingsFor } from '../support/aws.js';
import { useEndpoint } from '../support/endpoint.js';
import { PROTOTYPE_KEYS } from '../support/keys.js';
import { current, SOURCE } from '../support/seed.js';
import { BOT, FakeGitHub } from './github/fake-port.js';
import { RecordingHost } from './support/recording-host.js';

/** run() with a recording host, the in-memory GitHub and the real SDK against the local endpoint. */

const MANIFEST = `version: 1
source:
  region: ap-south-1
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
      - region: us-east-1
`;
const SECRET = 'CANARY-RUN-51c0de';
const SHA = 'b'.repeat(40);
const repository = { id: 1, full_name: 'acme/params', default_branch: 'main' };

const endpoint = useEndpoint();
let ep: Endpoint;
let gh: FakeGitHub;
let workspace: string;

beforeEach(() => {
  ep = endpoint();
  gh = new FakeGitHub();
  workspace = mkdtempSync(join(tmpdir(), 'ssm-replicate-run-'));
  mkdirSync(join(workspace, 'config'));
  writeFileSync(join(workspace, 'config', 'replication.yaml'), MANIFEST);
  ep.state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_PASSWORD',
    value: SECRET,
    type: 'SecureString',
  });
});

/** A file next to the workspace, as a runner's credentials file would be. */
function outsideFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ssm-replicate-outside-')), 'credentials');
  writeFileSync(path, content);
  return path;
}

async function runWith(
  eventName: string,
  payload: unknown,
  inputs: Record<string, string> = {},
  options: { credentials?: boolean } = {},
) {
  const host = new RecordingHost({ 'github-token': 'ghs_x', ...inputs });
  const eventPath = join(workspace, '..', `${eventName}-event.json`);
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
    storeFor: () => sdkStoreFactory(settingsFor(ep)),
    hasAwsCredentials: async () => options.credentials ?? true,
    clock: fastClock(),
  };
  await run(deps);
  return host;
}

const pushEvent = { ref: 'refs/heads/main', after: SHA, repository };
const prEvent = {
  action: 'opened',
  pull_request: { number: 7, head: { sha: SHA, repo: repository }, base: { ref: 'main', repo: repository } },
};

describe('the Action run', () => {
  it('annotates each manifest error on its file and line, relative to the workspace, and fails', async () => {
    writeFileSync(join(workspace, 'config', 'replication.yaml'), `${MANIFEST}  - name: Bad Name\n`);
    const host = await runWith('pull_request', prEvent);
    const [error] = host.of('error');
    expect(error?.properties).toMatchObject({ file: 'config/replication.yaml', startLine: 9 });
    expect(host.failed).toBe('config/replication.yaml has 3 error(s); see the annotations on the file.');
    expect(host.outputs.status).toBe('invalid');
    expect(gh.calls).toEqual([]);
    expect(ep.calls()).toEqual([]);
  });

  it.each([
    ['a link to /proc/self/environ', () => '/proc/self/environ'],
    [
      'a link to a runner file outside the workspace',
      () => outsideFile('AWS_SECRET_ACCESS_KEY=CANARY-OUTSIDE-9d2'),
    ],
  ])('refuses %s as the manifest, printing none of it', async (_, target) => {
    const path = join(workspace, 'config', 'replication.yaml');
    rmSync(path);
    symlinkSync(target(), path);
    const host = await runWith('pull_request', prEvent);
    expect(host.outputs.status).toBe('invalid');
    const [error] = host.of('error');
    expect(error?.properties).toMatchObject({ file: 'config/replication.yaml', startLine: 1 });
    expect(error?.message).toMatch(
      /^cannot read the manifest: it resolves to '.*', outside the workspace '.*'; use a file inside the workspace/,
    );
    const printed = JSON.stringify([host.log, host.failed, host.summaries]);
    expect(printed).not.toContain('CANARY-OUTSIDE');
    for (const entry of readFileSync('/proc/self/environ', 'utf8').split('\0').filter(Boolean)) {
      expect(printed).not.toContain(entry);
    }
    expect(gh.calls).toEqual([]);
    expect(ep.calls()).toEqual([]);
  });

  it('follows a link to a manifest inside the workspace', async () => {
    const path = join(workspace, 'config', 'replication.yaml');
    writeFileSync(join(workspace, 'shared.yaml'), MANIFEST);
    rmSync(path);
    symlinkSync('../shared.yaml', path);
    const host = await runWith('pull_request', prEvent);
    expect(host.failed).toBeUndefined();
    expect(host.outputs.status).toBe('planned');
  });

  it('registers every SecureString value as a secret before logging anything about the plan', async () => {
    const host = await runWith('pull_request', prEvent);
    const first = host.log.findIndex((r) => r.kind !== 'secret');
    expect(host.log.slice(0, first)).toEqual([{ kind: 'secret', message: SECRET }]);
    expect(host.failed).toBeUndefined();
    expect(gh.writes.map((c) => c.method)).toEqual(['createIssueComment']);
  });

  it('refuses a direct push without allow-plan-change, saying why, and writes nothing', async () => {
    const host = await runWith('push', pushEvent);
    expect(host.failed).toMatch(
      /^Commit bbbbbbbbbbbb reached the default branch without a merged pull request/,
    );
    expect(host.failed).toContain("set 'allow-plan-change: true'");
    expect(host.outputs.status).toBe('unreviewed');
    expect(ep.calls({ operation: 'PutParameter' })).toEqual([]);
    expect(gh.writes).toEqual([]);
  });

  it('applies a direct push when allow-plan-change is true', async () => {
    const host = await runWith('push', pushEvent, { 'allow-plan-change': 'true' });
    expect(host.failed).toBeUndefined();
    expect(host.outputs.status).toBe('applied');
    expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')?.value).toBe(SECRET);
  });

  it('leaves an applied comment alone when a re-run of the push finds nothing left to apply', async () => {
    await runWith('pull_request', prEvent);
    gh.pullsByCommit.set(SHA, [
      { number: 7, state: 'closed', mergedAt: '2026-01-01T00:00:00Z', mergeCommitSha: SHA, baseRef: 'main' },
    ]);
    expect((await runWith('push', pushEvent)).outputs.status).toBe('applied');
    const applied = gh.commentsOn(7)[0]?.body;
    expect(applied).toContain(
      '✅ **Applied** in [workflow run](https://github.com/acme/params/actions/runs/77): 1 change written.',
    );

    const writes = gh.writes.length;
    const rerun = await runWith('push', pushEvent);
    expect(rerun.failed).toBeUndefined();
    expect(rerun.outputs.status).toBe('no-changes');
    expect(gh.writes).toHaveLength(writes);
    expect(gh.commentsOn(7)[0]?.body).toBe(applied);
  });

  it('refuses the merge when kms-key-id changed after the PR plan was reviewed, writing nothing', async () => {
    ep.state.createKey({ region: 'us-east-1', alias: 'alias/prod-key' });
    ep.state.createKey({ region: 'us-east-1', alias: 'alias/other-key' });
    const keyed = (key: string) => `${MANIFEST}        kms-key-id: ${key}\n`;
    writeFileSync(join(workspace, 'config', 'replication.yaml'), keyed('alias/prod-key'));
    await runWith('pull_request', prEvent);
    gh.pullsByCommit.set(SHA, [
      { number: 7, state: 'closed', mergedAt: '2026-01-01T00:00:00Z', mergeCommitSha: SHA, baseRef: 'main' },
    ]);
    writeFileSync(join(workspace, 'config', 'replication.yaml'), keyed('alias/other-key'));
    const host = await runWith('push', pushEvent);
    expect(host.outputs.status).toBe('plan-changed');
    expect(host.failed).toMatch(/^Nothing was applied: plan changed since review/);
    // The source region sees only the apply lock's own parameter.
    expect(ep.calls({ operation: 'PutParameter', region: 'us-east-1' })).toEqual([]);
  });

  it('fails an apply or a drift check without AWS credentials, but ends a plan with a notice', async () => {
    const plan = await runWith('pull_request', prEvent, {}, { credentials: false });
    expect(plan.failed).toBeUndefined();
    expect(plan.of('notice')[0]?.message).toMatch(/^No AWS credentials in this job .*: skipping the plan\.$/);
    const drift = await runWith('schedule', {}, {}, { credentials: false });
    expect(drift.failed).toMatch(/^No AWS credentials in this job .*: cannot check drift\.$/);
    expect(gh.calls).toEqual([]);
  });

  it('reports drift as a warning, not a failure, when fail-on-drift is false', async () => {
    const host = await runWith('schedule', {}, { 'fail-on-drift': 'false' });
    expect(host.failed).toBeUndefined();
    expect(host.outputs.status).toBe('drifted');
    expect(host.of('warning')[0]?.message).toMatch(
      /^Replicas differ from config\/replication.yaml: 1 to create/,
    );
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]?.author).toBe(BOT);
  });

  it('plans, checks drift and applies source tags named like Object.prototype members', async () => {
    const Tags = PROTOTYPE_KEYS.map((Key) => ({ Key, Value: 'x' }));
    await ssmClient(ep, SOURCE).send(
      new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/prod/app/DB_PASSWORD', Tags }),
    );

    const plan = await runWith('pull_request', prEvent);
    expect(plan.failed).toBeUndefined();
    expect(plan.outputs.status).toBe('planned');
    const comment = gh.commentsOn(7)[0]?.body ?? '';
    for (const key of PROTOTYPE_KEYS) {
      expect(comment).toContain(`tag + ${key} = "x"`);
      expect(plan.summaries.join('\n')).toContain(`tag + ${key} = "x"`);
    }
    const drift = await runWith('schedule', {});
    expect(drift.outputs.status).toBe('drifted');
    expect(gh.issues).toHaveLength(1);

    const apply = await runWith('push', pushEvent, { 'allow-plan-change': 'true' });
    expect(apply.failed).toBeUndefined();
    expect(apply.outputs.status).toBe('applied');
    const written = current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')?.tags ?? {};
    expect(Object.keys(written).sort()).toEqual(
      [...PROTOTYPE_KEYS, 'ssm-replicate:managed-by', 'ssm-replicate:owner'].sort(),
    );
    expect((await runWith('schedule', {})).outputs.status).toBe('in-sync');
  });

  it('names the input when an input is invalid, before any request', async () => {
    const host = await runWith('pull_request', prEvent, { mode: 'sync' });
    expect(host.failed).toBe("Invalid input 'mode': 'sync'. Expected one of auto, plan, apply, drift.");
    expect(host.outputs.status).toBe('error');
    expect(gh.calls).toEqual([]);
  });
});
