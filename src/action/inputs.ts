import { isPlanDigest } from '../plan/plan-file.js';
import { Defaults, Inputs, MODES } from './constants.js';
import type { ActionMode } from './github/index.js';

/** Everything the workflow configured, parsed once. Paths are as given; the run resolves them. */
export interface ActionInputs {
  manifestPath: string;
  mode: ActionMode;
  githubToken: string;
  comment: boolean;
  driftIssue: boolean;
  allowPlanChange: boolean;
  failOnDrift: boolean;
  workingDirectory: string;
  botLogin: string;
  /** Name the workflow uploads the plan file as; the plan comment names it. Empty: not uploaded. */
  planArtifact: string | undefined;
  /** The digest approvers reviewed (a plan step's plan-digest output): apply only that plan. */
  expectDigest: string | undefined;
  /** The repair workflow's file in .github/workflows, linked from the drift issue. */
  repairWorkflow: string;
}

/** An input the workflow set to something the Action cannot use; the message names it and the form expected. */
export class ActionInputError extends Error {
  override readonly name = 'ActionInputError';
}

// The YAML 1.2 core schema's booleans, as @actions/core's getBooleanInput accepts them.
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

function bool(getInput: (name: string) => string, name: string, fallback: boolean): boolean {
  const raw = getInput(name).trim();
  if (raw === '') return fallback;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new ActionInputError(`Invalid input '${name}': '${raw}'. Expected true or false.`);
}

function mode(raw: string): ActionMode {
  const value = raw.trim() || Defaults.mode;
  if ((MODES as readonly string[]).includes(value)) return value as ActionMode;
  throw new ActionInputError(
    `Invalid input '${Inputs.Mode}': '${value}'. Expected one of ${MODES.join(', ')}.`,
  );
}

function login(raw: string): string {
  const value = raw.trim() || Defaults.botLogin;
  // GitHub logins: letters, digits and single hyphens; apps add a `[bot]` suffix.
  if (/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(value)) return value;
  throw new ActionInputError(
    `Invalid input '${Inputs.BotLogin}': '${value}'. Expected a GitHub login, e.g. github-actions[bot].`,
  );
}

function artifact(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  // actions/upload-artifact refuses these characters in a name: " : < > | * ? \r \n \ /
  if (value.length <= 200 && !/[":<>|*?\r\n\\/]/.test(value)) return value;
  throw new ActionInputError(
    `Invalid input '${Inputs.PlanArtifact}': '${value}'. Expected an artifact name, e.g. ssm-replicate-plan.`,
  );
}

function digest(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (isPlanDigest(value)) return value;
  throw new ActionInputError(
    `Invalid input '${Inputs.ExpectDigest}': '${value}'. Expected a plan digest, e.g. the plan-digest output of a plan step.`,
  );
}

function workflowFile(raw: string): string {
  const value = raw.trim() || Defaults.repairWorkflow;
  // A file directly in .github/workflows: it becomes a path segment of the link, so nothing else.
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.ya?ml$/.test(value)) return value;
  throw new ActionInputError(
    `Invalid input '${Inputs.RepairWorkflow}': '${value}'. Expected a workflow file name in .github/workflows, e.g. ${Defaults.repairWorkflow}.`,
  );
}

/** `getInput` is passed in so this parses without the Actions runtime in tests. */
export function parseActionInputs(getInput: (name: string) => string): ActionInputs {
  return {
    manifestPath: getInput(Inputs.Manifest).trim() || Defaults.manifest,
    mode: mode(getInput(Inputs.Mode)),
    githubToken: getInput(Inputs.GitHubToken).trim(),
    comment: bool(getInput, Inputs.Comment, Defaults.comment),
    driftIssue: bool(getInput, Inputs.DriftIssue, Defaults.driftIssue),
    allowPlanChange: bool(getInput, Inputs.AllowPlanChange, Defaults.allowPlanChange),
    failOnDrift: bool(getInput, Inputs.FailOnDrift, Defaults.failOnDrift),
    workingDirectory: getInput(Inputs.WorkingDirectory).trim() || Defaults.workingDirectory,
    botLogin: login(getInput(Inputs.BotLogin)),
    planArtifact: artifact(getInput(Inputs.PlanArtifact)),
    expectDigest: digest(getInput(Inputs.ExpectDigest)),
    repairWorkflow: workflowFile(getInput(Inputs.RepairWorkflow)),
  };
}
