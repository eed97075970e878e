import { planJob } from '../../jobs/plan-job.js';
import type { Command } from '../command.js';
import {
  formatOption,
  jobContext,
  loadOrReport,
  manifestOption,
  maxItemsOption,
  parseFormat,
  parseVerify,
  planView,
  renderPlan,
  reportRunError,
  str,
  verifyOption,
  writePlanFile,
} from '../shared.js';

export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what would change in every destination region',
  description:
    'Reads the source and every destination and prints the plan: creates, updates, tag changes, replaces and deletes per region. Reads metadata only (sync records prove replicas equal; nothing is decrypted) unless --verify values. Writes nothing to AWS. Exits 0 when the plan could be made (with --detailed-exitcode: 0 no changes, 2 changes), 1 on errors, a blocked plan or an unreadable region.',
  options: {
    manifest: manifestOption,
    format: formatOption,
    out: {
      type: 'string',
      valueName: 'FILE',
      description: 'Also write the plan as JSON to FILE (for apply --plan)',
    },
    'detailed-exitcode': { type: 'boolean', description: 'Exit 2 when the plan has changes' },
    'max-items': maxItemsOption,
    verify: verifyOption,
  },
  async run(options, ctx) {
    const format = parseFormat(options, ctx);
    const out = str(options, 'out');
    const view = planView(
      options,
      ctx,
      out ? `the whole plan is in ${out}` : 'the whole plan: run without --max-items, or with --out FILE',
    );
    const verify = parseVerify(options, ctx);
    const manifest = await loadOrReport(options, ctx);
    if (!format || !view || !verify || !manifest) return 1;
    try {
      const { plan } = await planJob(jobContext(manifest, ctx), undefined, verify);
      ctx.stdout.write(renderPlan(plan, format, ctx, { ...view, ownershipTag: manifest.ownershipTag }));
      if (!(await writePlanFile(out, plan, ctx))) return 1;
      if (plan.blockers.length > 0 || plan.regions.some((r) => r.error)) return 1;
      const changes = plan.regions.some((r) => r.items.length > 0);
      return options['detailed-exitcode'] && changes ? 2 : 0;
    } catch (error) {
      return reportRunError(error, ctx);
    }
  },
};
