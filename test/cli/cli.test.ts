import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { runCliCaptured } from '../support/cli.js';

/** Runs the CLI in-process; `out` and `err` are what the bin would print on stdout and stderr. */
async function cli(...argv: string[]) {
  const { code, out, err, stdout } = await runCliCaptured(argv);
  return { code, out: [out, stdout.trimEnd()].filter((s) => s !== '').join('\n'), err };
}

async function manifestFile(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'ssm-replicate-')), 'replication.yaml');
  await writeFile(path, text);
  return path;
}

describe('ssm-replicate validate', () => {
  it('exits 0 with a one-line summary for the example manifest', async () => {
    expect(await cli('validate')).toEqual({
      code: 0,
      out: 'valid: 1 replication, 2 paths, 2 destination regions',
      err: '',
    });
  });

  it('exits 1 and prints every error as file:line:column: message', async () => {
    const path = await manifestFile('version: 1\nsource:\n  region: us-east\nreplication: []\n');
    const result = await cli('validate', '--manifest', path);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')).toEqual([
      `${path}:1:1: missing required key 'replications'`,
      `${path}:3:11: 'us-east' is not a region name; expected e.g. us-east-1 — did you mean 'us-east-1'?`,
      `${path}:4:1: unknown key 'replication' — did you mean 'replications'?`,
      `invalid: 3 errors in ${path}`,
    ]);
  });

  it('prints warnings and still exits 0', async () => {
    const path = await manifestFile(
      'version: 1\nsource: { region: ap-south-1 }\nreplications:\n  - { name: a, paths: [/a], destinations: [{ region: us-eats-1 }] }\n',
    );
    const result = await cli('validate', '--manifest', path);
    expect(result).toEqual({
      code: 0,
      out: 'valid: 1 replication, 1 path, 1 destination region',
      err: `${path}:4:54: warning: region 'us-eats-1' is unknown to this version — did you mean 'us-east-1'?`,
    });
  });

  it('reports a missing manifest file as an error, not a crash', async () => {
    expect(await cli('validate', '--manifest', 'no/such.yaml')).toEqual({
      code: 1,
      out: '',
      err: 'no/such.yaml:1:1: cannot read the manifest: no such file\ninvalid: 1 error in no/such.yaml',
    });
  });

  it('shows its options with --help', async () => {
    const result = await cli('validate', '--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: ssm-replicate validate [options]');
    expect(result.out).toContain(
      '--manifest PATH  Manifest file to check (default: config/replication.yaml)',
    );
  });

  it('refuses an unknown option and suggests the nearest one', async () => {
    expect(await cli('validate', '--manifset', 'x.yaml')).toEqual({
      code: 1,
      out: '',
      err: "unknown option '--manifset' — did you mean '--manifest'? Run 'ssm-replicate validate --help' for usage",
    });
  });

  it('refuses --manifest without a value', async () => {
    const result = await cli('validate', '--manifest');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "option '--manifest' needs a value; run 'ssm-replicate validate --help' for usage",
    );
  });

  it('refuses stray arguments', async () => {
    const result = await cli('validate', 'config/replication.yaml');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      "unexpected argument 'config/replication.yaml'; run 'ssm-replicate validate --help' for usage",
    );
  });
});

describe('ssm-replicate', () => {
  it('lists the commands with --help', async () => {
    const result = await cli('--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: ssm-replicate <command> [options]');
    expect(result.out).toMatch(/^ {2}validate {2,}Check the manifest and report every problem$/m);
    expect(result.out).toMatch(
      /^ {2}iam-policy {2}Print the least-privilege IAM policy for the manifest, or a template with the GitHub roles$/m,
    );
  });

  it('prints the package version with --version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: VERSION, err: '' });
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('refuses an unknown command and suggests the nearest one', async () => {
    expect(await cli('valdate')).toEqual({
      code: 1,
      out: '',
      err: "unknown command 'valdate' — did you mean 'validate'? Run 'ssm-replicate --help' for usage",
    });
  });

  it('refuses an unknown global option', async () => {
    expect((await cli('--verbose')).err).toBe(
      "unknown option '--verbose'; run 'ssm-replicate --help' for usage",
    );
  });

  it('asks for a command when given none', async () => {
    expect(await cli()).toEqual({
      code: 1,
      out: '',
      err: "missing command (one of: validate, plan, apply, drift, status, unlock, iam-policy); run 'ssm-replicate --help' for usage",
    });
  });
});

describe('the bin', () => {
  const run = promisify(execFile);
  const node = (args: string[]) =>
    run(process.execPath, args).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it('runs from source with exit code 0 for a valid manifest', async () => {
    const { code, stdout } = await node(['--import', 'tsx', 'src/cli/index.ts', 'validate']);
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: 'valid: 1 replication, 2 paths, 2 destination regions\n',
    });
  });

  it('exits 1 from the built bundle on an unknown flag, writing to stderr', async () => {
    const { code, stdout, stderr } = await node(['dist/cli/index.js', '--nope']);
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: "unknown option '--nope'; run 'ssm-replicate --help' for usage\n",
    });
  });

  it('prints the version inlined at build time from the built bundle', async () => {
    const { stdout } = await node(['dist/cli/index.js', '--version']);
    expect(stdout).toBe(`${VERSION}\n`);
  });
});
