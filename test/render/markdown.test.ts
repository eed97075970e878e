import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARKDOWN_MAX_CHARS, MARKDOWN_MAX_ITEMS, renderMarkdown } from '../../src/render/markdown.js';
import { arbitraryPlan, HOSTILE } from './arbitraries.js';
import { blockedPlan, hugePlan, item, planOf, region, representativePlan } from './fixtures.js';
import { readMarkdown } from './markdown-structure.js';

/** Every untrusted field of a plan set to `s`. */
function hostilePlan(s: string) {
  return planOf(
    [
      region({
        region: s,
        account: s,
        unmanaged: [s, `${s}2`],
        items: [
          item({
            action: 'update',
            name: s,
            sourceName: `${s}-src`,
            reason: s,
            changes: [
              { attribute: 'value', reason: s, from: s, to: s },
              { attribute: 'description', reason: s, from: s, to: s },
            ],
            tags: { add: { [s]: s }, change: { [`${s}1`]: { from: s, to: s } }, remove: [s] },
          }),
          item({ action: 'create', name: `${s}/new`, changes: [{ attribute: 'value', reason: s, to: s }] }),
        ],
      }),
      region({ region: 'eu-west-1', error: s }),
      region({ region: s, target: `${s}|${s}`, unchanged: 1 }),
    ],
    {
      sourceRegion: s,
      blockers: [{ code: s, message: s, region: s }],
      warnings: [{ code: s, message: s, name: s }],
    },
  );
}

describe('renderMarkdown', () => {
  it('renders a representative plan: summary, callouts, a collapsible diff per region, in-sync regions, digest', () => {
    expect(renderMarkdown(blockedPlan())).toMatchSnapshot();
  });

  it('renders an empty plan as the no-changes summary and the in-sync regions', () => {
    const plan = planOf([region({ region: 'us-east-1', unchanged: 4 })]);
    expect(renderMarkdown(plan, { title: 'Plan for config/replication.yaml' })).toMatchInlineSnapshot(`
      "### Plan for config/replication.yaml

      **No changes. 4 replicas in sync in 1 region.**

      In sync, no changes: \`us-east-1\` (4).

      <sub>Source \`ap-south-1\` · digest \`sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\`</sub>
      "
    `);
  });

  it('says the plan will not be applied when it has blockers, before any region', () => {
    const md = renderMarkdown(blockedPlan());
    const caution = md.indexOf('> [!CAUTION]\n> **Blocked: this plan will not be applied.');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(md.indexOf('<details>'));
    expect(md).toContain('raise max-deletes for this destination');
  });

  it('uses + for creates, ! for updates and tag-only changes, -/+ for replaces and - for deletes', () => {
    const { blocks } = readMarkdown(renderMarkdown(representativePlan()));
    const heads = blocks.flat().filter((line) => /^\S+ +\//.test(line) && !/^[+!-] {9}/.test(line));
    expect(heads).toEqual([
      '+   /dr/app/API_KEY  ← /prod/app/API_KEY  (SecureString, Standard)',
      '!   /dr/app/DB_URL  ← /prod/app/DB_URL  (String, Standard)',
      '!   /dr/app/FEATURE_FLAGS  ← /prod/app/FEATURE_FLAGS  (StringList, Standard)  tags only',
      '-/+ /prod/app/BIG  (String, Standard)',
      '-   /prod/app/OLD_TOKEN  (SecureString, Standard)',
    ]);
  });

  it.each(HOSTILE.map((s) => [JSON.stringify(s), s]))(
    'keeps %s inert: no HTML, mention, reference, link or broken fence, and no extra lines',
    (_label, s) => {
      const md = renderMarkdown(hostilePlan(s));
      const structure = readMarkdown(md);
      expect(structure.problems).toEqual([]);
      expect(structure.details).toBe(1);
      const benign = readMarkdown(renderMarkdown(hostilePlan('benign')));
      expect(structure.blocks.map((b) => b.length)).toEqual(benign.blocks.map((b) => b.length));
      expect(md.split('\n')).toHaveLength(renderMarkdown(hostilePlan('benign')).split('\n').length);
    },
  );

  it('fences a code block with more backticks than any run in its content', () => {
    const name = '/a/```/b/`````';
    const md = renderMarkdown(
      planOf([region({ region: 'us-east-1', items: [item({ action: 'create', name })] })]),
    );
    expect(md).toContain('\n``````diff\n+   /a/```/b/`````  (String, Standard)\n``````\n');
  });

  it('shows the first N items per region, then how many more there are', () => {
    const md = renderMarkdown(hugePlan(100, 1), { maxItemsPerRegion: 5 });
    expect(readMarkdown(md).blocks[0]?.filter((l) => /^[+!] {3}\//.test(l))).toHaveLength(5);
    expect(md).toContain('_… and 95 more (see the full plan in the job summary or the JSON plan)._');
    expect(md).toContain(', … and 95 more');
  });

  it('shows counts and no items when maxItemsPerRegion is zero or negative', () => {
    for (const maxItemsPerRegion of [0, -5]) {
      const md = renderMarkdown(hugePlan(4, 1), { maxItemsPerRegion });
      expect(readMarkdown(md).blocks).toEqual([]);
      expect(md).toContain('_… and 4 more (see the full plan');
    }
  });

  it('stays under 60,000 characters for a 100,000-item plan with as many warnings, blockers and unmanaged names', () => {
    const md = renderMarkdown(hugePlan(100_000, 3));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    const structure = readMarkdown(md);
    expect(structure.problems).toEqual([]);
    expect(structure.details).toBe(3);
    expect(structure.blocks.every((b) => b.length === 2 * MARKDOWN_MAX_ITEMS)).toBe(true);
    expect(md).toContain('_… and 33304 more (see the full plan');
    expect(md).toContain('_… and 99970 more warnings (see the full plan');
  });

  it('leaves out whole region sections that do not fit, and names them', () => {
    const md = renderMarkdown(hugePlan(40 * 30, 40, 1500));
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    const structure = readMarkdown(md);
    expect(structure.problems).toEqual([]);
    expect(structure.details).toBeGreaterThan(0);
    expect(structure.details).toBeLessThan(40);
    const omitted = 40 - structure.details;
    expect(md).toMatch(
      new RegExp(`_${omitted} region sections left out to keep this under the size limit: \`region-`),
    );
  });

  it('keeps the blocked notice when even the blockers do not fit', () => {
    const plan = hugePlan(10, 1);
    plan.blockers = Array.from({ length: 30 }, (_, i) => ({
      code: 'max-deletes-exceeded',
      message: `${i}`.repeat(900),
    }));
    const md = renderMarkdown(plan, { maxChars: 5_000 });
    expect(md.length).toBeLessThanOrEqual(5_000);
    expect(md).toContain('**Blocked: this plan will not be applied.');
    expect(readMarkdown(md).problems).toEqual([]);
  });

  it('refuses a maxChars too small for the parts that are never cut', () => {
    expect(() => renderMarkdown(representativePlan(), { maxChars: 100 })).toThrow(RangeError);
  });

  it('never exceeds maxChars and always yields well-formed Markdown, for any plan', () => {
    fc.assert(
      fc.property(arbitraryPlan, fc.integer({ min: 5_000, max: 70_000 }), (plan, maxChars) => {
        const md = renderMarkdown(plan, { maxChars, maxItemsPerRegion: 3 });
        expect(md.length).toBeLessThanOrEqual(maxChars);
        expect(readMarkdown(md).problems).toEqual([]);
      }),
    );
  });
});
