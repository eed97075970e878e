import { describe, expect, it } from 'vitest';
import { guardedGitHub, guardedHost } from '../../src/action/guard.js';
import { SecretRegistry } from '../../src/render/redact.js';
import { FakeGitHub, REPO } from './github/fake-port.js';
import { RecordingHost } from './support/recording-host.js';

const SECRET = 'CANARY-GUARD-77aa01';

function setup() {
  const secrets = new SecretRegistry();
  secrets.add(SECRET);
  const runner = new RecordingHost({});
  return { runner, host: guardedHost(runner, secrets), secrets };
}

describe('the guarded runner', () => {
  it('never lets a log line pass for a workflow command', () => {
    const { runner, host } = setup();
    host.info('plan\n::error file=x::forged\n  ::add-mask::x\n##[error]old style');
    const [line] = runner.of('info');
    expect(line?.message.split('\n').filter((l) => /^\s*(::|##\[)/.test(l))).toEqual([]);
    expect(line?.message).toContain('error file=x::forged');
  });

  it('writes annotations, outputs and the failure as one escaped line without secrets', () => {
    const { runner, host } = setup();
    host.error(`\u001b]0;pwned\u0007 ${SECRET}\n::error::x`, { title: 'a\u001b[2J', file: 'f\u0000' });
    host.setFailed(`failed: ${SECRET}\u0085`);
    host.setOutput('status', `x\n${SECRET}`);
    const [error] = runner.of('error');
    expect(error).toEqual({
      kind: 'error',
      message: '\\x1b]0;pwned\\x07 ***\\n::error::x',
      properties: { title: 'a\\x1b[2J', file: 'f\\x00' },
    });
    expect(runner.failed).toBe('failed: ***\\x85');
    expect(runner.outputs.status).toBe('x\\n***');
  });

  it('hands masks to the runner unchanged, so its own masking matches the value', () => {
    const { runner, host } = setup();
    host.setSecret(SECRET);
    expect(runner.of('secret')).toEqual([{ kind: 'secret', message: SECRET }]);
  });
});

describe('the guarded GitHub port', () => {
  it('masks secrets and escapes controls in every comment and issue it posts', async () => {
    const secrets = new SecretRegistry();
    secrets.add(SECRET);
    const fake = new FakeGitHub();
    const gh = guardedGitHub(fake, secrets);
    await gh.createIssueComment(REPO, 7, `body ${SECRET}\u001b[2J`);
    await gh.createIssue(REPO, { title: `t ${SECRET}\n`, body: `b\u202e${SECRET}` });
    expect(fake.writes.map((c) => c.args.slice(1))).toEqual([
      [7, 'body ***\\u001b[2J'],
      [{ title: 't ***\\n', body: 'b\\u202e***' }],
    ]);
  });
});
