/**
 * Cutting Markdown to a length without breaking what follows: a cut inside a code fence would turn the
 * rest of the comment into code, and an unclosed `<details>` would swallow it. The plan renderer already
 * keeps within its budget; this is the safety net for any body that does not.
 */

export interface Cut {
  text: string;
  /** Characters of the original left out; 0 when it fitted. */
  dropped: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

interface OpenState {
  fence: string | undefined;
  details: number;
}

function scan(lines: readonly string[]): OpenState {
  let fence: string | undefined;
  let details = 0;
  for (const line of lines) {
    const m = FENCE.exec(line);
    if (fence !== undefined) {
      // A closing fence is the same character, at least as long, with nothing but spaces after it.
      if (m?.[1] && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1])
        fence = undefined;
      continue;
    }
    if (m?.[1]) {
      fence = m[1];
      continue;
    }
    details += (line.match(/<details[\s>]/gi) ?? []).length;
    details -= (line.match(/<\/details\s*>/gi) ?? []).length;
    if (details < 0) details = 0;
  }
  return { fence, details };
}

function closers(state: OpenState): string {
  const parts: string[] = [];
  if (state.fence !== undefined) parts.push(state.fence);
  for (let i = 0; i < state.details; i++) parts.push('</details>');
  return parts.length > 0 ? `\n${parts.join('\n\n')}` : '';
}

/**
 * `body` unchanged when it fits in `max`, else its longest prefix of whole lines that fits together with
 * the fences and `</details>` tags needed to close what the prefix left open.
 */
export function cutMarkdown(body: string, max: number): Cut {
  if (body.length <= max) return { text: body, dropped: 0 };
  const lines = body.split('\n');
  let low = 0;
  let high = lines.length;
  const render = (n: number) => {
    const head = lines.slice(0, n);
    return `${head.join('\n')}${closers(scan(head))}`;
  };
  // Longest fitting prefix by bisection: the rendered length grows with n up to a few closers.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(mid).length <= max) low = mid;
    else high = mid - 1;
  }
  const text = low === 0 ? '' : render(low);
  return { text, dropped: body.length - lines.slice(0, low).join('\n').length };
}
