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

/**
 * Blocked and partly unreadable plans fail the step, as `ssm-replicate plan` exits 1 on them; the comment's
 * status line reads the same verdict.
 */
export function planVerdict(plan: Plan): Outcome {
  switch (commentVerdict(plan)) {
    case 'blocked':
      return {
        status: RunStatus.Blocked,
        failure: `The plan is blocked and would not be applied: ${plan.blockers.map((b) => b.message).join('; ')}`,
      };
    case 'incomplete': {
      const unreadable = plan.regions.filter((r) => r.error !== undefined);
      return {
        status: RunStatus.Failed,
        failure: `Could not read ${unreadable.map((r) => `${r.target}: ${r.error}`).join('; ')}`,
      };
    }
    case 'changes':
      return { status: RunStatus.Planned };
    case 'no-changes':
      return { status: RunStatus.NoChanges };
  }
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
