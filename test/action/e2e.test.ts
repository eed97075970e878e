import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { Outputs } from '../../src/action/constants.js';
import { applyJob } from '../../src/jobs/apply-job.js';
import { parseManifest } from '../../src/manifest/index.js';
import { TEST_CREDENTIALS } from '../endpoint/clients.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { current, SOURCE } from '../support/seed.js';
import { buildActionBundle, node24, type RunResult, runAction, runnerFiles } from './support/runner.js';
import { type LoadedScenario, type ScenarioServer, startScenarioServer } from './support/scenario-server.js';
import { loadScenario } from './support/scenarios.js';

/*
 * The built bundle, run as the runner runs it, against the local AWS endpoint and @octokit/fixtures-server
 * replaying the project's scenarios (test/action/scenarios). Each scenario is every GitHub request the run
 * may make, in order, with body and token; a run that sends anything else gets a 404 and fails.
 */

const MANIFEST = `version: 1
source:
  region: ap-south-1
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
      - region: us-east-1
`;
const SECRET = 'CANARY-E2E-9d41b7';
const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';
const TOKEN = 'ghs_e2eScenarioToken0000000000000000';

const repository = { id: 1, full_name: 'acme/params', default_branch: 'main' };
const prEvent = (headRepo: object = repository) => ({
  action: 'synchronize',
  number: 7,
  pull_request: {
    number: 7,
    head: { sha: 'a'.repeat(40), repo: headRepo },
    base: { ref: 'main', repo: repository },
  },
  repository,
});
const pushEvent = { ref: 'refs/heads/main', after: SHA, deleted: false, repository };
const scheduleEvent = { schedule: '17 6 * * *' };

let ep: Endpoint;
let server: ScenarioServer;
let bundle: string;
let buildDir: string;

beforeAll(async () => {
  buildDir = mkdtempSync(join(tmpdir(), 'ssm-replicate-action-bundle-'));
  [ep, server, bundle] = await Promise.all([
    startEndpoint(),
    startScenarioServer(),
    buildActionBundle(buildDir),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([ep?.stop(), server?.stop()]);
  rmSync(buildDir, { recursive: true, force: true });
});
beforeEach(() => {
  ep.state.reset();
  ep.faults.clear();
  ep.resetCalls();
  server.seen.length = 0;
  server.rejections.length = 0;
  ep.state.putParameter({ region: SOURCE, name: '/prod/app/DB_HOST', value: 'db.internal', type: 'String' });
  ep.state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_PASSWORD',
    value: SECRET,
    type: 'SecureString',
  });
});

const awsEnv = () => ({
  AWS_ENDPOINT_URL: ep.url,
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_MAX_ATTEMPTS: '2',
});

interface Run extends RunResult {
  pending: string[];
  planFile: string;
}

async function run(
  eventName: string,
  payload: unknown,
  scenario: string | undefined,
  options: { inputs?: Record<string, string>; env?: Record<string, string>; command?: string[] } = {},
): Promise<Run> {
  const loaded: LoadedScenario | undefined = scenario ? await server.load(loadScenario(scenario)) : undefined;
  const files = runnerFiles(MANIFEST);
  const result = await runAction({
    command: options.command ?? [process.execPath, bundle],
    files,
    eventName,
    payload,
    inputs: { 'github-token': TOKEN, mode: 'auto', manifest: 'config/replication.yaml', ...options.inputs },
    env: {
      // Nothing listens there: a run that should make no GitHub request fails loudly if it makes one.
      GITHUB_API_URL: loaded?.apiUrl ?? `${server.url}/api.github.com/no-scenario`,
      GITHUB_SERVER_URL: loaded?.serverUrl ?? 'https://github.com',
      GITHUB_SHA: SHA,
      ...awsEnv(),
      ...options.env,
    },
  });
  const planFile = result.outputs['plan-file'];
  return {
    ...result,
    pending: loaded?.pending() ?? [],
    planFile: planFile ? readFileSync(planFile, 'utf8') : '',
  };
}

/** Everything a run said, for failure messages: its output and what the scenario server refused. */
const told = (r: Run) =>
  `${r.stdout}\n${r.stderr}\nrejected: ${server.rejections.join('\n')}\npending: ${r.pending.join('\n')}`;

/** The secret only ever appears in the runner's add-mask command, and that comes before anything else names it. */
function expectMasked(r: Run) {
  const lines = r.stdout.split('\n');
  const withSecret = lines.filter((l) => l.includes(SECRET));
  expect(withSecret.length).toBeGreaterThan(0);
  expect(withSecret.every((l) => l === `::add-mask::${SECRET}`)).toBe(true);
  expect(r.summary + r.planFile + JSON.stringify(r.outputs)).not.toContain(SECRET);
}

/** A pull request plan reads no value: the secret appears nowhere, not even in a mask command. */
function expectNeverRead(r: Run) {
  expect(r.stdout + r.stderr + r.summary + r.planFile + JSON.stringify(r.outputs)).not.toContain(SECRET);
  expect(ep.calls().filter((c) => c.withDecryption || c.kmsDecrypts)).toEqual([]);
}

/** Live state as the reviewed plan saw it: the seed, with replicas made by the core. */
async function converge() {
  const { manifest } = parseManifest(MANIFEST, 'replication.yaml');
  const result = await applyJob(jobContext(ep, manifest));
  expect(result.kind).toBe('done');
}

describe('the Action bundle on pull requests', () => {
  it('plans, creates the sticky comment, writes outputs, summary and plan file, and never reads a secret', async () => {
    const r = await run('pull_request', prEvent(), 'pr-plan-creates-comment');
    expect(r.code, told(r)).toBe(0);
    expect(r.pending, told(r)).toEqual([]);
    expect(r.outputs).toMatchObject({
      'has-changes': 'true',
      creates: '2',
      updates: '0',
      replaces: '0',
      deletes: '0',
      'tag-changes': '0',
      blocked: 'false',
      status: 'planned',
    });
    expect(Object.keys(r.outputs).sort()).toEqual(Object.values(Outputs).sort());
    expect(r.outputs['plan-digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.parse(r.planFile).digest).toBe(r.outputs['plan-digest']);
    expect(r.summary).toContain('/prod/app/DB_PASSWORD');
    expect(ep.calls({ operation: 'PutParameter' })).toEqual([]);
    expectNeverRead(r);
  });

  it('makes no write when a re-run finds its comment already saying the same', async () => {
    const r = await run('pull_request', prEvent(), 'pr-plan-unchanged');
    expect(r.code, told(r)).toBe(0);
    expect(r.pending, told(r)).toEqual([]);
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]).toMatch(
      /^GET \/api\.github\.com\/\w+\/repos\/acme\/params\/issues\/7\/comments\?per_page=100$/,
    );
  });

  it('runs the same under Node 24, the runtime action.yml declares', async () => {
    const node = await node24();
    expect((await promisify(execFile)(node, ['--version'], { encoding: 'utf8' })).stdout).toMatch(/^v24\./);
    const r = await run('pull_request', prEvent(), 'pr-plan-creates-comment', { command: [node, bundle] });
    expect(r.code, told(r)).toBe(0);
    expect(r.pending, told(r)).toEqual([]);
    expect(r.stdout).toContain('Plan comment on #7: created.');
  });

  it('ends a fork PR with a notice, without a single GitHub or AWS request', async () => {
    const r = await run('pull_request', prEvent({ id: 99, full_name: 'stranger/params' }), undefined);
    expect(r.code, told(r)).toBe(0);
    expect(r.stdout).toMatch(/^::notice::Pull request #7 comes from a fork/m);
    expect(r.outputs.status).toBe('skipped');
    expect(server.seen).toEqual([]);
    expect(ep.calls()).toEqual([]);
  });

  it('ends a PR run without AWS credentials with a notice and no request', async () => {
    const r = await run('pull_request', prEvent(), undefined, {
      env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
    });
    expect(r.code, told(r)).toBe(0);
    expect(r.stdout).toMatch(/^::notice::No AWS credentials/m);
    expect(r.outputs.status).toBe('skipped');
    expect(server.seen).toEqual([]);
    expect(ep.calls()).toEqual([]);
  });
});

describe('the Action bundle on a push to the default branch', () => {
  it('applies the plan reviewed on the merged PR and marks its comment applied', async () => {
    const r = await run('push', pushEvent, 'push-applies-reviewed-plan');
    expect(r.code, told(r)).toBe(0);
    expect(r.pending, told(r)).toEqual([]);
    expect(r.outputs.status).toBe('applied');
    expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')?.value).toBe(SECRET);
    expect(current(ep, 'us-east-1', '/prod/app/DB_HOST')?.value).toBe('db.internal');
    expect(r.summary).toContain('### Apply result');
    expectMasked(r);
  });

  it('fails with "plan changed since review" and writes nothing when the source changed after review', async () => {
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/DB_HOST',
      value: 'db2.internal',
      type: 'String',
    });
    const r = await run('push', pushEvent, 'push-plan-changed');
    expect(r.code, told(r)).toBe(1);
    expect(r.pending, told(r)).toEqual([]);
    expect(r.stdout).toMatch(/^::error::Nothing was applied: plan changed since review/m);
    expect(r.outputs.status).toBe('plan-changed');
    // The apply lock's create in the source region is the only write.
    expect(ep.callCounts({ operation: 'PutParameter' })).toEqual({ [`${SOURCE}:PutParameter`]: 1 });
  });
});

describe('the Action bundle on a schedule', () => {
  it('opens a drift issue and fails when replicas are missing', async () => {
    const r = await run('schedule', scheduleEvent, 'schedule-drift-opens-issue');
    expect(r.code, told(r)).toBe(1);
    expect(r.pending, told(r)).toEqual([]);
    expect(r.outputs.status).toBe('drifted');
    expect(ep.calls({ operation: 'PutParameter' })).toEqual([]);
  });

  it('closes the drift issue with a comment once everything is in sync', async () => {
    await converge();
    ep.resetCalls();
    const r = await run('schedule', scheduleEvent, 'schedule-in-sync-closes-issue');
    expect(r.code, told(r)).toBe(0);
    expect(r.pending, told(r)).toEqual([]);
    expect(r.outputs).toMatchObject({ status: 'in-sync', 'has-changes': 'false' });
    expect(ep.calls({ operation: 'PutParameter' })).toEqual([]);
  });
});
