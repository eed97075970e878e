import { InventoryError } from '../inventory/index.js';
import { SecretRegistry } from '../render/redact.js';
import { Outputs, RunStatus } from './constants.js';
import { type ActionDeps, runContext } from './context.js';
import { ActionEnvironmentError, readEventPayload, readRunEnv } from './env.js';
import { EventPayloadError, GitHubProtocolError, type Route, routeEvent } from './github/index.js';
import { guardedHost } from './guard.js';
import { ActionInputError, parseActionInputs } from './inputs.js';
import type { Outcome } from './outcome.js';
import { applyRoute } from './routes/apply.js';
import { driftRoute } from './routes/drift.js';
import { planRoute } from './routes/plan.js';

export type { ActionDeps } from './context.js';

const PERMISSIONS_HINT =
  "Check the workflow's permissions (pull-requests: write for the plan comment, issues: write for the " +
  "drift issue) and the 'github-token' input.";

/** One line for the step's failure: ours are worded for the user; GitHub and AWS refusals get a hint. */
export function describeError(error: unknown): string {
  if (
    error instanceof ActionInputError ||
    error instanceof ActionEnvironmentError ||
    error instanceof EventPayloadError ||
    error instanceof GitHubProtocolError ||
    error instanceof InventoryError
  ) {
    return error.message;
  }
  const e = error as { name?: string; message?: string; status?: unknown; $metadata?: unknown };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return `GitHub refused a request (HTTP ${e.status}: ${e.message}). ${PERMISSIONS_HINT}`;
  }
  if (e.$metadata !== undefined || e.name === 'CredentialsProviderError') {
    return `AWS call failed: ${e.name}: ${e.message}`;
  }
  return `Unexpected error: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}

function dispatch(
  ctx: Parameters<typeof planRoute>[0],
  route: Exclude<Route, { kind: 'skip' }>,
): Promise<Outcome> {
  switch (route.kind) {
    case 'plan':
      return planRoute(ctx, route.pullRequest);
    case 'apply':
      return applyRoute(ctx, route);
    case 'drift':
      return driftRoute(ctx);
  }
}

/**
 * The Action: inputs and environment read once, the event routed before any AWS or write call, one
 * route run, its outcome mapped to the `status` output and the step's result. The one catch for the shell.
 */
export async function run(runner: ActionDeps): Promise<void> {
  // Every mask reaches the runner the moment the run learns it, so its log masking is never behind ours.
  const secrets = new SecretRegistry();
  secrets.onMask((mask) => runner.host.setSecret(mask));
  const host = guardedHost(runner.host, secrets);
  const deps = { ...runner, host };
  let outcome: Outcome;
  try {
    const inputs = parseActionInputs((name) => host.getInput(name));
    const env = readRunEnv(deps.env, deps.cwd);
    const payload = await readEventPayload(env.eventPath);
    const route = routeEvent({
      mode: inputs.mode,
      eventName: env.eventName,
      payload,
      ...(env.sha ? { sha: env.sha } : {}),
    });
    if (route.kind === 'skip') {
      host.notice(route.notice);
      outcome = { status: RunStatus.Skipped };
    } else {
      outcome = await dispatch(runContext(deps, inputs, env, secrets), route);
    }
  } catch (error) {
    if (error instanceof Error && error.stack) host.info(error.stack);
    outcome = { status: RunStatus.Error, failure: describeError(error) };
  }
  host.setOutput(Outputs.Status, outcome.status);
  if (outcome.failure !== undefined) host.setFailed(outcome.failure);
}
