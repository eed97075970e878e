import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Plan, PlanItem, PlanMessage, RegionPlan } from '../../src/plan/types.js';
import {
  CHANGE_KEYS,
  ITEM_KEYS,
  MESSAGE_KEYS,
  PLAN_KEYS,
  REGION_KEYS,
  renderJson,
  SUMMARY_KEYS,
  TAG_KEYS,
  TARGET_KEYS,
} from '../../src/render/json.js';
import { arbitraryPlan } from './arbitraries.js';
import { blockedPlan, item, planOf, region, representativePlan } from './fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

/** Keys that are not optional in T. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

// The compiler checks these against the types; the tests check the schema against these.
const PLAN_REQUIRED = {
  formatVersion: true,
  sourceRegion: true,
  scope: true,
  digest: true,
  summary: true,
  blockers: true,
  warnings: true,
  regions: true,
} satisfies Record<RequiredKeys<Plan>, true>;
const MESSAGE_REQUIRED = { code: true, message: true } satisfies Record<RequiredKeys<PlanMessage>, true>;
const REGION_REQUIRED = {
  target: true,
  region: true,
  items: true,
  unchanged: true,
  inSync: true,
  unmanaged: true,
} satisfies Record<RequiredKeys<RegionPlan>, true>;
const ITEM_REQUIRED = {
  action: true,
  name: true,
  replication: true,
  type: true,
  changes: true,
} satisfies Record<RequiredKeys<PlanItem>, true>;

function errors(plan: unknown): unknown {
  validate(plan);
  return validate.errors ?? [];
}

/** The same plan with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversedKeys(v)]),
  );
}

describe('plan.schema.json', () => {
  it.each([
    ['the plan object', schema, PLAN_KEYS, PLAN_REQUIRED],
    ['a message', schema.$defs.message, MESSAGE_KEYS, MESSAGE_REQUIRED],
    ['a region plan', schema.$defs.regionPlan, REGION_KEYS, REGION_REQUIRED],
    ['an item', schema.$defs.planItem, ITEM_KEYS, ITEM_REQUIRED],
    ['the summary', schema.$defs.summary, SUMMARY_KEYS, SUMMARY_KEYS],
    ['an attribute change', schema.$defs.attributeChange, CHANGE_KEYS, { attribute: true, reason: true }],
    ['tag changes', schema.$defs.tagChanges, TAG_KEYS, TAG_KEYS],
    [
      'a replica target',
      schema.$defs.replicaTarget,
      TARGET_KEYS,
      { type: true, tier: true, dataType: true, policies: true },
    ],
  ])(
    'lists exactly the fields of %s, in declaration order, with the same required ones',
    (_what, def, keys, required) => {
      expect(Object.keys(def.properties)).toEqual(Object.keys(keys));
      expect([...def.required].sort()).toEqual(Object.keys(required).sort());
      expect(def.additionalProperties).toBe(false);
    },
  );

  it('accepts hand-built plans', () => {
    expect(errors(representativePlan())).toEqual([]);
    expect(errors(blockedPlan())).toEqual([]);
    expect(errors(planOf([]))).toEqual([]);
  });

  it('accepts any plan the types allow', () => {
    fc.assert(
      fc.property(arbitraryPlan, (plan) => {
        expect(errors(plan)).toEqual([]);
      }),
    );
  });

  it('rejects unknown fields, a wrong format version and a malformed digest', () => {
    expect(errors({ ...representativePlan(), extra: 1 })).not.toEqual([]);
    expect(errors({ ...representativePlan(), formatVersion: 1 })).not.toEqual([]);
    expect(errors({ ...representativePlan(), digest: 'md5:abc' })).not.toEqual([]);
  });

  it('rejects a plan that shows a SecureString value, or the value of a replica leaving SecureString', () => {
    const shown = { attribute: 'value' as const, reason: 'value differs', from: 'a', to: 'b' };
    const secure = item({ action: 'update', name: '/a', type: 'SecureString', changes: [shown] });
    const leaving = item({
      action: 'replace',
      name: '/b',
      changes: [shown, { attribute: 'type', reason: 'type differs', from: 'SecureString', to: 'String' }],
    });
    const plain = item({ action: 'update', name: '/c', changes: [shown] });
    expect(errors(planOf([region({ region: 'r', items: [secure] })]))).not.toEqual([]);
    expect(errors(planOf([region({ region: 'r', items: [leaving] })]))).not.toEqual([]);
    expect(errors(planOf([region({ region: 'r', items: [plain] })]))).toEqual([]);
  });
});

describe('renderJson', () => {
  it('parses back to an equal plan that the schema accepts', () => {
    fc.assert(
      fc.property(arbitraryPlan, (plan) => {
        const parsed = JSON.parse(renderJson(plan));
        // toEqual, not toStrictEqual: fast-check builds null-prototype records, JSON.parse plain ones.
        expect(parsed).toEqual(plan);
        expect(errors(parsed)).toEqual([]);
      }),
    );
  });

  it('gives byte-equal output whatever order the keys were built in', () => {
    fc.assert(
      fc.property(arbitraryPlan, (plan) => {
        expect(renderJson(reversedKeys(plan) as Plan)).toBe(renderJson(plan));
      }),
    );
  });

  it('indents by two spaces, ends with a newline and starts with the format version', () => {
    const json = renderJson(representativePlan());
    expect(json.startsWith('{\n  "formatVersion": 2,\n  "sourceRegion": "ap-south-1",\n')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('drops a SecureString value the plan should not have carried', () => {
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
    const json = renderJson(plan);
    expect(json).not.toContain('secret');
    expect(JSON.parse(json).regions[0].items[0].changes).toEqual([
      { attribute: 'value', reason: 'value differs' },
    ]);
  });
});
