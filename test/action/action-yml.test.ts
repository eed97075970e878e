import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Defaults, Inputs, Outputs, RunStatus } from '../../src/action/constants.js';
import { parseActionInputs } from '../../src/action/inputs.js';

interface ActionYml {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  runs: { using: string; main: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as ActionYml;

describe('action.yml', () => {
  // The Marketplace's release form refuses longer ones: "Description must be less than 125 characters."
  it('fits the Marketplace: a description under 125 characters, a name and branding', () => {
    expect(action.description.length).toBeLessThan(125);
    expect(action.description.length).toBeGreaterThan(20);
    expect(action.name).toBe('ssm-replicate');
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
  });

  it('runs the committed bundle on Node 24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('declares exactly the inputs of constants.ts, each described', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort());
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description.length, name).toBeGreaterThan(20);
      expect(input.required ?? false, name).toBe(false);
    }
  });

  it('declares exactly the outputs of constants.ts, each described, status listing every value', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort());
    for (const [name, output] of Object.entries(action.outputs))
      expect(output.description, name).not.toBe('');
    const statuses = action.outputs[Outputs.Status]?.description.match(/[a-z-]+/g) ?? [];
    for (const value of Object.values(RunStatus)) expect(statuses, value).toContain(value);
  });

  it('has the same defaults the parser falls back to without a runner', () => {
    const yml = (name: string) => action.inputs[name]?.default;
    expect(yml(Inputs.Manifest)).toBe(Defaults.manifest);
    expect(yml(Inputs.Mode)).toBe(Defaults.mode);
    expect(yml(Inputs.GitHubToken)).toBe(`$\{{ github.token }}`);
    expect(yml(Inputs.Comment)).toBe(String(Defaults.comment));
    expect(yml(Inputs.DriftIssue)).toBe(String(Defaults.driftIssue));
    expect(yml(Inputs.AllowPlanChange)).toBe(String(Defaults.allowPlanChange));
    expect(yml(Inputs.FailOnDrift)).toBe(String(Defaults.failOnDrift));
    expect(yml(Inputs.WorkingDirectory)).toBe(Defaults.workingDirectory);
    expect(yml(Inputs.BotLogin)).toBe(Defaults.botLogin);
    // The runner passes the declared defaults in: parsing them gives the same as parsing nothing.
    const fromYml = parseActionInputs((name) => (name === Inputs.GitHubToken ? '' : (yml(name) ?? '')));
    expect(fromYml).toEqual(parseActionInputs(() => ''));
  });

  it('has every declared input read by the parser', () => {
    const read = new Set<string>();
    parseActionInputs((name) => {
      read.add(name);
      return '';
    });
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
  });
});
