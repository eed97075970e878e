import { planJob } from '../../jobs/plan-job.js';
import { converged } from '../../jobs/status.js';
import type { Command } from '../command.js';
import {
  formatOption,
  jobContext,
  loadOrReport,
  manifestOption,
  maxItemsOption,
  PLAN_OUT_HINT,
  parseFormat,
  parseVerify,
  planView,
  renderPlan,
  reportRunError,
  verifyOption,
} from '../shared.js';

export const driftCommand: Command = {
  name: 'drift',
  summary: 'Check whether every destination equals the source (for schedules)',
  description:
    'Plans like `plan` (metadata only unless --verify values) and exits 0 when every destination equals the source, 2 when anything differs (drift) or the plan is blocked, 1 on errors or an unreadable region. A parameter without the ownership tag where a source is replicated (unmanaged, not adopted) is drift: it is never written, so never proven equal. Writes nothing.',
  options: {
    manifest: manifestOption,
    format: formatOption,
    'max-items': maxItemsOption,
    verify: verifyOption,
  },
  async run(options, ctx) {
    const format = parseFormat(options, ctx);
    const view = planView(options, ctx, PLAN_OUT_HINT);
    const verify = parseVerify(options, ctx);
    const manifest = await loadOrReport(options, ctx);
    if (!format || !view || !verify || !manifest) return 1;
    try {
      const { plan } = await planJob(jobContext(manifest, ctx), undefined, verify);
      ctx.stdout.write(renderPlan(plan, format, ctx, { ...view, ownershipTag: manifest.ownershipTag }));
      if (plan.regions.some((r) => r.error)) return 1;
      // The same test as `status`, so the two never disagree.
      return converged(manifest, plan) ? 0 : 2;
    } catch (error) {
      return reportRunError(error, ctx);
    }
  },
};
