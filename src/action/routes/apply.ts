import { STOPPED } from '../../apply/apply.js';
import { LockHeld, LockWaitStopped } from '../../apply/lock.js';
import { applyJob } from '../../jobs/apply-job.js';
import type { Plan } from '../../plan/types.js';
import { intervalHeartbeat } from '../../rate/limiter.js';
import { briefSummary } from '../../render/index.js';
import { redactDeep } from '../../render/redact.js';
import { Inputs, RunStatus } from '../constants.js';
import type { RunContext } from '../context.js';
import {
  type AssociatedPullRequest,
  type CommentStatus,
  findMergedPullRequest,
  findPlanComment,
  type PlanCommentTarget,
  setCommentStatus,
} from '../github/index.js';
import { isOutcome, type Outcome } from '../outcome.js';
import { prepare } from '../prepare.js';
import { publishPlan, summaryPlan, writeSummary } from '../publish.js';
import { applyReportMarkdown, failureReason, progressLogger } from '../report.js';

/** A merge waits this long for another apply of the manifest (a previous merge, the Lambda) to finish. */
const LOCK_TIMEOUT_MS = 600_000;

const isEmpty = (plan: Plan) => plan.blockers.length === 0 && plan.regions.every((r) => r.items.length === 0);

function unreviewed(ctx: RunContext, sha: string, pr: AssociatedPullRequest | undefined): Outcome {
  const what = pr
    ? `Pull request #${pr.number} has no ssm-replicate plan comment for ${ctx.manifestKey} (did the plan workflow run on it, with comment enabled?)`
    : `Commit ${sha.slice(0, 12)} reached the default branch without a merged pull request`;
  return {
    status: RunStatus.Unreviewed,
    failure:
      `${what}, so no plan was reviewed for it: nothing was applied. Merge changes through a pull request, ` +
      `whose reviewed plan is what gets applied, or set '${Inputs.AllowPlanChange}: true' to apply unreviewed ` +
      'pushes as planned from live state.',
  };
}

/** The counts of a run that wrote nothing. */
const NO_WRITES = { applied: 0, failed: 0, skipped: 0, drifted: 0 };

/**
 * A push to the default branch: apply the plan reviewed on the merged PR, and only that plan. The PR
 * comment's status moves applying → applied | failed. A comment already marked applied (a re-run) is not
 * moved back to applying; its run finds nothing left to do.
 */
export async function applyRoute(
  ctx: RunContext,
  route: { sha: string; defaultBranch?: string },
): Promise<Outcome> {
  const prepared = await prepare(ctx, 'apply');
  if (isOutcome(prepared)) return prepared;
  const job = {
    ...prepared,
    lock: {
      owner: `GitHub Actions ${ctx.env.owner}/${ctx.env.repo} ${ctx.env.runUrl ?? `commit ${route.sha.slice(0, 12)}`}`,
      timeoutMs: LOCK_TIMEOUT_MS,
      heartbeat: intervalHeartbeat,
    },
  };
  const gh = ctx.github();
  const { owner, repo } = ctx.env;
  // A digest given as input was reviewed outside any pull request (the repair workflow's environment
  // approval): no PR is looked up, so no PR's comment is moved by this apply.
  const { expectDigest } = ctx.inputs;
  const pr =
    route.defaultBranch && expectDigest === undefined
      ? await findMergedPullRequest(gh, { owner, repo, sha: route.sha, defaultBranch: route.defaultBranch })
      : undefined;
  const target: PlanCommentTarget | undefined = pr && {
    owner,
    repo,
    issueNumber: pr.number,
    manifestPath: ctx.manifestKey,
    botLogin: ctx.inputs.botLogin,
  };
  const found = target && (await findPlanComment(gh, target));
  const reviewed = expectDigest ?? found?.marker.digest;
  if (reviewed === undefined && !ctx.inputs.allowPlanChange) return unreviewed(ctx, route.sha, pr);
  if (pr) ctx.host.info(`Applying the plan reviewed on #${pr.number}${reviewed ? ` (${reviewed})` : ''}.`);
  else if (expectDigest)
    ctx.host.info(`Applying the reviewed plan ${expectDigest} ('${Inputs.ExpectDigest}').`);

  const runUrl = ctx.env.runUrl;
  const setStatus = async (status: CommentStatus) => {
    if (target && found) await setCommentStatus(gh, { ...target, status });
  };
  const wasApplied = found?.marker.status === 'applied';
  if (!wasApplied) await setStatus({ state: 'applying', runUrl });

  const stop = new AbortController();
  ctx.host.onCancel((signal) => {
    if (stop.signal.aborted) return;
    stop.abort();
    ctx.host.warning(`${signal}: stopping after the writes in flight; nothing new is started.`);
  });

  let result: Awaited<ReturnType<typeof applyJob>>;
  try {
    // Redacted before rendering: a cap that cut a secret (in an AWS message, say) would leave a prefix
    // no mask matches.
    const applied = await applyJob(job, {
      ...(reviewed ? { expectDigest: reviewed } : {}),
      allowPlanChange: ctx.inputs.allowPlanChange,
      progress: progressLogger((line) => ctx.host.info(line), job.clock),
      stop: stop.signal,
    });
    result = redactDeep(applied, ctx.secrets);
  } catch (error) {
    if (error instanceof LockWaitStopped) {
      // Cancelled while another apply held the lock: nothing was written, and the comment says so.
      await setStatus({ state: 'cancelled', runUrl, counts: NO_WRITES }).catch(() => undefined);
      return { status: RunStatus.Cancelled, failure: `Apply cancelled: ${error.message}` };
    }
    // The step fails with the error itself; the comment must not stay at "applying".
    await setStatus({ state: 'failed', reason: (error as Error).message, runUrl }).catch(() => undefined);
    if (error instanceof LockHeld) return { status: RunStatus.Failed, failure: error.message };
    throw error;
  }
  await publishPlan(ctx, result.plan);
  const title = `ssm-replicate apply · ${ctx.manifestKey}`;

  if (result.kind === 'refused') {
    if (result.reason === 'plan-changed' && isEmpty(result.plan)) {
      // Someone (an earlier run of this push, a hand edit) already made live state match: nothing to write.
      if (!wasApplied)
        await setStatus({
          state: 'applied',
          runUrl,
          counts: NO_WRITES,
        });
      await writeSummary(ctx, [summaryPlan(result.plan, title, job.manifest.ownershipTag)]);
      ctx.host.info('Nothing to apply: every destination already matches the manifest.');
      return { status: RunStatus.NoChanges };
    }
    const why =
      result.reason === 'blocked'
        ? `the plan is blocked: ${result.plan.blockers.map((b) => b.message).join('; ')}`
        : `plan changed since review: ${result.differences.join('; ')}; live plan: ${briefSummary(result.plan)}`;
    await setStatus({ state: 'failed', reason: why, runUrl });
    await writeSummary(ctx, [
      `> [!CAUTION]\n> Nothing was applied: ${why.replace(/\n/g, ' ')}`,
      summaryPlan(result.plan, title, job.manifest.ownershipTag),
    ]);
    return {
      status: result.reason === 'blocked' ? RunStatus.Blocked : RunStatus.PlanChanged,
      failure: `Nothing was applied: ${why}. Open a pull request to review the new plan, or set '${Inputs.AllowPlanChange}: true'.`,
    };
  }

  const { report } = result;
  const notStarted = report.outcomes.filter((o) => o.message === STOPPED).length;
  if (notStarted > 0) {
    // The comment first: the runner kills the process seconds after its first signal.
    await setStatus({ state: 'cancelled', runUrl, counts: report });
    await writeSummary(ctx, [
      applyReportMarkdown(report),
      summaryPlan(result.plan, title, job.manifest.ownershipTag),
    ]);
    return {
      status: RunStatus.Cancelled,
      failure: `Apply cancelled: ${report.applied} written, ${report.failed} failed, ${notStarted} not started. Run the repair workflow to plan and apply the rest.`,
    };
  }
  const unreadable = result.plan.regions.filter((r) => r.error !== undefined).map((r) => r.target);
  await writeSummary(ctx, [
    applyReportMarkdown(report),
    summaryPlan(result.plan, title, job.manifest.ownershipTag),
  ]);
  if (report.failed > 0 || unreadable.length > 0) {
    const reason = failureReason(report, unreadable);
    await setStatus({ state: 'failed', reason, runUrl });
    return { status: RunStatus.Failed, failure: `Apply incomplete: ${reason}.` };
  }
  await setStatus({ state: 'applied', runUrl, counts: report });
  ctx.host.info(`Applied ${report.applied} changes.`);
  if (report.drifted > 0) {
    return { status: RunStatus.Failed, failure: `Apply incomplete: ${failureReason(report, [])}.` };
  }
  return { status: RunStatus.Applied };
}
