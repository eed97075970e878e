import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { comparePlans } from '../../src/plan/compare.js';
import { PlanFileError, parsePlanFile } from '../../src/plan/plan-file.js';
import { renderJson, renderMarkdown, renderText } from '../../src/render/index.js';
import { arbitraryPlan } from '../render/arbitraries.js';
import { item, planOf, region } from '../render/fixtures.js';

/** A saved plan with one value somewhere replaced by arbitrary JSON, or one key removed. */
const mutatedPlan = fc
  .tuple(arbitraryPlan, fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.boolean())
  .map(([plan, pick, replacement, remove]) => {
    const data = JSON.parse(renderJson(plan)) as unknown;
    const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) {
        node.forEach((child, i) => {
          slots.push({ parent: node, key: i });
          walk(child);
        });
      } else if (node !== null && typeof node === 'object') {
        for (const [key, child] of Object.entries(node)) {
          slots.push({ parent: node as Record<string, unknown>, key });
          walk(child);
        }
      }
    };
    walk(data);
    const slot = slots[pick % Math.max(1, slots.length)];
    if (slot && remove && !Array.isArray(slot.parent)) delete slot.parent[slot.key as string];
    else if (slot) (slot.parent as Record<string | number, unknown>)[slot.key] = replacement;
    return JSON.stringify(data);
  });

const anyText = fc.oneof(
  fc.json(),
  mutatedPlan,
  fc.string({ unit: 'binary', maxLength: 50 }),
  mutatedPlan.map((t) => t.slice(0, Math.floor(t.length / 2))),
);

/** A loaded plan is one every consumer of a reviewed plan can use without throwing. */
function use(plan: ReturnType<typeof parsePlanFile>): void {
  comparePlans(plan, plan);
  renderText(plan, { color: false });
  renderMarkdown(plan);
  renderJson(plan);
}

describe('parsePlanFile', () => {
  it('loads every plan ssm-replicate writes, unchanged', () => {
    fc.assert(
      fc.property(arbitraryPlan, (plan) => {
        const text = renderJson(plan);
        expect(renderJson(parsePlanFile(text, 'plan.json'))).toBe(text);
      }),
    );
  });

  it('either loads arbitrary or mutated input into a usable plan or refuses it with a PlanFileError', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let plan: ReturnType<typeof parsePlanFile> | undefined;
        try {
          plan = parsePlanFile(text, 'crafted.json');
        } catch (error) {
          expect(error).toBeInstanceOf(PlanFileError);
          const message = (error as Error).message;
          // A plan of another format number (fast-check finds `formatVersion: 0`) is refused by name.
          expect(message).toMatch(
            /^crafted\.json (is not an ssm-replicate plan \(schemas\/plan\.schema\.json\)|has plan format \S+): /,
          );
          // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
          expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
          return;
        }
        use(plan);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps tag keys named like built-ins as data', () => {
    const tags = { add: { team: 'x' }, change: {}, remove: [] };
    const saved = planOf([
      region({ region: 'us-east-1', items: [item({ action: 'tag', name: '/a', tags })] }),
    ]);
    const text = renderJson(saved).replace('"team"', '"__proto__"');
    const add = parsePlanFile(text, 'plan.json').regions[0]?.items[0]?.tags?.add ?? {};
    expect(Object.getPrototypeOf(add)).toBeNull();
    expect(Object.entries(add)).toEqual([['__proto__', 'x']]);
  });
});
