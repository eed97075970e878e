import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { debugLine } from '../../src/cli/shared.js';
import { runCliCaptured, type ShellOverrides, useCliFixture } from '../support/cli.js';
import { current, SOURCE, seedFleet } from '../support/seed.js';

const { ep, env, manifestPath, dir } = useCliFixture();
const SECRET = 'CANARY-TTY-a83e';

beforeEach(() => {
  ep().state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_PASSWORD',
    value: SECRET,
    type: 'SecureString',
  });
  ep().state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_HOST',
    value: 'db.internal',
    type: 'String',
  });
});

/** A person at a terminal who answers `answer`; the questions asked are collected. */
function terminal(answer: string | undefined, asked: string[]): ShellOverrides {
  return {
    stdin: { isTTY: true },
    stdoutTTY: true,
    prompt: async (question) => {
      asked.push(question);
      return answer;
    },
  };
}

const apply = (shell: ShellOverrides, ...argv: string[]) =>
  runCliCaptured(['apply', '--manifest', manifestPath(), ...argv], env(), shell);

describe('apply at a terminal without a reviewed plan', () => {
  it("shows the plan, asks, and writes after 'yes'", async () => {
    const asked: string[] = [];
    const r = await apply(terminal('yes', asked));
    expect(r.code, r.err).toBe(0);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("Only 'yes' will be accepted to approve.");
    expect(r.stdout.indexOf('/prod/app/DB_HOST')).toBeLessThan(r.stdout.indexOf('Applied 2'));
    // Shown once, before the question, not again after the apply.
    expect(r.stdout.match(/Plan: /g)).toHaveLength(1);
    expect(current(ep(), 'us-east-1', '/prod/app/DB_HOST')?.value).toBe('db.internal');
    expect(r.stdout + r.stderr + r.err).not.toContain(SECRET);
  });

  it('writes nothing for any other answer, or none, and exits 1', async () => {
    for (const answer of ['y', 'YES', 'no', '', undefined]) {
      ep().resetCalls();
      const r = await apply(terminal(answer, []));
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('/prod/app/DB_HOST');
      expect(r.err).toContain("Apply cancelled: only 'yes' approves. Nothing was written.");
      expect(ep().calls({ region: 'us-east-1', operation: 'PutParameter' })).toEqual([]);
      expect(ep().calls({ operation: 'PutParameter' })).toEqual([]);
    }
  });

  it('does not ask with --yes, --auto-approve or -y, nor off a terminal, nor with a reviewed digest', async () => {
    const plan = JSON.parse(
      (await runCliCaptured(['plan', '--manifest', manifestPath(), '--format', 'json'], env())).stdout,
    );
    const runs: [ShellOverrides, string[]][] = [
      [terminal('no', []), ['--yes']],
      [terminal('no', []), ['--auto-approve']],
      // Terraform's own spelling, one dash (Go flags), as terraform users type it.
      [terminal('no', []), ['-auto-approve']],
      [terminal('no', []), ['-y']],
      [terminal('no', []), ['--expect-digest', plan.digest]],
      [{ ...terminal('no', []), stdin: { isTTY: false } }, []],
      [{ ...terminal('no', []), stdoutTTY: false }, []],
    ];
    for (const [shell, argv] of runs) {
      ep().state.reset();
      ep().state.putParameter({
        region: SOURCE,
        name: '/prod/app/DB_HOST',
        value: 'db.internal',
        type: 'String',
      });
      ep().state.putParameter({
        region: SOURCE,
        name: '/prod/app/DB_PASSWORD',
        value: SECRET,
        type: 'SecureString',
      });
      const asked: string[] = [];
      const prompt = async (question: string) => {
        asked.push(question);
        return 'no';
      };
      const r = await apply({ ...shell, prompt }, ...argv);
      expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0);
      expect(asked).toEqual([]);
      expect(current(ep(), 'us-east-1', '/prod/app/DB_HOST')).toBeDefined();
    }
  });

  it('refuses when the live plan changed while the user was reading it, and shows that live plan', async () => {
    const r = await apply({
      ...terminal(undefined, []),
      prompt: async () => {
        ep().state.putParameter({ region: SOURCE, name: '/prod/app/LATE', value: 'l', type: 'String' });
        return 'yes';
      },
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain('+ us-east-1 create /prod/app/LATE (not in the reviewed plan)');
    expect(current(ep(), 'us-east-1', '/prod/app/DB_HOST')).toBeUndefined();
    // The plan approved at the prompt, then the live one: shown again only because it differs.
    expect(r.stdout.match(/Plan: /g)).toHaveLength(2);
    expect(r.stdout.lastIndexOf('/prod/app/LATE')).toBeGreaterThan(r.stdout.lastIndexOf('Plan: '));
  });

  it('refuses --format json at a terminal without --yes, before any AWS call', async () => {
    ep().resetCalls();
    const r = await apply(terminal('yes', []), '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot ask for confirmation: pass --yes/);
    expect(ep().calls()).toEqual([]);
  });
});

describe('--debug', () => {
  it('logs every AWS call with operation, region, status, duration and attempts, never a value or a credential', async () => {
    ep().faults.failNext({
      operation: 'PutParameter',
      region: 'us-east-1',
      count: 1,
      error: 'ThrottlingException',
    });
    const r = await runCliCaptured(['apply', '--manifest', manifestPath(), '--debug'], env());
    expect(r.code, r.err).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('debug: '));
    expect(lines.length).toBe(ep().calls().length - 1);
    expect(lines).toContainEqual(
      expect.stringMatching(/^debug: ssm GetParameters ap-south-1 HTTP 200 \d+ ms, 1 attempt$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^debug: ssm PutParameter us-east-1 HTTP 200 \d+ ms, 2 attempts \(retried after ThrottlingException\)$/,
      ),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^debug: sts GetCallerIdentity /));
    for (const secret of [SECRET, env().AWS_SECRET_ACCESS_KEY, env().AWS_ACCESS_KEY_ID, 'db.internal'])
      expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toMatch(/authorization|x-amz-security-token|signature/i);
  });

  it('logs a failed call with its error code and the attempts spent', async () => {
    ep().faults.failNext({
      operation: 'DescribeParameters',
      region: SOURCE,
      count: 5,
      error: 'ThrottlingException',
    });
    const r = await runCliCaptured(['plan', '--manifest', manifestPath(), '--debug'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^debug: ssm DescribeParameters ap-south-1 ThrottlingException HTTP 400 \d+ ms, 2 attempts \(retried after ThrottlingException\)$/m,
    );
  });

  it('counts the retries of each kind when a call was retried more than once', async () => {
    ep().faults.failNext({
      operation: 'DescribeParameters',
      region: SOURCE,
      count: 1,
      error: 'ThrottlingException',
    });
    ep().faults.failNext({
      operation: 'DescribeParameters',
      region: SOURCE,
      count: 1,
      error: 'InternalServerError',
    });
    const r = await runCliCaptured(['plan', '--manifest', manifestPath(), '--debug'], {
      ...env(),
      AWS_MAX_ATTEMPTS: '4',
    });
    expect(r.code, r.err).toBe(0);
    expect(r.stderr).toMatch(
      /^debug: ssm DescribeParameters ap-south-1 HTTP 200 \d+ ms, 3 attempts \(retried after ThrottlingException, InternalServerError\)$/m,
    );
  });

  it('logs the STS AssumeRole calls that reach a destination through role-arn too', async () => {
    const path = join(dir(), 'role.yaml');
    await writeFile(
      path,
      `version: 1
source:
  region: ap-south-1
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
      - region: eu-west-1
        role-arn: arn:aws:iam::222222222222:role/replicator
`,
    );
    const r = await runCliCaptured(['plan', '--manifest', path, '--debug'], env());
    expect(r.code, r.err).toBe(0);
    const assumed = ep().calls({ operation: 'AssumeRole' }).length;
    expect(assumed).toBeGreaterThan(0);
    expect(r.stderr.match(/^debug: sts AssumeRole eu-west-1 HTTP 200 \d+ ms, 1 attempt$/gm)).toHaveLength(
      assumed,
    );
    expect(r.stderr).not.toMatch(/SessionToken|SecretAccessKey|AccessKeyId/);
  });

  it('says a retried code once with its count', () => {
    const line = debugLine({
      service: 'ssm',
      operation: 'PutParameter',
      region: 'us-east-1',
      status: 200,
      durationMs: 2506.4,
      attempts: 4,
      retriedAfter: ['ThrottlingException', 'ThrottlingException', 'ThrottlingException'],
    });
    expect(line).toBe(
      'debug: ssm PutParameter us-east-1 HTTP 200 2506 ms, 4 attempts (retried after 3 × ThrottlingException)\n',
    );
  });

  it('is off unless asked for', async () => {
    const r = await runCliCaptured(['plan', '--manifest', manifestPath()], env());
    expect(r.stderr).not.toContain('debug:');
  });
});

describe('the terminal plan', () => {
  it('shows every item by default, and --max-items cuts with a pointer that fits the command', async () => {
    ep().state.reset();
    seedFleet(ep(), 60);
    const plan = await runCliCaptured(['plan', '--manifest', manifestPath()], env());
    expect(plan.stdout.match(/^ {4}\+ \/prod\/app\/p\d{5}/gm)).toHaveLength(60);
    expect(plan.stdout).not.toContain('more');

    const cut = await runCliCaptured(['plan', '--manifest', manifestPath(), '--max-items', '5'], env());
    expect(cut.stdout.match(/^ {4}\+ \/prod\/app\/p\d{5}/gm)).toHaveLength(5);
    expect(cut.stdout).toContain(
      '… and 55 more (the whole plan: run without --max-items, or with --out FILE)',
    );
    expect(cut.stdout).not.toContain('job summary');

    const saved = await runCliCaptured(
      ['plan', '--manifest', manifestPath(), '--max-items', '5', '--out', '/dev/null'],
      env(),
    );
    expect(saved.stdout).toContain('… and 55 more (the whole plan is in /dev/null)');

    const drift = await runCliCaptured(['drift', '--manifest', manifestPath(), '--max-items', '0'], env());
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain(
      '… and 60 more (the whole plan: run without --max-items, or ssm-replicate plan --out FILE)',
    );
  });

  it('says an --out file that cannot be written is the problem, after showing the plan, and exits 1', async () => {
    const r = await runCliCaptured(
      ['plan', '--manifest', manifestPath(), '--out', '/nonexistent-dir/plan.json'],
      env(),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('/prod/app/DB_HOST');
    expect(r.err).toMatch(/^cannot write the plan to \/nonexistent-dir\/plan\.json: ENOENT/);
  });

  it('rejects a --max-items that is not a whole number before any AWS call', async () => {
    ep().resetCalls();
    const r = await runCliCaptured(['plan', '--manifest', manifestPath(), '--max-items', 'ten'], env());
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      "Invalid --max-items 'ten'. Expected a whole number of items per region, e.g. 50.",
    );
    expect(ep().calls()).toEqual([]);
  });
});

describe('apply without a question', () => {
  it('prints the plan before its first write, then the report, as terraform -auto-approve does', async () => {
    let writesBeforePlan: number | undefined;
    const r = await apply({
      onStdout: (text) => {
        if (writesBeforePlan === undefined && text.includes('Plan: '))
          writesBeforePlan = ep().calls({ region: 'us-east-1', operation: 'PutParameter' }).length;
      },
    });
    expect(r.code, r.err).toBe(0);
    expect(writesBeforePlan).toBe(0);
    expect(r.stdout.match(/Plan: /g)).toHaveLength(1);
    expect(r.stdout.indexOf('/prod/app/DB_HOST')).toBeLessThan(r.stdout.indexOf('Applied 2'));
    expect(current(ep(), 'us-east-1', '/prod/app/DB_HOST')?.value).toBe('db.internal');
  });
});
