import { planJob } from '../../jobs/plan-job.js';
import { briefSummary } from '../../render/index.js';
import { redactDeep } from '../../render/redact.js';
import { Inputs, RunStatus } from '../constants.js';
import type { RunContext } from '../context.js';
import { driftHeadline, hasDrift, syncDriftIssue } from '../github/index.js';
import { isOutcome, type Outcome } from '../outcome.js';
import { prepare } from '../prepare.js';
import { publishPlan, summaryPlan, writeSummary } from '../publish.js';

/** Schedule and workflow_dispatch: is every replica in sync? Keeps one drift issue per manifest. */
export async function driftRoute(ctx: RunContext): Promise<Outcome> {
  const job = await prepare(ctx, 'drift');
  if (isOutcome(job)) return job;
  const plan = redactDeep((await planJob(job)).plan, ctx.secrets);
  await publishPlan(ctx, plan);
  const drift = hasDrift(plan);
  await writeSummary(ctx, [
    summaryPlan(plan, `ssm-replicate drift check · ${ctx.manifestKey}`, job.manifest.ownershipTag),
  ]);

  if (ctx.inputs.driftIssue) {
    const result = await syncDriftIssue(ctx.github(), {
      owner: ctx.env.owner,
      repo: ctx.env.repo,
      manifestPath: ctx.manifestKey,
      botLogin: ctx.inputs.botLogin,
      plan,
      ...(ctx.env.runUrl ? { runUrl: ctx.env.runUrl } : {}),
      repairUrl: `${ctx.env.serverUrl}/${ctx.env.owner}/${ctx.env.repo}/actions/workflows/${ctx.inputs.repairWorkflow}`,
    });
    const which = result.issueNumber !== undefined ? ` #${result.issueNumber}` : '';
    ctx.host.info(`Drift issue${which}: ${result.action}.`);
  }

  const unreadable = plan.regions.filter((r) => r.error !== undefined);
  if (unreadable.length > 0) {
    // An unreadable region is an error, not drift: fail-on-drift does not silence it.
    return {
      status: RunStatus.Failed,
      failure: `Could not read ${unreadable.map((r) => `${r.target}: ${r.error}`).join('; ')}`,
    };
  }
  if (!drift) return { status: RunStatus.InSync };
  // The drift issue's words (what differs, and how) when parameters differ; a blocker alone has only counters.
  const message = `Replicas differ from ${ctx.manifestKey}: ${driftHeadline(plan) ?? briefSummary(plan)}`;
  if (ctx.inputs.failOnDrift) return { status: RunStatus.Drifted, failure: message };
  ctx.host.warning(`${message} (not failing: '${Inputs.FailOnDrift}' is false).`);
  return { status: RunStatus.Drifted };
}
