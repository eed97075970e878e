import type { SourcePosition } from '../io.js';
import { q } from './quote.js';

/**
 * Maps a JSON pointer into the manifest data (the form ajv reports, e.g. `/replications/0/paths/1`) back to
 * where the user wrote it, and names it in messages. The YAML reader and the seed's environment variables
 * each provide one, so every check reports through the same code whatever the input was.
 */
export interface Locator {
  /** `key` points at the key of a mapping entry (for "unknown key"), `value` at its value. */
  position(pointer: string, part?: 'key' | 'value'): SourcePosition;
  /** How messages name the value, e.g. `replications[0].destinations[1].region`. */
  label(pointer: string): string;
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
}

export function parentPointer(pointer: string): string {
  return pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));
}

/** `/replications/0/destinations/1/region` → `replications[0].destinations[1].region`. */
export function dottedLabel(pointer: string): string {
  let out = '';
  for (const segment of pointerSegments(pointer)) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z][A-Za-z0-9-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${q(segment)}]`;
  }
  return out === '' ? 'the manifest' : out;
}
