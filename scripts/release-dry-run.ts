// `npx tsx scripts/release-dry-run.ts [--tag v1.2.3] [--out release] [--root .]`: every step of a release
// that needs no network, on the files as committed. It checks that the tag, package.json, CHANGELOG.md and
// the bundles agree, writes the release notes, the npm tarball, the Lambda zip and SHA256SUMS to --out, and
// proves them: the checksums match, the zip holds exactly the Lambda bundle and it loads, the tarball holds
// exactly what CLI users run and installs into an empty folder offline, where `ssm-replicate --version` and
// `validate` work. The release workflow runs this, then publishes exactly these files.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { checksumFile, sha256, verifyChecksums } from './release/checksums.js';
import { majorTag, releaseNotes, versionProblems } from './release/versions.js';

export const BUNDLES = ['dist/index.js', 'dist/cli/index.js', 'dist/lambda/index.mjs'];
const LAMBDA = 'dist/lambda/index.mjs';

export interface DryRunResult {
  version: string;
  tarball: string;
  zip: string;
  sums: string;
  notes: string;
}

/** A child process that must succeed; its output, or an error carrying what it printed. */
function run(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** The bin links resolve `node` from PATH: make it the Node running this script, whatever the shell has. */
function withThisNode(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PATH: `${dirname(process.execPath)}${delimiter}${env.PATH ?? ''}` };
}

/** The files the npm package must hold: what CLI users run, nothing else. */
function expectedPackageFiles(root: string): string[] {
  const schemas = readdirSync(join(root, 'schemas')).filter((f) => f.endsWith('.json'));
  return [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'dist/cli/index.js',
    'package.json',
    ...schemas.map((f) => `schemas/${f}`),
  ].sort();
}

export function pack(root: string, out: string): string {
  const [result] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out], { cwd: root })) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (!result) throw new Error('npm pack reported no tarball');
  const files = result.files.map((f) => f.path).sort();
  const expected = expectedPackageFiles(root);
  if (JSON.stringify(files) !== JSON.stringify(expected))
    throw new Error(`the tarball holds ${files.join(', ')}; expected exactly ${expected.join(', ')}`);
  return join(out, result.filename);
}

/**
 * The Lambda zip: index.mjs at the root, where the runtime's `index.handler` looks. A fixed mode, time and
 * time zone and no extra attributes, so the same bundle always zips to the same bytes and checksum.
 */
export function zipLambda(root: string, out: string, version: string): string {
  const stage = mkdtempSync(join(tmpdir(), 'ssm-replicate-zip-'));
  try {
    const file = join(stage, 'index.mjs');
    copyFileSync(join(root, LAMBDA), file);
    chmodSync(file, 0o644);
    const fixed = new Date('2000-01-01T00:00:00Z');
    utimesSync(file, fixed, fixed);
    const zip = join(out, `ssm-replicate-lambda-${version}.zip`);
    run('zip', ['-X', '-q', zip, 'index.mjs'], { cwd: stage, env: { ...process.env, TZ: 'UTC' } });
    return zip;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** The zip holds exactly the Lambda bundle, byte for byte, and the runtime can import its handler. */
function verifyZip(root: string, zip: string): void {
  const listing = run('unzip', ['-Z1', zip], { cwd: root }).trim().split('\n');
  if (JSON.stringify(listing) !== JSON.stringify(['index.mjs']))
    throw new Error(`the Lambda zip holds ${listing.join(', ')}; expected only index.mjs`);
  const dir = mkdtempSync(join(tmpdir(), 'ssm-replicate-unzip-'));
  try {
    run('unzip', ['-q', zip, '-d', dir], { cwd: root });
    const extracted = join(dir, 'index.mjs');
    if (sha256(readFileSync(extracted)) !== sha256(readFileSync(join(root, LAMBDA))))
      throw new Error(`the Lambda zip's index.mjs differs from ${LAMBDA}`);
    // As the runtime loads it: import the module, find `handler`. Configuration is read at the first
    // invocation, so importing needs none.
    const probe = `const m = await import(${JSON.stringify(pathToFileURL(extracted).href)}); if (typeof m.handler !== 'function') process.exit(3);`;
    run(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: dir,
      env: { ...process.env, AWS_REGION: 'us-east-1' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Installs the tarball into an empty folder without the network and runs the CLI from there. */
function verifyTarball(root: string, tarball: string, version: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-replicate-install-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{ "name": "try-ssm-replicate", "private": true }\n');
    const env = withThisNode();
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball], {
      cwd: dir,
      env,
    });
    const installed = readdirSync(join(dir, 'node_modules')).filter(
      (d) => d !== '.bin' && d !== '.package-lock.json',
    );
    if (JSON.stringify(installed) !== JSON.stringify(['ssm-replicate']))
      throw new Error(
        `installing the tarball pulled in ${installed.join(', ')}; expected ssm-replicate alone`,
      );
    const bin = join(dir, 'node_modules', '.bin', 'ssm-replicate');
    const printed = run(bin, ['--version'], { cwd: dir, env }).trim();
    if (printed !== version)
      throw new Error(`the installed ssm-replicate --version printed '${printed}', not ${version}`);
    const viaNpx = run('npx', ['--offline', 'ssm-replicate', '--version'], { cwd: dir, env }).trim();
    if (viaNpx !== version)
      throw new Error(`npx ssm-replicate --version printed '${viaNpx}', not ${version}`);
    const manifest = join(root, 'config', 'replication.yaml');
    const validated = run(bin, ['validate', '--manifest', manifest], { cwd: dir, env }).trim();
    if (!validated.startsWith('valid:'))
      throw new Error(`the installed ssm-replicate validate printed '${validated}'`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function dryRun(options: {
  root: string;
  out: string;
  tag?: string;
  log?: (line: string) => void;
}): DryRunResult {
  const { root, out } = options;
  const log = options.log ?? (() => {});
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  const tag = options.tag ?? `v${version}`;
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8');
  const bundles = new Map(BUNDLES.map((b) => [b, readFileSync(join(root, b), 'utf8')]));
  const problems = versionProblems({ tag, packageVersion: version, changelog, bundles });
  if (problems.length > 0) throw new Error(`not releasable as ${tag}:\n- ${problems.join('\n- ')}`);
  log(`versions agree: ${tag}, package.json, CHANGELOG.md, ${BUNDLES.join(', ')}`);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const notes = join(out, 'notes.md');
  writeFileSync(notes, releaseNotes(changelog, version) as string);
  const tarball = pack(root, out);
  const zip = zipLambda(root, out, version);
  const sums = join(out, 'SHA256SUMS');
  writeFileSync(sums, checksumFile([tarball, zip]));
  log(`built ${[notes, tarball, zip, sums].map((f) => f.slice(out.length + 1)).join(', ')} in ${out}`);

  verifyChecksums(sums);
  verifyZip(root, zip);
  verifyTarball(root, tarball, version);
  log(
    'verified: checksums match; the zip is the Lambda bundle and loads; the tarball installs offline and runs',
  );
  const major = majorTag(version);
  log(
    `the release workflow would now: create the GitHub release ${tag} with notes.md and attach the zip and SHA256SUMS; publish the tarball to npm with provenance${major ? `; move ${major} to ${tag}` : ''}`,
  );
  return { version, tarball, zip, sums, notes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { tag: { type: 'string' }, out: { type: 'string' }, root: { type: 'string' } },
  });
  const root = resolve(values.root ?? fileURLToPath(new URL('..', import.meta.url)));
  try {
    dryRun({
      root,
      out: resolve(values.out ?? join(root, 'release')),
      ...(values.tag ? { tag: values.tag } : {}),
      log: console.log,
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
