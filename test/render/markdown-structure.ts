import { unsafeCharacters } from './chars.js';

/**
 * A structural reading of the Markdown the renderer emits, standing in for a GFM renderer (none is
 * installed yet): fenced blocks, `<details>` sections, and what GitHub would turn into live HTML,
 * links or notifications outside code.
 */
export interface MarkdownStructure {
  problems: string[];
  details: number;
  /** How many of the `<details>` sections start open. */
  open: number;
  /** Contents of each fenced code block, by line. */
  blocks: string[][];
}

const ALLOWED_TAGS = /^(<details( open)?>|<\/?(details|summary|b|sub)>)$/;

/** Removes inline code spans (a backtick run closed by a run of the same length), which GitHub renders inert. */
export function withoutCodeSpans(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      out += line[i];
      i++;
      continue;
    }
    let j = i;
    while (line[j] === '`') j++;
    const run = line.slice(i, j);
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
    close.lastIndex = j;
    const m = close.exec(line);
    if (!m) {
      out += run;
      i = j;
      continue;
    }
    i = m.index + run.length;
  }
  return out;
}

function proseProblems(line: string, n: number): string[] {
  const problems: string[] = [];
  // Numeric entities are how the renderer writes punctuation inside HTML; their "#" is not a reference.
  const text = withoutCodeSpans(line).replace(/&#\d+;/g, '');
  for (const tag of text.match(/<[^>]*>?/g) ?? []) {
    if (!ALLOWED_TAGS.test(tag)) problems.push(`line ${n}: raw HTML ${JSON.stringify(tag)}`);
  }
  if (/<!--|-->/.test(text)) problems.push(`line ${n}: HTML comment delimiter`);
  if (/(^|[^\w])@[A-Za-z0-9]/.test(text)) problems.push(`line ${n}: @mention`);
  if (/#\d/.test(text)) problems.push(`line ${n}: #reference`);
  if (/:\/\/|www\./i.test(text)) problems.push(`line ${n}: autolink`);
  const callout = /^> \[!(CAUTION|WARNING)\]$/.test(line);
  if (!callout && /(^|[^\\])!?\[/.test(text)) problems.push(`line ${n}: unescaped link bracket`);
  // The renderer's own zero-width joiners, right after an autolink trigger, are how mentions are defused.
  const own = line.replace(/([@#:-]|www)\u200d/gi, '$1');
  if (unsafeCharacters(own).length > 0) problems.push(`line ${n}: control character`);
  return problems;
}

export function readMarkdown(md: string): MarkdownStructure {
  const problems: string[] = [];
  const blocks: string[][] = [];
  let details = 0;
  let opened = 0;
  let open = false;
  let fence: string | undefined;
  let block: string[] = [];
  md.split('\n').forEach((line, index) => {
    const n = index + 1;
    if (fence !== undefined) {
      const close = /^ {0,3}(`+)\s*$/.exec(line);
      if (close?.[1] && close[1].length >= fence.length) {
        fence = undefined;
        blocks.push(block);
      } else block.push(line);
      return;
    }
    const opening = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
    if (opening?.[1]) {
      fence = opening[1];
      block = [];
      return;
    }
    if (/^<details( open)?>/.test(line)) {
      if (open) problems.push(`line ${n}: nested <details>`);
      open = true;
      details++;
      if (line.startsWith('<details open>')) opened++;
    }
    if (withoutCodeSpans(line).includes('</details>')) {
      if (!open || line !== '</details>') problems.push(`line ${n}: stray </details>`);
      open = false;
    }
    problems.push(...proseProblems(line, n));
  });
  if (fence !== undefined) problems.push('unclosed code fence');
  if (open) problems.push('unclosed <details>');
  return { problems, details, open: opened, blocks };
}
