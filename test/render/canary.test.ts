import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/render/json.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { summarize } from '../../src/render/summary.js';
import { renderText } from '../../src/render/text.js';
import { leakyPlan } from './arbitraries.js';
import { representativePlan } from './fixtures.js';

function everyRendering(plan: Parameters<typeof renderJson>[0]): Record<string, string> {
  return {
    text: renderText(plan, { color: false }),
    colour: renderText(plan, { color: true }),
    markdown: renderMarkdown(plan),
    markdownShort: renderMarkdown(plan, { maxItemsPerRegion: 1, maxChars: 5_000 }),
    json: renderJson(plan),
    summary: summarize(plan),
  };
}

describe('SecureString canary', () => {
  it('never lets a SecureString value into any format, even when the plan carries it', () => {
    fc.assert(
      fc.property(leakyPlan, ({ plan, canaries }) => {
        // The canary is really in the input, so its absence below means the renderers dropped it.
        expect(canaries.every((c) => JSON.stringify(plan).includes(c))).toBe(true);
        for (const [format, out] of Object.entries(everyRendering(plan))) {
          expect({ format, leaked: out.includes('CANARY') }).toEqual({ format, leaked: false });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds the canary where a plan may legitimately show it, so the check above can fail', () => {
    const plan = representativePlan();
    plan.warnings.push({ code: 'x', message: 'CANARY-in-a-message' });
    // The summary line holds counts only; every other format shows warnings.
    const { summary: _counts, ...withMessages } = everyRendering(plan);
    for (const out of Object.values(withMessages)) expect(out).toContain('CANARY');
  });
});
