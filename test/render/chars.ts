export const ESC = String.fromCharCode(0x1b);

/** SGR sequences, the only escapes the text renderer may emit itself. */
export const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

/**
 * Characters a terminal or a Markdown viewer could act on, or that hide or reorder text: C0 controls
 * but newline, DEL, C1, bidi controls, zero-width and line-separator characters, BOM.
 */
export function unsafeCharacters(s: string): string[] {
  const found: string[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const unsafe =
      (c < 0x20 && c !== 0x0a) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x206f) ||
      c === 0xfeff ||
      (c >= 0xd800 && c <= 0xdfff);
    if (unsafe) found.push(`U+${c.toString(16).padStart(4, '0')}`);
  }
  return found;
}
