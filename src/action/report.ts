import { describeGroup, groupOutcomes } from '../apply/group.js';
import type { ApplyProgress, ApplyReport } from '../apply/types.js';
import type { Clock } from '../rate/limiter.js';
import { codeSpan, mdText } from '../render/escape.js';

const MAX_ROWS = 500;
const PROGRESS_EVERY_MS = 10_000;

/** `|` ends a table cell even inside a code span unless escaped. */
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The apply result for the job summary: counts, then every item that did not simply apply. */
export function applyReportMarkdown(report: ApplyReport): string {
  const lines = [
    '### Apply result',
    '',
    `**${report.applied} written**, ${report.failed} failed, ${report.skipped} skipped, ${report.drifted} still differing after apply.`,
  ];
  // Items failed for one shared reason (a region-wide check) are one row with a count.
  const groups = groupOutcomes(report.outcomes);
  if (groups.length > 0) {
    lines.push('', '| Region | Action | Name | Status | Why |', '| --- | --- | --- | --- | --- |');
    for (const g of groups.slice(0, MAX_ROWS)) {
      const [first] = g.outcomes;
      const many = g.outcomes.length > 1;
      const cells = [
        codeSpan(g.region, 64),
        many ? `${g.outcomes.length} changes` : (first?.action ?? ''),
        many ? mdText(describeGroup(g), 300) : codeSpan(first?.name ?? ''),
        g.status,
        mdText(g.message ?? '', 300),
      ];
      lines.push(`| ${cells.map(cell).join(' | ')} |`);
    }
    if (groups.length > MAX_ROWS) lines.push('', `_… and ${groups.length - MAX_ROWS} more._`);
  }
  return lines.join('\n');
}

/** One line for the comment's failed status: how many, and the first few reasons. */
export function failureReason(report: ApplyReport, unreadable: readonly string[]): string {
  const parts: string[] = [];
  if (report.failed > 0) {
    const total = report.outcomes.length;
    const first = groupOutcomes(report.outcomes)
      .filter((g) => g.status === 'failed')
      .slice(0, 3)
      .map((g) => `${g.region} ${describeGroup(g)}: ${g.message ?? 'failed'}`);
    parts.push(`${report.failed} of ${total} changes failed (${first.join('; ')})`);
  }
  if (unreadable.length > 0) parts.push(`could not read ${unreadable.join(', ')}`);
  if (report.drifted > 0) parts.push(`${report.drifted} still differ after apply`);
  return parts.join('; ');
}

/** Apply progress for the log, at most every ten seconds and once at the end, so long applies show life. */
export function progressLogger(info: (line: string) => void, clock: Clock): (p: ApplyProgress) => void {
  let last = clock.now();
  return (p) => {
    const now = clock.now();
    if (p.done < p.total && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    info(`Applied ${p.done} of ${p.total}${p.failed ? `, ${p.failed} failed` : ''}.`);
  };
}
