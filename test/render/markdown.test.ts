import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanItem } from '../../src/plan/types.js';
import {
  MARKDOWN_MAX_CHARS,
  MARKDOWN_MAX_ITEMS,
  MARKDOWN_OPEN_LINES,
  renderMarkdown,
} from '../../src/render/markdown.js';
import { arbitraryPlan, HOSTILE } from './arbitraries.js';
import { blockedPlan, hugePlan, item, planOf, region, replaceItem, representativePlan } from './fixtures.js';
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
    const caution = md.indexOf('> [!CAUTION]\n> **This plan is blocked and will not be applied.**');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(md.indexOf('<details'));
    expect(md).toContain('raise max-deletes for this destination');
  });

  it("uses the terminal's glyphs: + create, ~ update and tag-only, -/+ replace, - delete", () => {
    const { blocks } = readMarkdown(renderMarkdown(representativePlan()));
    const heads = blocks.flat().filter((line) => /^\S+ +\//.test(line));
    // eu-west-1's account is not known: it comes before the sections under an account line.
    expect(heads).toEqual([
      '-/+ /prod/app/BIG  (String, Standard)',
      '-   /prod/app/OLD_TOKEN  (SecureString, Standard)',
      '+   /dr/app/API_KEY  ← /prod/app/API_KEY  (SecureString, Standard)',
      '~   /dr/app/DB_URL  ← /prod/app/DB_URL  (String, Standard)',
      '~   /dr/app/FEATURE_FLAGS  ← /prod/app/FEATURE_FLAGS  (StringList, Standard)  tags only',
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
    expect(readMarkdown(md).blocks[0]?.filter((l) => /^[+~] {3}\//.test(l))).toHaveLength(5);
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
    expect(md).toContain('**This plan is blocked and will not be applied.**');
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

describe('renderMarkdown for a reviewer', () => {
  const OWNERSHIP = {
    'ssm-replicate:managed-by': 'ssm-replicate',
    'ssm-replicate:owner': 'default/prod-app',
  };
  const create = (name: string, extra: Record<string, string> = {}) =>
    item({
      action: 'create',
      name,
      changes: [{ attribute: 'value', reason: 'new replica', to: 'v' }],
      tags: { add: { ...OWNERSHIP, ...extra }, change: {}, remove: [] },
    });

  it('states the counts once, without zero counters, and none in the section of the only region', () => {
    const plan = planOf([
      region({ region: 'us-east-1', account: '1', unchanged: 2, items: [create('/a'), create('/b')] }),
    ]);

    const md = renderMarkdown(plan);

    expect(md.match(/2 to create/g)).toHaveLength(1);
    expect(md).toContain('**2 to create in 1 region**');
    expect(md).not.toMatch(/\b0 /);
    expect(md).toContain('<summary><b>us-east-1</b> · 2 in sync</summary>');
  });

  it('leaves the title and counts out when the comment states them in its header', () => {
    const plan = planOf([region({ region: 'us-east-1', items: [create('/a')] })]);

    const md = renderMarkdown(plan, { header: false });

    expect(md).not.toContain('to create');
    expect(md.startsWith('<details open>')).toBe(true);
  });

  it(`opens a plan of at most ${MARKDOWN_OPEN_LINES} diff lines and collapses a longer one`, () => {
    const short = planOf([
      region({ region: 'us-east-1', items: [create('/a')] }),
      region({ region: 'eu-west-1', items: [create('/b')] }),
    ]);
    const long = planOf([
      region({ region: 'us-east-1', items: Array.from({ length: 6 }, (_, i) => create(`/a${i}`)) }),
      region({ region: 'eu-west-1', items: Array.from({ length: 6 }, (_, i) => create(`/b${i}`)) }),
    ]);

    const open = readMarkdown(renderMarkdown(short));
    const collapsed = readMarkdown(renderMarkdown(long));

    expect(open).toMatchObject({ details: 2, open: 2, problems: [] });
    expect(collapsed).toMatchObject({ details: 2, open: 0, problems: [] });
    expect(collapsed.blocks.flat().length).toBeGreaterThan(MARKDOWN_OPEN_LINES);
  });

  it('states the ownership and owner tags of new replicas once, not on every create', () => {
    const plan = planOf([
      region({ region: 'us-east-1', items: [create('/a', { team: 'core' }), create('/b')] }),
    ]);

    const md = renderMarkdown(plan);

    expect(md).not.toContain('tag + ssm-replicate:');
    expect(md).toContain('tag + team = "core"');
    expect(md.match(/every new replica is tagged/g)).toHaveLength(1);
    expect(md).toContain(
      'every new replica is tagged `ssm-replicate:managed-by=ssm-replicate` and `ssm-replicate:owner=default/prod-app`',
    );
  });

  it("hoists the manifest's own ownership tag, and shows owner-tag changes of an update as they are", () => {
    const custom = { key: 'team:owned-by', value: 'platform' };
    const claim = item({
      action: 'tag',
      name: '/c',
      tags: { add: { 'ssm-replicate:owner': 'default/prod-app' }, change: {}, remove: [] },
    });
    const plan = planOf([
      region({
        region: 'us-east-1',
        items: [
          item({
            action: 'create',
            name: '/a',
            tags: { add: { 'team:owned-by': 'platform' }, change: {}, remove: [] },
          }),
          claim,
        ],
      }),
    ]);

    const md = renderMarkdown(plan, { ownershipTag: custom });

    expect(md).not.toContain('tag + team:owned-by');
    expect(md).toContain('every new replica is tagged `team:owned-by=platform`');
    expect(md).toContain('tag + ssm-replicate:owner = "default/prod-app"');
  });

  it('explains (hidden) and (sensitive) only when they appear', () => {
    const shown = planOf([region({ region: 'us-east-1', items: [create('/a')] })]);
    const hidden = planOf([
      region({
        region: 'us-east-1',
        items: [
          item({ action: 'create', name: '/h', changes: [{ attribute: 'value', reason: 'new replica' }] }),
        ],
      }),
    ]);

    expect(renderMarkdown(shown)).not.toMatch(/\((hidden|sensitive)\)/);
    const md = renderMarkdown(hidden);
    expect(md).toContain("`(hidden)` a value the manifest's `value-display` keeps out of the plan");
    expect(md).not.toContain('(sensitive)');
  });

  it('explains -/+ only when a replace is among the items shown', () => {
    const legend = /`-\/\+` replace: .*deleted and created again/;
    const md = (items: PlanItem[], maxItemsPerRegion?: number) =>
      renderMarkdown(planOf([region({ region: 'us-east-1', items })]), { maxItemsPerRegion });

    expect(md([replaceItem('/r')])).toMatch(legend);
    expect(md([create('/a')])).not.toMatch(legend);
    expect(md([create('/a'), replaceItem('/r')], 1)).not.toMatch(legend);
  });

  it('says each warning once: no heading inside the alert, and a warned name is not listed again as unmanaged', () => {
    const md = renderMarkdown(representativePlan());

    expect(md).toContain('> [!WARNING]\n> - ');
    expect(md).not.toContain('Warnings');
    expect(md.match(/HAND/g)).toHaveLength(1);
    expect(md).not.toContain('local parameter');
  });

  it('states a single account once, in the footer, not on every region', () => {
    const plan = planOf([
      region({ region: 'us-east-1', account: '111122223333', items: [create('/a')] }),
      region({ region: 'eu-west-1', account: '111122223333', items: [create('/b')] }),
      region({ region: 'ap-northeast-1', account: '111122223333', unchanged: 3 }),
    ]);

    const md = renderMarkdown(plan);

    expect(md.match(/111122223333/g)).toHaveLength(1);
    expect(md).toContain('· replicas in account `111122223333` ·');
  });

  it('groups regions under one line per account when there are several', () => {
    const plan = planOf([
      region({ region: 'us-east-1', account: '111111111111', items: [create('/a')] }),
      region({
        region: 'us-east-1',
        target: 'us-east-1|role',
        account: '222222222222',
        items: [create('/b')],
      }),
      region({ region: 'eu-west-1', account: '111111111111', items: [create('/c')] }),
    ]);

    const md = renderMarkdown(plan);

    expect(md.match(/111111111111/g)).toHaveLength(1);
    expect(md.match(/222222222222/g)).toHaveLength(1);
    const first = md.indexOf('**Account `111111111111`**');
    const second = md.indexOf('**Account `222222222222`**');
    expect(first).toBeGreaterThan(0);
    expect(md.indexOf('<b>eu-west-1</b>')).toBeGreaterThan(first);
    expect(md.indexOf('<b>eu-west-1</b>')).toBeLessThan(second);
  });

  it('points "… and K more" at where the caller says the full plan is', () => {
    const md = renderMarkdown(hugePlan(10, 1), {
      maxItemsPerRegion: 2,
      moreHint: "the full plan is in the run's `ssm-replicate-plan` artifact",
    });

    expect(md).toContain("_… and 8 more (the full plan is in the run's `ssm-replicate-plan` artifact)._");
  });
});
