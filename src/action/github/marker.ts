/**
 * The hidden, machine-readable first line of every comment and issue the Action owns:
 * `<!-- ssm-replicate {"v":1,...} -->`. It is an HTML block in GitHub Markdown, so readers never see it,
 * and it is how a later run finds its own comment again and reads back what was reviewed.
 */

export const MARKER_TAG = 'ssm-replicate';
const PREFIX = `<!-- ${MARKER_TAG} `;
const SUFFIX = ' -->';

/*
 * The comment ends at the first `-->` (or `--!>`), so `>` must never appear inside; `<` could open
 * another comment and `&` an entity. JSON's \u escapes keep them readable to JSON.parse. The line
 * separators are not Markdown line endings but would split the line in most editors.
 */
function escapeJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One line; JSON.stringify already escapes every control character, newlines included. */
export function encodeMarker(data: Readonly<Record<string, unknown>>): string {
  return `${PREFIX}${escapeJson(JSON.stringify(data))}${SUFFIX}`;
}

/** The marker's data when `text` starts with one, else undefined (a marker elsewhere is someone quoting it). */
export function decodeMarker(text: string): Record<string, unknown> | undefined {
  const end = text.indexOf('\n');
  const line = (end === -1 ? text : text.slice(0, end)).replace(/\r$/, '');
  if (!line.startsWith(PREFIX) || !line.endsWith(SUFFIX)) return undefined;
  try {
    const data: unknown = JSON.parse(line.slice(PREFIX.length, line.length - SUFFIX.length));
    return typeof data === 'object' && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The manifest path as the marker stores it, so `./config/x.yaml` and `config/x.yaml` find the same
 * comment. Only the spelling is normalised; the shell decides what the path is relative to.
 */
export function manifestKey(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** GitHub logins are case-insensitive; an undefined author (deleted account) is never ours. */
export function sameLogin(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** CRLF from the web editor would otherwise make an untouched comment look changed. */
export function normalizeBody(body: string): string {
  return body.replace(/\r\n?/g, '\n');
}
