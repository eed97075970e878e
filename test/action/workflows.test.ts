import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** The ready-to-copy workflows in config/workflows, as a user would paste them, and this repository's own. */

interface Step {
  id?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Concurrency {
  group: string;
  'cancel-in-progress': boolean;
  queue?: string;
}
interface Job {
  needs?: string;
  if?: string;
  environment?: string;
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: Concurrency;
  jobs: Record<string, Job>;
}

const read = <T>(path: string) => parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as T;
const workflow = (name: string) => read<Workflow>(`config/workflows/${name}.yml`);
const actionInputs = Object.keys(read<{ inputs: Record<string, unknown> }>('action.yml').inputs);
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);
const ours = (w: Workflow) => steps(w).filter((s) => s.uses === 'ssm-replicate/ssm-replicate@v1');
const COPIED = ['plan', 'apply', 'drift', 'repair'];
/** The group every writer and the drift check share, queued so that no run of it is dropped. */
const APPLY_GROUP = { group: 'ssm-replicate-apply', 'cancel-in-progress': false, queue: 'max' };

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

  // Without `queue: max` GitHub keeps one pending run per group and cancels the older one: a dropped
  // apply leaves its comment at "planned" and the next merge fails "plan changed since review".
  it('apply on pushes to main in one apply group that is never cancelled and queues every pending run', () => {
    const w = workflow('apply');
    expect(w.on).toMatchObject({ push: { branches: ['main'] } });
    expect(w.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
    expect(w.concurrency).toEqual(APPLY_GROUP);
    expect(ours(w)[0]?.with).toMatchObject({ mode: 'apply', 'allow-plan-change': false });
  });

  it('check drift on a schedule and on demand, queued in the apply group behind applies, never replacing one', () => {
    const w = workflow('drift');
    expect(Object.keys(w.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(w.permissions).toEqual({ contents: 'read', issues: 'write', 'id-token': 'write' });
    expect(w.concurrency).toEqual(APPLY_GROUP);
  });

  it('queue only where cancel-in-progress is false, as GitHub requires, and only plans cancel', () => {
    for (const name of COPIED) {
      const c = workflow(name).concurrency;
      if (c['cancel-in-progress']) expect(c.queue, name).toBeUndefined();
      else expect(c, name).toEqual(APPLY_GROUP);
    }
    expect(COPIED.filter((n) => workflow(n).concurrency['cancel-in-progress'])).toEqual(['plan']);
  });

  it('upload the plan file as the artifact the plan comment names, even when the plan step failed', () => {
    for (const name of ['plan', 'repair']) {
      const w = workflow(name);
      const job = Object.values(w.jobs).find((j) => j.steps.some((s) => s.id === 'plan')) as Job;
      const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
      expect(upload?.with, name).toEqual({
        name: 'ssm-replicate-plan',
        path: `$\{{ steps.plan.outputs.plan-file }}`,
        'if-no-files-found': 'error',
        'retention-days': 30,
      });
      expect(upload?.if).toBe(`$\{{ !cancelled() && steps.plan.outputs.plan-file != '' }}`);
    }
    expect(ours(workflow('plan'))[0]?.with?.['plan-artifact']).toBe('ssm-replicate-plan');
  });

  it('repair on demand: a fresh plan, then an apply of exactly that plan behind a protected environment', () => {
    const w = workflow('repair');
    expect(w.on).toEqual({ workflow_dispatch: {} });
    expect(w.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(w.concurrency).toEqual(APPLY_GROUP);
    const { plan, apply } = w.jobs as { plan: Job; apply: Job };
    expect(ours({ ...w, jobs: { plan } })[0]?.with).toMatchObject({ mode: 'plan' });
    expect(plan.outputs?.['plan-digest']).toBe(`$\{{ steps.plan.outputs.plan-digest }}`);
    expect(apply.needs).toBe('plan');
    expect(apply.environment).toBe('ssm-replicate-apply');
    expect(apply.if).toBe(`needs.plan.outputs.has-changes == 'true'`);
    expect(ours({ ...w, jobs: { apply } })[0]?.with).toMatchObject({
      mode: 'apply',
      'expect-digest': `$\{{ needs.plan.outputs.plan-digest }}`,
      'allow-plan-change': false,
    });
  });

  it('plan and apply watch the same paths, so every applied change was planned on its PR', () => {
    const paths = (w: Workflow, event: string) => (w.on[event] as { paths: string[] }).paths;
    expect(paths(workflow('apply'), 'push')).toEqual(paths(workflow('plan'), 'pull_request'));
  });

  for (const name of COPIED) {
    it(`${name}: gets AWS credentials by OIDC from a SHA-pinned action, and passes only real inputs`, () => {
      const w = workflow(name);
      const aws = steps(w).filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));
      expect(aws).toHaveLength(Object.keys(w.jobs).length);
      for (const step of aws) {
        expect(step.uses).toMatch(/^aws-actions\/configure-aws-credentials@[0-9a-f]{40}$/);
        expect(step.with).toHaveProperty('role-to-assume');
        expect(step.with).not.toHaveProperty('aws-secret-access-key');
      }
      for (const step of steps(w))
        if (step.uses && step.uses !== 'ssm-replicate/ssm-replicate@v1')
          expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
      expect(ours(w)).toHaveLength(Object.keys(w.jobs).length);
      for (const step of ours(w))
        for (const key of Object.keys(step.with ?? {})) expect(actionInputs).toContain(key);
    });
  }
});

/** Every `uses:` line of the workflow files, as written: the `# vX.Y.Z` comment is only in the text. */
const FOLDERS = ['.github/workflows', 'config/workflows'];
const workflowFiles = FOLDERS.flatMap((dir) =>
  readdirSync(new URL(`../../${dir}`, import.meta.url))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `${dir}/${f}`),
);
interface Pin {
  file: string;
  action: string;
  sha: string;
  tag: string;
}
const USES = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/;
const PINNED = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40})$/;
function pins(file: string): { pins: Pin[]; unpinned: string[] } {
  const found: Pin[] = [];
  const unpinned: string[] = [];
  for (const line of readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8').split('\n')) {
    const m = USES.exec(line);
    if (!m) continue;
    const [, ref = '', rest = ''] = m;
    // The Action itself, as users reference it from the copy-paste workflows.
    if (ref === 'ssm-replicate/ssm-replicate@v1' && file.startsWith('config/')) continue;
    const pin = PINNED.exec(ref);
    const tag = /^\s+#\s+(v\d+\.\d+\.\d+)\s*$/.exec(rest)?.[1];
    if (pin && tag) found.push({ file, action: pin[1] as string, sha: pin[2] as string, tag });
    else unpinned.push(`${file}: ${line.trim()}`);
  }
  return { pins: found, unpinned };
}
const all = workflowFiles.flatMap((f) => pins(f).pins);

describe('action pins', () => {
  it('pin every action in both folders by full commit SHA with a # vX.Y.Z comment', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining(['.github/workflows/ci.yml', 'config/workflows/repair.yml']),
    );
    expect(workflowFiles.flatMap((f) => pins(f).unpinned)).toEqual([]);
    expect(all.length).toBeGreaterThan(10);
  });

  it('use one commit and one tag per action across every file, in both folders', () => {
    const byAction = new Map<string, Set<string>>();
    for (const p of all)
      byAction.set(p.action, (byAction.get(p.action) ?? new Set()).add(`${p.sha} # ${p.tag}`));
    for (const [action, versions] of byAction) expect([...versions], action).toHaveLength(1);
    // An action both folders use is where a stale copy would hide.
    const inFolder = (dir: string) => new Set(all.filter((p) => p.file.startsWith(dir)).map((p) => p.action));
    const shared = [...inFolder('.github/')].filter((a) => inFolder('config/').has(a));
    expect(shared).toContain('actions/checkout');
  });

  // The releases that run on Node 24 (each action.yml at the tag says `using: node24`); Node 20 actions
  // were removed from GitHub's runners in September 2026. Dependabot moves these, this list follows.
  it('are at the Node 24 releases', () => {
    const expected = {
      'actions/checkout': '3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
      'actions/setup-node': '820762786026740c76f36085b0efc47a31fe5020 # v7.0.0',
      'actions/upload-artifact': '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a # v7.0.1',
      'aws-actions/configure-aws-credentials': 'e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3',
    };
    const used = Object.fromEntries(all.map((p) => [p.action, `${p.sha} # ${p.tag}`]));
    expect(used).toEqual(expected);
  });
});

describe('dependabot', () => {
  interface Update {
    'package-ecosystem': string;
    directory?: string;
    directories?: string[];
    schedule: { interval: string };
    groups?: Record<string, unknown>;
  }
  const config = read<{ version: number; updates: Update[] }>('.github/dependabot.yml');
  const of = (ecosystem: string) => config.updates.find((u) => u['package-ecosystem'] === ecosystem);

  it('updates the actions of both workflow folders and the npm packages, weekly and grouped', () => {
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
    expect(of('github-actions')?.directories?.sort()).toEqual(FOLDERS.map((d) => `/${d}`).sort());
    expect(of('npm')?.directory).toBe('/');
    for (const u of config.updates) {
      expect(u.schedule.interval).toBe('weekly');
      expect(Object.keys(u.groups ?? {}).length).toBeGreaterThan(0);
    }
  });
});
