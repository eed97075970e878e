import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../support/cli.js';

/** What `validate` prints for the file at `path`: exit code and every line of every channel. */
async function validate(path: string) {
  const r = await runCliCaptured(['validate', '--manifest', path]);
  return { code: r.code, all: [r.out, r.err, r.stdout, r.stderr].join('\n') };
}

const dir = () => mkdtempSync(join(tmpdir(), 'ssm-replicate-hostile-'));
const VALID =
  'version: 1\nsource:\n  region: ap-south-1\nreplications:\n  - name: a\n    paths: [/a]\n    destinations: [{ region: us-east-1 }]\n';

function file(name: string, content: string | Buffer): string {
  const path = join(dir(), name);
  writeFileSync(path, content);
  return path;
}

/** Any C0 control or DEL other than the newline that separates notices. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

describe('manifest files that are not what they claim', () => {
  it('refuses a link to /proc/self/environ without printing any of the environment', async () => {
    const path = join(dir(), 'replication.yaml');
    symlinkSync('/proc/self/environ', path);
    const { code, all } = await validate(path);
    expect(code).toBe(1);
    expect(all).toContain(`${path}:1:1: cannot read the manifest: it is not a regular file`);
    // /proc/self/environ holds the environment the process started with: NAME=value entries.
    for (const entry of readFileSync('/proc/self/environ', 'utf8').split('\0').filter(Boolean)) {
      expect(all).not.toContain(entry);
    }
    expect(all).not.toMatch(/\bPATH=/);
  });

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const path = join(dir(), 'replication.yaml');
    execFileSync('mkfifo', [path]);
    const { code, all } = await validate(path);
    expect(code).toBe(1);
    expect(all).toContain('cannot read the manifest: it is a named pipe (FIFO), not a regular file');
  });

  it('refuses a device', async () => {
    const { code, all } = await validate('/dev/zero');
    expect(code).toBe(1);
    expect(all).toContain('/dev/zero:1:1: cannot read the manifest: it is a device, not a regular file');
  });

  it.each([
    ['utf-16le', 'UTF-16 (little-endian)', true],
    ['utf-16le', 'UTF-16 (little-endian)', false],
    ['utf-16be', 'UTF-16 (big-endian)', true],
    ['utf-16be', 'UTF-16 (big-endian)', false],
    ['utf-32le', 'UTF-32 (little-endian)', true],
    ['utf-32le', 'UTF-32 (little-endian)', false],
    ['utf-32be', 'UTF-32 (big-endian)', true],
    ['utf-32be', 'UTF-32 (big-endian)', false],
  ] as const)(
    'names %s (%s, byte-order mark: %s) and asks for UTF-8, echoing nothing',
    async (encoding, name, bom) => {
      const path = file('replication.yaml', encode(`${bom ? '\ufeff' : ''}${VALID}`, encoding));
      const { code, all } = await validate(path);
      expect(code).toBe(1);
      expect(all).toContain(`${path}:1:1: cannot read the manifest: it is ${name} text`);
      expect(all).toContain('save it as UTF-8');
      expect(all).not.toContain('region');
      expect(all).not.toMatch(CONTROL);
    },
  );

  it('accepts a UTF-8 byte-order mark, as YAML does and Windows editors write it', async () => {
    const { code, all } = await validate(file('replication.yaml', `\ufeff${VALID}`));
    expect(code).toBe(0);
    expect(all).toContain('valid: 1 replication');
  });

  it('refuses a NUL byte and invalid UTF-8 at their line and column', async () => {
    const nul = file('nul.yaml', `${VALID}# é\u0000\n`);
    expect((await validate(nul)).all).toContain(
      `${nul}:8:4: cannot read the manifest: it contains a NUL byte at line 8, column 4; it is not a text file`,
    );
    const latin1 = file(
      'latin1.yaml',
      Buffer.concat([Buffer.from(`${VALID}# caf`), Buffer.from([0xe9, 0x0a])]),
    );
    expect((await validate(latin1)).all).toContain(
      `${latin1}:8:6: cannot read the manifest: it is not valid UTF-8 (line 8, column 6); save it as UTF-8`,
    );
  });

  it('quotes a 5,000-character scalar as a short snippet, and still says what is wrong and what to write', async () => {
    const long = `us-${'x'.repeat(5000)}`;
    const path = file('replication.yaml', VALID.replace('region: ap-south-1', `region: ${long}`));
    const { code, all } = await validate(path);
    expect(code).toBe(1);
    expect(all).not.toContain('x'.repeat(200));
    expect(all).toMatch(/:3:11: 'us-x+'…\(\d+ more chars\) is not a region name; expected e\.g\. us-east-1/);
  });

  it('escapes control characters it quotes from the manifest', async () => {
    const path = file('replication.yaml', VALID.replace('name: a', 'name: "a\\e]0;owned\\a\\e[2J"'));
    const { code, all } = await validate(path);
    expect(code).toBe(1);
    expect(all).toContain("replication name 'a\\x1b]0;owned\\x07\\x1b[2J' may contain only");
    expect(all).not.toMatch(CONTROL);
  });
});

function encode(text: string, encoding: 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be'): Buffer {
  const units = [...text].map((c) => c.codePointAt(0) ?? 0);
  if (encoding === 'utf-16le') return Buffer.from(text, 'utf16le');
  if (encoding === 'utf-16be') return Buffer.from(text, 'utf16le').swap16();
  const out = Buffer.alloc(units.length * 4);
  units.forEach((u, i) => {
    if (encoding === 'utf-32le') out.writeUInt32LE(u, i * 4);
    else out.writeUInt32BE(u, i * 4);
  });
  return out;
}
