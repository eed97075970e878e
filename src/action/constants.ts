import { DEFAULT_MANIFEST_PATH } from '../manifest/index.js';

/**
 * Every name the Action shares with action.yml and the runner, in one place. A test parses action.yml
 * and checks it against these lists, so an input cannot be declared without being read, nor an output
 * set without being declared.
 */

export const Inputs = {
  Manifest: 'manifest',
  Mode: 'mode',
  GitHubToken: 'github-token',
  Comment: 'comment',
  DriftIssue: 'drift-issue',
  AllowPlanChange: 'allow-plan-change',
  FailOnDrift: 'fail-on-drift',
  WorkingDirectory: 'working-directory',
  BotLogin: 'bot-login',
  PlanArtifact: 'plan-artifact',
  ExpectDigest: 'expect-digest',
  RepairWorkflow: 'repair-workflow',
} as const;

export type InputName = (typeof Inputs)[keyof typeof Inputs];

export const Outputs = {
  HasChanges: 'has-changes',
  Creates: 'creates',
  Updates: 'updates',
  Replaces: 'replaces',
  Deletes: 'deletes',
  TagChanges: 'tag-changes',
  Blocked: 'blocked',
  PlanDigest: 'plan-digest',
  PlanFile: 'plan-file',
  Status: 'status',
} as const;

export type OutputName = (typeof Outputs)[keyof typeof Outputs];

/** The `status` output: what the run ended with. */
export const RunStatus = {
  Skipped: 'skipped',
  Invalid: 'invalid',
  Error: 'error',
  NoChanges: 'no-changes',
  Planned: 'planned',
  Blocked: 'blocked',
  PlanChanged: 'plan-changed',
  Applied: 'applied',
  Failed: 'failed',
  InSync: 'in-sync',
  Drifted: 'drifted',
  /** A push whose change has no reviewed plan, refused without `allow-plan-change`. */
  Unreviewed: 'unreviewed',
  /** The runner stopped the apply (cancel, timeout): what it wrote is reported, the rest is left. */
  Cancelled: 'cancelled',
} as const;

export type RunStatusValue = (typeof RunStatus)[keyof typeof RunStatus];

export const MODES = ['auto', 'plan', 'apply', 'drift'] as const;

/** Defaults as action.yml declares them; the runner passes them in, these cover a run without it. */
export const Defaults = {
  manifest: DEFAULT_MANIFEST_PATH,
  mode: 'auto',
  comment: true,
  driftIssue: true,
  allowPlanChange: false,
  failOnDrift: true,
  workingDirectory: '.',
  botLogin: 'github-actions[bot]',
  repairWorkflow: 'ssm-replicate-repair.yml',
} as const;

/**
 * GitHub refuses a step summary over 1 MiB. A UTF-16 unit is at most 3 UTF-8 bytes, so a plan rendered
 * within this many units always fits, with room for the headings around it.
 */
export const SUMMARY_MAX_BYTES = 1024 * 1024;
export const SUMMARY_PLAN_MAX_CHARS = 320_000;
/** The summary is the full plan the comment points to: far more items per region than the comment. */
export const SUMMARY_MAX_ITEMS_PER_REGION = 5_000;
