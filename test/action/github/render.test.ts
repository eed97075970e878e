import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { buildPlanComment, planCommentBody } from '../../../src/action/github/comment-format.js';
import { renderDriftIssueBody } from '../../../src/action/github/drift-issue.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlanItem } from '../../../src/plan/types.js';
import { briefSummary } from '../../../src/render/summary.js';

/*
 * What reviewers see: the comment as a GitHub-flavoured Markdown renderer turns it into HTML. marked
 * passes raw HTML through unsanitised, so anything hostile that survived our escaping would show here.
 */
const gfm = new Marked({ gfm: true, async: false });
const toHtml = (md: string) => gfm.parse(md) as string;

const HOSTILE = '/prod/</details><img src=x onerror=alert(1)>';
const MENTION = '/prod/@someone';

function item(overrides: Partial<PlanItem>): PlanItem {
  return {
    action: 'create',
    name: '/prod/a',
    replication: 'prod-app',
    type: 'String',
    changes: [],
    ...overrides,
  };
}

const plan: Plan = {
  formatVersion: PLAN_FORMAT_VERSION,
  sourceRegion: 'ap-south-1',
  scope: 'full',
  digest: `sha256:${'d'.repeat(64)}`,
  summary: { creates: 2, updates: 1, tagChanges: 0, replaces: 0, deletes: 1, unchanged: 3, regions: 2 },
  blockers: [],
  warnings: [
    { code: 'unmanaged-conflict', message: 'ping @someone </details><img src=x>', region: 'us-east-1' },
  ],
  regions: [
    {
      target: 'us-east-1',
      region: 'us-east-1',
      items: [
        item({ name: HOSTILE, sourceName: HOSTILE }),
        item({ name: MENTION, sourceName: MENTION }),
        item({
          action: 'update',
          name: '/prod/b',
          changes: [{ attribute: 'description', reason: 'differs' }],
        }),
      ],
      unchanged: 3,
      inSync: { 'prod-app': 3 },
      unmanaged: ['/prod/<!-- hide the rest', '/prod/@team'],
    },
    {
      target: 'eu-west-1',
      region: 'eu-west-1',
      items: [
        item({
          action: 'delete',
          name: '/prod/gone',
          reason: 'source deleted',
          replicaModified: { user: '@ops-team </details><img src=x> | x', date: '2026-12-01T10:00:00Z' },
        }),
      ],
      unchanged: 0,
      inSync: {},
      unmanaged: [],
    },
  ],
};

/** Text a reader sees outside code: HTML with comments, code blocks and code spans taken out. */
function proseOf(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<pre>[\s\S]*?<\/pre>/g, '')
    .replace(/<code>[\s\S]*?<\/code>/g, '');
}

describe('the plan comment rendered as GitHub-flavoured Markdown', () => {
  const RUN = 'https://github.com/acme/params/actions/runs/5';
  const comment = buildPlanComment({
    manifestPath: 'config/replication.yaml',
    digest: plan.digest,
    body: planCommentBody(plan, { runUrl: RUN }),
    summary: briefSummary(plan),
    runUrl: RUN,
  }).text;
  const html = toHtml(comment);

  it('keeps the marker as the one hidden HTML comment at the top', () => {
    expect(html.startsWith('<!-- ssm-replicate {"v":1,')).toBe(true);
    expect(html.match(/<!--/g)).toHaveLength(1);
    expect(proseOf(html)).not.toContain('"digest"');
  });

  it('renders one section per region with changes, open since the plan is short, each closed where it should be', () => {
    expect(html.match(/<details open>/g)).toHaveLength(2);
    expect(html.match(/<\/details>/g)).toHaveLength(2);
    expect(html.match(/<summary>/g)).toHaveLength(2);
  });

  it('shows the counts once, zero ones left out, and the status with its icon and run link above the plan', () => {
    expect(html).toMatch(
      /2 to create, 1 to update, 1 to delete in 2 regions<br>\s*📝 <strong>Planned<\/strong> in <a href="https:\/\/github.com\/acme\/params\/actions\/runs\/5">workflow run<\/a>/,
    );
    expect(html.match(/to create/g)).toHaveLength(2);
    expect(html).toContain('<b>us-east-1</b> · 2 to create, 1 to update, 3 in sync, 2 local</summary>');
    expect(html).not.toContain('to replace');
  });

  it('puts the warning in an alert without a heading of its own', () => {
    expect(html).toMatch(/<blockquote>\s*<p>\[!WARNING\]\s*<\/p>\s*<ul>/);
    expect(html).not.toMatch(/Warnings/);
  });

  it('keeps a hostile parameter name as text, never as a tag', () => {
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;/details&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('leaves no mention outside code, where GitHub would link and notify it', () => {
    expect(proseOf(html)).not.toMatch(/@(someone|team)/);
    expect(html.match(/<a\s/g)).toHaveLength(1);
  });
});

describe('the drift issue rendered as GitHub-flavoured Markdown', () => {
  const withPipe: Plan = structuredClone(plan);
  withPipe.regions[0]?.items.push(item({ action: 'update', name: '/prod/a|b', changes: [] }));
  // The drift issue names an editor for a value or attributes difference only.
  withPipe.regions[1]?.items.push(
    item({
      action: 'update',
      name: '/prod/edited',
      changes: [{ attribute: 'description', reason: 'description differs' }],
      replicaModified: { user: '@ops-team </details><img src=x> | x', date: '2026-12-01T10:00:00Z' },
    }),
  );
  withPipe.regions.push({
    target: 'sa-east-1',
    region: 'sa-east-1',
    items: [],
    unchanged: 0,
    inSync: {},
    unmanaged: [],
    error: 'AccessDenied | <img src=x> @ops-team',
  });
  const html = toHtml(renderDriftIssueBody('config/replication.yaml', withPipe));

  it('renders a table per region whose rows keep five cells despite pipes in names and editors', () => {
    expect(html.match(/<table>/g)).toHaveLength(2);
    const rows = html
      .split('<tbody>')
      .slice(1)
      .flatMap((t) => t.split('</tbody>')[0]?.split('<tr>').slice(1) ?? []);
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r.match(/<td/g)).toHaveLength(5);
  });

  it('keeps error messages, names and editors from AWS as text, without tags or mentions', () => {
    expect(html).not.toMatch(/<img/i);
    expect(proseOf(html)).not.toContain('@ops');
    expect(proseOf(html)).not.toMatch(/@(someone|team)/);
    expect(html.match(/<!--/g)).toHaveLength(1);
    expect(html.match(/<\/details>/g)).toBeNull();
    expect(html).toContain('<code>@ops-team &lt;/details&gt;&lt;img src=x&gt; | x</code>');
  });
});
