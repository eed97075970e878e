import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { buildPlanComment } from '../../../src/action/github/comment-format.js';
import { renderDriftIssueBody } from '../../../src/action/github/drift-issue.js';
import type { StatusRow } from '../../../src/jobs/status.js';
import { PLAN_FORMAT_VERSION, type Plan, type PlanItem } from '../../../src/plan/types.js';
import { renderMarkdown } from '../../../src/render/markdown.js';
import { summarize } from '../../../src/render/summary.js';

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
      items: [item({ action: 'delete', name: '/prod/gone', reason: 'source deleted' })],
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
  const comment = buildPlanComment({
    manifestPath: 'config/replication.yaml',
    digest: plan.digest,
    body: renderMarkdown(plan),
    summary: summarize(plan),
  }).text;
  const html = toHtml(comment);

  it('keeps the marker as the one hidden HTML comment at the top', () => {
    expect(html.startsWith('<!-- ssm-replicate {"v":1,')).toBe(true);
    expect(html.match(/<!--/g)).toHaveLength(1);
    expect(proseOf(html)).not.toContain('"digest"');
  });

  it('renders one collapsible section per region with changes, each closed where it should be', () => {
    expect(html.match(/<details>/g)).toHaveLength(2);
    expect(html.match(/<\/details>/g)).toHaveLength(2);
    expect(html.match(/<summary>/g)).toHaveLength(2);
  });

  it('shows the summary and status lines as text above the plan', () => {
    expect(html).toMatch(/in 2 regions<br>\s*<strong>Status:<\/strong> planned/);
    expect(html).toContain('2 to create, 1 to update');
  });

  it('keeps a hostile parameter name as text, never as a tag', () => {
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('&lt;/details&gt;&lt;img src=x onerror=alert(1)&gt;');
  });

  it('leaves no mention outside code, where GitHub would link and notify it', () => {
    expect(proseOf(html)).not.toMatch(/@(someone|team)/);
    expect(html).not.toMatch(/<a\s/);
  });
});

describe('the drift issue rendered as GitHub-flavoured Markdown', () => {
  const row = (overrides: Partial<StatusRow>): StatusRow => ({
    region: 'us-east-1',
    target: 'us-east-1',
    replication: 'prod-app',
    inSync: 1,
    drifted: 1,
    missing: 0,
    unmanaged: 0,
    local: 0,
    ...overrides,
  });
  const body = renderDriftIssueBody('config/replication.yaml', [
    row({ replication: 'a|b' }),
    row({ region: 'eu-west-1', target: 'eu-west-1', failed: 'AccessDenied | <img src=x> @ops-team' }),
  ]);
  const html = toHtml(body);

  it('renders a table per region whose rows keep six cells despite pipes in names and errors', () => {
    expect(html.match(/<table>/g)).toHaveLength(2);
    const rows = html
      .split('<tbody>')
      .slice(1)
      .flatMap((t) => t.split('</tbody>')[0]?.split('<tr>').slice(1) ?? []);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.match(/<td/g)).toHaveLength(6);
  });

  it('keeps an error message from AWS as text, without tags or mentions', () => {
    expect(html).not.toMatch(/<img/i);
    expect(proseOf(html)).not.toContain('@ops');
    expect(html.match(/<!--/g)).toHaveLength(1);
  });
});
