import fc from 'fast-check';
import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import {
  buildPlanComment,
  COMMENT_MAX_CHARS,
  planCommentBody,
} from '../../src/action/github/comment-format.js';
import { DRIFT_BODY_MAX_CHARS, renderDriftIssueBody } from '../../src/action/github/drift-issue.js';
import type { Plan, PlanAction } from '../../src/plan/types.js';
import { briefSummary } from '../../src/render/summary.js';
import { arbitraryPlan, text } from './arbitraries.js';

/*
 * The PR comment and the drift issue as GitHub shows them, for any plan with hostile names, messages and
 * editors: what marked (a GFM renderer that passes raw HTML through) makes of them holds no tag, link or
 * mention we did not write, stays under its size limit, and states the plan's counts.
 */

const gfm = new Marked({ gfm: true, async: false });
const RUN = 'https://github.com/acme/params/actions/runs/9';
const REPAIR = 'https://github.com/acme/params/actions/workflows/ssm-replicate-repair.yml';
/** Every element our Markdown may produce; anything else came from a hostile string. */
const OURS = new Set(
  'p br strong em code pre details summary b sub blockquote ul li a h3 h4 table thead tbody tr th td hr'.split(
    ' ',
  ),
);

/** Plans whose replicas name a hostile editor and date, as DescribeParameters could return them. */
const hostilePlan: fc.Arbitrary<Plan> = fc
  .tuple(arbitraryPlan, fc.array(fc.record({ user: text, date: text }), { minLength: 1, maxLength: 5 }))
  .map(([generated, editors]) => {
    const plan = structuredClone(generated);
    let i = 0;
    for (const region of plan.regions) {
      for (const item of region.items) item.replicaModified = editors[i++ % editors.length];
      // As the planner makes them: the unmanaged names a source is replicated to, some of the unmanaged.
      const conflicts = region.unmanaged.filter((_, k) => k % 2 === 0);
      if (conflicts.length > 0) region.unmanagedConflicts = conflicts;
    }
    return plan;
  });

function problems(html: string): string[] {
  const found: string[] = [];
  // The one HTML comment is our marker, first; entities and code cannot hold a tag.
  const body = html.replace(/^<!-- ssm-replicate \{.*?\} -->\n/, '');
  if (body.includes('<!--')) found.push('a second HTML comment');
  for (const [, tag] of body.matchAll(/<\/?([A-Za-z][\w-]*)/g))
    if (!OURS.has(tag ?? '')) found.push(`<${tag}>`);
  for (const [, href] of body.matchAll(/<a\s+href="([^"]*)"/g))
    if (href !== RUN && href !== REPAIR) found.push(`link to ${href}`);
  const prose = body.replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/<code>[\s\S]*?<\/code>/g, '');
  if (/(^|[^\w\u200d])@[A-Za-z0-9]/.test(prose.replace(/<[^>]*>/g, ''))) found.push('an @mention');
  return found;
}

const COUNT_WORDS: [keyof Plan['summary'], RegExp][] = [
  ['creates', /(\d+) to create/],
  ['updates', /(\d+) to update/],
  ['tagChanges', /(\d+) tag changes?/],
  ['replaces', /(\d+) to replace/],
  ['deletes', /(\d+) to delete/],
];

const ACTION_WORDS: [PlanAction, RegExp][] = [
  ['create', /(\d+) to create/],
  ['update', /(\d+) to update/],
  ['tag', /(\d+) tag changes?/],
  ['replace', /(\d+) to replace/],
  ['delete', /(\d+) to delete/],
];

describe('the PR comment and the drift issue for any plan', () => {
  it('the comment holds no injected HTML, link or mention, and stays under its limit', () => {
    fc.assert(
      fc.property(hostilePlan, (plan) => {
        const comment = buildPlanComment({
          manifestPath: 'config/replication.yaml',
          digest: plan.digest,
          body: planCommentBody(plan, { runUrl: RUN, artifact: 'ssm-replicate-plan' }),
          summary: briefSummary(plan),
          runUrl: RUN,
          artifact: 'ssm-replicate-plan',
        }).text;
        expect(comment.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
        expect(problems(gfm.parse(comment) as string)).toEqual([]);
      }),
    );
  });

  it("the comment states each of the plan's counts once, on its first line, and none that is 0", () => {
    fc.assert(
      fc.property(arbitraryPlan, (plan) => {
        const comment = buildPlanComment({
          manifestPath: 'config/replication.yaml',
          digest: plan.digest,
          body: planCommentBody(plan, {}),
          summary: briefSummary(plan),
        }).text;
        const header = comment.split('\n')[1] ?? '';
        for (const [key, pattern] of COUNT_WORDS) {
          const n = plan.summary[key];
          const shown = pattern.exec(header)?.[1];
          expect(shown === undefined ? 0 : Number(shown)).toBe(header.includes('No changes') ? 0 : n);
        }
      }),
    );
  });

  it("the sections' per-region counts add up to the items of the regions shown", () => {
    fc.assert(
      fc.property(arbitraryPlan, (plan) => {
        const body = planCommentBody(plan, {});
        const summaries = [...body.matchAll(/<summary>(.*)<\/summary>/g)].map((m) => m[1] ?? '');
        const busy = plan.regions.filter((r) => r.error === undefined && r.items.length > 0);
        // With one region that changes, its counts are the header's and are not repeated.
        fc.pre(busy.length > 1 && !body.includes('left out to keep this under the size limit'));
        for (const [action, pattern] of ACTION_WORDS) {
          const shown = summaries.reduce((sum, s) => sum + Number(pattern.exec(s)?.[1] ?? 0), 0);
          const planned = busy.reduce((sum, r) => sum + r.items.filter((i) => i.action === action).length, 0);
          expect(shown).toBe(planned);
        }
      }),
    );
  });

  it('the drift issue holds no injected HTML, link or mention, stays under its limit and counts every difference', () => {
    // Counted: every item and unmanaged conflict of the regions that could be read.
    fc.assert(
      fc.property(hostilePlan, (plan) => {
        fc.pre(new Set(plan.regions.map((r) => r.target)).size === plan.regions.length);
        const body = renderDriftIssueBody('config/replication.yaml', plan, {
          runUrl: RUN,
          repairUrl: REPAIR,
        });
        expect(body.length).toBeLessThanOrEqual(DRIFT_BODY_MAX_CHARS);
        const html = gfm.parse(body) as string;
        expect(problems(html)).toEqual([]);
        // A `|` that escaped its code span would split the cell (GFM drops the excess cells): the name and
        // editor cells are each one whole code span, or a dash.
        for (const [, row = ''] of html.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g))
          for (const [, cells = ''] of row.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
            const [name, , editor] = [...cells.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
            expect(name).toMatch(/^<code>(?:(?!<\/?code>)[\s\S])*<\/code>$/);
            expect(editor).toMatch(/^(?:–|<code>(?:(?!<\/?code>)[\s\S])*<\/code>)$/);
          }
        const readable = plan.regions.filter((r) => r.error === undefined);
        const items = readable.reduce((n, r) => n + r.items.length, 0);
        const stated = /\*\*(\d+) parameters? differs?\*\*/.exec(body)?.[1];
        const conflicts = readable.reduce((n, r) => n + (r.unmanagedConflicts?.length ?? 0), 0);
        expect(stated === undefined ? 0 : Number(stated)).toBe(items + conflicts);
      }),
    );
  });

  it('the drift issue lists each region’s rows, or says how many more there are', () => {
    fc.assert(
      fc.property(hostilePlan, fc.integer({ min: 0, max: 4 }), (plan, maxRows) => {
        // Targets are unique in a plan (one per destination); the generator does not know that.
        fc.pre(new Set(plan.regions.map((r) => r.target)).size === plan.regions.length);
        const body = renderDriftIssueBody('config/replication.yaml', plan, { maxRows });
        const rows = body.split('\n').filter((l) => /^\| (?!Parameter |---)/.test(l)).length;
        const more = [...body.matchAll(/_… and (\d+) more in this region/g)].reduce(
          (n, m) => n + Number(m[1]),
          0,
        );
        const stated = Number(/\*\*(\d+) parameters? differs?\*\*/.exec(body)?.[1] ?? 0);
        expect(rows + more).toBe(stated);
      }),
    );
  });
});
