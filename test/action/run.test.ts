import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddTagsToResourceCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ActionDeps, run } from '../../src/action/run.js';
import { LOCK_TTL_MS } from '../../src/apply/lock.js';
import { sdkStoreFactory } from '../../src/aws/factory.js';
import type { ParameterStore } from '../../src/store/port.js';
import { ssmClient } from '../endpoint/clients.js';
import type { Endpoint } from '../endpoint/index.js';
import { fastClock, settingsFor } from '../support/aws.js';
import { useEndpoint } from '../support/endpoint.js';
import { PROTOTYPE_KEYS } from '../support/keys.js';
import { current, holdLock, SOURCE, seedFleet } from '../support/seed.js';
import { wrapStore } from '../support/store.js';
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
  options: {
    credentials?: boolean;
    /** The destination stores, wrapped: to play the runner's signals at a chosen write. */
    wrap?: (store: ParameterStore, host: RecordingHost) => ParameterStore;
    /** The source store (where the apply lock lives), wrapped. */
    wrapSource?: (store: ParameterStore, host: RecordingHost) => ParameterStore;
  } = {},
) {
  const host = new RecordingHost({ 'github-token': 'ghs_x', ...inputs });
  const { wrap, wrapSource } = options;
  const stores = sdkStoreFactory(settingsFor(ep));
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
      GITHUB_SHA: SHA,
      RUNNER_TEMP: workspace,
    },
    cwd: workspace,
    github: () => gh,
    storeFor: () => (target) => {
      const store = stores(target);
      const wrapper = target.region === SOURCE ? wrapSource : wrap;
      return wrapper ? wrapper(store, host) : store;
    },
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

  it('plans a pull request without decrypting anything, so no secret reaches the run at all', async () => {
    const host = await runWith('pull_request', prEvent);
    expect(host.log.filter((r) => r.kind === 'secret')).toEqual([]);
    expect(JSON.stringify(host.log)).not.toContain(SECRET);
    expect(ep.calls().filter((c) => c.withDecryption || c.kmsDecrypts)).toEqual([]);
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

  it('applies a direct push when allow-plan-change is true, registering the value it decrypts as a secret', async () => {
    const host = await runWith('push', pushEvent, { 'allow-plan-change': 'true' });
    expect(host.failed).toBeUndefined();
    expect(host.outputs.status).toBe('applied');
    expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')?.value).toBe(SECRET);
    expect(host.log).toContainEqual({ kind: 'secret', message: SECRET });
    expect(JSON.stringify(host.log.filter((r) => r.kind !== 'secret'))).not.toContain(SECRET);
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
      /^Replicas differ from config\/replication.yaml: 1 parameter differs in 1 region \(missing: 1\) \(not failing/,
    );
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]?.author).toBe(BOT);
  });

  it("states the manifest's own ownership tag once in the comment and in the job summaries", async () => {
    writeFileSync(
      join(workspace, 'config', 'replication.yaml'),
      `${MANIFEST}ownership-tag: { key: team:owned-by, value: platform }\n`,
    );
    const plan = await runWith('pull_request', prEvent);
    const drift = await runWith('schedule', {});
    const texts = [gh.commentsOn(7)[0]?.body ?? '', ...plan.summaries, ...drift.summaries];
    expect(texts).toHaveLength(3);
    for (const text of texts) {
      expect(text).toContain('every new replica is tagged `team:owned-by=platform`');
      expect(text).not.toContain('tag + team:owned-by');
    }
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

  it('names plan-artifact and expect-digest when they are not of their form, before any request', async () => {
    const artifact = await runWith('pull_request', prEvent, { 'plan-artifact': 'plans/latest' });
    expect(artifact.failed).toBe(
      "Invalid input 'plan-artifact': 'plans/latest'. Expected an artifact name, e.g. ssm-replicate-plan.",
    );
    const digest = await runWith('push', pushEvent, { 'expect-digest': 'abc' });
    expect(digest.failed).toMatch(/^Invalid input 'expect-digest': 'abc'\. Expected a plan digest/);
    expect(gh.calls).toEqual([]);
    expect(ep.calls()).toEqual([]);
  });

  it('links the plan run and names the plan artifact on the planned comment', async () => {
    const host = await runWith('pull_request', prEvent, { 'plan-artifact': 'ssm-replicate-plan' });
    expect(host.outputs.status).toBe('planned');
    expect(gh.commentsOn(7)[0]?.body.split('\n')[2]).toBe(
      '📝 **Planned** in [workflow run](https://github.com/acme/params/actions/runs/77) (JSON plan: artifact' +
        ' `ssm-replicate-plan`). Merging applies this plan only if the live plan still has the same digest.',
    );
  });

  it('says on the comment of a plan that changes nothing that merging writes nothing', async () => {
    await runWith('push', pushEvent, { 'allow-plan-change': 'true' });
    const host = await runWith('pull_request', prEvent);
    expect(host.outputs.status).toBe('no-changes');
    const lines = gh.commentsOn(7)[0]?.body.split('\n') ?? [];
    expect(lines[1]).toContain(': No changes. 1 replica in sync in 1 region.');
    expect(lines[2]).toBe(
      '📝 **Planned** in [workflow run](https://github.com/acme/params/actions/runs/77): no changes, so merging writes nothing.',
    );
  });

  it('leads the comment of a blocked plan with Blocked, not with what merging would apply', async () => {
    // A replica of ours whose source is gone, under a delete budget of 0: the plan is blocked.
    ep.state.putParameter({
      region: 'us-east-1',
      name: '/prod/app/OLD',
      value: 'x',
      type: 'String',
      tags: { 'ssm-replicate:managed-by': 'ssm-replicate', 'ssm-replicate:owner': 'default/prod-app' },
    });
    writeFileSync(
      join(workspace, 'config', 'replication.yaml'),
      MANIFEST.replace('replications:', 'defaults:\n  max-deletes: 0\nreplications:'),
    );
    const host = await runWith('pull_request', prEvent);
    expect(host.outputs.status).toBe('blocked');
    const body = gh.commentsOn(7)[0]?.body ?? '';
    expect(body.split('\n')[2]).toBe(
      '🛑 **Blocked** in [workflow run](https://github.com/acme/params/actions/runs/77): merging applies nothing until the blockers below are fixed and the plan runs again.',
    );
    expect(body).toContain('**This plan is blocked and will not be applied.**');
    expect(body).not.toContain('Merging applies this plan');
  });

  it('leads the comment of a plan with an unreadable region with Incomplete, not with a plain Planned', async () => {
    ep.faults.failNext({
      operation: 'DescribeParameters',
      region: 'us-east-1',
      error: 'AccessDeniedException',
      message: 'not authorized to perform ssm:DescribeParameters',
      count: 100,
    });
    const host = await runWith('pull_request', prEvent);
    const body = gh.commentsOn(7)[0]?.body ?? '';
    expect(body.split('\n')[2]).toBe(
      '⚠️ **Incomplete** in [workflow run](https://github.com/acme/params/actions/runs/77): a region could not be read, so nothing is planned there (see the warning). Merging applies the other regions only if the live plan still has the same digest.',
    );
    expect(body.split('\n')[1]).toContain(': Nothing planned: 1 region could not be read.');
    expect(body).toContain('**us-east-1** could not be read');
    expect(host.outputs.status).toBe('failed');
  });

  describe('cancelled by the runner (SIGINT, then SIGTERM)', () => {
    const merged = () =>
      gh.pullsByCommit.set(SHA, [
        {
          number: 7,
          state: 'closed',
          mergedAt: '2026-01-01T00:00:00Z',
          mergeCommitSha: SHA,
          baseRef: 'main',
        },
      ]);

    it('finishes the writes in flight, starts no other, marks the comment cancelled with the counts, and fails', async () => {
      seedFleet(ep, 20);
      await runWith('pull_request', prEvent);
      merged();
      // The runner's signals arrive right after the first replica write is answered.
      const wrap = (store: ParameterStore, host: RecordingHost) =>
        wrapStore(store, {
          put: async (request) => {
            const result = await store.put(request);
            host.cancel('SIGINT');
            host.cancel('SIGTERM');
            return result;
          },
        });
      const host = await runWith('push', pushEvent, {}, { wrap });

      expect(host.outputs.status).toBe('cancelled');
      const puts = ep.calls({ operation: 'PutParameter', region: 'us-east-1' }).length;
      expect(puts).toBeGreaterThanOrEqual(1);
      expect(puts).toBeLessThan(21);
      expect(host.failed).toBe(
        `Apply cancelled: ${puts} written, 0 failed, ${21 - puts} not started. Run the repair workflow to plan and apply the rest.`,
      );
      expect(host.of('warning').map((w) => w.message)).toEqual([
        'SIGINT: stopping after the writes in flight; nothing new is started.',
      ]);
      const body = gh.commentsOn(7)[0]?.body ?? '';
      expect(body).toContain('"status":"cancelled"');
      expect(body.split('\n')[2]).toBe(
        `⏹️ **Cancelled** in [workflow run](https://github.com/acme/params/actions/runs/77): the run was stopped before it finished, ${puts} ${puts === 1 ? 'change' : 'changes'} written, ${21 - puts} skipped; the repair workflow applies the rest.`,
      );
    });

    it('ends a wait for a lock another apply holds, marking the comment cancelled with nothing written', async () => {
      seedFleet(ep, 3);
      await runWith('pull_request', prEvent);
      merged();
      holdLock(ep, 'another run', LOCK_TTL_MS);
      // The runner's signals arrive while this run polls the held lock.
      const wrapSource = (store: ParameterStore, host: RecordingHost) =>
        wrapStore(store, {
          getValues: async (names, decrypt) => {
            const values = await store.getValues(names, decrypt);
            host.cancel('SIGINT');
            return values;
          },
        });
      const host = await runWith('push', pushEvent, {}, { wrapSource });

      expect(host.outputs.status).toBe('cancelled');
      expect(host.failed).toMatch(
        /^Apply cancelled: Stopped while waiting \d+ s for the lock .*Nothing was read or written\.$/,
      );
      expect(ep.calls({ operation: 'PutParameter', region: 'us-east-1' })).toEqual([]);
      const body = gh.commentsOn(7)[0]?.body ?? '';
      expect(body).toContain('"status":"cancelled"');
      expect(body.split('\n')[2]).toMatch(
        /^⏹️ \*\*Cancelled\*\* in \[workflow run\]\(.*\): the run was stopped before it finished, 0 changes written/,
      );
    });

    it('lets a plan or drift check end at once: only an apply listens for the signals', async () => {
      const plan = await runWith('pull_request', prEvent);
      const drift = await runWith('schedule', {});
      expect(plan.cancelListeners).toEqual([]);
      expect(drift.cancelListeners).toEqual([]);
    });
  });

  describe('the repair workflow: a fresh plan reviewed by environment approvers, applied by its digest', () => {
    const dispatch = { repository };

    it('applies exactly the plan with the expected digest, without looking up or changing any PR', async () => {
      const plan = await runWith('workflow_dispatch', dispatch, { mode: 'plan' });
      expect(plan.outputs.status).toBe('planned');
      const digest = plan.outputs['plan-digest'] as string;

      const apply = await runWith('workflow_dispatch', dispatch, { mode: 'apply', 'expect-digest': digest });
      expect(apply.failed).toBeUndefined();
      expect(apply.outputs.status).toBe('applied');
      expect(apply.outputs['plan-digest']).toBe(digest);
      expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')?.value).toBe(SECRET);
      expect(gh.calls).toEqual([]);
    });

    it('refuses, writing nothing, when the live plan is no longer the one the approvers saw', async () => {
      const plan = await runWith('workflow_dispatch', dispatch, { mode: 'plan' });
      ep.state.putParameter({ region: SOURCE, name: '/prod/app/NEW', value: 'n', type: 'String' });
      const apply = await runWith('workflow_dispatch', dispatch, {
        mode: 'apply',
        'expect-digest': plan.outputs['plan-digest'] as string,
      });
      expect(apply.outputs.status).toBe('plan-changed');
      expect(apply.failed).toMatch(/^Nothing was applied: plan changed since review/);
      expect(ep.calls({ operation: 'PutParameter', region: 'us-east-1' })).toEqual([]);
      expect(gh.writes).toEqual([]);
    });
  });
});
