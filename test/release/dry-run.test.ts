import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumFile } from '../../scripts/release/checksums.js';
import { BUNDLES, pack, zipLambda } from '../../scripts/release-dry-run.js';

/** build.mjs is plain JS; its entries are built from its own options, only into a temporary folder. */
const BUILD = '../../build.mjs';
interface Entry {
  entryPoints: string[];
  outfile: string;
}
const { entries, buildOptions } = (await import(BUILD)) as {
  entries: Entry[];
  buildOptions: (entry: Entry) => Record<string, unknown>;
};

const repo = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const exec = promisify(execFile);

/**
 * A checkout as the release workflow sees it after `.ci/run`: the committed files a release reads, with
 * bundles freshly built (CI has already proved the committed dist/ equals a fresh build).
 */
function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'ssm-replicate-release-'));
  for (const file of [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'schemas',
    'config/replication.yaml',
  ])
    cpSync(join(repo, file), join(root, file), { recursive: true });
  return root;
}

async function buildInto(root: string): Promise<void> {
  await Promise.all(
    entries.map((entry) => {
      mkdirSync(join(root, entry.outfile, '..'), { recursive: true });
      return build({ ...buildOptions(entry), outfile: join(root, entry.outfile), logLevel: 'silent' });
    }),
  );
}

/** The script as a maintainer runs it: `npx tsx scripts/release-dry-run.ts`. */
function dryRun(args: string[]) {
  const tsx = join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return exec(process.execPath, [tsx, join(repo, 'scripts', 'release-dry-run.ts'), ...args], {
    encoding: 'utf8',
  });
}

let root: string;
beforeAll(async () => {
  root = checkout();
  await buildInto(root);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the release dry run', () => {
  it('builds the tarball, the Lambda zip and SHA256SUMS that match, and installs the tarball offline', async () => {
    const out = join(root, 'release');
    const { stdout } = await dryRun(['--root', root, '--out', out, '--tag', `v${version}`]);
    expect(stdout).toContain('versions agree');
    expect(stdout).toContain('the tarball installs offline and runs');

    // An independent check of the checksums and the zip, with the tools a user would reach for.
    const sums = await exec('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out, encoding: 'utf8' });
    expect(sums.stdout.trim().split('\n').sort()).toEqual(
      [`ssm-replicate-${version}.tgz: OK`, `ssm-replicate-lambda-${version}.zip: OK`].sort(),
    );
    const unzipped = await exec('unzip', ['-p', `ssm-replicate-lambda-${version}.zip`, 'index.mjs'], {
      cwd: out,
      encoding: 'buffer',
      maxBuffer: 64 * 2 ** 20,
    });
    expect(unzipped.stdout.equals(readFileSync(join(root, 'dist/lambda/index.mjs')))).toBe(true);
    expect(readFileSync(join(out, 'notes.md'), 'utf8')).toContain('First release.');
  }, 180_000);

  it('packs and zips the same files to the same bytes, so SHA256SUMS is reproducible', () => {
    const artifacts = (out: string) => {
      mkdirSync(out, { recursive: true });
      return checksumFile([pack(root, out), zipLambda(root, out, version)]);
    };
    expect(artifacts(join(root, 'again-2'))).toBe(artifacts(join(root, 'again-1')));
  });

  it('refuses a tag that is not the version in package.json, CHANGELOG.md and the bundles', async () => {
    const run = dryRun(['--root', root, '--out', join(root, 'refused'), '--tag', 'v99.0.0']);
    await expect(run).rejects.toMatchObject({
      stderr: expect.stringContaining('tag v99.0.0 but package.json says'),
    });
  });

  it('checks every bundle the release ships', () => {
    expect(BUNDLES.sort()).toEqual(entries.map((e) => e.outfile).sort());
  });
});
