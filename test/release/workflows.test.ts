import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  strategy?: { matrix: { node: number[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, { tags?: string[] }>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = (name: string) =>
  readFileSync(new URL(`../../.github/workflows/${name}.yml`, import.meta.url), 'utf8');
const workflow = (name: string) => parse(text(name)) as Workflow;
const release = workflow('release');
const job = Object.values(release.jobs)[0] as Job;
const runs = job.steps.map((s) => s.run ?? '');
const indexOf = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));

describe('the release workflow', () => {
  it('runs on version tags only, with no permission by default and only what releasing needs', () => {
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on.push?.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    expect(release.permissions).toEqual({});
    expect(Object.keys(release.jobs)).toHaveLength(1);
    expect(job.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
  });

  it('pins every action by commit SHA, on Node 24, without persisting the token in git', () => {
    for (const step of job.steps.filter((s) => s.uses))
      expect(step.uses).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40}$/);
    const pins = [...text('release').matchAll(/uses: (\S+)(.*)/g)];
    expect(pins.length).toBeGreaterThan(0);
    // Each pin names the release it is, so an update can be reviewed.
    for (const [, uses, rest] of pins) expect(rest, uses).toMatch(/^ # v\d+\.\d+\.\d+$/);
    const setup = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with?.['node-version']).toBe(24);
    const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['persist-credentials']).toBe(false);
  });

  it('checks everything before it publishes anything, and moves the major tag last', () => {
    const ci = indexOf(/^bash \.ci\/run$/);
    const dryRun = indexOf(/scripts\/release-dry-run\.ts --tag "\$TAG"/);
    const ghRelease = indexOf(/gh release create "\$TAG" --verify-tag .*--notes-file release\/notes\.md/s);
    const npm = indexOf(/npm publish release\/ssm-replicate-\*\.tgz --provenance --access public/);
    const major = indexOf(/git\/refs\/tags\/\$major/);
    expect([ci, dryRun, ghRelease, npm, major].every((i) => i >= 0)).toBe(true);
    expect([ci, dryRun, ghRelease, npm, major]).toEqual(
      [...[ci, dryRun, ghRelease, npm, major]].sort((a, b) => a - b),
    );
    expect(runs[ghRelease]).toContain('release/ssm-replicate-lambda-*.zip');
    expect(runs[ghRelease]).toContain('release/SHA256SUMS');
  });
});

describe('the CI workflow', () => {
  it('runs .ci/run on Node 22 and 24', () => {
    const ci = workflow('ci');
    const matrix = Object.values(ci.jobs)[0]?.strategy?.matrix.node;
    expect(matrix).toEqual([22, 24]);
    expect(Object.values(ci.jobs)[0]?.steps.map((s) => s.run)).toContain('bash .ci/run');
  });
});
