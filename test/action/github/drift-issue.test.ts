import { describe, expect, it } from 'vitest';
import {
  DRIFT_BODY_MAX_CHARS,
  driftHeadline,
  findDriftIssue,
  renderDriftIssueBody,
  syncDriftIssue,
} from '../../../src/action/github/drift-issue.js';
import { encodeMarker } from '../../../src/action/github/marker.js';
import type { Plan } from '../../../src/plan/types.js';
import { item, planOf, region } from '../../render/fixtures.js';
import { BOT, FakeGitHub, REPO } from './fake-port.js';

const MANIFEST = 'config/replication.yaml';
const RUN = 'https://github.com/acme/params/actions/runs/1';
const RUN2 = 'https://github.com/acme/params/actions/runs/2';
const REPAIR = 'https://github.com/acme/params/actions/workflows/ssm-replicate-repair.yml';
const base = { ...REPO, manifestPath: MANIFEST, botLogin: BOT };
const ALICE = 'arn:aws:iam::123456789012:user/alice';

/** us-east-1: one hand-edited value, one missing replica, one unmanaged conflict; eu-west-1: a stale tag. */
function driftPlan(): Plan {
  return planOf(
    [
      region({
        region: 'us-east-1',
        account: '123456789012',
        unchanged: 10,
        unmanaged: ['/prod/app/HAND_MADE', '/prod/app/NOTES'],
        unmanagedConflicts: ['/prod/app/HAND_MADE'],
        items: [
          item({
            action: 'update',
            name: '/prod/app/DB_HOST',
            changes: [{ attribute: 'value', reason: 'value differs' }],
            replicaModified: { user: ALICE, date: '2026-12-01T09:30:12.000Z' },
          }),
          item({ action: 'create', name: '/prod/app/NEW', sourceVersion: 3 }),
        ],
      }),
      region({
        region: 'eu-west-1',
        account: '123456789012',
        unchanged: 12,
        items: [
          item({
            action: 'tag',
            name: '/prod/app/DB_HOST',
            tags: { add: {}, change: { team: { from: 'a', to: 'b' } }, remove: [] },
            replicaModified: { user: 'arn:aws:sts::123456789012:assumed-role/ops/bob' },
          }),
        ],
      }),
    ],
    {
      warnings: [
        {
          code: 'unmanaged-conflict',
          message: '/prod/app/HAND_MADE already exists in us-east-1 without the ownership tag',
          region: 'us-east-1',
          name: '/prod/app/HAND_MADE',
        },
      ],
    },
  );
}

const inSyncPlan = () =>
  planOf([region({ region: 'us-east-1', unchanged: 3 }), region({ region: 'eu-west-1', unchanged: 3 })]);

describe('syncDriftIssue', () => {
  it('opens one issue naming each differing parameter with its kind, editor and time, per region', async () => {
    const gh = new FakeGitHub();

    const result = await syncDriftIssue(gh, {
      ...base,
      plan: driftPlan(),
      runUrl: RUN,
      repairUrl: REPAIR,
      labels: ['drift'],
    });

    expect(result).toMatchObject({ action: 'created', drift: true });
    const [issue] = gh.issues;
    expect(issue?.title).toBe('ssm-replicate: replicas out of sync with config/replication.yaml');
    const body = issue?.body ?? '';
    expect(body).toContain(
      '**4 parameters differ** in 2 regions (value: 1, tags: 1, missing: 1, unmanaged conflict: 1). 22 replicas in sync.',
    );
    expect(body).toContain('#### `us-east-1` · account `123456789012`');
    expect(body).toContain(
      `| \`/prod/app/DB_HOST\` | value | \`${ALICE}\` | 2026-12-01 09:30 UTC | value differs |`,
    );
    expect(body).toContain('| `/prod/app/NEW` | missing | – | – | source version 3 |');
    expect(body).toMatch(/\| `\/prod\/app\/HAND_MADE` \| unmanaged conflict \| – \| – \| no ownership tag/);
    expect(body).toContain('Also 1 local parameter under the replicated paths, not drift');
    expect(body).toContain('`/prod/app/NOTES`');
    expect(body).toContain(
      '| `/prod/app/DB_HOST` | tags | – | – | tags: 1 to change; tag edits write no parameter version, so AWS names no editor (CloudTrail does) |',
    );
    expect(body).toContain(`[repair workflow](${REPAIR})`);
    expect(body).toContain(`[this workflow run](${RUN})`);
    expect(gh.writes[0]?.args[1]).toMatchObject({ labels: ['drift'] });
  });

  it('writes nothing when the drift is the same as last time, even from another run', async () => {
    const gh = new FakeGitHub();
    await syncDriftIssue(gh, { ...base, plan: driftPlan(), runUrl: RUN });
    const writes = gh.writes.length;

    const result = await syncDriftIssue(gh, { ...base, plan: driftPlan(), runUrl: RUN2 });

    expect(result.action).toBe('unchanged');
    expect(gh.writes).toHaveLength(writes);
  });

  it('rewrites the open issue in place when the drift changed', async () => {
    const gh = new FakeGitHub();
    const first = await syncDriftIssue(gh, { ...base, plan: driftPlan(), runUrl: RUN });
    const later = driftPlan();
    later.regions[1]?.items.push(item({ action: 'delete', name: '/prod/app/OLD', reason: 'source gone' }));

    const second = await syncDriftIssue(gh, { ...base, plan: later, runUrl: RUN2 });

    expect(second).toMatchObject({ action: 'updated', issueNumber: first.issueNumber });
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]?.body).toContain('| `/prod/app/OLD` | unexpected | – | – | source gone |');
    expect(gh.issues[0]?.body).toContain(RUN2);
  });

  it('closes the issue with a comment once everything is in sync', async () => {
    const gh = new FakeGitHub();
    const opened = await syncDriftIssue(gh, { ...base, plan: driftPlan(), runUrl: RUN });

    const result = await syncDriftIssue(gh, { ...base, plan: inSyncPlan(), runUrl: RUN2 });

    expect(result).toMatchObject({ action: 'closed', drift: false, issueNumber: opened.issueNumber });
    expect(gh.issues[0]?.state).toBe('closed');
    expect(gh.commentsOn(opened.issueNumber ?? 0)[0]?.body).toMatch(/in sync[\s\S]*runs\/2/);
    expect(gh.writes.at(-1)?.args[2]).toEqual({ state: 'closed', stateReason: 'completed' });
  });

  it('does nothing when everything is in sync and no issue is open', async () => {
    const gh = new FakeGitHub();

    const result = await syncDriftIssue(gh, { ...base, plan: inSyncPlan() });

    expect(result).toEqual({ action: 'none', drift: false });
    expect(gh.writes).toHaveLength(0);
  });

  it('reopens its closed issue rather than opening a second one when drift comes back', async () => {
    const gh = new FakeGitHub();
    const opened = await syncDriftIssue(gh, { ...base, plan: driftPlan() });
    await syncDriftIssue(gh, { ...base, plan: inSyncPlan() });

    const result = await syncDriftIssue(gh, { ...base, plan: driftPlan() });

    expect(result).toMatchObject({ action: 'reopened', issueNumber: opened.issueNumber });
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]?.state).toBe('open');
  });

  it('counts a region that could not be read as drift, showing why and no rows', async () => {
    const gh = new FakeGitHub();
    const plan = planOf([region({ region: 'us-east-1', error: 'AccessDenied: no ssm:DescribeParameters' })]);

    const result = await syncDriftIssue(gh, { ...base, plan });

    expect(result.drift).toBe(true);
    expect(gh.issues[0]?.body).toContain(
      '#### `us-east-1`\n\nCould not be read, so nothing is known about it: AccessDenied: no ssm:DescribeParameters',
    );
    expect(gh.issues[0]?.body).toContain('1 region could not be read');
  });

  it('counts a blocker as drift, since a repair would not apply, and says so', async () => {
    const gh = new FakeGitHub();
    const plan = planOf([region({ region: 'us-east-1', unchanged: 2 })], {
      blockers: [{ code: 'owned-by-another-manifest', message: '/a is owned by manifest B' }],
    });

    const result = await syncDriftIssue(gh, { ...base, plan });

    expect(result.drift).toBe(true);
    expect(gh.issues[0]?.body).toContain('> **A repair is blocked** until these are fixed:');
    expect(gh.issues[0]?.body).toContain('`owned-by-another-manifest`: /a is owned by manifest B');
  });

  it('does not report local parameters (untagged, no source maps to them) alone as drift', async () => {
    const gh = new FakeGitHub();
    const plan = planOf([region({ region: 'us-east-1', unchanged: 2, unmanaged: ['/a', '/b'] })]);

    const result = await syncDriftIssue(gh, { ...base, plan });

    expect(result.action).toBe('none');
  });

  it('reports an unmanaged parameter standing where a source is replicated as drift, an unmanaged conflict', async () => {
    const gh = new FakeGitHub();
    const plan = planOf([
      region({ region: 'us-east-1', unchanged: 2, unmanaged: ['/a', '/b'], unmanagedConflicts: ['/a'] }),
    ]);

    const result = await syncDriftIssue(gh, { ...base, plan });

    expect(result).toMatchObject({ action: 'created', drift: true });
    expect(gh.issues[0]?.body).toContain('**1 parameter differs** in 1 region (unmanaged conflict: 1).');
    expect(gh.issues[0]?.body).toMatch(/\| `\/a` \| unmanaged conflict \|/);
    expect(gh.issues[0]?.body).toContain('Also 1 local parameter under the replicated paths, not drift');
  });

  it('keeps one issue per manifest', async () => {
    const gh = new FakeGitHub();
    await syncDriftIssue(gh, { ...base, plan: driftPlan() });

    const other = await syncDriftIssue(gh, {
      ...base,
      manifestPath: 'config/staging.yaml',
      plan: driftPlan(),
    });

    expect(other.action).toBe('created');
    expect(gh.issues).toHaveLength(2);
  });
});
describe('findDriftIssue', () => {
  it('ignores an issue with our marker opened by a person', async () => {
    const gh = new FakeGitHub();
    gh.addIssue({
      title: 'copied',
      body: `${encodeMarker({ v: 1, kind: 'drift', manifest: MANIFEST })}\n`,
      state: 'open',
      author: 'mallory',
    });

    expect(await findDriftIssue(gh, base)).toBeUndefined();
  });

  it('prefers the oldest open issue over a newer closed one', async () => {
    const gh = new FakeGitHub();
    const body = renderDriftIssueBody(MANIFEST, driftPlan());
    gh.addIssue({ number: 3, title: 't', body, state: 'open', author: BOT });
    gh.addIssue({ number: 9, title: 't', body, state: 'open', author: BOT });
    gh.addIssue({ number: 12, title: 't', body, state: 'closed', author: BOT });

    expect((await findDriftIssue(gh, base))?.number).toBe(3);
  });

  it('lists only issues created by our bot, open and closed', async () => {
    const gh = new FakeGitHub();

    await findDriftIssue(gh, base);

    expect(gh.calls).toEqual([{ method: 'listIssues', args: [REPO, { state: 'all', creator: BOT }] }]);
  });
});

describe('driftHeadline', () => {
  it('says what the issue says first: how many parameters differ, in how many regions, of which kinds', () => {
    const headline = driftHeadline(driftPlan());
    expect(headline).toBe(
      '4 parameters differ in 2 regions (value: 1, tags: 1, missing: 1, unmanaged conflict: 1)',
    );
    expect(renderDriftIssueBody(MANIFEST, driftPlan()).replace(/\*\*/g, '')).toContain(`${headline}.`);
  });

  it('is undefined when no parameter differs: a blocker or an unreadable region alone', () => {
    const blocked = planOf([region({ region: 'us-east-1', unchanged: 3 })], {
      blockers: [{ code: 'max-deletes-exceeded', message: 'too many deletes', region: 'us-east-1' }],
    });
    expect(driftHeadline(blocked)).toBeUndefined();
    expect(driftHeadline(planOf([region({ region: 'us-east-1', error: 'AccessDenied' })]))).toBeUndefined();
  });
});

describe('renderDriftIssueBody', () => {
  it('names a second destination in the same region by its role', () => {
    const role = 'arn:aws:iam::210987654321:role/replicator';
    const plan = planOf([
      region({
        region: 'us-east-1',
        target: `us-east-1|${role}`,
        items: [item({ action: 'create', name: '/a' })],
      }),
    ]);

    expect(renderDriftIssueBody(MANIFEST, plan)).toContain(`#### \`us-east-1\` via \`${role}\``);
  });

  it('keeps a hostile editor inert in its cell: no mention, no HTML, no extra cell or line', () => {
    const hostile = '@octocat | <img src=x onerror=alert(1)> `x` [link](https://evil.example)\n| forged |';
    const plan = driftPlan();
    const first = plan.regions[0]?.items[0];
    if (first) first.replicaModified = { user: hostile, date: '<b>yesterday</b>' };

    const body = renderDriftIssueBody(MANIFEST, plan);
    const line = body.split('\n').find((l) => l.includes('octocat')) ?? '';

    expect(line.replace(/\\\|/g, '').split('|')).toHaveLength(7);
    expect(body).not.toContain('\n| forged');
    expect(line).toContain(
      '``@octocat \\| <img src=x onerror=alert(1)> `x` [link](https://evil.example)\\n\\| forged \\|``',
    );
    expect(line).toContain('`<b>yesterday</b>`');
  });
});

describe('drift issue size', () => {
  it('stays under the limit, with how many more per region and a pointer to the run, for a huge drift', () => {
    const items = Array.from({ length: 5_000 }, (_, i) =>
      item({
        action: 'update',
        name: `/prod/app/${'x'.repeat(60)}/${i}`,
        changes: [{ attribute: 'value', reason: 'value differs' }],
      }),
    );
    const plan = planOf([region({ region: 'us-east-1', items }), region({ region: 'eu-west-1', items })]);

    const body = renderDriftIssueBody(MANIFEST, plan, { runUrl: RUN });

    expect(body.length).toBeLessThanOrEqual(DRIFT_BODY_MAX_CHARS);
    expect(body).toContain('**10000 parameters differ** in 2 regions (value: 10000)');
    expect(body).toMatch(
      /_… and 49\d\d more in this region \(`ssm-replicate drift` lists every one; the job summary of the run linked below, up to 5,000 per region\)\._/,
    );
    expect(body.trimEnd().endsWith(`[this workflow run](${RUN}).</sub>`)).toBe(true);
  });
});
