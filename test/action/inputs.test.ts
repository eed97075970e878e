import { describe, expect, it } from 'vitest';
import { ActionInputError, parseActionInputs } from '../../src/action/inputs.js';

const from = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parseActionInputs', () => {
  it('falls back to the documented defaults for inputs the runner left empty', () => {
    expect(parseActionInputs(from({}))).toEqual({
      manifestPath: 'config/replication.yaml',
      mode: 'auto',
      githubToken: '',
      comment: true,
      driftIssue: true,
      allowPlanChange: false,
      failOnDrift: true,
      workingDirectory: '.',
      botLogin: 'github-actions[bot]',
      repairWorkflow: 'ssm-replicate-repair.yml',
    });
  });

  it('reads every input, trimming whitespace and accepting YAML booleans in any documented case', () => {
    const inputs = parseActionInputs(
      from({
        manifest: ' infra/ssm.yaml ',
        mode: 'drift',
        'github-token': ' ghs_x ',
        comment: 'False',
        'drift-issue': 'FALSE',
        'allow-plan-change': 'TRUE',
        'fail-on-drift': 'false',
        'working-directory': 'ops',
        'bot-login': 'my-app[bot]',
        'repair-workflow': ' fix-drift.yaml ',
      }),
    );
    expect(inputs).toEqual({
      manifestPath: 'infra/ssm.yaml',
      mode: 'drift',
      githubToken: 'ghs_x',
      comment: false,
      driftIssue: false,
      allowPlanChange: true,
      failOnDrift: false,
      workingDirectory: 'ops',
      botLogin: 'my-app[bot]',
      repairWorkflow: 'fix-drift.yaml',
    });
  });

  it('names the input and the expected form when a value is unusable', () => {
    expect(() => parseActionInputs(from({ mode: 'deploy' }))).toThrow(
      new ActionInputError("Invalid input 'mode': 'deploy'. Expected one of auto, plan, apply, drift."),
    );
    expect(() => parseActionInputs(from({ 'allow-plan-change': 'yes' }))).toThrow(
      "Invalid input 'allow-plan-change': 'yes'. Expected true or false.",
    );
    expect(() => parseActionInputs(from({ 'bot-login': 'not a login' }))).toThrow(
      "Invalid input 'bot-login': 'not a login'. Expected a GitHub login, e.g. github-actions[bot].",
    );
    // The file name becomes a path segment of the issue's link: no directory, query or fragment.
    for (const bad of ['../../evil.yml', 'a/b.yml', 'repair.yml?x=1', 'repair', 'x.yml#top']) {
      expect(() => parseActionInputs(from({ 'repair-workflow': bad }))).toThrow(
        `Invalid input 'repair-workflow': '${bad}'. Expected a workflow file name in .github/workflows, e.g. ssm-replicate-repair.yml.`,
      );
    }
  });
});
