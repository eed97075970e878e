import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlanComment, planCommentBody } from '../../src/action/github/comment-format.js';
import { renderDriftIssueBody } from '../../src/action/github/drift-issue.js';
import { summaryPlan } from '../../src/action/publish.js';
import { statusRows } from '../../src/jobs/status.js';
import { keyed, ownValue, parseJson } from '../../src/keyed.js';
import { OWNER_TAG_KEY } from '../../src/manifest/index.js';
import type { LiveParameter } from '../../src/model.js';
import { driftKind } from '../../src/plan/drift.js';
import { plan } from '../../src/plan/plan.js';
import type { Plan, PlanItem } from '../../src/plan/types.js';
import { clip, codeSpan, quoted } from '../../src/render/escape.js';
import { renderJson, renderMarkdown, renderText, summarize } from '../../src/render/index.js';
import { destination, inventory, manifest, OWNER, param, replication } from '../support/builders.js';
import { anyKey, tagEntries } from '../support/keys.js';

/*
 * The planner, the renderers and the applier's view of tag changes, for tag keys that name Object.prototype
 * members (`__proto__`, `constructor`, `toString`, …), empty keys and unicode keys, from every place a
 * tag comes from: the source's tags, the manifest's destination tags, and the replica's current tags.
 */

type Entries = [string, string][];
const NAME = '/prod/app/a';

/** Records as the adapters build them (`keyed`) or as a plain object with own hostile keys: both must work. */
const build = (entries: Entries, plain: boolean) => (plain ? Object.fromEntries(entries) : keyed(entries));

const scenario = fc.record({
  source: tagEntries(anyKey),
  manifestTags: tagEntries(anyKey),
  /** The replica's tags besides the ownership tag; absent when there is no replica yet. */
  replica: fc.option(tagEntries(anyKey), { nil: undefined }),
  replication: fc.constantFrom('prod-app', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'),
  /** The manifest's ownership-tag key, which a replica must carry to be updated at all. */
  owner: fc.constantFrom(OWNER.key, '__proto__', 'constructor'),
  plain: fc.boolean(),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function setUp(s: Scenario) {
  const ownershipTag = { key: s.owner, value: OWNER.value };
  const m = manifest(
    [
      replication({
        name: s.replication,
        destinations: [destination('us-east-1', { tags: build(s.manifestTags, s.plain) })],
      }),
    ],
    { ownershipTag },
  );
  const source = param({ name: NAME, tags: build(s.source, s.plain) });
  const replicas: LiveParameter[] = s.replica
    ? [param({ name: NAME, tags: build([...s.replica, [s.owner, OWNER.value]], s.plain) })]
    : [];
  const destinations = new Map([['us-east-1', inventory('us-east-1', replicas)]]);
  const input = { manifest: m, source: inventory('ap-south-1', [source]), destinations };
  const wanted = new Map([
    ...s.source,
    ...s.manifestTags,
    [s.owner, OWNER.value],
    [OWNER_TAG_KEY, `default/${s.replication}`],
  ]);
  return { m, input, wanted, before: replicas[0] };
}

/** The tags a replica holds after the applier carried out `item`'s tag changes, as AWS would store them. */
function written(before: LiveParameter | undefined, item: PlanItem | undefined): Map<string, string> {
  const tags = new Map(item?.action === 'create' ? [] : Object.entries(before?.tags ?? {}));
  for (const [k, v] of Object.entries(item?.tags?.add ?? {})) tags.set(k, v);
  for (const [k, v] of Object.entries(item?.tags?.change ?? {})) tags.set(k, v.to);
  for (const k of item?.tags?.remove ?? []) tags.delete(k);
  return tags;
}

/** Every line a renderer must show for the item's tag changes (at most 11 here, under the 20-line cap). */
function tagLines(item: PlanItem | undefined): string[] {
  const t = item?.tags;
  if (!t) return [];
  return [
    ...Object.entries(t.add).map(([k, v]) => `tag + ${clip(k, 128)} = ${quoted(v)}`),
    ...Object.entries(t.change).map(([k, v]) => `tag ~ ${clip(k, 128)}: ${quoted(v.from)} → ${quoted(v.to)}`),
    ...t.remove.map((k) => `tag - ${clip(k, 128)}`),
  ];
}

const onlyItem = (p: Plan) => p.regions[0]?.items[0];
const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'));
const validatePlan = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

describe('user-keyed tags in the planner and every renderer', () => {
  it('plans exactly the tag writes that make the replica hold the source, manifest, ownership and owner tags', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { input, wanted, before } = setUp(s);
        const item = onlyItem(plan(input));
        expect(written(before, item)).toEqual(wanted);
        if (item?.action === 'create') expect(new Map(Object.entries(item.tags?.add ?? {}))).toEqual(wanted);
      }),
    );
  });

  it('converges: once the replica holds what was planned, the plan is empty and counts it in sync', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { m, input, before } = setUp(s);
        const after = written(before, onlyItem(plan(input)));
        const replica = param({ name: NAME, tags: build([...after], s.plain) });
        const second = plan({
          ...input,
          destinations: new Map([['us-east-1', inventory('us-east-1', [replica])]]),
        });
        expect(second.regions[0]?.items).toEqual([]);
        expect(ownValue(second.regions[0]?.inSync ?? {}, s.replication)).toBe(1);
        expect(statusRows(m, second)).toMatchObject([{ replication: s.replication, inSync: 1, drifted: 0 }]);
      }),
    );
  });

  it('shows every tag change in text, Markdown, the PR comment and the job summary', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { m, input } = setUp(s);
        const p = plan(input);
        const comment = buildPlanComment({
          manifestPath: 'config/replication.yaml',
          digest: p.digest,
          body: planCommentBody(p, { ownershipTag: m.ownershipTag }),
          summary: summarize(p),
        }).text;
        const markdown = [
          renderMarkdown(p),
          renderMarkdown(p, { ownershipTag: m.ownershipTag }),
          comment,
          summaryPlan(p, 'plan', m.ownershipTag),
        ];
        // The Markdown renderings state the ownership and owner tags of new replicas once, not per create.
        const item = onlyItem(p);
        const hoisted = new Set(
          item?.action === 'create'
            ? [
                `tag + ${clip(m.ownershipTag.key, 128)} = ${quoted(m.ownershipTag.value)}`,
                `tag + ${clip(OWNER_TAG_KEY, 128)} = ${quoted(`default/${s.replication}`)}`,
              ]
            : [],
        );
        for (const line of tagLines(item)) {
          expect(renderText(p, { color: false })).toContain(line);
          for (const out of markdown) {
            if (hoisted.has(line) && !out.includes(line))
              expect(out).toContain('every new replica is tagged');
            else expect(out).toContain(line);
          }
        }
      }),
    );
  });

  it('writes the JSON plan with exactly the planned keys, valid against the schema, and reads them back', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const p = plan(setUp(s).input);
        const json = renderJson(p);
        expect(validatePlan(JSON.parse(json)), JSON.stringify(validatePlan.errors)).toBe(true);
        const planned = onlyItem(p)?.tags;
        for (const back of [parseJson(json) as Plan, JSON.parse(json) as Plan]) {
          const tags = onlyItem(back)?.tags;
          expect(new Map(Object.entries(tags?.add ?? {}))).toEqual(
            new Map(Object.entries(planned?.add ?? {})),
          );
          expect(new Map(Object.entries(tags?.change ?? {}))).toEqual(
            new Map(Object.entries(planned?.change ?? {})),
          );
          expect(tags?.remove).toEqual(planned?.remove);
        }
        expect(renderJson(parseJson(json) as Plan)).toBe(json);
      }),
    );
  });

  it('names the differing parameter and its kind in the drift issue, and counts the rest in sync', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { m, input } = setUp(s);
        const p = plan(input);
        const rows = statusRows(m, p);
        const body = renderDriftIssueBody('config/replication.yaml', p);
        expect(rows.every((r) => Number.isInteger(r.inSync))).toBe(true);
        const item = onlyItem(p);
        if (item) expect(body).toContain(`| ${codeSpan(NAME)} | ${driftKind(item)} |`);
        else expect(body).toContain('**No parameter differs.** 1 replica in sync.');
      }),
    );
  });

  it('changes the digest when only a __proto__ or constructor tag value changes', () => {
    for (const key of ['__proto__', 'constructor']) {
      const digest = (value: string) =>
        plan(
          setUp({
            source: [[key, value]],
            manifestTags: [],
            replica: [],
            replication: 'prod-app',
            owner: OWNER.key,
            plain: false,
          }).input,
        ).digest;
      expect(digest('a')).not.toBe(digest('b'));
    }
  });

  it('skips an AMI whose id names an Object.prototype member rather than mapping it to a function', () => {
    for (const ami of ['constructor', 'toString', '__proto__']) {
      const m = manifest([
        replication({ destinations: [destination('us-east-1', { ec2Image: { mode: 'map', amis: {} } })] }),
      ]);
      const source = param({ name: NAME, value: ami, dataType: 'aws:ec2:image' });
      const p = plan({
        manifest: m,
        source: inventory('ap-south-1', [source]),
        destinations: new Map([['us-east-1', inventory('us-east-1', [])]]),
      });
      expect(p.regions[0]?.items).toEqual([]);
      expect(p.warnings.map((w) => w.code)).toEqual(['ec2-image-unmapped']);
    }
  });
});
