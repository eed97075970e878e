import { STOPPED } from '../../apply/apply.js';
import { LockWaitStopped } from '../../apply/lock.js';
import { DEFAULT_RETRY } from '../../apply/retry.js';
import type { ApplyReport } from '../../apply/types.js';
import { awsSettings } from '../../aws/factory.js';
import { type ApplyJobResult, applyJob } from '../../jobs/apply-job.js';
import type { JobContext } from '../../jobs/context.js';
import { planJob } from '../../jobs/plan-job.js';
import { PLAN_FILE_MAX_BYTES, PlanFileError, parsePlanFile } from '../../plan/plan-file.js';
import type { Plan } from '../../plan/types.js';
import { readTextFile, TextFileError } from '../../text-file.js';
import { renderApplyResult } from '../apply-result.js';
import type { CliContext, Command } from '../command.js';
import { type JournalFile, openJournal } from '../journal.js';
import { reportLines } from '../outcomes.js';
import { progressPrinter } from '../progress.js';
import { isReadStopped, ReadStopped, stoppableReads } from '../read-stop.js';
import {
  type Format,
  formatOption,
  jobWithReads,
  loadOrReport,
  lockOptions,
  lockTimeoutOption,
  manifestOption,
  maxItemsOption,
  PLAN_OUT_HINT,
  type PlanView,
  parseFormat,
  planView,
  renderPlan,
  reportRunError,
  str,
} from '../shared.js';
import { liveLine } from '../terminal.js';

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

/** Someone at a terminal who can answer: stdin and stdout are both TTYs, and the shell can ask. */
function atTerminal(ctx: CliContext): boolean {
  return ctx.prompt !== undefined && ctx.stdin?.isTTY === true && ctx.stdout.isTTY === true;
}

const QUESTION = `Do you want to apply these changes?
  ssm-replicate will make exactly the changes shown above, deletes included.
  Only 'yes' will be accepted to approve.

  Enter a value: `;

/**
 * Terraform's confirmation for an apply nobody reviewed: plan, show, ask. Returns the approved plan (its
 * digest is then required of the live plan, so what runs is what was shown), undefined when there is
 * nothing to approve (no changes, or a blocked plan the apply refuses anyway), or an exit code.
 */
async function confirm(
  job: JobContext,
  ctx: CliContext,
  format: Format,
  view: PlanView,
): Promise<Plan | number | undefined> {
  const { plan } = await planJob(job);
  if (plan.blockers.length > 0 || !plan.regions.some((r) => r.items.length > 0)) return undefined;
  ctx.stdout.write(renderPlan(plan, format, ctx, view));
  const answer = await ctx.prompt?.(QUESTION);
  if (answer?.trim() === 'yes') return plan;
  ctx.reporter.notify({
    level: 'error',
    code: 'apply-cancelled',
    message: "Apply cancelled: only 'yes' approves. Nothing was written.",
  });
  return 1;
}

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Apply the plan to every destination region',
  description:
    "Re-plans from live state and applies it. With --plan or --expect-digest, refuses (exit 1) when the live plan differs from the reviewed one and shows what changed, unless --allow-plan-change. Without either, at a terminal, shows the plan and asks first (only 'yes' approves; --yes skips the question). Blocked plans are never applied. One failing region or parameter does not stop the others; the exit code is 1 when anything failed or still differs afterwards. Ctrl-C finishes the writes in flight, reports what was done and exits 130; a second Ctrl-C stops at once.",
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
    'max-items': maxItemsOption,
    yes: {
      type: 'boolean',
      short: 'y',
      description:
        "Apply without asking (at a terminal, an apply without --plan or --expect-digest shows the plan and waits for 'yes')",
    },
    'auto-approve': { type: 'boolean', description: 'The same as --yes (as terraform spells it)' },
  },
  async run(options, ctx) {
    const format = parseFormat(options, ctx);
    const cut = planView(options, ctx, PLAN_OUT_HINT);
    const manifest = await loadOrReport(options, ctx);
    if (!format || !cut || !manifest) return 1;
    const view = { ...cut, ownershipTag: manifest.ownershipTag };
    const planPath = str(options, 'plan');
    const reviewed = planPath ? await readSavedPlan(planPath, ctx) : undefined;
    if (planPath && !reviewed) return 1;
    const lock = lockOptions(options, ctx, 'apply');
    if (!lock) return 1;
    const expectDigest = str(options, 'expect-digest');
    const approved = options.yes === true || options['auto-approve'] === true;
    const ask = !reviewed && !expectDigest && !approved && atTerminal(ctx);
    if (ask && format === 'json') {
      ctx.reporter.notify({
        level: 'error',
        code: 'apply-needs-approval',
        message:
          'apply --format json at a terminal cannot ask for confirmation: pass --yes, or a reviewed plan (--plan FILE or --expect-digest DIGEST).',
      });
      return 1;
    }
    const journalPath = str(options, 'journal');
    let journal: JournalFile | undefined;
    const { job: reading, reads } = jobWithReads(manifest, ctx);
    const stop = new AbortController();
    // Until the plan is made nothing has been written: Ctrl-C then ends the read at once (read-stop.ts).
    let planning = true;
    const stopped = () => planning && stop.signal.aborted;
    const guard = stoppableReads(reading.storeFor, stopped);
    const job = { ...reading, lock, storeFor: guard.storeFor };
    const progress = progressPrinter(
      ctx.live ?? liveLine(ctx.stderr, ctx.env, job.clock),
      ctx.stderr,
      job.clock,
    );
    let unsubscribe: (() => void) | undefined;
    try {
      if (journalPath) journal = await openJournal(journalPath, ctx.secrets);
      const shown = ask ? await confirm(job, ctx, format, view) : undefined;
      if (typeof shown === 'number') return shown;
      // Only from here: before, nothing is written, and Ctrl-C (at the prompt too) ends the run at once.
      unsubscribe = ctx.onInterrupt?.(() => {
        if (stop.signal.aborted) return;
        stop.abort();
        if (planning) return;
        const started = journal ? `its line in ${journalPath}` : 'no record without --journal';
        ctx.reporter.notify({
          level: 'warning',
          code: 'apply-interrupted',
          message: `Interrupted: finishing the writes in flight, then stopping. Press Ctrl-C again to stop at once (every write started has ${started}).`,
        });
      });
      if (shown) reads.phase('reading');
      const digest = shown?.digest ?? expectDigest;
      const result = await applyJob(job, {
        ...(reviewed ? { reviewed } : shown ? { reviewed: shown } : {}),
        ...(digest ? { expectDigest: digest } : {}),
        allowPlanChange: options['allow-plan-change'] === true,
        progress: (p) => {
          progress.update(p);
          // The last write is done: what is read next is the check of what was written.
          if (p.done === p.total) reads.phase('verifying');
        },
        // As terraform -auto-approve: the plan first, then the writes. A plan approved at the prompt was
        // just shown; only one that changed since is shown again. JSON waits for its one document.
        planned: (plan) => {
          planning = false;
          // Stopped while reading: out before the source's values are read for the writes.
          if (stop.signal.aborted) throw new ReadStopped();
          if (format !== 'json' && plan.digest !== shown?.digest)
            ctx.stdout.write(renderPlan(plan, format, ctx, view));
        },
        ...(journal ? { journal: journal.record } : {}),
        retry: { ...DEFAULT_RETRY, attempts: awsSettings(ctx.env, manifest.throughput).maxAttempts },
        stop: stop.signal,
      });
      progress.done();
      const interrupted = stop.signal.aborted;
      return format === 'json'
        ? jsonOutcome(result, interrupted, ctx)
        : textOutcome(result, interrupted, ctx);
    } catch (error) {
      progress.done();
      if (isReadStopped(error)) {
        const written = guard.writes();
        ctx.reporter.notify({
          level: 'error',
          code: 'apply-interrupted',
          message:
            written === 0
              ? 'Interrupted before the first write: nothing was written.'
              : `Interrupted before the plan's first write, after ${written} write(s) re-creating replicas an interrupted replace had left missing${journal ? ` (see ${journalPath})` : ''}. Re-run apply to finish: it plans again from live state.`,
        });
        return 130;
      }
      if (error instanceof LockWaitStopped) {
        ctx.reporter.notify({ level: 'error', code: 'apply-interrupted', message: error.message });
        return 130;
      }
      return reportRunError(error, ctx);
    } finally {
      unsubscribe?.();
      await journal?.close().catch(() => undefined);
    }
  },
};

function refusal(result: Extract<ApplyJobResult, { kind: 'refused' }>, ctx: CliContext): number {
  const why =
    result.reason === 'blocked'
      ? 'the plan is blocked (see above); nothing was applied'
      : 'plan changed since review; nothing was applied. Differences:';
  ctx.reporter.notify({ level: 'error', message: why, code: `apply-${result.reason}` });
  // One notice per difference: a notice is one line, whatever a name in it holds.
  for (const d of result.differences) ctx.reporter.notify({ level: 'error', message: d });
  return 1;
}

/** 0 when everything is in line, 130 after Ctrl-C (as a shell reports SIGINT), 1 otherwise. */
function exitCode(result: Extract<ApplyJobResult, { kind: 'done' }>, interrupted: boolean): number {
  if (interrupted) return 130;
  const unreadable = result.plan.regions.filter((r) => r.error).length;
  return result.report.failed + result.report.drifted + unreadable > 0 ? 1 : 0;
}

function reportInterrupt(report: ApplyReport, ctx: CliContext): void {
  const notAttempted = report.outcomes.filter((o) => o.message === STOPPED).length;
  ctx.reporter.notify({
    level: 'error',
    code: 'apply-interrupted',
    message: `Interrupted: ${report.applied} change(s) applied, ${report.failed} failed, ${notAttempted} not attempted. Re-run apply to finish: it plans again from live state.`,
  });
}

/** The plan is already on stdout (see `planned`): the refusal, or the report under it. */
function textOutcome(result: ApplyJobResult, interrupted: boolean, ctx: CliContext): number {
  if (result.kind === 'refused') return refusal(result, ctx);
  ctx.stdout.write(`${reportLines(result.report).join('\n')}\n`);
  if (interrupted) reportInterrupt(result.report, ctx);
  return exitCode(result, interrupted);
}

/** One JSON document on stdout, whatever happened; the notices go to stderr as always. */
function jsonOutcome(result: ApplyJobResult, interrupted: boolean, ctx: CliContext): number {
  if (result.kind === 'refused') {
    const refused = { reason: result.reason, differences: result.differences };
    ctx.stdout.write(renderApplyResult({ status: 'refused', plan: result.plan, refused }, ctx.secrets));
    return refusal(result, ctx);
  }
  const code = exitCode(result, interrupted);
  const status = interrupted ? 'interrupted' : code === 0 ? 'applied' : 'failed';
  ctx.stdout.write(renderApplyResult({ status, plan: result.plan, report: result.report }, ctx.secrets));
  if (interrupted) reportInterrupt(result.report, ctx);
  return code;
}
