import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA256SUMS as `sha256sum` writes it (`<hex>  <name>`, sorted by name), so `sha256sum -c` checks it. */
export function checksumFile(paths: readonly string[]): string {
  return [...paths]
    .sort((a, b) => (basename(a) < basename(b) ? -1 : 1))
    .map((p) => `${sha256(readFileSync(p))}  ${basename(p)}\n`)
    .join('');
}

/** Re-reads every file SHA256SUMS names (beside it) and throws on the first that does not match. */
export function verifyChecksums(sumsPath: string): void {
  const lines = readFileSync(sumsPath, 'utf8').trimEnd().split('\n');
  for (const line of lines) {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (!match) throw new Error(`SHA256SUMS: malformed line '${line}'`);
    const [, expected, name] = match as unknown as [string, string, string];
    const actual = sha256(readFileSync(join(dirname(sumsPath), name)));
    if (actual !== expected) throw new Error(`SHA256SUMS: ${name} is ${actual}, the file says ${expected}`);
  }
}
