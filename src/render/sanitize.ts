import { plain, plainLines } from './escape.js';
import type { SecretRegistry } from './redact.js';

/**
 * The one way out for untrusted text. Every channel (terminal, log, annotation, comment, summary, issue,
 * journal) passes what it writes through here: known secrets replaced by `***`, control characters made
 * visible, length capped. Renderers escape for their format on top; this is the floor under all of them.
 */

/** Longest notice or log message: room for a manifest error with its suggestion, not for a dumped file. */
export const LINE_CHARS = 4000;

/** A cap shorter than its own suffix would never settle; nothing sensible is shorter than this. */
const MIN_CAP = 40;

const suffix = (dropped: number) => `…(${dropped} more chars)`;

/**
 * `s` cut so that it and the suffix saying how much was dropped fit in `max`, without splitting a
 * surrogate pair. Fitting the suffix inside the cap is what makes capping idempotent.
 */
function cap(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - suffix(s.length).length;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}${suffix(s.length - end)}`;
}

/**
 * One line of untrusted text, inert in any channel: secrets masked before anything else (so a cap can
 * never cut one into a revealing prefix), every control character escaped, newlines included (so no
 * line can be forged), then capped. Masks are matched again after escaping, which finds a secret that
 * was written with escapes, and after capping, whose suffix could in theory complete one. Idempotent.
 */
export function sanitizeLine(text: string, secrets: SecretRegistry, max = LINE_CHARS): string {
  const escaped = secrets.redact(plain(secrets.redact(text)));
  return secrets.redact(cap(escaped, Math.max(max, MIN_CAP)));
}

/**
 * The only escape sequences a terminal channel lets through: colours (SGR) and the progress line's
 * "carriage return, erase line". Neither can retitle, clear, move the cursor elsewhere or hide text.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching our own escape sequences is the point.
const OWN_TERMINAL_SEQUENCES = /(\u001b\[[0-9;]*m|\r\u001b\[2K)/;

/**
 * A rendered document (plan, report, comment, summary) whose line breaks are its own: secrets masked,
 * every other control character escaped as `\uXXXX` (so a JSON document stays valid). Renderers put
 * every untrusted string through `plain` already, so a raw newline here is theirs. Not capped: each
 * renderer caps its own output. `terminal` keeps the colour and progress sequences a TTY writer adds.
 */
export function sanitizeDocument(
  text: string,
  secrets: SecretRegistry,
  options: { terminal?: boolean } = {},
): string {
  const masked = secrets.redact(text);
  const parts = options.terminal ? masked.split(OWN_TERMINAL_SEQUENCES) : [masked];
  // split() with a capturing group puts the separators at the odd indexes.
  const safe = parts.map((part, i) => (i % 2 === 1 ? part : plainLines(part))).join('');
  return secrets.redact(safe);
}
