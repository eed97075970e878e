import { describe, expect, it } from 'vitest';
import { cutMarkdown } from '../../../src/action/github/truncate.js';

describe('cutMarkdown', () => {
  it('returns a body that fits unchanged', () => {
    expect(cutMarkdown('a\nb', 10)).toEqual({ text: 'a\nb', dropped: 0 });
  });

  it('cuts at a line boundary and says how much it dropped', () => {
    const body = 'line one\nline two\nline three';

    const cut = cutMarkdown(body, 18);

    expect(cut.text).toBe('line one\nline two');
    expect(cut.dropped).toBe(body.length - cut.text.length);
  });

  it('closes a code fence and the details it cut open, within the limit', () => {
    const body = [
      '<details><summary>r</summary>',
      '',
      '````diff',
      ...Array(50).fill('+ x'),
      '````',
      '</details>',
    ].join('\n');

    const cut = cutMarkdown(body, 80);

    expect(cut.text.length).toBeLessThanOrEqual(80);
    expect(cut.text.endsWith('\n````\n\n</details>')).toBe(true);
  });

  it('does not count a details tag shown inside a code block as open', () => {
    const body = ['```', '<details>', '```', 'after', ...Array(50).fill('more')].join('\n');

    const cut = cutMarkdown(body, 30);

    expect(cut.text).toBe('```\n<details>\n```\nafter\nmore');
  });

  it('drops everything rather than exceed the limit when the first line alone is too long', () => {
    expect(cutMarkdown('x'.repeat(100), 10)).toEqual({ text: '', dropped: 100 });
  });
});
