import { describe, expect, it } from 'vitest';
import { clip, codeSpan, fenceFor, htmlText, mdText, plain, quoted } from '../../src/render/escape.js';

describe('escaping', () => {
  it('shows control, bidi and invisible characters as visible escapes', () => {
    expect(plain('a\nb\r\tc\u001b[31m\u0085\u202e\u200b')).toBe(
      'a\\nb\\r\\tc\\x1b[31m\\x85\\u{202e}\\u{200b}',
    );
  });

  it('keeps surrogate pairs whole when shortening and says how much was left out', () => {
    expect(clip('ab😀cd', 3)).toBe('ab…(4 more chars)');
    expect(clip('abc', 3)).toBe('abc');
    expect(quoted('x'.repeat(81))).toBe(`"${'x'.repeat(80)}"…(1 more chars)`);
  });

  it('fences with more backticks than the content holds, never fewer than three', () => {
    expect(fenceFor('no ticks')).toBe('```');
    expect(fenceFor('a ```` b ` c')).toBe('`````');
  });

  it('makes code spans that hold backticks, leading spaces and empty names', () => {
    expect(codeSpan('/a/b')).toBe('`/a/b`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`a')).toBe('`` `a ``');
    expect(codeSpan('')).toBe('` `');
  });

  it('breaks mentions, references and bare links with a zero-width joiner', () => {
    expect(mdText('@team #12 GH-3 https://x www.y')).toBe(
      '@\u200dteam #\u200d12 GH-\u200d3 https:\u200d//x www\u200d.y',
    );
  });

  it('escapes Markdown and HTML in prose, and line-start markers', () => {
    expect(mdText('<!-- *a* [b](c) | ~d~ $e$ -->')).toBe(
      '&lt;!-- \\*a\\* \\[b\\](c) \\| \\~d\\~ \\$e\\$ --&gt;',
    );
    expect(mdText('- x')).toBe('\\- x');
    expect(mdText('1. x')).toBe('1\\. x');
  });

  it('writes HTML text with entities only, so no backslash ever shows', () => {
    expect(htmlText('</details> *x* `y`')).toBe('&lt;/details&gt; &#42;x&#42; &#96;y&#96;');
  });
});
