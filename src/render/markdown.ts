import { keyed } from '../keyed.js';
import { DEFAULT_OWNERSHIP_TAG, OWNER_TAG_KEY } from '../manifest/resolve.js';
import type { Plan, PlanAction, PlanItem, PlanMessage, RegionPlan } from '../plan/types.js';
import { codeBlock, codeSpan, htmlText, mdText } from './escape.js';
import { GLYPH, itemBlock, onlyNew, REPLACE_MEANS } from './items.js';
import { isSecretItem } from './redact.js';
import { briefSummary, isQuiet, MORE_HINT, plural, regionLabel } from './summary.js';

export interface MarkdownOptions {
  /** Items (and local names) shown per region before "… and K more". Default 30. */
  maxItemsPerRegion?: number;
  /** Hard cap on the returned length (UTF-16 units, so never more characters). Default 60,000, minimum 5,000. */
  maxChars?: number;
  /** Heading text; default "ssm-replicate plan". */
  title?: string;
  /** false leaves out the title and the summary line: the PR comment states them once in its own header. */
  header?: boolean;
  /**
   * Where "… and K more" and the left-out note send the reader, as Markdown the caller vouches for (never
   * plan text): the comment points at the run's plan artifact. Default: the job summary or the JSON plan.
   */
  moreHint?: string;
  /** The manifest's ownership tag, stated once under the plan instead of on every new replica. */
  ownershipTag?: { key: string; value: string };
}

export const MARKDOWN_MAX_ITEMS = 30;
/** Below GitHub's 65,536-character comment limit, leaving room for the Action's marker and status line. */
export const MARKDOWN_MAX_CHARS = 60_000;
/** Enough for the parts that are never cut (title, summary, callout headers, footer). */
export const MARKDOWN_MIN_CHARS = 5_000;
/**
 * A plan whose diff blocks hold at most this many lines in all shows its regions open; a longer one
 * shows them collapsed, so the counts stay on the first screen. dflook's terraform-github-actions opens
 * plans shorter than 10 lines; a replica takes 2 to 5 lines here, so 20 is a handful of replicas.
 */
export const MARKDOWN_OPEN_LINES = 20;
const MAX_MESSAGES = 30;
const MAX_IN_SYNC_NAMES = 10;
const LABEL_CHARS = 64;
const NOTE_CHARS = 700;

/*
 * The terminal's glyphs (items.ts): `+` create, `~` update and tag-only (the head line says "tags only"),
 * `-/+` replace, `-` delete. GitHub colours a ```diff line by its first character: `+` green, `-` red,
 * nothing for `~`. Detail lines repeat the mark only where the whole parameter comes or goes (create,
 * delete), so an update's lines stay neutral and a replace is red on its head line alone.
 */
const DETAIL_MARK: Record<PlanAction, string> = {
  create: '+',
  update: ' ',
  tag: ' ',
  replace: ' ',
  delete: '-',
};

/** What a plan's rendering needs to know once: accounts, the ownership tag, open or collapsed, the legend. */
interface Context {
  max: number;
  hint: string;
  /** Regions in more than one account (or some not known): sections grouped under an account line. */
  multiAccount: boolean;
  /** The tags every new replica gets, hidden from each create and stated once. */
  ownership: { key: string; value: string };
  /** Whether the sections start open: the whole plan is short. */
  open: boolean;
  /** Which placeholders, hoisted tags and replaces the shown items hold, for the legend. */
  seen: { hidden: boolean; sensitive: boolean; owners: Set<string>; ownershipTag: boolean; replace: boolean };
}

function moreLine(ctx: Context, shown: number, total: number, what = ''): string | undefined {
  return total > shown ? `_… and ${total - shown} more${what} (${ctx.hint})._` : undefined;
}

/** A region section's label: the account is on the account line above it (or in the footer). */
function sectionLabel(region: RegionPlan): string {
  return region.account !== undefined ? region.region : regionLabel(region);
}

/** A region in a list (warnings, in sync, left out): with its account only when there are several. */
function label(ctx: Context, region: RegionPlan): string {
  return ctx.multiAccount ? regionLabel(region) : sectionLabel(region);
}

/** Accounts as the plan knows them; undefined stands for regions whose account is not known. */
function accountKeys(plan: Plan): (string | undefined)[] {
  return [...new Set(plan.regions.map((r) => r.account))];
}

function callout(kind: 'CAUTION' | 'WARNING', lead: string | undefined, bullets: string[], more?: string) {
  const lines = [`> [!${kind}]`, ...(lead ? [`> ${lead}`] : []), ...bullets.map((b) => `> - ${b}`)];
  if (more) lines.push('>', `> ${more}`);
  return lines.join('\n');
}

function messageBullet(m: PlanMessage): string {
  const where = m.region !== undefined ? ` (${mdText(m.region, LABEL_CHARS)})` : '';
  return `${codeSpan(m.code, 100)}${where}: ${mdText(m.message)}`;
}

function blockersSection(ctx: Context, blockers: PlanMessage[], limit: number): string {
  const lead = '**This plan is blocked and will not be applied.** Fix the following and re-run the plan.';
  return callout(
    'CAUTION',
    lead,
    blockers.slice(0, limit).map(messageBullet),
    moreLine(ctx, limit, blockers.length),
  );
}

/** The alert's own title says Warning: the bullets follow it directly. */
function warningsSection(ctx: Context, plan: Plan, limit: number): string {
  const failed = plan.regions
    .filter((r) => r.error !== undefined)
    .map(
      (r) =>
        `**${mdText(label(ctx, r), LABEL_CHARS)}** could not be read, nothing is planned there: ${mdText(r.error ?? '')}`,
    );
  const all = [...failed, ...plan.warnings.map(messageBullet)];
  return callout('WARNING', undefined, all.slice(0, limit), moreLine(ctx, limit, all.length, ' warnings'));
}

/** Whether a tag is one every new replica gets (the ownership and owner tags), stated once in the footer. */
function isOwnershipTag(
  ctx: Context,
  item: PlanItem,
  key: string,
  value: string,
): 'ownership' | 'owner' | undefined {
  if (item.action !== 'create' && item.action !== 'replace') return undefined;
  if (key === ctx.ownership.key && value === ctx.ownership.value) return 'ownership';
  if (key === OWNER_TAG_KEY && value.endsWith(`/${item.replication}`)) return 'owner';
  return undefined;
}

/** The item without the tags every new replica gets. */
function withoutOwnership(ctx: Context, item: PlanItem): PlanItem {
  if (!item.tags) return item;
  const add = keyed(
    Object.entries(item.tags.add).filter(([k, v]) => isOwnershipTag(ctx, item, k, v) === undefined),
  );
  return { ...item, tags: { ...item.tags, add } };
}

/** Which placeholders, hoisted tags and replaces the shown items hold: what the legend explains. */
function note(ctx: Context, item: PlanItem): void {
  if (item.action === 'replace') ctx.seen.replace = true;
  const secret = isSecretItem(item);
  for (const c of item.changes) {
    // A create shows only the new value; items.ts writes a placeholder for each side it is not given.
    const given = c.to !== undefined && (onlyNew(item, c) || c.from !== undefined);
    if (c.attribute !== 'value' || (!secret && given)) continue;
    if (secret) ctx.seen.sensitive = true;
    else ctx.seen.hidden = true;
  }
  for (const [k, v] of Object.entries(item.tags?.add ?? {})) {
    const which = isOwnershipTag(ctx, item, k, v);
    if (which === 'ownership') ctx.seen.ownershipTag = true;
    if (which === 'owner') ctx.seen.owners.add(v);
  }
}

function actionCounts(region: RegionPlan): string[] {
  const c: Record<PlanAction, number> = { create: 0, update: 0, tag: 0, replace: 0, delete: 0 };
  for (const item of region.items) c[item.action]++;
  const parts: string[] = [];
  if (c.create) parts.push(`${c.create} to create`);
  if (c.update) parts.push(`${c.update} to update`);
  if (c.tag) parts.push(plural(c.tag, 'tag change'));
  if (c.replace) parts.push(`${c.replace} to replace`);
  if (c.delete) parts.push(`${c.delete} to delete`);
  return parts;
}

/**
 * Local names: unmanaged ones no source maps to. An unmanaged conflict (a source is replicated to it) has
 * its own `unmanaged-conflict` warning and is not listed again.
 */
function localNames(region: RegionPlan): string[] {
  const conflicts = new Set(region.unmanagedConflicts);
  return region.unmanaged.filter((n) => !conflicts.has(n));
}

function diffLines(ctx: Context, items: readonly PlanItem[]): string[] {
  const lines: string[] = [];
  for (const original of items) {
    const item = withoutOwnership(ctx, original);
    const block = itemBlock(item);
    lines.push(`${GLYPH[item.action].padEnd(3)} ${block.head}`);
    for (const detail of block.details) lines.push(`${DETAIL_MARK[item.action]}       ${detail}`);
  }
  return lines;
}

/** `withActions` is false when this is the plan's only region with changes: the header has its counts. */
function regionSection(ctx: Context, region: RegionPlan, withActions: boolean): string {
  const local = localNames(region);
  const counts = withActions ? actionCounts(region) : [];
  if (region.unchanged) counts.push(`${region.unchanged} in sync`);
  if (local.length) counts.push(`${local.length} local`);
  if (region.foreign?.length) counts.push(`${region.foreign.length} owned by other manifests`);
  const what = counts.length > 0 ? ` · ${htmlText(counts.join(', '))}` : '';
  const summary = `<b>${htmlText(sectionLabel(region), LABEL_CHARS)}</b>${what}`;
  const parts = [`<details${ctx.open ? ' open' : ''}><summary>${summary}</summary>`];
  const shown = region.items.slice(0, ctx.max);
  if (shown.length > 0) parts.push(codeBlock('diff', diffLines(ctx, shown).join('\n')));
  const more = moreLine(ctx, shown.length, region.items.length);
  if (more) parts.push(more);
  if (local.length > 0) {
    const names = local.slice(0, ctx.max).map((n) => codeSpan(n));
    const rest = local.length - names.length;
    const tail = rest > 0 ? `, … and ${rest} more` : '';
    parts.push(
      `**${plural(local.length, 'local parameter')}** (no ownership tag, no source), never touched: ${names.join(', ')}${tail}`,
    );
  }
  parts.push('</details>');
  return parts.join('\n\n');
}

function listed(labels: readonly string[]): string {
  let list = '';
  let count = 0;
  for (const l of labels) {
    const next = `${list}${list ? ', ' : ''}${codeSpan(l, LABEL_CHARS)}`;
    if (next.length > NOTE_CHARS - 200) break;
    list = next;
    count++;
  }
  return labels.length > count ? `${list}, and ${labels.length - count} more` : list;
}

function legend(ctx: Context): string | undefined {
  const parts: string[] = [];
  if (ctx.seen.replace) parts.push(`\`${GLYPH.replace}\` ${REPLACE_MEANS}`);
  if (ctx.seen.sensitive) parts.push('`(sensitive)` a SecureString value, never shown');
  if (ctx.seen.hidden) parts.push("`(hidden)` a value the manifest's `value-display` keeps out of the plan");
  const tags: string[] = [];
  if (ctx.seen.ownershipTag) tags.push(codeSpan(`${ctx.ownership.key}=${ctx.ownership.value}`, 300));
  const owners = [...ctx.seen.owners].sort();
  if (owners.length === 1) tags.push(codeSpan(`${OWNER_TAG_KEY}=${owners[0]}`, 300));
  else if (owners.length > 1) {
    const values = owners.slice(0, 3).map((v) => codeSpan(v, 300));
    const rest = owners.length > 3 ? `, … and ${owners.length - 3} more` : '';
    tags.push(`${codeSpan(OWNER_TAG_KEY)} of its replication (${values.join(', ')}${rest})`);
  }
  if (tags.length > 0) parts.push(`every new replica is tagged ${tags.join(' and ')}`);
  return parts.length > 0 ? `<sub>${parts.join(' · ')}</sub>` : undefined;
}

function footer(ctx: Context, plan: Plan, omitted: string[]): string {
  const parts: string[] = [];
  if (omitted.length > 0) {
    parts.push(
      `_${plural(omitted.length, 'region section')} left out to keep this under the size limit: ${listed(omitted)} (${ctx.hint})._`,
    );
  }
  const quiet = plan.regions.filter(isQuiet);
  if (quiet.length > 0) {
    const names = quiet
      .slice(0, MAX_IN_SYNC_NAMES)
      .map((r) => `${codeSpan(label(ctx, r), LABEL_CHARS)} (${r.unchanged})`);
    const rest = quiet.length > MAX_IN_SYNC_NAMES ? `, and ${quiet.length - MAX_IN_SYNC_NAMES} more` : '';
    parts.push(`In sync, no changes: ${names.join(', ')}${rest}.`);
  }
  const notes = legend(ctx);
  if (notes) parts.push(notes);
  const [only, ...others] = accountKeys(plan);
  const account =
    only !== undefined && others.length === 0 ? ` · replicas in account ${codeSpan(only, 100)}` : '';
  const scope = plan.scope === 'names' ? ' · only the named parameters were planned' : '';
  parts.push(
    `<sub>Source ${codeSpan(plan.sourceRegion, LABEL_CHARS)}${account} · digest ${codeSpan(plan.digest, 100)}${scope}</sub>`,
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
 * Regions with something to show; with several accounts, grouped by account in order of first appearance,
 * those whose account is not known first, so none of them sits under another account's line.
 */
function busyRegions(plan: Plan, multiAccount: boolean): RegionPlan[] {
  const busy = plan.regions.filter((r) => !isQuiet(r) && r.error === undefined);
  if (!multiAccount) return busy;
  const order = [undefined, ...new Set(busy.flatMap((r) => (r.account === undefined ? [] : [r.account])))];
  return order.flatMap((a) => busy.filter((r) => r.account === a));
}

function context(plan: Plan, options: MarkdownOptions, max: number): Context {
  const ctx: Context = {
    max,
    hint: options.moreHint ?? MORE_HINT,
    multiAccount: accountKeys(plan).length > 1,
    ownership: options.ownershipTag ?? DEFAULT_OWNERSHIP_TAG,
    open: true,
    seen: { hidden: false, sensitive: false, owners: new Set(), ownershipTag: false, replace: false },
  };
  // Read before rendering, so the footer's size is known up front and the open/collapsed choice is one
  // for the whole plan.
  let lines = 0;
  for (const region of plan.regions) {
    for (const item of region.items.slice(0, max)) {
      note(ctx, item);
      lines += 1 + itemBlock(withoutOwnership(ctx, item)).details.length;
    }
  }
  ctx.open = lines <= MARKDOWN_OPEN_LINES;
  return ctx;
}

/**
 * The plan as GitHub-flavoured Markdown for a PR comment or job summary: the counts once (zero ones left
 * out), blockers and warnings once, a section per region (open for a short plan, collapsed for a long
 * one), a legend only for the placeholders and hoisted tags that appear. Every untrusted string is
 * either inside a code block/span with a longer fence or escaped as text; the result never exceeds
 * `maxChars`: long regions show their first items, and whole region sections are left out (and named)
 * when the rest would not fit.
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const max = Math.max(0, Math.floor(options.maxItemsPerRegion ?? MARKDOWN_MAX_ITEMS));
  const maxChars = options.maxChars ?? MARKDOWN_MAX_CHARS;
  if (!(maxChars >= MARKDOWN_MIN_CHARS))
    throw new RangeError(`maxChars must be at least ${MARKDOWN_MIN_CHARS}, got ${maxChars}.`);
  const ctx = context(plan, options, max);

  const sep = '\n\n';
  const head =
    options.header === false
      ? []
      : [`### ${mdText(options.title ?? 'ssm-replicate plan', 100)}${sep}**${briefSummary(plan)}**`];
  // The left-out note is bounded by NOTE_CHARS and the hint; the rest of the footer is known now.
  const base = footer(ctx, plan, []);
  let budget =
    maxChars - (head[0]?.length ?? 0) - base.length - NOTE_CHARS - ctx.hint.length - 2 * sep.length - 1;
  const sections: string[] = [];
  const add = (text: string) => {
    sections.push(text);
    budget -= text.length + sep.length;
  };
  if (plan.blockers.length > 0) {
    const wanted = Math.min(plan.blockers.length, MAX_MESSAGES);
    add(fitting((n) => blockersSection(ctx, plan.blockers, n), wanted, budget - sep.length));
  }
  const warnings = plan.warnings.length + plan.regions.filter((r) => r.error !== undefined).length;
  if (warnings > 0)
    add(fitting((n) => warningsSection(ctx, plan, n), Math.min(warnings, MAX_MESSAGES), budget - sep.length));

  const omitted: string[] = [];
  const busy = busyRegions(plan, ctx.multiAccount);
  const withActions = busy.filter((r) => r.items.length > 0).length > 1;
  let account: string | undefined;
  for (const region of busy) {
    const text = regionSection(ctx, region, withActions);
    const group =
      ctx.multiAccount && region.account !== undefined && region.account !== account
        ? `**Account ${codeSpan(region.account, 100)}**${sep}`
        : '';
    if (group.length + text.length + sep.length <= budget) {
      add(`${group}${text}`);
      account = region.account;
    } else omitted.push(regionLabel(region));
  }

  const md = `${[...head, ...sections, footer(ctx, plan, omitted)].join(sep)}\n`;
  if (md.length <= maxChars) return md;
  // Unreachable by the budget above; kept so the bound holds even if a section outgrows its estimate.
  const blocked =
    plan.blockers.length > 0
      ? `${sep}**This plan is blocked and will not be applied** (${plural(plan.blockers.length, 'blocker')}).`
      : '';
  return `**${briefSummary(plan)}**${blocked}${sep}_The plan is too large to show here (${ctx.hint})._\n`;
}
