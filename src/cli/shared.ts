import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { LockHeld, LockLost, type LockSettings } from '../apply/lock.js';
import type { AwsCallRecord } from '../aws/clients.js';
import { awsSettings, sdkStoreFactory } from '../aws/factory.js';
import { InventoryError } from '../inventory/index.js';
import type { JobContext } from '../jobs/context.js';
import {
  DEFAULT_MANIFEST_PATH,
  issueNotice,
  loadManifest,
  type Manifest,
  ManifestError,
} from '../manifest/index.js';
import type { Plan } from '../plan/types.js';
import { intervalHeartbeat, systemClock } from '../rate/limiter.js';
import { renderJson, renderMarkdown, renderText } from '../render/index.js';
import { redactDeep } from '../render/redact.js';
import { sanitizeDocument } from '../render/sanitize.js';
import { credentialProblem } from './aws-errors.js';
import type { CliContext, OptionSpec, OptionValues } from './command.js';
import { JournalError } from './journal.js';
import { type ReadProgress, readProgress } from './progress.js';
import { colorEnabled } from './terminal.js';

export const manifestOption: OptionSpec = {
  type: 'string',
  valueName: 'PATH',
  description: 'Manifest file',
  default: DEFAULT_MANIFEST_PATH,
};

export const formatOption: OptionSpec = {
  type: 'string',
  valueName: 'FORMAT',
  description: 'Output format: text, markdown or json',
  default: 'text',
};

export const lockTimeoutOption: OptionSpec = {
  type: 'string',
  valueName: 'SECONDS',
  description:
    "How long to wait for another apply of this manifest to finish (the manifest's lock) before failing",
  default: '300',
};

/** The lock settings of a command that writes: who we are (user, host, pid) and how long to wait. */
export function lockOptions(
  options: OptionValues,
  ctx: CliContext,
  command: string,
): LockSettings | undefined {
  const text = str(options, 'lock-timeout') ?? '300';
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(seconds)) {
    ctx.reporter.notify({
      level: 'error',
      message: `Invalid --lock-timeout '${text}'. Expected a number of seconds, e.g. 300.`,
    });
    return undefined;
  }
  const user = ctx.env.USER ?? ctx.env.USERNAME ?? 'unknown';
  return {
    owner: `ssm-replicate ${command} (cli) by ${user}@${hostname()} pid ${process.pid}`,
    timeoutMs: seconds * 1000,
    heartbeat: intervalHeartbeat,
  };
}

export const verifyOption: OptionSpec = {
  type: 'string',
  valueName: 'WHAT',
  description:
    'values: read and compare every value, decrypting SecureStrings, instead of trusting sync records (a deep audit with the apply role; finds forged records)',
};

/** `--verify values` as the job option; false after reporting anything else. */
export function parseVerify(options: OptionValues, ctx: CliContext): { verify?: 'values' } | false {
  const v = str(options, 'verify');
  if (v === undefined) return {};
  if (v === 'values') return { verify: 'values' };
  ctx.reporter.notify({ level: 'error', message: `Invalid --verify '${v}'. Expected: values.` });
  return false;
}

export type Format = 'text' | 'markdown' | 'json';

export function str(options: OptionValues, name: string): string | undefined {
  const v = options[name];
  return typeof v === 'string' ? v : undefined;
}

/** The manifest, or undefined after every problem was reported (as `validate` reports them). */
export async function loadOrReport(options: OptionValues, ctx: CliContext): Promise<Manifest | undefined> {
  const path = str(options, 'manifest') ?? DEFAULT_MANIFEST_PATH;
  try {
    const { manifest, warnings } = await loadManifest(path);
    for (const w of warnings) ctx.reporter.notify(issueNotice(w, 'warning'));
    return manifest;
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    for (const w of error.warnings) ctx.reporter.notify(issueNotice(w, 'warning'));
    for (const issue of error.issues) ctx.reporter.notify(issueNotice(issue, 'error'));
    ctx.reporter.notify({
      level: 'error',
      message: `invalid manifest ${path}: fix the errors above (ssm-replicate validate)`,
    });
    return undefined;
  }
}

export function parseFormat(options: OptionValues, ctx: CliContext): Format | undefined {
  const f = str(options, 'format') ?? 'text';
  if (f === 'text' || f === 'markdown' || f === 'json') return f;
  ctx.reporter.notify({ level: 'error', message: `unknown format '${f}': expected text, markdown or json` });
  return undefined;
}

/**
 * `--debug`'s line for one AWS call: what, where, how it ended, how long, how many attempts and what
 * the retried ones failed with, e.g. `4 attempts (retried after 3 × ThrottlingException)`.
 */
export function debugLine(call: AwsCallRecord): string {
  const outcome = `${call.error ? `${call.error} ` : ''}HTTP ${call.status ?? 'none'}`;
  const attempts = call.attempts === 1 ? '1 attempt' : `${call.attempts} attempts`;
  const counts = new Map<string, number>();
  for (const code of call.retriedAfter ?? []) counts.set(code, (counts.get(code) ?? 0) + 1);
  const kinds = [...counts].map(([code, n]) => (n > 1 ? `${n} × ${code}` : code));
  const retried = kinds.length > 0 ? ` (retried after ${kinds.join(', ')})` : '';
  return `debug: ${call.service} ${call.operation} ${call.region} ${outcome} ${Math.round(call.durationMs)} ms, ${attempts}${retried}\n`;
}

/**
 * The job's stores: the SDK adapter with the run's settings, `--debug` logging each call on stderr, and
 * on a terminal the live line counting what each region has read (progress.ts).
 */
export function jobContext(manifest: Manifest, ctx: CliContext): JobContext {
  return jobWithReads(manifest, ctx).job;
}

/** jobContext, and the read progress of its stores, for a command that reads in more than one phase. */
export function jobWithReads(
  manifest: Manifest,
  ctx: CliContext,
): { job: JobContext; reads: Pick<ReadProgress, 'phase'> } {
  const settings = {
    ...awsSettings(ctx.env, manifest.throughput),
    secrets: ctx.secrets,
    ...(ctx.debug ? { onCall: (call: AwsCallRecord) => ctx.stderr.write(debugLine(call)) } : {}),
  };
  const stores = sdkStoreFactory(settings);
  const reads = ctx.live ? readProgress(stores, ctx.live) : { storeFor: stores, phase: () => undefined };
  return {
    job: { manifest, storeFor: reads.storeFor, clock: systemClock, reporter: ctx.reporter },
    reads,
  };
}

export function useColor(ctx: CliContext, stream: { isTTY?: boolean } = ctx.stdout): boolean {
  return colorEnabled(ctx.env, stream);
}

export const maxItemsOption: OptionSpec = {
  type: 'string',
  valueName: 'N',
  description:
    'Show at most N items (and N unmanaged names) per region in the text plan, with a count of the rest (default: all)',
};

/** How the terminal plan is cut: `--max-items`, and where the rest can be seen. */
export interface PlanView {
  maxItems?: number;
  /** Where the whole plan is, said after "… and K more". */
  moreHint?: string;
  /** The manifest's ownership tag: markdown states it once rather than on every new replica. */
  ownershipTag?: { key: string; value: string };
}

/** What a cut plan points to when the command has no --out: the plan command's file. */
export const PLAN_OUT_HINT = 'the whole plan: run without --max-items, or ssm-replicate plan --out FILE';

/** `--max-items N` as a view, or undefined after reporting a value that is not a whole number. */
export function planView(options: OptionValues, ctx: CliContext, moreHint: string): PlanView | undefined {
  const text = str(options, 'max-items');
  if (text === undefined) return { moreHint };
  if (!/^\d+$/.test(text)) {
    ctx.reporter.notify({
      level: 'error',
      message: `Invalid --max-items '${text}'. Expected a whole number of items per region, e.g. 50.`,
    });
    return undefined;
  }
  return { maxItems: Number(text), moreHint };
}

/**
 * The plan as the user asked for it, redacted before rendering: a renderer's cap that cut a secret
 * would leave a prefix no mask matches. A terminal shows the whole plan unless `--max-items` cuts it.
 */
export function renderPlan(live: Plan, format: Format, ctx: CliContext, view: PlanView = {}): string {
  const plan = redactDeep(live, ctx.secrets);
  if (format === 'json') return renderJson(plan);
  if (format === 'markdown')
    return `${renderMarkdown(plan, view.ownershipTag ? { ownershipTag: view.ownershipTag } : {})}\n`;
  return `${renderText(plan, {
    color: useColor(ctx),
    maxItemsPerRegion: view.maxItems ?? Number.POSITIVE_INFINITY,
    ...(view.moreHint ? { moreHint: view.moreHint } : {}),
  })}\n`;
}

/** `--out FILE`; false after reporting a file that cannot be written (a missing directory, no permission). */
export async function writePlanFile(path: string | undefined, plan: Plan, ctx: CliContext): Promise<boolean> {
  if (!path) return true;
  try {
    await writeFile(path, sanitizeDocument(renderJson(redactDeep(plan, ctx.secrets)), ctx.secrets));
    return true;
  } catch (error) {
    ctx.reporter.notify({
      level: 'error',
      code: 'plan-file-unwritable',
      message: `cannot write the plan to ${path}: ${error instanceof Error ? error.message : String(error)}`,
    });
    return false;
  }
}

/**
 * Failures that are the environment's, not a bug: a region that cannot be read, AWS refusing credentials.
 * Reported as one clear line; anything else propagates to the bin's "unexpected error" handler. A cause
 * that is the credentials (however deep the inventory or the lock wrapped it) is said as what to fix,
 * naming the profile, rather than as a failed listing.
 */
export function reportRunError(error: unknown, ctx: CliContext): number {
  const credentials = credentialProblem(error, ctx.env);
  if (credentials) {
    ctx.reporter.notify({ level: 'error', code: 'aws-credentials', message: credentials });
    return 1;
  }
  if (
    error instanceof InventoryError ||
    error instanceof LockHeld ||
    error instanceof LockLost ||
    error instanceof JournalError
  ) {
    ctx.reporter.notify({ level: 'error', message: error.message });
    return 1;
  }
  const e = error as { name?: string; message?: string; $metadata?: unknown };
  if (e.$metadata !== undefined || e.name === 'CredentialsProviderError') {
    ctx.reporter.notify({ level: 'error', message: `AWS call failed: ${e.name}: ${e.message}` });
    return 1;
  }
  throw error;
}
