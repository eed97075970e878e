import type { Plan, PlanAction, PlanMessage, RegionPlan } from '../plan/types.js';
import { codeBlock, codeSpan, htmlText, mdText } from './escape.js';
import { itemBlock } from './items.js';
import { isQuiet, MORE_HINT, plural, regionCounts, regionLabel, summarize } from './summary.js';

export interface MarkdownOptions {
  /** Items (and unmanaged names) shown per region before "… and K more". Default 30. */
  maxItemsPerRegion?: number;
  /** Hard cap on the returned length (UTF-16 units, so never more characters). Default 60,000, minimum 5,000. */
  maxChars?: number;
  /** Heading text; default "ssm-replicate plan". */
  title?: string;
}

export const MARKDOWN_MAX_ITEMS = 30;
/** Below GitHub's 65,536-character comment limit, leaving room for the Action's marker and status line. */
export const MARKDOWN_MAX_CHARS = 60_000;
/** Enough for the parts that are never cut (title, summary, callout headers, footer). */
export const MARKDOWN_MIN_CHARS = 5_000;
const MAX_MESSAGES = 30;
const MAX_IN_SYNC_NAMES = 10;
const LABEL_CHARS = 64;
const NOTE_CHARS = 700;

/*
 * GitHub colours a ```diff block by its first character: `+` green, `-` red, `!` orange (markup.changed);
 * `~` has no colour. So updates and tag-only changes use `!` here (as terraform PR-comment tools do),
 * replaces keep `-/+` and show red like deletes, since both destroy the current parameter.
 */
const DIFF_GLYPH: Record<PlanAction, string> = {
  create: '+',
  update: '!',
  tag: '!',
  replace: '-/+',
  delete: '-',
};
const DIFF_MARK: Record<PlanAction, string> = {
  create: '+',
  update: '!',
  tag: '!',
  replace: '-',
  delete: '-',
};

function moreLine(shown: number, total: number, what = ''): string | undefined {
  return total > shown ? `_… and ${total - shown} more${what} (${MORE_HINT})._` : undefined;
}

function callout(kind: 'CAUTION' | 'WARNING', heading: string, bullets: string[], more?: string): string {
  const lines = [`> [!${kind}]`, `> **${heading}**`, ...bullets.map((b) => `> - ${b}`)];
  if (more) lines.push('>', `> ${more}`);
  return lines.join('\n');
}

function messageBullet(m: PlanMessage): string {
  const where = m.region !== undefined ? ` (${mdText(m.region, LABEL_CHARS)})` : '';
  return `${codeSpan(m.code, 100)}${where}: ${mdText(m.message)}`;
}

function blockersSection(blockers: PlanMessage[], limit: number): string {
  const heading = `Blocked: this plan will not be applied. Fix the following and re-run the plan.`;
  return callout(
    'CAUTION',
    heading,
    blockers.slice(0, limit).map(messageBullet),
    moreLine(limit, blockers.length),
  );
}

function warningsSection(plan: Plan, limit: number): string {
  const failed = plan.regions
    .filter((r) => r.error !== undefined)
    .map(
      (r) =>
        `**${mdText(regionLabel(r), LABEL_CHARS)}** could not be read, nothing is planned there: ${mdText(r.error ?? '')}`,
    );
  const all = [...failed, ...plan.warnings.map(messageBullet)];
  return callout('WARNING', 'Warnings', all.slice(0, limit), moreLine(limit, all.length, ' warnings'));
}

function regionSection(region: RegionPlan, max: number): string {
  const summary = `<b>${htmlText(regionLabel(region), LABEL_CHARS)}</b>: ${htmlText(regionCounts(region))}`;
  const parts = [`<details><summary>${summary}</summary>`];
  const shown = region.items.slice(0, max);
  if (shown.length > 0) {
    const lines: string[] = [];
    for (const item of shown) {
      const block = itemBlock(item);
      lines.push(`${DIFF_GLYPH[item.action].padEnd(3)} ${block.head}`);
      for (const detail of block.details) lines.push(`${DIFF_MARK[item.action]}         ${detail}`);
    }
    parts.push(codeBlock('diff', lines.join('\n')));
  }
  const more = moreLine(shown.length, region.items.length);
  if (more) parts.push(more);
  if (region.unmanaged.length > 0) {
    const names = region.unmanaged.slice(0, max).map((n) => codeSpan(n));
    const rest = region.unmanaged.length - names.length;
    const tail = rest > 0 ? `, … and ${rest} more` : '';
    parts.push(
      `**${plural(region.unmanaged.length, 'unmanaged parameter')}**, never touched: ${names.join(', ')}${tail}`,
    );
  }
  parts.push('</details>');
  return parts.join('\n\n');
}

function footer(plan: Plan, omitted: string[]): string {
  const parts: string[] = [];
  if (omitted.length > 0) {
    let list = '';
    let listed = 0;
    for (const label of omitted) {
      const next = `${list}${list ? ', ' : ''}${codeSpan(label, LABEL_CHARS)}`;
      if (next.length > NOTE_CHARS - 200) break;
      list = next;
      listed++;
    }
    const rest = omitted.length > listed ? `, and ${omitted.length - listed} more` : '';
    parts.push(
      `_${plural(omitted.length, 'region section')} left out to keep this under the size limit: ${list}${rest} (${MORE_HINT})._`,
    );
  }
  const quiet = plan.regions.filter(isQuiet);
  if (quiet.length > 0) {
    const names = quiet
      .slice(0, MAX_IN_SYNC_NAMES)
      .map((r) => `${codeSpan(regionLabel(r), LABEL_CHARS)} (${r.unchanged})`);
    const rest = quiet.length > MAX_IN_SYNC_NAMES ? `, and ${quiet.length - MAX_IN_SYNC_NAMES} more` : '';
    parts.push(`In sync, no changes: ${names.join(', ')}${rest}.`);
  }
  const scope = plan.scope === 'names' ? ' · only the named parameters were planned' : '';
  parts.push(
    `<sub>Source ${codeSpan(plan.sourceRegion, LABEL_CHARS)} · digest ${codeSpan(plan.digest, 100)}${scope}</sub>`,
  );
  return parts.join('\n\n');
}

/** Largest n ≤ wanted whose rendering fits `budget`, halving; 0 still renders the heading and the count. */
function fitting(render: (n: number) => string, wanted: number, budget: number): string {
  let n = wanted;
  let text = render(n);
  while (text.length > budget && n > 0) {
    n = Math.floor(n / 2);
    text = render(n);
  }
  return text;
}

/**
 * The plan as GitHub-flavoured Markdown for a PR comment or job summary. Every untrusted string is
 * either inside a code block/span with a longer fence or escaped as text; the result never exceeds
 * `maxChars`: long regions show their first items, and whole region sections are left out (and named)
 * when the rest would not fit.
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const max = Math.max(0, Math.floor(options.maxItemsPerRegion ?? MARKDOWN_MAX_ITEMS));
  const maxChars = options.maxChars ?? MARKDOWN_MAX_CHARS;
  if (!(maxChars >= MARKDOWN_MIN_CHARS))
    throw new RangeError(`maxChars must be at least ${MARKDOWN_MIN_CHARS}, got ${maxChars}.`);

  const sep = '\n\n';
  const head = `### ${mdText(options.title ?? 'ssm-replicate plan', 100)}${sep}**${summarize(plan)}**`;
  const base = footer(plan, []);
  let budget = maxChars - head.length - base.length - NOTE_CHARS - 2 * sep.length - 1;

  const sections: string[] = [];
  const add = (text: string) => {
    sections.push(text);
    budget -= text.length + sep.length;
  };
  if (plan.blockers.length > 0) {
    const wanted = Math.min(plan.blockers.length, MAX_MESSAGES);
    add(fitting((n) => blockersSection(plan.blockers, n), wanted, budget - sep.length));
  }
  const warnings = plan.warnings.length + plan.regions.filter((r) => r.error !== undefined).length;
  if (warnings > 0)
    add(fitting((n) => warningsSection(plan, n), Math.min(warnings, MAX_MESSAGES), budget - sep.length));

  const omitted: string[] = [];
  for (const region of plan.regions) {
    if (isQuiet(region) || region.error !== undefined) continue;
    const text = regionSection(region, max);
    if (text.length + sep.length <= budget) add(text);
    else omitted.push(regionLabel(region));
  }

  const md = `${[head, ...sections, footer(plan, omitted)].join(sep)}\n`;
  if (md.length <= maxChars) return md;
  // Unreachable by the budget above; kept so the bound holds even if a section outgrows its estimate.
  const blocked =
    plan.blockers.length > 0
      ? `${sep}**Blocked: this plan will not be applied** (${plural(plan.blockers.length, 'blocker')}).`
      : '';
  return `**${summarize(plan)}**${blocked}${sep}_The plan is too large to show here (${MORE_HINT})._\n`;
}
