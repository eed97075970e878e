import { describeGroup, groupOutcomes } from '../../apply/group.js';
import type { ApplyReport } from '../../apply/types.js';
import { applyJob } from '../../jobs/apply-job.js';
import { PLAN_FILE_MAX_BYTES, PlanFileError, parsePlanFile } from '../../plan/plan-file.js';
import type { Plan } from '../../plan/types.js';
import { plain } from '../../render/escape.js';
import { readTextFile, TextFileError } from '../../text-file.js';
import type { CliContext, Command } from '../command.js';
import { type JournalFile, openJournal } from '../journal.js';
import { progressPrinter } from '../progress.js';
import {
  formatOption,
  jobContext,
  loadOrReport,
  lockOptions,
  lockTimeoutOption,
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
  const lines = groupOutcomes(report.outcomes).map(
    (g) =>
      `  ${g.status.padEnd(7)} ${plain(g.region)} ${plain(describeGroup(g))}${g.message ? `: ${plain(g.message)}` : ''}`,
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
      description:
        'Append a JSON line before each write (prior version and metadata, never values) and one with its outcome; each line is on disk before its write',
    },
    'lock-timeout': lockTimeoutOption,
    format: formatOption,
  },
  async run(options, ctx) {
    const format = parseFormat(options, ctx);
    const manifest = await loadOrReport(options, ctx);
    if (!format || !manifest) return 1;
    const planPath = str(options, 'plan');
    const reviewed = planPath ? await readSavedPlan(planPath, ctx) : undefined;
    if (planPath && !reviewed) return 1;
    const lock = lockOptions(options, ctx, 'apply');
    if (!lock) return 1;
    const journalPath = str(options, 'journal');
    let journal: JournalFile | undefined;
    const job = { ...jobContext(manifest, ctx), lock };
    const progress = progressPrinter(ctx.stderr, job.clock);
    try {
      if (journalPath) journal = await openJournal(journalPath, ctx.secrets);
      const expectDigest = str(options, 'expect-digest');
      const result = await applyJob(job, {
        ...(reviewed ? { reviewed } : {}),
        ...(expectDigest ? { expectDigest } : {}),
        allowPlanChange: options['allow-plan-change'] === true,
        progress: (p) => progress.update(p),
        ...(journal ? { journal: journal.record } : {}),
      });
      progress.done();
      ctx.stdout.write(renderPlan(result.plan, format, ctx));
      if (result.kind === 'refused') {
        const why =
          result.reason === 'blocked'
            ? 'the plan is blocked (see above); nothing was applied'
            : 'plan changed since review; nothing was applied. Differences:';
        ctx.reporter.notify({ level: 'error', message: why, code: `apply-${result.reason}` });
        // One notice per difference: a notice is one line, whatever a name in it holds.
        for (const d of result.differences) ctx.reporter.notify({ level: 'error', message: d });
        return 1;
      }
      ctx.stdout.write(`${reportLines(result.report).join('\n')}\n`);
      const unreadable = result.plan.regions.filter((r) => r.error).length;
      return result.report.failed + result.report.drifted + unreadable > 0 ? 1 : 0;
    } catch (error) {
      progress.done();
      return reportRunError(error, ctx);
    } finally {
      await journal?.close().catch(() => undefined);
    }
  },
};
