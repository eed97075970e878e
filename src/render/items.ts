import type { AttributeChange, PlanAction, PlanItem, TagChanges } from '../plan/types.js';
import { clip, MESSAGE_CHARS, NAME_CHARS, plain, quoted } from './escape.js';
import { isSecretItem, visibleChanges } from './redact.js';
import { plural } from './summary.js';

/** terraform's glyphs; tag-only changes share `~` with updates and say "tags only". */
export const GLYPH: Record<PlanAction, string> = {
  create: '+',
  update: '~',
  tag: '~',
  replace: '-/+',
  delete: '-',
};

/**
 * What `-/+` means, for the legends: a red `-/+` line must not read as a plain delete. A parameter created
 * anew gets version 1 (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html),
 * so the replaced replica's history is gone.
 */
export const REPLACE_MEANS =
  'replace: AWS cannot make the change in place, so the replica is deleted and created again (at version 1, without its history)';

/** One item as plain lines, safe for a terminal and a code block; each format adds its glyph and colour. */
export interface ItemBlock {
  action: PlanAction;
  head: string;
  details: string[];
}

/** AWS allows 50 tags per parameter; past this many lines a tag diff stops being reviewable anyway. */
const MAX_TAG_LINES = 20;
const TAG_KEY_CHARS = 128;

function shown(item: PlanItem, change: AttributeChange, v: string | undefined): string {
  if (v !== undefined) return quoted(v);
  if (change.attribute !== 'value') return '(none)';
  return isSecretItem(item) ? '(sensitive)' : '(hidden)';
}

/**
 * Whether a change has only a new side: every change of a create, and those of a replace that describe the
 * replica it creates anew (only the attribute that forces the replace has an old side).
 */
export function onlyNew(item: PlanItem, change: AttributeChange): boolean {
  return item.action === 'create' || (item.action === 'replace' && change.from === undefined);
}

function changeLine(item: PlanItem, change: AttributeChange): string {
  const attr = plain(change.attribute);
  if (onlyNew(item, change)) return `${attr} = ${shown(item, change, change.to)}`;
  const reason = `  (${clip(change.reason, MESSAGE_CHARS)})`;
  const bothHidden = change.from === undefined && change.to === undefined && change.attribute === 'value';
  if (bothHidden) return `${attr}: ${shown(item, change, undefined)}${reason}`;
  return `${attr}: ${shown(item, change, change.from)} → ${shown(item, change, change.to)}${reason}`;
}

function tagLines(tags: TagChanges): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(tags.add)) lines.push(`tag + ${clip(k, TAG_KEY_CHARS)} = ${quoted(v)}`);
  for (const [k, v] of Object.entries(tags.change))
    lines.push(`tag ~ ${clip(k, TAG_KEY_CHARS)}: ${quoted(v.from)} → ${quoted(v.to)}`);
  for (const k of tags.remove) lines.push(`tag - ${clip(k, TAG_KEY_CHARS)}`);
  if (lines.length <= MAX_TAG_LINES) return lines;
  const rest = lines.length - MAX_TAG_LINES;
  return [...lines.slice(0, MAX_TAG_LINES), `… and ${plural(rest, 'more tag change')}`];
}

export function itemBlock(item: PlanItem): ItemBlock {
  let head = clip(item.name, NAME_CHARS);
  if (item.sourceName !== undefined && item.sourceName !== item.name)
    head += `  ← ${clip(item.sourceName, NAME_CHARS)}`;
  head += `  (${plain(item.type)}${item.tier ? `, ${plain(item.tier)}` : ''})`;
  if (item.action === 'tag') head += '  tags only';

  const details: string[] = [];
  if (item.reason !== undefined) details.push(`reason: ${clip(item.reason, MESSAGE_CHARS)}`);
  for (const change of visibleChanges(item)) {
    // A create's type and tier are already in its head line.
    if (item.action === 'create' && (change.attribute === 'type' || change.attribute === 'tier')) continue;
    details.push(changeLine(item, change));
  }
  // The AMI written comes from the manifest, not the source, so it is shown whatever the value display.
  if (item.target?.ami !== undefined) details.push(`ami = ${quoted(item.target.ami)}  (ec2-image map)`);
  if (item.tags) details.push(...tagLines(item.tags));
  return { action: item.action, head, details };
}
