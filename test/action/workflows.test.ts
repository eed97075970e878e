import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The three ready-to-copy workflows in config/workflows, as a user would paste them. */

interface Step {
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, { steps: Step[] }>;
}

const read = <T>(path: string) => parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as T;
const workflow = (name: string) => read<Workflow>(`config/workflows/${name}.yml`);
const actionInputs = Object.keys(read<{ inputs: Record<string, unknown> }>('action.yml').inputs);
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const ours = (w: Workflow) => steps(w).filter((s) => s.uses === 'ssm-replicate/ssm-replicate@v1');

describe('the example workflows', () => {
  it('plan on pull requests with a read token plus PR comments, one run per PR, superseded by newer pushes', () => {
    const w = workflow('plan');
    expect(Object.keys(w.on)).toEqual(['pull_request']);
    expect(w.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
    expect(w.concurrency).toEqual({
      group: `ssm-replicate-plan-$\{{ github.event.pull_request.number }}`,
      'cancel-in-progress': true,
    });
  });

  it('apply on pushes to main in one apply group that is never cancelled', () => {
    const w = workflow('apply');
    expect(w.on).toMatchObject({ push: { branches: ['main'] } });
    expect(w.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
    expect(w.concurrency).toEqual({ group: 'ssm-replicate-apply', 'cancel-in-progress': false });
    expect(ours(w)[0]?.with).toMatchObject({ mode: 'apply', 'allow-plan-change': false });
  });

  it('check drift on a schedule and on demand, in the apply group, allowed to write issues', () => {
    const w = workflow('drift');
    expect(Object.keys(w.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(w.permissions).toEqual({ contents: 'read', issues: 'write', 'id-token': 'write' });
    expect(w.concurrency).toEqual(workflow('apply').concurrency);
  });

  it('plan and apply watch the same paths, so every applied change was planned on its PR', () => {
    const paths = (w: Workflow, event: string) => (w.on[event] as { paths: string[] }).paths;
    expect(paths(workflow('apply'), 'push')).toEqual(paths(workflow('plan'), 'pull_request'));
  });

  for (const name of ['plan', 'apply', 'drift']) {
    it(`${name}: gets AWS credentials by OIDC from a SHA-pinned action, and passes only real inputs`, () => {
      const w = workflow(name);
      const aws = steps(w).filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(aws).toHaveLength(1);
      expect(aws[0]?.uses).toMatch(/^aws-actions\/configure-aws-credentials@[0-9a-f]{40}$/);
      expect(aws[0]?.with).toHaveProperty('role-to-assume');
      expect(aws[0]?.with).not.toHaveProperty('aws-secret-access-key');
      for (const step of steps(w))
        if (step.uses && step.uses !== 'ssm-replicate/ssm-replicate@v1')
          expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
      expect(ours(w)).toHaveLength(1);
      for (const key of Object.keys(ours(w)[0]?.with ?? {})) expect(actionInputs).toContain(key);
    });
  }
});
