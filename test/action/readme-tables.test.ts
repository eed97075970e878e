import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as ActionYml;
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The body rows of the table right under a README heading, each row's cells with the outer pipes cut. */
function table(heading: string): string[][] {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const lines = readme.slice(start + heading.length + 2).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** `a` / `b` in a first cell: the names it documents. */
const names = (cell: string | undefined) => (cell ?? '').split(' / ').map((n) => n.replace(/^`|`$/g, ''));

describe('README tables against action.yml', () => {
  it('has one Inputs row per input of action.yml, in its order, with its default', () => {
    const rows = table('### Inputs');
    expect(rows.flatMap((r) => names(r[0]))).toEqual(Object.keys(action.inputs));
    for (const [name, spec] of Object.entries(action.inputs)) {
      const row = rows.find((r) => names(r[0]).includes(name));
      const shown = row?.[1] === '`""`' ? '' : row?.[1]?.replace(/^`|`$/g, '');
      expect(shown, name).toBe(spec.default ?? '');
      expect(row?.[2]?.length, name).toBeGreaterThan(10);
    }
  });

  it('has an Outputs row for every output of action.yml and for nothing else', () => {
    const documented = table('### Outputs').flatMap((r) => names(r[0]));
    expect([...documented].sort()).toEqual(Object.keys(action.outputs).sort());
  });
});
