import { appendFile } from 'node:fs/promises';
import type { ApplyReport, JournalEntry } from '../../apply/types.js';
import { applyJob } from '../../jobs/apply-job.js';
import { PLAN_FILE_MAX_BYTES, PlanFileError, parsePlanFile } from '../../plan/plan-file.js';
import type { Plan } from '../../plan/types.js';
import { readTextFile, TextFileError } from '../../text-file.js';
import type { CliContext, Command } from '../command.js';
import { progressPrinter } from '../progress.js';
import {
  formatOption,
  jobContext,
  loadOrReport,
  manifestOption,
  parseFormat,
  renderPlan,
  reportRunError,
  str,
} from '../shared.js';

/** The reviewed plan, checked against the plan schema before anything uses it; undefined once reported. */
async function readSavedPlan(path: string, ctx: CliContext): Promise<Plan | undefined> {
  try {
    return parsePlanFile(await readTextFile(path, { maxBytes: PLAN_FILE_MAX_BYTES }), path);
  } catch (error) {
    if (!(error instanceof PlanFileError || error instanceof TextFileError)) throw error;
    const message =
      error instanceof PlanFileError ? error.message : `cannot read the saved plan ${path}: ${error.message}`;
    ctx.reporter.notify({ level: 'error', message, code: 'plan-file-invalid' });
    return undefined;
  }
}

function reportLines(report: ApplyReport): string[] {
  const lines = report.outcomes
    .filter((o) => o.status !== 'applied')
    .map(
      (o) => `  ${o.status.padEnd(7)} ${o.region} ${o.action} ${o.name}${o.message ? `: ${o.message}` : ''}`,
    );
  return [
    `Applied ${report.applied}, failed ${report.failed}, drifted ${report.drifted}, skipped ${report.skipped}.`,
    ...lines,
  ];
}

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Apply the plan to every destination region',
  description:
    'Re-plans from live state and applies it. With --plan or --expect-digest, refuses (exit 1) when the live plan differs from the reviewed one and shows what changed, unless --allow-plan-change. Blocked plans are never applied. One failing region or parameter does not stop the others; the exit code is 1 when anything failed or still differs afterwards.',
  options: {
    manifest: manifestOption,
    plan: {
      type: 'string',
      valueName: 'FILE',
      description: 'The reviewed plan (JSON from plan --out); apply only that',
    },
    'expect-digest': {
      type: 'string',
      valueName: 'DIGEST',
      description: 'Apply only if the live plan has this digest',
    },
    'allow-plan-change': {
      type: 'boolean',
      description: 'Apply the live plan even if it differs from the reviewed one',
    },
    journal: {
      type: 'string',
      valueName: 'FILE',
      description: 'Append a JSON line per write: prior version and metadata, never values',
    },
    format: formatOption,
  },
  async run(options, ctx) {
    const format = parseFormat(options, ctx);
    const manifest = await loadOrReport(options, ctx);
    if (!format || !manifest) return 1;
    const planPath = str(options, 'plan');
    const reviewed = planPath ? await readSavedPlan(planPath, ctx) : undefined;
    if (planPath && !reviewed) return 1;
    const journalPath = str(options, 'journal');
    const journal: Promise<unknown>[] = [];
    const job = jobContext(manifest, ctx);
    const progress = progressPrinter(ctx.stderr, job.clock);
    try {
      const expectDigest = str(options, 'expect-digest');
      const result = await applyJob(job, {
        ...(reviewed ? { reviewed } : {}),
        ...(expectDigest ? { expectDigest } : {}),
        allowPlanChange: options['allow-plan-change'] === true,
        progress: (p) => progress.update(p),
        ...(journalPath
          ? { journal: (e: JournalEntry) => journal.push(appendFile(journalPath, `${JSON.stringify(e)}\n`)) }
          : {}),
      });
      progress.done();
      await Promise.all(journal);
      ctx.stdout.write(renderPlan(result.plan, format, ctx));
      if (result.kind === 'refused') {
        const why =
          result.reason === 'blocked'
            ? 'the plan is blocked (see above); nothing was applied'
            : `plan changed since review; nothing was applied. Differences:\n${result.differences.join('\n')}`;
        ctx.reporter.notify({ level: 'error', message: why, code: `apply-${result.reason}` });
        return 1;
      }
      ctx.stdout.write(`${reportLines(result.report).join('\n')}\n`);
      const unreadable = result.plan.regions.filter((r) => r.error).length;
      return result.report.failed + result.report.drifted + unreadable > 0 ? 1 : 0;
    } catch (error) {
      progress.done();
      return reportRunError(error, ctx);
    }
  },
};
