import { planJob } from '../../jobs/plan-job.js';
import type { Command } from '../command.js';
import {
  formatOption,
  jobContext,
  loadOrReport,
  manifestOption,
  parseFormat,
  parseVerify,
  renderPlan,
  reportRunError,
  verifyOption,
} from '../shared.js';

export const driftCommand: Command = {
  name: 'drift',
  summary: 'Check whether every destination equals the source (for schedules)',
  description:
    'Plans like `plan` (metadata only unless --verify values) and exits 0 when every destination equals the source, 2 when anything differs (drift), 1 on errors or an unreadable region. Writes nothing.',
  options: { manifest: manifestOption, format: formatOption, verify: verifyOption },
  async run(options, ctx) {
    const format = parseFormat(options, ctx);
    const verify = parseVerify(options, ctx);
    const manifest = await loadOrReport(options, ctx);
    if (!format || !verify || !manifest) return 1;
    try {
      const { plan } = await planJob(jobContext(manifest, ctx), undefined, verify);
      ctx.stdout.write(renderPlan(plan, format, ctx));
      if (plan.regions.some((r) => r.error)) return 1;
      return plan.regions.some((r) => r.items.length > 0) || plan.blockers.length > 0 ? 2 : 0;
    } catch (error) {
      return reportRunError(error, ctx);
    }
  },
};
