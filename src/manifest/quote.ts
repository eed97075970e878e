import { plain } from '../render/escape.js';

/** The most of one manifest value a message repeats: enough to recognise it, never a whole file. */
export const SNIPPET_CHARS = 80;
/** The most values a message lists. */
const LISTED = 5;

/*
 * Every message that repeats text from the manifest (or from whatever was read in its place) goes
 * through these: control and invisible characters escaped, each value cut to a snippet that says how
 * much it left out. So no message carries a file's content, a secret pasted by mistake or a terminal
 * escape, and the part that says what to fix is never pushed out of sight.
 */

/** A value in quotes, so spaces and empty strings show: `'us-east'`. */
export function q(value: string): string {
  const { head, more } = snippet(value);
  return `'${head}'${more}`;
}

/** A value without quotes, for regions and names that read as words in a sentence. */
export function bare(value: string): string {
  const { head, more } = snippet(value);
  return `${head}${more}`;
}

/** Values joined with commas, each cut, at most a few of them. */
export function listOf(values: readonly string[]): string {
  const shown = values.slice(0, LISTED).map(bare).join(', ');
  return values.length > LISTED ? `${shown} and ${values.length - LISTED} more` : shown;
}

function snippet(value: string): { head: string; more: string } {
  if (value.length <= SNIPPET_CHARS) return { head: plain(value), more: '' };
  // Never split a surrogate pair.
  const high = value.charCodeAt(SNIPPET_CHARS - 1);
  const end = SNIPPET_CHARS - (high >= 0xd800 && high <= 0xdbff ? 1 : 0);
  return { head: plain(value.slice(0, end)), more: `…(${value.length - end} more chars)` };
}
