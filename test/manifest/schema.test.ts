import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import schema from '../../schemas/manifest.schema.json' with { type: 'json' };
import { END, referenceRows, START } from '../../scripts/manifest-reference.js';

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  description?: string;
  [key: string]: unknown;
}

/** Every object schema in the document, with where it is. */
function objects(node: unknown, at = '#'): [string, SchemaNode][] {
  if (typeof node !== 'object' || node === null) return [];
  const found: [string, SchemaNode][] = [];
  const schemaNode = node as SchemaNode;
  if (schemaNode.type === 'object') found.push([at, schemaNode]);
  for (const [key, child] of Object.entries(schemaNode)) {
    if (key === 'enum' || key === 'const') continue;
    found.push(...objects(child, `${at}/${key}`));
  }
  return found;
}

describe('manifest schema', () => {
  it('closes every fixed-shape object with additionalProperties: false', () => {
    const open = objects(schema)
      .filter(([, node]) => node.properties !== undefined && node.additionalProperties !== false)
      .map(([at]) => at);
    expect(open).toEqual([]);
  });

  it('describes every property', () => {
    const undescribed = objects(schema).flatMap(([at, node]) =>
      Object.entries(node.properties ?? {})
        .filter(([, property]) => typeof property.description !== 'string' || property.description === '')
        .map(([name]) => `${at}/${name}`),
    );
    expect(undescribed).toEqual([]);
  });

  it('has a README reference row for every key, each with a description', () => {
    const rows = referenceRows();
    expect(rows.map((row) => row[0])).toContain('`replications[].destinations[].path-rewrite.from`');
    expect(rows.filter((row) => (row[3] ?? '') === '')).toEqual([]);
  });

  it('matches the reference section of the README, so neither drifts from the other', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf(START), readme.indexOf(END));
    // Biome formats the README (it pads table cells), so compare cells rather than bytes.
    const cells = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) =>
        line
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(cells).toEqual(referenceRows());
  });
});
