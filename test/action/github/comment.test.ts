import { describe, expect, it } from 'vitest';
import {
  findPlanComment,
  readReviewedDigest,
  setCommentStatus,
  upsertPlanComment,
} from '../../../src/action/github/comment.js';
import { planMarker, readPlanMarker } from '../../../src/action/github/comment-format.js';
import { BOT, FakeGitHub, REPO } from './fake-port.js';

const PR = 42;
const MANIFEST = 'config/replication.yaml';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
const target = { ...REPO, issueNumber: PR, manifestPath: MANIFEST, botLogin: BOT };
const input = (body: string, digest = DIGEST) => ({
  ...target,
  body,
  digest,
  summary: '1 to create in 1 region',
});

describe('upsertPlanComment', () => {
  it('creates one comment with the marker, summary and status lines above the plan when the PR has none', async () => {
    const gh = new FakeGitHub();

    const result = await upsertPlanComment(gh, input('### plan\n\nbody'));

    expect(result).toMatchObject({ action: 'created', truncated: false });
    const [comment] = gh.commentsOn(PR);
    const lines = comment?.body.split('\n') ?? [];
    expect(lines[0]).toBe(planMarker(MANIFEST, DIGEST, 'planned'));
    expect(lines[1]).toBe('**ssm-replicate plan** for `config/replication.yaml`: 1 to create in 1 region\\');
    expect(lines[2]).toBe(
      '📝 **Planned**. Merging applies this plan only if the live plan still has the same digest.',
    );
    expect(lines.slice(4).join('\n')).toBe('### plan\n\nbody\n');
  });

  it('updates its own comment in place when the plan changed', async () => {
    const gh = new FakeGitHub();
    const first = await upsertPlanComment(gh, input('old plan'));

    const second = await upsertPlanComment(gh, input('new plan', OTHER_DIGEST));

    expect(second).toMatchObject({ action: 'updated', commentId: first.commentId });
    expect(gh.commentsOn(PR)).toHaveLength(1);
    expect(readPlanMarker(gh.commentsOn(PR)[0]?.body ?? '')?.digest).toBe(OTHER_DIGEST);
    expect(gh.writes.map((c) => c.method)).toEqual(['createIssueComment', 'updateIssueComment']);
  });

  it('writes nothing when the rendered comment is unchanged', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, input('same plan'));
    const writesBefore = gh.writes.length;

    const result = await upsertPlanComment(gh, input('same plan'));

    expect(result.action).toBe('unchanged');
    expect(gh.writes).toHaveLength(writesBefore);
  });

  it('treats a comment that only differs by CRLF line endings as unchanged', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, input('a\nb'));
    const stored = gh.commentsOn(PR)[0];
    if (stored) stored.body = stored.body.replace(/\n/g, '\r\n');

    const result = await upsertPlanComment(gh, input('a\nb'));

    expect(result.action).toBe('unchanged');
  });

  it('leaves a human comment that quotes the marker alone and posts its own', async () => {
    const gh = new FakeGitHub();
    const quoted = `${planMarker(MANIFEST, OTHER_DIGEST, 'planned')}\nI copied this from the bot`;
    const human = gh.addComment(PR, 'mallory', quoted);

    const result = await upsertPlanComment(gh, input('plan'));

    expect(result.action).toBe('created');
    expect(result.commentId).not.toBe(human.id);
    expect(gh.commentsOn(PR).find((c) => c.id === human.id)?.body).toBe(quoted);
  });

  it('does not match a comment of ours that mentions the marker below its first line', async () => {
    const gh = new FakeGitHub();
    gh.addComment(PR, BOT, `Some other bot message\n${planMarker(MANIFEST, DIGEST, 'planned')}`);

    const result = await upsertPlanComment(gh, input('plan'));

    expect(result.action).toBe('created');
  });

  it('keeps one comment per manifest, so two manifests get two comments', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, input('main plan'));

    await upsertPlanComment(gh, { ...input('staging plan'), manifestPath: 'config/staging.yaml' });
    const again = await upsertPlanComment(gh, {
      ...input('staging plan'),
      manifestPath: './config/staging.yaml',
    });

    expect(gh.commentsOn(PR)).toHaveLength(2);
    expect(again.action).toBe('unchanged');
  });

  it('matches the bot login case-insensitively, as GitHub compares logins', async () => {
    const gh = new FakeGitHub();
    gh.addComment(
      PR,
      'GitHub-Actions[bot]',
      `${planMarker(MANIFEST, DIGEST, 'planned')}\nx\n**Status:** planned\n\nold`,
    );

    const result = await upsertPlanComment(gh, input('new'));

    expect(result.action).toBe('updated');
  });

  it('settles on the oldest of two racing comments of ours', async () => {
    const gh = new FakeGitHub();
    const older = gh.addComment(PR, BOT, `${planMarker(MANIFEST, DIGEST, 'planned')}\nolder`);
    gh.addComment(PR, BOT, `${planMarker(MANIFEST, DIGEST, 'planned')}\nnewer`);

    const result = await upsertPlanComment(gh, input('plan'));

    expect(result).toMatchObject({ action: 'updated', commentId: older.id });
  });
});

describe('plan comment truncation', () => {
  const huge = [
    '<details><summary>us-east-1</summary>',
    '',
    '```diff',
    ...Array(20_000).fill('+   /p/x'),
  ].join('\n');

  it('cuts a long plan below 60,000 characters, closes what it cut open and points to the run and its plan artifact', async () => {
    const gh = new FakeGitHub();
    const runUrl = 'https://github.com/acme/params/actions/runs/7';

    const result = await upsertPlanComment(gh, { ...input(huge), runUrl, artifact: 'ssm-replicate-plan' });

    const body = gh.commentsOn(PR)[0]?.body ?? '';
    expect(result.truncated).toBe(true);
    expect(body.length).toBeLessThanOrEqual(60_000);
    expect(body).toMatch(/```\n\n<\/details>\n\n> \[!NOTE\]/);
    expect(body).toContain(
      `: the full plan is in the job summary of the [workflow run](${runUrl}) and its \`ssm-replicate-plan\` artifact.`,
    );
    expect(body.split('\n')[2]).toBe(
      `📝 **Planned** in [workflow run](${runUrl}) (JSON plan: artifact \`ssm-replicate-plan\`). Merging applies this plan only if the live plan still has the same digest.`,
    );
    expect(readPlanMarker(body)?.digest).toBe(DIGEST);
  });

  it('never exceeds GitHub’s 65,536-character limit even when asked for more', async () => {
    const gh = new FakeGitHub();

    await upsertPlanComment(gh, { ...input(huge), maxChars: 1_000_000 });

    expect(gh.commentsOn(PR)[0]?.body.length).toBeLessThanOrEqual(65_536);
  });

  it('leaves a plan that fits untouched, with no truncation note', async () => {
    const gh = new FakeGitHub();

    const result = await upsertPlanComment(gh, input('short'));

    expect(result.truncated).toBe(false);
    expect(gh.commentsOn(PR)[0]?.body).not.toContain('[!NOTE]');
  });
});

describe('readReviewedDigest', () => {
  it('reads the digest back from our sticky comment', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, input('plan'));

    expect(await readReviewedDigest(gh, target)).toBe(DIGEST);
  });

  it('ignores a digest forged in a human comment placed before ours', async () => {
    const gh = new FakeGitHub();
    gh.addComment(PR, 'mallory', `${planMarker(MANIFEST, OTHER_DIGEST, 'planned')}\n`);
    await upsertPlanComment(gh, input('plan'));

    expect(await readReviewedDigest(gh, target)).toBe(DIGEST);
  });

  it.each([
    ['not of the plan digest form', 'sha256:nope'],
    ['not text', 42],
  ])('reads no reviewed digest from a marker whose digest is %s', async (_, digest) => {
    const gh = new FakeGitHub();
    const marker = planMarker(MANIFEST, DIGEST, 'planned').replace(
      JSON.stringify(DIGEST),
      JSON.stringify(digest),
    );
    gh.addComment(PR, BOT, `${marker}\nplan`);

    expect(await readReviewedDigest(gh, target)).toBeUndefined();
  });

  it('returns undefined when the PR has no comment of ours for this manifest', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, { ...input('plan'), manifestPath: 'config/other.yaml' });

    expect(await readReviewedDigest(gh, target)).toBeUndefined();
  });
});

describe('setCommentStatus', () => {
  const runUrl = 'https://github.com/acme/params/actions/runs/99';

  it('moves the status from planned to applying to applied with counts and the run link, keeping the plan', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, input('the reviewed plan'));

    await setCommentStatus(gh, { ...target, status: { state: 'applying', runUrl } });
    const applying = gh.commentsOn(PR)[0]?.body ?? '';
    await setCommentStatus(gh, {
      ...target,
      status: { state: 'applied', runUrl, counts: { applied: 4, failed: 0, skipped: 1, drifted: 0 } },
    });
    const applied = gh.commentsOn(PR)[0]?.body ?? '';

    expect(applying.split('\n')[2]).toBe(`⏳ **Applying** in [workflow run](${runUrl})…`);
    expect(applied.split('\n')[2]).toBe(
      `✅ **Applied** in [workflow run](${runUrl}): 4 changes written, 1 skipped.`,
    );
    expect(readPlanMarker(applied)).toMatchObject({ status: 'applied', digest: DIGEST });
    expect(applied.split('\n').slice(3)).toEqual(applying.split('\n').slice(3));
    expect(applied).toContain('the reviewed plan');
  });

  it('moves the status of a blocked plan’s comment when its merge is refused', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, { ...input('blocked plan'), verdict: 'blocked' });
    expect(gh.commentsOn(PR)[0]?.body.split('\n')[2]).toMatch(/^🛑 \*\*Blocked\*\*: merging applies nothing/);

    await setCommentStatus(gh, { ...target, status: { state: 'failed', reason: 'the plan is blocked' } });

    expect(gh.commentsOn(PR)[0]?.body.split('\n')[2]).toBe('❌ **Failed**: the plan is blocked');
  });

  it('says what failed, as inert text', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, input('plan'));

    await setCommentStatus(gh, {
      ...target,
      status: { state: 'failed', reason: 'plan changed since review --> @admins <img src=x>' },
    });

    const line = gh.commentsOn(PR)[0]?.body.split('\n')[2] ?? '';
    expect(line).toMatch(/^❌ \*\*Failed\*\*: plan changed since review/);
    expect(line).not.toMatch(/-->|<img|@admins/);
  });

  it('reports missing and writes nothing when the PR has no comment of ours', async () => {
    const gh = new FakeGitHub();

    const result = await setCommentStatus(gh, { ...target, status: { state: 'applying' } });

    expect(result).toBe('missing');
    expect(gh.writes).toHaveLength(0);
  });

  it('writes nothing when the status is already the one asked for', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, input('plan'));
    await setCommentStatus(gh, { ...target, status: { state: 'applying', runUrl } });
    const writes = gh.writes.length;

    const result = await setCommentStatus(gh, { ...target, status: { state: 'applying', runUrl } });

    expect(result).toBe('unchanged');
    expect(gh.writes).toHaveLength(writes);
  });

  it('does not link a run URL that could break out of the link syntax', async () => {
    const gh = new FakeGitHub();
    await upsertPlanComment(gh, input('plan'));

    await setCommentStatus(gh, { ...target, status: { state: 'applying', runUrl: 'javascript:alert(1)' } });

    expect(gh.commentsOn(PR)[0]?.body.split('\n')[2]).toBe('⏳ **Applying**…');
  });

  it('moves the status of a comment written before the icons, whose status line reads **Status:**', async () => {
    const gh = new FakeGitHub();
    const old = `${planMarker(MANIFEST, DIGEST, 'planned')}\n**ssm-replicate** · x\\\n**Status:** planned · on merge…\n\nplan`;
    gh.addComment(PR, BOT, old);

    expect(await setCommentStatus(gh, { ...target, status: { state: 'applying', runUrl } })).toBe('updated');

    const lines = gh.commentsOn(PR)[0]?.body.split('\n') ?? [];
    expect(lines[2]).toBe(`⏳ **Applying** in [workflow run](${runUrl})…`);
    expect(lines.slice(3)).toEqual(['', 'plan']);
  });

  it('refuses to guess where the status goes in a hand-edited comment', async () => {
    const gh = new FakeGitHub();
    gh.addComment(PR, BOT, `${planMarker(MANIFEST, DIGEST, 'planned')}\nsummary\nsomeone wrote here\n\nplan`);

    await expect(setCommentStatus(gh, { ...target, status: { state: 'applying' } })).rejects.toThrow(
      'does not have the expected layout',
    );
  });
});

describe('findPlanComment', () => {
  it('reads the marker of a manifest path that contains comment terminators without ending the comment early', async () => {
    const gh = new FakeGitHub();
    const path = 'config/--><!--evil&.yaml';
    await upsertPlanComment(gh, { ...input('plan'), manifestPath: path });

    const found = await findPlanComment(gh, { ...target, manifestPath: path });

    const firstLine = found?.comment.body.split('\n')[0] ?? '';
    expect(firstLine.indexOf('-->')).toBe(firstLine.length - 3);
    expect(firstLine).not.toMatch(/<!--.*<!--/);
    expect(found?.marker.manifest).toBe(path);
  });
});
