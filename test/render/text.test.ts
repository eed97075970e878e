import { describe, expect, it } from 'vitest';
import type { PlanItem } from '../../src/plan/types.js';
import { renderText, TEXT_MAX_ITEMS } from '../../src/render/text.js';
import { HOSTILE } from './arbitraries.js';
import { ANSI, ESC, unsafeCharacters } from './chars.js';
import { blockedPlan, hugePlan, item, planOf, region, replaceItem, representativePlan } from './fixtures.js';

function hostilePlan(s: string) {
  return planOf(
    [
      region({
        region: s,
        account: s,
        error: undefined,
        unmanaged: [s],
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
        ],
      }),
      region({ region: 'eu-west-1', error: s }),
    ],
    {
      sourceRegion: s,
      blockers: [{ code: s, message: s, region: s }],
      warnings: [{ code: s, message: s, name: s }],
    },
  );
}

describe('renderText: who last wrote a replica', () => {
  const edited = item({
    action: 'update',
    name: '/prod/app/DB_HOST',
    changes: [{ attribute: 'description', reason: 'description differs' }],
    replicaModified: { user: 'arn:aws:iam::123456789012:user/alice', date: '2026-11-30T08:15:00.000Z' },
  });

  it('names the editor and the time under an item for an existing replica', () => {
    const text = renderText(planOf([region({ region: 'us-east-1', items: [edited] })]), { color: false });
    expect(text).toContain(
      'last written by arn:aws:iam::123456789012:user/alice at 2026-11-30T08:15:00.000Z',
    );
  });

  it('says nothing of an editor when AWS reported none, as for a create', () => {
    const create = item({ action: 'create', name: '/prod/app/NEW' });
    const text = renderText(planOf([region({ region: 'us-east-1', items: [create] })]), { color: false });
    expect(text).not.toContain('last written');
  });

  it('names the editor once when the value line already says who changed the replica outside ssm-replicate', () => {
    const alice = 'arn:aws:iam::123456789012:user/alice';
    const hand = item({
      action: 'update',
      name: '/prod/app/DB_HOST',
      changes: [
        {
          attribute: 'value',
          reason: `replica changed outside ssm-replicate by ${alice} at 2026-11-30T08:15:00.000Z (version 1 → 2)`,
        },
      ],
      replicaModified: { user: alice, date: '2026-11-30T08:15:00.000Z' },
    });
    const text = renderText(planOf([region({ region: 'us-east-1', items: [hand] })]), { color: false });
    expect(text.split(alice)).toHaveLength(2);
    expect(text).not.toContain('last written');
  });

  /*
   * LastModifiedUser and LastModifiedDate belong to the latest parameter version, and tagging writes none
   * (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html,
   * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html): under a tag
   * change or a delete (its source is gone) they would blame the last value writer, often ssm-replicate itself.
   */
  it('names no editor under a tag-only change or a delete, which the last value writer did not cause', () => {
    const tagged = item({
      action: 'tag',
      name: '/prod/app/A',
      tags: { add: {}, change: {}, remove: ['team'] },
      replicaModified: edited.replicaModified,
    });
    const gone = item({ action: 'delete', name: '/prod/app/B', replicaModified: edited.replicaModified });
    const text = renderText(planOf([region({ region: 'us-east-1', items: [tagged, gone] })]), {
      color: false,
    });
    expect(text).toContain('/prod/app/A');
    expect(text).toContain('/prod/app/B');
    expect(text).not.toContain('alice');
  });

  it('keeps a hostile editor inert: no control character reaches the terminal', () => {
    const hostile = { ...edited, replicaModified: { user: `x${ESC}[2J\nforged line` } };
    const text = renderText(planOf([region({ region: 'us-east-1', items: [hostile] })]), { color: false });
    expect(text).not.toContain(ESC);
    expect(text.split('\n').some((l) => l.startsWith('forged line'))).toBe(false);
  });
});

describe('renderText', () => {
  it('renders a representative plan with summary, blockers, warnings and one section per region', () => {
    expect(renderText(blockedPlan(), { color: false })).toMatchSnapshot();
  });

  it('says how many replicas are in sync when there is nothing to do', () => {
    const plan = planOf([
      region({ region: 'us-east-1', unchanged: 4 }),
      region({ region: 'eu-west-1', unchanged: 2 }),
    ]);
    expect(renderText(plan, { color: false })).toBe(
      [
        'Plan: No changes. 6 replicas in sync in 2 regions.',
        `Source: ap-south-1 · digest ${plan.digest}`,
        '',
        'In sync, no changes: us-east-1 (4), eu-west-1 (2)',
        '',
      ].join('\n'),
    );
  });

  it('emits no ANSI codes when colour is off', () => {
    expect(renderText(blockedPlan(), { color: false })).not.toContain(ESC);
  });

  it('colours glyphs and headings when colour is on, and the text is otherwise the same', () => {
    const coloured = renderText(blockedPlan(), { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(renderText(blockedPlan(), { color: false }));
  });

  it('marks tag-only changes with ~ and says "tags only"', () => {
    const text = renderText(representativePlan(), { color: false });
    expect(text).toContain(
      '    ~ /dr/app/FEATURE_FLAGS  ← /prod/app/FEATURE_FLAGS  (StringList, Standard)  tags only',
    );
  });

  it('never shows a SecureString value, even when the plan wrongly carries one', () => {
    const plan = planOf([
      region({
        region: 'us-east-1',
        items: [
          item({
            action: 'update',
            name: '/a',
            type: 'SecureString',
            changes: [{ attribute: 'value', reason: 'value differs', from: 'old-secret', to: 'new-secret' }],
          }),
        ],
      }),
    ]);
    const text = renderText(plan, { color: false });
    expect(text).not.toMatch(/secret/);
    expect(text).toContain('value: (sensitive)  (value differs)');
  });

  it('shortens long values to 80 characters and says how many were left out', () => {
    const long = 'v'.repeat(200);
    const plan = planOf([
      region({
        region: 'us-east-1',
        items: [
          item({
            action: 'update',
            name: '/a',
            changes: [{ attribute: 'value', reason: 'r', from: 'x', to: long }],
          }),
        ],
      }),
    ]);
    expect(renderText(plan, { color: false })).toContain(`"x" → "${'v'.repeat(80)}"…(120 more chars)`);
  });

  it.each(HOSTILE.map((s) => [JSON.stringify(s), s]))(
    'keeps %s from reaching the terminal as a control sequence or an extra line',
    (_label, s) => {
      const text = renderText(hostilePlan(s), { color: false });
      expect(unsafeCharacters(text)).toEqual([]);
      const benign = renderText(hostilePlan('benign'), { color: false });
      expect(text.split('\n')).toHaveLength(benign.split('\n').length);
    },
  );

  it('shows the first N items per region, then how many more there are', () => {
    const text = renderText(hugePlan(10, 1), { color: false, maxItemsPerRegion: 3 });
    expect(text.match(/^ {4}[+~] \/p\//gm)).toHaveLength(3);
    expect(text).toContain('… and 7 more (see the full plan in the job summary or the JSON plan)');
  });

  it('shows a replace as the replica it creates, with an old side only for the attribute that forces it', () => {
    const text = renderText(planOf([region({ region: 'us-east-1', items: [replaceItem('/r')] })]), {
      color: false,
    });

    expect(text).toContain('        value = "a,b"\n');
    expect(text).toContain('        type: "String" → "StringList"  (type differs)\n');
    expect(text).toContain('        tier = "Standard"\n');
    expect(text).not.toContain('(none)');
  });

  it('explains -/+ only when a replace is among the items shown', () => {
    const create = item({
      action: 'create',
      name: '/a',
      changes: [{ attribute: 'value', reason: 'new', to: 'v' }],
    });
    const legend = /^-\/\+ replace: .*deleted and created again/m;
    const text = (items: PlanItem[], maxItemsPerRegion?: number) =>
      renderText(planOf([region({ region: 'us-east-1', items })]), { color: false, maxItemsPerRegion });

    expect(text([replaceItem('/r')])).toMatch(legend);
    expect(text([create])).not.toMatch(legend);
    expect(text([create, replaceItem('/r')], 1)).not.toMatch(legend);
  });

  it('stays bounded for a 100,000-item plan with as many warnings, blockers and unmanaged names', () => {
    const plan = hugePlan(100_000, 4);
    const text = renderText(plan, { color: true });
    expect(text.length).toBeLessThan(60_000);
    expect(text.match(new RegExp(`^ {4}${ESC}\\[\\d+m[+~]`, 'gm'))).toHaveLength(4 * TEXT_MAX_ITEMS);
    expect(text).toContain(`… and ${25_000 - TEXT_MAX_ITEMS} more (`);
    expect(text).toContain(`… and ${100_000 - 50} more (`);
  });
});
