import { planJob } from '../../jobs/plan-job.js';
import type { Plan } from '../../plan/types.js';
import { redactDeep } from '../../render/redact.js';
import { briefSummary } from '../../render/summary.js';
import { RunStatus } from '../constants.js';
import type { RunContext } from '../context.js';
import { commentVerdict, type PullRequestRef, planCommentBody, upsertPlanComment } from '../github/index.js';
import { isOutcome, type Outcome } from '../outcome.js';
import { prepare } from '../prepare.js';
import { publishPlan, summaryPlan, writeSummary } from '../publish.js';

/** Blocked and partly unreadable plans fail the step, as `ssm-replicate plan` exits 1 on them. */
export function planVerdict(plan: Plan): Outcome {
  const unreadable = plan.regions.filter((r) => r.error !== undefined);
  if (plan.blockers.length > 0) {
    return {
      status: RunStatus.Blocked,
      failure: `The plan is blocked and would not be applied: ${plan.blockers.map((b) => b.message).join('; ')}`,
    };
  }
  if (unreadable.length > 0) {
    return {
      status: RunStatus.Failed,
      failure: `Could not read ${unreadable.map((r) => `${r.target}: ${r.error}`).join('; ')}`,
    };
  }
  const s = plan.summary;
  const changes = s.creates + s.updates + s.replaces + s.deletes + s.tagChanges;
  return { status: changes > 0 ? RunStatus.Planned : RunStatus.NoChanges };
}

export async function planRoute(ctx: RunContext, pullRequest: PullRequestRef | undefined): Promise<Outcome> {
  const job = await prepare(ctx, 'plan');
  if (isOutcome(job)) return job;
  // Redacted before rendering: a cap that cut a secret would leave a prefix no mask matches.
  const plan = redactDeep((await planJob(job)).plan, ctx.secrets);
  await publishPlan(ctx, plan);
  await writeSummary(ctx, [
    summaryPlan(plan, `ssm-replicate plan · ${ctx.manifestKey}`, job.manifest.ownershipTag),
  ]);

  if (pullRequest && ctx.inputs.comment) {
    const run = {
      ...(ctx.env.runUrl ? { runUrl: ctx.env.runUrl } : {}),
      ...(ctx.inputs.planArtifact ? { artifact: ctx.inputs.planArtifact } : {}),
    };
    const result = await upsertPlanComment(ctx.github(), {
      owner: ctx.env.owner,
      repo: ctx.env.repo,
      issueNumber: pullRequest.number,
      manifestPath: ctx.manifestKey,
      botLogin: ctx.inputs.botLogin,
      body: planCommentBody(plan, { ...run, ownershipTag: job.manifest.ownershipTag }),
      digest: plan.digest,
      summary: briefSummary(plan),
      verdict: commentVerdict(plan),
      ...run,
    });
    ctx.host.info(
      `Plan comment on #${pullRequest.number}: ${result.action}${result.truncated ? ' (cut to fit; the full plan is in the job summary)' : ''}.`,
    );
  }
  return planVerdict(plan);
}
