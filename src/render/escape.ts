/**
 * Every string in a plan that came from AWS or the manifest (names, values, descriptions, tags, messages)
 * is untrusted. These helpers make such a string inert in the three places it is shown: a terminal, a
 * Markdown fenced code block, and Markdown/HTML prose.
 */

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/*
 * C0 and C1 controls and DEL (terminal escapes, carriage returns that overwrite a line, newlines that
 * forge a `+` line), lone surrogates, and the invisible characters that reorder or hide text (bidi
 * overrides as in "Trojan Source", zero-width joiners, line separators, BOM).
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line of plain text, safe for a terminal and for a code block: unsafe characters shown as escapes. */
export function plain(s: string): string {
  return s.replace(UNSAFE, visible);
}

/**
 * `UNSAFE` without the newline and the zero-width characters (U+200B-200D, U+2060-2065) that the
 * Markdown renderers insert themselves to defuse mentions; untrusted ones were escaped before that.
 */
const UNSAFE_IN_DOCUMENT =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u206f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A rendered document (a plan, a report, a comment) whose own line breaks stay: every other unsafe
 * character is written `\uXXXX`, which reads the same in text and Markdown and keeps a JSON document valid.
 */
export function plainLines(s: string): string {
  return s.replace(UNSAFE_IN_DOCUMENT, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Cuts `s` to `max` UTF-16 units without splitting a surrogate pair; returns the cut and how much was dropped. */
function cut(s: string, max: number): { head: string; dropped: number } {
  if (s.length <= max) return { head: s, dropped: 0 };
  let end = max;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return { head: s.slice(0, end), dropped: s.length - end };
}

/** Shortened plain text: `…(N more chars)` says how much is hidden, so a reviewer never mistakes a prefix for the whole. */
export function clip(s: string, max: number): string {
  const { head, dropped } = cut(s, max);
  return dropped === 0 ? plain(head) : `${plain(head)}…(${dropped} more chars)`;
}

/** Default length of a value, description or tag value in any rendering. */
export const VALUE_CHARS = 80;
/** Longer than any SSM name (2048 with the ARN prefix), so names are only cut when something is wrong. */
export const NAME_CHARS = 2048;
/** Messages and reasons are sentences from the planner; this only bounds a pathological one. */
export const MESSAGE_CHARS = 1000;

/** A value in quotes, so leading/trailing spaces and empty strings are visible. */
export function quoted(s: string, max = VALUE_CHARS): string {
  const { head, dropped } = cut(s, max);
  const q = plain(JSON.stringify(head));
  return dropped === 0 ? q : `${q}…(${dropped} more chars)`;
}

/** Longest run of backticks in `s`. */
function longestBacktickRun(s: string): number {
  let longest = 0;
  for (const run of s.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/** A fence that no line of `content` can close: longer than any backtick run in it. */
export function fenceFor(content: string): string {
  return '`'.repeat(Math.max(3, longestBacktickRun(content) + 1));
}

/** A fenced code block; `content` lines must already be `plain` (no raw newlines from the plan). */
export function codeBlock(info: string, content: string): string {
  const fence = fenceFor(content);
  return `${fence}${info}\n${content}\n${fence}`;
}

/*
 * GitHub links @mentions, #123 / GH-123 references and bare URLs in the rendered text nodes, so Markdown
 * escaping alone does not stop them (`\@team` still pings @team). A zero-width joiner after the trigger
 * breaks the pattern while the text reads the same.
 */
const ZWJ = '\u200d';
function defuseAutolinks(s: string): string {
  return s
    .replace(/@/g, `@${ZWJ}`)
    .replace(/#/g, `#${ZWJ}`)
    .replace(/\b(gh)-/gi, `$1-${ZWJ}`)
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWJ}.`);
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/**
 * Text inside raw HTML (a `<summary>`): entities for HTML specials, so `</details>` or `<!--` stay text,
 * and for Markdown punctuation too: GitHub leaves Markdown in that line alone today, but an entity reads
 * the same either way, where a backslash would show.
 */
export function htmlText(s: string, max = MESSAGE_CHARS): string {
  return defuseAutolinks(clip(s, max)).replace(
    /[&<>"\\`*_[\]~$|]/g,
    (c) => HTML_ENTITIES[c] ?? `&#${c.charCodeAt(0)};`,
  );
}

/**
 * Text in Markdown prose (list items, paragraphs). HTML specials become entities (so `<!--` cannot
 * hide the rest of the comment and `-->` cannot close the hidden marker); the punctuation that makes
 * inline Markdown anywhere in a line is backslash-escaped (emphasis, code, links and images via `[`,
 * tables, strikethrough, math); what only matters at the start of a line (lists, quotes, headings,
 * setext underlines) is escaped there, since a newline never survives `clip`.
 */
export function mdText(s: string, max = MESSAGE_CHARS): string {
  return defuseAutolinks(clip(s, max))
    .replace(/[\\`*_[\]|~$]/g, '\\$&')
    .replace(/[&<>"]/g, (c) => HTML_ENTITIES[c] as string)
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * Inline code for a name or code: shown exactly, never linked or mentioned. The backtick run is longer
 * than any inside, padded when the content touches a backtick or space (CommonMark strips one space).
 */
export function codeSpan(s: string, max = NAME_CHARS): string {
  const text = clip(s, max);
  if (text === '') return '` `';
  const ticks = '`'.repeat(longestBacktickRun(text) + 1);
  const pad = /^[`\s]|[`\s]$/.test(text) ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}
