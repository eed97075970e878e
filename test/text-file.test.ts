import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, readTextFile, TextFileError } from '../src/text-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'ssm-replicate-text-'));

async function problem(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TextFileError);
  return (error as TextFileError).message;
}

describe('readTextFile', () => {
  it('refuses a file over the size limit before reading it', async () => {
    const path = join(dir(), 'big.yaml');
    writeFileSync(path, 'x'.repeat(2 * 2 ** 20));
    expect(await problem(readTextFile(path, { maxBytes: 2 ** 20 }))).toBe(
      'it is 2 MiB; files over 1 MiB are not read',
    );
  });

  it('refuses a path or link that leaves the allowed directory, and follows one that stays', async () => {
    const root = dir();
    mkdirSync(join(root, 'config'));
    writeFileSync(join(root, 'shared.yaml'), 'ok');
    symlinkSync('../shared.yaml', join(root, 'config', 'inside.yaml'));
    symlinkSync('/etc/hostname', join(root, 'config', 'outside.yaml'));
    const options = { maxBytes: 100, within: root, withinName: 'the workspace' };
    await expect(readTextFile(join(root, 'config', 'inside.yaml'), options)).resolves.toBe('ok');
    expect(await problem(readTextFile(join(root, 'config', 'outside.yaml'), options))).toMatch(
      /^it resolves to '\/etc\/hostname', outside the workspace '.+'; use a file inside the workspace/,
    );
    expect(await problem(readTextFile(join(root, '..', 'elsewhere.yaml'), options))).toBe('no such file');
    writeFileSync(join(root, '..', 'sibling.yaml'), 'x');
    expect(await problem(readTextFile(join(root, '..', 'sibling.yaml'), options))).toMatch(
      /outside the workspace/,
    );
  });
});

describe('decodeText', () => {
  it('returns any UTF-8 text without NULs as it was, a leading byte-order mark dropped', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
        (s) => {
          const ascii = `v${s}`;
          expect(decodeText(Buffer.from(ascii))).toBe(ascii);
          expect(decodeText(Buffer.from(`\ufeff${ascii}`))).toBe(ascii);
        },
      ),
    );
  });

  it('never returns text from bytes that are not UTF-8, and says where the first bad one is', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let decoded: string | undefined;
        try {
          decoded = decodeText(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(TextFileError);
          expect((error as TextFileError).message).toMatch(/UTF|NUL/);
          return;
        }
        const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
        expect(Buffer.from(decoded).equals(bytes.subarray(bom ? 3 : 0))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
