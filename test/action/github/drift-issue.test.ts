import { describe, expect, it } from 'vitest';
import {
  findDriftIssue,
  renderDriftIssueBody,
  syncDriftIssue,
} from '../../../src/action/github/drift-issue.js';
import { encodeMarker } from '../../../src/action/github/marker.js';
import type { StatusRow } from '../../../src/jobs/status.js';
import { BOT, FakeGitHub, REPO } from './fake-port.js';

const MANIFEST = 'config/replication.yaml';
const RUN = 'https://github.com/acme/params/actions/runs/1';
const RUN2 = 'https://github.com/acme/params/actions/runs/2';
const base = { ...REPO, manifestPath: MANIFEST, botLogin: BOT };

function row(overrides: Partial<StatusRow> = {}): StatusRow {
  return {
    region: 'us-east-1',
    target: 'us-east-1',
    replication: 'prod-app',
    inSync: 10,
    drifted: 0,
    missing: 0,
    unmanaged: 0,
    local: 0,
    ...overrides,
  };
}

const driftRows = [
  row({ drifted: 2, unmanaged: 1 }),
  row({ region: 'eu-west-1', target: 'eu-west-1', missing: 3 }),
  row({ region: 'eu-west-1', target: 'eu-west-1', replication: 'shared' }),
];
const syncRows = [row(), row({ region: 'eu-west-1', target: 'eu-west-1' })];

describe('syncDriftIssue', () => {
  it('opens one issue with a table per region and the run link when replicas drift', async () => {
    const gh = new FakeGitHub();

    const result = await syncDriftIssue(gh, { ...base, rows: driftRows, runUrl: RUN, labels: ['drift'] });

    expect(result).toMatchObject({ action: 'created', drift: true });
    const [issue] = gh.issues;
    expect(issue?.title).toBe('ssm-replicate: replicas out of sync with config/replication.yaml');
    expect(issue?.body).toContain('#### `us-east-1`');
    expect(issue?.body).toContain('#### `eu-west-1`');
    expect(issue?.body).toContain('| `prod-app` | Drifted | 10 | 2 | 0 | 1 |');
    expect(issue?.body).toContain('| `prod-app` | Missing | 10 | 0 | 3 | 0 |');
    expect(issue?.body).toContain('| `shared` | InSync | 10 | 0 | 0 | 0 |');
    expect(issue?.body).toContain(`[this workflow run](${RUN})`);
    expect(gh.writes[0]?.args[1]).toMatchObject({ labels: ['drift'] });
  });

  it('writes nothing when the drift is the same as last time, even from another run', async () => {
    const gh = new FakeGitHub();
    await syncDriftIssue(gh, { ...base, rows: driftRows, runUrl: RUN });
    const writes = gh.writes.length;

    const result = await syncDriftIssue(gh, { ...base, rows: driftRows, runUrl: RUN2 });

    expect(result.action).toBe('unchanged');
    expect(gh.writes).toHaveLength(writes);
  });

  it('rewrites the open issue when the drift changed', async () => {
    const gh = new FakeGitHub();
    const first = await syncDriftIssue(gh, { ...base, rows: driftRows, runUrl: RUN });

    const second = await syncDriftIssue(gh, { ...base, rows: [row({ drifted: 5 })], runUrl: RUN2 });

    expect(second).toMatchObject({ action: 'updated', issueNumber: first.issueNumber });
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]?.body).toContain('| `prod-app` | Drifted | 10 | 5 | 0 | 0 |');
    expect(gh.issues[0]?.body).toContain(RUN2);
  });

  it('closes the issue with a comment once everything is in sync', async () => {
    const gh = new FakeGitHub();
    const opened = await syncDriftIssue(gh, { ...base, rows: driftRows, runUrl: RUN });

    const result = await syncDriftIssue(gh, { ...base, rows: syncRows, runUrl: RUN2 });

    expect(result).toMatchObject({ action: 'closed', drift: false, issueNumber: opened.issueNumber });
    expect(gh.issues[0]?.state).toBe('closed');
    expect(gh.commentsOn(opened.issueNumber ?? 0)[0]?.body).toMatch(/in sync[\s\S]*runs\/2/);
    expect(gh.writes.at(-1)?.args[2]).toEqual({ state: 'closed', stateReason: 'completed' });
  });

  it('does nothing when everything is in sync and no issue is open', async () => {
    const gh = new FakeGitHub();

    const result = await syncDriftIssue(gh, { ...base, rows: syncRows });

    expect(result).toEqual({ action: 'none', drift: false });
    expect(gh.writes).toHaveLength(0);
  });

  it('reopens its closed issue rather than opening a second one when drift comes back', async () => {
    const gh = new FakeGitHub();
    const opened = await syncDriftIssue(gh, { ...base, rows: driftRows });
    await syncDriftIssue(gh, { ...base, rows: syncRows });

    const result = await syncDriftIssue(gh, { ...base, rows: driftRows });

    expect(result).toMatchObject({ action: 'reopened', issueNumber: opened.issueNumber });
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]?.state).toBe('open');
  });

  it('counts a region that could not be read as drift, showing why and no counts', async () => {
    const gh = new FakeGitHub();
    const failed = row({ failed: 'AccessDenied', inSync: 0 });

    const result = await syncDriftIssue(gh, { ...base, rows: [failed] });

    expect(result.drift).toBe(true);
    expect(gh.issues[0]?.body).toContain('| `prod-app` | Failed: AccessDenied | – | – | – | – |');
  });

  it('does not report local parameters (untagged, no source maps to them) alone as drift', async () => {
    const gh = new FakeGitHub();

    const result = await syncDriftIssue(gh, { ...base, rows: [row({ local: 4 })] });

    expect(result.action).toBe('none');
  });

  it('reports unmanaged parameters standing where a source is replicated as drift, marked Unmanaged', async () => {
    const gh = new FakeGitHub();

    const result = await syncDriftIssue(gh, { ...base, rows: [row({ unmanaged: 1 })] });

    expect(result).toMatchObject({ action: 'created', drift: true });
    expect(gh.issues[0]?.body).toContain('**1 of 1 replication targets are not in sync.**');
    expect(gh.issues[0]?.body).toContain('| `prod-app` | Unmanaged | 10 | 0 | 0 | 1 |');
  });

  it('keeps one issue per manifest', async () => {
    const gh = new FakeGitHub();
    await syncDriftIssue(gh, { ...base, rows: driftRows });

    const other = await syncDriftIssue(gh, { ...base, manifestPath: 'config/staging.yaml', rows: driftRows });

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
    const body = renderDriftIssueBody(MANIFEST, driftRows);
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

describe('renderDriftIssueBody', () => {
  it('names a second destination in the same region by its role', () => {
    const viaRole = row({ target: 'us-east-1|arn:aws:iam::123456789012:role/replicator' });

    const body = renderDriftIssueBody(MANIFEST, [row({ drifted: 1 }), { ...viaRole, missing: 1 }]);

    expect(body).toContain('#### `us-east-1` via `arn:aws:iam::123456789012:role/replicator`');
  });
});

describe('drift issue size', () => {
  it('stays under 60,000 characters with a note when the status table is huge', () => {
    const rows = Array.from({ length: 400 }, (_, i) =>
      row({ replication: `r${i}`, failed: 'x'.repeat(400) }),
    );

    const body = renderDriftIssueBody(MANIFEST, rows, RUN);

    expect(body.length).toBeLessThanOrEqual(60_000);
    expect(body).toContain('the full status table is in the job summary');
    expect(body.trimEnd().endsWith(`[this workflow run](${RUN}).</sub>`)).toBe(true);
  });
});
