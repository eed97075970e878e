import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ManifestError, type ManifestIssue, parseManifest } from '../../src/manifest/index.js';

// Control characters, bidi overrides, zero-width and line separators, lone surrogates, and long runs.
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('\u001b]0;owned\u0007\u001b[2J', 'a\nb::error::x', '\u202eevil', '\ud800', 'x\u2028y', ''),
  fc.string({ minLength: 300, maxLength: 3000, unit: fc.constantFrom('x', '/', '\u0000', 'é', '\u001b') }),
);
const text = fc.oneof(nasty, fc.constantFrom('us-east-1', '/prod/app', 'ap-south-1'));

const destination = fc.record(
  {
    region: text,
    'role-arn': text,
    'kms-key-id': text,
    tags: fc.dictionary(text, text, { maxKeys: 3 }),
    'path-rewrite': fc.record({ from: text, to: text }),
    'ec2-image': fc.record({ amis: fc.dictionary(text, text, { maxKeys: 2 }) }),
    [`x${'k'.repeat(3)}`]: text,
  },
  { requiredKeys: ['region'] },
);
const manifest = fc.record(
  {
    version: fc.constantFrom(1, 2),
    source: fc.record({ region: text, 'role-arn': text }, { requiredKeys: ['region'] }),
    'ownership-tag': fc.record({ key: text, value: text }),
    'value-display': text,
    replications: fc.array(
      fc.record({
        name: text,
        paths: fc.array(text, { minLength: 1, maxLength: 3 }),
        exclude: fc.array(text, { maxLength: 2 }),
        destinations: fc.array(destination, { minLength: 1, maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  },
  { requiredKeys: ['version', 'source', 'replications'] },
);

function issuesOf(yamlText: string): ManifestIssue[] {
  try {
    return parseManifest(yamlText, 'hostile.yaml').warnings;
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    return [...error.issues, ...error.warnings];
  }
}

// C0 and C1 controls, DEL, bidi controls, zero-width characters, line separators and lone surrogates.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('messages about hostile manifests', () => {
  it('quote only short escaped snippets of what was written, however long or strange', () => {
    fc.assert(
      fc.property(manifest, (raw) => {
        for (const issue of issuesOf(stringify(raw))) {
          expect(issue.message).not.toMatch(UNSAFE);
          // A few snippets of 80 characters and the sentence around them.
          expect(issue.message.length).toBeLessThan(1000);
          expect(issue.file).toBe('hostile.yaml');
          expect(issue.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });
});
