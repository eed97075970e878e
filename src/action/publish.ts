import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Plan } from '../plan/types.js';
import { codeSpan } from '../render/escape.js';
import { renderJson, renderMarkdown, renderText } from '../render/index.js';
import { sanitizeDocument } from '../render/sanitize.js';
import {
  Outputs,
  SUMMARY_MAX_BYTES,
  SUMMARY_MAX_ITEMS_PER_REGION,
  SUMMARY_PLAN_MAX_CHARS,
} from './constants.js';
import type { RunContext } from './context.js';
import { cutMarkdown } from './github/truncate.js';

/** The plan's outputs; every route that planned sets them, so a later step can branch on them. */
export function setPlanOutputs(ctx: RunContext, plan: Plan, planFile: string): void {
  const s = plan.summary;
  const total = s.creates + s.updates + s.replaces + s.deletes + s.tagChanges;
  const out = (name: (typeof Outputs)[keyof typeof Outputs], value: string | number | boolean) =>
    ctx.host.setOutput(name, String(value));
  out(Outputs.HasChanges, total > 0);
  out(Outputs.Creates, s.creates);
  out(Outputs.Updates, s.updates);
  out(Outputs.Replaces, s.replaces);
  out(Outputs.Deletes, s.deletes);
  out(Outputs.TagChanges, s.tagChanges);
  out(Outputs.Blocked, plan.blockers.length > 0);
  out(Outputs.PlanDigest, plan.digest);
  out(Outputs.PlanFile, planFile);
}

/** The plan as JSON (no values of SecureStrings, by schema) in the runner's temp folder, one per manifest. */
export async function writePlanFile(ctx: RunContext, plan: Plan): Promise<string> {
  const slug = ctx.manifestKey.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'manifest';
  const path = join(ctx.env.tempDir, `ssm-replicate-plan-${slug}.json`);
  // A file is a channel too: a later step may print or upload it.
  await writeFile(path, sanitizeDocument(renderJson(plan), ctx.secrets));
  return path;
}

/** The full plan for the job summary and the log, where the comment's cut-down version points. */
export function summaryPlan(plan: Plan, title: string, ownershipTag: { key: string; value: string }): string {
  return renderMarkdown(plan, {
    title,
    ownershipTag,
    maxChars: SUMMARY_PLAN_MAX_CHARS,
    maxItemsPerRegion: SUMMARY_MAX_ITEMS_PER_REGION,
  });
}

/** Writes the summary, cut (on whole lines, blocks closed) to stay under GitHub's 1 MiB per step. */
export async function writeSummary(ctx: RunContext, parts: readonly string[]): Promise<void> {
  let text = `${parts.join('\n\n')}\n`;
  const where = ctx.inputs.planArtifact
    ? `the artifact ${codeSpan(ctx.inputs.planArtifact, 200)} of this run`
    : `the plan file (the \`${Outputs.PlanFile}\` output)`;
  while (Buffer.byteLength(text) > SUMMARY_MAX_BYTES) {
    text = `${cutMarkdown(text, Math.floor(text.length * 0.9)).text}\n\n_The summary was cut to fit GitHub's 1 MiB limit; the full plan is in ${where}._\n`;
  }
  await ctx.host.writeSummary(text);
}

/** Plan outputs, plan file, and the plan in the log: what every route that planned does. */
export async function publishPlan(ctx: RunContext, plan: Plan): Promise<string> {
  const planFile = await writePlanFile(ctx, plan);
  setPlanOutputs(ctx, plan, planFile);
  ctx.host.info(renderText(plan, { color: false }));
  ctx.host.info(`Plan digest ${plan.digest}; JSON plan in ${planFile}`);
  return planFile;
}
