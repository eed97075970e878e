import { planJob } from '../../jobs/plan-job.js';
import { converged, type StatusRow, statusRows } from '../../jobs/status.js';
import type { PlanMessage } from '../../plan/types.js';
import { redactDeep } from '../../render/redact.js';
import type { Command } from '../command.js';
import { jobContext, loadOrReport, manifestOption, reportRunError, str } from '../shared.js';

const COLUMNS = ['region', 'replication', 'in-sync', 'drifted', 'missing', 'failed', 'unmanaged', 'local'];

function table(rows: StatusRow[], blockers: readonly PlanMessage[]): string {
  const cells = rows.map((r) => [
    r.target === r.region ? r.region : r.target,
    r.replication,
    String(r.inSync),
    String(r.drifted),
    String(r.missing),
    r.failed ? 'yes' : '0',
    String(r.unmanaged),
    String(r.local),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length)));
  const fmt = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const failures = rows.filter((r) => r.failed).map((r) => `${r.region}: ${r.failed}`);
  const blocked = blockers.map((b) => `blocked: ${b.message}`);
  return [fmt(COLUMNS), ...cells.map(fmt), ...[...new Set(failures)], ...blocked].join('\n');
}

export const statusCommand: Command = {
  name: 'status',
  summary: 'Replica status per destination region and replication',
  description:
    'Counts, per destination region and replication, the replicas that are in sync, drifted, missing, in a region that could not be read (failed), unmanaged (a parameter without the ownership tag where a source is replicated: never written unless the destination adopts it, so never proven equal) and local (one without the tag that no source maps to: left alone). Lists what blocks the plan (as `drift` and `apply` see it) under the table. Exits 0 when everything is in sync and nothing is blocked, 2 otherwise (drifted, missing, failed, unmanaged or blocked, as `drift`), 1 on errors.',
  options: {
    manifest: manifestOption,
    format: {
      type: 'string',
      valueName: 'FORMAT',
      description: 'Output format: text or json',
      default: 'text',
    },
  },
  async run(options, ctx) {
    const format = str(options, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') {
      ctx.reporter.notify({ level: 'error', message: `unknown format '${format}': expected text or json` });
      return 1;
    }
    const manifest = await loadOrReport(options, ctx);
    if (!manifest) return 1;
    try {
      // Redacted like every plan output: a region's error or a blocker quotes AWS's text.
      const plan = redactDeep((await planJob(jobContext(manifest, ctx))).plan, ctx.secrets);
      const rows = statusRows(manifest, plan);
      const blockers = plan.blockers.map(({ code, message, region, replication, name }) => ({
        code,
        message,
        ...(region !== undefined ? { region } : {}),
        ...(replication !== undefined ? { replication } : {}),
        ...(name !== undefined ? { name } : {}),
      }));
      ctx.stdout.write(
        format === 'json'
          ? `${JSON.stringify({ rows, blockers }, null, 2)}\n`
          : `${table(rows, plan.blockers)}\n`,
      );
      return converged(manifest, plan) ? 0 : 2;
    } catch (error) {
      return reportRunError(error, ctx);
    }
  },
};
