import { driftKind } from '../plan/drift.js';
import { withoutEditor } from '../plan/sync-record.js';
import type { Plan, PlanAction, PlanItem, PlanMessage, RegionPlan, ReplicaModified } from '../plan/types.js';
import { clip, MESSAGE_CHARS, NAME_CHARS, plain } from './escape.js';
import { GLYPH, itemBlock, REPLACE_MEANS } from './items.js';
import { isQuiet, MORE_HINT, plural, regionCounts, regionLabel, summarize } from './summary.js';

export interface TextOptions {
  /** ANSI colours; the shell decides (a TTY and no NO_COLOR), the renderer never looks. */
  color: boolean;
  /** Items (and unmanaged names) shown per region before "… and K more". Default 50. */
  maxItemsPerRegion?: number;
  /**
   * Where the rest can be seen, said after "… and K more": the channel knows (the CLI points to
   * `--out FILE`). Default: the Action's job summary or JSON plan.
   */
  moreHint?: string;
}

export const TEXT_MAX_ITEMS = 50;
/** Bounds for collections a pathological plan could make huge: messages, region sections, in-sync names. */
const MAX_MESSAGES = 50;
const MAX_REGIONS = 100;

const SGR = { bold: '1', red: '31', green: '32', yellow: '33', magenta: '35', dim: '2' } as const;
type Style = keyof typeof SGR;

const ACTION_STYLE: Record<PlanAction, Style> = {
  create: 'green',
  update: 'yellow',
  tag: 'yellow',
  replace: 'magenta',
  delete: 'red',
};

type Paint = (style: Style, s: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, s) => `\u001b[${SGR[style]}m${s}\u001b[0m` : (_style, s) => s;
}

type More = (shown: number, total: number, what?: string) => string[];

function counter(hint: string): More {
  return (shown, total, what = '') => {
    const rest = total - shown;
    return rest > 0 ? [`… and ${rest} more${what} (${hint})`] : [];
  };
}

function messageLines(messages: PlanMessage[], mark: string, more: More): string[] {
  const lines = messages.slice(0, MAX_MESSAGES).map((m) => {
    const where = m.region !== undefined ? ` (${clip(m.region, NAME_CHARS)})` : '';
    return `  ${mark} ${clip(m.code, MESSAGE_CHARS)}${where}: ${clip(m.message, MESSAGE_CHARS)}`;
  });
  return [...lines, ...more(lines.length, messages.length).map((l) => `  ${l}`)];
}

/**
 * Who last wrote an existing replica and when (DescribeParameters), so drift names its editor: for a value
 * or attributes difference only (see DriftFinding.modified), and once, so not where an outside edit's
 * reason already names them.
 */
function lastWritten(item: PlanItem): string | undefined {
  const modified = item.replicaModified;
  if (!modified || (modified.user === undefined && modified.date === undefined)) return undefined;
  const kind = driftKind(item);
  if (kind !== 'value' && kind !== 'attributes') return undefined;
  if (item.changes.some((c) => withoutEditor(c.reason) !== undefined)) return undefined;
  return writtenBy(modified);
}

function writtenBy(modified: ReplicaModified): string {
  const by = modified.user === undefined ? '' : ` by ${clip(modified.user, NAME_CHARS)}`;
  const at = modified.date === undefined ? '' : ` at ${clip(modified.date, 40)}`;
  return `last written${by}${at}`;
}

function regionLines(region: RegionPlan, max: number, paint: Paint, more: More): string[] {
  const lines = [paint('bold', `${clip(regionLabel(region), NAME_CHARS)}: ${regionCounts(region)}`)];
  const shown = region.items.slice(0, max);
  for (const item of shown) {
    const block = itemBlock(item);
    const glyph = GLYPH[item.action];
    lines.push(`${' '.repeat(5 - glyph.length)}${paint(ACTION_STYLE[item.action], glyph)} ${block.head}`);
    for (const detail of block.details) lines.push(`        ${detail}`);
    const written = lastWritten(item);
    if (written) lines.push(`        ${written}`);
  }
  lines.push(...more(shown.length, region.items.length).map((l) => `  ${l}`));
  if (region.unmanaged.length > 0) {
    lines.push(`  ${plural(region.unmanaged.length, 'unmanaged parameter')}, never touched:`);
    const names = region.unmanaged.slice(0, max);
    for (const name of names) {
      // A conflict's writer made the copy the manifest may not touch: who to ask before adopting it.
      const modified = region.unmanagedModified?.[name];
      lines.push(`      ${clip(name, NAME_CHARS)}${modified ? `  (${writtenBy(modified)})` : ''}`);
    }
    lines.push(...more(names.length, region.unmanaged.length).map((l) => `      ${l}`));
  }
  return lines;
}

/** The plan for a terminal: summary, blockers and warnings first, then one section per region with changes. */
export function renderText(plan: Plan, options: TextOptions): string {
  const paint = painter(options.color);
  const more = counter(options.moreHint ?? MORE_HINT);
  const max = Math.max(0, Math.floor(options.maxItemsPerRegion ?? TEXT_MAX_ITEMS));
  const out: string[] = [paint('bold', `Plan: ${summarize(plan)}`)];
  const scope = plan.scope === 'names' ? ' · only the named parameters' : '';
  out.push(`Source: ${plain(plan.sourceRegion)} · digest ${plain(plan.digest)}${scope}`);

  if (plan.blockers.length > 0) {
    out.push(
      '',
      paint('red', paint('bold', 'BLOCKED: this plan will not be applied. Fix the following and re-run:')),
    );
    out.push(...messageLines(plan.blockers, paint('red', '✗'), more));
  }
  const failed = plan.regions.filter((r) => r.error !== undefined);
  if (plan.warnings.length > 0 || failed.length > 0) {
    out.push('', paint('yellow', paint('bold', 'Warnings:')));
    for (const r of failed.slice(0, MAX_MESSAGES)) {
      const why = clip(r.error ?? '', MESSAGE_CHARS);
      out.push(
        `  ${paint('yellow', '!')} ${clip(regionLabel(r), NAME_CHARS)} could not be read, nothing is planned there: ${why}`,
      );
    }
    out.push(...more(Math.min(failed.length, MAX_MESSAGES), failed.length, ' unreadable regions'));
    out.push(...messageLines(plan.warnings, paint('yellow', '!'), more));
  }

  const busy = plan.regions.filter((r) => !isQuiet(r) && r.error === undefined);
  const shownRegions = busy.slice(0, MAX_REGIONS);
  for (const region of shownRegions) out.push('', ...regionLines(region, max, paint, more));
  out.push(...more(shownRegions.length, busy.length, ' regions'));
  // terraform explains its symbols; `-/+` is the one that could be misread (as a delete).
  const replaces = shownRegions.some((r) => r.items.slice(0, max).some((i) => i.action === 'replace'));
  if (replaces) out.push('', paint('dim', `${GLYPH.replace} ${REPLACE_MEANS}`));

  const quiet = plan.regions.filter(isQuiet);
  if (quiet.length > 0) {
    const names = quiet
      .slice(0, MAX_REGIONS)
      .map((r) => `${clip(regionLabel(r), NAME_CHARS)} (${r.unchanged})`);
    const rest = quiet.length > MAX_REGIONS ? `, and ${quiet.length - MAX_REGIONS} more` : '';
    out.push('', paint('dim', `In sync, no changes: ${names.join(', ')}${rest}`));
  }
  return `${out.join('\n')}\n`;
}
